"""Signatures on every request, allowlists on every surface, no secret or dispatch in the logs,
Redis keys namespaced and expiring."""
from __future__ import annotations

import json

import pytest

from handlers.replies import NOT_ALLOWED
from tests.fakes import slack_requests as sr

from .conftest import (
    assert_clean_logs, command, dispatch_of, redis_client, settle, versions_posted, wait_articles, wait_parent,
    whispers,
)


def _requests(slack, channel, sample_text):
    view = {"id": "V1", "hash": "h", "callback_id": "seo_settings_modal", "private_metadata": "{}",
            "blocks": [{"type": "input", "block_id": "min_words",
                        "element": {"type": "plain_text_input", "action_id": "min_words_input"}}]}
    return {
        "command": sr.slash_command(dispatch_of(sample_text), channel_id=channel, slack=slack),
        "event": sr.event_callback(sr.message_event(dispatch_of(sample_text), channel="D" + channel[1:],
                                                    channel_type="im")),
        "action": sr.block_actions("seo_regenerate", value="abc:1", channel_id=channel, slack=slack),
        "view": sr.view_submission(view, {"min_words": {"min_words_input": "800"}}),
    }


def test_every_kind_of_request_needs_a_fresh_valid_signature(cluster, slack, llm, channel, sample_text,
                                                             redis_server):
    bot = cluster()
    bot.web()
    bot.worker()
    for kind, req in _requests(slack, channel, sample_text).items():
        body, headers = req
        assert sr.send(bot.url, *sr.forged(req))[0] == 401, kind
        assert sr.send(bot.url, *sr.stale(req))[0] == 401, kind  # 6 minutes old: a replay
        unsigned = {k: v for k, v in headers.items() if not k.startswith("X-Slack")}
        assert sr.send(bot.url, body, unsigned)[0] == 401, kind
        assert sr.send(bot.url, body, dict(headers, **{"X-Slack-Signature": "v0=00"}))[0] == 401, kind
    settle(slack, llm, redis_server)  # a 401 is answered before any listener runs; whatever slipped through shows
    assert llm.calls == 0
    assert [c for c in slack.calls() if c["method"].startswith(("chat.", "views."))] == []


