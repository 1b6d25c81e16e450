"""textParagraphTooLong: no paragraph over 150 words (200 is bad)."""
from . import Check

RECOMMENDED_LENGTH = 150
MAXIMUM_RECOMMENDED_LENGTH = 200
SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 3


class TextParagraphTooLong(Check):
    ID = "textParagraphTooLong"
    KIND = "readability"
    ORDER = 2

    def assess(self, paper):
        lengths = paper.paragraph_lengths
        longest = max(lengths, default=0)
        if longest <= RECOMMENDED_LENGTH:
            return SCORE_GOOD, "Longueur des paragraphes : aucun paragraphe trop long, bravo !"
        n = sum(1 for x in lengths if x > RECOMMENDED_LENGTH)
        msg = (f"Longueur des paragraphes : {n} paragraphe(s) dépassent {RECOMMENDED_LENGTH} mots "
               f"(le plus long en compte {longest}). Coupez-les.")
        return (SCORE_OK if longest <= MAXIMUM_RECOMMENDED_LENGTH else SCORE_BAD), msg
