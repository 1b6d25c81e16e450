"""Noise: refusals and "busy" answers go to the person alone, once; articles have a version cap."""
from __future__ import annotations

from handlers.replies import BUSY, NOT_ALLOWED
from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Latency

from .conftest import bot_posts, command, dispatch_of, versions_posted, wait_articles, wait_parent, whispers


def _reply(bot, slack, channel, thread, text, user):
    msg = slack.add_message(channel, text, user=user, thread_ts=thread)
    event = sr.message_event(text, channel=channel, user=user, ts=msg["ts"], thread_ts=thread)
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200


def _public_in_thread(slack, channel, thread, text):
    return [m for m in bot_posts(slack, channel) if m.get("thread_ts") == thread and text in m["text"]]


def test_a_stranger_in_a_thread_is_answered_privately_once_and_thanks_get_nothing(
        cluster, slack, llm, channel, sample_text):
    bot = cluster(SEO_ALLOWED_USERS="UOK1")
    bot.web()
    bot.worker()
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="UOK1")[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    wait_articles(slack, channel, thread)
    for text in ("merci !", "plus court", "ajoute un intertitre sur la Russie", "Merci beaucoup"):
        _reply(bot, slack, channel, thread, text, "UBAD")
    slack.wait_for(lambda s: whispers(s, channel, "UBAD"))
    # An allowed person's request after those: once its version is out, all of the above was handled.
    _reply(bot, slack, channel, thread, "plus court", "UOK1")
    wait_articles(slack, channel, thread, 2, timeout=60)
    assert [e["text"] for e in whispers(slack, channel, "UBAD")] == [NOT_ALLOWED]
    assert _public_in_thread(slack, channel, thread, NOT_ALLOWED) == []


def test_replies_during_a_job_get_one_private_busy_answer(cluster, slack, llm, channel, sample_text):
    bot = cluster()
    bot.web()
    bot.worker()
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="U1")[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    wait_articles(slack, channel, thread)
    llm.script(Latency(2.0))  # the revision is still running while the next replies come
    _reply(bot, slack, channel, thread, "ajoute un intertitre sur la Russie", "U2")
    slack.wait_for(lambda s: len([m for m in bot_posts(s, channel) if m.get("thread_ts") == thread]) >= 3)
    for text in ("et un autre sur Biden", "et raccourcis", "mot-clé : OTAN"):
        _reply(bot, slack, channel, thread, text, "U2")
    slack.wait_for(lambda s: [e for e in whispers(s, channel, "U2") if e["text"] == BUSY])
    wait_articles(slack, channel, thread, 2, timeout=60)
    assert [e["text"] for e in whispers(slack, channel, "U2")] == [BUSY]
    assert _public_in_thread(slack, channel, thread, BUSY) == []


def test_an_article_has_at_most_the_configured_number_of_versions(cluster, slack, llm, channel, sample_text):
    bot = cluster(SEO_MAX_VERSIONS_PER_ARTICLE=2)
    bot.web()
    bot.worker()
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="U1")[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    v1 = wait_articles(slack, channel, thread)[0]
    assert sr.send(bot.url, *sr.block_actions("seo_regenerate", message=v1, user_id="U1", slack=slack))[0] == 200
    v2 = wait_articles(slack, channel, thread, 2)[-1]
    calls = llm.calls
    assert sr.send(bot.url, *sr.block_actions("seo_regenerate", message=v2, user_id="U1", slack=slack))[0] == 200
    eph = slack.wait_for(lambda s: [e for e in whispers(s, channel, "U1") if "versions" in e["text"]])
    assert "2 versions, le maximum" in eph[-1]["text"]
    _reply(bot, slack, channel, thread, "ajoute un intertitre sur la Russie", "U1")
    slack.wait_for(lambda s: len([e for e in whispers(s, channel, "U1") if "versions" in e["text"]]) >= 2)
    assert llm.calls == calls and versions_posted(slack, channel, thread) == {1: 1, 2: 1}
