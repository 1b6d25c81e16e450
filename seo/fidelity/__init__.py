"""Fidelity guard: quotations, figures, names and links of an article against its source.

    from seo.fidelity import FidelityGuard, FidelityIssue, ISSUE_KINDS, strip_links, find_urls
    guard = FidelityGuard(dispatch_text)          # index the source once (about 1 ms)
    text = guard.fix_quotes(guard.strip_links(model_text))
    issues = guard.issues(text)                   # list[FidelityIssue(kind, text, detail)]

``FidelityGuard(source)`` indexes the dispatch once; then, for any text of the
article (a field, a title variant, a social post):

* ``strip_links(text)`` turns link, image and HTML markup into plain text (labels
  kept); only URLs the source holds stay, as plain text;
* ``fix_quotes(text)`` puts near-miss quotations back to the source's exact words,
  in French typography (the article's quote marks and surrounding punctuation are kept);
* ``issues(text)`` lists what is left to check by a human ("À vérifier");
* ``link_issues(text, removed=False)`` lists the URLs of a text (before stripping)
  that the source does not hold.

One module per kind, as ``seo/analysis`` has one per check: ``quotes.py``,
``numbers.py``, ``names.py``, ``links.py``; ``normalise.py`` holds what they share
(canonical text, folding, quotation spans, masking, language); ``guard.py`` runs them.
Issue kinds (``ISSUE_KINDS``, the JSON report's ``kind``): ``quote``, ``number``,
``name``, ``link``.

Quotations
    Every passage between « », “ ” or " " must appear word for word in the source
    after normalisation of apostrophes (’ ' ‘ ʼ), spaces (U+00A0, U+202F, runs of
    spaces, spaces around punctuation and inside guillemets), ellipses (… / ...),
    dashes, digit grouping (8 000 / 8000), decimal separator and case. A fragment
    is fine, and so is an elided quotation (``[…]``, ``[...]``, ``(…)``) whose
    pieces are in the source in that order. A near miss (a few words changed,
    added or dropped, a source typo "corrected") is matched against the source's
    quotations by a word-level edit distance and replaced by the source's words,
    typos included, typeset like the article (’, no-break spaces, “ ” inside).
    Anything else is an issue.
Numbers
    Every number of the text is compared by value with the numbers of the source,
    each read in its own conventions (``numbers.py``): the source in those of its
    language and of its own numbers (English ``800,000`` and ``1.5``, German
    ``5.000``), the article as French (``800 000``, ``1,5``). Scale words make
    values (``1.5 million`` == ``1 500 000``, ``$2bn`` == ``2 milliards``) and a
    figure with a scale word is compared by its scaled value only, so a figure off
    by a factor of 1 000 is an issue. Numbers the source writes in words
    (``trois``, ``vingt-deux``, ``deux cents``, ``two million``), ordinals
    (``premier``, ``deuxième``) and Roman numerals (``article V``) count as source
    numbers. Numbered-list markers are ignored; numbers written in words in the
    article are not checked.
Names
    Capitalised words that are not at the start of a sentence, multiword names
    and acronyms must be held by the source, compared without case and accents.
    Demonyms and adjectives derived from a source name are accepted
    (Ukraine → Ukrainiens, Russie → Russes, France → Français). Months, days,
    civilities (M., Mme) and a short list of conventionally capitalised common
    nouns (État, Occident, Premier ministre…) are ignored; in Title Case lines only
    acronyms are checked. A single capitalised word opening a sentence is only
    checked when it is an acronym or part of a multiword name. A first name of a
    source person must come with a surname the source gives it (« Ole Houry » for
    Ole Solvang and Nadim Houry is an issue, « Houry » alone is fine), particles
    (de, Le, von der) and hyphenated first names included; an initial must be the
    source's (« O. Houry » for Nadim Houry is an issue).
Links
    See ``links.py``: the model's links, images, HTML and URLs never ship; a URL the
    source does not hold is an issue of kind ``link``.

Known limits
    A capitalised word whose lower-case form is a common word of the source passes
    ("Le Monde" when the source says "le monde"). A surname alone at the
    start of a sentence is not checked; a first name alone is not checked. Near
    misses are searched among the source's quotations only (not its narrative),
    and a short quotation (one to three words) is only repaired for a typo-like
    difference. Numbers written in words in the article, and dates written out
    ("le 13 juin") beyond their digits, are not checked.
"""
from __future__ import annotations

from .guard import FidelityGuard
from .issues import ISSUE_KINDS, FidelityIssue
from .links import find_urls, strip_links

__all__ = ["FidelityIssue", "FidelityGuard", "ISSUE_KINDS", "find_urls", "strip_links"]
