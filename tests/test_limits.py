"""Slack's budgets shared through Redis (jobs/limits/), on a private real redis-server: several
`SlackBudgets` stand for several worker processes (each has its own connection pool, so their
scripts really interleave at the server). Windows are shortened (a few seconds instead of 62) so
the tests can watch them slide; the scripts do not depend on the span."""
from __future__ import annotations

import asyncio
import random
import time

import pytest
import redis as sync_redis

from jobs.limits import SlackBudgets
from tests.redis_server import RedisServer
from tests.windows import max_in_window


@pytest.fixture(scope="module")
def server():
    s = RedisServer().start()
    yield s
    s.stop()


@pytest.fixture
def url(server):
    r = sync_redis.Redis.from_url(server.url)
    r.flushall()
    r.close()
    return server.url


@pytest.fixture
async def workers(url):
    """workers(n, **limits) -> n SlackBudgets on the same Redis, registered (heartbeat)."""
    made: list[SlackBudgets] = []

    async def make(n: int = 3, **kw) -> list[SlackBudgets]:
        out = [SlackBudgets(url, worker_id=f"w{len(made) + i}", **kw) for i in range(n)]
        made.extend(out)
        for b in out:
            await b.start()
        for b in out:
            await b._beat()  # everyone sees everyone
        return out

    yield make
    for b in made:
        await b.close()



