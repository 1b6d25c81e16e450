"""French SEO and readability analysis that agrees with Yoast SEO (yoastseo 3.x).

    from seo.analysis import Document, analyze, count_words, document_from_markdown
    report = analyze(Document(title=..., body_markdown=..., keyword=..., meta_title=...,
                              meta_description=..., slug=...))

Shape copied from Yoast: one module per assessment in ``checks/`` (Yoast's
identifier, thresholds as constants beside it), a French "researcher"
(``researcher.py``, ``function_words.py``, ``syllables.py``), a ``Paper`` that computes
the text's sentences and keyphrase matches once. The reference is the free
``yoastseo`` package for locale fr_FR; ``tools/yoast/record.cjs`` records its
scores on French articles and the tests in ``tests/analysis`` hold them as JSON.

Overall scores, derived as Yoast derives them:
* SEO: ``round(sum of the raw check scores × 100 / (9 × number of checks))``,
  clamped to 0..100 (Yoast's SEOScoreAggregator; its raw scores can be negative,
  e.g. -50 for a stuffed keyphrase, -999 for no keyphrase).
* Readability (French is "fully supported"): penalty 3 per bad (score 1-4) and 2 per
  ok (5-7) check; penalty > 6 → 30, > 4 → 60, else 90; no text → 0
  (Yoast's ReadabilityScoreAggregator).
Ratings: 1-4 bad, 5-7 ok, 8-9 good.

Where and why we deliberately differ from Yoast:
* Checks run: the text checks, plus Yoast's internalLinks and externalLinks when
  the page's links are known (``Document.links`` not None: the product sets it when
  the article goes to a known WordPress site or carries verified links). Yoast's
  image, competing-links, single-H1 and function-words-in-keyphrase checks are left
  out (the article has no images until the CMS adds them; our anchors never hold
  the keyphrase). The SEO overall score is therefore over our 10 SEO checks (12 with
  the link checks), not Yoast's 17; it is what Yoast computes over those.
* Check scores in the report are clamped to 1..9 (Yoast's -10/-20/-50/-999 become
  1); the overall score still uses the raw values, like Yoast.
* titleWidth: Yoast gets the width from the browser (the snippet preview,
  Arial 20 px); we compute it from Arial's published advance widths. The SEO title
  is ``meta_title``, or the title when it is empty (no "| Site name" suffix: the
  CMS template is unknown).
* The Flesch score is reported as a number only: yoastseo 3.x has no
  fleschReadingEase assessment any more (it is an insight). Below 11 words Yoast
  has no score; we report 0.0.
* Keyphrase matching (matching.py) works as in Yoast SEO free: the keyphrase is
  cut at spaces, hyphens and en dashes ("contre-offensive ukrainienne" ->
  contre, offensive, ukrainienne), function words are dropped (function_words.py,
  the same grammatical classes as Yoast's French list: contre, petite, Le…), each
  word is matched case-insensitively, with or without accents, also after an
  elision (l'/d'/qu', ’ or '); no plural forms; straight or curly double quotes
  ask for an exact match, « » do not. Plural and feminine forms as in Yoast
  Premium only with ``analyze(doc, morphology=True)`` (density then allows 3.5 %).
* Passive voice follows Yoast's clause cutting; its participle and exception
  lists are our own and shorter than Yoast's, written from recorded
  disagreements, so a rare participle can still be judged differently.
* Syllables (syllables.py) are counted with Yoast's own algorithm and French data
  (syllables_fr.py, generated from yoastseo by tools/yoast/french_facts.py).
* Agreement measured against yoastseo 3.6.0 (tests/analysis, fixtures recorded by
  tools/yoast/record.cjs on the HTML production renders): same rating on 13 024/13 024
  (article, check) pairs of 814 articles (varied articles, pipeline rewrites, boundary
  cases, 486 articles on 81 keyphrases, 100 passive-voice articles, 90 articles with
  blockquotes, nested lists, tables and code), every keyphrase check's score, count and
  forms equal on all of them, every passive verdict on 2 500 sentences; word counts
  equal; syllables equal on 2 780 words; Flesch equal on the structured articles and
  within 0.2 point on the others.
* Structure (document.py): the body is parsed with the product's Markdown dialect
  (seo/markup.py, the one seo.render gives the CMS), each text block keeping where it
  sits, and each assessment reads what Yoast's does: blockquotes and code count for
  Flesch only (Yoast's filterTree and htmlParser drop them); list items and table
  cells are paragraphs and sentences like any other, but not sentence beginnings
  (getSentenceBeginnings filters ul, ol and table); passive voice counts sentences line
  by line of the rendered HTML, as Yoast's getSentences does, so a table's <tr> lines
  weigh on its percentage as they do in Yoast.
"""
from __future__ import annotations

import re

from .checks import all_checks
from .document import Document, document_from_markdown
from .flesch import flesch_score
from .paper import Paper
from .text import count_words

__all__ = ["Document", "analyze", "count_words", "document_from_markdown", "rating",
           "seo_overall", "readability_overall"]

READABILITY_GOOD, READABILITY_OK, READABILITY_BAD, READABILITY_NONE = 90, 60, 30, 0
PENALTY = {"bad": 3, "ok": 2, "good": 0}


def rating(score: int) -> str:
    """Yoast's scoreToRating: bad 1-4 (and negative), ok 5-7, good 8-9."""
    if score <= 4:
        return "bad"
    if score <= 7:
        return "ok"
    return "good"


def seo_overall(raw_scores: list[int]) -> int:
    if not raw_scores:
        return 0
    value = round(sum(raw_scores) * 100 / (len(raw_scores) * 9) + 1e-9)
    return max(0, min(100, value))


def readability_overall(raw_scores: list[int], has_text: bool = True) -> int:
    if not has_text or len(raw_scores) <= 1:
        return READABILITY_NONE
    penalty = sum(PENALTY[rating(s)] for s in raw_scores)
    if penalty > 6:
        return READABILITY_BAD
    if penalty > 4:
        return READABILITY_OK
    return READABILITY_GOOD


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_BEFORE_PUNCT = re.compile(r" (?=[:;!?%»])")
_AFTER_GUILLEMET = re.compile(r"(?<=«) ")


def _french(message: str) -> str:
    """Messages as a French reader expects them: ’, decimal comma, no-break spaces."""
    message = _DECIMAL.sub(",", _APOSTROPHE.sub("’", message))
    return _AFTER_GUILLEMET.sub("\u00a0", _BEFORE_PUNCT.sub("\u00a0", message))


def analyze(doc: Document, morphology: bool = False) -> dict:
    """The analysis report of a document (see DESIGN.md, "The analysis")."""
    paper = Paper(doc, morphology=morphology)
    out: dict[str, list[dict]] = {"seo": [], "readability": []}
    raw: dict[str, list[int]] = {"seo": [], "readability": []}
    for check in all_checks():
        result = check.assess(paper)
        if result is None:
            continue
        score, message = result
        raw[check.KIND].append(score)
        out[check.KIND].append({"id": check.ID, "score": max(1, min(9, int(score))), "message": _french(message)})
    return {
        "word_count": paper.word_count,
        "seo": {"score": seo_overall(raw["seo"]), "checks": out["seo"]},
        "readability": {
            "score": readability_overall(raw["readability"], bool(paper.text.strip())),
            "flesch": flesch_score(*paper.flesch_stats),
            "checks": out["readability"],
        },
    }
