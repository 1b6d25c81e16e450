"""keyphraseInSEOTitle: the exact keyphrase at the start of the SEO title.

Only function words may come before it ("L'Otan et l'Ukraine…" starts with the
keyphrase "otan ukraine"? no: not the exact phrase; "La réforme des retraites"
starts with "réforme des retraites").
"""
from .. import matching
from ..function_words import FUNCTION_WORDS
from ..text import get_words
from . import Check

SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 2


def exact_position(title: str, keyword: str) -> int:
    """Where the whole keyphrase first appears in the title, -1 if it does not; 0 when only
    function words come before it ("La réforme des retraites…" starts with "réforme des retraites")."""
    text = matching.prepare(title)
    phrase = keyword[1:-1] if matching.is_exact(keyword) else keyword
    count, pos = matching.find_in_string(text, phrase)
    if count == 0:
        return -1
    if pos > 0:
        before = get_words(title[:pos].lower(), hyphen_boundary=True)
        if all(w.strip().lower() in FUNCTION_WORDS for w in before):
            return 0
    return pos


class KeyphraseInSEOTitle(Check):
    ID = "keyphraseInSEOTitle"
    KIND = "seo"
    ORDER = 12

    def assess(self, paper):
        if not paper.keyword or not paper.seo_title:
            return SCORE_BAD, ("Mot-clé dans le titre SEO : définissez un mot-clé principal et un titre "
                               "SEO qui commence par ce mot-clé.")
        pos = exact_position(paper.seo_title, paper.keyword)
        if pos >= 0:
            if pos == 0:
                return SCORE_GOOD, "Mot-clé dans le titre SEO : le titre commence par le mot-clé, bravo !"
            return SCORE_OK, ("Mot-clé dans le titre SEO : le titre contient le mot-clé exact, mais pas "
                              "au début. Placez le mot-clé en tête du titre SEO.")
        if not paper.exact_match and paper.percent_word_matches(paper.seo_title) == 100:
            return SCORE_OK, ("Mot-clé dans le titre SEO : tous les mots du mot-clé sont dans le titre, "
                              "mais pas sous leur forme exacte. Placez le mot-clé exact en tête du titre SEO.")
        return SCORE_BAD, ("Mot-clé dans le titre SEO : le titre SEO ne contient pas le mot-clé. "
                           "Ajoutez-le, de préférence au début.")
