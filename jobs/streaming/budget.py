"""Per-process, per-workspace budgets of Slack's streaming methods (DESIGN.md, "Streaming").

- appends: a token bucket (a small burst, then a steady rate) inside a sliding window (Tier 4:
  about 100 a minute), served first come, first served;
- startStream / stopStream (Tier 2, about 20 a minute each): a stream is admitted only if its start
  and its stop both fit; the stop stays reserved until it is made or given back;
- `ratelimited` pauses a method for its Retry-After.
"""
from __future__ import annotations

import asyncio
import time
from collections import deque

from slack_sdk.errors import SlackApiError

WINDOW = 60.0                   # Slack's rate-limit window
WINDOW_MARGIN = 2.0             # our clock and Slack's differ by a request's latency


class Window:
    """Calls of one method in one workspace over the last WINDOW (+ margin) seconds, plus calls
    reserved ahead (a started stream's stop). Invariant kept: recent + reserved <= limit, so no
    window of Slack's ever holds more than `limit` calls."""

    def __init__(self, limit: int, span: float = WINDOW + WINDOW_MARGIN):
        self.limit = limit
        self.span = span
        self.calls: deque[float] = deque()
        self.reserved = 0
        self.paused_until = 0.0

    def _prune(self, now: float) -> None:
        while self.calls and self.calls[0] <= now - self.span:
            self.calls.popleft()

    def room(self, now: float) -> int:
        if now < self.paused_until:
            return 0
        self._prune(now)
        return self.limit - len(self.calls) - self.reserved

    def next_free(self, now: float) -> float:
        """When one more call fits (now if it fits already)."""
        if self.room(now) > 0:
            return now
        at = max(now, self.paused_until)
        if len(self.calls) + self.reserved >= self.limit and self.calls:
            at = max(at, self.calls[0] + self.span)
        return at

    def take(self, now: float) -> None:
        self.calls.append(now)

    def reserve(self) -> None:
        self.reserved += 1

    def use_reserved(self, now: float) -> None:
        self.reserved = max(self.reserved - 1, 0)
        self.calls.append(now)

    def release(self) -> None:
        self.reserved = max(self.reserved - 1, 0)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)


class Workspace:
    """One workspace's budgets, shared by every stream of this process in that workspace."""

    def __init__(self, appends_per_min: int, starts_per_min: int, stops_per_min: int):
        self.starts = Window(starts_per_min)
        self.stops = Window(stops_per_min)
        self.appends = Window(appends_per_min)
        # Smooth appends: a small burst, then a steady rate, within the window's limit.
        self.burst = max(1, min(10, appends_per_min // 10))
        self.rate = max(appends_per_min - self.burst, 1) / (WINDOW + WINDOW_MARGIN)
        self.tokens = float(self.burst)
        self.refilled = time.monotonic()
        self._fifo = asyncio.Lock()  # first come, first served

    def admit_stream(self) -> bool:
        """Take a start and reserve its stop, if both fit; else the job is posted whole."""
        now = time.monotonic()
        if self.starts.room(now) < 1 or self.stops.room(now) < 1:
            return False
        self.starts.take(now)
        self.stops.reserve()
        return True

    async def append_slot(self) -> None:
        async with self._fifo:
            while True:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.rate)
                self.refilled = now
                at = self.appends.next_free(now)
                if self.tokens < 1:
                    at = max(at, now + (1 - self.tokens) / self.rate)
                if at <= now:
                    self.tokens -= 1
                    self.appends.take(now)
                    return
                await asyncio.sleep(at - now)


def retry_after(exc: SlackApiError) -> float:
    try:
        return max(float(exc.response.headers.get("Retry-After", 1)), 0.5)
    except (TypeError, ValueError, AttributeError):
        return 1.0
