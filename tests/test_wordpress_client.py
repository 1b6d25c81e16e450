"""The WordPress integration against a real WordPress (tests/wordpress_server.py): drafts with
their SEO fields, one draft per article whatever happens, and failures that say what to do in
French without ever showing the password."""
from __future__ import annotations

import logging
import secrets
import socket
import threading
import traceback
from types import SimpleNamespace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.wordpress import SEO_META_KEYS, WordPressClient, WordPressError, WordPressSettings, send_draft
from integrations.wordpress.config import site_url
from seo.article import Article, Section
from seo.render import body_markdown


def make_article(title="Sommet de l’OTAN : « l’Ukraine progresse »", **kw) -> Article:
    fields = dict(
        focus_keyword="sommet de l’OTAN", title=title, meta_title="Sommet de l’OTAN : l’Ukraine progresse",
        meta_description="Le sommet de l’OTAN à Vilnius s’ouvre sur l’Ukraine : ce que les alliés ont décidé, "
                         "et ce qu’ils promettent à Kiev.",
        secondary_keywords=["Vilnius", "Ukraine & OTAN", "Jens Stoltenberg"], keyword_suggestions=[],
        lead="Le sommet de l’OTAN s’ouvre à Vilnius.",
        sections=[Section(heading="Les alliés & l’Ukraine", body="Premier paragraphe.\n\nSecond."),
                  Section(heading="Ce que dit « Stoltenberg »", body="Texte."),
                  Section(heading="Et après ?", body="Fin.")],
        slug="sommet-otan-ukraine", credit="(Avec AFP)")
    fields.update(kw)
    return Article(**fields)


def client_for(wordpress, account="admin", **kw) -> WordPressClient:
    acc = wordpress.accounts[account]
    settings = dict(url=wordpress.url, user=acc["user"], app_password=acc["password"], timeout=60)
    settings.update(kw)
    return WordPressClient(WordPressSettings(**settings))


async def send(client, article, article_id, known=None, recorded=None):
    recorded = recorded if recorded is not None else []

    async def record(post_id):
        recorded.append(post_id)

    try:
        return await send_draft(client, article, body_markdown(article), article_id=article_id,
                                known_post_id=known, record=record)
    finally:
        await client.close()


def new_id() -> str:
    return secrets.token_hex(5)


async def test_a_draft_holds_every_field_and_the_seo_meta(wordpress):
    article, aid = make_article(), new_id()
    result = await send(client_for(wordpress), article, aid)
    assert result.created and result.seo_fields_saved
    assert result.edit_link == f"{wordpress.url}/wp-admin/post.php?post={result.post_id}&action=edit"
    post = wordpress.post(result.post_id)
    assert post["status"] == "draft"
    assert post["title"]["raw"] == article.title
    assert post["slug"] == article.slug
    assert post["excerpt"]["raw"] == article.meta_description
    content = post["content"]["raw"]
    assert content.count("<h2>") == len(article.sections)
    for s in article.sections:
        assert f"<h2>{s.heading.replace('&', '&amp;')}</h2>" in content
    assert "<h1>" not in content and "<em>(Avec AFP)</em>" in content
    assert sorted(n.replace("&amp;", "&") for n in wordpress.tag_names(post["tags"])) == sorted(
        article.secondary_keywords)
    assert {k: post["meta"][k] for k in SEO_META_KEYS} == {
        "_yoast_wpseo_focuskw": article.focus_keyword, "_yoast_wpseo_title": article.meta_title,
        "_yoast_wpseo_metadesc": article.meta_description, "rank_math_focus_keyword": article.focus_keyword,
        "rank_math_title": article.meta_title, "rank_math_description": article.meta_description}


