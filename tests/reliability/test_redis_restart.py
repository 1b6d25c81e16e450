"""Redis stopped and started again (same port, AOF on) while 20 jobs are queued or running."""
from __future__ import annotations

import time

from handlers.replies import UNAVAILABLE

from .conftest import (
    command, dispatch_of, duplicate_parts, healthz, versions_posted, wait_articles, wait_parent, whispers,
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
    deadline = time.monotonic() + 10
    while llm.in_flight < 4 and time.monotonic() < deadline:
        time.sleep(0.02)

    redis_server.stop()
    down_at = time.monotonic()
    # While Redis is down: a clear French answer, only for the caller; the web process stays up.
    down = channel + "DOWN"
    status, _, elapsed = command(bot.url, slack, down, dispatch_of(sample_text), user="U7")
    assert status == 200 and elapsed < 3
    eph = slack.wait_for(lambda s: whispers(s, down, "U7"), timeout=20)
    assert eph[-1]["text"] == UNAVAILABLE
    assert healthz(web) == 200
    time.sleep(max(0.0, 4 - (time.monotonic() - down_at)))  # down longer than the heartbeat timeout
    redis_server.start()  # same port, the AOF brings the queue back
    llm.latency = 0.0

    for ch, ts in threads.items():
        wait_articles(slack, ch, ts, timeout=90)
    # It reconnected by itself: a new command goes through.
    after = channel + "AFTER"
    assert command(bot.url, slack, after, dispatch_of(sample_text))[0] == 200
    wait_articles(slack, after, wait_parent(slack, after)["ts"], timeout=30)
    time.sleep(1.5)

    lost = [ch for ch, ts in threads.items() if not versions_posted(slack, ch, ts)]
    doubled = [ch for ch, ts in threads.items() if versions_posted(slack, ch, ts) != {1: 1}]
    assert lost == [] and doubled == [], (lost, doubled)
    assert duplicate_parts(slack) == []
    assert slack.messages(down) == []  # nothing was started for the refused command
    assert web.proc.poll() is None and worker.proc.poll() is None
