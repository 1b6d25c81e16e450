"""sentenceBeginnings: never more than 2 consecutive sentences opening with the same word.

As in Yoast, list items and table cells are left out (three bullets opening « Les … » are no run).
"""
from .. import researcher as fr
from . import Check

MAX_SAME_BEGINNINGS = 2
SCORE_GOOD, SCORE_BAD = 9, 3


def beginning(sentence) -> str:
    words = [w for w in sentence.words if w.strip()]
    if not words:
        return ""
    first = words[0].lower()
    if first in fr.FIRST_WORD_EXCEPTIONS and len(words) > 1:
        first += " " + words[1].lower()
    return first


class SentenceBeginnings(Check):
    ID = "sentenceBeginnings"
    KIND = "readability"
    ORDER = 6

    def assess(self, paper):
        starts = [beginning(s) for s in paper.beginning_sentences if s.tokens]
        worst = None
        run = 0
        for i, b in enumerate(starts):
            run += 1
            nxt = starts[i + 1] if i + 1 < len(starts) else None
            if b and b != nxt:
                if run > MAX_SAME_BEGINNINGS and (worst is None or run > worst[1]):
                    worst = (b, run)
                run = 0
        if worst is None:
            return SCORE_GOOD, "Débuts de phrases : pas de répétition, bravo !"
        return SCORE_BAD, (f"Débuts de phrases : {worst[1]} phrases de suite commencent par « {worst[0]} ». "
                           f"Variez les débuts de phrases.")
