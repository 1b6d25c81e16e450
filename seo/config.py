"""Engine settings, read from the environment (python-dotenv loads `.env` first)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_MODEL = "gpt-4o-mini"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


@dataclass(frozen=True)
class EngineSettings:
    api_key: str = field(default="", repr=False)  # never printed
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    timeout: float = 120.0
    max_retries: int = 3
    min_words: int = 700

    @classmethod
    def from_env(cls) -> "EngineSettings":
        return cls(
            api_key=os.environ.get("OPENAI_API_KEY", ""),
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            model=os.environ.get("OPENAI_MODEL") or DEFAULT_MODEL,
            timeout=_float("OPENAI_TIMEOUT", 120.0),
            max_retries=_int("OPENAI_MAX_RETRIES", 3),
            min_words=_int("SEO_MIN_WORDS", 700),
        )
