"""Messages: a dispatch in a DM, in a mention or in a watched channel; a revision in an article's thread."""
from __future__ import annotations

import logging
import re
import secrets

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error
from jobs.submit import Outcome
from seo.cleaning import MAX_WISH_CHARS, MIN_WORDS, compose_source
from seo.instructions import parse_instruction

from ..files import text_of_files
from ..patience import patiently
from ..replies import (
    BUSY,
    EXPIRED,
    NOT_ALLOWED,
    UNAVAILABLE,
    WAITING,
    queue_errors,
    quota_text,
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


def is_small_talk(text: str) -> bool:
    folded = re.sub(r"[\s!.,;:)(]+", " ", re.sub(r":[a-z0-9_+'-]+:", " ", text.lower())).strip()
    return folded in _SMALL_TALK or not re.search(r"\w", folded)


def register(app, svc: Services) -> None:
    @app.event("app_mention")
    async def on_mention(event, client, context):
        await handle_message(event, client, context, svc, mentioned=True)

    @app.event("message")
    async def on_message(event, client, context):
        await handle_message(event, client, context, svc, mentioned=False)


async def say_in_thread(client, channel: str, thread_ts: str, text: str | dict) -> None:
    """A notice in the thread; `text` may be a ready message ({"text", "blocks"})."""
    msg = text if isinstance(text, dict) else blocks.notice_message(text)
    try:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **msg)
    except SlackApiError as exc:
        log.warning("cannot answer in thread: %s", slack_error(exc))


async def _whisper(client, channel: str, user: str, thread_ts: str | None, text: str) -> None:
    """An answer only `user` sees, in the thread."""
    try:
        await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=text)
    except SlackApiError as exc:
        log.warning("chat.postEphemeral failed: %s", slack_error(exc))


def _too_long(text: str) -> str:
    return (f"Votre demande compte {len(text):,} caractères : une révision en prend "
            f"{MAX_WISH_CHARS:,} au plus. Dites en une ou deux phrases ce qu’il faut changer "
            "(rien n’a été lancé).").replace(",", "\u202f")


async def handle_message(event: dict, client, context, svc: Services, *, mentioned: bool) -> None:
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
    owner = secrets.token_hex(8)
    patience = svc.settings.queue_patience

    try:
        if thread_ts and thread_ts != ts:
            article_id = await patiently(lambda: svc.state.article_for_thread(channel, thread_ts), patience)
            if article_id is None:
                return  # a conversation that is not ours
            if not svc.settings.allowed(user, channel):
                # Said once, to that person only; thanks get no answer at all.
                if text and not is_small_talk(text) and \
                        await svc.state.once(f"not_allowed:{channel}:{thread_ts}:{user}", 86_400):
                    await _whisper(client, channel, user, thread_ts, NOT_ALLOWED)
                return
            # A revision is what the person wrote, never an attached file's content.
            if not text or is_small_talk(text):
                return
            if len(text) > MAX_WISH_CHARS:
                if await patiently(lambda: svc.state.first_delivery(delivery_key, owner), patience):
                    await _whisper(client, channel, user, thread_ts, _too_long(text))
                return
            if not await patiently(lambda: svc.state.first_delivery(delivery_key, owner), patience):
                return
            await _revise(client, svc, channel, thread_ts, article_id, user, text, delivery_key,
                          team=team_of(event, context))
            return

        watched = channel in svc.settings.watch_channels or (
            not is_dm and not mentioned
            and (await patiently(lambda: svc.state.channel_settings(channel), patience)).get("watch"))
        if not (is_dm or mentioned or watched):
            return
        if not svc.settings.allowed(user, channel):
            if is_dm or mentioned:
                await say_in_thread(client, channel, ts, NOT_ALLOWED)
            return
        typed = text
        text = await with_files(text)
        if watched and not (is_dm or mentioned) and len(text.split()) < MIN_WORDS:
            return  # ordinary chat in a watched channel, not a dispatch
        if (is_dm or mentioned) and (not text or len(text.split()) < 8):
            # The whole help, not just its title (the fallback text).
            await say_in_thread(client, channel, ts, blocks.help_blocks(bot_user_id=bot_user_id))
            return
        # Only the person asking (DM, mention) gives wishes, in what they typed; anyone's paste in a
        # watched channel and a snippet's content are dispatch, whole.
        if not (is_dm or mentioned):
            text = compose_source(text)
        elif text != typed:
            text = compose_source(text[len(typed):].strip(), wish=typed)
    except queue_errors():
        await say_in_thread(client, channel, thread_ts or ts, UNAVAILABLE)
        return

    started = await start_rewrite(client, svc, delivery_key=delivery_key, channel=channel, user=user,
                                  source=text, thread_ts=ts, team=team_of(event, context))
    if not started.ok and started.private:
        await _whisper(client, channel, user, ts, started.message)
    elif not started.ok:
        await say_in_thread(client, channel, ts, started.message)


def team_of(event: dict, context) -> str | None:
    """The workspace of the person who wrote (Slack's streaming needs it in channels)."""
    return event.get("user_team") or event.get("team") or context.get("team_id")


async def _revise(client, svc: Services, channel, thread_ts, article_id, user, text, delivery_key,
                  team: str | None = None) -> None:
    intent = parse_instruction(text)
    try:
        outcome = await patiently(lambda: svc.submitter.new_version(
            delivery_key=delivery_key, article_id=article_id, kind=intent.kind, user=user,
            instruction=intent.instruction, keyword=intent.keyword, team=team),
            svc.settings.queue_patience, lambda: say_in_thread(client, channel, thread_ts, WAITING))
    except queue_errors():
        await say_in_thread(client, channel, thread_ts, UNAVAILABLE)
        return
    if outcome is Outcome.BUSY:
        # Once per person and running job, to that person only: the thread stays readable.
        job = await svc.state.thread_job(channel, thread_ts)
        if await svc.state.once(f"busy:{channel}:{thread_ts}:{user}:{job}", svc.settings.job_timeout):
            await _whisper(client, channel, user, thread_ts, BUSY)
    elif outcome.over_quota:
        await _whisper(client, channel, user, thread_ts, quota_text(outcome, svc.settings))
    elif outcome is Outcome.MISSING:
        await say_in_thread(client, channel, thread_ts, EXPIRED)
