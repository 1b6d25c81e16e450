"""Syllables of a French word, for the Flesch reading ease, counted as Yoast SEO counts them.

Yoast's algorithm (helpers/syllables/countSyllables.js) on its French data
(syllables_fr.py, generated from yoastseo's syllables.json):

1. A word of the full-word list has the count given there: nouns and adjectives whose
   -ent is heard (« parent », « accident », « confluent »), verbs in -ment whose -ent
   is not (« ils aiment »), the one-vowel clitics (« le », « que », « les »).
2. Fragments found in the word (loanwords such as « business », « baseball ») add
   their syllables and are cut out of it.
3. What is left counts one syllable per group of vowel letters, then each
   deviation pattern adds or removes syllables per match: the mute final e, -es and
   the verb ending -ent after a consonant (« ville », « ils parlent ») -1, « qu »/« gu »
   + e -1, hiatus (« réalité », « poésie », « pays ») +1, « -ment » +1…
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import syllables_fr as facts

_NOT_VOWELS_RE = re.compile("[^" + facts.VOWELS + "]+", re.IGNORECASE)
_DEVIATIONS = tuple((re.compile("(" + ")|(".join(frags) + ")", re.IGNORECASE), n)
                    for frags, n in facts.VOWEL_DEVIATIONS)


def _fragment_regex(location: str, fragment: str, not_followed: tuple, also_followed: tuple) -> re.Pattern:
    if not_followed:
        fragment += "(?![" + "".join(not_followed) + "])"
    if also_followed:
        fragment += "[" + "".join(also_followed) + "]?"
    pattern = {"atBeginning": "^" + fragment, "atEnd": fragment + "$",
               "atBeginningOrEnd": f"(^{fragment})|({fragment}$)"}.get(location, fragment)
    return re.compile(pattern)


_FRAGMENTS = tuple((_fragment_regex(loc, word, nf, af), word, n) for loc, word, n, nf, af in facts.WORD_FRAGMENTS)


@lru_cache(maxsize=65536)
def count_syllables(word: str) -> int:
    """Syllables of one lower-case word (Yoast's countSyllablesInWord for French)."""
    known = facts.FULL_WORDS.get(word)
    if known:
        return known
    count = 0
    for regex, fragment, n in _FRAGMENTS:
        if regex.search(word):
            word = word.replace(fragment, " ", 1)
            count += n
    count += sum(1 for group in _NOT_VOWELS_RE.split(word) if group)
    for regex, n in _DEVIATIONS:
        count += n * sum(1 for _ in regex.finditer(word))
    return count
