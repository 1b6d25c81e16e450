"""Numbers: every figure of the article must be a value the source holds.

Figures are compared as values, each text read in its own conventions:

* the **source** in the conventions of its language and of its own numbers: English
  groups thousands with ``,`` and writes decimals with ``.`` (``800,000``, ``1.5``);
  French and German write decimals with ``,`` and group with spaces (``800 000``) or, in
  German and sometimes in French, with ``.`` (``5.000``). The language comes from the
  text's function words; the text's unambiguous numbers (``1,234,567``, ``2.000.000``,
  ``7,5``, ``3.14``, ``1,234.5``) confirm or override it. Only one shape is ambiguous,
  a single separator followed by exactly three digits (``1,500``, ``5.000``): it is read
  by the convention found, or both ways when none could be found;
* the **article** as French: ``,`` is the decimal comma, spaces (any kind) and ``.``
  group thousands. A figure copied in English notation (``800,000`` for 800 000) is
  therefore read as a French reader reads it (800) and reported with the right form.

Scale words make values: ``1.5 million`` = ``1,5 million`` = ``1 500 000``; ``$2bn`` =
``2 milliards``; ``Md``, ``Mds``, ``Mrd``, ``M``, ``k``, ``Mio``; English ``billion`` is
10⁹, French and German ``billion`` 10¹². A figure with a scale word is compared by its
scaled value only, so a figure off by a factor of 1 000 (``800`` for ``800,000``,
``2 milliards`` for ``2 millions``) is an issue. In a range (``2 à 3 millions``,
``between 2 and 3 billion``) the first figure also takes the scale of the second.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .issues import FidelityIssue
from .normalise import language, lower

# --------------------------------------------------------------------------- #
# Conventions
# --------------------------------------------------------------------------- #

GROUP, DECIMAL = "group", "decimal"


@dataclass(frozen=True)
class Convention:
    """How a text writes numbers. ``comma`` / ``dot``: GROUP, DECIMAL or None (either)."""

    comma: str | None
    dot: str | None
    billion: tuple[int, ...]  # the value(s) of "billion"
    glued_m: tuple[int, ...]  # "5m": 5 million in English money, 5 metres elsewhere


ENGLISH = Convention(GROUP, DECIMAL, (10**9,), (10**6, 1))
FRENCH = Convention(DECIMAL, GROUP, (10**12,), (1,))
GERMAN = Convention(DECIMAL, GROUP, (10**12,), (1,))
UNKNOWN = Convention(None, None, (10**9, 10**12), (10**6, 1))
_BY_LANGUAGE = {"en": ENGLISH, "fr": FRENCH, "de": GERMAN}

_NB = r"(?<![\d.,])"
_NA = r"(?![\d.,]?\d)"
_COMMA_GROUP_EV = re.compile(_NB + r"\d{1,3},\d{3},\d{3}" + _NA + r"|\d,\d{3}\.\d")
_COMMA_DECIMAL_EV = re.compile(_NB + r"(?:\d+,(?:\d{1,2}|\d{4,})|0,\d+)" + _NA + r"|\d\.\d{3},\d")
_DOT_GROUP_EV = re.compile(_NB + r"\d{1,3}\.\d{3}\.\d{3}" + _NA + r"|\d\.\d{3},\d")
# "49.3", "14.30", "version 2.1" also look like decimals: a bare "x.y" only counts when the
# language is unknown; with a unit or a scale after it, or as "0.5", it is a decimal point.
_DOT_DECIMAL_EV = re.compile(
    _NB + r"(?:0\.\d+|\d+\.\d+(?=[ \u00a0]?(?:%|per ?cent|percent|million|billion|trillion|bn|mn|m\b|k\b)))"
    r"|\d,\d{3}\.\d"
)
_DOT_DECIMAL_WEAK_EV = re.compile(_NB + r"\d+\.(?:\d{1,2}|\d{4,})" + _NA)


def _evidence(group: bool, decimal: bool) -> str | None:
    if group != decimal:
        return GROUP if group else DECIMAL
    return None


def _counterpart(rule: str | None) -> str | None:
    return None if rule is None else DECIMAL if rule == GROUP else GROUP


def detect_convention(text: str) -> Convention:
    """The number conventions of `text`: its language, confirmed by its unambiguous numbers."""
    lang = language(text)
    base = _BY_LANGUAGE.get(lang or "", UNKNOWN)
    comma_groups, comma_decimal = bool(_COMMA_GROUP_EV.search(text)), bool(_COMMA_DECIMAL_EV.search(text))
    dot_groups = bool(_DOT_GROUP_EV.search(text))
    dot_decimal = bool(_DOT_DECIMAL_EV.search(text) or (lang is None and _DOT_DECIMAL_WEAK_EV.search(text)))
    comma = _evidence(comma_groups, comma_decimal)
    dot = _evidence(dot_groups, dot_decimal)
    if comma is not None and comma == dot:  # contradictory evidence: accept both readings
        comma = dot = None
    elif comma is None and dot is None and not (comma_groups and comma_decimal) and not (dot_groups and dot_decimal):
        comma, dot = base.comma, base.dot  # nothing in the numbers: the language decides
    # One separator known, the other is its counterpart.
    comma = comma if comma is not None else _counterpart(dot)
    dot = dot if dot is not None else _counterpart(comma)
    return Convention(comma, dot, base.billion, base.glued_m)


# --------------------------------------------------------------------------- #
# Figures written with digits
# --------------------------------------------------------------------------- #

_SP = "[ \u00a0\u202f\u2009]"
_NUM_RE = re.compile(
    r"(?:(?<![\w.,])|(?<=\dh))"
    r"(?P<num>\d{1,3}(?:" + _SP + r"\d{3})+(?!\d)(?:[.,]\d+)?"
    r"|\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?"
    r"|\d{1,3}(?:\.\d{3})+(?!\d)(?:,\d+)?"
    r"|\d+(?:[.,]\d+)?)"
    r"(?P<ord>(?:ers?|res?|ères?|èmes?|iemes?|ièmes?|emes?|es?|nde?s?|è|st|nd|rd|th)(?!\w))?"
    r"(?P<mult>" + _SP + r"*(?:millions?|milliards?|billions?|trillions?|thousand|mille|Millionen|"
    r"Milliarden?|Mio|Mrd|Mds?|md|bn|mn|mln|tn|M(?!\.\s)|k|K)(?!\w)|m(?!\w))?"  # « 2017 M. Macron »: no scale
    r"(?P<pct>" + _SP + r"*(?:%|pour[ -]?cent|per[ -]?cent|percent|Prozent))?"
)
_FACTORS = {
    "thousand": 10**3, "mille": 10**3, "k": 10**3,
    "million": 10**6, "millions": 10**6, "millionen": 10**6, "mio": 10**6, "mn": 10**6, "mln": 10**6,
    "milliard": 10**9, "milliards": 10**9, "milliarde": 10**9, "milliarden": 10**9, "md": 10**9, "mds": 10**9,
    "mrd": 10**9, "bn": 10**9, "trillion": 10**12, "trillions": 10**12, "tn": 10**12,
}
_RANGE_GAP_RE = re.compile(
    _SP + r"*(?:-|–|—|/|à|a|et|ou|to|and|or|bis|und)" + _SP + r"*(?:[$€£¥]|US\$)?" + _SP + r"*"
)


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s).normalize()
    except InvalidOperation:
        return None


def read_number(num: str, conv: Convention) -> set[Decimal]:
    """The values `num` (digits and separators, no scale word) can have in convention `conv`."""
    spaced = re.search(_SP, num) is not None
    s = re.sub(_SP, "", num)
    if spaced:  # spaces group thousands everywhere; what is left is a decimal separator
        v = _dec(s.replace(",", "."))
        return {v} if v is not None else set()
    if "," in s and "." in s:  # the last separator is the decimal one
        point = max(s.rfind(","), s.rfind("."))
        group = "." if s[point] == "," else ","
        v = _dec(s[:point].replace(group, "") + "." + s[point + 1 :])
        return {v} if v is not None else set()
    sep = "," if "," in s else "." if "." in s else ""
    if not sep:
        v = _dec(s)
        return {v} if v is not None else set()
    parts = s.split(sep)
    if len(parts) > 2:  # 1,234,567 / 2.000.000: only grouping repeats
        v = _dec("".join(parts))
        return {v} if v is not None else set()
    head, tail = parts
    as_decimal = _dec(head + "." + tail)
    if len(tail) != 3 or head == "0":
        return {as_decimal} if as_decimal is not None else set()
    as_group = _dec(head + tail)
    rule = conv.comma if sep == "," else conv.dot
    if rule == GROUP:
        return {as_group}
    if rule == DECIMAL:
        return {as_decimal}
    return {as_group, as_decimal}


def _factors(mult: str | None, conv: Convention) -> tuple[int, ...]:
    if not mult:
        return (1,)
    key = mult.strip(" \u00a0\u202f\u2009")
    if key == "m":
        return conv.glued_m
    if key == "M":
        return (10**6,)
    low = key.lower()
    if low in ("billion", "billions"):
        return conv.billion
    return (_FACTORS.get(low, 1),)


def _scaled(readings: set[Decimal], factors: tuple[int, ...]) -> set[Decimal]:
    return {(r * f).normalize() for r in readings for f in factors}


def scan_numbers(text: str, conv: Convention) -> list[tuple[re.Match, set[Decimal]]]:
    """Every figure of `text` written with digits, with the values it can have."""
    found = [(m, read_number(m.group("num"), conv)) for m in _NUM_RE.finditer(text)]
    out = []
    for k, (m, readings) in enumerate(found):
        factors = _factors(m.group("mult"), conv)
        values = _scaled(readings, factors)
        if not m.group("mult") and k + 1 < len(found):
            nxt = found[k + 1][0]
            if nxt.group("mult") and _RANGE_GAP_RE.fullmatch(text, m.end(), nxt.start()):
                values |= _scaled(readings, _factors(nxt.group("mult"), conv))  # "2 à 3 millions"
        out.append((m, values))
    return out


def french_figure(value: Decimal) -> str:
    """`value` as a French article writes it: 800 000, 1,5 million, 2 milliards."""
    for scale, word in ((10**9, "milliard"), (10**6, "million")):
        if abs(value) >= scale:
            n = (value / scale).normalize()
            if n == n.to_integral_value() or -n.as_tuple().exponent <= 2:
                return f"{french_figure(n)}\u00a0{word}{'s' if abs(n) >= 2 else ''}"
    text = format(value.normalize(), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, frac = text.partition(".")
    if len(whole) >= 4:
        head = len(whole) % 3 or 3
        whole = "\u00a0".join([whole[:head]] + [whole[k : k + 3] for k in range(head, len(whole), 3)])
    return sign + whole + ("," + frac if frac else "")


# --------------------------------------------------------------------------- #
# Roman numerals and figures written in words (indexed in the source only)
# --------------------------------------------------------------------------- #

_LIST_MARKER_RE = re.compile(r"^[ \t]*\d{1,3}[.)][ \t]", re.MULTILINE)
_ROMAN_RE = re.compile(r"\b(?P<rom>[IVXLCDM]{1,7})(?P<ord>e|er|ère|re|ème|eme)?\b")
_ROMAN_ORD_RE = re.compile(r"\b(?P<rom>[IVXLCDM]{2,7}|[IVX])(?P<ord>e|er|ère|re|ème|eme)\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

_NUMBER_WORDS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
    "mille": 1000,
}
_ENGLISH_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "first": 1, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
_APPROX_WORDS = {
    "dizaine": 10, "dizaines": 10, "douzaine": 12, "douzaines": 12, "quinzaine": 15,
    "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50,
    "centaine": 100, "centaines": 100, "millier": 1000, "milliers": 1000,
    "moitié": 50, "quart": 25, "tiers": 3, "double": 2, "triple": 3,
    "dozen": 12, "dozens": 12, "hundreds": 100, "thousands": 1000, "half": 50,
}
_ORDINAL_WORDS = {
    "premier": 1, "première": 1, "premiers": 1, "premières": 1, "second": 2, "seconde": 2,
    "seconds": 2, "secondes": 2, "cinquième": 5, "neuvième": 9,
}
_WORDS_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


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


def _ordinal_forms() -> dict[str, int]:
    forms = {}
    for w, v in _NUMBER_WORDS.items():
        if w in ("un", "une", "zéro", "cents", "vingts"):
            continue
        base = {"cinq": "cinqu", "neuf": "neuv"}.get(w, w[:-1] if w.endswith("e") else w)
        forms[base + "ième"] = forms[base + "ièmes"] = v
    return forms


_WORD_VALUES = {**_NUMBER_WORDS, **_ordinal_forms(), **_ORDINAL_WORDS, **_ENGLISH_WORDS}
_NUMWORD_PARTS = set(_WORD_VALUES) | set(_APPROX_WORDS) | {"et"}


def _numword_matches(source: str):
    """Words (or hyphenated compounds) of `source` made of number words."""
    for m in _WORDS_RE.finditer(source):
        w = m.group(0)
        if w[0] in "ESes" and w.lower() == "et":
            continue
        low = w.lower()
        if low in _NUMWORD_PARTS or ("-" in low and all(p in _NUMWORD_PARTS for p in low.split("-"))):
            yield m


_RUN_GAP_RE = re.compile(r"\s+(?:(?:et|and)\s+)?")
_RUN_MULT_RE = re.compile(r"\s+(millions?|milliards?|billions?|trillions?|Millionen|Milliarden?)\b", re.IGNORECASE)
_A_SCALE_RE = re.compile(r"\b(?:an?|one)\s+(hundred|thousand|million|billion)\b", re.IGNORECASE)


def _run_values(run: list[str], source: str, end: int, conv: Convention) -> set[Decimal]:
    if len(run) == 1 and run[0] in _APPROX_WORDS:
        return {Decimal(_APPROX_WORDS[run[0]])}
    v = _parse_number_words(run)
    values = {Decimal(v)}
    m = _RUN_MULT_RE.match(source, end)
    if m:
        values |= _scaled({Decimal(v)}, _factors(m.group(1), conv))
    return values


def _parse_number_words(words: list[str]) -> int:
    total, cur = 0, 0
    for w in words:
        v = _WORD_VALUES.get(w)
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


def _word_values(source: str, conv: Convention) -> set[Decimal]:
    """Numbers written in words, alone or in runs ("deux cents", "vingt et un", "three million")."""
    values: set[Decimal] = set()
    run: list[str] = []
    run_end = -1
    for m in _numword_matches(source):
        gap = _RUN_GAP_RE.fullmatch(source, run_end, m.start()) if run else None
        word = lower(m.group(0))
        if gap and "et" in gap.group(0) and word not in ("un", "une", "onze"):
            gap = None
        if gap and "and" in gap.group(0) and run[-1] not in ("hundred", "thousand"):
            gap = None
        if gap:
            run.extend(word.split("-"))
            run_end = m.end()
            continue
        if run:
            values |= _run_values(run, source, run_end, conv)
        run = word.split("-")
        run_end = m.end()
    if run:
        values |= _run_values(run, source, run_end, conv)
    for m in _A_SCALE_RE.finditer(source):
        values |= _scaled({Decimal(1)}, _factors(m.group(1), conv) if m.group(1).lower() != "hundred" else (100,))
    return values


# --------------------------------------------------------------------------- #
# The check
# --------------------------------------------------------------------------- #

ABSENT = "Chiffre absent de la dépêche"


class NumberChecker:
    """The values the source holds, indexed once, read in the source's conventions."""

    def __init__(self, source: str, convention: Convention | None = None):
        self.convention = convention or detect_convention(source)
        self._numbers = self._index_numbers(source, self.convention)

    @staticmethod
    def _index_numbers(source: str, conv: Convention) -> set[Decimal]:
        values: set[Decimal] = set()
        for _m, vals in scan_numbers(source, conv):
            values |= vals
        for m in _ROMAN_RE.finditer(source):
            r = _roman(m.group("rom"))
            if r:
                values.add(Decimal(r))
        return values | _word_values(source, conv)

    def holds(self, value: Decimal) -> bool:
        return value.normalize() in self._numbers

    def issues(self, masked: str) -> list[FidelityIssue]:
        """Figures of an article (French) whose value the source does not hold."""
        issues: list[FidelityIssue] = []
        skip = {m.end() - 2 for m in _LIST_MARKER_RE.finditer(masked)}
        for m, values in scan_numbers(masked, FRENCH):
            if m.end("num") in skip and not m.group("mult") and not m.group("pct"):
                continue
            if not values or values & self._numbers:
                continue
            num = m.group("num")
            parts = re.split(_SP, num)
            if len(parts) > 1 and all(_dec(p.replace(",", ".")) in self._numbers for p in parts):
                continue  # ambiguous grouping ("le 12 300"), every part is in the source
            issues.append(FidelityIssue(kind="number", text=m.group(0).strip(), detail=self._detail(m)))
        for m in _ROMAN_ORD_RE.finditer(masked):
            r = _roman(m.group("rom"))
            if r and Decimal(r) not in self._numbers:
                issues.append(FidelityIssue(kind="number", text=m.group(0), detail=ABSENT))
        return issues

    def _detail(self, m: re.Match) -> str:
        """Say so when the figure is the source's, written in a notation French reads otherwise."""
        if self.convention == FRENCH:
            return ABSENT
        factors = _factors(m.group("mult"), self.convention)
        meant = _scaled(read_number(m.group("num"), self.convention), factors) & self._numbers
        if not meant:
            return ABSENT
        return f"Chiffre mal transcrit (notation anglaise ou faux ami) : en français, écrivez {french_figure(max(meant))}"