async def until(predicate, timeout: float = 20.0, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(every)
    raise AssertionError("condition not met in time")


# --------------------------------------------------------------------------- start/stop


@pytest.mark.parametrize("limit", [1, 7, 20])
async def test_concurrent_starts_from_three_workers_never_exceed_the_budget(workers, limit):
    ws = await workers(3, starts_per_min=limit)
    results = await asyncio.gather(*(ws[i % 3].admit_stream("T1") for i in range(60)))
    admitted = [r for r in results if r]
    assert len(admitted) == limit
    assert len(set(admitted)) == limit
    # Every admitted stream can stop (its stop was reserved), even with the stop budget otherwise full.
    assert not await ws[1].stop_slot("T1")  # no reservation: no room left
    stops = await asyncio.gather(*(ws[i % 3].stop_slot("T1", rid) for i, rid in enumerate(admitted)))
    assert all(stops)


async def test_a_start_reserves_its_stop_until_it_is_made_or_given_back(workers):
    a, b = await workers(2, starts_per_min=10, stops_per_min=3)
    rids = [await a.admit_stream("T1") for _ in range(3)]
    assert all(rids)
    assert await b.admit_stream("T1") is None  # 3 stops reserved: a 4th stream could not stop
    await a.release_stop("T1", rids[0])  # its start failed: the stop goes back
    rid = await b.admit_stream("T1")
    assert rid
    # Using a reservation does not free room (the stop is a call in the window now).
    assert await a.stop_slot("T1", rids[1])
    assert await b.admit_stream("T1") is None
    # A stop reserved by one worker can be made by another (a re-run after a crash).
    assert await b.stop_slot("T1", rids[2])
    assert await b.stop_slot("T1", rid)


async def test_a_second_start_of_an_admitted_stream_counts_in_the_start_budget(workers):
    a, b = await workers(2, starts_per_min=3, stops_per_min=10)
    assert await a.admit_stream("T1") and await b.admit_stream("T1")
    assert await a.start_slot("T1")  # its first start was refused for its form: one more call
    assert not await b.start_slot("T1")
    assert await a.admit_stream("T1") is None


async def test_a_crashed_workers_reservations_come_back_after_a_streams_lifetime(workers):
    a, b = await workers(2, starts_per_min=10, stops_per_min=2, reservation_ttl=1.0)
    assert await a.admit_stream("T1") and await a.admit_stream("T1")
    assert await b.admit_stream("T1") is None
    # `a` dies without stopping: after the reservations' lifetime, `b` may start again.
    t0 = time.monotonic()
    assert await until(lambda: b.admit_stream("T1"))
    assert time.monotonic() - t0 >= 0.5


async def test_teams_have_their_own_budgets(workers):
    a, b = await workers(2, starts_per_min=2, appends_per_min=5)
    assert await a.admit_stream("T1") and await b.admit_stream("T1")
    assert await a.admit_stream("T1") is None
    assert await a.admit_stream("T2") and await b.admit_stream("T2")
    assert await b.admit_stream("T2") is None


@pytest.mark.parametrize("seed", range(3))
async def test_random_stream_schedules_on_three_workers_stay_within_both_windows(workers, seed):
    """Streams of random lengths started by three workers as fast as they come: starts and stops,
    timed as calls, never exceed the budget in any window, and every admitted stream stops."""
    span, limit = 1.5, 4
    ws = await workers(3, starts_per_min=limit, span=span, reservation_ttl=30)
    rng = random.Random(seed)
    starts, stops = [], []
    refused = 0

    async def stream(w: SlackBudgets) -> None:
        nonlocal refused
        rid = await w.admit_stream("T1")
        if rid is None:
            refused += 1
            return
        starts.append(time.monotonic())
        await asyncio.sleep(rng.uniform(0.05, 2.0))  # the article being written
        assert await w.stop_slot("T1", rid)
        stops.append(time.monotonic())

    tasks = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        tasks.append(asyncio.create_task(stream(rng.choice(ws))))
        await asyncio.sleep(rng.expovariate(20))
    await asyncio.gather(*tasks)
    assert refused > 0 and len(starts) > limit
    assert max_in_window(starts, span) <= limit
    assert max_in_window(stops, span) <= limit
    assert len(stops) == len(starts)


# --------------------------------------------------------------------------- appends, pauses


async def test_appends_from_three_workers_stay_within_the_window_and_keep_flowing(workers):
    span, limit = 2.0, 12
    ws = await workers(3, appends_per_min=limit, span=span)
    granted: list[float] = []

    async def streamer(w: SlackBudgets) -> None:
        end = time.monotonic() + 5
        while time.monotonic() < end:
            await w.append_slot("T1")
            granted.append(time.monotonic())

    await asyncio.gather(*(streamer(w) for w in ws for _ in range(4)))
    assert max_in_window(granted, span) <= limit
    # The budget is used, not starved: about limit per span over 5 s (smoothed by the bucket).
    assert len(granted) >= 2 * limit
    # Smoothed: the burst is small, never the whole window's budget at once.
    assert max_in_window(granted, 0.3) <= ws[0].append_burst + 1


async def test_ratelimited_pauses_the_method_for_every_worker(workers):
    a, b = await workers(2, starts_per_min=20, appends_per_min=100)
    await a.pause("T1", "start", 1.0)
    assert await b.admit_stream("T1") is None
    t0 = time.monotonic()
    await b.pause("T1", "append", 0.6)
    await a.append_slot("T1")
    assert time.monotonic() - t0 >= 0.5
    assert await until(lambda: b.admit_stream("T1"))
    assert await a.admit_stream("T2")  # another team is not paused


# --------------------------------------------------------------------------- per-channel posts


async def test_posts_in_one_channel_are_paced_across_workers_after_a_small_burst(workers):
    ws = await workers(3, post_interval=0.2, post_burst=3)
    times: list[float] = []

    async def post(w):
        await w.post_slot("T1", "C1")
        times.append(time.monotonic())

    t0 = time.monotonic()
    await asyncio.gather(*(post(ws[i % 3]) for i in range(9)))
    times.sort()
    assert times[2] - t0 < 0.15  # the burst goes at once
    for k in range(3, 9):  # then one per interval
        assert times[k] - t0 >= (k - 2) * 0.2 - 0.03, [round(t - t0, 3) for t in times]
    # Another channel is not held by this one's queue.
    t1 = time.monotonic()
    await ws[0].post_slot("T1", "C2")
    assert time.monotonic() - t1 < 0.15


# --------------------------------------------------------------------------- Redis down


async def test_redis_down_falls_back_to_a_local_share_then_writes_back(server, workers):
    ws = await workers(3, starts_per_min=9, appends_per_min=300)
    a = ws[0]
    assert a.workers_seen == 3
    before = await a.admit_stream("T1")
    assert before
    server.stop()
    try:
        t0 = time.monotonic()
        local = [await a.admit_stream("T1") for _ in range(10)]
        # 9 // 3 = 3 starts for this worker, of which it used one just before the outage.
        assert sum(1 for r in local if r) == 2
        assert await a.stop_slot("T1", before)  # reserved through Redis: still made
        for _ in range(3):  # appends go on, within this worker's burst (300 // 10 // 3)
            await asyncio.wait_for(a.append_slot("T1"), 10)
        assert time.monotonic() - t0 < 5  # no waiting on the dead Redis
        assert a.stats["local"] > 0
    finally:
        server.start()  # same port, empty (no persistence)
    # Once Redis answers, what was counted locally is written back for every worker to see.
    async def back() -> bool:
        await a.append_slot("T1")
        return a.stats["synced"] > 0

    await until(back, every=0.2)
    r = sync_redis.Redis.from_url(server.url, decode_responses=True)
    try:
        assert r.zcard("seo:lim:{T1}:start") == 2
        assert r.zcard("seo:lim:{T1}:stop") == 1
        assert r.zcard("seo:lim:{T1}:append") >= 4
        assert r.zcard("seo:lim:{T1}:stop:reserved") == 2  # the two streams started locally
    finally:
        r.close()


async def test_redis_unreachable_from_the_start_streams_little_but_never_stops_a_job(server):
    b = SlackBudgets("redis://127.0.0.1:1/0", starts_per_min=20, appends_per_min=100)
    try:
        await b.start()
        assert b.workers_seen is None
        admitted = [await b.admit_stream("T1") for _ in range(5)]
        assert sum(1 for r in admitted if r) == 20 // 10  # an unknown number of workers: a small share
        await asyncio.wait_for(b.append_slot("T1"), 10)
        await asyncio.wait_for(b.post_slot("T1", "C1"), 10)
    finally:
        await b.close()


async def test_without_redis_one_process_has_the_whole_budget():
    b = SlackBudgets(None, starts_per_min=5)
    assert [bool(await b.admit_stream("T1")) for _ in range(7)] == [True] * 5 + [False] * 2


# --------------------------------------------------------------------------- cost

SCRIPTED = {"cmdstat_" + c for c in ("time", "get", "set", "zadd", "zrem", "zcard", "zscore", "zrange",
                                     "zremrangebyscore", "pexpire")}


async def test_each_check_is_one_round_trip_to_redis(url, workers):
    [a] = await workers(1, starts_per_min=1000, appends_per_min=100_000, post_interval=0)
    r = sync_redis.Redis.from_url(url)

    def commands() -> int:  # requests from clients (commands inside scripts are not round trips)
        stats = r.info("commandstats")
        return sum(int(v["calls"]) for k, v in stats.items() if k.split("|")[0] not in SCRIPTED)

    try:
        n0 = commands()
        for _ in range(50):
            rid = await a.admit_stream("T1")
            await a.append_slot("T1")
            await a.stop_slot("T1", rid)
            await a.post_slot("T1", "C1")
        # 4 scripts per round (EVALSHA each), plus one INFO and loading the scripts on first use.
        assert commands() - n0 <= 50 * 4 + 8
    finally:
        r.close()


# --------------------------------------------------------------------------- through the Slack client


async def test_workers_clients_post_in_one_channel_at_slacks_pace_counted_on_slacks_side(workers):
    """Three workers' real slack_sdk clients (ops.slack.MeteredWebClient with the shared pacer)
    posting into one channel at once: the fake Slack receives a burst of three, then about one a
    second (shortened here to one every 0.25 s); status updates (chat.update) are not held."""
    from ops.slack import MeteredWebClient
    from tests.fakes.slack_api import FakeSlack

    ws = await workers(3, post_interval=0.25, post_burst=3)
    with FakeSlack() as slack:
        clients = []
        for w in ws:
            c = MeteredWebClient(token=slack.bot_token, base_url=slack.base_url)
            c.pacer = w
            clients.append(c)
        t0 = time.time()
        await asyncio.gather(*(clients[i % 3].chat_postMessage(channel="C1", text=f"m{i}") for i in range(9)))
        posts = sorted(c["ts"] - t0 for c in slack.calls("chat.postMessage") if c["ok"])
        assert len(posts) == 9
        assert posts[2] < 0.2
        for k in range(3, 9):
            assert posts[k] >= (k - 2) * 0.25 - 0.05, [round(p, 2) for p in posts]
        ts = slack.messages("C1")[0]["ts"]
        t1 = time.monotonic()
        await clients[0].chat_postMessage(channel="C2", text="ailleurs")  # another channel: no wait
        await clients[1].chat_update(channel="C1", ts=ts, text="mise à jour")  # not paced
        assert time.monotonic() - t1 < 0.2
