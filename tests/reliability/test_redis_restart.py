"""Redis stopped and started again (same port, AOF on) while 20 jobs are queued or running."""
from __future__ import annotations

import time

from handlers.replies import UNAVAILABLE, WAITING

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Error

from .conftest import (
    command, dispatch_of, duplicate_parts, failures, healthz, versions_posted, wait_articles, wait_drained,
    wait_parent, whispers,
)

JOBS = 20


def test_redis_restart_loses_nothing_duplicates_nothing_and_says_so_while_down(
        cluster, slack, llm, redis_server, channel, sample_text):
    bot = cluster()
    web = bot.web()
    worker = bot.worker(SEO_WORKER_CONCURRENCY=8)  # 8 run, 12 wait in the queue
    llm.latency = 1.0
    channels = [f"{channel}{i:02d}" for i in range(JOBS)]
    for ch in channels:
        status, _, elapsed = command(bot.url, slack, ch, dispatch_of(sample_text))
        assert status == 200 and elapsed < 3
    threads = {ch: wait_parent(slack, ch)["ts"] for ch in channels}
    deadline = time.monotonic() + 60
    while llm.in_flight < 4 and time.monotonic() < deadline:
        time.sleep(0.02)

    redis_server.stop()
    down_at = time.monotonic()
    # While Redis is down: acked, told privately that it waits; the web process stays up.
    down = channel + "DOWN"
    status, _, elapsed = command(bot.url, slack, down, dispatch_of(sample_text), user="U7")
    assert status == 200 and elapsed < 3
    eph = slack.wait_for(lambda s: whispers(s, down, "U7"), timeout=60)
    assert eph[-1]["text"] == WAITING
    assert healthz(web) == 200
    time.sleep(max(0.0, 4 - (time.monotonic() - down_at)))  # down longer than the heartbeat timeout
    redis_server.start()  # same port, the AOF brings the queue back
    llm.latency = 0.0

    for ch, ts in threads.items():
        wait_articles(slack, ch, ts, timeout=180)
    # It reconnected by itself: a new command goes through.
    after = channel + "AFTER"
    assert command(bot.url, slack, after, dispatch_of(sample_text))[0] == 200
    wait_articles(slack, after, wait_parent(slack, after)["ts"], timeout=90)
    wait_drained(redis_server)  # every job finished: a late duplicate would be posted by now

    lost = [ch for ch, ts in threads.items() if not versions_posted(slack, ch, ts)]
    doubled = [ch for ch, ts in threads.items() if versions_posted(slack, ch, ts) != {1: 1}]
    assert lost == [] and doubled == [], (lost, doubled)
    assert duplicate_parts(slack) == []
    # The command sent while Redis was down became its article once Redis was back.
    wait_articles(slack, down, wait_parent(slack, down, timeout=90)["ts"], timeout=120)
    assert versions_posted(slack, down, wait_parent(slack, down)["ts"]) == {1: 1}
    assert web.proc.poll() is None and worker.proc.poll() is None


BURST = 10


