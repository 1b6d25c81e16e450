"""The start/stop budget as one worker counts it on its own (jobs/limits.LocalWindow: without Redis,
or while Redis does not answer): whatever the schedule of jobs, no 60-second window of Slack's ever
sees more calls than the budget, and every stream admitted can stop. The shared count in Redis
keeps the same invariant across workers (tests/test_limits.py)."""
from __future__ import annotations

import random

import pytest

from jobs.limits import WINDOW, LocalWindow
from tests.windows import max_in_window



@pytest.mark.parametrize("seed", range(40))
def test_random_schedules_never_exceed_the_budget_and_every_start_can_stop(seed):
    rng = random.Random(seed)
    limit = rng.choice([2, 5, 20])
    starts, stops = LocalWindow(), LocalWindow()
    start_calls, stop_calls, pending = [], [], []  # pending: (stop time, reservation) of admitted streams
    now, refused = 0.0, 0
    for i in range(rng.randint(50, 400)):
        now += rng.expovariate(rng.choice([0.2, 1.0, 5.0]))  # bursts and lulls
        for due, rid in sorted(p for p in pending if p[0] <= now):  # streams finishing: their stop
            pending.remove((due, rid))
            assert stops.use(rid, due)  # a stop was kept for it
            stop_calls.append(due)
        if starts.room(limit, now) >= 1 and stops.room(limit, now) >= 1:
            starts.take(now)
            rid = f"r{i}"
            stops.reserve(rid, now, ttl=400)
            start_calls.append(now)
            pending.append((now + rng.uniform(1, 300), rid))  # an article takes 1 s to 5 min to write
        else:
            refused += 1  # posted whole, at once
    for due, rid in sorted(pending):
        assert stops.use(rid, due)
        stop_calls.append(due)
    assert max_in_window(start_calls, WINDOW) <= limit
    assert max_in_window(stop_calls, WINDOW) <= limit
    assert len(stop_calls) == len(start_calls)


def test_a_ratelimited_answer_closes_the_window_for_its_retry_after():
    w = LocalWindow()
    w.pause(30, now=100.0)
    assert w.room(20, 101.0) == 0
    assert w.room(20, 131.0) == 20
