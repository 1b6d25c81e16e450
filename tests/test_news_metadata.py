"""The page as search engines read it: schema.org NewsArticle JSON-LD parsed back from the HTML
export and checked against schema.org's types and Google's required / recommended properties
for articles; robots and canonical in the head; hostile titles stay text."""
from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from seo.article import Article, Link, Section
from seo.news import DISCLOSURE, PageMeta, iso_time
from seo.render import allowed_urls, body_markdown, export_files, to_html, to_markdown
from tests.exports import PageReader

# schema.org expected types of the properties we write (https://schema.org/NewsArticle and the
# types it inherits from Article and CreativeWork), "URL" and "DateTime" checked by form.
EXPECTED = {
    "headline": {"Text"}, "description": {"Text"}, "keywords": {"Text"}, "inLanguage": {"Text"},
    "datePublished": {"DateTime"}, "dateModified": {"DateTime"}, "image": {"URL", "ImageObject"},
    "author": {"Person", "Organization"}, "publisher": {"Organization", "NewsMediaOrganization", "Person"},
    "sourceOrganization": {"Organization"}, "isBasedOn": {"CreativeWork", "URL"},
    "mainEntityOfPage": {"WebPage", "URL"}, "url": {"URL"}, "creditText": {"Text"},
    "logo": {"ImageObject", "URL"}, "name": {"Text"}, "@id": {"URL"},
}
GOOGLE_RECOMMENDED = ("headline", "image", "datePublished", "dateModified", "author", "publisher")


def _is(value, kind: str) -> bool:
    if kind == "Text":
        return isinstance(value, str) and value.strip() != ""
    if kind == "URL":
        return isinstance(value, str) and re.match(r"^https?://[^\s/]+", value) is not None
    if kind == "DateTime":
        try:
            return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
        except ValueError:
            return False
    return isinstance(value, dict) and value.get("@type") == kind


def validate(node: dict, path: str = "") -> list[str]:
    """Every property of `node` (recursively) has one of its schema.org types."""
    errors = []
    for key, value in node.items():
        if key in ("@context", "@type"):
            continue
        kinds = EXPECTED.get(key)
        if kinds is None:
            errors.append(f"{path}{key}: not a property we expect")
            continue
        for item in value if isinstance(value, list) else [value]:
            if not any(_is(item, k) for k in kinds):
                errors.append(f"{path}{key}: {item!r} is not {sorted(kinds)}")
            if isinstance(item, dict):
                errors += validate(item, f"{path}{key}.")
    return errors


HOSTILE = ["</script><script>alert(1)</script>", 'Le « sommet » de l\'OTAN : "quotes" & <b>gras</b>',
           "<!-- commentaire --> ]]> \\u003c", "Ukraine\u2028ligne \u00a0: l’OTAN"]


def article(title: str, links=()) -> Article:
    return Article(focus_keyword="OTAN", title=title, meta_title=title[:60], meta_description="Description " * 12,
                   secondary_keywords=["Vilnius"], keyword_suggestions=[], lead="Le sommet de l’OTAN s’ouvre.",
                   sections=[Section(heading="Vilnius", body="Les alliés arrivent à Vilnius.")],
                   slug="otan", credit="(Avec AFP)", links=list(links))


def page(a: Article, meta: PageMeta) -> PageReader:
    md = to_markdown(a)
    files = export_files(a, md, to_html(md, allowed_urls(a)), meta)
    return files["article.html"], PageReader(files["article.html"])


@pytest.mark.parametrize("title", HOSTILE)
def test_json_ld_is_a_valid_news_article_with_every_recommended_property(title):
    meta = PageMeta(published=iso_time(1_796_000_000, "Europe/Paris"), modified=iso_time(1_796_003_600, "Europe/Paris"),
                    author=title, publisher_name="Le Quotidien & Cie", publisher_logo="https://example.org/logo.png",
                    image="https://example.org/photo.jpg", canonical="https://example.org/2026/12/otan/",
                    disclosure=True)
    src = Link(url="https://www.nato.int/cps/fr/natohq/news_1.htm", anchor="nato.int", kind="source")
    raw, reader = page(article(title, [src]), meta)
    ld = reader.ld()
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle"
    assert validate(ld) == []
    for key in GOOGLE_RECOMMENDED:
        assert key in ld, key
    assert ld["headline"] == title and ld["author"] == [{"@type": "Person", "name": title}]
    assert ld["publisher"]["name"] == "Le Quotidien & Cie" and ld["publisher"]["logo"]["url"].endswith("logo.png")
    assert ld["isBasedOn"] == {"@type": "CreativeWork", "name": "AFP", "url": src.url}
    assert ld["mainEntityOfPage"]["@id"] == ld["url"] == meta.canonical
    published, modified = (datetime.fromisoformat(ld[k]) for k in ("datePublished", "dateModified"))
    assert published.utcoffset() == datetime.fromtimestamp(1_796_000_000, ZoneInfo("Europe/Paris")).utcoffset()
    assert modified > published and published.timestamp() == 1_796_000_000
    assert ld["creditText"] == DISCLOSURE
    # The hostile text stays data: one script element, closed once, nothing of the title as markup.
    assert reader.scripts == 1 and raw.count("</script>") == 1 and "<b>" not in raw.split("<body>")[0]
    assert reader.meta["robots"] == "max-image-preview:large"
    assert reader.links["canonical"] == meta.canonical
    assert DISCLOSURE in raw.split("<body>")[1]


def test_without_the_facts_the_json_ld_claims_nothing_and_the_head_has_no_canonical():
    raw, reader = page(article("OTAN : le sommet"), PageMeta())
    ld = reader.ld()
    assert validate(ld) == []
    for key in ("datePublished", "dateModified", "author", "publisher", "image", "url", "creditText"):
        assert key not in ld
    assert "canonical" not in reader.links and reader.meta["robots"] == "max-image-preview:large"
    assert DISCLOSURE not in raw


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x.org/a.png", "not a url", "https://a b.org/"])
def test_urls_of_settings_or_editors_that_are_not_web_addresses_are_left_out(bad):
    meta = PageMeta(publisher_name="Le Quotidien", publisher_logo=bad, image=bad, canonical=bad)
    raw, reader = page(article("OTAN"), meta)
    ld = reader.ld()
    assert "image" not in ld and "logo" not in ld["publisher"] and "url" not in ld
    assert bad not in raw


@pytest.mark.parametrize("zone, offset", [("Europe/Paris", "+01:00"), ("America/New_York", "-05:00"),
                                          ("Asia/Kolkata", "+05:30"), ("Nowhere/Else", "+01:00")])
def test_times_carry_the_offset_of_the_newsroom_zone(zone, offset):
    stamp = iso_time(1_796_000_000, zone)  # a December day: winter time
    assert stamp.endswith(offset) and datetime.fromisoformat(stamp).timestamp() == 1_796_000_000
