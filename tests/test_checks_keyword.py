"""The pipeline's keyword checks agree with the analysis (and so with Yoast SEO): a draft they
let through never shows a red keyphrase light in the report, and a hyphenated, elided or
particle-holding keyphrase that is there is never sent back for repair."""
from __future__ import annotations

import pytest

from seo.analysis import Document, analyze
from seo.keywords import contains_keyword

CASES = [
    ("contre-offensive ukrainienne", "La contre-offensive ukrainienne progresse à l’est"),
    ("Jean-Marie Le Pen", "Les obsèques de Jean-Marie Le Pen ont eu lieu"),
    ("sommet de l’Otan", "Le sommet de l'Otan s’ouvre à Vilnius"),
    ("petite-bourgeoise", "Une famille petite-bourgeoise de province"),
    ("réforme des retraites", "La réforme de la retraite passe au Sénat"),
    ("sanctions", "Une sanction contre Moscou"),
    ("OTAN", "L’Otan réunit ses membres"),
    ("prix de l’énergie", "Les prix de l'energie s’envolent"),
]


@pytest.mark.parametrize("keyword, title", CASES)
def test_keyword_in_seo_title_agrees_with_the_analysis(keyword, title):
    doc = Document(title=title, body_markdown="Un texte.", keyword=keyword, meta_title=title,
                   meta_description="", slug="")
    check = next(c for c in analyze(doc)["seo"]["checks"] if c["id"] == "keyphraseInSEOTitle")
    assert contains_keyword(title, keyword) == (check["score"] > 2), (keyword, title, check)
