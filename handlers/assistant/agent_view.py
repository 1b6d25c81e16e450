"""agent_view (Slack's successor of assistant_view): no assistant_thread_started; the Messages tab
opening (app_home_opened, tab "messages") gets the suggested prompts, and a greeting once."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error

from ..replies import queue_errors
from ..services import Services

log = logging.getLogger(__name__)

GREETED_TTL = 180 * 86_400


def register(app, svc: Services) -> None:
    async def messages_tab(event) -> bool:  # bolt awaits async matchers
        return event.get("tab") == "messages"

    @app.event("app_home_opened", matchers=[messages_tab])
    async def on_messages_tab(event, client, context):
        user, channel = event.get("user"), event.get("channel")
        if not user or not channel:
            return
        prompts_set = False
        try:
            # thread_ts is ignored for agent apps: the prompts belong to the Messages tab.
            set_prompts = context.get("set_suggested_prompts")
            if set_prompts is not None:
                await set_prompts(prompts=blocks.assistant.prompt_list(), title=blocks.assistant.PROMPTS_TITLE)
            else:
                await client.assistant_threads_setSuggestedPrompts(
                    channel_id=channel, prompts=blocks.assistant.prompt_list(), title=blocks.assistant.PROMPTS_TITLE)
            prompts_set = True
        except SlackApiError as exc:
            log.info("suggested prompts refused: %s", slack_error(exc))  # an app without the assistant
        if not prompts_set:
            return  # no assistant here: the Messages tab stays as it was
        try:
            first = await svc.state.once(f"assistant:greeted:{channel}:{user}", GREETED_TTL)
        except queue_errors():
            first = False
        if first:
            try:
                await client.chat_postMessage(channel=channel, **blocks.assistant.greeting())
            except SlackApiError as exc:
                log.info("greeting refused: %s", slack_error(exc))
