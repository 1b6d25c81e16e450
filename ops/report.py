"""`python bot.py --usage`: the usage and cost table of this month and the last, per channel."""
from __future__ import annotations

import os
import sys

from seo.table import format_table

from .usage import HEADERS, UsageStore, table_rows


async def print_usage() -> int:
    url = os.environ.get("REDIS_URL")
    if not url:
        print("REDIS_URL n’est pas défini : en mémoire, l’utilisation n’est pas conservée d’un lancement à "
              "l’autre, il n’y a rien à afficher.", file=sys.stderr)
        return 2
    from jobs.kv import RedisKV

    from jobs.settings import BotSettings

    settings = BotSettings.from_env()
    kv = RedisKV(url)
    tables = []
    try:
        tenants = [None]
        if settings.oauth:  # several workspaces: one table each (their keys are apart)
            from tenancy.kv import TenantKV

            tenants = await _installed(kv, settings.client_id)
            kv = TenantKV(kv)
        store = UsageStore(kv, settings.retention_days)
        try:
            for tenant in tenants:
                tables.append((tenant, await _summary(store, tenant)))
        except Exception as exc:  # Redis down or refused
            print(f"Redis injoignable ({type(exc).__name__}) : vérifiez REDIS_URL.", file=sys.stderr)
            return 3
    finally:
        await kv.close()
    if not tables:
        print("Aucun espace de travail n’a installé l’application.")
    for tenant, summary in tables:
        if tenant is not None:
            print(f"\nEspace de travail {tenant.key}")
        print(format_table(HEADERS, table_rows(summary)))
    if not store.prices.configured and not any(m["total"]["costs"] for _, summary in tables for m in summary):
        print("\nCoût : définissez SEO_PRICE_INPUT_PER_MTOK et SEO_PRICE_OUTPUT_PER_MTOK pour le calculer.")
    return 0


async def _installed(kv, client_id: str) -> list:
    """The tenants with an installed bot (the installation store's keys)."""
    from tenancy.context import Tenant

    out = []
    prefix = f"seo:install:{client_id}:bot:"
    async for key in kv.redis.scan_iter(match=f"{prefix}*", count=500):
        enterprise, team = (None if x == "-" else x for x in key.removeprefix(prefix).split(":", 1))
        out.append(Tenant(team, enterprise, is_enterprise_install=team is None))
    return sorted(out, key=lambda t: t.key)


async def _summary(store: UsageStore, tenant) -> list[dict]:
    from tenancy.context import acting_for

    with acting_for(tenant):
        return await store.summary(None)
