"""The fake's chat.startStream / appendStream / stopStream, driven by the real slack_sdk client."""
from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .slack_api import FakeSlack

RECIPIENT = {"recipient_user_id": "U1", "recipient_team_id": "T1"}


@pytest.fixture(scope="module")
def server():
    slack = FakeSlack(bot_token="xoxb-test", bot_user_id="UBOT", team_id="T1")
    yield slack
    slack.stop()


@pytest.fixture
def slack(server):
    server.reset()
    return server


def client(slack) -> AsyncWebClient:
    return AsyncWebClient(token="xoxb-test", base_url=slack.base_url)  # no retry handler


async def error_of(coro) -> str:
    with pytest.raises(SlackApiError) as e:
        await coro
    return e.value.response["error"]


@pytest.mark.asyncio
async def test_a_stream_grows_in_the_thread_then_stops_with_blocks(slack):
    parent = slack.add_message("C1", "dépêche")
    c = client(slack)
    start = await c.chat_startStream(channel="C1", thread_ts=parent["ts"], markdown_text="# Titre\n\n", **RECIPIENT)
    ts = start["ts"]
    assert slack.message("C1", ts)["text"] == "# Titre\n\n"  # first words visible at once
    await c.chat_appendStream(channel="C1", ts=ts, markdown_text="Le chapô.")
    [st] = slack.streams("C1", parent["ts"])
    assert st["state"] == "streaming" and st["markdown"] == "# Titre\n\nLe chapô." and st["appends"] == 1
    assert st["first_text_at"] is not None
    footer = [{"type": "actions", "elements": [{"type": "button", "action_id": "a", "value": "v",
                                                 "text": {"type": "plain_text", "text": "Régénérer"}}]}]
    await c.chat_stopStream(channel="C1", ts=ts, markdown_text=" Fin.", blocks=footer)
    msg = slack.message("C1", ts)
    assert msg["thread_ts"] == parent["ts"]
    assert msg["blocks"][0] == {"type": "markdown", "text": "# Titre\n\nLe chapô. Fin."}
    assert msg["blocks"][1:] == footer
    assert slack.streams("C1")[0]["state"] == "stopped"
    # A stopped stream takes no more text.
    assert await error_of(c.chat_appendStream(channel="C1", ts=ts, markdown_text="x")) \
        == "message_not_in_streaming_state"
    assert await error_of(c.chat_stopStream(channel="C1", ts=ts)) == "message_not_in_streaming_state"


@pytest.mark.asyncio
async def test_stream_errors(slack):
    parent = slack.add_message("C2", "dépêche")
    c = client(slack)
    # Channels need the recipient; DMs do not.
    assert (await error_of(c.chat_startStream(channel="C2", thread_ts=parent["ts"], markdown_text="a",
                                              recipient_user_id="U1"))).startswith("missing_recipient")
    assert (await error_of(c.chat_startStream(channel="C2", thread_ts=parent["ts"], markdown_text="a",
                                              recipient_team_id="T1"))).startswith("missing_recipient")
    dm = slack.add_message("D9", "dépêche")
    assert (await c.chat_startStream(channel="D9", thread_ts=dm["ts"], markdown_text="a"))["ok"]
    # 12 000 chars of markdown at most.
    assert await error_of(c.chat_startStream(channel="C2", thread_ts=parent["ts"], markdown_text="x" * 12001,
                                             **RECIPIENT)) == "msg_too_long"
    ts = (await c.chat_startStream(channel="C2", thread_ts=parent["ts"], markdown_text="x" * 11000,
                                   **RECIPIENT))["ts"]
    assert await error_of(c.chat_appendStream(channel="C2", ts=ts, markdown_text="y" * 1001)) == "msg_too_long"
    # Markdown then chunks in one stream: mode mismatch.
    assert await error_of(c.chat_appendStream(channel="C2", ts=ts, chunks=[
        {"type": "markdown_text", "text": "z"}])) == "streaming_mode_mismatch"
    # Not a stream at all.
    plain = (await c.chat_postMessage(channel="C2", thread_ts=parent["ts"], text="hello"))["ts"]
    assert await error_of(c.chat_appendStream(channel="C2", ts=plain, markdown_text="x")) \
        == "message_not_in_streaming_state"
    # Switchable refusals.
    slack.stream_unsupported_channels.add("C2")
    assert await error_of(c.chat_startStream(channel="C2", thread_ts=parent["ts"], markdown_text="a",
                                             **RECIPIENT)) == "channel_type_not_supported"
    slack.streaming_enabled = False
    assert await error_of(c.chat_startStream(channel="C3", thread_ts=parent["ts"], markdown_text="a",
                                             **RECIPIENT)) == "unknown_method"
    slack.streaming_enabled = True
    for err in ("missing_scope", "not_allowed_token_type"):
        slack.fail("chat.startStream", err)
        assert await error_of(c.chat_startStream(channel="C3", thread_ts=parent["ts"], markdown_text="a",
                                                 **RECIPIENT)) == err


@pytest.mark.asyncio
async def test_slack_closes_a_stream_after_its_lifetime(slack):
    parent = slack.add_message("C4", "dépêche")
    c = client(slack)
    slack.stream_lifetime = 0.0
    ts = (await c.chat_startStream(channel="C4", thread_ts=parent["ts"], markdown_text="a", **RECIPIENT))["ts"]
    assert await error_of(c.chat_appendStream(channel="C4", ts=ts, markdown_text="b")) \
        == "message_not_in_streaming_state"
    assert slack.streams("C4")[0]["state"] == "expired"
    # chat.update still finishes that message.
    await c.chat_update(channel="C4", ts=ts, text="fini", blocks=[{"type": "markdown", "text": "fini"}])
    assert slack.message("C4", ts)["text"] == "fini"
    assert slack.streams("C4")[0]["state"] == "updated"


@pytest.mark.asyncio
async def test_per_minute_budgets_answer_429_with_retry_after(slack):
    parent = slack.add_message("C5", "dépêche")
    c = client(slack)
    slack.rate_limits.update({"chat.startStream": 2, "chat.appendStream": 3})
    ts = (await c.chat_startStream(channel="C5", thread_ts=parent["ts"], markdown_text="a", **RECIPIENT))["ts"]
    await c.chat_startStream(channel="C5", thread_ts=parent["ts"], markdown_text="b", **RECIPIENT)
    with pytest.raises(SlackApiError) as e:
        await c.chat_startStream(channel="C5", thread_ts=parent["ts"], markdown_text="c", **RECIPIENT)
    assert e.value.response.status_code == 429 and e.value.response["error"] == "ratelimited"
    assert 1 <= int(e.value.response.headers["Retry-After"]) <= 60
    for _ in range(3):
        await c.chat_appendStream(channel="C5", ts=ts, markdown_text="x")
    assert await error_of(c.chat_appendStream(channel="C5", ts=ts, markdown_text="lost?")) == "ratelimited"
    assert slack.streams("C5")[0]["markdown"] == "axxx"  # a refused append adds nothing
    assert slack.rate_limited("chat.startStream") == 1 and slack.rate_limited("chat.appendStream") == 1
