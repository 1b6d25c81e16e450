"""Normalisation shared by the fidelity checks: canonical text for quote comparison,
folding for name comparison, quotation spans, masking of URLs, code and tags."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOS = set("'’‘ʼ′`´")
_DQUOTES = set('"«»“”„‟')
_DASHES = set("‐‑‒–—―−")
_ABSORB = set(",.;:!?\"()[]'")  # spaces around these are not significant
_SPACES = set(" \t\n\r\u00a0\u202f\u2009\u2007\u2002\u2003\u200a\u2060\ufeff")


def canon(s: str) -> tuple[str, list[int]]:
    """Canonical form for quote comparison, with a map canonical index -> index in `s`."""
    keep = None
    if "*" in s:  # Markdown emphasis is not part of the words
        keep = [k for k, ch in enumerate(s) if ch != "*"]
        s = s.replace("*", "")
    out: list[str] = []
    idx: list[int] = []
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        if c in _SPACES or c.isspace():
            # "8 000" -> "8000": a single space between a digit and exactly three digits.
            group = s[i + 1 : i + 4]
            if (
                out
                and out[-1].isdigit()
                and len(group) == 3
                and group.isdigit()
                and (i + 4 >= n or not s[i + 4].isdigit())
            ):
                i += 1
                continue
            if out and out[-1] != " " and out[-1] not in _ABSORB:
                out.append(" ")
                idx.append(i)
            i += 1
            continue
        if c == "…":
            if out and out[-1] == " ":
                out.pop()
                idx.pop()
            out += "..."
            idx += [i, i, i]
            i += 1
            continue
        if c in _APOS:
            c = "'"
        elif c in _DQUOTES:
            c = '"'
        elif c in _DASHES:
            c = "-"
        elif c == "." and out and out[-1].isdigit() and i + 1 < n and s[i + 1].isdigit():
            c = ","
        if c in _ABSORB and out and out[-1] == " ":
            out.pop()
            idx.pop()
        out.append(c)
        idx.append(i)
        i += 1
    if out and out[-1] == " ":
        out.pop()
        idx.pop()
    if keep is not None:
        idx = [keep[k] for k in idx]
    return "".join(out), idx


_TRANSLATE = {c: "'" for c in _APOS}
_TRANSLATE.update({c: '"' for c in _DQUOTES})
_TRANSLATE.update({c: "-" for c in _DASHES})
_TRANSLATE.update({c: " " for c in _SPACES})
_TRANSLATE["…"] = "..."
_TRANSLATE["*"] = ""
_TRANSLATE = {k: v for k, v in _TRANSLATE.items() if k != v and k not in "\n\t\r"}
_TRANSLATE_RE = re.compile("[" + re.escape("".join(_TRANSLATE)) + "]")
_C_GROUP_RE = re.compile(r"(?<=\d)\s(?=\d{3}(?!\d))")
_C_DECIMAL_RE = re.compile(r"(?<=\d)\.(?=\d)")
_C_SPACES_RE = re.compile(r"\s{2,}|[^\S ]")
_C_ABSORB_RE = re.compile(r" ?([,.;:!?\"()\[\]']) ?")


def canon_str(s: str) -> str:
    """Same result as ``canon(s)[0]``, without the index map (fast path for article text)."""
    s = _TRANSLATE_RE.sub(lambda m: _TRANSLATE[m.group(0)], s)
    s = _C_GROUP_RE.sub("", s)
    s = _C_DECIMAL_RE.sub(",", s)
    s = _C_SPACES_RE.sub(" ", s)
    s = _C_ABSORB_RE.sub(r"\1", s)
    return s.strip(" ")


def lower(s: str) -> str:
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in s)


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Lower case, no accents, typographic apostrophe -> '."""
    w = unicodedata.normalize("NFD", word.lower())
    w = "".join(ch for ch in w if unicodedata.category(ch) != "Mn")
    return w.replace("’", "'").replace("ʼ", "'")


_OPENERS = "«“„"
_CLOSERS = "»”"


_QUOTE_EVENT_RE = re.compile(r'[«»“”„"]|\n[ \t\u00a0]*\n')


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Outermost quotations as (index of opening mark, index of closing mark)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    n = len(text)
    for m in _QUOTE_EVENT_RE.finditer(text):
        i = m.start()
        c = text[i]
        if c == "\n":
            stack.clear()  # a blank line ends the paragraph
        elif c in _OPENERS:
            stack.append((c, i))
        elif c in _CLOSERS:
            if stack:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
        else:  # straight double quote
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < n else ""
            prev_solid = prev != "" and not prev.isspace()
            opener_like = (not prev_solid or prev in "([{«“‘*_/") and nxt != "" and not nxt.isspace()
            nxt_free = nxt == "" or nxt.isspace() or nxt in ".,;:!?)]…»"
            if stack and stack[-1][0] == '"' and not opener_like:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
            elif stack and prev_solid and nxt_free:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
            elif not stack and prev_solid and nxt_free:
                continue
            else:
                stack.append(('"', i))
    return spans


_MASK_RE = re.compile(
    r"""
      ```[\s\S]*?```
    | `[^`\n]+`
    | (?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)
    | <[^<>\n]*>
    | (?:https?://|ftp://|www\.)[^\s<>"«»“”„‘’…]+
    | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | &(?:[A-Za-z][A-Za-z0-9]*|\#\d+|\#[xX][0-9a-fA-F]+);
    """,
    re.VERBOSE,
)


def mask(text: str) -> str:
    """Blank out URLs, link targets, code and tags (same length, positions kept)."""
    return _MASK_RE.sub(lambda m: " " * len(m.group(0)), text)


_LANG_WORDS = {
    "fr": frozenset("le la les des du de et est une un dans pour que qui pas sur au aux avec ce cette il "
                    "elle ont été selon".split()),
    "en": frozenset("the and of to is in that for with was on are as by it this have has be from said "
                    "were".split()),
    "de": frozenset("der die das und ist nicht mit von zu den ein eine auf für dem sich wurde".split()),
}
_LANG_WORD_RE = re.compile(r"[a-zäöüßàâçéèêëîïôûùÿœ]+")


def language(text: str) -> str | None:
    """"fr", "en" or "de" when the text's function words say so clearly, else None."""
    words = _LANG_WORD_RE.findall(text.lower())
    counts = {lang: sum(w in vocab for w in words) for lang, vocab in _LANG_WORDS.items()}
    best = max(counts, key=counts.__getitem__)
    runner_up = max(n for lang, n in counts.items() if lang != best)
    if counts[best] >= 3 and counts[best] >= 1.5 * runner_up:
        return best
    return None
