"""Step 5: Markdown and HTML renderings of an article (markdown-it-py)."""
from __future__ import annotations

import json
import re
from html import escape

from markdown_it import MarkdownIt

from .article import Article
from .linking import link_paragraphs, markdown_url
from .news import DISCLOSURE, PageMeta, news_article, web_url

# The product's dialect (seo/markup.py: raw HTML escaped, images not rendered, tables), with one
# difference for renderings: a Markdown link becomes an <a> only when its URL is one of the
# article's verified links (seo/linking.py). The model's text never becomes a link in an export
# or in the CMS (a "[x](https://elsewhere)" keeps its text, loses its link).
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image", "autolink"]).enable("table")


def _allowed_links_only(state) -> None:
    """Core rule: drop link_open/link_close pairs whose href is not in env["allowed_links"]."""
    allowed = state.env.get("allowed_links") or frozenset()
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        kept, stack = [], []
        for child in token.children:
            if child.type == "link_open":
                ok = child.attrGet("href") in allowed
                stack.append(ok)
                if ok:
                    kept.append(child)
            elif child.type == "link_close":
                if stack.pop() if stack else False:
                    kept.append(child)
            else:
                kept.append(child)
        token.children = kept


_md.core.ruler.push("allowed_links_only", _allowed_links_only)


def allowed_urls(article: Article) -> frozenset[str]:
    """The URLs that may become links in this article's renderings."""
    return frozenset(l.url for l in article.links)


def _escape_block_start(paragraph: str) -> str:
    """Keep a paragraph a paragraph: a leading '#', '-', '+', '>' or '1.' would change its kind."""
    return re.sub(r"^(\s*)([#>+\-*]|\d+[.)])(\s)", lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", paragraph)


def body_markdown(article: Article) -> str:
    """Lead, then '## ' sections, then the credit line: what Slack shows under the title. The
    article's verified links are set on their anchors (first occurrence, outside quotations) and
    on the credit line (the source's page)."""
    texts = ([article.lead] if article.lead else [])
    shape: list[tuple[str, str | None]] = [("p", None)] if article.lead else []
    for section in article.sections:
        shape.append(("h", section.heading))
        for p in section.body.split("\n\n"):
            if p.strip():
                texts.append(p)
                shape.append(("p", None))
    linked, _ = link_paragraphs(texts, article.links)
    it = iter(linked)
    parts = [f"## {heading}" if kind == "h" else _escape_block_start(next(it)) for kind, heading in shape]
    source = next((l for l in article.links if l.kind == "source"), None)
    credit = article.credit or ""
    if source is not None:
        credit = f"{credit} — " if credit else ""
        credit += f"Source{NBSP}: [{source.anchor}]({markdown_url(source.url)})"
    if credit:
        parts.append(f"*{credit}*")
    return "\n\n".join(parts)


NBSP = "\u00a0"


def to_markdown(article: Article) -> str:
    return f"# {article.title}\n\n{body_markdown(article)}\n"


def to_html(markdown: str, allowed: frozenset[str] | set[str] = frozenset()) -> str:
    """HTML of Markdown; only links to `allowed` URLs are rendered as links."""
    return _md.render(markdown, {"allowed_links": frozenset(_md.normalizeLink(markdown_url(u)) for u in allowed)})


# --------------------------------------------------------------------------- files ready to publish
#
# What Exporter uploads and `python -m seo rewrite --html/--markdown` writes: a standalone
# HTML page (<title>, meta description, schema.org NewsArticle JSON-LD) and Markdown with a
# YAML front matter. Every value comes from the model or the newsroom: all of it is escaped.

def body_html(body_md: str, allowed: frozenset[str] | set[str] = frozenset()) -> str:
    """The body (lead, <h2> sections, credit line) as HTML, without the <h1> title: what a CMS
    whose title is a separate field (WordPress) takes as content."""
    return to_html(body_md, allowed)


def json_ld(article: Article, meta: PageMeta | None = None) -> dict:
    """schema.org NewsArticle (seo/news.py): only what the article, the newsroom and the job hold."""
    return news_article(article, meta)


def _script_json(data: dict) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def disclosure_html(meta: PageMeta | None) -> str:
    """The AI-assistance disclosure line, when the channel turned it on."""
    return f"<p class=\"ai-disclosure\"><em>{escape(DISCLOSURE, quote=False)}</em></p>\n" if meta and meta.disclosure else ""


def html_page(article: Article, html_body: str, meta: PageMeta | None = None) -> str:
    """A complete HTML page for the article (`html_body`: the rendered Markdown, <h1> included):
    its head holds the title, meta description, robots max-image-preview:large, the canonical
    when the WordPress permalink is known, and the NewsArticle JSON-LD."""
    title = escape(article.meta_title or article.title, quote=True)
    description = escape(article.meta_description, quote=True)
    canonical = web_url(meta.canonical) if meta else None
    return (
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{title}</title>\n"
        f"<meta name=\"description\" content=\"{description}\">\n"
        "<meta name=\"robots\" content=\"max-image-preview:large\">\n"
        + (f"<link rel=\"canonical\" href=\"{escape(canonical, quote=True)}\">\n" if canonical else "")
        + f"<script type=\"application/ld+json\">\n{_script_json(json_ld(article, meta))}\n</script>\n"
        "</head>\n<body>\n<article>\n"
        f"{html_body}{disclosure_html(meta)}"
        "</article>\n</body>\n</html>\n"
    )


def _yaml_printable(ch: str) -> bool:
    """Characters YAML lets stand unescaped in a double-quoted scalar without folding them."""
    o = ord(ch)
    if 0x20 <= o <= 0x7E:
        return True
    if o in (0x85, 0x2028, 0x2029, 0xFEFF):  # line breaks for YAML 1.1, byte-order mark
        return False
    return 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or 0x10000 <= o <= 0x10FFFF


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar for any text: colons, quotes, « », '#', leading dashes,
    line breaks and control characters all stay text."""
    out = json.dumps(str(value), ensure_ascii=False)  # JSON strings are YAML double-quoted scalars
    return "".join(ch if ch in "\\\"" or _yaml_printable(ch) else
                   (f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}") for ch in out)


def front_matter(article: Article) -> str:
    lines = ["---"]
    for key in ("title", "meta_title", "meta_description", "slug", "focus_keyword"):
        lines.append(f"{key}: {yaml_string(getattr(article, key) or '')}")
    keywords = [k for k in article.secondary_keywords if k and k.strip()]
    lines.append(f"secondary_keywords: [{', '.join(yaml_string(k) for k in keywords)}]")
    if article.credit:
        lines.append(f"credit: {yaml_string(article.credit)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def markdown_file(article: Article, markdown: str) -> str:
    """The article as Markdown (`markdown`: title and body) under its YAML front matter."""
    return f"{front_matter(article)}\n{markdown.rstrip()}\n"


def export_files(article: Article, markdown: str, html: str, meta: PageMeta | None = None) -> dict[str, str]:
    """The files Exporter uploads: {"article.md": ..., "article.html": ...}."""
    return {"article.md": markdown_file(article, markdown), "article.html": html_page(article, html, meta)}
