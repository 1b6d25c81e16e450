"""A thread's lock lives as long as its job does, not SEO_JOB_TIMEOUT.

The web side locks the thread, then enqueues the job. When Redis becomes unreachable right after
the lock is written and stays away longer than the patience minute, the request is given up (the
user is told to retry) but its unlock cannot reach Redis either: the lock of a job that does not
exist was left for SEO_JOB_TIMEOUT (15 min by default), every click in the thread answered
« déjà en cours ». Once its job is not alive in the queue (after the patience, plus a heartbeat),
a lock is stale and the next request takes it over; a lock whose job is alive, however old, is not.
"""
from __future__ import annotations

from handlers.replies import BUSY, UNAVAILABLE
from tests.fakes import slack_requests as sr
from tests.redis_cut import RedisCut

from .conftest import (
    FAST, article_messages, command, dispatch_of, redis_client, versions_posted, wait_articles, wait_parent,
    whispers,
)

PATIENCE = 3
JOB_TIMEOUT = 600  # a stale lock lasting this long would fail every test below


def _answers(slack, channel, texts) -> list[str]:
    return [e["text"] for e in whispers(slack, channel) if any(t in e["text"] for t in texts)]


def _older_than_the_grace(slack, r, lock_key):
    """Until the lock is older than the patience plus a heartbeat (younger, it is never questioned)."""
    grace = PATIENCE + FAST["SEO_HEARTBEAT_TIMEOUT"]
    slack.wait_for(lambda s: 0 < r.pttl(lock_key) < (JOB_TIMEOUT - grace - 1) * 1000, timeout=60)


def _click(bot, slack, channel, thread, message, count) -> bool:
    """Clicks Régénérer once: True when a version `count` shows, False when answered « busy »."""
    before = len(_answers(slack, channel, [BUSY]))
    assert sr.send(bot.url, *sr.block_actions("seo_regenerate", message=message, slack=slack))[0] == 200
    slack.wait_for(lambda s: len(article_messages(s, channel, thread)) >= count
                   or len(_answers(s, channel, [BUSY])) > before, timeout=90)
    return len(article_messages(slack, channel, thread)) >= count


def test_a_lock_left_by_a_long_redis_outage_is_taken_over_once_its_job_is_known_dead(
        cluster, slack, llm, channel, sample_text, redis_server):
    cut = RedisCut(redis_server.port).start()
    try:
        bot = cluster(SEO_QUEUE_PATIENCE=PATIENCE, SEO_JOB_TIMEOUT=JOB_TIMEOUT)
        bot.web(REDIS_URL=cut.url)  # the web side's Redis goes through the relay
        bot.worker()
        assert command(bot.url, slack, channel, dispatch_of(sample_text))[0] == 200
        thread = wait_parent(slack, channel)["ts"]
        first = wait_articles(slack, channel, thread, timeout=90)[-1]

        # Régénérer: the thread's lock is written, then Redis is out of reach for longer than the patience.
        lock_key = f"seo:lock:thread:{channel}:{thread}"
        cut.cut_after(b"SET", lock_key.encode())
        assert sr.send(bot.url, *sr.block_actions("seo_regenerate", message=first, slack=slack))[0] == 200
        assert cut.cut.wait(60), "the click never tried to lock the thread"
        slack.wait_for(lambda s: _answers(s, channel, [UNAVAILABLE]), timeout=60)  # given up, in French
        cut.restore()
        r = redis_client(redis_server)
        holder = r.get(lock_key)
        assert holder and r.pttl(lock_key) > (JOB_TIMEOUT - 60) * 1000  # what the outage left behind

        # The next click, once the lock is older than the grace: accepted, long before SEO_JOB_TIMEOUT.
        _older_than_the_grace(slack, r, lock_key)
        assert _click(bot, slack, channel, thread, first, count=2), "the thread stayed « busy »"
        assert versions_posted(slack, channel, thread) == {1: 1, 2: 1}
        assert r.get(lock_key) != holder
    finally:
        cut.stop()


def test_the_lock_of_a_job_still_queued_is_kept_however_old(cluster, slack, llm, channel, sample_text,
                                                             redis_server):
    bot = cluster(SEO_QUEUE_PATIENCE=PATIENCE, SEO_JOB_TIMEOUT=JOB_TIMEOUT)
    bot.web()
    worker = bot.worker()
    assert command(bot.url, slack, channel, dispatch_of(sample_text))[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    first = wait_articles(slack, channel, thread, timeout=90)[-1]
    worker.stop()  # no worker: the next job waits in the queue, alive

    assert sr.send(bot.url, *sr.block_actions("seo_regenerate", message=first, slack=slack))[0] == 200
    slack.wait_for(lambda s: _answers(s, channel, ["C’est "]), timeout=60)
    r = redis_client(redis_server)
    lock_key = f"seo:lock:thread:{channel}:{thread}"
    _older_than_the_grace(slack, r, lock_key)
    assert not _click(bot, slack, channel, thread, first, count=2)  # « déjà en cours »

    bot.worker()  # the queued job runs: exactly one version 2
    wait_articles(slack, channel, thread, count=2, timeout=90)
    assert versions_posted(slack, channel, thread) == {1: 1, 2: 1}
