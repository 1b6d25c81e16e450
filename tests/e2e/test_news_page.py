"""The news page through Slack: a dispatch that holds its source's address, a bot with a publisher
and a newsroom time zone, an editor whose Slack name signs the article; Exporter's HTML and the
WordPress draft carry the NewsArticle metadata, the source link (and only it) as an outbound link,
the channel's byline and AI-assistance line once set in « réglages »."""
from __future__ import annotations

import json
import re
from datetime import datetime
from types import SimpleNamespace

import pytest

from seo.news import DISCLOSURE
from tests.exports import PageReader
from tests.fakes import slack_requests as sr
from tests.harness import BotProcess, bot_env

from .test_settings_and_home import open_settings
from .test_slack_flows import dispatch, parent_of, run_command, wait_articles
from .test_wordpress import WP_TIMEOUT, button_value, click, post_id_of, stored_version, wordpress_replies

SOURCE = "https://www.nato.int/cps/fr/natohq/news_217000.htm"


@pytest.fixture(scope="module")
def news_bot(slack, llm, redis_server, wordpress):
    admin = wordpress.accounts["admin"]
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url, WORDPRESS_URL=wordpress.url,
                  WORDPRESS_USER=admin["user"], WORDPRESS_APP_PASSWORD=admin["password"],
                  SEO_PUBLISHER_NAME="Le Quotidien <du> Nord & Cie", SEO_PUBLISHER_LOGO_URL="https://example.org/logo.png",
                  SEO_TIMEZONE="America/New_York")
    bot = BotProcess("all", env).start()
    yield SimpleNamespace(url=bot.url, env=env, bot=bot)
    bot.stop()


def export(bot, slack, message) -> tuple[str, PageReader]:
    before = len(slack.files)
    assert sr.send(bot.url, *sr.block_actions("seo_export", message=message, slack=slack))[0] == 200
    files = slack.wait_for(lambda s: s.files if len(s.files) >= before + 2 else None, timeout=60)
    raw = next(f for f in files[before:] if f["filename"] == "article.html")["content"].decode()
    return raw, PageReader(raw)


def article_for(bot, slack, channel, text, user="U7"):
    run_command(bot, slack, channel, text, user=user)
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    return parent, wait_articles(slack, channel, parent["ts"], timeout=90)[0]


def test_export_and_draft_carry_the_news_metadata_and_the_verified_source_link(
        news_bot, slack, channel, sample_text, wordpress, redis_server):
    slack.set_user("U7", name="cmartin", real_name="Camille Martin")
    text = dispatch(sample_text) + f"\nLe communiqué de l’OTAN : {SOURCE}"
    parent, v1 = article_for(news_bot, slack, channel, text)
    data = stored_version(redis_server, button_value(v1))
    external = next(c for c in data["report"]["seo"]["checks"] if c["id"] == "externalLinks")
    assert external["score"] == 9  # the source page, verified in the dispatch: Yoast's outbound link
    links = re.findall(r'<a href="([^"]*)"', data["html"])
    assert links == [SOURCE]

    raw, page = export(news_bot, slack, v1)
    ld = page.ld()
    assert ld["@type"] == "NewsArticle" and ld["headline"] == data["article"]["title"]
    assert ld["author"] == [{"@type": "Person", "name": "Camille Martin"}]
    assert ld["publisher"] == {"@type": "NewsMediaOrganization", "name": "Le Quotidien <du> Nord & Cie",
                               "logo": {"@type": "ImageObject", "url": "https://example.org/logo.png"}}
    published, modified = (datetime.fromisoformat(ld[k]) for k in ("datePublished", "dateModified"))
    assert published.utcoffset().total_seconds() == -5 * 3600 and modified >= published
    assert abs(modified.timestamp() - data["created_at"]) < 1
    assert ld["isBasedOn"]["url"] == SOURCE and ld["isBasedOn"]["name"] == "AFP"
    assert page.meta["robots"] == "max-image-preview:large" and "canonical" not in page.links
    assert "creditText" not in ld and DISCLOSURE not in raw  # off by default

    click(news_bot, slack, "seo_wordpress", v1)
    reply = slack.wait_for(lambda s: wordpress_replies(s, channel, parent["ts"]), timeout=WP_TIMEOUT)[0]
    post = wordpress.post(post_id_of(reply))
    news = json.loads(post["meta"]["seo_fr_news_jsonld"])
    assert news["@type"] == "NewsArticle" and news["author"] == ld["author"] and news["isBasedOn"]["url"] == SOURCE
    assert re.findall(r'<a href="([^"]*)"', post["content"]["raw"]) == [SOURCE]
    # Once the draft exists its future address is known: the export's canonical.
    _, again = export(news_bot, slack, v1)
    assert again.links["canonical"].startswith(wordpress.url) and again.ld()["url"] == again.links["canonical"]


def test_the_channel_sets_byline_source_page_and_disclosure(news_bot, slack, channel, sample_text, wordpress):
    view = open_settings(news_bot, slack, channel)
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "source_page": {"source_page_input": "javascript:alert(1)"}})
    status, resp, _ = sr.send(news_bot.url, body, headers)
    assert status == 200 and "https://" in json.loads(resp)["errors"]["source_page"]
    body, headers = sr.view_submission(view, {
        "min_words": {"min_words_input": "700"},
        "source_page": {"source_page_input": "https://www.afp.com/fr"},
        "byline": {"byline_input": "La rédaction"},
        "disclosure": {"disclosure_input": ["disclosure"]}})
    assert sr.send(news_bot.url, body, headers)[0] == 200
    slack.wait_for(lambda s: [e for e in s.ephemerals(channel) if "signature « La rédaction »" in e["text"]])
    parent, v1 = article_for(news_bot, slack, channel, dispatch(sample_text))  # no URL in this dispatch
    raw, page = export(news_bot, slack, v1)
    ld = page.ld()
    assert ld["author"] == [{"@type": "Person", "name": "La rédaction"}]
    assert ld["isBasedOn"]["url"] == "https://www.afp.com/fr" and ld["creditText"] == DISCLOSURE
    assert DISCLOSURE in raw.split("<body>")[1]
    assert re.findall(r'<a href="([^"]*)"', raw) == ["https://www.afp.com/fr"]
    click(news_bot, slack, "seo_wordpress", v1)
    reply = slack.wait_for(lambda s: wordpress_replies(s, channel, parent["ts"]), timeout=WP_TIMEOUT)[0]
    assert DISCLOSURE in wordpress.post(post_id_of(reply))["content"]["raw"]


def test_an_image_given_in_the_modal_is_the_news_article_image(news_bot, slack, channel, sample_text):
    run_command(news_bot, slack, channel, "")
    view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_dispatch_modal"
                                     and channel in v.get("private_metadata", "")])[-1]
    short = dispatch(sample_text)[:2900].rsplit(" ", 1)[0]
    body, headers = sr.view_submission(view, {"dispatch": {"dispatch_input": short},
                                              "image": {"image_input": "javascript:alert(1)"}})
    status, resp, _ = sr.send(news_bot.url, body, headers)
    assert status == 200 and "https://" in json.loads(resp)["errors"]["image"]
    image = "https://photos.example.org/otan/stoltenberg-biden.jpg"
    body, headers = sr.view_submission(view, {"dispatch": {"dispatch_input": short}, "image": {"image_input": image}})
    assert sr.send(news_bot.url, body, headers)[0] == 200
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    v1 = wait_articles(slack, channel, parent["ts"], timeout=90)[0]
    _, page = export(news_bot, slack, v1)
    assert page.ld()["image"] == [image]
