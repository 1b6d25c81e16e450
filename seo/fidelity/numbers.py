"""Numbers: every figure of the article must be a value the source holds."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .issues import FidelityIssue
from .normalise import lower

_NUM_RE = re.compile(
    r"(?:(?<![\w.,])|(?<=\dh))"
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<ord>(?:ers?|res?|ères?|èmes?|iemes?|ièmes?|emes?|es?|nde?s?|è)(?!\w))?"
    r"(?P<mult>[ \u00a0\u202f]*(?:millions?|milliards?|mille|Mds?|md|Mrd|M|k)(?!\w))?"
    r"(?P<pct>[ \u00a0\u202f]*(?:%|pour[ -]?cent))?"
)
_LIST_MARKER_RE = re.compile(r"^[ \t]*\d{1,3}[.)][ \t]", re.MULTILINE)
_ROMAN_RE = re.compile(r"\b(?P<rom>[IVXLCDM]{1,7})(?P<ord>e|er|ère|re|ème|eme)?\b")
_ROMAN_ORD_RE = re.compile(r"\b(?P<rom>[IVXLCDM]{2,7}|[IVX])(?P<ord>e|er|ère|re|ème|eme)\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

_MULTIPLIERS = {
    "million": 10**6, "millions": 10**6, "m": 10**6,
    "milliard": 10**9, "milliards": 10**9, "md": 10**9, "mds": 10**9, "mrd": 10**9,
    "mille": 1000, "k": 1000,
}

_NUMBER_WORDS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000,
}
_APPROX_WORDS = {
    "dizaine": 10, "dizaines": 10, "douzaine": 12, "douzaines": 12, "quinzaine": 15,
    "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50,
    "centaine": 100, "centaines": 100, "millier": 1000, "milliers": 1000,
    "moitié": 50, "quart": 25, "tiers": 3, "double": 2, "triple": 3,
}
_ORDINAL_WORDS = {
    "premier": 1, "première": 1, "premiers": 1, "premières": 1, "second": 2, "seconde": 2,
    "seconds": 2, "secondes": 2, "cinquième": 5, "neuvième": 9,
}
_WORDS_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s).normalize()
    except InvalidOperation:
        return None


def _roman(s: str) -> int | None:
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if b != " " and _ROMAN_VALUES.get(b, 0) > v else v
    # reject non-canonical forms such as IIII or VX
    return total if total > 0 and _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = []
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(r)
            n -= v
    return "".join(out)


def _word_value(w: str) -> int | None:
    return _WORD_VALUES.get(w)


def _ordinal_forms() -> dict[str, int]:
    forms = {}
    for w, v in _NUMBER_WORDS.items():
        if w in ("un", "une", "zéro", "cents", "vingts"):
            continue
        base = {"cinq": "cinqu", "neuf": "neuv"}.get(w, w[:-1] if w.endswith("e") else w)
        forms[base + "ième"] = forms[base + "ièmes"] = v
    return forms


_WORD_VALUES = {**_NUMBER_WORDS, **_ordinal_forms(), **_ORDINAL_WORDS}
_NUMWORD_PARTS = set(_WORD_VALUES) | set(_APPROX_WORDS) | {"et"}


def _numword_matches(source: str):
    """Words (or hyphenated compounds) of `source` made of French number words."""
    for m in _WORDS_RE.finditer(source):
        w = m.group(0)
        if w[0] in "ESes" and w.lower() == "et":
            continue
        low = w.lower()
        if low in _NUMWORD_PARTS or ("-" in low and all(p in _NUMWORD_PARTS for p in low.split("-"))):
            yield m


_RUN_GAP_RE = re.compile(r"\s+(?:et\s+)?")
_RUN_MULT_RE = re.compile(r"\s+(millions?|milliards?)\b", re.IGNORECASE)


def _run_values(run: list[str], source: str, end: int) -> set[Decimal]:
    if len(run) == 1 and run[0] in _APPROX_WORDS:
        return {Decimal(_APPROX_WORDS[run[0]])}
    v = _parse_number_words(run)
    values = {Decimal(v)}
    m = _RUN_MULT_RE.match(source, end)
    if m:
        values.add(Decimal(v * _MULTIPLIERS[m.group(1).lower()]))
    return values


def _parse_number_words(words: list[str]) -> int:
    total, cur = 0, 0
    for w in words:
        v = _word_value(w)
        if v is None:
            continue
        if v == 100:
            cur = (cur or 1) * 100
        elif v == 1000:
            total += (cur or 1) * 1000
            cur = 0
        elif v == 20 and cur % 100 == 4:  # quatre-vingt
            cur += 76
        else:
            cur += v
    return total + cur


def _number_values(m: re.Match) -> set[Decimal]:
    raw = re.sub(r"[ \u00a0\u202f\u2009]", "", m.group("num")).replace(",", ".")
    v = _dec(raw)
    if v is None:
        return set()
    values = {v}
    mult = m.group("mult")
    if mult:
        factor = _MULTIPLIERS.get(mult.strip().lower())
        if factor:
            values.add((v * factor).normalize())
    return values


class NumberChecker:
    """The values the source holds, indexed once."""

    def __init__(self, source: str):
        self._numbers = self._index_numbers(source)
    @staticmethod
    def _index_numbers(source: str) -> set[Decimal]:
        values: set[Decimal] = set()
        for m in _NUM_RE.finditer(source):
            values |= _number_values(m)
        for m in _ROMAN_RE.finditer(source):
            r = _roman(m.group("rom"))
            if r:
                values.add(Decimal(r))
        # Numbers written in words, alone or in runs ("deux cents", "vingt et un", "trois millions").
        run: list[str] = []
        run_end = -1
        for m in _numword_matches(source):
            gap = _RUN_GAP_RE.fullmatch(source, run_end, m.start()) if run else None
            if gap and "et" in gap.group(0) and lower(m.group(0)) not in ("un", "une", "onze"):
                gap = None
            if gap:
                run.extend(lower(m.group(0)).split("-"))
                run_end = m.end()
                continue
            if run:
                values |= _run_values(run, source, run_end)
            run = lower(m.group(0)).split("-")
            run_end = m.end()
        if run:
            values |= _run_values(run, source, run_end)
        return values

    def issues(self, masked: str) -> list[FidelityIssue]:
        issues: list[FidelityIssue] = []
        skip = {m.end() - 2 for m in _LIST_MARKER_RE.finditer(masked)}
        for m in _NUM_RE.finditer(masked):
            if m.end("num") in skip and not m.group("mult") and not m.group("pct"):
                continue
            values = _number_values(m)
            if not values or values & self._numbers:
                continue
            num = m.group("num")
            parts = re.split(r"[ \u00a0\u202f\u2009]", num)
            if len(parts) > 1 and all(_dec(p.replace(",", ".")) in self._numbers for p in parts):
                continue  # ambiguous grouping ("le 12 300"), every part is in the source
            issues.append(FidelityIssue(kind="number", text=m.group(0).strip(), detail="Chiffre absent de la dépêche"))
        for m in _ROMAN_ORD_RE.finditer(masked):
            r = _roman(m.group("rom"))
            if r and Decimal(r) not in self._numbers:
                issues.append(FidelityIssue(kind="number", text=m.group(0), detail="Chiffre absent de la dépêche"))
        return issues
