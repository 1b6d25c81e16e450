"""French Flesch reading ease (Kandel & Moles), computed as Yoast SEO does.

    score = 207 - 1.015 × words/sentence - 73.6 × syllables/word

Numbers are removed first; words are Yoast's words, syllables counted with the
French rules of ``syllables.count_syllables``. The score is rounded
to one decimal and kept within 0..100. Yoast computes it only for texts of more
than 10 words (we then return 0.0).
"""
from __future__ import annotations

import math

BORDERS = ((90, "très facile"), (80, "facile"), (70, "assez facile"), (60, "correct"),
           (50, "assez difficile"), (30, "difficile"), (0, "très difficile"))


def flesch_score(sentences: int, words: int, syllables: int) -> float:
    if sentences < 1 or words <= 10:
        return 0.0
    score = 207 - 1.015 * words / sentences - 73.6 * syllables / words
    score = math.floor(score * 10 + 0.5) / 10
    return float(min(100.0, max(0.0, score)))


def difficulty(score: float) -> str:
    for border, label in BORDERS:
        if score >= border:
            return label
    return BORDERS[-1][1]
