"""The fake's assistant methods (assistant.threads.*), driven by the real slack_sdk client and
bolt's own set_status / set_suggested_prompts / set_title helpers."""
from __future__ import annotations

import pytest
from slack_bolt.context.set_status.async_set_status import AsyncSetStatus
from slack_bolt.context.set_suggested_prompts.async_set_suggested_prompts import AsyncSetSuggestedPrompts
from slack_bolt.context.set_title.async_set_title import AsyncSetTitle
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .slack_api import FakeSlack


@pytest.fixture(scope="module")
def server():
    slack = FakeSlack()
    yield slack
    slack.stop()


@pytest.fixture
def slack(server):
    server.reset()
    return server


def client(slack) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.base_url)


async def error_of(call) -> str:
    with pytest.raises(SlackApiError) as e:
        await call
    return e.value.response["error"]


@pytest.mark.asyncio
async def test_bolt_helpers_are_recorded(slack):
    c = client(slack)
    thread = slack.assistant_thread("D01", user="U1")
    assert slack.messages("D01")[0]["subtype"] == "assistant_app_thread"
    await AsyncSetStatus(c, "D01", thread)("rédige l’article…", loading_messages=["Je lis la dépêche…"])
    assert slack.status_of("D01", thread) == "rédige l’article…"
    assert slack.statuses[-1]["loading_messages"] == ["Je lis la dépêche…"]
    await AsyncSetSuggestedPrompts(c, "D01", thread)(["Aide", {"title": "Titres", "message": "Des titres"}],
                                                     title="Essayez")
    got = slack.suggested_prompts[-1]
    assert got["thread_ts"] == thread and got["title"] == "Essayez"
    assert got["prompts"] == [{"title": "Aide", "message": "Aide"}, {"title": "Titres", "message": "Des titres"}]
    await AsyncSetSuggestedPrompts(c, "D01")(["Aide"])  # agent_view: no thread
    assert slack.suggested_prompts[-1]["thread_ts"] is None
    await AsyncSetTitle(c, "D01", thread)("Sommet de l’OTAN")
    assert slack.title_of("D01", thread) == "Sommet de l’OTAN"


@pytest.mark.asyncio
@pytest.mark.parametrize("prompts", [[], ["a", "b", "c", "d", "e"], [{"title": "x"}], [{"title": "", "message": "m"}]])
async def test_suggested_prompts_are_validated_like_slack(slack, prompts):
    c = client(slack)
    normalised = [p if isinstance(p, dict) else {"title": p, "message": p} for p in prompts]
    assert await error_of(c.assistant_threads_setSuggestedPrompts(channel_id="D01", thread_ts="1.2",
                                                                  prompts=normalised)) == "invalid_arguments"
    assert slack.suggested_prompts == []


@pytest.mark.asyncio
async def test_status_and_title_need_their_arguments(slack):
    c = client(slack)
    assert await error_of(c.api_call("assistant.threads.setStatus", json={"channel_id": "D01"})) == "invalid_arguments"
    assert await error_of(c.assistant_threads_setStatus(channel_id="D01", thread_ts="1.2", status="x",
                                                        loading_messages=[""])) == "invalid_arguments"
    assert await error_of(c.assistant_threads_setTitle(channel_id="D01", thread_ts="1.2", title=" ")) \
        == "invalid_arguments"
    assert slack.statuses == [] and slack.titles == []


@pytest.mark.asyncio
async def test_conversations_members_pages(slack):
    c = client(slack)
    slack.set_channel("C9")
    slack.add_member("C9", *[f"U{i:03d}" for i in range(5)])
    first = await c.conversations_members(channel="C9", limit=3)
    second = await c.conversations_members(channel="C9", limit=3, cursor=first["response_metadata"]["next_cursor"])
    assert first["members"] + second["members"] == [f"U{i:03d}" for i in range(5)]
    assert second["response_metadata"]["next_cursor"] == ""


@pytest.mark.asyncio
async def test_stream_chunks_carry_a_plan_of_tasks(slack):
    c = client(slack)
    thread = slack.assistant_thread("D02")
    ts = (await c.chat_startStream(channel="D02", thread_ts=thread, task_display_mode="plan", chunks=[
        {"type": "plan_update", "title": "Réécriture"},
        {"type": "task_update", "id": "a", "title": "Rédaction", "status": "in_progress"},
        {"type": "markdown_text", "text": "# Titre"}]))["ts"]
    await c.chat_appendStream(channel="D02", ts=ts, chunks=[
        {"type": "task_update", "id": "a", "title": "Rédaction", "status": "complete"}])  # no text: fine
    bad = [{"type": "task_update", "id": "b", "title": "SEO", "status": "done"}, {"type": "sparkles"},
           {"type": "task_update", "title": "SEO", "status": "complete"}, {"type": "plan_update"}]
    for chunk in bad:
        assert await error_of(c.chat_appendStream(channel="D02", ts=ts, chunks=[chunk])) == "invalid_chunks"
    assert await error_of(c.chat_appendStream(channel="D02", ts=ts, markdown_text="x")) == "streaming_mode_mismatch"
    await c.chat_stopStream(channel="D02", ts=ts, chunks=[{"type": "markdown_text", "text": "\n\nFin"}])
    st = slack.streams("D02", thread)[0]
    assert st["plan"] == "Réécriture" and st["tasks"] == {"a": {"title": "Rédaction", "status": "complete"}}
    assert st["markdown"] == "# Titre\n\nFin" and st["task_display_mode"] == "plan"
    # A Slack without plans refuses the chunks.
    slack.stream_chunk_types.discard("task_update")
    assert await error_of(c.chat_startStream(channel="D02", thread_ts=thread, chunks=[
        {"type": "task_update", "id": "a", "title": "Rédaction", "status": "pending"}])) == "invalid_chunks"
