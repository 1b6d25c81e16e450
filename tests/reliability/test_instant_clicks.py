"""A click on an article that is visible is never refused as busy.

People see a message (and click its buttons) while the bot still waits for Slack's answer to
chat.postMessage; under load that answer takes seconds. The fake Slack holds its answer to every
message carrying buttons, and the test clicks the instant the message shows: every button, a
thread reply and a keyword-modal submission must each produce their new version, none refused."""
from __future__ import annotations

import json

from handlers.replies import BUSY
from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Error

from .conftest import (
    article_messages, command, dispatch_of, failures, versions_posted, wait_articles, wait_parent, whispers,
)

HOLD = 1.5  # seconds the bot waits for Slack's answer after its message is already shown
ROUNDS = 5


def _has_buttons(args: dict) -> bool:
    blob = json.dumps(args.get("blocks") or [])
    return "seo_regenerate" in blob or "seo_retry" in blob


def _refused(slack, channel, thread) -> list[str]:
    texts = [e["text"] for e in whispers(slack, channel)]
    texts += [m.get("text", "") for m in slack.messages(channel, thread, include_parent=False)]
    return [t for t in texts if BUSY in t or "déjà en cours" in t or t == "busy"]


def _next_version(slack, channel, thread, count):
    """Waits for the count-th article message, or for a refusal (then fails at once)."""
    def seen(s):
        arts = article_messages(s, channel, thread)
        return _refused(s, channel, thread) or (arts if len(arts) >= count else None)

    found = slack.wait_for(seen, timeout=60)
    assert found and isinstance(found[0], dict), f"refused as busy: {found}"
    return found[-1]


def _reply(shared, slack, channel, thread, text):
    msg = slack.add_message(channel, text, user="U2", thread_ts=thread)
    event = sr.message_event(text, channel=channel, user="U2", ts=msg["ts"], thread_ts=thread)
    assert sr.send(shared.url, *sr.event_callback(event))[0] == 200


def test_clicks_and_replies_the_instant_an_article_appears_are_never_refused(
        shared, slack, llm, channel, sample_text):
    slack.hold("chat.postMessage", HOLD, match=_has_buttons)
    try:
        assert command(shared.url, slack, channel, dispatch_of(sample_text))[0] == 200
        thread = wait_parent(slack, channel)["ts"]
        latest = wait_articles(slack, channel, thread, timeout=60)[-1]
        count = 1
        # Raccourcir, then Régénérer, clicked as soon as each version shows.
        for i in range(ROUNDS):
            action = "seo_shorten" if i == 0 else "seo_regenerate"
            assert sr.send(shared.url, *sr.block_actions(action, message=latest, slack=slack))[0] == 200
            count += 1
            latest = _next_version(slack, channel, thread, count)
        # A thread reply (a revision) written the instant the article shows.
        _reply(shared, slack, channel, thread, "ajoute un intertitre sur la Russie")
        count += 1
        latest = _next_version(slack, channel, thread, count)
        # Changer le mot-clé: the modal was opened on an earlier version; submitted as the newest shows.
        assert sr.send(shared.url, *sr.block_actions("seo_change_keyword", message=latest, slack=slack))[0] == 200
        view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_keyword_modal"],
                              timeout=30)[-1]
        assert sr.send(shared.url, *sr.block_actions("seo_regenerate", message=latest, slack=slack))[0] == 200
        count += 1
        _next_version(slack, channel, thread, count)
        assert sr.send(shared.url, *sr.view_submission(view, {"keyword": {"keyword_input": "sommet de Vilnius"}}))[0] == 200
        count += 1
        latest = _next_version(slack, channel, thread, count)
        # Réessayer, clicked the instant the failure message shows.
        llm.script(*[Error(500)] * 3)
        assert sr.send(shared.url, *sr.block_actions("seo_regenerate", message=latest, slack=slack))[0] == 200
        failure = slack.wait_for(lambda s: failures(s, channel, thread), timeout=60)[0]
        assert sr.send(shared.url, *sr.block_actions("seo_retry", message=failure, slack=slack))[0] == 200
        count += 1
        _next_version(slack, channel, thread, count)
    finally:
        slack.release_holds()
    assert _refused(slack, channel, thread) == []
    # Each click was answered privately, in French: « C’est parti… », « C’est reparti… ».
    answers = [e["text"] for e in whispers(slack, channel)]
    assert answers and all(a.startswith("C’est ") for a in answers), answers
    assert versions_posted(slack, channel, thread) == {v: 1 for v in range(1, count + 1)}
