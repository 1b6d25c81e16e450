"""Finding a keyphrase in a text the way Yoast SEO (yoastseo 3.x, fr_FR, free) finds it.

The keyphrase is lower-cased and cut into words at spaces, hyphens and en dashes
("contre-offensive ukrainienne" -> contre, offensive, ukrainienne); punctuation
around a word is dropped; function words are left out unless nothing else is
left (-> offensive, ukrainienne). A keyphrase between straight or curly double
quotes ("…", “…”, „…") is kept whole and matched as a sequence of tokens; « » do
not ask for an exact match.

Each remaining word has one form (Yoast free has no morphology; ``morphology=True``
adds plural and feminine forms the way Yoast Premium would find them). A form
matches a word of the text, case-insensitively, when it stands between word
boundaries: spaces, punctuation, hyphens, and also an apostrophe before it
(l’offensive, d’Ukraine, qu’Ukraine), but not an apostrophe after it unless a
boundary follows. Forms are tried as written, then without accents, on what the
first pass left.

Two ways of counting, as in Yoast:
* in a body sentence (keyphrase density), each token of the sentence (split at
  spaces and hyphens) matching the form counts once; a sentence holds as many
  full keyphrases as its rarest word;
* in a string (first paragraph, subheadings, meta description, SEO title, slug),
  the form is searched in the whole string; a match takes its boundary characters
  with it, so "otan otan" counts once (Yoast's regex is consuming, not a lookahead).
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from .function_words import FUNCTION_WORDS
from .text import PUNCTUATION, normalize_single_quotes, remove_punctuation, tokens

# Characters that end a word before or after a keyphrase form.
BOUNDARY = " \u00a0\u2014\u06d4\u061f\u060c\u061b\n\r\t.,()”“〝〞〟‟„\"+-;!¡?¿:/»«‹›<>"
APOSTROPHES = "'‘’‛`"
# Quotes that ask for an exact match when they open and close the keyphrase.
EXACT_QUOTES = "“”〝〞〟‟„\"「」『』"
_B = "[" + re.escape(BOUNDARY) + "]"
_A = "[" + re.escape(APOSTROPHES) + "]"
_START = "(?:^|" + _B[:-1] + re.escape(APOSTROPHES) + "])"
_END = "(?:$|" + _B + "|" + _A + _B + ")"
_KEYPHRASE_SPLIT = re.compile(r"[\s\u2013\-]")

# Accents a French reader drops (é -> e, ç -> c, œ -> oe); Yoast's second pass.
_FRENCH_PLAIN = str.maketrans({
    **dict.fromkeys("éèëê", "e"), **dict.fromkeys("ÉÈËÊ", "E"), **dict.fromkeys("àâ", "a"),
    **dict.fromkeys("ÀÂ", "A"), **dict.fromkeys("ïî", "i"), **dict.fromkeys("ÏÎ", "I"),
    **dict.fromkeys("ùûü", "u"), **dict.fromkeys("ÙÛÜ", "U"), "ô": "o", "Ô": "O", "ÿ": "y", "Ÿ": "Y",
    "ç": "c", "Ç": "C", "ñ": "n", "Ñ": "N", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe"})
# Letters that do not decompose into a base letter + accent.
_LATIN_SPECIAL = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "s", "ð": "d", "Ð": "D",
                                "þ": "th", "Þ": "TH", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "œ": "oe",
                                "Œ": "OE", "£": "", "€": "E"})


def plain_french(word: str) -> str:
    return word.translate(_FRENCH_PLAIN)


def plain_latin(word: str) -> str:
    """Any Latin accent removed (ä, ö, á, å…), as WordPress builds slugs."""
    word = word.translate(_LATIN_SPECIAL)
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=8192)
def _regex(form: str) -> re.Pattern:
    return re.compile(_START + re.escape(form) + _END, re.IGNORECASE)


def find(text: str, form: str) -> list[str]:
    """Every match of a form in a text: as written, then without accents in what is left."""
    regex = _regex(form)
    found = regex.findall(text)
    if found:
        text = regex.sub("", text)
    french = plain_french(form)
    found += _regex(french).findall(text)
    latin = plain_latin(form)
    if latin != french:
        found += _regex(latin).findall(text)
    return found


def _strip_spaces(text: str) -> str:
    text = re.sub(r"\s{2,}", " ", text)
    text = re.sub(r"\s\.$", ".", text)
    return text.strip()


def prepare(text: str) -> str:
    """A string as Yoast searches it: one kind of space, straight quotes."""
    text = text.replace("&nbsp;", " ").replace("\u2014", " ")
    text = re.sub(r"\s", " ", text)
    return normalize_single_quotes(text).translate(_DOUBLE_QUOTES)


_DOUBLE_QUOTES = str.maketrans(dict.fromkeys("“”〝〞〟‟„『』«»", '"'))


def find_in_string(text: str, form: str) -> tuple[int, int]:
    """(matches, position of the first one or -1) of a form in a prepared string."""
    form = prepare(form)
    matches = [_strip_spaces(remove_punctuation(m)) for m in find(text, form)]
    if not matches:
        return 0, -1
    return len(matches), min(text.find(m) for m in matches)


def count_forms_in_string(text: str, forms: list[str]) -> tuple[int, int]:
    """Matches of any of a keyphrase word's forms in a prepared string, and the first position."""
    total, positions = 0, []
    for form in dict.fromkeys(forms):
        n, pos = find_in_string(text, form)
        total += n
        if pos >= 0:
            positions.append(pos)
    return total, min(positions) if positions else -1


