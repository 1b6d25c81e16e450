"""The assistant's contract pieces: what the manifest declares matches what the code does."""
from __future__ import annotations

from pathlib import Path

import pytest

import yaml

import blockkit
from blockkit.assistant import PROMPTS, assistant_status, prompt_list, prompt_of

MANIFEST = yaml.safe_load((Path(__file__).resolve().parent.parent / "manifest.yml").read_text(encoding="utf-8"))


def test_the_manifest_declares_the_assistant_and_its_events():
    assert "assistant:write" in MANIFEST["oauth_config"]["scopes"]["bot"]
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    for event in ("assistant_thread_started", "assistant_thread_context_changed", "message.im", "app_home_opened"):
        assert event in events
    view = MANIFEST["features"]["assistant_view"]
    assert view["assistant_description"].strip()
    assert view["suggested_prompts"] == prompt_list()  # the prompts shown before a thread = in a thread


def test_at_most_four_prompts_each_recognised_by_its_message_and_title():
    assert 1 <= len(PROMPTS) <= 4
    for key, p in PROMPTS.items():
        assert p["title"].strip() and p["message"].strip()
        for text in (p["message"], p["title"], p["message"].upper() + " ", p["title"].rstrip(".") + "."):
            assert prompt_of(text) == key
    assert prompt_of("Voici la dépêche : le gouvernement a annoncé mardi …") is None


def test_every_job_step_has_a_short_french_status_and_loading_messages():
    for step in ("queued", "drafting", "checking", "repairing", "revising", "titles", "social", "unknown"):
        status, loading = assistant_status(step)
        assert status.endswith("…") and len(status) <= 50 and ":" not in status.split()[0]
        assert 1 <= len(loading) <= 10 and all(m.strip() for m in loading)


def test_the_help_explains_the_assistant():
    text = str(blockkit.help_blocks(bot_user_id="UBOT")["blocks"])
    assert "assistant" in text and "membre" in text


@pytest.mark.asyncio
async def test_the_thread_context_store_keeps_only_a_channel_in_view():
    from handlers.assistant.context_store import RedisThreadContextStore
    from jobs.kv import MemoryKV

    store = RedisThreadContextStore(MemoryKV(), ttl=60)
    assert await store.find(channel_id="D1", thread_ts="1.1") is None
    await store.save(channel_id="D1", thread_ts="1.1", context={})  # opened from the app itself
    assert await store.find(channel_id="D1", thread_ts="1.1") is None
    await store.save(channel_id="D1", thread_ts="1.1", context={"channel_id": "C9", "team_id": "T1",
                                                               "enterprise_id": None, "extra": "x"})
    found = await store.find(channel_id="D1", thread_ts="1.1")
    assert found.channel_id == "C9" and found.team_id == "T1" and "extra" not in found
    assert await store.find(channel_id="D1", thread_ts="2.2") is None
