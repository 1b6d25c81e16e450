"""What a news page tells search engines about itself: schema.org NewsArticle (Google's
article structured data: headline, image, datePublished, dateModified, author, publisher) and
the page's head (robots max-image-preview, canonical), plus the AI-assistance disclosure line
that Google's guidance on generative content recommends. Pure: the caller gives the facts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .article import Article

DEFAULT_TIMEZONE = "Europe/Paris"
DISCLOSURE = ("Cet article a été rédigé avec l’aide d’un outil d’intelligence artificielle, à partir "
              "de la dépêche citée en source, puis relu par la rédaction.")
_HTTP_RE = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


def iso_time(ts: float | None, tz: str | None = None) -> str | None:
    """A Unix time as ISO 8601 with its offset in `tz` (SEO_TIMEZONE, Europe/Paris by default):
    2026-12-07T11:42:05+01:00."""
    if ts is None:
        return None
    try:
        zone = ZoneInfo(tz or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return datetime.fromtimestamp(float(ts), timezone.utc).astimezone(zone).isoformat(timespec="seconds")


def web_url(value: str | None) -> str | None:
    """An http(s) URL, or None (a setting or an editor's field may hold anything)."""
    value = (value or "").strip()
    return value if _HTTP_RE.match(value) and not re.search(r"\s", value) else None


@dataclass
class PageMeta:
    """The facts of one version's page (none comes from the model)."""

    published: str | None = None  # ISO 8601 with offset
    modified: str | None = None
    author: str | None = None  # the requesting editor's name, or the channel's byline
    publisher_name: str | None = None  # SEO_PUBLISHER_NAME
    publisher_logo: str | None = None  # SEO_PUBLISHER_LOGO_URL
    image: str | None = None  # an image the editor supplied
    canonical: str | None = None  # the WordPress permalink, once known
    disclosure: bool = False  # the channel's AI-assistance disclosure line
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict | None) -> "PageMeta":
        data = data or {}
        return cls(**{k: data.get(k) for k in ("published", "modified", "author", "publisher_name",
                                                "publisher_logo", "image", "canonical") if data.get(k)},
                   disclosure=bool(data.get("disclosure")))

    def to_dict(self) -> dict:
        return {"published": self.published, "modified": self.modified, "author": self.author,
                "publisher_name": self.publisher_name, "publisher_logo": self.publisher_logo,
                "image": self.image, "canonical": self.canonical, "disclosure": self.disclosure}


def source_organization(credit: str | None) -> str | None:
    """"(Avec AFP et Reuters)" → "AFP et Reuters": the agencies the credit line names."""
    name = (credit or "").strip().strip("()[]*_ ").strip()
    name = re.sub(r"^(?:avec|source|sources|d’après|d'après)\s*:?\s+", "", name, flags=re.IGNORECASE).strip()
    return name or None


def news_article(article: Article, meta: PageMeta | None = None) -> dict:
    """schema.org NewsArticle: only facts the article, the newsroom or the job hold."""
    meta = meta or PageMeta()
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.meta_description,
        "keywords": [k for k in [article.focus_keyword, *article.secondary_keywords] if k and k.strip()],
        "inLanguage": "fr",
    }
    if meta.canonical and web_url(meta.canonical):
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": meta.canonical}
        data["url"] = meta.canonical
    if meta.image and web_url(meta.image):
        data["image"] = [meta.image]
    if meta.published:
        data["datePublished"] = meta.published
    if meta.modified or meta.published:
        data["dateModified"] = meta.modified or meta.published
    if meta.author and meta.author.strip():
        data["author"] = [{"@type": "Person", "name": meta.author.strip()}]
    if meta.publisher_name and meta.publisher_name.strip():
        publisher: dict = {"@type": "NewsMediaOrganization", "name": meta.publisher_name.strip()}
        if web_url(meta.publisher_logo):
            publisher["logo"] = {"@type": "ImageObject", "url": meta.publisher_logo}
        data["publisher"] = publisher
    source = source_organization(article.credit)
    if source:
        data["sourceOrganization"] = {"@type": "Organization", "name": source}
    source_page = next((l.url for l in article.links if l.kind == "source"), None)
    if source or source_page:
        based: dict = {"@type": "CreativeWork"}
        if source:
            based["name"] = source
        if source_page:
            based["url"] = source_page
        data["isBasedOn"] = based
    if meta.disclosure:
        data["creditText"] = DISCLOSURE
    return data
