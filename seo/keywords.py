"""Keyword presence (through the analysis's Yoast-grade matcher) and slugs, for the pipeline's checks."""
from __future__ import annotations

import re
import unicodedata

_FUNCTION_WORDS = frozenset(
    """le la les l un une des du de d au aux à a et ou en dans sur pour par avec sans sous
    ce cet cette ces son sa ses leur leurs qui que qu quoi dont est sont se s y ne pas
    the of and in on for to a an""".split()
)
_WORD = re.compile(r"[\w’'-]+", re.U)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _stem(word: str) -> str:
    w = strip_accents(word.lower())
    w = re.sub(r"^(l|d|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu)['’]", "", w)
    for suffix in ("aux", "s", "x"):
        if len(w) > 3 and w.endswith(suffix):
            w = w[: -len(suffix)] + ("al" if suffix == "aux" else "")
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]  # feminine forms: ukrainienne/ukrainien
    if len(w) > 5 and w.endswith("nn"):
        w = w[:-1]
    return w


def content_stems(text: str) -> list[str]:
    stems = []
    for raw in _WORD.findall(text):
        for part in re.split(r"['’]", raw)[-1:]:
            if part and strip_accents(part.lower()) not in _FUNCTION_WORDS:
                stems.append(_stem(part))
    return stems


def contains_keyword(text: str, keyword: str) -> bool:
    """True when every word of the keyphrase is in `text` as Yoast SEO finds it (the analysis's
    matcher: hyphens, elisions, function words, no plural a reader's CMS would not accept), so a
    draft that passes the pipeline's checks shows the same green light in the report and the CMS."""
    from .analysis.matching import keyphrase_forms, percent_found

    forms = keyphrase_forms(keyword)
    return bool(forms) and percent_found(text, forms) == 100


def slugify(text: str, max_len: int = 75) -> str:
    s = strip_accents(text.lower())
    s = re.sub(r"['’]", "-", s)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0]
    return s


def make_slug(keyword: str, title: str, extra_words: int = 3) -> str:
    """The keyword first, then a few distinctive words of the title."""
    base = slugify(keyword)
    have = set(base.split("-"))
    extra = []
    for word in slugify(title).split("-"):
        if word and word not in have and word not in _FUNCTION_WORDS and len(word) > 2:
            extra.append(word)
            have.add(word)
        if len(extra) >= extra_words:
            break
    return slugify("-".join([base, *extra]))
