"""Reading exported files back the way a CMS or a search engine would (shared by the tests)."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import yaml


class PageReader(HTMLParser):
    """The parts of an HTML page that matter for publishing: <title>, meta description,
    JSON-LD blocks, headings."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.scripts = 0
        self.headings: list[tuple[str, str]] = []
        self.links: dict[str, str] = {}  # <link rel=… href=…> of the head
        self.lang = None
        self._in: str | None = None
        self._buf: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "meta" and attrs.get("name"):
            self.meta[attrs["name"]] = attrs.get("content") or ""
        if tag == "link" and attrs.get("rel"):
            self.links[attrs["rel"]] = attrs.get("href") or ""
        if tag == "script":
            self.scripts += 1
        if tag in ("title", "script", "h1", "h2", "h3"):
            self._in, self._buf = (tag, attrs.get("type")), []

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if not self._in or tag != self._in[0]:
            return
        text = "".join(self._buf)
        if tag == "title":
            self.title = text
        elif tag == "script" and self._in[1] == "application/ld+json":
            self.json_ld.append(text)
        elif tag in ("h1", "h2", "h3"):
            self.headings.append((tag, text))
        self._in = None

    def ld(self) -> dict:
        assert len(self.json_ld) == 1, self.json_ld
        return json.loads(self.json_ld[0])


def front_matter(markdown: str) -> tuple[dict, str]:
    """(YAML front matter as parsed by PyYAML, the Markdown after it)."""
    assert markdown.startswith("---\n"), markdown[:80]
    head, _, rest = markdown[4:].partition("\n---\n")
    return yaml.safe_load(head), rest
