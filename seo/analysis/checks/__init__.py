"""One module per Yoast assessment.

Each module defines one subclass of ``Check`` with Yoast's identifier in ``ID``,
``KIND`` ("seo" or "readability"), ``ORDER`` (Yoast's display order) and its
thresholds as module constants. ``assess(paper)`` returns ``(score, message)``
where score is Yoast's raw score (it can be negative: Yoast uses -50 for a
badly over-optimised text; the report clamps it to 1..9), or None when the
assessment shows nothing (Yoast's textPresence on a long enough text).

Adding a check is adding a module here: ``all_checks()`` imports every module of
this package and collects its ``Check`` subclasses.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache


class Check:
    ID = ""
    KIND = "seo"
    ORDER = 100

    def assess(self, paper) -> tuple[int, str] | None:  # pragma: no cover - abstract
        raise NotImplementedError


NO_KEYPHRASE = "Aucun mot-clé principal n'est défini : choisissez-en un pour que cette vérification puisse se faire."


def plural(n: int, one: str, many: str) -> str:
    return one if abs(n) <= 1 else many


@lru_cache(maxsize=1)
def all_checks() -> tuple[Check, ...]:
    found: list[Check] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Check) and obj is not Check and obj.ID \
                    and obj.__module__ == module.__name__:
                found.append(obj())
    return tuple(sorted(found, key=lambda c: (c.KIND, c.ORDER, c.ID)))


def format_number(x: float) -> float:
    """Yoast's formatNumber: integers stay, others are rounded to one decimal."""
    import math
    if round(x) == x:
        return int(round(x))
    return math.floor(x * 10 + 0.5) / 10
