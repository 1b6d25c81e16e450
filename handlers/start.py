"""Starting a rewrite from any surface (slash command, modal, DM, mention, watched channel)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

import blockkit as blocks
from jobs.publisher import slack_error
from jobs.submit import Outcome
from seo.cleaning import clean
from seo.errors import InputError

from .pacing import after_acks
from .replies import BUSY, UNAVAILABLE, invite_hint, queue_errors
from .services import Services

log = logging.getLogger(__name__)


@dataclass
class Started:
    ok: bool
    message: str | None = None  # French text for the user when not ok


async def _post_parent(client: AsyncWebClient, channel: str, user: str, source: str) -> str | None:
    msg = blocks.parent_message(user, source)
    try:
        return (await client.chat_postMessage(channel=channel, **msg))["ts"]
    except SlackApiError as exc:
        if slack_error(exc) != "not_in_channel":
            raise
    try:  # a public channel: join it ourselves, as the best apps do
        await client.conversations_join(channel=channel)
        return (await client.chat_postMessage(channel=channel, **msg))["ts"]
    except SlackApiError:
        return None


async def start_rewrite(client: AsyncWebClient, svc: Services, *, delivery_key: str, channel: str, user: str,
                        source: str, keyword: str | None = None, thread_ts: str | None = None,
                        team: str | None = None) -> Started:
    """Validate, post the parent (if no thread yet) and the status message, then enqueue."""
    await after_acks()
    try:
        cleaned = clean(source)  # cheap, no LLM: refuse unusable input at once, in French
    except InputError as exc:
        return Started(False, str(exc))
    try:
        if not await svc.state.first_delivery(delivery_key):
            return Started(True)
    except queue_errors():
        return Started(False, UNAVAILABLE)
    try:
        if thread_ts is None:
            thread_ts = await _post_parent(client, channel, user, cleaned.text)
            if thread_ts is None:
                return Started(False, invite_hint(channel))
        status = await client.chat_postMessage(channel=channel, thread_ts=thread_ts,
                                               **blocks.status_message("queued"))
    except SlackApiError as exc:
        err = slack_error(exc)
        log.warning("cannot post in %s: %s", channel, err)
        if err in ("not_in_channel", "channel_not_found"):
            return Started(False, invite_hint(channel))
        return Started(False, f"Slack a refusé le message ({err}) : réessayez dans un instant.")
    try:
        outcome = await svc.submitter.new_article(delivery_key=delivery_key, channel=channel, thread_ts=thread_ts,
                                                  source=source, user=user, status_ts=status["ts"], keyword=keyword,
                                                  team=team)
    except queue_errors():
        log.warning("queue unreachable while starting a rewrite")
        await _safe_update(client, channel, status["ts"], UNAVAILABLE)
        return Started(False, UNAVAILABLE)
    if outcome is Outcome.BUSY:
        await _safe_update(client, channel, status["ts"], BUSY)
    return Started(True)


async def _safe_update(client: AsyncWebClient, channel: str, ts: str, text: str) -> None:
    try:
        await client.chat_update(channel=channel, ts=ts, **blocks.notice_message(text))
    except SlackApiError as exc:
        log.warning("chat.update failed: %s", slack_error(exc))
