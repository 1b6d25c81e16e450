"""keyphraseDensity: how often the keyphrase occurs for the length of the text.

Yoast weights the density by the keyphrase length (0.7 + words / 3) and, without
morphology (Yoast free), wants 0.5 % to 3 % (3.5 % with word forms); over 4 %
is way too much. Texts under 100 words get fixed counts instead.
"""
import math

from . import Check, plural

MIN_DENSITY = 0.5
MAX_DENSITY = 3.0
MAX_DENSITY_WORD_FORMS = 3.5
OVER_MAX_DENSITY = 4.0
SHORT_TEXT = 100
SCORE_GOOD, SCORE_UNDER, SCORE_OVER, SCORE_WAY_OVER, SCORE_NONE = 9, 4, -10, -50, -50


def length_factor(keyphrase_length: int) -> float:
    return 0.7 + keyphrase_length / 3


def recommended_count(keyphrase_length: int, density: float, mode: str, words: int) -> int:
    if words == 0:
        return 0
    n = density * words / (100 * length_factor(keyphrase_length))
    if n < 2:
        return 2
    return math.ceil(n) if mode == "min" else math.floor(n)


def _times(n: int) -> str:
    return f"{n} {plural(n, 'fois', 'fois')}"


class KeyphraseDensity(Check):
    ID = "keyphraseDensity"
    KIND = "seo"
    ORDER = 3

    def assess(self, paper):
        if not paper.keyword or not paper.blocks:
            return SCORE_NONE, ("Densité du mot-clé : définissez un mot-clé principal et écrivez "
                                "un texte qui le contient.")
        count = paper.keyphrase_count
        words = paper.density_word_count
        kl = len(paper.keyphrase_forms)
        if words < SHORT_TEXT:
            lo, hi = 1, (2 if words > 50 else 1)
            if count == 0:
                return SCORE_UNDER, (f"Densité du mot-clé : le mot-clé n'apparaît pas. Utilisez-le au "
                                     f"moins {_times(lo)}.")
            if lo <= count <= hi:
                return SCORE_GOOD, f"Densité du mot-clé : le mot-clé apparaît {_times(count)}, c'est bien !"
            score = SCORE_OVER if count == hi + 1 else SCORE_WAY_OVER
            return score, (f"Densité du mot-clé : le mot-clé apparaît {_times(count)}, plus que le "
                           f"maximum conseillé de {hi} pour un texte de cette longueur. Remplacez-en "
                           f"quelques-uns par des synonymes.")
        max_density = MAX_DENSITY_WORD_FORMS if paper.morphology else MAX_DENSITY
        lo = recommended_count(kl, MIN_DENSITY, "min", words)
        hi = recommended_count(kl, max_density, "max", words)
        density = count / words * 100 * length_factor(kl)
        if count == 0:
            return SCORE_UNDER, (f"Densité du mot-clé : le mot-clé n'apparaît pas. Utilisez-le au moins "
                                 f"{_times(lo)} pour un texte de cette longueur.")
        if 0 <= density < MIN_DENSITY or count == 1:
            return SCORE_UNDER, (f"Densité du mot-clé : le mot-clé apparaît {_times(count)}, moins que le "
                                 f"minimum conseillé de {lo} pour un texte de cette longueur. "
                                 f"Ajoutez-le {_times(lo - count)} de plus.")
        if MIN_DENSITY <= density <= max_density or (count == 2 and lo <= 2):
            return SCORE_GOOD, f"Densité du mot-clé : le mot-clé apparaît {_times(count)}, c'est bien !"
        score = SCORE_OVER if density <= OVER_MAX_DENSITY else SCORE_WAY_OVER
        return score, (f"Densité du mot-clé : le mot-clé apparaît {_times(count)}, plus que le maximum "
                       f"conseillé de {hi} pour un texte de cette longueur. Retirez-en "
                       f"{_times(count - hi)} ou remplacez-les par des synonymes.")
