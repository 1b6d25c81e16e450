"""keyphraseInSEOTitle: the exact keyphrase at the start of the SEO title.

Only function words may come before it ("L'Otan et l'Ukraine…" starts with the
keyphrase "otan ukraine"? no: not the exact phrase; "La réforme des retraites"
starts with "réforme des retraites").
"""
import re

from .. import researcher as fr
from ..paper import _B, _TRANSLIT
from ..text import get_words, normalize_single_quotes
from . import Check

SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 2


def _exact_position(title: str, phrase: str) -> int:
    best = -1
    for p in dict.fromkeys((phrase, phrase.translate(_TRANSLIT))):
        r = re.compile(r"(?:^|" + _B[:-1] + r"'‘’‛`])(" + re.escape(p) + r")(?=$|" + _B
                       + r"|['‘’‛`]" + _B + r")", re.IGNORECASE)
        m = r.search(title)
        if m:
            pos = title.find(m.group(1))
            best = pos if best < 0 else min(best, pos)
    return best


class KeyphraseInSEOTitle(Check):
    ID = "keyphraseInSEOTitle"
    KIND = "seo"
    ORDER = 12

    def assess(self, paper):
        if not paper.keyword or not paper.seo_title:
            return SCORE_BAD, ("Mot-clé dans le titre SEO : définissez un mot-clé principal et un titre "
                               "SEO qui commence par ce mot-clé.")
        title = normalize_single_quotes(paper.seo_title.replace("\u00a0", " "))
        phrase = normalize_single_quotes(paper.keyword[1:-1] if paper.exact_match else paper.keyword)
        pos = _exact_position(title, phrase)
        if pos >= 0:
            if pos > 0:
                before = get_words(title[:pos].lower(), hyphen_boundary=True)
                if all(w.strip() in fr.FUNCTION_WORDS for w in before):
                    pos = 0
            if pos == 0:
                return SCORE_GOOD, "Mot-clé dans le titre SEO : le titre commence par le mot-clé, bravo !"
            return SCORE_OK, ("Mot-clé dans le titre SEO : le titre contient le mot-clé exact, mais pas "
                              "au début. Placez le mot-clé en tête du titre SEO.")
        if not paper.exact_match and paper.percent_word_matches(paper.seo_title) == 100:
            return SCORE_OK, ("Mot-clé dans le titre SEO : tous les mots du mot-clé sont dans le titre, "
                              "mais pas sous leur forme exacte. Placez le mot-clé exact en tête du titre SEO.")
        return SCORE_BAD, ("Mot-clé dans le titre SEO : le titre SEO ne contient pas le mot-clé. "
                           "Ajoutez-le, de préférence au début.")
