"""Slack's budgets shared by every worker process, per workspace (team) and per method, in Redis.

Held per team:
- chat.startStream / chat.stopStream (Tier 2, about 20 a minute each): a stream is admitted only
  when its start and its stop both fit; the stop stays reserved (for at most a stream's lifetime)
  until it is made or given back, so no 60 s window ever holds more starts or stops than the budget;
- chat.appendStream (Tier 4, about 100 a minute): a sliding window, smoothed by a GCRA bucket (a
  small burst, then a steady rate);
- chat.postMessage: about one a second per channel, with a small burst (GCRA);
- `ratelimited` answers: the method is paused for every worker for its Retry-After.

Each check is one Lua script (atomic), timed by Redis's own clock (TIME), so workers on several
machines agree whatever their clocks say. Scripts rather than the `limits` library: a stream needs
two windows checked and a reservation taken in one atomic step, reservations that expire, shared
pauses and Redis's clock; `limits` has none of that (its moving window is timed by the caller).

When Redis does not answer, a worker does not stop: it counts locally, within a conservative
share of each budget (budget / number of live workers last seen; workers register a heartbeat).
Its own calls are always mirrored locally, so its share counts what it did just before the outage,
and the calls made during the outage are written back to Redis once it answers again. Without
REDIS_URL (one process) the local count has the whole budget.
"""
from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
import time
import uuid
from collections import Counter

from .local import RESERVATION_TTL, SPAN, LocalBucket, _Team
from .scripts import _ADMIT, _HEARTBEAT, _PAUSE, _SLOT, _STOP

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = 5.0
HEARTBEAT_TTL = 15.0            # a worker not seen for this long is no longer counted
REDIS_RETRY_AFTER = 1.0         # after a Redis failure, count locally for this long before retrying
UNKNOWN_WORKERS = 10            # never reached Redis yet: assume this many workers share the budgets
POST_INTERVAL = 1.0             # chat.postMessage: one a second per channel…
POST_BURST = 3                  # …after a burst of this many
MAX_POLL = 1.0                  # a waiting call asks again at least this often
DEFAULT_TEAM = "-"


def _id() -> str:
    return uuid.uuid4().hex[:16]