async def test_one_article_one_draft_even_when_its_post_id_was_lost(wordpress):
    aid, recorded = new_id(), []
    first = await send(client_for(wordpress), make_article(), aid, recorded=recorded)
    # Same article, post id known: updated in place.
    second = await send(client_for(wordpress), make_article(title="Deuxième titre"), aid, known=first.post_id)
    assert not second.created and second.post_id == first.post_id
    # Post id lost (the worker died before recording it, or the creation timed out after
    # WordPress had saved it): the draft is found again by its marker.
    third = await send(client_for(wordpress), make_article(title="Troisième titre"), aid, known=None)
    assert not third.created and third.post_id == first.post_id
    assert recorded == [first.post_id]
    assert [p["id"] for p in wordpress.posts(aid)] == [first.post_id]
    assert wordpress.post(first.post_id)["title"]["raw"] == "Troisième titre"
    # Two clicks racing are serialised by the job lock; a deleted draft is made again.
    wordpress.rest("DELETE", f"/posts/{first.post_id}?force=true")
    fourth = await send(client_for(wordpress), make_article(), aid, known=first.post_id)
    assert fourth.created and fourth.post_id != first.post_id


async def test_existing_tags_are_reused_and_missing_ones_created(wordpress):
    name = f"Tag {secrets.token_hex(3)}"
    existing = wordpress.rest("POST", "/tags", {"name": name})["id"]
    result = await send(client_for(wordpress), make_article(secondary_keywords=[name.upper(), name + " bis"]),
                        new_id())
    tags = wordpress.post(result.post_id)["tags"]
    assert existing in tags and len(tags) == 2  # "TAG X" is the existing "Tag x"
    assert (name + " bis") in wordpress.tag_names(tags)


async def test_a_published_article_is_never_touched(wordpress):
    aid = new_id()
    first = await send(client_for(wordpress), make_article(), aid)
    wordpress.rest("POST", f"/posts/{first.post_id}", {"status": "publish"})
    with pytest.raises(WordPressError) as err:
        await send(client_for(wordpress), make_article(title="Écrasé ?"), aid, known=first.post_id)
    assert err.value.kind == "published" and "déjà publié" in err.value.message
    assert wordpress.post(first.post_id)["title"]["raw"] == make_article().title


async def test_a_site_without_the_plugin_keeps_the_draft_and_says_the_seo_fields_are_missing(wordpress):
    with wordpress.without_plugin():
        result = await send(client_for(wordpress), make_article(), new_id())
    assert not result.seo_fields_saved
    post = wordpress.post(result.post_id)
    assert post["status"] == "draft" and post["title"]["raw"] == make_article().title
    assert not any(post["meta"].get(k) for k in SEO_META_KEYS)


def assert_secret_absent(exc: BaseException, secret: str, caplog) -> None:
    shown = [str(exc), repr(exc), "".join(traceback.format_exception(exc)), caplog.text]
    for text in shown:
        assert secret not in text
        assert secret.replace(" ", "") not in text


@pytest.fixture
def silent_server():
    """Accepts connections and never answers: a site that hangs."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(50)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


@pytest.fixture
def not_wordpress():
    """A web server that is not WordPress: 404 for /wp-json, an HTML page elsewhere."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status = 404 if self.path.startswith("/wp-json") else 200
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>Pas WordPress</body></html>")
        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("case", ["wrong_password", "subscriber", "closed_port", "timeout", "not_wordpress"])
async def test_failures_are_french_and_never_show_the_password(wordpress, case, silent_server, not_wordpress,
                                                               caplog):
    caplog.set_level(logging.DEBUG)
    secret = "abcd EFGH ijkl MNOP qrst UVWX"  # shaped like an Application Password
    kinds = {"wrong_password": "auth", "subscriber": "forbidden", "closed_port": "unreachable",
             "timeout": "timeout", "not_wordpress": "not_found"}
    if case == "subscriber":
        client = client_for(wordpress, "subscriber")
        secret = wordpress.accounts["subscriber"]["password"]
    else:
        url = {"closed_port": "http://127.0.0.1:9", "timeout": silent_server,
               "not_wordpress": not_wordpress}.get(case, wordpress.url)
        client = WordPressClient(WordPressSettings(url=url, user="admin", app_password=secret,
                                                   timeout=2 if case == "timeout" else 60))
    before = len(wordpress.posts())
    with pytest.raises(WordPressError) as err:
        await send(client, make_article(), new_id())
    assert err.value.kind == kinds[case]
    assert err.value.__cause__ is None and err.value.__context__ is None  # no aiohttp error (headers) inside
    message = err.value.message
    assert any(w in message for w in ("vérifiez", "réessayez", "donnez-lui")), message
    assert_secret_absent(err.value, secret, caplog)
    assert secret not in repr(client) and secret not in repr(client.settings)
    assert len(wordpress.posts()) == before  # nothing half-made


