"""The words whose syllables are checked against Yoast's count (tests/analysis/test_structures.py).

    python tests/analysis/make_syllable_words.py | node tools/yoast/syllables.cjs \
        > tests/analysis/fixtures/syllables_yoast.json

Every distinct word of the recorded articles, plus nouns and adjectives whose « -ent »
is heard and verbs whose « -ent » is mute, which French news copy is full of.
"""
from __future__ import annotations

import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))

from seo.analysis.text import get_words  # noqa: E402

ENT = """confluent accident accidents parent parents incident président présidents précédent continent
fréquent permanent différent afférent affluent excédent adhérent client clients patient patients
talent talents moment moments argent urgent récent souvent content absent violent prudent
ils parlent elles affirment aiment dorment couvent couvrent président présentent résident résident
adolescent équivalent intelligent serpent sergent régent torrent évident pertinent""".split()


def main() -> None:
    words: set[str] = set(ENT)
    fixtures = os.path.join(os.path.dirname(__file__), "fixtures")
    for path in sorted(glob.glob(os.path.join(fixtures, "*.json"))):
        if path.endswith("_yoast.json"):
            continue
        for case in json.load(open(path, encoding="utf-8")):
            words.update(w.lower() for w in get_words(case.get("body_markdown", "")))
    json.dump(sorted(words), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
