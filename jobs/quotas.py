"""Quotas: how many jobs one person and one channel may have in flight, and start per minute.

A job is in flight from its admission (web side, before it is enqueued) until it is over for good
(the worker's FairShare releases it; an entry left by a crash expires after twice the job timeout).
Admission checks the four limits at once, atomically, and admits the job to none of them when one
is full: nothing is enqueued. The same job id admitted twice (a Slack retry) counts once.
"""
from __future__ import annotations

import time
from enum import Enum

from .kv import KV
from .settings import BotSettings

MINUTE = 60.0


class Limit(str, Enum):
    USER = "user"  # jobs in flight for one person
    CHANNEL = "channel"  # jobs in flight in one channel
    USER_RATE = "user_rate"  # jobs started by one person in the last minute
    CHANNEL_RATE = "channel_rate"  # jobs started in one channel in the last minute


class Quotas:
    def __init__(self, kv: KV, settings: BotSettings):
        self.kv = kv
        self.settings = settings

    def limit(self, which: Limit) -> int:
        s = self.settings
        return {Limit.USER: s.max_jobs_per_user, Limit.CHANNEL: s.max_jobs_per_channel,
                Limit.USER_RATE: s.max_jobs_per_user_per_minute,
                Limit.CHANNEL_RATE: s.max_jobs_per_channel_per_minute}[which]

    def _sets(self, user: str, channel: str) -> list[tuple[Limit, str, float]]:
        in_flight = 2.0 * self.settings.job_timeout
        return [(Limit.USER, f"quota:run:user:{user}", in_flight),
                (Limit.CHANNEL, f"quota:run:channel:{channel}", in_flight),
                (Limit.USER_RATE, f"quota:rate:user:{user}", MINUTE),
                (Limit.CHANNEL_RATE, f"quota:rate:channel:{channel}", MINUTE)]

    async def admit(self, job_id: str, *, user: str, channel: str, dry_run: bool = False) -> Limit | None:
        """None when admitted (or, with dry_run, when it would be); else the limit that is reached."""
        sets = self._sets(user, channel)
        full = await self.kv.admit([(key, self.limit(which), ttl) for which, key, ttl in sets], job_id,
                                   time.time(), dry_run=dry_run)
        return sets[full - 1][0] if full else None

    async def release(self, job_id: str, *, user: str, channel: str) -> None:
        """The job is over: it no longer counts as in flight (it still counts in the minute's rate)."""
        await self.kv.release([key for which, key, _ in self._sets(user, channel)
                               if which in (Limit.USER, Limit.CHANNEL)], job_id)
