"""The per-workspace start/stop budget of streamed articles (jobs/streaming/budget.Window): whatever the
schedule of jobs, no 60-second window of Slack's ever sees more calls than the budget, and every
stream admitted can stop."""
from __future__ import annotations

import random
import time

import pytest

from jobs.streaming.budget import WINDOW, Window


def _max_in_window(times: list[float], span: float = WINDOW) -> int:
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - span:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_random_schedules_never_exceed_the_budget_and_every_start_can_stop(seed):
    rng = random.Random(seed)
    limit = rng.choice([2, 5, 20])
    starts, stops = Window(limit), Window(limit)
    start_calls, stop_calls, pending = [], [], []  # pending: stop times of admitted streams
    now, refused = 0.0, 0
    for _ in range(rng.randint(50, 400)):
        now += rng.expovariate(rng.choice([0.2, 1.0, 5.0]))  # bursts and lulls
        for due in sorted(t for t in pending if t <= now):  # streams finishing: their stop
            pending.remove(due)
            assert stops.reserved > 0  # a stop was kept for it
            stops.use_reserved(due)
            stop_calls.append(due)
        if starts.room(now) >= 1 and stops.room(now) >= 1:
            starts.take(now)
            stops.reserve()
            start_calls.append(now)
            pending.append(now + rng.uniform(1, 300))  # an article takes 1 s to 5 min to write
        else:
            refused += 1  # posted whole, at once
    for due in sorted(pending):
        stops.use_reserved(due)
        stop_calls.append(due)
    assert _max_in_window(start_calls) <= limit
    assert _max_in_window(stop_calls) <= limit
    assert len(stop_calls) == len(start_calls)


def test_a_ratelimited_answer_closes_the_window_for_its_retry_after():
    w = Window(20)
    w.pause(30)
    assert w.room(time.monotonic()) == 0
    assert w.room(time.monotonic() + 31) == 20
