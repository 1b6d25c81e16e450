"""The in-memory store (no REDIS_URL) forgets expired keys even when nobody reads them again."""
import asyncio

from jobs.kv import MemoryKV


def test_expired_keys_are_swept_without_being_read():
    now = [1000.0]
    kv = MemoryKV(clock=lambda: now[0])

    async def scenario():
        for i in range(500):  # dedupe marks, job records: written once, never read again
            await kv.set_nx(f"dedupe:{i}", "1", 10)
        await kv.set("settings:C1", "{}", 3600)
        assert len(kv) == 501
        now[0] += MemoryKV.SWEEP_EVERY + 11
        await kv.set("dedupe:new", "1", 10)  # any write sweeps, at most once a minute
        assert len(kv) == 2
        assert await kv.get("settings:C1") == "{}"

    asyncio.run(scenario())
