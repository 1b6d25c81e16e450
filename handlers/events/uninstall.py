"""app_uninstalled and tokens_revoked (OAuth mode): the workspace's installation ends."""
from __future__ import annotations

import logging

from tenancy.bolt import tenant_of_context

from ..services import Services

log = logging.getLogger(__name__)


def register(app, svc: Services) -> None:
    if svc.tenancy is None:
        return
    lifecycle = svc.tenancy.lifecycle

    @app.event("app_uninstalled")
    async def uninstalled(ack, context) -> None:
        await ack()
        tenant = tenant_of_context(context)
        if tenant is not None:
            await lifecycle.uninstall(tenant)

    @app.event("tokens_revoked")
    async def revoked(ack, event, context) -> None:
        await ack()
        tenant = tenant_of_context(context)
        if tenant is None:
            return
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):  # without its bot token the app can do nothing there
            await lifecycle.uninstall(tenant)
        elif tokens.get("oauth"):
            await lifecycle.revoke_users(tenant, list(tokens["oauth"]))