class SlackBudgets:
    """Every worker's view of the per-team Slack budgets (see the module docstring)."""

    def __init__(self, redis_url: str | None, *, appends_per_min: int = 100, starts_per_min: int = 20,
                 stops_per_min: int | None = None, post_interval: float = POST_INTERVAL,
                 post_burst: int = POST_BURST, prefix: str = "seo:lim:", worker_id: str | None = None,
                 redis_timeout: float = 0.5, span: float = SPAN, reservation_ttl: float = RESERVATION_TTL):
        self.span = span
        self.reservation_ttl = reservation_ttl
        self.appends_per_min = appends_per_min
        self.starts_per_min = starts_per_min
        self.stops_per_min = stops_per_min or starts_per_min
        self.post_interval = post_interval
        self.post_burst = post_burst
        self.prefix = prefix
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{_id()[:6]}"
        # Appends: a small burst, then a steady rate, within the window's limit.
        self.append_burst = max(1, min(10, appends_per_min // 10))
        self.append_interval = span / max(appends_per_min - self.append_burst, 1)
        self.workers_seen: int | None = None if redis_url else 1
        self.stats: Counter = Counter()
        self._teams: dict[str, _Team] = {}
        self._posts: dict[tuple[str, str], LocalBucket] = {}
        self._fifo: dict[str, asyncio.Lock] = {}
        self._unsynced: list[tuple[str, str, float, str]] = []  # (team, window, monotonic, id)
        self._down_until = 0.0
        self._down_logged = False
        self._heartbeat: asyncio.Task | None = None
        self.redis = None
        if redis_url:
            import redis.asyncio as aioredis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            # Fail fast: a budget check never waits long on an unreachable Redis (no retries; the
            # next check tries again after REDIS_RETRY_AFTER).
            # A blocking pool: a burst of streams waits for a connection rather than failing over.
            pool = aioredis.BlockingConnectionPool.from_url(
                redis_url, decode_responses=True, socket_timeout=redis_timeout,
                socket_connect_timeout=redis_timeout, retry=Retry(NoBackoff(), 0), max_connections=50, timeout=5)
            self.redis = aioredis.Redis(connection_pool=pool)
            self._scripts = {name: self.redis.register_script(src) for name, src in (
                ("admit", _ADMIT), ("stop", _STOP), ("slot", _SLOT), ("pause", _PAUSE),
                ("heartbeat", _HEARTBEAT))}

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Register this worker (heartbeat), so that every worker knows its fallback share."""
        if self.redis is not None and self._heartbeat is None:
            await self._beat()
            self._heartbeat = asyncio.create_task(self._beat_forever())

    async def close(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)
            self._heartbeat = None
        if self.redis is not None:
            try:
                await self.redis.zrem(self._key("workers"), self.worker_id)
            except Exception:  # noqa: BLE001 - leaving anyway; the entry expires
                pass
            await self.redis.aclose()
            await self.redis.connection_pool.disconnect()

    async def _beat(self) -> None:
        n = await self._call("heartbeat", [self._key("workers")], [self.worker_id, int(HEARTBEAT_TTL * 1000)])
        if n is not None:
            self.workers_seen = max(int(n), 1)

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_EVERY)
            await self._beat()

    # -- keys, Redis calls, fallback ---------------------------------------------------------
    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def _tkey(self, team: str, *parts: str) -> str:
        return self._key("{" + team + "}", *parts)  # one hash slot per team (Redis Cluster)

    def _team(self, team: str) -> _Team:
        t = self._teams.get(team)
        if t is None:
            t = self._teams[team] = _Team.new(self.span)
        return t

    def share(self, limit: int) -> int:
        """This worker's local share of a budget while Redis does not answer."""
        return limit // (self.workers_seen or UNKNOWN_WORKERS) if self.redis is not None else limit

    @property
    def _workers(self) -> int:
        return 1 if self.redis is None else (self.workers_seen or UNKNOWN_WORKERS)

    async def _call(self, script: str, keys: list[str], args: list):
        """A script's answer, or None when Redis does not answer (then: count locally)."""
        if self.redis is None or time.monotonic() < self._down_until:
            self.stats["local"] += 1
            return None
        try:
            out = await self._scripts[script](keys=keys, args=args)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - connection refused, timeout, Redis loading…
            self.stats["redis_errors"] += 1
            self.stats["local"] += 1
            self._down_until = time.monotonic() + REDIS_RETRY_AFTER
            if not self._down_logged:
                self._down_logged = True
                log.warning("Redis unreachable for Slack budgets (%s): counting locally, 1/%d of each budget",
                            type(exc).__name__, self._workers)
            return None
        self.stats["redis"] += 1
        if self._down_logged:
            self._down_logged = False
            log.info("Redis answers again: Slack budgets shared again")
        if self._unsynced:
            await self._sync()
        return out

    def _later(self, team: str, kind: str, now: float, cid: str | None) -> None:
        """Remember a call counted locally, for Redis once it answers again."""
        if self.redis is not None and cid:
            self._unsynced.append((team, kind, now, cid))

    async def _sync(self) -> None:
        """Write back what was counted locally while Redis did not answer: calls ("start",
        "stop", "append"), reservations taken ("reserve") and given back or used ("unreserve")."""
        pending, self._unsynced = self._unsynced, []
        try:
            sec, usec = await self.redis.time()
            server = sec * 1000 + usec / 1000
            now = time.monotonic()
            pipe = self.redis.pipeline(transaction=False)
            for team, kind, at, cid in pending:
                age = (now - at) * 1000
                if kind == "reserve":
                    if age < self.reservation_ttl * 1000:
                        pipe.zadd(self._tkey(team, "stop", "reserved"), {cid: server - age + self.reservation_ttl * 1000})
                elif kind == "unreserve":
                    pipe.zrem(self._tkey(team, "stop", "reserved"), cid)
                elif age < self.span * 1000:
                    pipe.zadd(self._tkey(team, kind), {cid: server - age})
                    pipe.pexpire(self._tkey(team, kind), int(self.span * 1000))
            await pipe.execute()
            self.stats["synced"] += len(pending)
        except Exception:  # noqa: BLE001 - best effort; they age out of the window anyway
            self.stats["redis_errors"] += 1

    # -- streams: start and stop -------------------------------------------------------------
    async def admit_stream(self, team: str | None) -> str | None:
        """Take a start and reserve its stop, if both fit: the reservation's id, or None (the
        article is then posted whole, at once, never held waiting)."""
        team = team or DEFAULT_TEAM
        rid = _id()
        t = self._team(team)
        out = await self._call("admit", [self._tkey(team, "start"), self._tkey(team, "stop"),
                                         self._tkey(team, "stop", "reserved"), self._tkey(team, "pause", "start"),
                                         self._tkey(team, "pause", "stop")],
                               [self.starts_per_min, self.stops_per_min, int(self.span * 1000), rid,
                                int(self.reservation_ttl * 1000)])
        now = time.monotonic()
        if out is not None:
            if int(out[0]) != 1:
                return None
        elif (t.starts.room(self.share(self.starts_per_min), now) < 1
              or t.stops.room(self.share(self.stops_per_min), now) < 1):
            return None
        else:
            self._later(team, "start", now, _id())
            self._later(team, "reserve", now, rid)
        t.starts.take(now)
        t.stops.reserve(rid, now, self.reservation_ttl)
        return rid

    async def start_slot(self, team: str | None) -> bool:
        """One more chat.startStream for an admitted stream (its first one was refused for its
        form): True if it fits; the stream's stop is reserved already."""
        team = team or DEFAULT_TEAM
        t = self._team(team)
        cid = _id()
        out = await self._call("slot", [self._tkey(team, "start"), self._tkey(team, "start", "tat"),
                                        self._tkey(team, "pause", "start")],
                               [self.starts_per_min, int(self.span * 1000), 0, 1, cid])
        now = time.monotonic()
        if out is not None:
            if int(out) > 0:
                return False
        elif t.starts.room(self.share(self.starts_per_min), now) < 1:
            return False
        else:
            self._later(team, "start", now, cid)
        t.starts.take(now)
        return True

    async def stop_slot(self, team: str | None, rid: str | None = None) -> bool:
        """Just before chat.stopStream: the stream's reserved stop (rid), or one more if it fits
        (a stream left open by a crashed run). False: no room, do not call."""
        team = team or DEFAULT_TEAM
        t = self._team(team)
        cid = _id()
        out = await self._call("stop", [self._tkey(team, "stop"), self._tkey(team, "stop", "reserved"),
                                        self._tkey(team, "pause", "stop")],
                               [self.stops_per_min, int(self.span * 1000), rid or "", cid])
        now = time.monotonic()
        if out is not None:
            if int(out) != 1:
                t.stops.release(rid)
                return False
            if not t.stops.use(rid, now):
                t.stops.take(now)
            return True
        if t.stops.use(rid, now):  # reserved (through Redis or locally): counted already
            self._later(team, "unreserve", now, rid)
            self._later(team, "stop", now, cid)
            return True
        if t.stops.room(self.share(self.stops_per_min), now) < 1:
            return False
        t.stops.take(now)
        self._later(team, "stop", now, cid)
        return True

    async def release_stop(self, team: str | None, rid: str | None) -> None:
        """A reserved stop that will not be made (the start failed, Slack closed the stream, the
        job stops here): back to the budget."""
        if not rid:
            return
        team = team or DEFAULT_TEAM
        self._team(team).stops.release(rid)
        if self.redis is None:
            return
        if time.monotonic() >= self._down_until:
            try:
                await self.redis.zrem(self._tkey(team, "stop", "reserved"), rid)
                return
            except Exception:  # noqa: BLE001 - given back once Redis answers
                self.stats["redis_errors"] += 1
                self._down_until = time.monotonic() + REDIS_RETRY_AFTER
        self._later(team, "unreserve", time.monotonic(), rid)

    # -- appends -----------------------------------------------------------------------------
    async def append_slot(self, team: str | None) -> None:
        """Wait until one more chat.appendStream fits this team's budget (first come, first served
        within this process; the wait is measured by Redis across processes)."""
        team = team or DEFAULT_TEAM
        lock = self._fifo.setdefault(team, asyncio.Lock())
        async with lock:
            while True:
                wait = await self._try_append(team)
                if wait <= 0:
                    return
                await asyncio.sleep(min(wait, MAX_POLL))

    async def _try_append(self, team: str) -> float:
        t = self._team(team)
        cid = _id()
        out = await self._call("slot", [self._tkey(team, "append"), self._tkey(team, "append", "tat"),
                                        self._tkey(team, "pause", "append")],
                               [self.appends_per_min, int(self.span * 1000), int(self.append_interval * 1000),
                                self.append_burst, cid])
        now = time.monotonic()
        if out is not None:
            if int(out) > 0:
                return int(out) / 1000
            t.appends.take(now)  # mirrored: this worker's own recent calls, for a later fallback
            t.bucket.take(self.append_interval, now)
            return 0.0
        n = self._workers
        limit = self.share(self.appends_per_min)
        if limit < 1:
            return MAX_POLL
        interval = self.append_interval * n
        burst = max(1, self.append_burst // n)
        wait = max(t.appends.wait(limit, now), t.bucket.wait(interval, burst, now))
        if wait > 0:
            return wait
        t.appends.take(now)
        t.bucket.take(interval, now)
        self._later(team, "append", now, cid)
        return 0.0

    # -- chat.postMessage, per channel -----------------------------------------
    async def post_slot(self, team: str | None, channel: str) -> None:
        """Wait until one more message may be posted or updated in this channel."""
        team = team or DEFAULT_TEAM
        while True:
            wait = await self._try_post(team, channel)
            if wait <= 0:
                return
            await asyncio.sleep(min(wait, MAX_POLL))

    async def _try_post(self, team: str, channel: str) -> float:
        out = await self._call("slot", [self._tkey(team, "post", channel, "w"), self._tkey(team, "post", channel),
                                        self._tkey(team, "pause", "post", channel)],
                               [0, 0, int(self.post_interval * 1000), self.post_burst, ""])
        if out is not None:
            return int(out) / 1000
        bucket = self._posts.setdefault((team, channel), LocalBucket())
        now = time.monotonic()
        n = self._workers
        interval, burst = self.post_interval * n, max(1, self.post_burst // n)
        wait = bucket.wait(interval, burst, now)
        if wait <= 0:
            bucket.take(interval, now)
        return wait

    # -- `ratelimited` -----------------------------------------------------------------------
    async def pause(self, team: str | None, method: str, seconds: float) -> None:
        """Slack answered `ratelimited` for `method` ("start", "stop", "append"): every worker
        waits its Retry-After."""
        team = team or DEFAULT_TEAM
        t = self._team(team)
        window = {"start": t.starts, "stop": t.stops, "append": t.appends}.get(method)
        if window is not None:
            window.pause(seconds, time.monotonic())
        await self._call("pause", [self._tkey(team, "pause", method)], [int(math.ceil(seconds * 1000))])


class TeamBudget:
    """One team's budgets, as a live stream sees them."""

    def __init__(self, budgets: SlackBudgets, team: str | None):
        self.budgets = budgets
        self.team = team or DEFAULT_TEAM

    async def admit_stream(self) -> str | None:
        return await self.budgets.admit_stream(self.team)

    async def append_slot(self) -> None:
        await self.budgets.append_slot(self.team)

    async def start_slot(self) -> bool:
        return await self.budgets.start_slot(self.team)

    async def stop_slot(self, rid: str | None = None) -> bool:
        return await self.budgets.stop_slot(self.team, rid)

    async def release_stop(self, rid: str | None) -> None:
        await self.budgets.release_stop(self.team, rid)

    async def pause(self, method: str, seconds: float) -> None:
        await self.budgets.pause(self.team, method, seconds)
