"""The article as the analysis sees it, and its Markdown parser."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..markup import MARKDOWN

_FRONT_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
# Inline Markdown that a CMS would render as markup, not text (titles of the front matter).
_INLINE_RES = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),          # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),        # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),             # bold
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),
)
_CONTAINERS = {"blockquote_open": "quote", "bullet_list_open": "list", "ordered_list_open": "list",
               "table_open": "table"}
_TABLE_LINES = frozenset(("thead_open", "thead_close", "tbody_open", "tbody_close", "tr_open", "tr_close"))


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
    """One text block of the body as the CMS renders it (seo.markup, the production dialect).

    ``kind``: "p" (a paragraph, a list item's text, a table cell), "h1".."h6", or "pre" (a
    code block). ``text``: its plain text without inline code (Yoast drops <code>), soft
    line breaks kept as "\n"; ``raw``: the text with inline code (what Flesch reads).
    ``quote``: inside a blockquote; ``list_item``: inside a list (any depth); ``cell``: a
    table cell (``table`` numbers the tables, ``table_lines`` on a table's first cell counts
    its <thead>/<tbody>/<tr> lines).
    """
    kind: str
    text: str
    raw: str = ""
    quote: bool = False
    list_item: bool = False
    cell: bool = False
    table: int = -1
    table_lines: int = 0

    @property
    def analysed(self) -> bool:
        """Yoast reads quotes and code blocks for Flesch only (its filterTree/htmlParser drop them)."""
        return not self.quote and self.kind != "pre"


def strip_inline(text: str) -> str:
    for regex, repl in _INLINE_RES:
        text = regex.sub(repl, text)
    return text


def _inline_text(token) -> tuple[str, str]:
    """(text without code spans, text with them) of an inline token."""
    text, raw = [], []
    for child in token.children or ():
        if child.type == "text":
            text.append(child.content)
            raw.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            text.append("\n")
            raw.append("\n")
        elif child.type == "code_inline":
            raw.append(child.content)
    return "".join(text).strip(), "".join(raw).strip()


def parse_blocks(body_markdown: str) -> list[Block]:
    """The text blocks of a Markdown body, in order, each with the containers it sits in."""
    blocks: list[Block] = []
    stack: list[str] = []
    tables = 0
    first_cell: Block | None = None
    pending_lines = 0
    heading = ""
    for tok in MARKDOWN.parse(body_markdown or ""):
        kind = tok.type
        if kind in _CONTAINERS:
            stack.append(_CONTAINERS[kind])
            if kind == "table_open":
                tables += 1
                first_cell, pending_lines = None, 0
        elif kind in ("blockquote_close", "bullet_list_close", "ordered_list_close", "table_close"):
            stack.pop()
            if kind == "table_close" and first_cell is not None:
                first_cell.table_lines = pending_lines
        elif kind in _TABLE_LINES:
            pending_lines += 1
        elif kind == "heading_open":
            heading = tok.tag
        elif kind == "heading_close":
            heading = ""
        elif kind in ("fence", "code_block"):
            code = tok.content.rstrip("\n")
            blocks.append(Block("pre", code, code, quote="quote" in stack, list_item="list" in stack))
        elif kind == "inline":
            text, raw = _inline_text(tok)
            in_cell = "table" in stack
            if not raw and not in_cell:
                continue
            b = Block(heading or "p", text, raw, quote="quote" in stack, list_item="list" in stack,
                      cell=in_cell, table=tables - 1 if in_cell else -1)
            if in_cell and first_cell is None:
                first_cell = b
            blocks.append(b)
    return blocks


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
