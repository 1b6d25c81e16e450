"""titleWidth: pixel width of the SEO title in the search results (at most 600 px).

Yoast measures the title as rendered in its Google preview: Arial 20 px. We sum
Arial's advance widths (units of 1/1000 em, the font's published metrics) times
20 px and round. Yoast's post editor allows short titles (score 9 up to 400 px).
"""
from . import Check

MAX_WIDTH = 600
MIN_WIDTH = 400
FONT_PX = 20
SCORE_NO_TITLE, SCORE_SHORT, SCORE_LONG, SCORE_GOOD = 1, 9, 3, 9

# Arial advance widths, 1/1000 em.
_ARIAL = {
    " ": 278, "\u00a0": 278, "\u202f": 200, "!": 278, "\"": 355, "#": 556, "$": 556, "%": 889, "&": 667,
    "'": 191, "(": 333, ")": 333, "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278,
    ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015, "[": 278, "\\": 278,
    "]": 278, "^": 469, "_": 556, "`": 333, "{": 334, "|": 260, "}": 334, "~": 584,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556, "i": 222,
    "j": 222, "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556, "q": 556, "r": 333,
    "s": 500, "t": 278, "u": 556, "v": 500, "w": 722, "x": 500, "y": 500, "z": 500,
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722, "I": 278,
    "J": 500, "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667, "Q": 778, "R": 722,
    "S": 667, "T": 611, "U": 722, "V": 667, "W": 944, "X": 667, "Y": 667, "Z": 611,
    "«": 556, "»": 556, "‘": 222, "’": 222, "“": 333, "”": 333, "–": 556, "—": 1000, "…": 1000,
    "œ": 944, "Œ": 1000, "æ": 889, "Æ": 1000, "ç": 500, "Ç": 722, "€": 556, "°": 400,
}
for d in "0123456789":
    _ARIAL[d] = 556
_BASE = {"àâäá": "a", "éèêë": "e", "îïíì": "i", "ôöó": "o", "ùûüú": "u", "ÿ": "y",
         "ÀÂÄÁ": "A", "ÉÈÊË": "E", "ÎÏÍÌ": "I", "ÔÖÓ": "O", "ÙÛÜÚ": "U", "Ÿ": "Y"}
for group, base in _BASE.items():
    for ch in group:
        _ARIAL[ch] = _ARIAL[base]
_DEFAULT = 556


def title_width(title: str) -> int:
    return round(sum(_ARIAL.get(c, _DEFAULT) for c in title) * FONT_PX / 1000)


class TitleWidth(Check):
    ID = "titleWidth"
    KIND = "seo"
    ORDER = 14

    def assess(self, paper):
        w = title_width(paper.seo_title)
        if w == 0:
            return SCORE_NO_TITLE, ("Largeur du titre SEO : aucun titre SEO. Écrivez-en un qui commence "
                                    "par le mot-clé (60 caractères environ).")
        if w > MAX_WIDTH:
            return SCORE_LONG, (f"Largeur du titre SEO : {w} px, plus que les {MAX_WIDTH} px affichés "
                                f"par Google. Raccourcissez le titre SEO.")
        return SCORE_GOOD, f"Largeur du titre SEO : {w} px, bravo !"
