"""Compares our analysis with recorded Yoast results.

    python tests/analysis/agreement.py ARTICLES.json YOAST.json [-v]

Prints, per check, how often our rating (bad/ok/good) equals Yoast's, the share
of Flesch scores within 3 points and of word counts within 2 %.
"""
from __future__ import annotations

import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from seo.analysis import Document, analyze, rating  # noqa: E402


def compare(articles: list[dict], expected: list[dict]) -> dict:
    by_id = {e["id"]: e for e in expected}
    per_check = defaultdict(lambda: [0, 0])
    mismatches = []
    flesch_ok = flesch_n = wc_ok = 0
    for a in articles:
        e = by_id[a["id"]]
        doc = Document(**{k: a.get(k, "") for k in ("title", "body_markdown", "keyword", "meta_title",
                                                     "meta_description", "slug")})
        rep = analyze(doc)
        ours = {c["id"]: c["score"] for c in rep["seo"]["checks"] + rep["readability"]["checks"]}
        theirs = dict(e["seo"], **e["readability"])
        for cid, ys in theirs.items():
            if cid not in ours:
                continue
            per_check[cid][1] += 1
            if rating(ours[cid]) == rating(ys):
                per_check[cid][0] += 1
            else:
                mismatches.append((a["id"], cid, ours[cid], ys))
        if e["flesch"] >= 0:
            flesch_n += 1
            flesch_ok += abs(rep["readability"]["flesch"] - e["flesch"]) <= 3
            if abs(rep["readability"]["flesch"] - e["flesch"]) > 3:
                mismatches.append((a["id"], "flesch", rep["readability"]["flesch"], e["flesch"]))
        wc = e["word_count"]
        ok = abs(rep["word_count"] - wc) <= 0.02 * wc
        wc_ok += ok
        if not ok:
            mismatches.append((a["id"], "word_count", rep["word_count"], wc))
    agree = sum(v[0] for v in per_check.values())
    total = sum(v[1] for v in per_check.values())
    return {"pairs": total, "agree": agree, "per_check": dict(per_check), "flesch_ok": flesch_ok,
            "flesch_n": flesch_n, "word_count_ok": wc_ok, "articles": len(articles), "mismatches": mismatches}


if __name__ == "__main__":
    arts = json.load(open(sys.argv[1], encoding="utf-8"))
    exp = json.load(open(sys.argv[2], encoding="utf-8"))
    r = compare(arts, exp)
    print(f"ratings: {r['agree']}/{r['pairs']} = {100 * r['agree'] / max(1, r['pairs']):.1f} %")
    for cid, (a, n) in sorted(r["per_check"].items()):
        print(f"  {cid:24s} {a}/{n}")
    print(f"flesch within 3: {r['flesch_ok']}/{r['flesch_n']}")
    print(f"word count within 2 %: {r['word_count_ok']}/{r['articles']}")
    if "-v" in sys.argv:
        for m in r["mismatches"]:
            print("  MISMATCH", m)
