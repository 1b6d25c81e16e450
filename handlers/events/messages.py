"""Messages: a dispatch in a DM, in a mention or in a watched channel; a revision in an article's thread."""
from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error
from jobs.submit import Outcome
from seo.cleaning import MIN_WORDS
from seo.instructions import parse_instruction

from ..files import text_of_files
from ..replies import (
    BUSY,
    EXPIRED,
    NOT_ALLOWED,
    UNAVAILABLE,
    queue_errors,
    text_from_slack,
)
from ..services import Services
from ..start import start_rewrite

log = logging.getLogger(__name__)

# Message subtypes that are not a person writing something new.
_IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join", "channel_leave",
                     "channel_topic", "channel_purpose", "channel_name", "thread_broadcast_removed",
                     "message_replied", "assistant_app_thread", "group_join", "group_leave", "pinned_item",
                     "channel_archive", "channel_unarchive", "ekm_access_denied", "tombstone"}


# Thread replies that thank rather than ask: not a revision request.
_SMALL_TALK = {"merci", "merci beaucoup", "merci !", "top", "parfait", "super", "ok", "okay", "d'accord",
               "d’accord", "génial", "bravo", "nickel", "thanks", "thank you", "cool", "excellent", "impeccable"}


def _is_small_talk(text: str) -> bool:
    folded = re.sub(r"[\s!.,;:)(]+", " ", re.sub(r":[a-z0-9_+'-]+:", " ", text.lower())).strip()
    return folded in _SMALL_TALK or not re.search(r"\w", folded)


def register(app, svc: Services) -> None:
    @app.event("app_mention")
    async def on_mention(event, client, context):
        await _handle(event, client, context, svc, mentioned=True)

    @app.event("message")
    async def on_message(event, client, context):
        await _handle(event, client, context, svc, mentioned=False)


async def _say(client, channel: str, thread_ts: str, text: str | dict) -> None:
    """A notice in the thread; `text` may be a ready message ({"text", "blocks"})."""
    msg = text if isinstance(text, dict) else blocks.notice_message(text)
    try:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **msg)
    except SlackApiError as exc:
        log.warning("cannot answer in thread: %s", slack_error(exc))


async def _handle(event: dict, client, context, svc: Services, *, mentioned: bool) -> None:
    if event.get("subtype") in _IGNORED_SUBTYPES or event.get("bot_id") or event.get("hidden"):
        return
    user, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
    bot_user_id = context.get("bot_user_id")
    if not user or not channel or not ts or user == bot_user_id:
        return
    raw = event.get("text") or ""
    is_dm = event.get("channel_type") == "im" or channel.startswith("D")
    names_us = bool(bot_user_id) and f"<@{bot_user_id}" in raw
    if not mentioned and names_us and not is_dm:
        return  # the app_mention event for the same message handles it
    text = text_from_slack(raw, bot_user_id)

    async def with_files(text: str) -> str:
        """A long paste arrives as a text snippet: read it, once we know the message is ours."""
        if not event.get("files"):
            return text
        snippet = await text_of_files(client, event)
        return f"{text}\n\n{snippet}".strip() if snippet else text

    thread_ts = event.get("thread_ts")
    # The same message reaches us as `message` and as `app_mention`, maybe retried: one key for all.
    delivery_key = f"msg:{channel}:{ts}"

    try:
        if thread_ts and thread_ts != ts:
            article_id = await svc.state.article_for_thread(channel, thread_ts)
            if article_id is None:
                return  # a conversation that is not ours
            if not svc.settings.allowed(user, channel):
                await _say(client, channel, thread_ts, NOT_ALLOWED)
                return
            text = await with_files(text)
            if not text or _is_small_talk(text):
                return
            if not await svc.state.first_delivery(delivery_key):
                return
            await _revise(client, svc, channel, thread_ts, article_id, user, text, delivery_key,
                          team=_team(event, context))
            return

        watched = channel in svc.settings.watch_channels or (
            not is_dm and not mentioned and (await svc.state.channel_settings(channel)).get("watch"))
        if not (is_dm or mentioned or watched):
            return
        if not svc.settings.allowed(user, channel):
            if is_dm or mentioned:
                await _say(client, channel, ts, NOT_ALLOWED)
            return
        text = await with_files(text)
        if watched and not (is_dm or mentioned) and len(text.split()) < MIN_WORDS:
            return  # ordinary chat in a watched channel, not a dispatch
        if (is_dm or mentioned) and (not text or len(text.split()) < 8):
            # The whole help, not just its title (the fallback text).
            await _say(client, channel, ts, blocks.help_blocks(bot_user_id=bot_user_id))
            return
    except queue_errors():
        await _say(client, channel, thread_ts or ts, UNAVAILABLE)
        return

    started = await start_rewrite(client, svc, delivery_key=delivery_key, channel=channel, user=user,
                                  source=text, thread_ts=ts, team=_team(event, context))
    if not started.ok:
        await _say(client, channel, ts, started.message)


def _team(event: dict, context) -> str | None:
    """The workspace of the person who wrote (Slack's streaming needs it in channels)."""
    return event.get("user_team") or event.get("team") or context.get("team_id")


async def _revise(client, svc: Services, channel, thread_ts, article_id, user, text, delivery_key,
                  team: str | None = None) -> None:
    intent = parse_instruction(text)
    try:
        outcome = await svc.submitter.new_version(
            delivery_key=delivery_key, article_id=article_id, kind=intent.kind, user=user,
            instruction=intent.instruction, keyword=intent.keyword, team=team)
    except queue_errors():
        await _say(client, channel, thread_ts, UNAVAILABLE)
        return
    if outcome is Outcome.BUSY:
        await _say(client, channel, thread_ts, BUSY)
    elif outcome is Outcome.MISSING:
        await _say(client, channel, thread_ts, EXPIRED)
