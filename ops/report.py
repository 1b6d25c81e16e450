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

    kv = RedisKV(url)
    try:
        from jobs.settings import BotSettings

        store = UsageStore(kv, BotSettings.from_env().retention_days)
        try:
            summary = await store.summary(None)
        except Exception as exc:  # Redis down or refused
            print(f"Redis injoignable ({type(exc).__name__}) : vérifiez REDIS_URL.", file=sys.stderr)
            return 3
    finally:
        await kv.close()
    print(format_table(HEADERS, table_rows(summary)))
    if not store.prices.configured and not any(m["total"]["costs"] for m in summary):
        print("\nCoût : définissez SEO_PRICE_INPUT_PER_MTOK et SEO_PRICE_OUTPUT_PER_MTOK pour le calculer.")
    return 0
