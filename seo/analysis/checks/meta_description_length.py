"""metaDescriptionLength: 121 to 156 characters."""
from . import Check

RECOMMENDED_MIN_EXCLUSIVE = 120  # 120 characters or fewer is too short
MAXIMUM_LENGTH = 156
SCORE_NONE, SCORE_SHORT, SCORE_LONG, SCORE_GOOD = 1, 6, 6, 9


class MetaDescriptionLength(Check):
    ID = "metaDescriptionLength"
    KIND = "seo"
    ORDER = 5

    def assess(self, paper):
        n = len(paper.description)
        if n == 0:
            return SCORE_NONE, ("Longueur de la méta-description : aucune méta-description. Les moteurs "
                                "afficheront un extrait de la page ; écrivez-en une de 120 à 156 caractères.")
        if n <= RECOMMENDED_MIN_EXCLUSIVE:
            return SCORE_SHORT, (f"Longueur de la méta-description : {n} caractères, c'est trop court "
                                 f"(120 au moins). Allongez-la jusqu'à {MAXIMUM_LENGTH} caractères.")
        if n > MAXIMUM_LENGTH:
            return SCORE_LONG, (f"Longueur de la méta-description : {n} caractères, plus de "
                                f"{MAXIMUM_LENGTH}. Raccourcissez-la pour qu'elle s'affiche en entier.")
        return SCORE_GOOD, f"Longueur de la méta-description : {n} caractères, bravo !"
