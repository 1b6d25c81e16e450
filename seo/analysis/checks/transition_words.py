"""textTransitionWords: at least 30 % of sentences with a transition word (under 20 % is bad).

Texts under 200 words always pass. Like Yoast, a sentence matches when the words
of a transition expression follow each other among its tokens (lower case,
apostrophes normalised: "D’abord" matches "d'abord").
"""
from .. import researcher as fr
from . import Check, format_number

MIN_TEXT_LENGTH = 200
GOOD_PERCENT = 30
OK_PERCENT = 20
SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 3

_BY_FIRST: dict[str, list[list[str]]] = {}
for _w in fr.TRANSITION_WORDS:
    _parts = _w.split(" ")
    _BY_FIRST.setdefault(_parts[0], []).append(_parts)
_TWO_PART = tuple((a.split(" "), b.split(" ")) for a, b in fr.TWO_PART_TRANSITION_WORDS)
_TWO_PART_FIRSTS = frozenset(p[0][0] for p in _TWO_PART)


def _contains(toks: list[str], parts: list[str]) -> bool:
    n = len(parts)
    first = parts[0]
    return any(t == first and toks[i:i + n] == parts for i, t in enumerate(toks))


def has_transition(toks: list[str]) -> bool:
    """True when the (lower-case) tokens of a sentence hold a transition expression."""
    if not _TWO_PART_FIRSTS.isdisjoint(toks):
        for a, b in _TWO_PART:
            if _contains(toks, a) and _contains(toks, b):
                return True
    for i, t in enumerate(toks):
        for parts in _BY_FIRST.get(t, ()):
            if len(parts) == 1 or toks[i:i + len(parts)] == parts:
                return True
    return False


class TextTransitionWords(Check):
    ID = "textTransitionWords"
    KIND = "readability"
    ORDER = 4

    def assess(self, paper):
        sentences = paper.sentences
        hits = sum(1 for s in sentences if has_transition([t.lower() for t in s.tokens if t != " "]))
        pct = format_number(hits / len(sentences) * 100) if sentences and hits else 0
        if paper.density_word_count < MIN_TEXT_LENGTH:
            return SCORE_GOOD, "Mots de transition : texte court, rien à signaler."
        if pct >= GOOD_PERCENT:
            return SCORE_GOOD, f"Mots de transition : {pct} % des phrases en contiennent, bravo !"
        score = SCORE_OK if pct >= OK_PERCENT else SCORE_BAD
        return score, (f"Mots de transition : {pct} % des phrases en contiennent, moins que les "
                       f"{GOOD_PERCENT} % conseillés. Ajoutez des mots de liaison (ainsi, cependant, "
                       f"en effet, par ailleurs…).")
