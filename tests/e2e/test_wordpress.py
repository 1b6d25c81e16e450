"""/seo-fr → article → WordPress button → a draft in a real WordPress (WordPress Playground,
tests/wordpress_server.py), read back as an editor would see it; second clicks, newer versions,
a site without the plugin and a wrong password, all through signed Slack requests."""
from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import pytest
import redis

from integrations.wordpress import SEO_META_KEYS
from tests.fakes import slack_requests as sr
from tests.harness import BotProcess, bot_env
from tests.redis_server import RedisServer

from .conftest import article_messages, button_labels
from .test_slack_flows import dispatch, parent_of, run_command, wait_articles
from .test_settings_and_home import open_settings

WP_TIMEOUT = 120  # a WordPress job is a handful of PHP-wasm requests: seconds, more under load


@pytest.fixture(scope="module")
def wp_bot(slack, llm, redis_server, wordpress):
    admin = wordpress.accounts["admin"]
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url, WORDPRESS_URL=wordpress.url,
                  WORDPRESS_USER=admin["user"], WORDPRESS_APP_PASSWORD=admin["password"])
    web = BotProcess("web", env).start()
    worker = BotProcess("worker", env).start()
    yield SimpleNamespace(web=web, worker=worker, url=web.url, env=env)
    web.stop()
    worker.stop()


def stored_version(redis_server, value: str) -> dict:
    article_id, version = value.rsplit(":", 1)
    r = redis.Redis.from_url(redis_server.url, decode_responses=True)
    try:
        return json.loads(r.get(f"seo:article:{article_id}:v{version}"))
    finally:
        r.close()


def button_value(message, action_id="seo_wordpress") -> str:
    return next(e["value"] for b in message["blocks"] if b.get("type") == "actions"
                for e in b["elements"] if e.get("action_id") == action_id)


def wordpress_replies(slack, channel, thread_ts) -> list[dict]:
    return [m for m in slack.messages(channel, thread_ts, include_parent=False)
            if "WordPress" in m.get("text", "") and "Brouillon" in m.get("text", "")]


def click(bot, slack, action_id, message):
    status, _, elapsed = sr.send(bot.url, *sr.block_actions(action_id, message=message, slack=slack))
    assert status == 200 and elapsed < 3.0


def new_article(bot, slack, channel, sample_text):
    run_command(bot, slack, channel, dispatch(sample_text))
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    return parent, wait_articles(slack, channel, parent["ts"], timeout=60)[0]


def post_id_of(reply) -> int:
    return int(re.search(r"post\.php\?post=(\d+)", json.dumps(reply["blocks"])).group(1))


def assert_draft_is(wordpress, post_id, data):
    art = data["article"]
    post = wordpress.post(post_id)
    assert post["status"] == "draft"
    assert post["title"]["raw"] == art["title"]
    # The slug sent; WordPress adds "-2", "-3"… when another post has it (these tests make many).
    assert re.fullmatch(re.escape(art["slug"]) + r"(-\d+)?", post["slug"]), post["slug"]
    assert post["excerpt"]["raw"] == art["meta_description"]
    content = post["content"]["raw"]
    headings = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", content)]
    assert headings == [s["heading"] for s in art["sections"]]  # every heading, as <h2>, in order
    assert "<h1>" not in content and html.escape(art["credit"], quote=False) in content
    assert sorted(html.unescape(n) for n in wordpress.tag_names(post["tags"])) == sorted(art["secondary_keywords"])
    assert {k: post["meta"][k] for k in SEO_META_KEYS} == {
        "_yoast_wpseo_focuskw": art["focus_keyword"], "_yoast_wpseo_title": art["meta_title"],
        "_yoast_wpseo_metadesc": art["meta_description"], "rank_math_focus_keyword": art["focus_keyword"],
        "rank_math_title": art["meta_title"], "rank_math_description": art["meta_description"]}


def test_wordpress_button_makes_one_draft_with_every_field_then_updates_it(
        wp_bot, slack, channel, sample_text, wordpress, redis_server):
    parent, v1 = new_article(wp_bot, slack, channel, sample_text)
    assert button_labels(v1)[-1] == "WordPress"
    data1 = stored_version(redis_server, button_value(v1))
    article_id = button_value(v1).rsplit(":", 1)[0]

    click(wp_bot, slack, "seo_wordpress", v1)
    reply = slack.wait_for(lambda s: wordpress_replies(s, channel, parent["ts"]), timeout=WP_TIMEOUT)[0]
    assert "Brouillon créé dans WordPress" in reply["text"]
    assert f"{wordpress.url}/wp-admin/post.php?post=" in json.dumps(reply["blocks"])
    post_id = post_id_of(reply)
    assert_draft_is(wordpress, post_id, data1)
    assert [p["id"] for p in wordpress.posts(article_id)] == [post_id]

    # A second click on the same version: the same draft, updated, and said so.
    click(wp_bot, slack, "seo_wordpress", v1)
    again = slack.wait_for(lambda s: (lambda r: r if len(r) >= 2 else None)(
        wordpress_replies(s, channel, parent["ts"])), timeout=WP_TIMEOUT)[1]
    assert "mis à jour (version 1)" in again["text"] and post_id_of(again) == post_id
    assert [p["id"] for p in wordpress.posts(article_id)] == [post_id]

    # A newer version: still that draft, now holding version 2, and the thread says so.
    click(wp_bot, slack, "seo_regenerate", v1)
    v2 = wait_articles(slack, channel, parent["ts"], 2, timeout=60)[1]
    click(wp_bot, slack, "seo_wordpress", v2)
    newer = slack.wait_for(lambda s: (lambda r: r if len(r) >= 3 else None)(
        wordpress_replies(s, channel, parent["ts"])), timeout=WP_TIMEOUT)[2]
    assert "mis à jour avec la version 2 (il contenait la version 1)" in newer["text"]
    assert post_id_of(newer) == post_id
    assert_draft_is(wordpress, post_id, stored_version(redis_server, button_value(v2)))
    assert [p["id"] for p in wordpress.posts(article_id)] == [post_id]


