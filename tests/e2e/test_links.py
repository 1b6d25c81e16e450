"""Internal links through Slack: /seo-fr → article → « Liens internes » from the real WordPress of
the suite (seeded: tests/wordpress_seed.py) → « Insérer » → a new version whose HTML, analysis and
WordPress draft hold exactly those links; forged button values insert nothing."""
from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import pytest

from tests.fakes import slack_requests as sr
from tests.harness import BotProcess, bot_env
from tests.wordpress_seed import published_links, seed_newsroom

from .conftest import article_messages
from .test_slack_flows import wait_articles
from .test_wordpress import WP_TIMEOUT, button_value, click, new_article, post_id_of, stored_version, wordpress_replies


@pytest.fixture(scope="module")
def links_bot(slack, llm, redis_server, wordpress):
    seed_newsroom(wordpress)
    admin = wordpress.accounts["admin"]
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url, WORDPRESS_URL=wordpress.url,
                  WORDPRESS_USER=admin["user"], WORDPRESS_APP_PASSWORD=admin["password"],
                  WORDPRESS_SEARCH_TIMEOUT="30")  # PHP-wasm under a loaded machine
    web = BotProcess("web", env).start()
    worker = BotProcess("worker", env).start()
    yield SimpleNamespace(web=web, worker=worker, url=web.url, env=env)
    web.stop()
    worker.stop()


def links_messages(slack, channel, thread_ts) -> list[dict]:
    return [m for m in slack.messages(channel, thread_ts, include_parent=False)
            if any(e.get("action_id") == "seo_insert_links" for b in m.get("blocks") or []
                   if b.get("type") == "actions" for e in b["elements"])]


def hrefs(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(h), html.unescape(t)) for h, t in re.findall(r'<a href="([^"]*)">([^<]*)</a>', page)]


def proposal_of(redis_server, message) -> dict:
    import redis

    value = button_value(message, "seo_insert_links")
    job = value.rsplit(":", 1)[1]
    r = redis.Redis.from_url(redis_server.url, decode_responses=True)
    try:
        return json.loads(r.get(f"seo:links:{job}"))
    finally:
        r.close()


def test_links_block_then_insert_makes_a_version_whose_html_analysis_and_draft_hold_exactly_them(
        links_bot, slack, llm, channel, sample_text, wordpress, redis_server):
    published, hidden = seed_newsroom(wordpress)
    parent, v1 = new_article(links_bot, slack, channel, sample_text)
    block = slack.wait_for(lambda s: links_messages(s, channel, parent["ts"]), timeout=WP_TIMEOUT)[0]
    shown = json.dumps(block["blocks"], ensure_ascii=False)
    assert "Liens internes" in shown and "Insérer" in shown
    proposal = proposal_of(redis_server, block)["links"]
    assert 2 <= len(proposal) <= 4
    urls = [l["url"] for l in proposal]
    assert set(urls) <= published_links(wordpress)
    assert not set(urls) & {wordpress.post(pid)["link"] for pid in hidden.values()}
    for link in proposal:  # each post with its title and anchor, shown in the thread
        assert link["url"].replace("&", "&amp;") in shown and link["anchor"] in shown
    # The value names the proposal, never a URL.
    assert "http" not in button_value(block, "seo_insert_links")
    data1 = stored_version(redis_server, button_value(v1))
    internal1 = next(c for c in data1["report"]["seo"]["checks"] if c["id"] == "internalLinks")
    assert internal1["score"] == 3 and hrefs(data1["html"]) == []

    click(links_bot, slack, "seo_insert_links", block)
    v2 = wait_articles(slack, channel, parent["ts"], 2, timeout=WP_TIMEOUT)[1]
    data2 = stored_version(redis_server, button_value(v2))
    assert data2["version"] == 2 and data2["kind"] == "links"
    assert sorted(hrefs(data2["html"])) == sorted((l["url"], l["anchor"]) for l in proposal)
    assert data2["article"]["sections"] == data1["article"]["sections"]  # the text untouched
    assert data2["usage"]["llm_calls"] == 0
    internal2 = next(c for c in data2["report"]["seo"]["checks"] if c["id"] == "internalLinks")
    assert internal2["score"] == 9 and "Bon travail" in internal2["message"]
    assert not links_messages(slack, channel, parent["ts"])[1:]  # no second proposal for the linked version

    click(links_bot, slack, "seo_wordpress", v2)
    reply = slack.wait_for(lambda s: wordpress_replies(s, channel, parent["ts"]), timeout=WP_TIMEOUT)[0]
    content = wordpress.post(post_id_of(reply))["content"]["raw"]
    assert sorted(hrefs(content)) == sorted((l["url"], l["anchor"]) for l in proposal)

    # A later version (Raccourcir) keeps the links whose anchors it still holds; the model never
    # sees a URL, so none comes back as a fidelity issue.
    calls = len(llm.requests)
    click(links_bot, slack, "seo_shorten", v2)
    v3 = wait_articles(slack, channel, parent["ts"], 3, timeout=WP_TIMEOUT)[2]
    data3 = stored_version(redis_server, button_value(v3))
    assert data3["kind"] == "shorten"
    sent = json.dumps(llm.requests[calls:], ensure_ascii=False)
    assert not any(u in sent for u in urls)
    kept = hrefs(data3["html"])
    assert kept and set(kept) <= {(l["url"], l["anchor"]) for l in proposal}
    assert not [i for i in data3["report"]["fidelity"]["issues"] if i["kind"] == "link"]


@pytest.mark.parametrize("forge", ["other_job", "url_in_value", "other_version", "other_article"])
def test_a_forged_insert_value_inserts_nothing(links_bot, slack, channel, sample_text, wordpress, redis_server,
                                               forge):
    parent, v1 = new_article(links_bot, slack, channel, sample_text)
    block = slack.wait_for(lambda s: links_messages(s, channel, parent["ts"]), timeout=WP_TIMEOUT)[0]
    article_id, version, job = button_value(block, "seo_insert_links").split(":")
    other_parent, other = new_article(links_bot, slack, f"{channel}X", sample_text)
    value = {"other_job": f"{article_id}:{version}:{'0' * len(job)}",
             "url_in_value": f"{article_id}:{version}:{job}:https://evil.example.org/",
             "other_version": f"{article_id}:{int(version) + 1}:{job}",
             "other_article": f"{button_value(other).rsplit(':', 1)[0]}:1:{job}"}[forge]
    before = len(slack.ephemerals(channel))
    status, _, _ = sr.send(links_bot.url, *sr.block_actions("seo_insert_links", value=value, message=block,
                                                            slack=slack))
    assert status == 200
    if forge != "url_in_value":  # an unparsable value is ignored; the others are told privately
        slack.wait_for(lambda s: len(s.ephemerals(channel)) > before, timeout=30)
    # A real click afterwards still works: the forged ones took nothing and made nothing.
    click(links_bot, slack, "seo_insert_links", block)
    v2 = wait_articles(slack, channel, parent["ts"], 2, timeout=WP_TIMEOUT)[1]
    assert len(article_messages(slack, channel, parent["ts"])) == 2
    assert "evil" not in stored_version(redis_server, button_value(v2))["html"]
    assert len(article_messages(slack, f"{channel}X", other_parent["ts"])) == 1
