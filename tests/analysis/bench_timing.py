"""Quick timing of analyze() on a 1 000-word article (not a test).

    python tests/analysis/bench_timing.py
"""
from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from seo.analysis import analyze, document_from_markdown  # noqa: E402

with open(os.path.join(os.path.dirname(__file__), "fixtures", "sample_otan.md"), encoding="utf-8") as f:
    base = document_from_markdown(f.read())
body = base.body_markdown
while len(body.split()) < 1000:
    body += "\n\n" + base.body_markdown.split("\n\n", 1)[1]
doc = base.__class__(**{**base.__dict__, "body_markdown": body})
analyze(doc)  # warm the caches (regexes, check registry)
n = 50
t0 = time.perf_counter()
for _ in range(n):
    rep = analyze(doc)
dt = (time.perf_counter() - t0) / n
print(f"{rep['word_count']} words: {dt * 1000:.1f} ms per analyze()")