def test_allowlists_hold_for_commands_events_and_buttons(cluster, slack, llm, channel, sample_text, redis_server):
    other = channel + "X"
    bot = cluster(SEO_ALLOWED_CHANNELS=channel, SEO_ALLOWED_USERS="UOK1,UOK2")
    bot.web()
    bot.worker()
    # Allowed user, allowed channel: an article.
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="UOK1")[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    v1 = wait_articles(slack, channel, thread)[0]
    calls = llm.calls
    # Command: a stranger, or an allowed user in another channel.
    for ch, user in ((channel, "UBAD"), (other, "UOK1")):
        assert command(bot.url, slack, ch, dispatch_of(sample_text), user=user)[0] == 200
        assert slack.wait_for(lambda s: whispers(s, ch, user))[-1]["text"] == NOT_ALLOWED
    # Buttons: a stranger clicks Régénérer and Réessayer-like actions: said, privately, nothing else.
    for action in ("seo_regenerate", "seo_shorten", "seo_export", "seo_change_keyword"):
        req = sr.block_actions(action, message=v1, user_id="UBAD", slack=slack)
        assert sr.send(bot.url, *req)[0] == 200
    eph = slack.wait_for(lambda s: (lambda e: e if len(e) >= 5 else None)(whispers(s, channel, "UBAD")))
    assert all(e["text"] == NOT_ALLOWED for e in eph)
    # Events: a DM from a stranger, a mention in another channel, a reply in the article's thread.
    dm = "DBAD" + channel[1:]
    slack.set_channel(dm, is_im=True)
    msg = slack.add_message(dm, dispatch_of(sample_text), user="UBAD")
    sr.send(bot.url, *sr.event_callback(sr.message_event(msg["text"], channel=dm, user="UBAD", ts=msg["ts"],
                                                         channel_type="im")))
    msg2 = slack.add_message(other, "<@UBOT> " + dispatch_of(sample_text), user="UOK2")
    sr.send(bot.url, *sr.event_callback(sr.app_mention_event(msg2["text"], channel=other, user="UOK2",
                                                             ts=msg2["ts"])))
    reply = slack.add_message(channel, "plus court", user="UBAD", thread_ts=thread)
    sr.send(bot.url, *sr.event_callback(sr.message_event("plus court", channel=channel, user="UBAD",
                                                         ts=reply["ts"], thread_ts=thread)))
    for ch, ts in ((dm, msg["ts"]), (other, msg2["ts"])):
        slack.wait_for(lambda s: [m for m in s.messages(ch, ts, include_parent=False) if NOT_ALLOWED in m["text"]])
    # In an article's thread, the refusal is for that person only.
    slack.wait_for(lambda s: len(whispers(s, channel, "UBAD")) >= len(eph) + 1)
    assert whispers(slack, channel, "UBAD")[-1]["text"] == NOT_ALLOWED
    settle(slack, llm, redis_server)
    assert llm.calls == calls  # nothing ran for anyone outside the lists
    assert versions_posted(slack, channel, thread) == {1: 1}
    assert [f for f in slack.files] == []
    assert not [v for v in slack.views if v.get("callback_id") == "seo_keyword_modal"]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_logs_hold_no_secret_nor_dispatch_and_redis_keys_are_namespaced_with_ttl(
        cluster, slack, llm, channel, sample_text, redis_server, log_format):
    bot = cluster(LOG_FORMAT=log_format)
    bot.web()
    bot.worker()
    text = dispatch_of(sample_text)
    assert command(bot.url, slack, channel, text)[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    v1 = wait_articles(slack, channel, thread)[0]
    sr.send(bot.url, *sr.block_actions("seo_shorten", message=v1, slack=slack))
    wait_articles(slack, channel, thread, 2)
    reply = slack.add_message(channel, "ajoute un intertitre sur la Russie", user="U2", thread_ts=thread)
    sr.send(bot.url, *sr.event_callback(sr.message_event(reply["text"], channel=channel, user="U2",
                                                         ts=reply["ts"], thread_ts=thread)))
    wait_articles(slack, channel, thread, 3)
    files = len(slack.files)  # the fake Slack serves the whole module: count from here
    sr.send(bot.url, *sr.block_actions("seo_export", message=wait_articles(slack, channel, thread, 3)[-1],
                                       slack=slack))
    slack.wait_for(lambda s: len(s.files) >= files + 2)
    assert command(bot.url, slack, channel, "réglages")[0] == 200
    view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_settings_modal"
                                     and channel in v.get("private_metadata", "")])[-1]
    sr.send(bot.url, *sr.view_submission(view, {"min_words": {"min_words_input": "800"}}))
    slack.wait_for(lambda s: [e for e in whispers(s, channel) if "Réglages enregistrés" in e["text"]])
    settle(slack, llm, redis_server)  # every job done: no key changes under the scan below

    assert_clean_logs(bot.logs(), dispatch=text)
    if log_format == "json":  # and every line is one JSON object
        assert all(isinstance(json.loads(line), dict) for line in bot.logs().splitlines() if line.strip())
    r = redis_client(redis_server)
    keys = list(r.scan_iter(count=1000))
    assert any(k.startswith("seo:") for k in keys)
    strangers = [k for k in keys if not k.startswith(("seo:", "saq:"))]
    assert strangers == []
    # -1: no expiry. (-2 is a key deleted since the scan: a run claim or a lock released meanwhile.)
    forever = [k for k in keys if k.startswith("seo:") and r.pttl(k) == -1]
    assert forever == []
    # No key holds a secret.
    for k in keys:
        if r.type(k) == "string":
            value = r.get(k) or ""
            assert not any(s in value for s in ("xoxb-", "sk-reliab", "test-signing-secret")), k


def test_the_keyword_modal_submission_checks_the_allowlist_again(cluster, slack, llm, channel, sample_text):
    """A modal opened while allowed, submitted after the allowlist changed: refused, nothing runs."""
    bot = cluster(SEO_ALLOWED_USERS="UOK1")
    bot.web()
    bot.worker()
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="UOK1")[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    v1 = wait_articles(slack, channel, thread)[0]
    assert sr.send(bot.url, *sr.block_actions("seo_change_keyword", message=v1, user_id="UOK1", slack=slack))[0] == 200
    view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_keyword_modal"])[-1]
    port = bot.web_proc.port
    bot.web_proc.stop()
    bot.web_proc = None
    bot.start("web", PORT=port, SEO_ALLOWED_USERS="UOK2")  # UOK1 is no longer allowed
    calls = llm.calls
    body, headers = sr.view_submission(view, {"keyword": {"keyword_input": "Russie"}}, user_id="UOK1")
    assert sr.send(bot.url, body, headers)[0] == 200
    # Said instead of enqueueing: once it is said, nothing was enqueued.
    assert slack.wait_for(lambda s: whispers(s, channel, "UOK1"))[-1]["text"] == NOT_ALLOWED
    assert llm.calls == calls
    assert versions_posted(slack, channel, thread) == {1: 1}
