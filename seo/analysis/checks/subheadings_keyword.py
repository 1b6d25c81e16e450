"""subheadingsKeyword: the keyphrase in 30 % to 75 % of the H2/H3 subheadings.

A subheading reflects the keyphrase when more than half of its content words are
in it (French has function-word support in Yoast).
"""
import math

from . import Check

LOWER_BOUNDARY = 0.3
UPPER_BOUNDARY = 0.75
LONG_TEXT = 300
SCORE_NONE, SCORE_LONG_NO_SUBHEADINGS, SCORE_BAD, SCORE_GOOD = 1, 2, 3, 9


class SubheadingsKeyword(Check):
    ID = "subheadingsKeyword"
    KIND = "seo"
    ORDER = 6

    def assess(self, paper):
        if not paper.keyword or not paper.blocks:
            return SCORE_NONE, ("Mot-clé dans les intertitres : définissez un mot-clé principal et "
                                "reprenez-le dans vos intertitres.")
        heads = paper.subheadings
        if not heads:
            if paper.word_count >= LONG_TEXT:
                return SCORE_LONG_NO_SUBHEADINGS, ("Mot-clé dans les intertitres : le texte n'a pas "
                                                   "d'intertitre. Ajoutez des intertitres, dont certains "
                                                   "avec le mot-clé.")
            return SCORE_GOOD, "Mot-clé dans les intertitres : texte court sans intertitre, c'est bien."
        count = len(heads)
        matches = sum(1 for i in heads if paper.percent_word_matches(paper.blocks[i].text) > 50)
        lo = math.ceil(count * LOWER_BOUNDARY)
        hi = math.floor(count * UPPER_BOUNDARY)
        if 0 < matches < lo:
            return SCORE_BAD, (f"Mot-clé dans les intertitres : {matches} intertitre(s) sur {count} "
                               f"reprend le mot-clé. Ajoutez le mot-clé dans {lo - matches} intertitre(s) de plus.")
        if count > 1 and matches > hi:
            return SCORE_BAD, (f"Mot-clé dans les intertitres : {matches} intertitres sur {count} reprennent "
                               f"le mot-clé, c'est trop. Retirez-le de {matches - hi} intertitre(s).")
        if (count == 1 and matches == 1) or lo <= matches <= hi:
            if matches > 0:
                return SCORE_GOOD, (f"Mot-clé dans les intertitres : {matches} intertitre(s) sur {count} "
                                    f"reprennent le mot-clé, bravo !")
        return SCORE_BAD, ("Mot-clé dans les intertitres : aucun intertitre ne reprend le mot-clé. "
                           "Ajoutez le mot-clé dans un intertitre de plus.")
