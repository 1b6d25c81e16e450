"""Quotations: every passage between « », “ ” or " " must be the source's words.

A near miss (a few words changed, added or dropped, a source typo "corrected") is
matched against the source's quotations by a word-level edit distance and put back
to the source's words; anything else is an issue.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..typography import french_typography
from .issues import FidelityIssue
from .normalise import canon, canon_str, fold, lower, quote_spans

_ELISION_RE = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\))\s*")
_EDGE_CHARS = " \t\n\u00a0\u202f\u2009.,;:!?…-–—\"'’«»“”()*"
_WORD_RE = re.compile(r"\w+")


def _split_edges(piece: str) -> tuple[str, str, str]:
    start, end = 0, len(piece)
    while start < end and piece[start] in _EDGE_CHARS:
        start += 1
    while end > start and piece[end - 1] in _EDGE_CHARS:
        end -= 1
    return piece[:start], piece[start:end], piece[end:]


@lru_cache(maxsize=16384)
def _similar(a: str, b: str) -> bool:
    """Two different words that are probably the same word (typo, accent, agreement)."""
    if fold(a) == fold(b):
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 2 or a[:1] != b[:1] or min(la, lb) < 3:
        return False
    limit = 1 if max(la, lb) <= 6 else 2
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        best = cur[0]
        for j in range(1, lb + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            best = min(best, cur[j])
        if best > limit:
            return False
        prev = cur
    return prev[lb] <= limit


def _best_window(q: list[str], w: list[str]) -> tuple[float, int, int]:
    """Semi-global word alignment of q inside w: (cost, start, end) of the best window."""
    n = len(w)
    prev = [(0.0, j) for j in range(n + 1)]
    for i in range(1, len(q) + 1):
        qi = q[i - 1]
        cur = [(float(i), 0)] + [(0.0, 0)] * n
        for j in range(1, n + 1):
            wj = w[j - 1]
            sub = 0.0 if qi == wj else (0.5 if _similar(qi, wj) else 1.0)
            d, s = prev[j - 1]
            best = (d + sub, s)
            d, s = prev[j]
            if d + 1 < best[0]:
                best = (d + 1, s)
            d, s = cur[j - 1]
            if d + 1 < best[0]:
                best = (d + 1, s)
            cur[j] = best
        prev = cur
    best_key, best_start, best_end = (float("inf"), 0), 0, 0
    for j in range(1, n + 1):
        d, s = prev[j]
        key = (d, abs((j - s) - len(q)))  # equal cost: the window closest in length
        if key < best_key:
            best_key, best_start, best_end = key, s, j
    return best_key[0], best_start, best_end


class _SourceQuote:
    __slots__ = ("start", "inner", "_map", "words", "spans")

    def __init__(self, start: int, inner: str):
        self.start = start
        self.inner = inner
        self._map: list[int] | None = None
        low = lower(canon_str(inner))
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        for m in _WORD_RE.finditer(low):
            self.words.append(m.group(0))
            self.spans.append((m.start(), m.end()))

    def original(self, first_word: int, end_word: int) -> tuple[int, int]:
        """Span in the source of words [first_word, end_word) of this quotation."""
        if self._map is None:
            self._map = canon(self.inner)[1]
        a = self.start + self._map[self.spans[first_word][0]]
        b = self.start + self._map[self.spans[end_word - 1][1] - 1] + 1
        return a, b



_APOSTROPHE_RE = re.compile(r"(?<=[^\W_])['ʼ‘](?=[^\W_])")
_OUTER_MARKS_RE = re.compile(r"^«[ \u00a0\u202f]*|[ \u00a0\u202f]*»$")


def typeset_quotation(words: str) -> str:
    """The source's words of a quotation in the article's typography (’, no-break spaces, “ ” for
    a quotation inside it, …): typeset as the inside of a « » quotation, words unchanged."""
    typeset = _OUTER_MARKS_RE.sub("", french_typography(f"«{words}»"))
    if canon_str(typeset) != canon_str(words):  # e.g. an unbalanced inner quote mark: apostrophes only
        return _APOSTROPHE_RE.sub("’", words)
    return typeset


class QuoteChecker:
    """The source's text (canonical) and quotations, indexed once."""

    def __init__(self, source: str):
        self.source = source
        self._canon = canon_str(source)
        self._lower = lower(self._canon)
        self._map_cache: list[int] | None = None  # canonical index -> source index, built on demand
        self._quotes: list[_SourceQuote] = []
        for a, b in quote_spans(source):
            if b - a > 2 and b - a < 3000:
                q = _SourceQuote(a + 1, source[a + 1 : b])
                if q.words:
                    self._quotes.append(q)
        self._match_cache: dict[str, tuple[str, str | None, str]] = {}

    def _find_exact(self, low: str, start: int = 0) -> int:
        """Position of `low` (canonical, lower case) in the source at word boundaries, or -1."""
        src = self._lower
        pos = src.find(low, start)
        while pos >= 0:
            before = src[pos - 1] if pos else " "
            after = src[pos + len(low)] if pos + len(low) < len(src) else " "
            if not (low[0].isalnum() and before.isalnum()) and not (low[-1].isalnum() and after.isalnum()):
                return pos
            pos = src.find(low, pos + 1)
        return -1

    def _match(self, core: str) -> tuple[str, str | None, str]:
        """("exact"|"case"|"near"|"none", source words to use or None, canonical lower text)."""
        cached = self._match_cache.get(core)
        if cached is not None:
            return cached
        result = self._match_uncached(core)
        if len(self._match_cache) < 4096:
            self._match_cache[core] = result
        return result

    def _match_uncached(self, core: str) -> tuple[str, str | None, str]:
        text = canon_str(core)
        low = lower(text)
        if not low or not _WORD_RE.search(low):
            return "exact", None, ""
        pos = self._find_exact(low)
        if pos >= 0:
            if self._canon[pos + 1 : pos + len(text)] == text[1:]:
                return "exact", None, low
            if self._map_cache is None:
                self._map_cache = canon(self.source)[1]
            a = self._map_cache[pos]
            b = self._map_cache[pos + len(text) - 1] + 1
            return "case", self.source[a:b], low
        q = _WORD_RE.findall(low)
        if not q or not self._quotes:
            return "none", None, low
        allowed = max(0.5, 0.25 * len(q))
        best = None
        for sq in self._quotes:
            cost, s, e = _best_window(q, sq.words)
            if e > s and cost <= allowed and (best is None or cost < best[0]):
                best = (cost, sq, s, e)
        if best is None:
            return "none", None, low
        cost, sq, s, e = best
        window = sq.words[s:e]
        same = sum(1 for w in q if w in window)
        if same < 0.5 * len(q):
            return "none", None, low
        a, b = sq.original(s, e)
        return "near", self.source[a:b], low

    @staticmethod
    def _keep_first_case(article: str, source_words: str) -> str:
        a = next((c for c in article if c.isalpha()), "")
        k = next((i for i, c in enumerate(source_words) if c.isalpha()), None)
        if not a or k is None:
            return source_words
        first = source_words[k]
        fixed = first.upper() if a.isupper() else first.lower()
        if len(fixed) != 1:
            return source_words
        return source_words[:k] + fixed + source_words[k + 1 :]

    def fix_quotes(self, text: str) -> str:
        """Replace near-miss quotations by the source's exact words, in French typography."""
        if not text:
            return text
        text = unicodedata.normalize("NFC", text)
        out = text
        for a, b in reversed(quote_spans(text)):
            inner = text[a + 1 : b]
            pieces = _ELISION_RE.split(inner)
            seps = _ELISION_RE.findall(inner)
            changed = False
            new_pieces = []
            for piece in pieces:
                pre, core, post = _split_edges(piece)
                if core:
                    status, words, _ = self._match(core)
                    if status in ("case", "near") and words:
                        core = typeset_quotation(self._keep_first_case(core, words))
                        changed = True
                new_pieces.append(pre + core + post)
            if changed:
                rebuilt = new_pieces[0]
                for sep, piece in zip(seps, new_pieces[1:]):
                    rebuilt += sep + piece
                out = out[: a + 1] + rebuilt + out[b:]
        return out

    def issues(self, text: str) -> list[FidelityIssue]:
        issues: list[FidelityIssue] = []
        for a, b in quote_spans(text):
            inner = text[a + 1 : b]
            whole = text[a : b + 1]
            last_end = 0
            for piece in _ELISION_RE.split(inner):
                _, core, _ = _split_edges(piece)
                if not core:
                    continue
                status, words, low = self._match(core)
                if status == "none":
                    issues.append(FidelityIssue(kind="quote", text=whole, detail="Citation introuvable dans la dépêche"))
                    break
                if status == "near":
                    issues.append(
                        FidelityIssue(
                            kind="quote",
                            text=whole,
                            detail=f"Citation inexacte : la dépêche dit « {' '.join((words or '').split())} »",
                        )
                    )
                    break
                if not low:
                    continue
                pos = self._find_exact(low, last_end)
                if pos < 0:
                    issues.append(
                        FidelityIssue(
                            kind="quote",
                            text=whole,
                            detail="Citation recomposée : les passages ne sont pas dans cet ordre dans la dépêche",
                        )
                    )
                    break
                last_end = pos + len(low)
        return issues

    # --------------------------------------------------------------- API --
