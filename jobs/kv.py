"""A tiny key-value interface with two backends: Redis (durable) and memory (try-out).

Everything the bot keeps (dedupe marks, locks, versions, thread state, settings)
goes through these few operations, so both backends behave alike. Every key is
namespaced under `seo:` and every write has a TTL, so nothing grows forever.
"""
from __future__ import annotations

import asyncio
import time
from typing import Protocol

PREFIX = "seo:"


class KV(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def mget(self, keys: list[str]) -> list[str | None]: ...
    async def set(self, key: str, value: str, ttl: float) -> None: ...
    async def set_nx(self, key: str, value: str, ttl: float) -> bool: ...
    async def delete(self, key: str, *, if_value: str | None = None) -> bool: ...
    async def extend(self, key: str, value: str, ttl: float) -> bool: ...
    async def ttl(self, key: str) -> float | None: ...  # seconds left; None: no such key
    async def incr(self, key: str, ttl: float) -> int: ...
    async def push_recent(self, key: str, value: str, keep: int, ttl: float) -> None: ...
    async def recent(self, key: str, count: int) -> list[str]: ...
    async def add_counts(self, key: str, counts: dict[str, int], ttl: float) -> None: ...
    async def counts(self, key: str) -> dict[str, int]: ...
    async def admit(self, sets: list[tuple[str, int, float]], member: str, now: float, *,
                    dry_run: bool = False) -> int: ...
    async def release(self, keys: list[str], member: str) -> None: ...
    async def hset(self, key: str, field: str, value: str, ttl: float) -> None: ...
    async def hgetall(self, key: str) -> dict[str, str]: ...
    async def ping(self) -> None: ...
    async def close(self) -> None: ...


_EXTEND_IF = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end
"""

_DELETE_IF = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end
"""

# Expiring sets with a size limit (quotas): members expire at their score. Returns 0 when `member` is
# admitted to every set (already in one counts as admitted there), else the 1-based index of the first
# full set, and then adds it nowhere.
_ADMIT = """
local now, member, dry = tonumber(ARGV[1]), ARGV[2], ARGV[3] == '1'
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  local limit = tonumber(ARGV[2 + 2 * i])
  if limit > 0 and not redis.call('ZSCORE', KEYS[i], member) and redis.call('ZCARD', KEYS[i]) >= limit then
    return i
  end
end
if dry then return 0 end
for i = 1, #KEYS do
  local ttl = tonumber(ARGV[3 + 2 * i])
  redis.call('ZADD', KEYS[i], now + ttl, member)
  redis.call('PEXPIRE', KEYS[i], math.ceil(ttl * 1000))
end
return 0
"""


def driver_info():
    """redis-py's client identity, resolved once: left to it, every new pooled connection looked its
    version up in the installed packages' metadata (0.3 ms each, 50 of them under a burst)."""
    global _DRIVER_INFO
    if _DRIVER_INFO is None:
        from redis.driver_info import DriverInfo
        from redis.utils import get_lib_version

        _DRIVER_INFO = DriverInfo(lib_version=get_lib_version())
    return _DRIVER_INFO


_DRIVER_INFO = None


class RedisKV:
    def __init__(self, url: str):
        import redis.asyncio as aioredis
        from redis.asyncio.retry import Retry
        from redis.backoff import ExponentialBackoff
        from redis.exceptions import ConnectionError as RConnErr
        from redis.exceptions import TimeoutError as RTimeout

        self.redis = aioredis.Redis.from_url(
            url, decode_responses=True, socket_timeout=5, socket_connect_timeout=2, max_connections=1000,
            health_check_interval=10, retry=Retry(ExponentialBackoff(cap=1, base=0.05), 3),
            retry_on_error=[RConnErr, RTimeout], driver_info=driver_info(),
        )
        self._delete_if = self.redis.register_script(_DELETE_IF)
        self._extend_if = self.redis.register_script(_EXTEND_IF)
        self._admit = self.redis.register_script(_ADMIT)

    async def get(self, key):
        return await self.redis.get(PREFIX + key)

    async def mget(self, keys):
        return await self.redis.mget([PREFIX + k for k in keys]) if keys else []

    async def set(self, key, value, ttl):
        await self.redis.set(PREFIX + key, value, px=int(ttl * 1000))

    async def set_nx(self, key, value, ttl):
        return bool(await self.redis.set(PREFIX + key, value, px=int(ttl * 1000), nx=True))

    async def delete(self, key, *, if_value=None):
        if if_value is None:
            return bool(await self.redis.delete(PREFIX + key))
        return bool(await self._delete_if(keys=[PREFIX + key], args=[if_value]))

    async def extend(self, key, value, ttl):
        return bool(await self._extend_if(keys=[PREFIX + key], args=[value, int(ttl * 1000)]))

    async def ttl(self, key):
        ms = await self.redis.pttl(PREFIX + key)
        return ms / 1000 if ms is not None and ms >= 0 else None

    async def incr(self, key, ttl):
        async with self.redis.pipeline(transaction=True) as pipe:
            value, _ = await pipe.incr(PREFIX + key).pexpire(PREFIX + key, int(ttl * 1000)).execute()
        return int(value)

    async def push_recent(self, key, value, keep, ttl):
        async with self.redis.pipeline(transaction=True) as pipe:
            await (pipe.lpush(PREFIX + key, value).ltrim(PREFIX + key, 0, keep - 1)
                   .pexpire(PREFIX + key, int(ttl * 1000)).execute())

    async def recent(self, key, count):
        return await self.redis.lrange(PREFIX + key, 0, count - 1)

    async def add_counts(self, key, counts, ttl):
        async with self.redis.pipeline(transaction=True) as pipe:
            for field, n in counts.items():
                pipe.hincrby(PREFIX + key, field, int(n))
            await pipe.pexpire(PREFIX + key, int(ttl * 1000)).execute()

    async def counts(self, key):
        return {k: int(v) for k, v in (await self.redis.hgetall(PREFIX + key)).items()}

    async def admit(self, sets, member, now, *, dry_run=False):
        args = [now, member, "1" if dry_run else "0"]
        for _, limit, ttl in sets:
            args += [int(limit), ttl]
        return int(await self._admit(keys=[PREFIX + k for k, _, _ in sets], args=args))

    async def release(self, keys, member):
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.zrem(PREFIX + key, member)
            await pipe.execute()

    async def hset(self, key, field, value, ttl):
        async with self.redis.pipeline(transaction=True) as pipe:
            await pipe.hset(PREFIX + key, field, value).pexpire(PREFIX + key, int(ttl * 1000)).execute()

    async def hgetall(self, key):
        return await self.redis.hgetall(PREFIX + key)

    async def ping(self):
        await self.redis.ping()

    async def close(self):
        await self.redis.aclose()


class MemoryKV:
    """In-process stand-in when REDIS_URL is unset: nothing survives a restart."""

    SWEEP_EVERY = 60.0  # seconds between sweeps of expired keys

    def __init__(self, clock=time.monotonic) -> None:
        self._data: dict[str, tuple[object, float]] = {}
        self._lock = asyncio.Lock()
        self._clock = clock
        self._next_sweep = clock() + self.SWEEP_EVERY

    def _sweep(self) -> None:
        """Expired keys are dropped when read, and here, on writes, once a minute: keys never read
        again (dedupe marks, finished jobs' records) would otherwise stay until the process ends."""
        now = self._clock()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.SWEEP_EVERY
        for key in [k for k, (_, expires) in self._data.items() if expires < now]:
            del self._data[key]

    def __len__(self) -> int:
        return len(self._data)

    def _live(self, key):
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires < self._clock():
            del self._data[key]
            return None
        return value

    async def get(self, key):
        value = self._live(key)
        return value if isinstance(value, str) or value is None else None

    async def mget(self, keys):
        return [await self.get(k) for k in keys]

    async def set(self, key, value, ttl):
        self._sweep()
        self._data[key] = (value, self._clock() + ttl)

    async def set_nx(self, key, value, ttl):
        self._sweep()
        async with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, self._clock() + ttl)
            return True

    async def delete(self, key, *, if_value=None):
        if self._live(key) is None or (if_value is not None and self._live(key) != if_value):
            return False
        del self._data[key]
        return True

    async def extend(self, key, value, ttl):
        if self._live(key) != value:
            return False
        self._data[key] = (value, self._clock() + ttl)
        return True

    async def ttl(self, key):
        if self._live(key) is None:
            return None
        return max(self._data[key][1] - self._clock(), 0.0)

    async def incr(self, key, ttl):
        async with self._lock:
            value = int(self._live(key) or 0) + 1
            self._data[key] = (str(value), self._clock() + ttl)
            return value

    async def push_recent(self, key, value, keep, ttl):
        items = list(self._live(key) or [])
        items.insert(0, value)
        self._data[key] = (items[:keep], self._clock() + ttl)

    async def recent(self, key, count):
        return list(self._live(key) or [])[:count]

    async def add_counts(self, key, counts, ttl):
        async with self._lock:
            current = dict(self._live(key) or {})
            for field, n in counts.items():
                current[field] = current.get(field, 0) + int(n)
            self._data[key] = (current, self._clock() + ttl)

    async def counts(self, key):
        value = self._live(key)
        return dict(value) if isinstance(value, dict) else {}

    async def admit(self, sets, member, now, *, dry_run=False):
        async with self._lock:
            live = []
            for i, (key, limit, _) in enumerate(sets, 1):
                members = {m: t for m, t in (self._live(key) or {}).items() if t > now}
                if limit > 0 and member not in members and len(members) >= limit:
                    return i
                live.append(members)
            if dry_run:
                return 0
            for (key, _, ttl), members in zip(sets, live):
                members[member] = now + ttl
                self._data[key] = (members, self._clock() + ttl)
            return 0

    async def release(self, keys, member):
        for key in keys:
            members = self._live(key)
            if isinstance(members, dict):
                members.pop(member, None)

    async def hset(self, key, field, value, ttl):
        items = dict(self._live(key) or {})
        items[field] = value
        self._data[key] = (items, self._clock() + ttl)

    async def hgetall(self, key):
        value = self._live(key)
        return dict(value) if isinstance(value, dict) else {}

    async def ping(self):
        return None

    async def close(self):
        return None
