"""Step 1 of the pipeline: turn what an editor pasted into a usable dispatch.

Separates an editor's instruction written before the dispatch (a wish, never
source material), strips HTML pasted from a CMS, drops wire boilerplate and
reads the dateline (place, agency) for the credit line.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from .errors import InputError

MAX_CHARS = 60_000
MIN_WORDS = 50
MAX_WISH_CHARS = 1_000  # an editor's wish (or revision request) is a sentence or two, not a document

# Separates what the person asking typed (a wish is possible) from text that is dispatch and nothing
# else (a snippet, a paste in a watched channel): see `compose_source`.
DISPATCH_MARK = "\x1d"

AGENCIES = ("AFP", "Reuters", "AP", "Belga", "ATS", "DPA", "ANSA", "EFE", "Xinhua", "APS", "MAP")

_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^publié le\s*:?.*$",
        r"^mis à jour le\s*:?.*$",
        r"^modifié le\s*:?.*$",
        r"^modifié\s*:.*$",
        r"^©.*$",
        r"^\(c\)\s*\d{4}.*$",
        r"^copyright\b.*$",
        r"^(partager|partagez|share|tweet|imprimer|print|e-?mail|facebook|twitter|whatsapp|linkedin|"
        r"copier le lien|lire aussi|lire la suite|à lire aussi|read more|sur le même sujet)\b.{0,60}$",
        r"^(publicité|advertisement)$",
        r"^\d+\s*min(ute)?s? de lecture$",
    )
]

# Words that mark the first line as an instruction to us rather than news.
_INSTRUCTION_HINTS = re.compile(
    r"\b(seo|référencement|article|rewrite|réécri\w*|rédige\w*|write|make|create|crée[rz]?|"
    r"transforme\w*|optimi[sz]\w*|subheadings?|intertitres?|words|mots|in french|en français|"
    r"please|merci de|peux-tu|pouvez-vous|let there be)\b",
    re.I,
)
_IMPERATIVE_START = re.compile(
    r"^\s*(make|rewrite|write|create|turn|please|let|give|generate|"
    r"réécri\w*|rédige\w*|écri\w*|fai[st]\w*|transforme\w*|optimise\w*|crée\w*|génère\w*|"
    r"merci|peux-tu|pouvez-vous|donne\w*|propose\w*)\b",
    re.I,
)
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-ZÀ-Ý][\w'’\-\. ]{1,40}?)\s*\((?P<agency>[A-Za-z][\w\-]{1,12})\)\s*[-–—:]\s*"
)
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
               "section", "article", "header", "footer", "ul", "ol", "table", "figcaption"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "button", "nav", "form"}
_HTML_SNIFF = re.compile(r"<(p|div|br|span|html|body|h[1-6]|li|a|article|section|strong|em)\b[^>]*>", re.I)


@dataclass(frozen=True)
class Dispatch:
    """The cleaned dispatch and what we learnt around it."""

    text: str  # the source material, the only ground truth for facts and quotes
    instruction: str | None  # the editor's wish written before the dispatch, if any
    place: str | None
    agency: str | None
    metadata: str = ""  # wire boilerplate we dropped (© 2023 AFP, Publié le…): facts, not prose

    @property
    def fact_source(self) -> str:
        """What the fidelity guard checks against: the dispatch and its wire metadata."""
        return f"{self.text}\n{self.metadata}" if self.metadata else self.text

    @property
    def requested_min_words(self) -> int | None:
        """A length the editor asked for ("at least 900 words", "au moins 900 mots")."""
        if not self.instruction:
            return None
        m = re.search(r"(?:at least|minimum(?: of)?|au moins|minimum de|d[’']au moins)\s+(\d[\d\s\u00a0\u202f.]*)\s*(?:words|mots)",
                      self.instruction, re.I)
        if not m:
            return None
        n = int(re.sub(r"\D", "", m.group(1)) or 0)
        return n if 100 <= n <= 3000 else None

    @property
    def credit(self) -> str | None:
        return f"(Avec {self.agency})" if self.agency else None

    @property
    def word_count(self) -> int:
        return len(self.text.split())


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    if not _HTML_SNIFF.search(text):
        return text
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = html.unescape(text) if re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", text, re.I) else text
    # Zero-width and control characters (but keep newlines and tabs).
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", text)
    # A printable line (the usual case) holds no category-C character: skip the per-character
    # scan (a third of the web listener's CPU per /seo-fr, benchmarks/RESULTS.md).
    lines = [ln if ln.isprintable() else
             "".join(ch for ch in ln if ch == "\t" or unicodedata.category(ch)[0] != "C")
             for ln in text.split("\n")]
    lines = [re.sub(r"[ \t\u00a0\u202f]+", " ", ln).strip() for ln in lines]
    return "\n".join(lines)


def _letters_ratio(text: str) -> float:
    visible = len(text) - sum(map(str.isspace, text))
    if not visible:
        return 0.0
    return sum(map(str.isalpha, text)) / visible


def _is_instruction(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 80 or _DATELINE.match(line):
        return False
    hints = len(_INSTRUCTION_HINTS.findall(line))
    return bool(_IMPERATIVE_START.match(line)) and hints >= 1 or hints >= 3


def compose_source(dispatch: str, wish: str | None = None) -> str:
    """A source whose `dispatch` part is all dispatch: no line of it is ever lifted as the editor's
    wish (anyone's press release in a watched channel, a snippet's content). `wish` is what the
    person asking typed, if anything."""
    wish = (wish or "").replace(DISPATCH_MARK, " ").strip()
    return f"{wish}\n{DISPATCH_MARK}\n{dispatch.replace(DISPATCH_MARK, ' ')}"


def cap_wish(text: str | None) -> str | None:
    """A wish fits in MAX_WISH_CHARS (cut at a word)."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= MAX_WISH_CHARS:
        return text or None
    cut = text[:MAX_WISH_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip() + "…"


def clean(raw: str) -> Dispatch:
    """Validate and clean pasted input. Raises InputError with a French message."""
    typed, marked, rest = (raw or "").partition(DISPATCH_MARK)
    if marked:  # composed by compose_source: the wish is only what the person typed
        raw = rest
    if raw is None or not raw.strip():
        raise InputError("La dépêche est vide : collez le texte de la dépêche à réécrire.")
    if "\x00" in raw:
        raise InputError("Ce contenu n’est pas du texte : collez le texte de la dépêche.")
    if len(raw) > MAX_CHARS * 3:
        # Even HTML-heavy input this large is not a dispatch; refuse before parsing it.
        raise InputError(
            f"La dépêche est trop longue ({len(raw):,} caractères) : la limite est de "
            f"60 000 caractères.".replace(",", "\u202f")
        )
    text = _normalise(strip_html(raw))
    lines = [ln for ln in text.split("\n")]

    # The editor's instruction: first non-empty line(s) when they read as a request to us.
    instruction_lines: list[str] = [_normalise(strip_html(typed))] if marked else []
    while lines and not marked:
        first = lines[0]
        if not first:
            lines.pop(0)
            continue
        if _is_instruction(first) and len(instruction_lines) < 3:
            instruction_lines.append(lines.pop(0))
            continue
        break

    kept, dropped = [], []
    for ln in lines:
        (dropped if any(p.match(ln) for p in _BOILERPLATE) else kept).append(ln)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()

    place = agency = None
    m = _DATELINE.match(body)
    if m:
        place, agency = m.group("place").strip(), m.group("agency")
    else:
        m2 = re.search(r"\(\s*(" + "|".join(AGENCIES) + r")\s*\)", body[:400])
        if m2:
            agency = m2.group(1)
    if agency is None:
        m3 = re.search(r"(?:©|\(c\))\s*\d{4}\s+(" + "|".join(AGENCIES) + r")\b", text, re.I)
        if m3:
            agency = next(a for a in AGENCIES if a.lower() == m3.group(1).lower())

    if len(body) > MAX_CHARS:
        raise InputError(
            f"La dépêche est trop longue ({len(body):,} caractères) : la limite est de "
            f"60 000 caractères. Collez seulement le texte de la dépêche.".replace(",", "\u202f")
        )
    if _letters_ratio(body) < 0.5:
        raise InputError(
            "Ce contenu ne ressemble pas à une dépêche (trop peu de lettres) : collez le texte de la dépêche."
        )
    words = len(body.split())
    if words < MIN_WORDS:
        raise InputError(
            f"Texte trop court pour une dépêche ({words} mot{'s' if words > 1 else ''}) : "
            f"il en faut au moins {MIN_WORDS}."
        )
    instruction = cap_wish(" ".join(instruction_lines))
    return Dispatch(text=body, instruction=instruction, place=place, agency=agency,
                    metadata="\n".join(x for x in dropped if x))
