"""The fakes themselves, driven by the real slack_sdk / slack_bolt code."""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from . import slack_requests as sr
from .slack_api import FakeSlack


@pytest.fixture(scope="module")
def server():
    slack = FakeSlack(bot_token="xoxb-test", bot_user_id="UBOT", team_id="T1")
    yield slack
    slack.stop()


@pytest.fixture
def slack(server):
    server.reset()
    return server


def client(slack, token="xoxb-test", **kw) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=slack.base_url, **kw)


def section(text: str, block_id=None) -> dict:
    b = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        b["block_id"] = block_id
    return b


# ----------------------------------------------------------------------------- Web API


@pytest.mark.asyncio
async def test_auth(slack):
    res = await client(slack).auth_test()
    assert res["user_id"] == "UBOT" and res["team_id"] == "T1" and res["bot_id"] == "BBOT"
    with pytest.raises(SlackApiError) as e:
        await client(slack, token="xoxb-wrong").auth_test()
    assert e.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as e:
        await AsyncWebClient(base_url=slack.base_url).auth_test()
    assert e.value.response["error"] == "not_authed"
    with pytest.raises(SlackApiError) as e:
        await client(slack).api_call("chat.teleport")
    assert e.value.response["error"] == "unknown_method"


@pytest.mark.asyncio
async def test_post_update_replies_round_trip(slack):
    c = client(slack)
    parent = await c.chat_postMessage(channel="C1", text="Réécriture SEO demandée par <@U1>")
    assert parent["ok"] and parent["channel"] == "C1"
    assert parent["message"]["bot_id"] == "BBOT"
    status = await c.chat_postMessage(channel="C1", thread_ts=parent["ts"], text="Analyse…")
    article = await c.chat_postMessage(channel="C1", thread_ts=parent["ts"], text="Article",
                                       blocks=[{"type": "header", "text": {"type": "plain_text", "text": "Titre"}},
                                               section("Corps")])
    assert float(parent["ts"]) < float(status["ts"]) < float(article["ts"])
    await c.chat_update(channel="C1", ts=status["ts"], text="Vérification…")

    replies = await c.conversations_replies(channel="C1", ts=parent["ts"])
    texts = [m["text"] for m in replies["messages"]]
    assert texts == ["Réécriture SEO demandée par <@U1>", "Vérification…", "Article"]
    assert replies["messages"][0]["reply_count"] == 2
    assert slack.messages("C1", thread_ts=parent["ts"], include_parent=False)[0]["text"] == "Vérification…"
    # the JSON body that slack_sdk sent was decoded and recorded
    call = slack.calls("chat.postMessage")[-1]
    assert call["args"]["blocks"][0]["type"] == "header" and call["args"]["thread_ts"] == parent["ts"]

    await c.chat_delete(channel="C1", ts=status["ts"])
    assert [m["text"] for m in slack.messages("C1", parent["ts"])] == [texts[0], "Article"]
    history = await c.conversations_history(channel="C1")
    assert [m["ts"] for m in history["messages"]] == [parent["ts"]]
    link = await c.chat_getPermalink(channel="C1", message_ts=article["ts"])
    assert "thread_ts=" + parent["ts"] in link["permalink"]
    await c.reactions_add(channel="C1", timestamp=parent["ts"], name="hourglass")
    with pytest.raises(SlackApiError) as e:
        await c.reactions_add(channel="C1", timestamp=parent["ts"], name="hourglass")
    assert e.value.response["error"] == "already_reacted"
    await c.reactions_remove(channel="C1", timestamp=parent["ts"], name="hourglass")
    eph = await c.chat_postEphemeral(channel="C1", user="U1", text="Aide")
    assert eph["message_ts"] and slack.ephemerals("C1")[0]["text"] == "Aide"
    await c.assistant_threads_setStatus(channel_id="C1", thread_ts=parent["ts"], status="rédige…")
    assert slack.status_of("C1", parent["ts"]) == "rédige…"
    info = await c.users_info(user="U1")
    assert info["user"]["id"] == "U1"


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_channel_errors(slack):
    c = client(slack)
    slack.set_channel("COUT", member=False)
    slack.set_channel("CARCH", archived=True)
    slack.set_channel("CGONE", exists=False)
    for channel, error in [("COUT", "not_in_channel"), ("CARCH", "is_archived"),
                           ("CGONE", "channel_not_found")]:
        with pytest.raises(SlackApiError) as e:
            await c.chat_postMessage(channel=channel, text="x")
        assert e.value.response["error"] == error
    joined = await c.conversations_join(channel="COUT")
    assert joined["channel"]["is_member"] is True
    await c.chat_postMessage(channel="COUT", text="x")
    with pytest.raises(SlackApiError) as e:
        await c.chat_postMessage(channel="C1", text="")
    assert e.value.response["error"] == "no_text"


