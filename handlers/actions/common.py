"""What every button listener needs: who clicked where, and a private answer."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from jobs.publisher import slack_error

log = logging.getLogger(__name__)


def click_context(body: dict) -> tuple[str, str, str | None]:
    user = (body.get("user") or {}).get("id")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    message = body.get("message") or {}
    thread_ts = message.get("thread_ts") or (body.get("container") or {}).get("thread_ts")
    return user, channel, thread_ts


def parse_value(value: str) -> tuple[str, int] | None:
    try:
        article_id, version = value.rsplit(":", 1)
        return article_id, int(version)
    except (ValueError, AttributeError):
        return None


async def whisper(client, body: dict, text: str) -> None:
    """An ephemeral answer to the person who clicked, in the thread where they clicked."""
    user, channel, thread_ts = click_context(body)
    if not channel or not user:
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
    except SlackApiError as exc:
        log.warning("chat.postEphemeral failed: %s", slack_error(exc))
