"""A worker's own count of Slack's budgets, on its monotonic clock: what it uses without Redis
(one process), while Redis does not answer (its share of each budget), and as the mirror of its
own recent calls. The windows' constants are the shared count's too (jobs/limits/shared.py)."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

WINDOW = 60.0                   # Slack's rate-limit window (seconds)
WINDOW_MARGIN = 2.0             # our clock and Slack's differ by a request's latency
SPAN = WINDOW + WINDOW_MARGIN
RESERVATION_TTL = 330.0         # a stream lives about 5 minutes on Slack's side; a crashed worker's
                                # reserved stop comes back to the budget after that


class LocalWindow:
    """One method's calls in one team over the last `span` seconds (this process's own, monotonic
    clock), plus its reserved calls. Invariant kept: recent + reserved <= limit."""

    def __init__(self, span: float = SPAN):
        self.span = span
        self.calls: deque[float] = deque()
        self.reserved: dict[str, float] = {}  # reservation id -> expiry
        self.paused_until = 0.0

    def _prune(self, now: float) -> None:
        while self.calls and self.calls[0] <= now - self.span:
            self.calls.popleft()
        for rid in [r for r, exp in self.reserved.items() if exp <= now]:
            del self.reserved[rid]

    def room(self, limit: int, now: float) -> int:
        if now < self.paused_until:
            return 0
        self._prune(now)
        return limit - len(self.calls) - len(self.reserved)

    def wait(self, limit: int, now: float) -> float:
        """Seconds until one more call fits (0 if it fits now)."""
        if self.room(limit, now) > 0:
            return 0.0
        at = max(now, self.paused_until)
        if self.calls and len(self.calls) + len(self.reserved) >= limit:
            at = max(at, self.calls[0] + self.span)
        return max(at - now, 0.01)

    def take(self, now: float) -> None:
        self.calls.append(now)

    def reserve(self, rid: str, now: float, ttl: float = RESERVATION_TTL) -> None:
        self.reserved[rid] = now + ttl

    def use(self, rid: str | None, now: float) -> bool:
        """Turn a live reservation into a call; False if it is not (or no longer) held here."""
        exp = self.reserved.pop(rid, None) if rid else None
        if exp is not None and exp > now:
            self.calls.append(now)
            return True
        return False

    def release(self, rid: str | None) -> None:
        if rid:
            self.reserved.pop(rid, None)

    def pause(self, seconds: float, now: float) -> None:
        self.paused_until = max(self.paused_until, now + seconds)


class LocalBucket:
    """GCRA: `burst` calls at once, then one every `interval` seconds."""

    def __init__(self):
        self.tat = 0.0

    def wait(self, interval: float, burst: int, now: float) -> float:
        return max(max(self.tat, now) - now - (burst - 1) * interval, 0.0)

    def take(self, interval: float, now: float) -> None:
        self.tat = max(self.tat, now) + interval


@dataclass
class _Team:
    starts: LocalWindow
    stops: LocalWindow
    appends: LocalWindow
    bucket: LocalBucket

    @classmethod
    def new(cls, span: float = SPAN) -> "_Team":
        return cls(LocalWindow(span), LocalWindow(span), LocalWindow(span), LocalBucket())