@pytest.mark.asyncio
async def test_block_limits(slack):
    c = client(slack)
    with pytest.raises(SlackApiError) as e:
        await c.chat_postMessage(channel="C1", text="t", blocks=[section(f"b{i}") for i in range(51)])
    assert e.value.response["error"] == "invalid_blocks"
    assert "no more than 50 items allowed [json-pointer:/blocks]" in e.value.response["response_metadata"]["messages"][0]

    with pytest.raises(SlackApiError) as e:
        await c.chat_postMessage(channel="C1", text="t", blocks=[section("ok"), section("x" * 3001)])
    assert e.value.response["error"] == "invalid_blocks"
    assert e.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]"]
    await c.chat_postMessage(channel="C1", text="t", blocks=[section("x" * 3000)])  # at the limit

    bad = [
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}],
        [{"type": "actions", "elements": [
            {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b" * 76}}]}],
        [{"type": "actions", "elements": [
            {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "x"}},
            {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "y"}}]}],
        [{"type": "actions", "elements": [
            {"type": "button", "action_id": "a", "value": "v" * 2001, "text": {"type": "plain_text", "text": "x"}}]}],
        [section("a", "same"), section("b", "same")],
        [section("a", "i" * 256)],
        [{"type": "carrousel3d"}],
        [{"type": "section"}],
        [section("")],
        [{"type": "markdown", "text": "m" * 6001}, {"type": "markdown", "text": "m" * 6000}],
    ]
    for blocks in bad:
        with pytest.raises(SlackApiError) as e:
            await c.chat_postMessage(channel="C1", text="t", blocks=blocks)
        assert e.value.response["error"] == "invalid_blocks", blocks

    with pytest.raises(SlackApiError) as e:  # 5 sections of 2 900 chars: each fine, together too long
        await c.chat_postMessage(channel="C1", text="t", blocks=[section("x" * 2900) for _ in range(5)])
    assert e.value.response["error"] == "msg_blocks_too_long"
    with pytest.raises(SlackApiError) as e:
        await c.chat_postMessage(channel="C1", text="x" * 40001)
    assert e.value.response["error"] == "msg_too_long"
    await c.chat_postMessage(channel="C1", text="x" * 4001)
    assert slack.long_texts and slack.long_texts[0]["length"] == 4001


@pytest.mark.asyncio
async def test_ratelimited_once_then_retried(slack):
    slack.fail("chat.postMessage", "ratelimited", times=1, retry_after=0)
    c = client(slack, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)])
    res = await c.chat_postMessage(channel="C1", text="après la limite")
    assert res["ok"]
    calls = slack.calls("chat.postMessage")
    assert [(x["status"], x["error"]) for x in calls] == [(429, "ratelimited"), (200, None)]
    # without a retry handler the 429 surfaces as SlackApiError
    slack.fail("chat.postMessage", "ratelimited")
    with pytest.raises(SlackApiError) as e:
        await client(slack, retry_handlers=[]).chat_postMessage(channel="C1", text="x")
    assert e.value.response.status_code == 429 and e.value.response.headers["Retry-After"] == "1"
    slack.fail("chat.update", "internal_error")
    with pytest.raises(SlackApiError) as e:
        await client(slack).chat_update(channel="C1", ts=res["ts"], text="y")
    assert e.value.response["error"] == "internal_error"


@pytest.mark.asyncio
async def test_files_upload_v2(slack):
    c = client(slack)
    parent = await c.chat_postMessage(channel="C1", text="Article")
    res = await c.files_upload_v2(
        channel="C1", thread_ts=parent["ts"], initial_comment="Exports",
        file_uploads=[
            {"filename": "article.md", "content": "# Titre\n\nCorps é", "title": "article.md"},
            {"filename": "article.html", "content": b"<h1>Titre</h1>", "title": "article.html"},
        ])
    assert res["ok"] and len(res["files"]) == 2
    assert [f["filename"] for f in slack.files] == ["article.md", "article.html"]
    assert slack.files[0]["content"] == "# Titre\n\nCorps é".encode()
    assert slack.files[1]["content"] == b"<h1>Titre</h1>"
    assert {(f["channel"], f["thread_ts"]) for f in slack.files} == {("C1", parent["ts"])}
    assert [c["method"] for c in slack.calls()][-5:] == [
        "files.getUploadURLExternal", "files.getUploadURLExternal", "upload", "upload",
        "files.completeUploadExternal"]
    shared = slack.messages("C1", parent["ts"], include_parent=False)
    assert len(shared) == 1 and len(shared[0]["files"]) == 2


