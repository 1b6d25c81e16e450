"""What LLM tokens cost, from the prices the deployer sets (SEO_PRICE_*, per million tokens).

Cached prompt tokens (the static system prompt and schema, the dispatch across repairs) are
billed at their own, lower price; without SEO_PRICE_CACHED_INPUT_PER_MTOK they cost the input
price. Without input and output prices there is no cost, only tokens.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


def _price(name: str) -> float | None:
    raw = os.environ.get(name, "").strip().replace(",", ".")
    if not raw:
        return None
    value = float(raw)
    if value < 0:
        raise ValueError(f"{name} doit être positif ou nul.")
    return value


@dataclass(frozen=True)
class Prices:
    input_per_mtok: float | None = None
    cached_input_per_mtok: float | None = None
    output_per_mtok: float | None = None
    currency: str = "USD"

    @classmethod
    def from_env(cls) -> "Prices":
        return cls(
            input_per_mtok=_price("SEO_PRICE_INPUT_PER_MTOK"),
            cached_input_per_mtok=_price("SEO_PRICE_CACHED_INPUT_PER_MTOK"),
            output_per_mtok=_price("SEO_PRICE_OUTPUT_PER_MTOK"),
            currency=(os.environ.get("SEO_PRICE_CURRENCY") or "USD").strip().upper() or "USD",
        )

    @property
    def configured(self) -> bool:
        return self.input_per_mtok is not None and self.output_per_mtok is not None

    def cost(self, prompt_tokens: int, cached_tokens: int, completion_tokens: int) -> float | None:
        """Cost of a call or a sum of calls; `prompt_tokens` includes the cached ones (as OpenAI counts)."""
        if not self.configured:
            return None
        cached = min(max(cached_tokens, 0), prompt_tokens)
        cached_price = self.cached_input_per_mtok if self.cached_input_per_mtok is not None else self.input_per_mtok
        return ((prompt_tokens - cached) * self.input_per_mtok + cached * cached_price
                + completion_tokens * self.output_per_mtok) / 1_000_000


def format_cost(amount: float | None, currency: str) -> str:
    """French money figure: `0,0123 USD` (four decimals: one article costs cents or less)."""
    if amount is None:
        return "—"
    digits = 4 if amount < 10 else 2
    text = f"{amount:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0{currency}"