def test_a_double_click_makes_one_draft(wp_bot, slack, channel, sample_text, wordpress):
    parent, v1 = new_article(wp_bot, slack, channel, sample_text)
    article_id = button_value(v1).rsplit(":", 1)[0]
    for _ in range(2):  # two clicks, two trigger ids, before the first job is done
        click(wp_bot, slack, "seo_wordpress", v1)
    slack.wait_for(lambda s: wordpress_replies(s, channel, parent["ts"]), timeout=WP_TIMEOUT)
    slack.wait_for(lambda s: len(wordpress_replies(s, channel, parent["ts"])) == 2 or any(
        "déjà en cours" in e["text"] for e in s.ephemerals(channel)), timeout=WP_TIMEOUT)
    assert len(wordpress.posts(article_id)) == 1


def test_a_site_without_the_plugin_gets_the_draft_a_warning_and_retry_fills_the_seo_fields(
        wp_bot, slack, channel, sample_text, wordpress, redis_server):
    parent, v1 = new_article(wp_bot, slack, channel, sample_text)
    article_id = button_value(v1).rsplit(":", 1)[0]
    with wordpress.without_plugin():
        click(wp_bot, slack, "seo_wordpress", v1)
        reply = slack.wait_for(lambda s: wordpress_replies(s, channel, parent["ts"]), timeout=WP_TIMEOUT)[0]
    shown = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "Brouillon créé dans WordPress" in reply["text"]
    assert "Champs SEO non enregistrés" in shown and "seo-fr-meta.php" in shown and "mu-plugins" in shown
    post_id = post_id_of(reply)
    assert not any(wordpress.post(post_id)["meta"].get(k) for k in SEO_META_KEYS)
    # The plugin installed, Réessayer fills them in the same draft.
    click(wp_bot, slack, "seo_retry", reply)
    fixed = slack.wait_for(lambda s: (lambda r: r if len(r) >= 2 else None)(
        wordpress_replies(s, channel, parent["ts"])), timeout=WP_TIMEOUT)[1]
    assert "Champs SEO" not in json.dumps(fixed["blocks"], ensure_ascii=False)
    assert_draft_is(wordpress, post_id, stored_version(redis_server, button_value(v1)))
    assert [p["id"] for p in wordpress.posts(article_id)] == [post_id]


def test_the_channel_can_turn_the_button_off(wp_bot, slack, channel, sample_text):
    view = open_settings(wp_bot, slack, channel)
    assert any(b.get("block_id") == "wordpress" for b in view["blocks"])
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "wordpress": {"wordpress_input": []}})
    assert sr.send(wp_bot.url, body, headers)[0] == 200
    slack.wait_for(lambda s: [e for e in s.ephemerals(channel) if "bouton WordPress masqué" in e["text"]])
    _, article = new_article(wp_bot, slack, channel, sample_text)
    assert "WordPress" not in button_labels(article)


def test_a_wrong_password_is_told_in_french_and_never_shown(slack, llm, wordpress, channel, sample_text):
    secret = "zZ9x Wr0n g5ec r3tP a55w 0rdX"
    own_redis = RedisServer().start()  # its own queue: the other bot's worker must not take these jobs
    env = bot_env(slack=slack, openai=llm, redis_url=own_redis.url, WORDPRESS_URL=wordpress.url,
                  WORDPRESS_USER=wordpress.accounts["admin"]["user"], WORDPRESS_APP_PASSWORD=secret,
                  LOG_LEVEL="DEBUG")
    bot = BotProcess("all", env).start()
    try:
        parent, v1 = new_article(bot, slack, channel, sample_text)
        before = len(wordpress.posts())
        click(bot, slack, "seo_wordpress", v1)
        failure = slack.wait_for(lambda s: [m for m in s.messages(channel, parent["ts"], include_parent=False)
                                            if "WordPress" in m.get("text", "") and "Réessayer" in
                                            json.dumps(m.get("blocks"), ensure_ascii=False)], timeout=WP_TIMEOUT)[0]
        assert "refuse l’identification" in failure["text"] and "WORDPRESS_APP_PASSWORD" in failure["text"]
        assert len(wordpress.posts()) == before
        # Réessayer answers the same, and the bot is still up with the article intact.
        click(bot, slack, "seo_retry", failure)
        slack.wait_for(lambda s: len([m for m in s.messages(channel, parent["ts"], include_parent=False)
                                      if "refuse l’identification" in m.get("text", "")]) >= 2, timeout=WP_TIMEOUT)
        assert bot.ready() and len(article_messages(slack, channel, parent["ts"])) == 1
        seen = json.dumps([slack.messages(channel), slack.ephemerals(channel), slack.calls()], ensure_ascii=False)
        for text in (seen, bot.output()):
            assert secret not in text and secret.replace(" ", "") not in text
    finally:
        bot.stop()
        own_redis.stop()
