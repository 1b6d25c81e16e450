"""The assistant split view (and its successor, the agent Messages tab), through bolt's
AsyncAssistant: greeting and suggested prompts, the thread's context (the channel the user is
viewing) kept in Redis, and messages handed to the same entry points as a DM."""
from __future__ import annotations

from slack_bolt.middleware.assistant.async_assistant import AsyncAssistant

from ..services import Services
from . import agent_view, thread_started, user_message
from .context_store import RedisThreadContextStore


def register(app, svc: Services) -> None:
    store = RedisThreadContextStore(svc.state.kv, svc.state.retention)
    assistant = AsyncAssistant(thread_context_store=store)
    assistant.thread_started(thread_started.listener(svc))
    # assistant_thread_context_changed: bolt's default listener saves the new context in `store`.
    assistant.user_message(user_message.listener(svc))
    app.assistant(assistant)
    agent_view.register(app, svc)
