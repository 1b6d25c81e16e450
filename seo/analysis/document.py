"""The article as the analysis sees it, and its Markdown parser."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FRONT_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
# Inline Markdown that a CMS would render as markup, not text.
_INLINE_RES = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),          # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),        # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),             # bold
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),
)
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


@dataclass
class Document:
    title: str = ""
    body_markdown: str = ""
    keyword: str = ""
    meta_title: str = ""
    meta_description: str = ""
    slug: str = ""
    # The page's links (hrefs) and the site it lives on. None: links unknown, and the two link
    # checks (internalLinks, externalLinks) are not run, as before there were links.
    links: tuple[str, ...] | None = None
    site_url: str | None = None


@dataclass
class Block:
    kind: str  # "p", "h1".."h6"
    text: str  # plain text, inline Markdown removed


def strip_inline(text: str) -> str:
    for regex, repl in _INLINE_RES:
        text = regex.sub(repl, text)
    return text


def parse_blocks(body_markdown: str) -> list[Block]:
    """Paragraphs and headings of a Markdown body. Lines of one paragraph are joined
    with a space (as a browser renders them); list items become paragraphs."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text = strip_inline(" ".join(s.strip() for s in para)).strip()
            if text:
                blocks.append(Block("p", text))
            para.clear()

    for line in body_markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _HEADING_RE.match(line)
        if m:
            flush()
            text = strip_inline(m.group(2)).strip()
            if text:
                blocks.append(Block("h%d" % len(m.group(1)), text))
        elif not line.strip():
            flush()
        elif _LIST_ITEM_RE.match(line):
            flush()
            para.append(_LIST_ITEM_RE.sub("", line))
            flush()
        else:
            para.append(line.lstrip("> ") if line.startswith(">") else line)
    flush()
    return blocks


def blocks_to_html(blocks: list[Block]) -> str:
    """The HTML a CMS would hold for these blocks (used by the Yoast reference tool)."""
    return "".join(f"<{b.kind}>{html.escape(b.text, quote=False)}</{b.kind}>" for b in blocks)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:  # a YAML double-quoted scalar as our exports write it (JSON string syntax)
            return json.loads(value)
        except ValueError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def document_from_markdown(text: str, keyword: str | None = None) -> Document:
    """A Document from a Markdown article.

    Optional front matter between two ``---`` lines at the very top holds
    ``focus_keyword:``, ``meta_title:``, ``meta_description:``, ``slug:`` and
    ``title:`` (``keyword:`` is accepted for ``focus_keyword``). The first ``# ``
    line is the title (it wins over ``title:``) and is not part of the body.
    ``keyword``, when not None, overrides the front matter.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                for raw in lines[1:i]:
                    m = _FRONT_KEY_RE.match(raw.strip())
                    if m:
                        meta[m.group(1).lower()] = _unquote(m.group(2))
                lines = lines[i + 1:]
                break
    title = meta.get("title", "")
    body_lines: list[str] = []
    found_title = False
    for line in lines:
        if not found_title and re.match(r"^#[ \t]+\S", line):
            title = strip_inline(line[1:].strip().rstrip("#").strip())
            found_title = True
            continue
        body_lines.append(line)
    kw = keyword if keyword is not None else meta.get("focus_keyword", meta.get("keyword", ""))
    return Document(
        title=title,
        body_markdown="\n".join(body_lines).strip("\n"),
        keyword=kw.strip(),
        meta_title=meta.get("meta_title", ""),
        meta_description=meta.get("meta_description", ""),
        slug=meta.get("slug", ""),
    )
