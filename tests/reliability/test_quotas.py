"""Flooding: quotas per person and per channel (in flight and per minute), answered privately in
French with nothing enqueued, and fair turns between channels in the worker."""
from __future__ import annotations

import pytest

from tests.fakes.openai_server import Latency

from .conftest import command, dispatch_of, parents, redis_client, wait_articles, wait_parent, whispers

REFUSED = "Trop de demandes"


def _admitted(slack, redis_server, quota_set, count):
    """Wait until `count` jobs are admitted to a quota set (what the web side records before enqueueing)."""
    r = redis_client(redis_server)
    slack.wait_for(lambda s: r.zcard(f"seo:quota:{quota_set}") >= count)


def _refusals(slack, channel, user):
    return [e for e in whispers(slack, channel, user) if REFUSED in e["text"]]


def test_one_person_cannot_have_more_jobs_in_flight_than_the_quota(cluster, slack, llm, channel, sample_text,
                                                                    redis_server):
    bot = cluster(SEO_MAX_JOBS_PER_USER=2)
    bot.web()  # no worker yet: what is enqueued stays in flight
    channels = [f"{channel}{i}" for i in range(4)]
    for ch in channels[:2]:
        assert command(bot.url, slack, ch, dispatch_of(sample_text), user="UFLOOD")[0] == 200
        wait_parent(slack, ch)
    _admitted(slack, redis_server, "run:user:UFLOOD", 2)
    for ch in channels[2:]:
        assert command(bot.url, slack, ch, dispatch_of(sample_text), user="UFLOOD")[0] == 200
        eph = slack.wait_for(lambda s: _refusals(s, ch, "UFLOOD"))
        assert "en cours" in eph[-1]["text"] and "rien n’a été lancé" in eph[-1]["text"]
        assert parents(slack, ch) == []  # nothing posted, nothing enqueued
    # Someone else is not affected.
    assert command(bot.url, slack, channels[3], dispatch_of(sample_text), user="UOTHER")[0] == 200
    wait_parent(slack, channels[3])
    # Once its articles are out, the person may ask again at once (the quota is released when the
    # article is saved, not after the job's bookkeeping).
    bot.worker()
    for ch in (channels[0], channels[1]):
        wait_articles(slack, ch, parents(slack, ch)[0]["ts"], timeout=60)
    refused = len(_refusals(slack, channels[2], "UFLOOD"))
    assert command(bot.url, slack, channels[2], dispatch_of(sample_text), user="UFLOOD")[0] == 200
    slack.wait_for(lambda s: parents(s, channels[2]) or len(_refusals(s, channels[2], "UFLOOD")) > refused)
    assert len(_refusals(slack, channels[2], "UFLOOD")) == refused, "refused although its articles were out"
    wait_articles(slack, channels[2], parents(slack, channels[2])[0]["ts"], timeout=60)


def test_a_channel_and_a_person_per_minute_are_capped_too(cluster, slack, llm, channel, sample_text, redis_server):
    bot = cluster(SEO_MAX_JOBS_PER_CHANNEL=2, SEO_MAX_JOBS_PER_USER_PER_MINUTE=2)
    bot.web()  # no worker: jobs stay in flight
    for user in ("UA", "UB"):
        assert command(bot.url, slack, channel, dispatch_of(sample_text), user=user)[0] == 200
    _admitted(slack, redis_server, f"run:channel:{channel}", 2)
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="UC")[0] == 200
    assert "dans ce canal" in slack.wait_for(lambda s: _refusals(s, channel, "UC"))[-1]["text"]
    # Per minute: UA's second job (another channel) starts, a third one within the minute does not.
    second, third = channel + "M", channel + "N"
    assert command(bot.url, slack, second, dispatch_of(sample_text), user="UA")[0] == 200
    _admitted(slack, redis_server, "rate:user:UA", 2)
    assert command(bot.url, slack, third, dispatch_of(sample_text), user="UA")[0] == 200
    assert "en une minute" in slack.wait_for(lambda s: _refusals(s, third, "UA"))[-1]["text"]
    assert len(parents(slack, channel)) == 2 and parents(slack, third) == []


