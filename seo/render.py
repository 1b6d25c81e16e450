"""Step 5: Markdown and HTML renderings of an article (markdown-it-py)."""
from __future__ import annotations

import json
import re
from html import escape

from .article import Article
from .markup import MARKDOWN as _md  # raw HTML escaped, links and images not rendered, tables


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


# --------------------------------------------------------------------------- files ready to publish
#
# What Exporter uploads and `python -m seo rewrite --html/--markdown` writes: a standalone
# HTML page (<title>, meta description, schema.org NewsArticle JSON-LD) and Markdown with a
# YAML front matter. Every value comes from the model or the newsroom: all of it is escaped.

def body_html(body_md: str) -> str:
    """The body (lead, <h2> sections, credit line) as HTML, without the <h1> title: what a CMS
    whose title is a separate field (WordPress) takes as content."""
    return to_html(body_md)


def _source_organization(credit: str | None) -> str | None:
    """"(Avec AFP et Reuters)" → "AFP et Reuters": the agencies the credit line names."""
    name = (credit or "").strip().strip("()[]*_ ").strip()
    name = re.sub(r"^(?:avec|source|sources|d’après|d'après)\s*:?\s+", "", name, flags=re.IGNORECASE).strip()
    return name or None


def json_ld(article: Article) -> dict:
    """schema.org NewsArticle: only what the article itself holds (no date or author the
    source does not give)."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.meta_description,
        "keywords": [k for k in [article.focus_keyword, *article.secondary_keywords] if k and k.strip()],
        "inLanguage": "fr",
    }
    source = _source_organization(article.credit)
    if source:
        data["sourceOrganization"] = {"@type": "Organization", "name": source}
    return data


def _script_json(data: dict) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def html_page(article: Article, html_body: str) -> str:
    """A complete HTML page for the article (`html_body`: the rendered Markdown, <h1> included)."""
    title = escape(article.meta_title or article.title, quote=True)
    description = escape(article.meta_description, quote=True)
    return (
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{title}</title>\n"
        f"<meta name=\"description\" content=\"{description}\">\n"
        f"<script type=\"application/ld+json\">\n{_script_json(json_ld(article))}\n</script>\n"
        "</head>\n<body>\n<article>\n"
        f"{html_body}"
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


def export_files(article: Article, markdown: str, html: str) -> dict[str, str]:
    """The files Exporter uploads: {"article.md": ..., "article.html": ...}."""
    return {"article.md": markdown_file(article, markdown), "article.html": html_page(article, html)}
