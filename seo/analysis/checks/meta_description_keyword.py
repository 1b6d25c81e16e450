"""metaDescriptionKeyword: the keyphrase once or twice in the meta description."""
from .. import matching
from ..text import split_sentences
from . import Check

MAX_OCCURRENCES = 2
SCORE_GOOD, SCORE_BAD = 9, 3


class MetaDescriptionKeyword(Check):
    ID = "metaDescriptionKeyword"
    KIND = "seo"
    ORDER = 4

    def assess(self, paper):
        if not paper.keyword or not paper.description:
            return SCORE_BAD, ("Mot-clé dans la méta-description : écrivez une méta-description qui "
                               "contient le mot-clé principal.")
        total = 0
        for s in split_sentences(paper.description):
            s = matching.prepare(s)
            counts = [matching.count_forms_in_string(s, fs)[0] for fs in paper.keyphrase_forms]
            total += min(counts) if counts else 0
        if 1 <= total <= MAX_OCCURRENCES:
            return SCORE_GOOD, "Mot-clé dans la méta-description : bravo !"
        if total > MAX_OCCURRENCES:
            return SCORE_BAD, (f"Mot-clé dans la méta-description : le mot-clé y apparaît {total} fois, "
                               f"plus que le maximum conseillé de {MAX_OCCURRENCES}. Retirez-en.")
        return SCORE_BAD, ("Mot-clé dans la méta-description : la méta-description ne contient pas le "
                           "mot-clé. Ajoutez-le.")
