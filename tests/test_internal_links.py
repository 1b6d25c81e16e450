"""Internal links from the newsroom's own WordPress (a real one: WordPress Playground, seeded
with published posts, drafts, a pending and a private post), chosen for an article the engine
wrote through the real openai client against the fake model."""
from __future__ import annotations

import asyncio
import re

import pytest

from integrations.wordpress import WordPressSettings
from integrations.wordpress.related import related_posts
from seo.analysis.matching import keyphrase_forms, percent_found
from seo.article import Article, Link
from seo.linking import Related, choose_links, paragraphs, query_terms, source_link
from seo.pipeline import Engine, document_for
from seo.analysis import analyze
from seo.render import allowed_urls, body_markdown, to_html
from tests.fakes.openai_server import FakeOpenAI
from tests.redis_server import free_port
from tests.wordpress_seed import published_links, seed_newsroom

@pytest.fixture(scope="module")
def site(wordpress):
    published, hidden = seed_newsroom(wordpress)
    admin = wordpress.accounts["admin"]
    settings = WordPressSettings(url=wordpress.url, user=admin["user"], app_password=admin["password"],
                                 search_timeout=20)  # PHP-wasm on a loaded machine: seconds
    return settings, published, hidden


@pytest.fixture(scope="module")
def article(monkeypatch_module) -> Article:
    """The article the engine writes for the NATO dispatch (keyphrase « Ukraine »)."""
    from seo.config import EngineSettings
    from tests.conftest import FIXTURES

    source = (FIXTURES / "depeche_otan.txt").read_text(encoding="utf-8")
    with FakeOpenAI() as fake:
        for k, v in {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-test", "OPENAI_MODEL": "gpt-test"}.items():
            monkeypatch_module.setenv(k, v)

        async def write():
            engine = Engine(EngineSettings.from_env())
            try:
                return await engine.rewrite(source)
            finally:
                await engine.close()

        return asyncio.run(write()).article


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def propose(settings, article) -> list[Link]:
    candidates = asyncio.run(related_posts(settings, query_terms(article)))
    return choose_links(article, candidates)


def assert_anchor_is_plain_body_text(article: Article, link: Link) -> None:
    quotes = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"\n]*\"")
    found = False
    for text in paragraphs(article):
        outside = quotes.sub(lambda m: "\0" * len(m.group(0)), text)
        if re.search(r"(?<!\w)" + re.escape(link.anchor) + r"(?!\w)", outside):
            found = True
    assert found, f"{link.anchor!r} is not plain text of a body paragraph"
    assert all(link.anchor not in s.heading or link.anchor in " ".join(paragraphs(article))
               for s in article.sections)
    forms = keyphrase_forms(article.focus_keyword)
    assert percent_found(link.anchor, forms) < 100, "an anchor holding the keyphrase competes with the article"


def test_links_are_published_posts_of_the_site_relevant_first_each_with_its_own_anchor(site, article, wordpress):
    settings, published, hidden = site
    links = propose(settings, article)
    urls = [l.url for l in links]
    assert 2 <= len(links) <= 4, links
    assert set(urls) <= published_links(wordpress), urls
    assert len(set(urls)) == len(urls) and len({l.anchor.lower() for l in links}) == len(links)
    for unrelated in ("tarte", "psg", "meteo", "cinema", "bourse"):
        assert published[unrelated] not in urls
    # The post sharing the keyphrase ranks above a newer one that does not.
    assert published["ukraine"] in urls
    assert urls.index(published["ukraine"]) < (urls.index(published["russie"]) if published["russie"] in urls
                                               else len(urls))
    for link in links:
        assert link.kind == "internal" and link.title and link.post_id
        assert_anchor_is_plain_body_text(article, link)


def test_never_a_draft_a_pending_or_a_private_post(site, article, wordpress):
    settings, _published, hidden = site
    links = propose(settings, article)
    hidden_links = {wordpress.post(pid)["link"] for pid in hidden.values()}
    assert not {l.url for l in links} & hidden_links
    assert not {l.post_id for l in links} & set(hidden.values())


