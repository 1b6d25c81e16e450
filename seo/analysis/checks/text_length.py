"""textLength: at least 300 words."""
from . import Check

RECOMMENDED_MIN = 300
SLIGHTLY_BELOW_MIN = 250
BELOW_MIN = 200
VERY_FAR_BELOW_MIN = 100
SCORE_GOOD, SCORE_SLIGHTLY_BELOW, SCORE_BELOW, SCORE_FAR_BELOW, SCORE_VERY_FAR_BELOW = 9, 6, 3, -10, -20


class TextLength(Check):
    ID = "textLength"
    KIND = "seo"
    ORDER = 10

    def assess(self, paper):
        n = paper.word_count
        if n >= RECOMMENDED_MIN:
            return SCORE_GOOD, f"Longueur du texte : {n} mots, bravo !"
        missing = f"Ajoutez au moins {RECOMMENDED_MIN - n} mots."
        if n < BELOW_MIN:
            score = SCORE_VERY_FAR_BELOW if n < VERY_FAR_BELOW_MIN else SCORE_FAR_BELOW
            return score, (f"Longueur du texte : {n} mots, bien moins que le minimum conseillé de "
                           f"{RECOMMENDED_MIN}. {missing}")
        if n >= SLIGHTLY_BELOW_MIN:
            return SCORE_SLIGHTLY_BELOW, (f"Longueur du texte : {n} mots, un peu moins que le minimum "
                                          f"conseillé de {RECOMMENDED_MIN}. {missing}")
        return SCORE_BELOW, (f"Longueur du texte : {n} mots, moins que le minimum conseillé de "
                             f"{RECOMMENDED_MIN}. {missing}")
