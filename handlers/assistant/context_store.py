"""bolt's assistant thread context (the channel the user is viewing), kept in Redis so that every
web process sees it (bolt's default keeps it in message metadata, read back from Slack)."""
from __future__ import annotations

import json
from typing import Optional

from slack_bolt.context.assistant.thread_context import AssistantThreadContext
from slack_bolt.context.assistant.thread_context_store.async_store import AsyncAssistantThreadContextStore

from jobs.kv import KV


class RedisThreadContextStore(AsyncAssistantThreadContextStore):
    def __init__(self, kv: KV, ttl: float):
        self.kv = kv
        self.ttl = ttl

    @staticmethod
    def _key(channel_id: str, thread_ts: str) -> str:
        return f"assistant:context:{channel_id}:{thread_ts}"

    async def save(self, *, channel_id: str, thread_ts: str, context: dict) -> None:
        if not isinstance(context, dict) or not context.get("channel_id"):
            return  # opened from the app itself: no channel in view
        keep = {k: context.get(k) for k in ("channel_id", "team_id", "enterprise_id")}
        await self.kv.set(self._key(channel_id, thread_ts), json.dumps(keep), self.ttl)

    async def find(self, *, channel_id: str, thread_ts: str) -> Optional[AssistantThreadContext]:
        raw = await self.kv.get(self._key(channel_id, thread_ts))
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return AssistantThreadContext(data) if data.get("channel_id") else None
        except (ValueError, TypeError, AttributeError):
            return None
