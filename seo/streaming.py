"""The article's Markdown while the model writes it (streamed structured output).

The LLM client streams the draft's JSON; ``MarkdownStream`` parses the growing buffer with
jiter (``partial_mode="trailing-strings"``) and hands ``on_text`` only *appended* Markdown:
Slack's ``chat.appendStream`` cannot retract, so nothing emitted may ever need correcting.

``article_markdown(data, complete=...)`` is the pure part: the Markdown (``# title``, lead,
``## heading``, paragraphs, the shape of ``render.body_markdown``) of a partial article dict,
cut so that the Markdown of any longer prefix of the same JSON starts with it:

- only the last string of the partial JSON may be unfinished; in it the trailing word and the
  whitespace before it are held back (the word may grow, the whitespace may become a
  paragraph break), and so is a Markdown link or image not yet closed;
- fields are rendered in Markdown order and rendering stops at the first one not yet there, so
  a field the JSON brings later than the body cannot break the order;
- cleanup is prefix-stable and cheap: links and images become their label, heading marks
  and line breaks leave single-line fields, paragraphs are split and trimmed as ``polish``
  does, a paragraph start that would change its kind is escaped, and the part of French
  typography that only looks at the characters around it: ’ apostrophes, no-break spaces
  before ; : ! ? and inside « », … (URLs and e-mail addresses untouched). The rest of
  ``french_typography`` (quote pairing, digit grouping, decimal commas) looks further ahead:
  the checked version gets it. Mentions are neutralised by the Slack side.

Parsing the whole buffer at every chunk would cost O(n²) over an article: once the first
words are out (rendered at every chunk until then, so they show at once), ``MarkdownStream``
renders at most every ``min_interval`` seconds or ``min_bytes`` new bytes
(benchmarks/stream_cpu.py measures the CPU per article).
"""
from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable

import jiter

log = logging.getLogger(__name__)

OnText = Callable[[str], Awaitable[None]]

