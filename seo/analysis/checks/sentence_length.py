"""textSentenceLength: at most 25 % of sentences over 20 words (over 30 % is bad)."""
from . import Check, format_number

RECOMMENDED_LENGTH = 20
SLIGHTLY_TOO_MANY = 25
FAR_TOO_MANY = 30
SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 3


class TextSentenceLength(Check):
    ID = "textSentenceLength"
    KIND = "readability"
    ORDER = 3

    def assess(self, paper):
        lengths = paper.sentence_lengths
        long_ = sum(1 for n in lengths if n > RECOMMENDED_LENGTH)
        pct = format_number(long_ / len(lengths) * 100) if lengths else 0
        if pct <= SLIGHTLY_TOO_MANY:
            return SCORE_GOOD, "Longueur des phrases : bravo !"
        msg = (f"Longueur des phrases : {pct} % des phrases dépassent {RECOMMENDED_LENGTH} mots, "
               f"plus que le maximum conseillé de {SLIGHTLY_TOO_MANY} %. Raccourcissez les phrases longues.")
        return (SCORE_OK if pct <= FAR_TOO_MANY else SCORE_BAD), msg