def test_never_another_host_even_when_the_site_returns_one(site, article, wordpress):
    settings, published, _hidden = site
    forged = [{"id": 990000 + i, "link": link, "status": "publish", "date": "2099-01-01T00:00:00",
               "title": {"rendered": "Ukraine : l’OTAN, Stoltenberg et Biden à Vilnius"}}
              for i, link in enumerate([
                  "https://evil.example.org/ukraine-otan/",
                  f"http://127.0.0.1.evil.example.org:{settings.url.rsplit(':', 1)[1]}/ukraine/",
                  f"http://user@evil.example.org@{settings.url.split('://', 1)[1]}/ukraine/",
                  f"javascript:alert(1)//{settings.url}",
                  "http://127.0.0.1:1/ukraine/",  # another port is another site
                  f"{settings.url}.evil.example.org/ukraine/",
              ])]
    with wordpress.forged_search_results(forged):
        raw = asyncio.run(related_posts(settings, ["Ukraine"]))
        links = propose(settings, article)
    site_posts = published_links(wordpress)
    assert raw and all(p.url in site_posts for p in raw)
    assert links and {l.url for l in links} <= site_posts


def test_a_site_down_or_an_empty_search_gives_nothing(site, article):
    settings, _published, _hidden = site
    down = WordPressSettings(url=f"http://127.0.0.1:{free_port()}", user="x", app_password="y", search_timeout=2)
    assert asyncio.run(related_posts(down, query_terms(article))) == []
    assert asyncio.run(related_posts(settings, ["zzzqqq introuvable"])) == []
    assert choose_links(article, []) == []


def test_inserted_links_render_exactly_and_turn_the_internal_links_check_green(site, article):
    settings, published, _hidden = site
    links = propose(settings, article)
    linked = article.model_copy(update={"links": links})
    before = analyze(document_for(article, settings.url))
    after = analyze(document_for(linked, settings.url))
    check = lambda rep, cid: next(c for c in rep["seo"]["checks"] if c["id"] == cid)
    assert check(before, "internalLinks")["score"] == 3 and "aucun lien interne" in check(before, "internalLinks")["message"]
    assert check(after, "internalLinks")["score"] == 9 and "Bon travail" in check(after, "internalLinks")["message"]
    assert check(after, "externalLinks")["score"] == 3  # no source page: still red, as Yoast would show
    html = to_html(body_markdown(linked), allowed_urls(linked))
    hrefs = re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)
    assert sorted(hrefs) == sorted((l.url, l.anchor) for l in links)
    assert "<h2><a" not in html and not re.search(r"<h2>[^<]*<a", html)


def test_relevance_ranking_without_the_site():
    art = Article(focus_keyword="grève des contrôleurs", title="Grève des contrôleurs", meta_title="m",
                  meta_description="d", secondary_keywords=["SNCF"], keyword_suggestions=[],
                  lead="La grève des contrôleurs de la SNCF perturbe les départs en vacances.",
                  sections=[{"heading": "Trafic", "body": "Les syndicats de la SNCF réclament des hausses de salaires "
                             "et dénoncent les départs en vacances gâchés."}])
    newer = Related(1, "https://site.fr/a", "SNCF : les syndicats réclament des hausses de salaires", "2026-12-06")
    older = Related(2, "https://site.fr/b", "Grève des contrôleurs : les départs en vacances menacés", "2026-01-01")
    noise = Related(3, "https://site.fr/c", "Tarte aux pommes de grand-mère", "2026-12-07")
    twin = Related(4, "https://site.fr/b-2", older.title, "2026-01-02")  # the same post published twice
    links = choose_links(art, [newer, noise, older, twin])
    assert [l.post_id for l in links] in ([2, 1], [4, 1])
    assert all("grève des contrôleurs" not in l.anchor.lower() for l in links)  # never the keyphrase


def test_a_source_page_is_found_in_the_dispatch_never_a_share_button_or_an_image():
    text = ("Paris (AFP) – Le rapport est en ligne https://www.insee.fr/fr/statistiques/123 "
            "Partager : https://twitter.com/intent/tweet?u=x https://cdn.example.org/photo.jpg")
    assert source_link(text).url == "https://www.insee.fr/fr/statistiques/123"
    assert source_link("https://x.com/afp https://t.co/abc") is None
    assert source_link("Aucune adresse ici.", "https://www.afp.com").url == "https://www.afp.com"
    assert source_link("Rien.", "javascript:alert(1)") is None
