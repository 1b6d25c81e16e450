"""Reading an editor's revision request written in a thread ("plus court", "mot-clé : …")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_KEYWORD = re.compile(
    r"(?:nouveau\s+)?mot[\s-]*cl[ée](?:\s+principal)?\s*(?:[:=]|est|sera|devient)\s*[«\"“']?\s*(?P<kw>[^»\"”\n]{2,80}?)\s*[»\"”']?\s*[.!]?\s*$",
    re.I,
)
_SHORTEN = re.compile(r"^\s*(?:(?:fais|fait|rends|écris)[\s-]+(?:le|la|l’|l')?\s*)?(?:plus\s+court|raccourci[rst]?|"
                      r"version\s+(?:plus\s+)?courte|moins\s+long|réduis|abrège)\b", re.I)
_REGENERATE = re.compile(r"^\s*(?:régénère|regénère|regenere|régénérer|refais|refaire|recommence|"
                         r"nouvelle\s+version|une\s+autre\s+version)\b\W*$", re.I)


@dataclass(frozen=True)
class Intent:
    kind: Literal["shorten", "keyword", "regenerate", "revise"]
    instruction: str
    keyword: str | None = None


def parse_instruction(text: str) -> Intent:
    text = (text or "").strip()
    m = _KEYWORD.search(text)
    if m and len(text) < 120:
        return Intent("keyword", text, m.group("kw").strip(" .«»"))
    if _SHORTEN.match(text) and len(text) < 80:
        return Intent("shorten", text)
    if _REGENERATE.match(text):
        return Intent("regenerate", text)
    return Intent("revise", text)
