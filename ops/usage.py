"""Usage and cost: per version, and added up per channel and month (App Home, `bot.py --usage`).

Keys (under `seo:`, all with a TTL):
  usage:{aid}:v{k}          one version's usage: LLM calls, tokens, seconds, repairs, cost
  usage:{channel}:{YYYY-MM} a channel's month: counters (articles, versions, first drafts and
                            those that passed without a repair, LLM calls, tokens, seconds,
                            fidelity issues, cost in billionths per currency, 👍 / 👎)
  usage:channels:{YYYY-MM}  the channels that have a month key (for `--usage`)

Version keys live as long as articles (SEO_RETENTION_DAYS). Month keys hold counts only (no
text), and are kept at least that long and until the end of the following month, so that App
Home can show "last month" until it ends.
"""
from __future__ import annotations

import calendar
import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from jobs.kv import KV
from seo.pricing import Prices, format_cost

DAY = 86_400.0
NANO = 1_000_000_000
FIRST_DRAFT_KINDS = ("rewrite", "regenerate")  # drafts from scratch (the others revise a version)
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")


@dataclass
class VersionUsage:
    llm_calls: int = 0
    prompt_tokens: int = 0  # cached ones included, as OpenAI counts them
    cached_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    repairs: int = 0
    cost: float | None = None
    currency: str = "USD"


def month_of(ts: float | None = None) -> str:
    return datetime.fromtimestamp(ts if ts is not None else time.time(), tz=timezone.utc).strftime("%Y-%m")


def previous_month(month: str) -> str:
    y, m = map(int, month.split("-"))
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def month_label(month: str) -> str:
    y, m = map(int, month.split("-"))
    return f"{MONTHS_FR[m - 1]} {y}"


