"""Fidelity guard: quotations, figures and names of an article against its source.

``FidelityGuard(source)`` indexes the dispatch once; then, for any text field of
the article:

* ``fix_quotes(text)`` replaces near-miss quotations by the source's exact words
  (the article's quote marks and surrounding punctuation are kept);
* ``issues(text)`` lists what is left to check by a human ("À vérifier").

Quotations
    Every passage between « », “ ” or " " must appear word for word in the source
    after normalisation of apostrophes (’ ' ‘ ʼ), spaces (U+00A0, U+202F, runs of
    spaces, spaces around punctuation and inside guillemets), ellipses (… / ...),
    dashes, digit grouping (8 000 / 8000), decimal separator and case. A fragment
    is fine, and so is an elided quotation (``[…]``, ``[...]``, ``(…)``) whose
    pieces are in the source in that order. A near miss (a few words changed,
    added or dropped, a source typo "corrected") is matched against the source's
    quotations by a word-level edit distance and replaced by the source's words,
    typos included. Anything else is an issue.
Numbers
    Every number of the text is compared by value with the numbers of the source
    (``8 000`` == ``8000``; ``7,5`` == ``7.5``; ``325 millions`` == ``325`` or
    ``325 000 000``). Numbers the source writes in words (``trois``,
    ``vingt-deux``, ``deux cents``), ordinals (``premier``, ``deuxième``) and
    Roman numerals (``article V``) count as source numbers. Numbered-list markers
    are ignored; numbers written in words in the article are not checked.
Names
    Capitalised words that are not at the start of a sentence, multiword names
    and acronyms must be held by the source, compared without case and accents.
    Demonyms and adjectives derived from a source name are accepted
    (Ukraine → Ukrainiens, Russie → Russes, France → Français). Months, days,
    civilities (M., Mme) and a short list of conventionally capitalised common
    nouns (État, Occident, Premier ministre…) are ignored; in Title Case lines only
    acronyms are checked. A single capitalised word opening a sentence is only
    checked when it is an acronym or part of a multiword name.

Known limits
    A capitalised word whose lower-case form is a common word of the source passes
    ("Le Monde" when the source says "le monde"); so does a new combination of
    known parts ("Pierre" is known from "Jean-Pierre"). A surname alone at the
    start of a sentence is not checked. Near misses are searched among the
    source's quotations only (not its narrative), and a short quotation (one to
    three words) is only repaired for a typo-like difference. Numbers written in
    words in the article, and dates written out ("le 13 juin") beyond their
    digits, are not checked.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pydantic import BaseModel

__all__ = ["FidelityIssue", "FidelityGuard"]


class FidelityIssue(BaseModel):
    kind: str  # "quote" | "number" | "name"
    text: str  # the offending passage as written in the article
    detail: str  # French explanation for the journalist


# --------------------------------------------------------------------------- #
# Text helpers
# --------------------------------------------------------------------------- #

_APOS = set("'’‘ʼ′`´")
_DQUOTES = set('"«»“”„‟')
_DASHES = set("‐‑‒–—―−")
_ABSORB = set(",.;:!?\"()[]'")  # spaces around these are not significant
_SPACES = set(" \t\n\r\u00a0\u202f\u2009\u2007\u2002\u2003\u200a\u2060\ufeff")


def _canon(s: str) -> tuple[str, list[int]]:
    """Canonical form for quote comparison, with a map canonical index -> index in `s`."""
    keep = None
    if "*" in s:  # Markdown emphasis is not part of the words
        keep = [k for k, ch in enumerate(s) if ch != "*"]
        s = s.replace("*", "")
    out: list[str] = []
    idx: list[int] = []
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if c in _SPACES or c.isspace():
            # "8 000" -> "8000": a single space between a digit and exactly three digits.
            group = s[i + 1 : i + 4]
            if (
                out
                and out[-1].isdigit()
                and len(group) == 3
                and group.isdigit()
                and (i + 4 >= n or not s[i + 4].isdigit())
            ):
                i += 1
                continue
            if out and out[-1] != " " and out[-1] not in _ABSORB:
                out.append(" ")
                idx.append(i)
            i += 1
            continue
        if c == "…":
            if out and out[-1] == " ":
                out.pop()
                idx.pop()
            out += "..."
            idx += [i, i, i]
            i += 1
            continue
        if c in _APOS:
            c = "'"
        elif c in _DQUOTES:
            c = '"'
        elif c in _DASHES:
            c = "-"
        elif c == "." and out and out[-1].isdigit() and i + 1 < n and s[i + 1].isdigit():
            c = ","
        if c in _ABSORB and out and out[-1] == " ":
            out.pop()
            idx.pop()
        out.append(c)
        idx.append(i)
        i += 1
    if out and out[-1] == " ":
        out.pop()
        idx.pop()
    if keep is not None:
        idx = [keep[k] for k in idx]
    return "".join(out), idx


_TRANSLATE = {c: "'" for c in _APOS}
_TRANSLATE.update({c: '"' for c in _DQUOTES})
_TRANSLATE.update({c: "-" for c in _DASHES})
_TRANSLATE.update({c: " " for c in _SPACES})
_TRANSLATE["…"] = "..."
_TRANSLATE["*"] = ""
_TRANSLATE = {k: v for k, v in _TRANSLATE.items() if k != v and k not in "\n\t\r"}
_TRANSLATE_RE = re.compile("[" + re.escape("".join(_TRANSLATE)) + "]")
_C_GROUP_RE = re.compile(r"(?<=\d)\s(?=\d{3}(?!\d))")
_C_DECIMAL_RE = re.compile(r"(?<=\d)\.(?=\d)")
_C_SPACES_RE = re.compile(r"\s{2,}|[^\S ]")
_C_ABSORB_RE = re.compile(r" ?([,.;:!?\"()\[\]']) ?")


def _canon_str(s: str) -> str:
    """Same result as ``_canon(s)[0]``, without the index map (fast path for article text)."""
    s = _TRANSLATE_RE.sub(lambda m: _TRANSLATE[m.group(0)], s)
    s = _C_GROUP_RE.sub("", s)
    s = _C_DECIMAL_RE.sub(",", s)
    s = _C_SPACES_RE.sub(" ", s)
    s = _C_ABSORB_RE.sub(r"\1", s)
    return s.strip(" ")


def _lower(s: str) -> str:
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in s)


@lru_cache(maxsize=8192)
def _fold(word: str) -> str:
    """Lower case, no accents, typographic apostrophe -> '."""
    w = unicodedata.normalize("NFD", word.lower())
    w = "".join(ch for ch in w if unicodedata.category(ch) != "Mn")
    return w.replace("’", "'").replace("ʼ", "'")


