"""Lossless splitting of Markdown into pieces that fit Slack's per-message limits."""
from __future__ import annotations

import re
from typing import Callable

# --------------------------------------------------------------------------- splitting

_HEADING_START = re.compile(r"(?m)^#{1,6}[ \t]")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?[»”\"’)])*[ \t\n]+")
_WORD_END = re.compile(r"[ \t\n]+")


def _cut_before(text: str, pattern: re.Pattern) -> list[str]:
    cuts = [m.start() for m in pattern.finditer(text) if m.start() > 0]
    return _cut_at(text, cuts)


def _cut_after(text: str, pattern: re.Pattern) -> list[str]:
    cuts = [m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text)]
    return _cut_at(text, cuts)


def _cut_at(text: str, cuts: list[int]) -> list[str]:
    pieces, start = [], 0
    for c in cuts:
        if c > start:
            pieces.append(text[start:c])
            start = c
    pieces.append(text[start:])
    return [p for p in pieces if p]


def _glue_headings(parts: list[str], limit: int) -> list[str]:
    """Keep a lone heading paragraph with the paragraph that follows it."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        p = parts[i]
        if _HEADING_START.match(p) and i + 1 < len(parts) and len(p) + len(parts[i + 1]) <= limit:
            out.append(p + parts[i + 1])
            i += 2
        else:
            out.append(p)
            i += 1
    return out


_LEVELS: list[Callable[[str], list[str]]] = [
    lambda t: _cut_before(t, _HEADING_START),   # sections
    lambda t: _cut_after(t, _PARAGRAPH_END),    # paragraphs
    lambda t: _cut_after(t, _SENTENCE_END),     # sentences
    lambda t: _cut_after(t, _WORD_END),         # words
]


def _atoms(text: str, limit: int, level: int = 0) -> list[str]:
    """Lossless split into pieces of at most `limit` chars, coarsest boundaries first."""
    if len(text) <= limit:
        return [text] if text else []
    if level >= len(_LEVELS):
        return [text[i:i + limit] for i in range(0, len(text), limit)]
    parts = _LEVELS[level](text)
    if len(parts) <= 1:
        return _atoms(text, limit, level + 1)
    if level == 1:
        parts = _glue_headings(parts, limit)
    out: list[str] = []
    for p in parts:
        out += _atoms(p, limit, level + 1)
    return out


def split_markdown(markdown_body: str, limit: int) -> list[str]:
    """Split Markdown into chunks of at most `limit` chars, never losing a character.

    ``"".join(split_markdown(s, n)) == s`` always holds: separators stay at the end of
    the chunk they follow. Cuts fall between sections (before a ``#`` heading line);
    a section longer than `limit` is cut between paragraphs (a heading stays with its
    first paragraph), a paragraph longer than `limit` between sentences, then words.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[str] = []
    cur = ""
    for atom in _atoms(markdown_body, limit):
        if cur and len(cur) + len(atom) <= limit:
            cur += atom
        else:
            if cur:
                chunks.append(cur)
            cur = atom
    if cur:
        chunks.append(cur)
    return chunks


