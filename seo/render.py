"""Step 5: Markdown and HTML renderings of an article (markdown-it-py)."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .article import Article

# Raw HTML in the text is escaped, never passed through.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _escape_block_start(paragraph: str) -> str:
    """Keep a paragraph a paragraph: a leading '#', '-', '+', '>' or '1.' would change its kind."""
    return re.sub(r"^(\s*)([#>+\-*]|\d+[.)])(\s)", lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", paragraph)


def body_markdown(article: Article) -> str:
    """Lead, then '## ' sections, then the credit line: what Slack shows under the title."""
    parts = [_escape_block_start(article.lead)] if article.lead else []
    for section in article.sections:
        parts.append(f"## {section.heading}")
        parts += [_escape_block_start(p) for p in section.body.split("\n\n") if p.strip()]
    if article.credit:
        parts.append(f"*{article.credit}*")
    return "\n\n".join(parts)


def to_markdown(article: Article) -> str:
    return f"# {article.title}\n\n{body_markdown(article)}\n"


def to_html(markdown: str) -> str:
    return _md.render(markdown)