@pytest.mark.asyncio
async def test_views(slack):
    c = client(slack)
    view = {"type": "modal", "callback_id": "seo_dispatch", "title": {"type": "plain_text", "text": "Réécriture SEO"},
            "submit": {"type": "plain_text", "text": "Réécrire"},
            "blocks": [{"type": "input", "block_id": "dispatch", "label": {"type": "plain_text", "text": "Dépêche"},
                        "element": {"type": "plain_text_input", "action_id": "text", "multiline": True}}]}
    opened = await c.views_open(trigger_id=sr.new_trigger_id(), view=view)
    assert opened["view"]["id"] == slack.views[-1]["id"]

    stale_trigger = f"trig.{int((time.time() - 4) * 1000)}.1"
    with pytest.raises(SlackApiError) as e:
        await c.views_open(trigger_id=stale_trigger, view=view)
    assert e.value.response["error"] == "expired_trigger_id"

    used = sr.new_trigger_id()
    await c.views_open(trigger_id=used, view=view)
    with pytest.raises(SlackApiError) as e:
        await c.views_open(trigger_id=used, view=view)
    assert e.value.response["error"] == "exchanged_trigger_id"

    too_long = dict(view, title={"type": "plain_text", "text": "x" * 25})
    with pytest.raises(SlackApiError) as e:
        await c.views_open(trigger_id=sr.new_trigger_id(), view=too_long)
    assert e.value.response["error"] == "invalid_arguments"
    assert "[json-pointer:/view/title/text]" in e.value.response["response_metadata"]["messages"][0]
    no_submit = {k: v for k, v in view.items() if k != "submit"}
    with pytest.raises(SlackApiError) as e:
        await c.views_open(trigger_id=sr.new_trigger_id(), view=no_submit)
    assert e.value.response["error"] == "invalid_arguments"

    updated = await c.views_update(view_id=opened["view"]["id"], view=dict(view, private_metadata="k"))
    assert updated["view"]["private_metadata"] == "k"
    await c.views_publish(user_id="U1", view={"type": "home", "blocks": [section("Accueil")]})
    assert slack.views[-1]["type"] == "home"


@pytest.mark.asyncio
async def test_response_url(slack):
    url = slack.response_url("C1", "U1")
    res = await AsyncWebhookClient(url).send(text="Aide : /seo-fr <dépêche>")
    assert res.status_code == 200
    assert slack.ephemerals("C1")[-1]["text"].startswith("Aide")
    bad = await AsyncWebhookClient(url).send(text="x", blocks=[section("x" * 3001)])
    assert bad.status_code == 400 and bad.body == "invalid_blocks"


def test_wait_for_timeout_dumps_calls(slack):
    with pytest.raises(AssertionError) as e:
        slack.wait_for(lambda s: s.messages("C9"), timeout=0.1)
    assert "recent Slack API calls" in str(e.value)


# ----------------------------------------------------------------------------- signing


def test_signatures_match_slack_verifier():
    verifier = SignatureVerifier(signing_secret=sr.DEFAULT_SIGNING_SECRET)

    def ok(req):
        body, headers = req
        return verifier.is_valid_request(body, headers)

    cmd = sr.slash_command("une dépêche AFP", trigger_id="trig.1.1", response_url="http://x/y")
    assert ok(cmd)
    fields = dict(urllib.parse.parse_qsl(cmd[0].decode()))
    assert fields["command"] == "/seo-fr" and fields["text"] == "une dépêche AFP"
    assert cmd[1]["Content-Type"] == "application/x-www-form-urlencoded"

    ev = sr.event_callback(sr.message_event("bonjour", channel="D1", user="U1"))
    assert ok(ev)
    env = json.loads(ev[0])
    assert env["type"] == "event_callback" and env["event"]["channel_type"] == "im"
    assert ok(sr.retry(ev, 1)) and sr.retry(ev, 2)[1]["X-Slack-Retry-Num"] == "2"
    assert json.loads(sr.retry(ev, 1)[0])["event_id"] == env["event_id"]
    assert ok(sr.url_verification("abc"))

    message = {"ts": "1700000000.000200", "thread_ts": "1700000000.000100", "channel": "C1",
               "blocks": [{"type": "actions", "block_id": "article_actions", "elements": [
                   {"type": "button", "action_id": "regenerate", "value": "v1",
                    "text": {"type": "plain_text", "text": "Régénérer"}}]}]}
    click = sr.block_actions("regenerate", message=message, slack="http://127.0.0.1:1/api/")
    assert ok(click)
    payload = json.loads(dict(urllib.parse.parse_qsl(click[0].decode()))["payload"])
    assert payload["actions"][0]["value"] == "v1"
    assert payload["actions"][0]["block_id"] == "article_actions"
    assert payload["container"]["thread_ts"] == "1700000000.000100"
    with pytest.raises(ValueError):
        sr.block_actions("nope", message=message)

    view = {"id": "V1", "type": "modal", "callback_id": "kw", "blocks": [
        {"type": "input", "block_id": "kw", "label": {"type": "plain_text", "text": "Mot-clé"},
         "element": {"type": "plain_text_input", "action_id": "value"}}]}
    sub = sr.view_submission(view, {"kw": {"value": "otan"}})
    assert ok(sub)
    payload = json.loads(dict(urllib.parse.parse_qsl(sub[0].decode()))["payload"])
    assert payload["view"]["state"]["values"]["kw"]["value"] == {"type": "plain_text_input", "value": "otan"}
    with pytest.raises(ValueError):
        sr.view_submission(view, {"other": {"value": "x"}})

    assert not ok(sr.forged(cmd))
    assert not ok(sr.stale(cmd))
    assert not ok(sr.slash_command("x", signing_secret="other-secret"))