_LABEL_MAX = 300  # a '[' not closed within this many characters is plain text
_TARGET_MAX = 2000
_BLOCK_START = re.compile(r"^(\s*)([#>+\-*]|\d+[.)])(\s|$)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_HSPACE = re.compile(r"[ \t]{2,}|\t")  # only runs that change: single spaces stay
_HEADING_MARKS = re.compile(r"^\s*#+\s*")
_SPACES = re.compile(r"\s+")
NBSP = "\u00a0"
_PROTECTED = re.compile(  # left byte-exact, as french_typography does
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»“”„]*[^\s<>\"«»“”„.,;:!?)']|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_APOSTROPHE = re.compile(r"(?<=[^\W_])['ʼ‘´](?=[^\W_]|[«\"“])")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_PUNCT = re.compile(r"[;:!?]+")
_HSPACES = " \t\u00a0\u202f"
_OPEN_GUILLEMET = re.compile(r"«[ \t\u00a0\u202f]*(?=\S)")
_CLOSE_GUILLEMET = re.compile(r"(?<=\S)[ \t\u00a0\u202f]*»")


def _hold_back_word(text: str) -> str:
    """What of an unfinished string is final: up to the last word followed by whitespace."""
    i = len(text)
    while i and not text[i - 1].isspace():
        i -= 1
    return text[:i].rstrip()


def _link_end(text: str, i: int, final: bool) -> tuple[int, int, int] | None | bool:
    """At text[i] == '[': (label_start, label_end, end) of a Markdown link (balanced brackets
    in the label, as CommonMark allows), False when it is not one, None when the text ends
    before that is known (never None when `final`)."""
    j, depth = i + 1, 1
    limit = min(len(text), j + _LABEL_MAX + 1)
    while j < limit:
        ch = text[j]
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                break
        elif ch == "\n" and text.startswith("\n", j + 1):
            return False  # a blank line ends any link
        j += 1
    if j == len(text):
        return False if final else None
    if j == limit:
        return False
    label_end = j
    j += 1
    if j == len(text):
        return False if final else None
    if text[j] != "(":
        return False
    j += 1
    limit = min(len(text), j + _TARGET_MAX + 1)
    while j < limit and text[j] not in "()\n":
        j += 1
    if j == len(text):
        return False if final else None
    if text[j] != ")":
        return False
    return i + 1, label_end, j + 1


def strip_links(text: str, final: bool = True) -> str:
    """Markdown links and images become their label; a "](" left over (a label too long, a
    target across lines) gets a space so it links nothing. When not `final`, a link that may
    still be being written is cut off (with what follows), so the result only ever grows."""
    if "[" not in text:
        return text
    out: list[str] = []
    pos = 0
    start = text.find("[")
    while start != -1:
        found = _link_end(text, start, final)
        if found is None:
            open_at = start - 1 if start > 0 and text[start - 1] == "!" else start
            out.append(text[pos:open_at])
            return "".join(out).rstrip().replace("](", "] (")
        if found:
            label_start, label_end, end = found
            open_at = start - 1 if start > 0 and text[start - 1] == "!" else start
            out.append(text[pos:open_at])
            out.append(strip_links(text[label_start:label_end]))
            pos = end
            start = text.find("[", end)
        else:
            start = text.find("[", start + 1)
    out.append(text[pos:])
    return "".join(out).replace("](", "] (")


def _visible(raw: str, final: bool) -> str:
    text = raw if final else _hold_back_word(raw)
    return strip_links(text, final)


def _punctuation(text: str) -> str:
    """A no-break space before ; : ! ? (french_typography's rule, character for character)."""
    out: list[str] = []
    pos = 0
    for m in _PUNCT.finditer(text):
        s, e = m.start(), m.end()
        while s > pos and text[s - 1] in _HSPACES:
            s -= 1
        spaces, punct = text[s:m.start()], m.group(0)
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < len(text) else ""
        if prev in ("", "\n") or prev in "([{":
            continue
        if not spaces and prev.isalnum() and (nxt.isalnum() or nxt == "_"):
            continue  # a:b, 3:1, x?y: not prose punctuation
        if punct[0] == "!" and not spaces and nxt == "[":
            continue
        after = " " if punct in (":", ";") and nxt and (nxt.isalpha() or nxt == "«") else ""
        out.append(text[pos:s])
        out.append(NBSP + punct + after)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _typography_part(text: str) -> str:
    if "'" in text or "ʼ" in text or "‘" in text or "´" in text:
        text = _APOSTROPHE.sub("’", text)
    if "..." in text:
        text = _ELLIPSIS.sub("…", text)
    if "«" in text:
        text = _OPEN_GUILLEMET.sub("«" + NBSP, text)
    if "»" in text:
        text = _CLOSE_GUILLEMET.sub(NBSP + "»", text)
    if ";" in text or ":" in text or "!" in text or "?" in text:
        text = _punctuation(text)
    return text


def light_typography(text: str) -> str:
    """The prefix-stable part of french_typography: every rule looks only at the characters
    around it, so a text cut after a whole word gets a prefix of the whole text's result."""
    if not (("://" in text or "www." in text or "@" in text) and _PROTECTED.search(text)) or "\ue000" in text:
        return _typography_part(text)
    kept: list[str] = []

    def keep(m: re.Match) -> str:
        kept.append(m.group(0))
        return "\ue000"  # a placeholder, as french_typography protects them

    parts = _typography_part(_PROTECTED.sub(keep, text)).split("\ue000")
    out = [parts[0]]
    for url, rest in zip(kept, parts[1:]):
        out += [url, rest]
    return "".join(out)


def _line(raw: str, final: bool) -> str:
    """A single-line field (title, heading): no heading marks, no line breaks."""
    text = _visible(raw, final)
    return light_typography(_SPACES.sub(" ", _HEADING_MARKS.sub("", text)).strip())


def _escape_block_start(paragraph: str) -> str:
    # As render._escape_block_start, and also at the end of the paragraph so that a held-back
    # marker ('-' emitted because whitespace followed it) is escaped the same way later.
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", paragraph, count=1)


@functools.lru_cache(maxsize=4096)  # ~15 paragraphs an article, many jobs at once
def _paragraph(p: str) -> str:
    """One paragraph as shown (cached: a finished paragraph comes back at every render)."""
    if "  " in p or "\t" in p:  # regex substitution is the costliest step: only when needed
        p = _HSPACE.sub(" ", p)
    p = p.strip()
    return _escape_block_start(light_typography(p)) if p else ""


def _paragraphs(raw: str, final: bool) -> list[str]:
    out = []
    for p in _PARAGRAPH_BREAK.split(_visible(raw, final)):
        p = _paragraph(p)
        if p:
            out.append(p)
    return out


def _last_string_path(node, path: tuple = ()) -> tuple | None:
    """Where the only string that may be unfinished sits: the last one in the JSON."""
    if isinstance(node, dict):
        for key in reversed(list(node)):
            found = _last_string_path(node[key], path + (key,))
            if found is not None:
                return found
    elif isinstance(node, list):
        for i in range(len(node) - 1, -1, -1):
            found = _last_string_path(node[i], path + (i,))
            if found is not None:
                return found
    elif isinstance(node, str):
        return path
    return None


def article_markdown(data, *, complete: bool) -> str:
    """The Markdown of a (partial) article dict, as far as it is known to be final.

    `complete`: the JSON is whole (end of the stream). Otherwise the result is a prefix of the
    result for any longer prefix of the same JSON text."""
    if isinstance(data, dict) and set(data) == {"article"} and isinstance(data["article"], dict):
        data = data["article"]
    if not isinstance(data, dict):
        return ""
    unfinished = None if complete else _last_string_path(data)
    blocks: list[str] = []

    def field(container, key, path) -> tuple[str, bool] | None:
        """(raw, final) of a string field; None when rendering must stop here."""
        if not isinstance(container, dict) or key not in container:
            return ("", True) if complete else None
        value = container[key]
        if not isinstance(value, str):
            return ("", True) if complete else None
        return value, path != unfinished

    title = field(data, "title", ("title",))
    if title is None:
        return ""
    text = _line(*title)
    if text:
        blocks.append(f"# {text}")
    if not title[1]:
        return "\n\n".join(blocks)

    lead = field(data, "lead", ("lead",))
    if lead is None:
        return "\n\n".join(blocks)
    blocks += _paragraphs(*lead)
    if not lead[1]:
        return "\n\n".join(blocks)

    sections = data.get("sections")
    if not isinstance(sections, list):
        return "\n\n".join(blocks)
    for i, section in enumerate(sections):
        heading = field(section, "heading", ("sections", i, "heading"))
        if heading is None:
            break
        text = _line(*heading)
        if text:
            blocks.append(f"## {text}")
        if not heading[1]:
            break
        body = field(section, "body", ("sections", i, "body"))
        if body is None:
            break
        blocks += _paragraphs(*body)
        if not body[1]:
            break
    return "\n\n".join(blocks)


def parse_partial(buffer: bytes):
    """The JSON object a growing reply holds so far (a Markdown fence some models add is
    skipped); None when nothing can be read yet."""
    start = buffer.find(b"{")
    if start == -1:
        return None
    try:
        return jiter.from_json(buffer[start:] if start else buffer, partial_mode="trailing-strings")
    except ValueError:
        # Trailing text after a whole object (a closing fence): parse the object alone.
        end = buffer.rfind(b"}")
        if end <= start:
            return None
        try:
            return jiter.from_json(buffer[start:end + 1], partial_mode="trailing-strings")
        except ValueError:
            return None


def _whole_json(buffer: bytes) -> bool:
    start = buffer.find(b"{")
    end = buffer.rfind(b"}")
    if start == -1 or end < start:
        return False
    try:
        jiter.from_json(buffer[start:end + 1])
    except ValueError:
        return False
    return True


class MarkdownStream:
    """The sink of one streamed LLM call (seo.llm.StreamSink): feeds `on_text` with appended
    Markdown only.

    Across attempts of the same call (a retried stream, a reply retried for invalid JSON),
    what was already sent is never sent again: a new attempt goes on feeding `on_text` only
    when its Markdown extends what was sent; when it differs, feeding stops for good. An
    exception from `on_text` is logged and stops feeding too; the job goes on.
    """

    def __init__(self, on_text: OnText, *, min_bytes: int = 512, min_interval: float = 0.25,
                 clock: Callable[[], float] = time.monotonic):
        self._on_text = on_text
        self.min_bytes = min_bytes
        self.min_interval = min_interval
        self._clock = clock
        self.sent = ""  # everything on_text received, in order
        self.active = True  # False once feeding stopped for good (divergence, on_text error)
        self.complete = False  # the current attempt's whole Markdown has been sent
        self.renders = 0
        self._buf = bytearray()
        self._rendered_at_bytes = 0
        self._rendered_at = float("-inf")

    async def restart(self) -> None:
        """A new attempt of the call begins: its reply starts from scratch."""
        self._buf.clear()
        self._rendered_at_bytes = 0
        self._rendered_at = float("-inf")
        self.complete = False

    async def feed(self, delta: str) -> None:
        """A piece of the reply's content, as streamed."""
        if not self.active or not delta:
            return
        self._buf += delta.encode()
        now = self._clock()
        # Until the first words are out, every chunk (the buffer is tiny): they show at once.
        if (not self.sent or len(self._buf) - self._rendered_at_bytes >= self.min_bytes
                or now - self._rendered_at >= self.min_interval):
            self._rendered_at_bytes = len(self._buf)
            self._rendered_at = now
            await self._render(complete=False)

    async def finish(self) -> None:
        """The reply ended normally: send the rest of its Markdown. A reply that is not a
        whole JSON object (cut, fenced oddly) keeps its last word held back: it will be
        retried, and nothing sent may need correcting."""
        if not self.active:
            return
        await self._render(complete=_whole_json(bytes(self._buf)))

    async def _render(self, *, complete: bool) -> None:
        self.renders += 1
        try:
            data = parse_partial(bytes(self._buf))
            markdown = article_markdown(data, complete=complete) if data is not None else ""
        except Exception:  # never let a rendering bug fail the job
            log.exception("partial Markdown rendering failed; streaming stops for this job")
            self.active = False
            return
        sent = self.sent
        if len(markdown) <= len(sent):
            if not sent.startswith(markdown):
                self._stop("a new attempt wrote a different text")
            elif complete and len(markdown) < len(sent):
                self._stop("the reply is shorter than what was sent")
            elif complete:
                self.complete = True
            return
        if not markdown.startswith(sent):
            self._stop("a new attempt wrote a different text")
            return
        chunk = markdown[len(sent):]
        self.sent = markdown
        try:
            await self._on_text(chunk)
        except Exception:
            log.exception("on_text failed; streaming stops for this job")
            self.active = False
            return
        if complete:
            self.complete = True

    def _stop(self, why: str) -> None:
        log.info("streamed text: feeding stops (%s)", why)
        self.active = False
        self.complete = False
