"""Words, tokens and sentences, split the way Yoast SEO splits them.

* ``get_words``: whitespace split (no-break spaces included, so "8 000" is two
  words), em dashes are spaces, leading/trailing punctuation removed, tokens made
  only of punctuation dropped. "l'Ukraine" and "a-t-il" are one word, "%" is one.
  Used for the body word count, subheading section lengths, Flesch.
* ``tokens``: Yoast's sentence tokens (split on spaces, hyphens, en/em dashes and
  brackets; punctuation split off). ``words_from_tokens`` with
  ``split_on_hyphens=False`` rebuilds "a-t-il" (sentence and paragraph lengths);
  with True it counts "a", "t", "il" (keyphrase density).
* ``split_sentences``: Yoast's SentenceTokenizer rules for plain text: a sentence
  ends after ". ? ! …" or a closing quote when a space and a capital letter, a
  digit or an opening quote follow.
"""
from __future__ import annotations

import re

# Yoast's punctuation list (removePunctuation), minus the CJK/Arabic tail we never meet.
PUNCTUATION = "–-()_[]’‘“”〝〞〟‟„\"'.?!:;,¿¡«»‹›\u2014\u00d7+&\u06d4\u061f\u060c\u061b\u3002\uff61\u2026<>\\"
_PUNCT_CLASS = "[" + re.escape(PUNCTUATION) + "]"
_PUNCT_START_RE = re.compile("^" + _PUNCT_CLASS + "+")
_PUNCT_END_RE = re.compile(_PUNCT_CLASS + "+$")
_WS_SPLIT_RE = re.compile(r"[\s\u2014]+")
_WS_HYPHEN_SPLIT_RE = re.compile(r"[\s\u2014\u2013\-]+")
_WS_ENDASH_SPLIT_RE = re.compile(r"[\s\u2014\u2013]+")
_TOKEN_SPLIT_RE = re.compile(r"([\s\u2013\u2014\-\[\]])")
_SINGLE_QUOTES_RE = re.compile("[‘’‛`‹›]")


_PUNCT_SET = frozenset(PUNCTUATION)


def remove_punctuation(word: str) -> str:
    if word and word[0] not in _PUNCT_SET and word[-1] not in _PUNCT_SET and "\\" not in word:
        return word
    return _PUNCT_END_RE.sub("", _PUNCT_START_RE.sub("", word.replace("\\", "")))


def get_words(text: str, hyphen_boundary: bool | None = None) -> list[str]:
    """Words of a text (Yoast getWords). ``hyphen_boundary``: None = whitespace only,
    False = whitespace and en dash (keyphrase words), True = also hyphens (slugs)."""
    if hyphen_boundary is None:
        parts = _WS_SPLIT_RE.split(text)
    elif hyphen_boundary:
        parts = _WS_HYPHEN_SPLIT_RE.split(text.replace("\u2014", " "))
    else:
        parts = _WS_ENDASH_SPLIT_RE.split(text.replace("\u2014", " "))
    out = []
    for p in parts:
        if p:
            w = remove_punctuation(p)
            if w.strip():
                out.append(w)
    return out


def count_words(text: str) -> int:
    """Number of words as Yoast SEO counts them ("l'Ukraine a 8 000 soldats" = 5)."""
    return len(get_words(text))


def tokens(text: str) -> list[str]:
    """Yoast's sentence tokens: words, separators and split-off punctuation."""
    out: list[str] = []
    for raw in _TOKEN_SPLIT_RE.split(text):
        if not raw:
            continue
        pre = []
        while raw and raw[0] in PUNCTUATION:
            pre.append(raw[0])
            raw = raw[1:]
        post = []
        while raw and raw[-1] in PUNCTUATION:
            post.append(raw[-1])
            raw = raw[:-1]
        post.reverse()
        out.extend(pre)
        if raw:
            out.append(raw)
        out.extend(post)
    return out


def words_from_tokens(toks: list[str], split_on_hyphens: bool = True) -> list[str]:
    if split_on_hyphens or "-" not in toks:
        # tokens() already split punctuation off: a token is a word, a separator or one mark.
        return [t for t in toks if t not in _PUNCT_SET and not t.isspace()]
    words = list(toks)
    if not split_on_hyphens:
        # Yoast mergeBy(words, "-"): glue the neighbours of every "-" token.
        while "-" in words:
            i = words.index("-")
            if i == 0 or i == len(words) - 1:
                del words[i]
                continue
            words[i - 1:i + 2] = [words[i - 1] + "-" + words[i + 1]]
    out = []
    for w in words:
        w = remove_punctuation(w)
        if w.strip():
            out.append(w)
    return out


