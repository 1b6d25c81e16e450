"""introductionKeyword: the keyphrase in the first paragraph, ideally in one sentence."""
from . import Check

SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 3


class IntroductionKeyword(Check):
    ID = "introductionKeyword"
    KIND = "seo"
    ORDER = 1

    def assess(self, paper):
        if not paper.keyword or not paper.blocks:
            return SCORE_BAD, ("Mot-clé dans l'introduction : définissez un mot-clé principal "
                               "et placez-le dans le premier paragraphe.")
        first = next((i for i in paper.paragraphs), None)
        if first is not None:
            sentences = [s for s in paper.sentences if s.block == first]
            if any(paper.percent_word_matches(s.text) == 100 for s in sentences):
                return SCORE_GOOD, "Mot-clé dans l'introduction : bravo !"
            if paper.percent_word_matches(paper.blocks[first].text) == 100:
                return SCORE_OK, ("Mot-clé dans l'introduction : les mots du mot-clé sont dans le chapô, "
                                  "mais pas dans la même phrase. Réunissez-les dans une phrase.")
        return SCORE_BAD, ("Mot-clé dans l'introduction : le mot-clé n'apparaît pas dans le premier "
                           "paragraphe. Ajoutez-le au chapô pour que le sujet soit clair d'emblée.")
