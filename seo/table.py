"""Plain aligned text tables for the terminal (`python -m seo eval`, `python bot.py --usage`)."""
from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Columns a string takes in a terminal: wide characters (emoji) count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def format_table(headers: tuple[str, ...] | list[str], rows: list[tuple[str, ...]] | list[list[str]],
                 *, footer: list[tuple[str, ...]] | None = None) -> str:
    """First column left-aligned, the others right-aligned; `footer` rows under a second rule."""
    every = [tuple(headers), *map(tuple, rows), *map(tuple, footer or [])]
    widths = [max(width(r[i]) for r in every) for i in range(len(headers))]

    def line(cells) -> str:
        out = []
        for i, (c, w) in enumerate(zip(cells, widths)):
            pad = " " * (w - width(c))
            out.append(c + pad if i == 0 else pad + c)
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [line(headers), rule, *(line(r) for r in rows)]
    if footer:
        lines += [rule, *(line(r) for r in footer)]
    return "\n".join(lines)