# --- sentences ----------------------------------------------------------------
_DELIMITERS = "”〞〟„』›»’‛`\"?!\u2026"
_QUOTATIONS = set("”〞〟„』›»’‛`\"'‘“‟«‹〝")
_SENT_TOKEN_RE = re.compile(r"(\.|[" + re.escape(_DELIMITERS) + r"]|\s*[\[({]\s*|\s*[\])}]\s*)")
_BLOCK_START_RE = re.compile(r"^\s*[\[({]\s*$")
_BLOCK_END_RE = re.compile(r"^\s*[\])}]\s*$")
_ABBREVIATIONS = tuple(a.lower() for a in (
    "A.D. Adm. Adv. B.C. Br. Brig. Cmrd. Col. Cpl. Cpt. Dr. Esq. Fr. Gen. Gov. Hon. Jr. Lieut. Lt. "
    "Maj. Mr. Mrs. Ms. Msgr. Mx. No. Pfc. Pr. Prof. Pvt. Rep. Reps. Rev. Rt. Sen. Sens. Sgt. "
    "Sps. Sr. St. vs. i.e. e.g. viz. Mt.").split())
_ABBREV_END_RE = re.compile(r"(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r")$", re.IGNORECASE)
_ABBREV_BEFORE = frozenset(" \t\n\r\u00a0.,()\"+-;!?:/»«‹›<>”“'’")
_INITIAL_RE = re.compile(r"(?:^|[\s.,'()\"+\-;!?:/»«‹›<>”“])[A-Za-z]$")


def _kind(tok: str) -> str:
    if tok == ".":
        return "full-stop"
    if len(tok) == 1 and tok in _DELIMITERS:
        return "delimiter"
    if _BLOCK_START_RE.match(tok):
        return "block-start"
    if _BLOCK_END_RE.match(tok):
        return "block-end"
    return "sentence"


def _valid_beginning(ch: str) -> bool:
    return ch != ch.lower() or ch.isdigit() or ch in _QUOTATIONS or ch in "¿¡<"


def _next_two(toks: list[tuple[str, str]], i: int) -> str:
    s = "".join(t for t, _ in toks[i + 1:i + 3])
    return re.sub(r"\s+", " ", s, count=1)


def _ends_with_abbreviation(sentence: str) -> bool:
    m = _ABBREV_END_RE.search(sentence[-12:])
    if not m:
        return False
    start = len(sentence) - 12 + m.start() if len(sentence) > 12 else m.start()
    return start == 0 or sentence[start - 1] in _ABBREV_BEFORE


def split_sentences(text: str) -> list[str]:
    """Sentences of one block of plain text (a paragraph or a heading)."""
    toks = [(t, _kind(t)) for t in _SENT_TOKEN_RE.split(text) if t]
    sentences: list[str] = []
    cur = ""

    def valid_split(i: int) -> bool:
        nxt = _next_two(toks, i)
        if len(nxt) >= 2 and _valid_beginning(nxt[1]) and nxt[0].isspace():
            return True
        return i + 1 < len(toks) and toks[i + 1][1] == "block-start"

    for i, (tok, kind) in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        prev = toks[i - 1] if i > 0 else None
        if kind == "sentence" or kind == "block-start":
            cur += tok
        elif kind == "delimiter":
            cur += tok
            if nxt and nxt[1] not in ("block-end", "delimiter") and nxt[0][:1].isspace():
                quote = tok in _QUOTATIONS
                if quote and prev and prev[0] != ".":
                    continue
                if quote or tok == "\u2026":
                    if valid_split(i):
                        sentences.append(cur)
                        cur = ""
                else:
                    sentences.append(cur)
                    cur = ""
        elif kind == "full-stop":
            cur += tok
            if _ends_with_abbreviation(cur):
                continue
            nxt2 = _next_two(toks, i)
            if len(nxt2) >= 2 and nxt2[0].isdigit():
                continue
            if (prev and nxt and i + 2 < len(toks) and prev[1] == "sentence" and _INITIAL_RE.search(prev[0])
                    and nxt[1] == "sentence" and len(nxt[0].strip()) == 1 and toks[i + 2][1] == "full-stop"):
                continue
            if valid_split(i):
                sentences.append(cur)
                cur = ""
        else:  # block-end
            cur += tok
            nxt2 = _next_two(toks, i)
            start = nxt2[0] if len(nxt2) >= 2 else ""
            prev_ends = prev is not None and prev[1] in ("full-stop", "delimiter")
            if len(nxt2) >= 2 and nxt2[0].isdigit():
                continue
            starts = (nxt is not None and nxt[1] == "block-start") or (start and _valid_beginning(start))
            if prev_ends and starts:
                sentences.append(cur)
                cur = ""
    if cur:
        sentences.append(cur)
    return [s.strip() for s in sentences if s.strip()]


def normalize_single_quotes(text: str) -> str:
    return _SINGLE_QUOTES_RE.sub("'", text)