def test_site_url_is_the_sites_address():
    assert site_url("example.org/") == "https://example.org"
    assert site_url("https://example.org/blog/wp-admin/") == "https://example.org/blog"
    assert site_url("http://user:pass@example.org/wp-json") == "http://example.org"


# --- the worker's job: a crash at any point re-runs into one draft and one thread message -----

@pytest.fixture
def job_parts(wordpress):
    from slack_sdk.web.async_client import AsyncWebClient

    from jobs.kv import MemoryKV
    from jobs.publisher import Publisher
    from jobs.state import State
    from jobs.wordpress import WordPressJob
    from tests.fakes.slack_api import FakeSlack

    with FakeSlack() as slack:
        state = State(MemoryKV())
        publisher = Publisher(AsyncWebClient(token="xoxb-test", base_url=slack.base_url.rstrip("/") + "/"), state)
        acc = wordpress.accounts["admin"]
        job = WordPressJob(WordPressSettings(url=wordpress.url, user=acc["user"], app_password=acc["password"]),
                           state, publisher)
        yield SimpleNamespace(slack=slack, state=state, job=job)


async def _spec_for(state, article: Article):
    from jobs.spec import JobSpec

    rec = await state.create_article(channel="C1", thread_ts="1.0", source="dépêche", requested_by="U1")
    await state.save_version(rec.article_id, 1, {
        "version": 1, "article": article.to_contract(), "body_markdown": body_markdown(article),
        "markdown": "", "html": "", "report": {}})
    return rec.article_id, JobSpec(id=new_id(), kind="wordpress", article_id=rec.article_id, channel="C1",
                                   thread_ts="1.0", user="U1", base_version=1)


class Crash(Exception):
    pass


@pytest.mark.parametrize("crash_at", ["before_recording_the_post", "before_posting_in_slack"])
async def test_a_job_rerun_after_a_crash_keeps_one_draft_and_one_message(job_parts, wordpress, crash_at, monkeypatch):
    p = job_parts
    article_id, spec = await _spec_for(p.state, make_article())
    target = (p.state, "save_wordpress_post") if crash_at == "before_recording_the_post" else \
        (p.job.publisher, "post_once")
    original = getattr(*target)

    async def crash(*args, **kwargs):
        raise Crash()

    monkeypatch.setattr(*target, crash)
    with pytest.raises(Crash):
        await p.job.run(spec)  # the worker dies here; saq runs the job again
    monkeypatch.setattr(*target, original)
    await p.job.run(spec)
    await p.job.close()
    assert len(wordpress.posts(article_id)) == 1
    replies = [m for m in p.slack.messages("C1", "1.0", include_parent=False) if "Brouillon" in m.get("text", "")]
    assert [m["text"] for m in replies] == ["Brouillon créé dans WordPress (version 1)"]
    assert (await p.state.wordpress_post(article_id))["post_id"] == wordpress.posts(article_id)[0]["id"]


def test_markup_in_the_models_text_reaches_wordpress_as_text():
    from integrations.wordpress.drafts import draft_payload

    evil = make_article(title="Titre <script>alert(1)</script>",
                        meta_description="Résumé <img src=x onerror=alert(1)>",
                        lead="Chapô [lien](https://evil.example) <b>gras</b> <https://evil.example>")
    payload = draft_payload(evil, body_markdown(evil), article_id="a1", tag_ids=[])
    for field in (payload["title"], payload["excerpt"], payload["content"]):
        assert "<script" not in field and "<img" not in field and "<b>" not in field and "<a " not in field
    assert payload["title"] == "Titre &lt;script&gt;alert(1)&lt;/script&gt;"
