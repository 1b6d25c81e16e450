"""Starting a rewrite from any surface (slash command, modal, DM, mention, watched channel)."""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

import blockkit as blocks
from jobs.publisher import slack_error
from jobs.submit import Outcome
from seo.cleaning import clean
from seo.errors import InputError

from .acks import after_acks
from .patience import patiently
from .replies import BUSY, UNAVAILABLE, WAITING, invite_hint, queue_errors, quota_text
from .services import Services

log = logging.getLogger(__name__)


@dataclass
class Started:
    ok: bool
    message: str | None = None  # French text for the user when not ok
    private: bool = False  # the message is for the requester only (ephemeral where Slack allows)


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
                        waiting: Callable[[str], Awaitable[None]] | None = None,
                        team: str | None = None, settings_channel: str | None = None,
                        assistant: bool = False, image: str | None = None) -> Started:
    """Validate, post the parent (if no thread yet) and the status message, then enqueue.

    Redis unreachable: tried again for up to SEO_QUEUE_PATIENCE seconds (see handlers/patience.py);
    `waiting(text)` tells the caller privately while no status line exists yet. `team`: the
    requester's workspace (Slack's streaming methods need it in channels). `settings_channel`: the
    channel whose settings apply when not `channel` (an assistant thread's context); `assistant`:
    the thread is an assistant thread (native status and title)."""
    await after_acks()
    try:
        cleaned = clean(source)  # cheap, no LLM: refuse unusable input at once, in French
    except InputError as exc:
        return Started(False, str(exc))
    patience = svc.settings.queue_patience
    owner = secrets.token_hex(8)
    said = False

    async def say_waiting() -> None:  # once, though both checks below may wait for Redis
        nonlocal said
        if waiting and not said:
            said = True
            await waiting(WAITING)

    try:
        # Both checks at once (one Redis round trip less before the parent message). Over a quota:
        # said to the requester alone, before anything is posted or enqueued; its delivery counts as
        # handled (a retry of it is not told twice).
        refused, first = await asyncio.gather(
            patiently(lambda: svc.submitter.over_quota(delivery_key=delivery_key, user=user, channel=channel),
                      patience, say_waiting),
            patiently(lambda: svc.state.first_delivery(delivery_key, owner), patience, say_waiting))
        if not first:
            return Started(True)
        if refused:
            return Started(False, quota_text(refused, svc.settings), private=True)
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
    told = False

    async def tell_waiting() -> None:
        nonlocal told
        told = True
        await _safe_update(client, channel, status["ts"], WAITING)

    article_id = svc.state.new_article_id()  # fixed before the first try: a retry rewrites the same records
    try:
        outcome = await patiently(lambda: svc.submitter.new_article(
            delivery_key=delivery_key, channel=channel, thread_ts=thread_ts, source=source, user=user,
            status_ts=status["ts"], keyword=keyword, article_id=article_id, team=team,
            settings_channel=settings_channel, assistant=assistant, image=image), patience, tell_waiting)
    except queue_errors():
        log.warning("queue unreachable while starting a rewrite")
        await _safe_update(client, channel, status["ts"], UNAVAILABLE)
        return Started(False, UNAVAILABLE)
    if told and outcome is not Outcome.BUSY and not outcome.over_quota:  # back to « en file d’attente » (the worker takes it from there)
        await _safe_update(client, channel, status["ts"], blocks.status_message("queued"))
    if outcome is Outcome.BUSY:
        await _safe_update(client, channel, status["ts"], BUSY)
    elif outcome.over_quota:  # a quota filled since the check above
        await _safe_update(client, channel, status["ts"], quota_text(outcome, svc.settings))
    return Started(True)


async def _safe_update(client: AsyncWebClient, channel: str, ts: str, text: str | dict) -> None:
    msg = text if isinstance(text, dict) else blocks.notice_message(text)
    try:
        await client.chat_update(channel=channel, ts=ts, **msg)
    except SlackApiError as exc:
        log.warning("chat.update failed: %s", slack_error(exc))

