"""assistant_thread_started: the user opened the assistant beside a channel."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error

from ..replies import queue_errors
from ..services import Services

log = logging.getLogger(__name__)


def listener(svc: Services):
    async def thread_started(event, say, set_suggested_prompts, save_thread_context):
        thread = event.get("assistant_thread") or {}
        context = thread.get("context") or {}
        try:
            await save_thread_context(context)  # the channel in view, for the messages that follow
        except queue_errors():
            log.warning("assistant context not saved: the queue is unreachable")
        try:
            await say(**blocks.assistant.greeting(context.get("channel_id")))
            await set_suggested_prompts(prompts=blocks.assistant.prompt_list(), title=blocks.assistant.PROMPTS_TITLE)
        except SlackApiError as exc:
            log.warning("assistant greeting failed: %s", slack_error(exc))

    return thread_started
