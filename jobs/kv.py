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
    async def set(self, key: str, value: str, ttl: float) -> None: ...
    async def set_nx(self, key: str, value: str, ttl: float) -> bool: ...
    async def delete(self, key: str, *, if_value: str | None = None) -> bool: ...
    async def extend(self, key: str, value: str, ttl: float) -> bool: ...
    async def incr(self, key: str, ttl: float) -> int: ...
    async def push_recent(self, key: str, value: str, keep: int, ttl: float) -> None: ...
    async def recent(self, key: str, count: int) -> list[str]: ...
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
            retry_on_error=[RConnErr, RTimeout],
        )
        self._delete_if = self.redis.register_script(_DELETE_IF)
        self._extend_if = self.redis.register_script(_EXTEND_IF)

    async def get(self, key):
        return await self.redis.get(PREFIX + key)

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

    def __init__(self) -> None:
        self._data: dict[str, tuple[object, float]] = {}
        self._lock = asyncio.Lock()

    def _live(self, key):
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires < time.monotonic():
            del self._data[key]
            return None
        return value

    async def get(self, key):
        value = self._live(key)
        return value if isinstance(value, str) or value is None else None

    async def set(self, key, value, ttl):
        self._data[key] = (value, time.monotonic() + ttl)

    async def set_nx(self, key, value, ttl):
        async with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, time.monotonic() + ttl)
            return True

    async def delete(self, key, *, if_value=None):
        if self._live(key) is None or (if_value is not None and self._live(key) != if_value):
            return False
        del self._data[key]
        return True

    async def extend(self, key, value, ttl):
        if self._live(key) != value:
            return False
        self._data[key] = (value, time.monotonic() + ttl)
        return True

    async def incr(self, key, ttl):
        async with self._lock:
            value = int(self._live(key) or 0) + 1
            self._data[key] = (str(value), time.monotonic() + ttl)
            return value

    async def push_recent(self, key, value, keep, ttl):
        items = list(self._live(key) or [])
        items.insert(0, value)
        self._data[key] = (items[:keep], time.monotonic() + ttl)

    async def recent(self, key, count):
        return list(self._live(key) or [])[:count]

    async def hset(self, key, field, value, ttl):
        items = dict(self._live(key) or {})
        items[field] = value
        self._data[key] = (items, time.monotonic() + ttl)

    async def hgetall(self, key):
        value = self._live(key)
        return dict(value) if isinstance(value, dict) else {}

    async def ping(self):
        return None

    async def close(self):
        return None