def test_requests_acked_just_before_a_redis_blip_all_become_exactly_one_article(
        cluster, slack, llm, redis_server, channel, sample_text):
    """Every path that enqueues after an ack (command, modal, button, Réessayer, thread reply) while
    Redis is stopped for 5 s: each waits, says so, and comes out as exactly one new version."""
    bot = cluster()
    bot.web()
    bot.worker()
    text = dispatch_of(sample_text)
    # Before the blip: a failed job (for Réessayer) and three articles (a button, a reply, a modal).
    llm.script(*[Error(500)] * 3)
    ready = {}
    for name in ("retry", "click", "reply", "modal"):
        ch = f"{channel}{name.upper()}"
        assert command(bot.url, slack, ch, text)[0] == 200
        ready[name] = (ch, wait_parent(slack, ch, timeout=30)["ts"])
        if name == "retry":
            failure = slack.wait_for(lambda s: failures(s, *ready["retry"]), timeout=60)[0]
        else:
            wait_articles(slack, *ready[name], timeout=60)
    ch, ts = ready["modal"]
    assert sr.send(bot.url, *sr.block_actions("seo_change_keyword", message=wait_articles(slack, ch, ts)[0],
                                               slack=slack))[0] == 200
    view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_keyword_modal"], timeout=30)[-1]

    # A burst of commands, each held by a slow Slack between its ack and its enqueue...
    burst = [f"{channel}B{i:02d}" for i in range(BURST)]
    slack.hold("chat.postMessage", 2.0, match=lambda a: a.get("channel") in burst and a.get("thread_ts"))
    for ch in burst:
        status, _, elapsed = command(bot.url, slack, ch, text)
        assert status == 200 and elapsed < 3
    slack.wait_for(lambda s: all(len(s.messages(ch)) >= 2 for ch in burst), timeout=60)  # status lines shown
    redis_server.stop()  # ...when Redis goes away
    down_at = time.monotonic()
    slack.release_holds()
    # While it is down: a command, a click, Réessayer, a thread reply and a modal submission.
    late = channel + "LATE"
    assert command(bot.url, slack, late, text, user="U7")[0] == 200
    ch, ts = ready["click"]
    assert sr.send(bot.url, *sr.block_actions("seo_regenerate", message=wait_articles(slack, ch, ts)[0],
                                               slack=slack))[0] == 200
    assert sr.send(bot.url, *sr.block_actions("seo_retry", message=failure, slack=slack))[0] == 200
    ch, ts = ready["reply"]
    msg = slack.add_message(ch, "ajoute un intertitre sur la Russie", user="U2", thread_ts=ts)
    assert sr.send(bot.url, *sr.event_callback(sr.message_event(msg["text"], channel=ch, user="U2", ts=msg["ts"],
                                                                thread_ts=ts)))[0] == 200
    assert sr.send(bot.url, *sr.view_submission(view, {"keyword": {"keyword_input": "sommet de Vilnius"}}))[0] == 200
    # The status lines and the callers are told that the request waits.
    slack.wait_for(lambda s: [w for w in whispers(s, late, "U7") if w["text"] == WAITING], timeout=30)
    slack.wait_for(lambda s: [c for c in s.calls("chat.update") if WAITING in (c["args"].get("text") or "")],
                   timeout=30)
    time.sleep(max(0.0, 5 - (time.monotonic() - down_at)))  # a 5 s blip, as a restart or a failover
    redis_server.start()

    for ch in burst + [late]:
        wait_articles(slack, ch, wait_parent(slack, ch, timeout=60)["ts"], timeout=120)
    wait_articles(slack, *ready["retry"], timeout=120)
    for name in ("click", "reply", "modal"):
        wait_articles(slack, *ready[name], count=2, timeout=120)
    wait_drained(redis_server)
    for ch in burst + [late]:
        assert versions_posted(slack, ch, wait_parent(slack, ch)["ts"]) == {1: 1}, ch
    assert versions_posted(slack, *ready["retry"]) == {1: 1}
    for name in ("click", "reply", "modal"):
        assert versions_posted(slack, *ready[name]) == {1: 1, 2: 1}, name
    assert duplicate_parts(slack) == []
    assert not [w for w in whispers(slack, None) if "indisponible" in w["text"]]


def test_a_request_gives_up_in_french_when_redis_stays_away_longer_than_the_patience(
        cluster, slack, llm, redis_server, channel, sample_text):
    bot = cluster(SEO_QUEUE_PATIENCE=3)
    bot.web()
    bot.worker()
    redis_server.stop()
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="U8")[0] == 200
    eph = slack.wait_for(lambda s: (lambda w: w if len(w) >= 2 else None)(whispers(s, channel, "U8")), timeout=60)
    assert [e["text"] for e in eph] == [WAITING, UNAVAILABLE]
    redis_server.start()
    # Nothing was started: the next request in that channel is the only one that runs.
    assert command(bot.url, slack, channel, dispatch_of(sample_text), user="U8")[0] == 200
    wait_articles(slack, channel, wait_parent(slack, channel, timeout=60)["ts"], timeout=90)
    wait_drained(redis_server)
    assert len([m for m in slack.messages(channel) if not m.get("thread_ts") or m["thread_ts"] == m["ts"]]) == 1
