"""Per-team keys: a KV wrapper that puts the current tenant in every key (OAuth mode only).

Everything the bot keeps goes through jobs.kv (articles, versions, threads, locks, dedupe marks,
channel settings, quotas, usage, App Home lists): under `TenantKV`, a key `settings:C1` written
while acting for team T1 is `seo:t:T1:settings:C1`, so two workspaces with a channel of the same
id never meet. Outside any tenant (health checks), keys stay as they are. Single-workspace mode
does not use this wrapper: its keys are unchanged.
"""
from __future__ import annotations

from .context import Tenant, current

TENANT_PREFIX = "t:"


def tenant_prefix(tenant: Tenant) -> str:
    return f"{TENANT_PREFIX}{tenant.key}:"


class TenantKV:
    _KEYED = ("get", "set", "set_nx", "delete", "extend", "incr", "push_recent", "recent", "add_counts",
              "counts", "hset", "hgetall")

    def __init__(self, kv):
        self.inner = kv

    @staticmethod
    def _key(key: str) -> str:
        tenant = current()
        return tenant_prefix(tenant) + key if tenant is not None else key

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name not in self._KEYED:
            return attr

        async def keyed(key, *args, **kwargs):
            return await attr(self._key(key), *args, **kwargs)

        return keyed

    async def admit(self, sets, member, now, *, dry_run=False):
        return await self.inner.admit([(self._key(k), limit, ttl) for k, limit, ttl in sets], member, now,
                                      dry_run=dry_run)

    async def release(self, keys, member):
        return await self.inner.release([self._key(k) for k in keys], member)

    async def purge(self, tenant: Tenant) -> int:
        """Deletes every key of `tenant` (after an uninstall). Returns how many."""
        from jobs.kv import PREFIX

        redis = getattr(self.inner, "redis", None)
        if redis is None:  # memory backend
            data = getattr(self.inner, "_data", {})
            doomed = [k for k in data if k.startswith(tenant_prefix(tenant))]
            for k in doomed:
                del data[k]
            return len(doomed)
        n = 0
        batch: list[str] = []
        async for key in redis.scan_iter(match=f"{PREFIX}{tenant_prefix(tenant)}*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                n += await redis.unlink(*batch)
                batch.clear()
        if batch:
            n += await redis.unlink(*batch)
        return n