_OPENERS = "«“„"
_CLOSERS = "»”"


_QUOTE_EVENT_RE = re.compile(r'[«»“”„"]|\n[ \t\u00a0]*\n')


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Outermost quotations as (index of opening mark, index of closing mark)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    n = len(text)
    for m in _QUOTE_EVENT_RE.finditer(text):
        i = m.start()
        c = text[i]
        if c == "\n":
            stack.clear()  # a blank line ends the paragraph
        elif c in _OPENERS:
            stack.append((c, i))
        elif c in _CLOSERS:
            if stack:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
        else:  # straight double quote
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < n else ""
            prev_solid = prev != "" and not prev.isspace()
            opener_like = (not prev_solid or prev in "([{«“‘*_/") and nxt != "" and not nxt.isspace()
            nxt_free = nxt == "" or nxt.isspace() or nxt in ".,;:!?)]…»"
            if stack and stack[-1][0] == '"' and not opener_like:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
            elif stack and prev_solid and nxt_free:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
            elif not stack and prev_solid and nxt_free:
                continue
            else:
                stack.append(('"', i))
    return spans


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
    if _fold(a) == _fold(b):
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


# --------------------------------------------------------------------------- #
# Numbers
# --------------------------------------------------------------------------- #

_MASK_RE = re.compile(
    r"""
      ```[\s\S]*?```
    | `[^`\n]+`
    | (?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)
    | <[^<>\n]*>
    | (?:https?://|ftp://|www\.)[^\s<>"«»“”„‘’…]+
    | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | &(?:[A-Za-z][A-Za-z0-9]*|\#\d+|\#[xX][0-9a-fA-F]+);
    """,
    re.VERBOSE,
)


def _mask(text: str) -> str:
    """Blank out URLs, link targets, code and tags (same length, positions kept)."""
    return _MASK_RE.sub(lambda m: " " * len(m.group(0)), text)


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


# --------------------------------------------------------------------------- #
# Names
# --------------------------------------------------------------------------- #

