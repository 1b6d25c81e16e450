"""An installation's end: app_uninstalled, or tokens_revoked for the bot. The installation is
deleted, the team's queued jobs are cancelled (nothing posted), its data purged."""
from __future__ import annotations

import logging

from .context import Tenant, acting_for
from .jobs import tenant_of

log = logging.getLogger(__name__)


class Lifecycle:
    def __init__(self, store, tokens, kv, queue):
        self.store, self.tokens, self.kv, self.queue = store, tokens, kv, queue

    async def uninstall(self, tenant: Tenant) -> dict:
        team = None if tenant.is_enterprise_install else tenant.team_id
        await self.store.async_delete_all(enterprise_id=tenant.enterprise_id, team_id=team)
        self.tokens.forget(tenant)
        cancel = getattr(self.queue, "cancel_where", None)
        cancelled = await cancel(lambda spec: tenant_of(spec) is not None and tenant_of(spec).key == tenant.key) \
            if cancel else 0
        with acting_for(None):
            purged = await self.kv.purge(tenant)
        log.info("app removed from %s: installation deleted, %d queued jobs cancelled, %d keys purged",
                 tenant, cancelled, purged)
        return {"cancelled": cancelled, "purged": purged}

    async def revoke_users(self, tenant: Tenant, user_ids: list[str]) -> None:
        team = None if tenant.is_enterprise_install else tenant.team_id
        for user_id in user_ids:
            await self.store.async_delete_installation(enterprise_id=tenant.enterprise_id, team_id=team,
                                                       user_id=user_id)
