"""subheadingsTooLong: no section (nor the text before the first subheading) over 300 words."""
from . import Check

RECOMMENDED_MAX = 300
SLIGHTLY_TOO_MANY = 300
FAR_TOO_MANY = 350
SCORE_GOOD, SCORE_OK, SCORE_BAD, SCORE_LONG_NO_SUBHEADINGS = 9, 6, 3, 2


def section_lengths(paper) -> list[tuple[str, int]]:
    """(subheading, words of the text that follows it); "" for the text before the first one."""
    out: list[tuple[str, int]] = []
    intro = 0
    current = None
    for b, n in zip(paper.blocks, paper.block_word_counts):
        if b.kind.startswith("h"):
            current = [b.text, 0]
            out.append(current)
        elif current is None:
            intro += n
        else:
            current[1] += n
    sections = [(h, n) for h, n in out]
    if out and intro > 0:
        sections.insert(0, ("", intro))
    return sections


class SubheadingsTooLong(Check):
    ID = "subheadingsTooLong"
    KIND = "readability"
    ORDER = 1

    def assess(self, paper):
        if paper.word_count <= RECOMMENDED_MAX:
            return SCORE_GOOD, "Répartition des intertitres : texte court, pas besoin d'intertitre de plus."
        if not paper.has_any_heading:
            return SCORE_LONG_NO_SUBHEADINGS, ("Répartition des intertitres : le texte n'a aucun intertitre. "
                                               "Ajoutez des intertitres tous les 300 mots au plus.")
        sections = section_lengths(paper)
        too_long = [s for s in sections if s[1] > RECOMMENDED_MAX]
        if sections and sections[0][0] == "":
            intro = sections[0][1]
            if len(too_long) < 2 and SLIGHTLY_TOO_MANY < intro <= FAR_TOO_MANY:
                return SCORE_OK, (f"Répartition des intertitres : le début du texte, avant le premier "
                                  f"intertitre, compte {intro} mots. Ajoutez un intertitre plus tôt.")
            if len(too_long) < 2 and intro > FAR_TOO_MANY:
                return SCORE_BAD, (f"Répartition des intertitres : le début du texte, avant le premier "
                                   f"intertitre, compte {intro} mots. Ajoutez un intertitre plus tôt.")
        longest = max((n for _, n in sections), default=0)
        if longest <= SLIGHTLY_TOO_MANY:
            return SCORE_GOOD, "Répartition des intertitres : bravo !"
        n = len(too_long)
        msg = (f"Répartition des intertitres : {n} section(s) dépassent {RECOMMENDED_MAX} mots "
               f"(la plus longue en compte {longest}). Ajoutez un intertitre pour la couper.")
        return (SCORE_OK if longest <= FAR_TOO_MANY else SCORE_BAD), msg