def test_a_burst_in_one_channel_does_not_hold_up_another_channel(cluster, slack, llm, channel, sample_text):
    bot = cluster(SEO_WORKER_CONCURRENCY=1, SEO_MAX_JOBS_PER_CHANNEL=20)
    bot.web()
    bot.worker()
    llm.script(*[Latency(1.5) for _ in range(5)])  # the burst's drafts are slow
    burst = channel + "A"
    for i in range(5):
        assert command(bot.url, slack, burst, dispatch_of(sample_text), user=f"UB{i}")[0] == 200
    slack.wait_for(lambda s: len(parents(s, burst)) >= 5)  # all five are queued
    other = channel + "B"
    assert command(bot.url, slack, other, dispatch_of(sample_text), user="UQUIET")[0] == 200
    thread = wait_parent(slack, other)["ts"]
    wait_articles(slack, other, thread, timeout=60)
    done = [p for p in parents(slack, burst)
            if any("seo_regenerate" in str(m.get("blocks")) for m in slack.messages(burst, p["ts"]))]
    assert len(done) <= 2, f"the quiet channel waited for {len(done)} of the burst's 5 jobs"
    for p in parents(slack, burst):  # and the burst is not lost
        wait_articles(slack, burst, p["ts"], timeout=90)


def test_a_flood_of_dms_is_answered_privately_and_enqueues_nothing_more(cluster, slack, llm, channel, sample_text,
                                                                        redis_server):
    from tests.fakes import slack_requests as sr

    bot = cluster(SEO_MAX_JOBS_PER_USER=1)
    bot.web()  # no worker: the first job stays in flight
    dm = "D" + channel[1:]
    slack.set_channel(dm, is_im=True)
    sent = []
    for i in range(4):
        msg = slack.add_message(dm, dispatch_of(sample_text), user="UDM")
        sent.append(msg["ts"])
        event = sr.message_event(msg["text"], channel=dm, user="UDM", ts=msg["ts"], channel_type="im")
        assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
        if i == 0:
            _admitted(slack, redis_server, "run:user:UDM", 1)
    slack.wait_for(lambda s: len(_refusals(s, dm, "UDM")) >= 3)
    # One job's status in the first message's thread; the others got a private answer, nothing public.
    assert [ts for ts in sent if slack.messages(dm, ts, include_parent=False)] == [sent[0]]
    assert redis_client(redis_server).zcard("seo:quota:run:user:UDM") == 1


@pytest.mark.parametrize("limit, second_user, same_channel", [
    ("SEO_MAX_JOBS_PER_USER", "UFAST", False),  # the same person, in another channel
    ("SEO_MAX_JOBS_PER_CHANNEL", "UCOLLEAGUE", True),  # a colleague, in the same channel
])
def test_a_request_made_the_instant_the_article_appears_is_not_refused(cluster, slack, llm, channel, sample_text,
                                                                     limit, second_user, same_channel):
    """At the in-flight limit, the article appearing means the job's quota is free: a new request at
    that instant starts, even while the job's bookkeeping (status line, permalink for the Home tab,
    usage) is still slow."""
    bot = cluster(**{limit: 1})
    bot.web()
    bot.worker()
    slack.hold("chat.getPermalink", 20)  # the bookkeeping after the article is slow to finish
    try:
        assert command(bot.url, slack, channel, dispatch_of(sample_text), user="UFAST")[0] == 200
        wait_articles(slack, channel, wait_parent(slack, channel)["ts"], timeout=90)
        second = channel if same_channel else channel + "B"
        before = len(parents(slack, second))
        assert command(bot.url, slack, second, dispatch_of(sample_text), user=second_user)[0] == 200
        slack.wait_for(lambda s: len(parents(s, second)) > before or _refusals(s, second, second_user),
                       timeout=30)
        assert not _refusals(slack, second, second_user), "refused although the article was out"
        wait_articles(slack, second, parents(slack, second)[-1]["ts"], timeout=90)
    finally:
        slack.release_holds()
