"""Cost from SEO_PRICE_* and the per-channel-month usage store (memory backend; Redis in e2e)."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from jobs.kv import MemoryKV
from ops.usage import DAY, UsageStore, VersionUsage, month_of, previous_month
from seo.pricing import Prices, format_cost


def test_cost_bills_cached_prompt_tokens_at_their_own_price(monkeypatch):
    p = Prices(input_per_mtok=2.0, cached_input_per_mtok=0.5, output_per_mtok=8.0)
    # 1 000 000 prompt tokens of which 400 000 cached, 100 000 completion tokens.
    assert p.cost(1_000_000, 400_000, 100_000) == pytest.approx(0.6 * 2 + 0.4 * 0.5 + 0.1 * 8)
    no_cache_price = Prices(input_per_mtok=2.0, output_per_mtok=8.0)
    assert no_cache_price.cost(1_000_000, 400_000, 0) == pytest.approx(2.0)  # cached at the input price
    assert Prices(input_per_mtok=2.0).cost(10, 0, 10) is None  # no output price: no cost, tokens only
    assert p.cost(100, 500, 0) == pytest.approx(100 * 0.5 / 1e6)  # never more cached than prompt
    for env, expected in (({"SEO_PRICE_INPUT_PER_MTOK": "0,15", "SEO_PRICE_OUTPUT_PER_MTOK": "0.6"},
                           Prices(0.15, None, 0.6, "USD")),
                          ({"SEO_PRICE_INPUT_PER_MTOK": "1", "SEO_PRICE_OUTPUT_PER_MTOK": "2",
                            "SEO_PRICE_CACHED_INPUT_PER_MTOK": "0.1", "SEO_PRICE_CURRENCY": "eur"},
                           Prices(1.0, 0.1, 2.0, "EUR"))):
        for k in ("SEO_PRICE_INPUT_PER_MTOK", "SEO_PRICE_OUTPUT_PER_MTOK", "SEO_PRICE_CACHED_INPUT_PER_MTOK",
                  "SEO_PRICE_CURRENCY"):
            monkeypatch.delenv(k, raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert Prices.from_env() == expected


def test_costs_read_in_french():
    assert format_cost(0.01234, "USD") == "0,0123\u00a0USD"
    assert format_cost(1234.5, "EUR") == "1\u202f234,50\u00a0EUR"
    assert format_cost(None, "USD") == "—"


def test_months_roll_over_the_year():
    assert previous_month("2027-01") == "2026-12" and previous_month("2026-10") == "2026-09"
    assert month_of(datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc).timestamp()) == "2026-12"


def test_a_month_is_kept_until_the_end_of_the_next_one_and_at_least_the_retention():
    store = UsageStore(MemoryKV(), retention_days=30, prices=Prices())
    this = month_of()
    assert store._month_ttl(this) >= 30 * DAY
    import time

    from ops.usage import _end_of_next_month
    # Shown as "last month" until the next one ends, whatever SEO_RETENTION_DAYS says.
    assert time.time() + store._month_ttl(this) > _end_of_next_month(this)
    assert time.time() + store._month_ttl(previous_month(this)) > _end_of_next_month(previous_month(this))
    long = UsageStore(MemoryKV(), retention_days=400, prices=Prices())
    assert long._month_ttl(this) == pytest.approx(400 * DAY)


def test_versions_add_up_per_channel_and_month_with_one_cost_per_currency():
    async def run():
        store = UsageStore(MemoryKV(), 30, Prices(1.0, 0.5, 2.0, "USD"))
        now = datetime(2026, 12, 2, tzinfo=timezone.utc).timestamp()
        last = datetime(2026, 11, 20, tzinfo=timezone.utc).timestamp()
        await store.record_version("C1", article_id="a", version=1, kind="rewrite", when=now,
                                   usage=VersionUsage(1, 1000, 200, 500, 2.0, 0))
        await store.record_version("C1", article_id="a", version=2, kind="revise", when=now,
                                   usage=VersionUsage(2, 3000, 1000, 800, 4.0, 1), fidelity_issues=2)
        await store.record_version("C1", article_id="b", version=1, kind="rewrite", when=now,
                                   usage=VersionUsage(3, 3000, 0, 900, 6.0, 2, cost=0.01, currency="EUR"))
        await store.record_version("C2", article_id="c", version=1, kind="regenerate", when=last,
                                   usage=VersionUsage(1, 1000, 0, 500, 1.0, 0))
        assert (await store.version_usage("a", 2)).cost == pytest.approx((2000 + 500 + 1600) / 1e6)
        return await store.summary(None, now=now)

    this, last = asyncio.run(run())
    assert this["month"] == "2026-12" and last["month"] == "2026-11"
    t = this["total"]
    assert (t["articles"], t["versions"], t["llm_calls"]) == (2, 3, 6)
    assert t["first_pass_rate"] == 0.5 and t["calls_per_article"] == 3.0  # revisions are not first drafts
    assert t["counts"]["fidelity_issues"] == 2
    assert set(t["costs"]) == {"USD", "EUR"} and t["costs"]["EUR"] == pytest.approx(0.01)
    assert [r["channel"] for r in last["channels"]] == ["C2"] and last["total"]["first_pass_rate"] == 1.0
