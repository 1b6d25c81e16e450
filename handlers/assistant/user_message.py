"""A message in an assistant thread: a dispatch starts the same job as a DM (handlers/start.py),
a reply under the thread's article revises it (handlers/events/messages.py), a suggested prompt
gets its answer. The thread's context decides the settings when the user is in that channel."""
from __future__ import annotations

import logging
import secrets

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error
from jobs.submit import Outcome
from seo.cleaning import MAX_WISH_CHARS, compose_source

from ..events.messages import handle_message, is_small_talk, say_in_thread, team_of
from ..files import text_of_files
from ..patience import patiently
from ..replies import BUSY, EXPIRED, NOT_ALLOWED, UNAVAILABLE, WAITING, queue_errors, quota_text, text_from_slack
from ..services import Services
from ..start import start_rewrite
from .membership import is_channel, is_member

log = logging.getLogger(__name__)

MIN_DISPATCH_WORDS = 8  # shorter: a question or a greeting, not a dispatch (as in a DM)


async def settings_channel_of(client, get_thread_context, user: str) -> str | None:
    """The channel in view, when it is a channel the user is a member of; else None (defaults)."""
    try:
        ctx = await get_thread_context()
    except queue_errors():
        return None
    channel = ctx.channel_id if ctx else None
    if not is_channel(channel):
        return None
    return channel if await is_member(client, channel, user) else None


def listener(svc: Services):
    async def user_message(event, client, context, set_status, get_thread_context):
        if event.get("subtype") not in (None, "file_share") or event.get("bot_id"):
            return
        user, channel, ts, thread_ts = event.get("user"), event.get("channel"), event.get("ts"), event.get("thread_ts")
        bot = context.get("bot_user_id")
        if not user or not channel or not ts or not thread_ts or user == bot:
            return
        typed = text_from_slack(event.get("text") or "", bot)
        prompt = blocks.assistant.prompt_of(typed)
        patience = svc.settings.queue_patience
        try:
            article_id = await patiently(lambda: svc.state.article_for_thread(channel, thread_ts), patience)
        except queue_errors():
            await say_in_thread(client, channel, thread_ts, UNAVAILABLE)
            return
        if article_id is not None:
            await _in_article_thread(event, client, context, svc, article_id, typed, prompt)
            return
        if is_small_talk(typed) and not event.get("files"):
            return  # « merci » under a message that is not an article: nothing to do
        if not svc.settings.allowed(user, channel):
            await say_in_thread(client, channel, thread_ts, NOT_ALLOWED)
            return
        if prompt == "help":
            await say_in_thread(client, channel, thread_ts, blocks.help_blocks(bot_user_id=bot))
            return
        text = typed
        if event.get("files"):  # a long paste arrives as a text snippet
            snippet = await text_of_files(client, event)
            text = compose_source(snippet, wish=typed) if snippet and typed else (snippet or typed)
        if prompt is not None or len(text.split()) < MIN_DISPATCH_WORDS:
            await say_in_thread(client, channel, thread_ts, blocks.assistant.need_dispatch(prompt))
            return
        settings_channel = await settings_channel_of(client, get_thread_context, user)
        status, loading = blocks.assistant.assistant_status("queued")
        try:
            await set_status(status, loading_messages=loading)
        except SlackApiError as exc:  # never worth failing the request
            log.info("assistant.threads.setStatus refused: %s", slack_error(exc))
        except Exception as exc:  # noqa: BLE001 - a network blip neither
            log.info("assistant.threads.setStatus failed: %s", type(exc).__name__)
        started = await start_rewrite(client, svc, delivery_key=f"msg:{channel}:{ts}", channel=channel, user=user,
                                      source=text, thread_ts=thread_ts, team=team_of(event, context),
                                      settings_channel=settings_channel, assistant=True)
        if not started.ok:
            await say_in_thread(client, channel, thread_ts, started.message)

    return user_message


async def _in_article_thread(event, client, context, svc: Services, article_id: str, typed: str,
                             prompt: str | None) -> None:
    channel, thread_ts, user = event["channel"], event["thread_ts"], event["user"]
    if prompt == "help":
        await say_in_thread(client, channel, thread_ts, blocks.help_blocks(bot_user_id=context.get("bot_user_id")))
        return
    if prompt == "rewrite" or len(typed) > MAX_WISH_CHARS or event.get("files"):
        try:
            rec = await svc.state.article(article_id)
        except queue_errors():
            rec = None
        if rec is not None and rec.assistant:  # a second dispatch: one article per assistant thread
            await say_in_thread(client, channel, thread_ts, blocks.assistant.new_thread_hint())
            return
    if prompt in ("titles", "social"):  # the buttons' jobs, on the latest version
        if not svc.settings.allowed(user, channel):
            await say_in_thread(client, channel, thread_ts, NOT_ALLOWED)
            return
        key, owner = f"msg:{channel}:{event['ts']}", secrets.token_hex(8)
        try:
            if not await patiently(lambda: svc.state.first_delivery(key, owner), svc.settings.queue_patience):
                return
            outcome = await patiently(lambda: svc.submitter.new_version(
                delivery_key=key, article_id=article_id, kind=prompt, user=user, team=team_of(event, context)),
                svc.settings.queue_patience, lambda: say_in_thread(client, channel, thread_ts, WAITING))
        except queue_errors():
            await say_in_thread(client, channel, thread_ts, UNAVAILABLE)
            return
        if outcome is Outcome.BUSY:
            await say_in_thread(client, channel, thread_ts, BUSY)
        elif outcome is Outcome.MISSING:
            await say_in_thread(client, channel, thread_ts, EXPIRED)
        elif outcome.over_quota:
            await say_in_thread(client, channel, thread_ts, quota_text(outcome, svc.settings))
        return
    await handle_message(event, client, context, svc, mentioned=False)  # a revision, as in any article thread
