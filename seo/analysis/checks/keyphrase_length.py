"""keyphraseLength: number of content words of the keyphrase (function words don't count)."""
from . import Check, plural

RECOMMENDED_MIN = 1
RECOMMENDED_MAX = 4
ACCEPTABLE_MAX = 8
SCORE_GOOD, SCORE_OK, SCORE_BAD, SCORE_NONE = 9, 6, 3, -999


class KeyphraseLength(Check):
    ID = "keyphraseLength"
    KIND = "seo"
    ORDER = 2

    def assess(self, paper):
        n = len(paper.keyphrase_forms)
        if n < RECOMMENDED_MIN:
            return SCORE_NONE, ("Longueur du mot-clé : aucun mot-clé principal n'est défini. "
                                "Choisissez-en un pour obtenir une analyse SEO.")
        words = f"{n} {plural(n, 'mot', 'mots')}"
        if n <= RECOMMENDED_MAX:
            return SCORE_GOOD, f"Longueur du mot-clé : {words}, c'est bien !"
        if n <= ACCEPTABLE_MAX:
            return SCORE_OK, (f"Longueur du mot-clé : {words}, plus que le maximum conseillé de "
                              f"{RECOMMENDED_MAX}. Raccourcissez-le.")
        return SCORE_BAD, (f"Longueur du mot-clé : {words}, bien plus que le maximum conseillé de "
                           f"{RECOMMENDED_MAX}. Raccourcissez-le nettement.")
