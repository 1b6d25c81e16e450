"""Is a person in a channel? (The assistant applies a channel's settings only for its members.)"""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from jobs.publisher import slack_error

log = logging.getLogger(__name__)

MAX_PAGES = 10  # 10 000 members


def is_channel(channel_id: str | None) -> bool:
    return bool(channel_id) and channel_id[:1] in "CG" and channel_id[1:].isalnum()


async def is_member(client, channel: str, user: str) -> bool:
    """conversations.members, paged; anything Slack will not tell us (a private channel the bot is
    not in, a missing scope) counts as not a member: the defaults apply."""
    cursor = None
    try:
        for _ in range(MAX_PAGES):
            resp = await client.conversations_members(channel=channel, limit=1000, cursor=cursor)
            if user in (resp.get("members") or []):
                return True
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return False
    except SlackApiError as exc:
        log.info("conversations.members of the assistant's context refused: %s", slack_error(exc))
    return False
