"""passiveVoice: at most 10 % of sentences in the passive voice (over 15 % is bad).

French periphrastic passive, as Yoast detects it: a sentence is cut into clauses at
conjunctions/relatives and at ", "; a clause that holds a form of "être" used as
an auxiliary and a past participle (regular -é/-ée/-és/-ées or irregular) that is
not an adjective, a noun or an intransitive verb ("est arrivé") is passive.
"""
import re

from .. import researcher as fr
from ..text import get_words, normalize_single_quotes
from . import Check, format_number

RECOMMENDED_MAX = 10
BAD_OVER = 15
SCORE_GOOD, SCORE_OK, SCORE_BAD = 9, 6, 3

_WORD_RE = re.compile(r"[^\s,.;:!?()«»\"“”]+")
_STOP_CHAR_RE = re.compile(r",(?=[ \n\r\t'\"+\-»«‹›<>])")
_ELISION_EXCEPTIONS = ("c'", "s'", "peut-")
# Cheap pre-check: no form of "être" at all means no passive.
_ANY_AUX_RE = re.compile(r"(?:^|[^\w-])(?:" + "|".join(sorted((re.escape(a.split("'")[-1]) for a in fr.PASSIVE_AUXILIARIES), key=len, reverse=True)) + r")(?![\w])")


def passive_clauses(sentence: str) -> bool:
    s = normalize_single_quotes(sentence.lower())
    if not _ANY_AUX_RE.search(s):
        return False
    words = [(m.group(0), m.start()) for m in _WORD_RE.finditer(s)]
    # Auxiliary positions: a whole word, or the part after an apostrophe (qu'est, l'est), except c'est, s'est.
    aux: list[int] = []  # indices into words
    breaks: list[int] = []  # char offsets where a clause starts
    for i, (w, pos) in enumerate(words):
        is_aux = w in fr.PASSIVE_AUXILIARIES
        if not is_aux and "'" in w:
            head, _, tail = w.partition("'")
            if tail in fr.PASSIVE_AUXILIARIES and (head + "'") not in _ELISION_EXCEPTIONS:
                is_aux = True
        if w.startswith(_ELISION_EXCEPTIONS) and w.split("'", 1)[-1] in fr.PASSIVE_AUXILIARIES:
            is_aux = False
        if is_aux:
            prev = words[i - 1][0] if i > 0 else ""
            if prev in fr.REFLEXIVE_PRONOUNS:
                is_aux = False
        if is_aux:
            nxt = words[i + 1][0] if i + 1 < len(words) else ""
            if nxt in fr.FOLLOWING_AUXILIARY_EXCEPTIONS:
                is_aux = False
        if is_aux:
            aux.append(i)
            breaks.append(pos)
        elif w in fr.CLAUSE_STOP_WORDS:
            breaks.append(pos)
    if not aux:
        return False
    breaks += [m.start() for m in _STOP_CHAR_RE.finditer(s)]
    breaks = sorted(set(breaks))
    aux_pos = {words[i][1] for i in aux}
    for k, start in enumerate(breaks):
        end = breaks[k + 1] if k + 1 < len(breaks) else len(s)
        clause_words = [(w, p) for w, p in words if start <= p < end]
        if not any(p in aux_pos for _, p in clause_words):
            continue
        clause = s[start:end]
        cw = [w.lower() for w in get_words(clause)]
        for w in cw:
            if not fr.is_participle(w) or fr.is_active_exception(w):
                continue
            idx = cw.index(w)
            if idx >= 1 and cw[idx - 1] in fr.CANNOT_DIRECTLY_PRECEDE_PARTICIPLE:
                continue
            if idx >= 1 and any(x in fr.CANNOT_BE_BETWEEN_AUXILIARY_AND_PARTICIPLE for x in cw[:idx]):
                continue
            return True
    return False


class PassiveVoice(Check):
    ID = "passiveVoice"
    KIND = "readability"
    ORDER = 5

    def assess(self, paper):
        sentences = paper.sentences
        passives = sum(1 for s in sentences if passive_clauses(s.text))
        pct = format_number(passives / len(sentences) * 100) if sentences else 0
        if pct <= RECOMMENDED_MAX:
            return SCORE_GOOD, "Voix passive : bravo !"
        score = SCORE_OK if pct <= BAD_OVER else SCORE_BAD
        return score, (f"Voix passive : {pct} % des phrases sont au passif, plus que le maximum conseillé "
                       f"de {RECOMMENDED_MAX} %. Tournez-les à l'actif (« l'armée a bombardé la ville » "
                       f"plutôt que « la ville a été bombardée »).")
