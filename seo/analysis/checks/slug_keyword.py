"""slugKeyword: the keyphrase words in the slug (hyphens are word boundaries)."""
from . import Check

SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 3
SHORT_KEYPHRASE = 3  # under 3 words every word must be there, else more than half


class SlugKeyword(Check):
    ID = "slugKeyword"
    KIND = "seo"
    ORDER = 15

    def assess(self, paper):
        if not paper.keyword or not paper.slug:
            return SCORE_BAD, ("Mot-clé dans le slug : définissez un mot-clé principal et un slug "
                               "qui le contient.")
        forms = paper.keyphrase_forms
        pct = paper.percent_word_matches(paper.slug.replace("-", " ").replace("_", " "))
        good = pct == 100 if len(forms) < SHORT_KEYPHRASE else pct > 50
        if good:
            return SCORE_GOOD, "Mot-clé dans le slug : bravo !"
        return SCORE_OK, ("Mot-clé dans le slug : le slug ne contient pas (assez) les mots du mot-clé. "
                          "Mettez le mot-clé dans le slug.")