_TOKEN_RE = re.compile(r"[^\W_][\w]*(?:[-'’ʼ][^\W_][\w]*)*")
_ELIDED_RE = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’ʼ](.+)$", re.IGNORECASE)
_UPPER = "".join(chr(i) for i in range(0x250) if chr(i).isupper() and chr(i).isalpha())
_CAP_RE = re.compile(
    r"(?<![\w'’ʼ‘-])(?:(?:[lLdDjJmMnNsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)['’ʼ‘])?"
    r"(?P<w>[" + re.escape(_UPPER) + r"]\w*(?:[-'’ʼ][^\W_]\w*)*)"
)
_PARTICLE_GAP_RE = re.compile(
    r"[ \u00a0](?:(?:de|du|des|von|van|der|den|di|da|del|della|dos|das|le|la|ben|bin|al|el|y)[ \u00a0]|d['’])"
)
_MONTHS_DAYS = {
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche",
}
_IGNORED_CAPS = {
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste",
    "etat", "etats", "occident", "premier", "premiere", "internet", "web", "nord", "sud",
    "est", "ouest", "terre", "histoire", "ndlr", "video", "photo", "direct",
}
_ABBREVIATIONS = {"m", "mm", "mme", "dr", "pr", "me", "mgr", "st", "ste", "mr", "mrs", "gen", "col", "cdt"}
_STOPWORDS = set(
    """le la les l un une des du de d au aux ce cet cette ces son sa ses leur leurs mon ma mes
    notre nos votre vos il elle ils elles on nous vous je tu y en et ou mais donc or ni car que qui
    quoi dont où ou quand comme si selon pour par avec sans sous sur dans entre vers chez après avant
    depuis pendant lors malgré contre dès face hier demain alors ainsi aussi encore enfin puis
    toutefois cependant pourtant néanmoins désormais déjà même tous tout toute toutes plus moins
    très trop peu beaucoup certains certaines plusieurs chaque aucun aucune autre autres quel quelle
    quels quelles cela ceci ça voici voilà lorsque puisque tandis parmi outre côté concernant
    suite grâce afin là ici non oui seul seule seuls seules cet selon à a dans lors c'est ce
    face près loin jusqu'à jusque""".split()
)
_STOPWORDS_FOLDED = {_fold(w) for w in _STOPWORDS}
_SUFFIXES = sorted(
    """iennes ienne iens ien aises aise ais oises oise ois aines aine ains ain iques ique ques que
    ennes enne ens istes iste ites ite ies ie ees ee es e s ans an anes ane iotes iote ards ard
    iaques iaque""".split(),
    key=len,
    reverse=True,
)


@lru_cache(maxsize=8192)
def _stem(w: str) -> str:
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def _common_prefix(a: str, b: str) -> int:
    k = 0
    for x, y in zip(a, b):
        if x != y:
            break
        k += 1
    return k


