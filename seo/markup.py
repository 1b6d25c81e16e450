"""The one Markdown dialect of the product (markdown-it-py, CommonMark plus tables).

Used to render exports and CMS drafts (render.py) and to read an article's structure
for the analysis (analysis/document.py), so both see the same paragraphs, headings,
quotes, list items and table cells. Raw HTML in the text is escaped, never passed
through; links and images are not rendered (a "[x](url)" stays text).
"""
from __future__ import annotations

from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["link", "image", "autolink"]).enable("table")
