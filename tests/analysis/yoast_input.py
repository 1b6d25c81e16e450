"""Turns our test documents into the input of tools/yoast/record.cjs.

    python tests/analysis/yoast_input.py FIXTURE.json | node tools/yoast/record.cjs > EXPECTED.json

Both sides analyse the same thing: the body as the HTML the CMS gets (seo.render.body_html,
the production rendering: paragraphs, headings, quotes, lists, tables), the SEO title, its width as we compute it, the meta
description and the slug.
"""
from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from seo.analysis.checks.title_width import title_width  # noqa: E402
from seo.analysis.document import Document  # noqa: E402
from seo.render import body_html  # noqa: E402


def to_input(case: dict) -> dict:
    doc = Document(**{k: case.get(k, "") for k in ("title", "body_markdown", "keyword", "meta_title",
                                                    "meta_description", "slug")})
    seo_title = doc.meta_title or doc.title
    return {"id": case["id"], "html": body_html(doc.body_markdown), "keyword": doc.keyword,
            "title": seo_title, "title_width": title_width(seo_title), "description": doc.meta_description,
            "slug": doc.slug}


if __name__ == "__main__":
    cases = json.load(open(sys.argv[1], encoding="utf-8"))
    json.dump([to_input(c) for c in cases], sys.stdout, ensure_ascii=False)
