"""textPresence: shown only when the text has fewer than 50 characters."""
from . import Check

MIN_CHARACTERS = 50
SCORE_BAD = 3


class TextPresence(Check):
    ID = "textPresence"
    KIND = "readability"
    ORDER = 7

    def assess(self, paper):
        if len(paper.text) >= MIN_CHARACTERS:
            return None
        return SCORE_BAD, "Texte : il n'y a pas assez de texte à analyser. Écrivez au moins quelques phrases."
