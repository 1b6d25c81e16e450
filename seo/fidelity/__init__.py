"""Fidelity guard: quotations, figures, names and links of an article against its source.

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

from .guard import FidelityGuard
from .issues import ISSUE_KINDS, FidelityIssue
from .links import find_urls, strip_links

__all__ = ["FidelityIssue", "FidelityGuard", "ISSUE_KINDS", "find_urls", "strip_links"]