def percent_found(text: str, forms: list[list[str]]) -> int:
    """Share (0-100, rounded half up) of the keyphrase words found in a string."""
    if not forms:
        return 0
    text = prepare(text)
    found = sum(1 for fs in forms if count_forms_in_string(text, fs)[0] > 0)
    return math.floor(found / len(forms) * 100 + 0.5)


def count_in_tokens(toks: list[str], forms: list[str]) -> int:
    """Tokens of a sentence that a form matches (each token counts once per form)."""
    n = 0
    for form in forms:
        spellings = {form.lower(), plain_french(form).lower(), plain_latin(form).lower()}
        for t in toks:
            low = t.lower()
            # Cheap test first: a match needs one of the spellings inside the token.
            if any(sp in low for sp in spellings) and find(t, form):
                n += 1
    return n


def count_exact_in_tokens(toks: list[str], phrase: str) -> int:
    """Occurrences of an exact-match keyphrase: its tokens, in order, among the sentence's."""
    target = tokens(phrase)
    if not target:
        return 0
    n = j = 0
    for t in toks:
        if find(t.lower(), target[j].lower()):
            j += 1
            if j == len(target):
                n += 1
                j = 0
        else:
            j = 0
    return n


def is_exact(keyphrase: str) -> bool:
    return len(keyphrase) >= 1 and keyphrase[0] in EXACT_QUOTES and keyphrase[-1] in EXACT_QUOTES


def keyphrase_words(keyphrase: str) -> list[str]:
    """The words of a keyphrase that must be found (function words left out)."""
    kw = keyphrase.lower().strip()
    kw = re.sub(r"<[^>]*>", "", re.sub(r"\s", " ", kw.replace("&nbsp;", " ").replace("\u2014", " ")))
    words = [remove_punctuation(w) for w in _KEYPHRASE_SPLIT.split(kw)]
    words = [w for w in words if w.strip()]
    content = [w for w in words if w not in FUNCTION_WORDS]
    return content or words


def keyphrase_forms(keyphrase: str, morphology: bool = False) -> list[list[str]]:
    """One list of accepted forms per keyphrase word (one list for an exact match)."""
    from .researcher import word_forms  # the Premium-like forms live with the French morphology

    kw = keyphrase.strip()
    if not kw or not kw.strip(PUNCTUATION + " "):
        return []
    if is_exact(kw.lower()):
        return [[normalize_single_quotes(kw.lower()[1:-1])]]
    return [list(dict.fromkeys(normalize_single_quotes(f) for f in word_forms(w, morphology)))
            for w in keyphrase_words(kw)]