def _end_of_next_month(month: str) -> float:
    y, m = map(int, month.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    last = calendar.monthrange(y, m)[1]
    return datetime(y, m, last, 23, 59, 59, tzinfo=timezone.utc).timestamp()


class UsageStore:
    def __init__(self, kv: KV, retention_days: int = 30, prices: Prices | None = None):
        self.kv = kv
        self.retention = retention_days * DAY
        self.prices = prices or Prices.from_env()

    def _month_ttl(self, month: str) -> float:
        return max(self.retention, _end_of_next_month(month) - time.time() + DAY)

    # --- writing -------------------------------------------------------------
    async def record_version(self, channel: str, *, article_id: str, version: int, kind: str,
                             usage: VersionUsage, fidelity_issues: int = 0, when: float | None = None) -> None:
        """One version made by a job (the caller makes sure it is recorded once)."""
        if usage.cost is None:
            usage.cost = self.prices.cost(usage.prompt_tokens, usage.cached_tokens, usage.completion_tokens)
            usage.currency = self.prices.currency
        await self.kv.set(f"usage:{article_id}:v{version}", json.dumps(asdict(usage)), self.retention)
        month = month_of(when)
        counts = {
            "versions": 1,
            "articles": 1 if version == 1 else 0,
            "llm_calls": usage.llm_calls,
            "prompt_tokens": usage.prompt_tokens,
            "cached_tokens": usage.cached_tokens,
            "completion_tokens": usage.completion_tokens,
            "ms": round(usage.seconds * 1000),
            "repairs": usage.repairs,
            "fidelity_issues": fidelity_issues,
        }
        if kind in FIRST_DRAFT_KINDS:
            counts["first_drafts"] = 1
            counts["first_passed"] = 1 if usage.repairs == 0 else 0
        if usage.cost is not None:
            counts[f"cost_nano_{usage.currency}"] = round(usage.cost * NANO)
        ttl = self._month_ttl(month)
        await self.kv.add_counts(f"usage:{channel}:{month}", counts, ttl)
        await self.kv.add_counts(f"usage:channels:{month}", {channel: 1}, ttl)

    async def record_feedback(self, channel: str, month: str | None = None, vote: str = "up",
                              previous: str | None = None) -> None:
        """A 👍 (`up`) or 👎 (`down`) on a version posted in `channel` (for the feedback buttons);
        `previous`: that person's earlier vote on the same version, which the new one replaces."""
        if vote not in ("up", "down"):
            raise ValueError("vote must be 'up' or 'down'")
        if previous == vote:
            return
        month = month or month_of()
        ttl = self._month_ttl(month)
        counts = {f"feedback_{vote}": 1}
        if previous in ("up", "down"):
            counts[f"feedback_{previous}"] = -1
        await self.kv.add_counts(f"usage:{channel}:{month}", counts, ttl)
        await self.kv.add_counts(f"usage:channels:{month}", {channel: 0}, ttl)

    # --- reading -------------------------------------------------------------
    async def version_usage(self, article_id: str, version: int) -> VersionUsage | None:
        raw = await self.kv.get(f"usage:{article_id}:v{version}")
        return VersionUsage(**json.loads(raw)) if raw else None

    async def channels(self, month: str) -> list[str]:
        return sorted(await self.kv.counts(f"usage:channels:{month}"))

    async def month(self, channel: str, month: str) -> dict[str, int]:
        return await self.kv.counts(f"usage:{channel}:{month}")

    async def summary(self, channels: set[str] | None, now: float | None = None) -> list[dict]:
        """This month and the last, for `channels` (None: every channel): totals and per channel."""
        this = month_of(now)
        out = []
        for month in (this, previous_month(this)):
            known = await self.channels(month)
            chosen = [c for c in known if channels is None or c in channels]
            rows = []
            for ch in chosen:
                counts = await self.month(ch, month)
                if counts:
                    rows.append(row(counts, channel=ch))
            total: dict[str, int] = {}
            for r in rows:
                for k, v in r["counts"].items():
                    total[k] = total.get(k, 0) + v
            out.append({"month": month, "label": month_label(month), "current": month == this,
                        "total": row(total), "channels": rows})
        return out


def row(counts: dict[str, int], channel: str | None = None) -> dict:
    """Figures shown for a month: raw counts, the ratios and costs derived from them, and the
    same as French text (`text`, for App Home and the terminal table)."""
    articles = counts.get("articles", 0)
    drafts = counts.get("first_drafts", 0)
    costs = {k.removeprefix("cost_nano_"): v / NANO for k, v in counts.items() if k.startswith("cost_nano_")}
    r = {
        "channel": channel,
        "counts": dict(counts),
        "articles": articles,
        "versions": counts.get("versions", 0),
        "first_pass_rate": (counts.get("first_passed", 0) / drafts) if drafts else None,
        "calls_per_article": (counts.get("llm_calls", 0) / articles) if articles else None,
        "llm_calls": counts.get("llm_calls", 0),
        "prompt_tokens": counts.get("prompt_tokens", 0),
        "cached_tokens": counts.get("cached_tokens", 0),
        "completion_tokens": counts.get("completion_tokens", 0),
        "costs": costs,
        "feedback_up": counts.get("feedback_up", 0),
        "feedback_down": counts.get("feedback_down", 0),
    }
    feedback = bool(r["feedback_up"] or r["feedback_down"])
    r["text"] = {
        "articles": fr_int(articles), "versions": fr_int(r["versions"]),
        "first_pass": fr_percent(r["first_pass_rate"]), "calls_per_article": fr_ratio(r["calls_per_article"]),
        "prompt_tokens": fr_int(r["prompt_tokens"]), "cached_tokens": fr_int(r["cached_tokens"]),
        "completion_tokens": fr_int(r["completion_tokens"]), "cost": fr_costs(costs),
        "up": fr_int(r["feedback_up"]) if feedback else None,
        "down": fr_int(r["feedback_down"]) if feedback else None,
    }
    return r


# --- French figures (App Home and the terminal table) ------------------------------------------

def fr_int(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def fr_ratio(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x:.{digits}f}".replace(".", ",")


def fr_percent(x: float | None) -> str:
    return "—" if x is None else f"{round(x * 100)}\u00a0%"


def fr_costs(costs: dict[str, float]) -> str:
    return " + ".join(format_cost(v, cur) for cur, v in sorted(costs.items())) if costs else "—"


HEADERS = ("Canal", "Mois", "Articles", "Versions", "1ers jets sans réparation", "Appels LLM / article",
           "Jetons entrée (dont cache)", "Jetons sortie", "Coût", "👍", "👎")


def table_rows(summary: list[dict]) -> list[tuple[str, ...]]:
    out = []
    for month in summary:
        lines = month["channels"] if len(month["channels"]) == 1 else [*month["channels"], month["total"]]
        for r in lines:
            t = r["text"]
            out.append((r["channel"] or "Total", month["label"], t["articles"], t["versions"], t["first_pass"],
                        t["calls_per_article"], f"{t['prompt_tokens']} ({t['cached_tokens']})",
                        t["completion_tokens"], t["cost"], t["up"] or "—", t["down"] or "—"))
    return out