def _is_acronym(tok: str) -> bool:
    letters = [c for c in tok if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --------------------------------------------------------------------------- #
# The guard
# --------------------------------------------------------------------------- #


class _SourceQuote:
    __slots__ = ("start", "inner", "_map", "words", "spans")

    def __init__(self, start: int, inner: str):
        self.start = start
        self.inner = inner
        self._map: list[int] | None = None
        low = _lower(_canon_str(inner))
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        for m in _WORD_RE.finditer(low):
            self.words.append(m.group(0))
            self.spans.append((m.start(), m.end()))

    def original(self, first_word: int, end_word: int) -> tuple[int, int]:
        """Span in the source of words [first_word, end_word) of this quotation."""
        if self._map is None:
            self._map = _canon(self.inner)[1]
        a = self.start + self._map[self.spans[first_word][0]]
        b = self.start + self._map[self.spans[end_word - 1][1] - 1] + 1
        return a, b


class FidelityGuard:
    """Index a source once; check and repair article text against it."""

    def __init__(self, source: str):
        self.source = unicodedata.normalize("NFC", source or "")
        self._canon = _canon_str(self.source)
        self._lower = _lower(self._canon)
        self._map_cache: list[int] | None = None  # canonical index -> source index, built on demand
        # Quotations of the source, for near-miss repair.
        self._quotes: list[_SourceQuote] = []
        for a, b in _quote_spans(self.source):
            if b - a > 2 and b - a < 3000:
                q = _SourceQuote(a + 1, self.source[a + 1 : b])
                if q.words:
                    self._quotes.append(q)
        self._numbers = self._index_numbers(self.source)
        self._match_cache: dict[str, tuple[str, str | None, str]] = {}
        self._known_cache: dict[str, bool] = {}
        self._words: set[str] = set()
        for m in _TOKEN_RE.finditer(self.source):
            tok = m.group(0)
            e = _ELIDED_RE.match(tok)
            if e:
                tok = e.group(1)
            f = _fold(tok)
            self._words.add(f)
            if "-" in f:
                self._words.update(p for p in f.split("-") if p)
        self._stems: dict[str, list[str]] = {}
        for w in self._words:
            if len(w) >= 4 and "-" not in w:
                s = _stem(w)
                self._stems.setdefault(s[:4], []).append(s)

    # ------------------------------------------------------------ numbers --

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
            if gap and "et" in gap.group(0) and _lower(m.group(0)) not in ("un", "une", "onze"):
                gap = None
            if gap:
                run.extend(_lower(m.group(0)).split("-"))
                run_end = m.end()
                continue
            if run:
                values |= _run_values(run, source, run_end)
            run = _lower(m.group(0)).split("-")
            run_end = m.end()
        if run:
            values |= _run_values(run, source, run_end)
        return values

    def _number_issues(self, masked: str) -> list[FidelityIssue]:
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

    # -------------------------------------------------------------- names --

    def _known(self, tok: str) -> bool:
        known = self._known_cache.get(tok)
        if known is None:
            known = self._known_cache[tok] = self._known_uncached(tok)
        return known

    def _known_uncached(self, tok: str) -> bool:
        f = _fold(tok)
        if f in self._words or f in _IGNORED_CAPS or f in _MONTHS_DAYS:
            return True
        if "-" in f:
            parts = [p for p in f.split("-") if p]
            if parts and all(self._known(p) for p in parts):
                return True
        if _is_acronym(tok):
            return False
        f = f.replace("'", "")
        if len(f) < 4:
            return False
        s = _stem(f)
        for t in self._stems.get(s[:4], ()):
            if s == t:
                return True
            shorter = min(len(s), len(t))
            if shorter >= 4 and (s.startswith(t) or t.startswith(s)) and abs(len(s) - len(t)) <= 2:
                return True
            if _common_prefix(s, t) >= max(5, shorter - 2):
                return True
        return False

    @staticmethod
    @lru_cache(maxsize=8192)
    def _candidate(tok: str) -> bool:
        """A capitalised word that could be a proper name."""
        if not (tok[0].isupper() and tok[0].isalpha()):
            return False
        if sum(1 for c in tok if c.isalpha()) < 2:
            return False  # initials, "article V"
        f = _fold(tok)
        if f in _MONTHS_DAYS or f in _IGNORED_CAPS:
            return False
        return not _ROMAN_ORD_RE.fullmatch(tok) and not (
            all(c in "IVX" for c in tok) and _roman(tok)
        )

    @staticmethod
    def _sentence_initial(text: str, start: int) -> bool:
        j = start - 1
        while j >= 0 and text[j] in " \t\u00a0\u202f*_[(":
            j -= 1
        if j < 0:
            return True
        c = text[j]
        if c in "»”)":
            # « … fin de phrase. » Suite : a closing mark after a full stop ends the sentence
            k = j - 1
            while k >= 0 and text[k] in " \t\u00a0\u202f":
                k -= 1
            return k >= 0 and text[k] in ".!?…"
        if c == "\n" or c in "!?…:«“\"„–—#>|":
            return True
        if c == ".":
            k = j - 1
            while k >= 0 and text[k].isalpha():
                k -= 1
            word = text[k + 1 : j]
            return _fold(word) not in _ABBREVIATIONS
        if c in "-+" or c.isdigit():
            # list marker at line start ("- ", "* ", "1. ")
            k = j
            while k >= 0 and (text[k] in "-+*.) \t" or text[k].isdigit()):
                k -= 1
            return k < 0 or text[k] == "\n"
        return False

    @staticmethod
    def _title_case_lines(text: str) -> list[tuple[int, int]]:
        """Short lines (titles, headings) written in Title Case ("Ce Que Prépare Le Kremlin").

        Told from a sentence full of names by its function words: in Title Case they
        are capitalised too ("Le", "Pour", "Que"), in a sentence they are not.
        """
        spans = []
        pos = 0
        for line in text.split("\n"):
            stripped = line.strip().rstrip("*_ ")
            if not stripped or stripped.endswith(".") or stripped.count(" ") > 20 or len(line.split()) > 16:
                pos += len(line) + 1
                continue
            words = re.findall(r"[^\W\d_][\w'’-]*", line)[1:]
            if words:
                func = [w for w in words if _fold(w) in _STOPWORDS_FOLDED]
                caps_func = sum(1 for w in func if w[0].isupper())
                long = [w for w in words if len(w) >= 4]
                if func:
                    title = caps_func >= 1 and caps_func == len(func)
                else:
                    title = len(long) >= 3 and sum(1 for w in long if w[0].isupper()) >= 0.8 * len(long)
                if title:
                    spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans

    def _name_issues(self, masked: str) -> list[FidelityIssue]:
        title_lines = self._title_case_lines(masked)

        def in_title_line(p: int) -> bool:
            return any(a <= p < b for a, b in title_lines)

        # Capitalised tokens only: (start of the match, start of the word, end, word)
        toks = []
        for m in _CAP_RE.finditer(masked):
            tok = m.group("w")
            if self._candidate(tok):
                toks.append((m.start(), m.start("w"), m.end(), tok))
        issues: list[FidelityIssue] = []
        i = 0
        n = len(toks)
        while i < n:
            # A group: capitalised words separated by one space, or by a particle ("de", "d’")
            # when the words around it are unknown ("Charles de Gaulle").
            group = [i]
            j = i + 1
            while j < n:
                prev_end = toks[j - 1][2]
                gap = masked[prev_end : toks[j][1]]
                if gap in (" ", "\u00a0") and toks[j][0] == toks[j][1]:
                    group.append(j)
                    j += 1
                    continue
                pm = _PARTICLE_GAP_RE.fullmatch(gap)
                if pm and not self._known(toks[j - 1][3]) and not self._known(toks[j][3]):
                    group.append(j)
                    j += 1
                    continue
                break
            i = j
            first = group[0]
            start = toks[first][1]
            if in_title_line(start):
                for k in group:
                    t = toks[k][3]
                    if _is_acronym(t) and not self._known(t):
                        issues.append(FidelityIssue(kind="name", text=t, detail="Nom absent de la dépêche"))
                continue
            checked = group
            if self._sentence_initial(masked, toks[first][0]):
                if len(group) == 1:
                    t = toks[first][3]
                    if _is_acronym(t) and not self._known(t):
                        issues.append(FidelityIssue(kind="name", text=t, detail="Nom absent de la dépêche"))
                    continue
                checked = group[1:]
                if _fold(toks[first][3]) in _STOPWORDS_FOLDED:
                    group = group[1:]
            if any(not self._known(toks[k][3]) for k in checked):
                a, b = toks[group[0]][1], toks[group[-1]][2]
                issues.append(FidelityIssue(kind="name", text=masked[a:b], detail="Nom absent de la dépêche"))
        return issues

    # ------------------------------------------------------------- quotes --

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
        canon = _canon_str(core)
        low = _lower(canon)
        if not low or not _WORD_RE.search(low):
            return "exact", None, ""
        pos = self._find_exact(low)
        if pos >= 0:
            if self._canon[pos + 1 : pos + len(canon)] == canon[1:]:
                return "exact", None, low
            if self._map_cache is None:
                self._map_cache = _canon(self.source)[1]
            a = self._map_cache[pos]
            b = self._map_cache[pos + len(canon) - 1] + 1
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

    def _pieces(self, inner: str) -> list[str]:
        return _ELISION_RE.split(inner)

    def fix_quotes(self, text: str) -> str:
        """Replace near-miss quotations by the source's exact words."""
        if not text:
            return text
        text = unicodedata.normalize("NFC", text)
        out = text
        for a, b in reversed(_quote_spans(text)):
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
                        core = self._keep_first_case(core, words)
                        changed = True
                new_pieces.append(pre + core + post)
            if changed:
                rebuilt = new_pieces[0]
                for sep, piece in zip(seps, new_pieces[1:]):
                    rebuilt += sep + piece
                out = out[: a + 1] + rebuilt + out[b:]
        return out

    def _quote_issues(self, text: str) -> list[FidelityIssue]:
        issues: list[FidelityIssue] = []
        for a, b in _quote_spans(text):
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

    def issues(self, text: str) -> list[FidelityIssue]:
        """Problems left in `text`: quotes not in the source, numbers and names it does not hold."""
        if not text or not text.strip():
            return []
        text = unicodedata.normalize("NFC", text)
        masked = _mask(text)
        found = self._quote_issues(masked) + self._number_issues(masked) + self._name_issues(masked)
        seen: set[tuple[str, str]] = set()
        unique = []
        for issue in found:
            key = (issue.kind, issue.text)
            if key not in seen:
                seen.add(key)
                unique.append(issue)
        return unique
