"""passiveVoice: at most 10 % of sentences in the passive voice (over 15 % is bad).

French periphrastic passive, found as Yoast finds it:
1. The sentence (lower case, straight apostrophes) is cut before every form of
   "être", every clause-ending word (conjunctions, relatives, participles of
   verbs conjugated with être) and every ", ". A form of être does not cut when a
   reflexive pronoun comes just before it ("se sont", "nous nous sommes") or when
   it is glued to c', s' or peut- ("c'est", "s'est").
2. A piece that starts with a form of être not followed by le/la/les/une/l'un/l'une
   ("est le président": a copula) is a clause to examine.
3. A clause is passive when it holds a participle (regular -é/-ée/-és/-ées, or an
   irregular one) that is not an adjective, a noun or an interjection, not directly
   after an article, a preposition, a pronoun or a number ("est un blessé"), and
   with no form of avoir/aller/pouvoir… before it in the clause ("est clair qu'il a
   signé").
Word boundaries are the characters Yoast uses (spaces, punctuation, apostrophes).
"""
import re
from functools import lru_cache

from .. import researcher as fr
from ..text import get_words, normalize_single_quotes
from . import Check, format_number

RECOMMENDED_MAX = 10
BAD_OVER = 15
SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 3

# Characters around a whole word (a word found inside another one does not count).
_BOUNDARY_CHARS = frozenset(" \u00a0\u06d4\u061f\u060c\u061b.,'()\"+-;!?:/»«‹›<>”“〝〞〟‟„")
_B = "[ \u00a0\u2014\u06d4\u061f\u060c\u061b\n\r\t.,()”“〝〞〟‟„\"+\\-;!¡?¿:/»«‹›<>"
_START = "(?:^|" + _B + "'‘’‛`])"
_END_LOOKAHEAD = "(?:$|(?=" + _B + "])|['‘’‛`]" + _B + "])"
_END = "(?:$|" + _B + "]|['‘’‛`]" + _B + "])"
_STOP_CHAR_RE = re.compile(r",(?=[ \n\r\t'\"+\-»«‹›<>])")


def _words_regex(words) -> re.Pattern:
    """Any of the words as a whole word (tried in the given order at each position)."""
    return re.compile(_START + "(?:" + "|".join(re.escape(w) for w in words) + ")" + _END_LOOKAHEAD,
                      re.IGNORECASE)


_AUX_RE = _words_regex(sorted(fr.PASSIVE_AUXILIARIES, key=len, reverse=True))
_FOLLOWING_RE = _words_regex(fr.FOLLOWING_AUXILIARY_EXCEPTIONS)
_REFLEXIVE_RE = _words_regex(fr.REFLEXIVE_BEFORE_AUXILIARY)
_ELIDED_RE = re.compile("|".join(re.escape(w) for w in fr.ELIDED_BEFORE_AUXILIARY), re.IGNORECASE)
_SORTED_STOP_WORDS = sorted(fr.CLAUSE_STOP_WORDS)
_SORTED_AUXILIARIES = sorted(fr.PASSIVE_AUXILIARIES)
# Cheap first test: every form of être holds one of these pieces between non-letters.
_ETRE_PIECES = frozenset(a.split("-")[0].split("'")[-1] for a in fr.PASSIVE_AUXILIARIES)
_PIECE_SPLIT_RE = re.compile(r"[^\w]+")


@lru_cache(maxsize=1024)
def _word_regex(word: str) -> re.Pattern:
    return re.compile(_START + re.escape(word) + _END, re.IGNORECASE)


def _is_boundary(text: str, i: int) -> bool:
    return i < 0 or i >= len(text) or text[i] in _BOUNDARY_CHARS


def _word_in(word: str, text: str) -> bool:
    """Yoast's isWordInSentence: the first match of the word must stand between boundaries."""
    m = _word_regex(word).search(text)
    if not m:
        return False
    start = m.start() + 1 if m.start() > 0 else 0
    return _is_boundary(text, start - 1) and _is_boundary(text, start + len(word))