@pytest.mark.asyncio
async def test_bolt_app_over_http(slack):
    """A real AsyncApp served over HTTP, Web API on the fake: signed requests are acked, the
    listener's respond() lands in the fake, forged and stale requests get 401."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp

    app = AsyncApp(client=client(slack), signing_secret=sr.DEFAULT_SIGNING_SECRET)
    seen = []

    @app.command("/seo-fr")
    async def on_command(ack, command, respond):
        await ack()
        seen.append(command["text"])
        await respond("reçu")

    @app.event("app_mention")
    async def on_mention(event, say):
        await say(text="vu", thread_ts=event["ts"])

    runner = web.AppRunner(app.web_app(path="/slack/events"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/slack/events"
    try:
        status, _, elapsed = await sr.send_async(url, *sr.slash_command("dépêche", slack=slack))
        assert status == 200 and seen == ["dépêche"] and elapsed < 3
        await slack.wait_for_async(lambda s: s.ephemerals("C1"), timeout=5)

        user_msg = slack.add_message("C1", "<@UBOT> réécris", user="U1")
        req = sr.event_callback(sr.app_mention_event("réécris", ts=user_msg["ts"]))
        status, _, _ = await sr.send_async(url, *req)
        assert status == 200
        replies = await slack.wait_for_async(
            lambda s: s.messages("C1", user_msg["ts"], include_parent=False), timeout=5)
        assert replies[0]["text"] == "vu" and float(replies[0]["ts"]) > float(user_msg["ts"])

        status, body, _ = await sr.send_async(url, *sr.url_verification("chal"))
        assert status == 200 and json.loads(body)["challenge"] == "chal"
        status, _, _ = await sr.send_async(url, *sr.forged(sr.slash_command("x", slack=slack)))
        assert status == 401
        status, _, _ = await sr.send_async(url, *sr.stale(sr.slash_command("x", slack=slack)))
        assert status == 401
        assert seen == ["dépêche"]
    finally:
        await runner.cleanup()


@pytest.mark.asyncio
async def test_users_conversations_lists_a_users_channels_as_far_as_the_bot_sees(slack):
    slack.set_channel("CPUB1")
    slack.set_channel("CPUB2")
    slack.set_channel("GPRIV", is_private=True)  # the bot is a member: visible
    slack.set_channel("GHIDDEN", is_private=True, member=False)  # the bot is not: invisible
    slack.set_channel("COLD", archived=True)
    slack.add_member("CPUB1", "U5")
    slack.add_member("GPRIV", "U5")
    slack.add_member("GHIDDEN", "U5")
    slack.add_member("COLD", "U5")
    c = client(slack)
    ids = lambda resp: [ch["id"] for ch in resp["channels"]]  # noqa: E731
    both = "public_channel,private_channel"
    assert ids(await c.users_conversations(user="U5", types=both)) == ["COLD", "CPUB1", "GPRIV"]
    assert ids(await c.users_conversations(user="U5", types=both, exclude_archived=True)) == ["CPUB1", "GPRIV"]
    assert ids(await c.users_conversations(user="U5")) == ["COLD", "CPUB1"]  # public only by default
    first = await c.users_conversations(user="U5", types=both, limit=2)
    assert len(first["channels"]) == 2 and first["response_metadata"]["next_cursor"]
    rest = await c.users_conversations(user="U5", types=both, limit=2, cursor=first["response_metadata"]["next_cursor"])
    assert ids(rest) == ["GPRIV"] and not rest["response_metadata"]["next_cursor"]
    assert ids(await c.users_conversations(user="U6", types=both)) == []
