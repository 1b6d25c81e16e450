"""The guard: one source indexed once, every kind of check run over a text."""
from __future__ import annotations

import unicodedata

from .issues import FidelityIssue
from .links import LinkChecker
from .names import NameChecker
from .normalise import mask
from .numbers import NumberChecker
from .quotes import QuoteChecker


class FidelityGuard:
    """Index a source once; check and repair article text against it."""

    def __init__(self, source: str):
        self.source = unicodedata.normalize("NFC", source or "")
        self.quotes = QuoteChecker(self.source)
        self.numbers = NumberChecker(self.source)
        self.names = NameChecker(self.source)
        self.links = LinkChecker(self.source)

    def fix_quotes(self, text: str) -> str:
        """`text` with near-miss quotations put back to the source's exact words."""
        return self.quotes.fix_quotes(text)

    def strip_links(self, text: str) -> str:
        """`text` without link, image or HTML markup (labels kept); only the source's own URLs stay,
        as plain text."""
        return self.links.strip(text)

    def link_issues(self, text: str, *, removed: bool = False) -> list[FidelityIssue]:
        """URLs of `text` (Markdown, Slack, HTML or bare) that the source does not hold; `removed`:
        the text was stripped of them before shipping (the detail says so)."""
        return self.links.issues(unicodedata.normalize("NFC", text or ""), removed=removed)

    def issues(self, text: str) -> list[FidelityIssue]:
        """Problems left in `text`: quotes not in the source, numbers, names and links it does not hold."""
        if not text or not text.strip():
            return []
        text = unicodedata.normalize("NFC", text)
        masked = mask(text)
        found = (self.quotes.issues(masked) + self.numbers.issues(masked) + self.names.issues(masked)
                 + self.names.recombined(masked) + self.links.issues(text))
        seen: set[tuple[str, str]] = set()
        unique = []
        for issue in found:
            key = (issue.kind, issue.text)
            if key not in seen:
                seen.add(key)
                unique.append(issue)
        return unique