def _indices(words, text: str) -> list[tuple[int, str]]:
    """(index, word) of every whole-word occurrence of the words in the text."""
    out = []
    for word in words:
        word = word.strip()
        if word not in text or not _word_in(word, text):
            continue
        start = 0
        while (i := text.find(word, start)) > -1:
            if _is_boundary(text, i - 1) and _is_boundary(text, i + len(word)):
                out.append((i, word))
            start = i + len(word)
    return out


def _ends(regex: re.Pattern, text: str, gap: int) -> set[int]:
    return {m.end() + gap for m in regex.finditer(text)}


def _without_reflexive(text: str, aux: list[tuple[int, str]]) -> list[tuple[int, str]]:
    ends = _ends(_REFLEXIVE_RE, text, 1)
    return [a for a in aux if a[0] not in ends]


def _strip_spaces(text: str) -> str:
    text = re.sub(r"\s{2,}", " ", text)
    return re.sub(r"\s\.$", ".", text).strip()


def _breakers(s: str) -> list[tuple[int, str]]:
    aux = _without_reflexive(s, _indices(_SORTED_AUXILIARIES, s))
    elided = _ends(_ELIDED_RE, s, 0)
    aux = [a for a in aux if a[0] not in elided]
    found = sorted(aux + _indices(_SORTED_STOP_WORDS, s) + [(m.start(), ",") for m in _STOP_CHAR_RE.finditer(s)],
                   key=lambda x: x[0])
    kept = []
    i = 0
    while i < len(found):  # of two overlapping matches, the first one is kept
        kept.append(found[i])
        if i + 1 < len(found) and found[i + 1][0] < found[i][0] + len(found[i][1]):
            i += 1
        i += 1
    return kept


def _clause_has_auxiliary(clause: str) -> bool:
    matches = [_strip_spaces(m.group(0)) for m in _AUX_RE.finditer(clause)]
    if not matches:
        return False
    aux = _without_reflexive(clause, _indices(matches, clause))
    following = {m.start() for m in _FOLLOWING_RE.finditer(clause)}
    return any(i + len(w) not in following for i, w in aux)


def _passive_participle(clause: str) -> bool:
    words = [w.lower() for w in get_words(clause)]
    for word in words:
        if not fr.is_participle(word) or fr.is_active_exception(word):
            continue
        idx = words.index(word)
        if idx >= 1 and words[idx - 1] in fr.CANNOT_DIRECTLY_PRECEDE_PARTICIPLE:
            continue
        if idx >= 1 and any(w in fr.CANNOT_BE_BETWEEN_AUXILIARY_AND_PARTICIPLE for w in words[:idx]):
            continue
        return True
    return False


def passive_clauses(sentence: str) -> bool:
    """True when one clause of the sentence is in the passive voice."""
    s = normalize_single_quotes(sentence.lower())
    if _ETRE_PIECES.isdisjoint(_PIECE_SPLIT_RE.split(s)) or not _AUX_RE.search(s):
        return False
    breaks = _breakers(s)
    for k, (start, _) in enumerate(breaks):
        end = breaks[k + 1][0] if k + 1 < len(breaks) else len(s)
        clause = _strip_spaces(s[start:end])
        if _clause_has_auxiliary(clause) and _passive_participle(clause):
            return True
    return False


class PassiveVoice(Check):
    ID = "passiveVoice"
    KIND = "readability"
    ORDER = 5

    def assess(self, paper):
        sentences, wordless = paper.html_sentences
        passives = sum(1 for s in sentences if passive_clauses(s))
        total = len(sentences) + wordless
        pct = format_number(passives / total * 100) if total else 0
        if pct <= RECOMMENDED_MAX:
            return SCORE_GOOD, "Voix passive : bravo !"
        score = SCORE_OK if pct <= BAD_OVER else SCORE_BAD
        return score, (f"Voix passive : {pct} % des phrases sont au passif, plus que le maximum conseillé "
                       f"de {RECOMMENDED_MAX} %. Tournez-les à l'actif (« l'armée a bombardé la ville » "
                       f"plutôt que « la ville a été bombardée »).")
