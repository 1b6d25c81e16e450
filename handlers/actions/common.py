"""What every button listener needs: who clicked where, and a private answer."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError

from jobs.publisher import slack_error
from jobs.submit import Outcome

from ..patience import patiently
from ..replies import BUSY, ELSEWHERE, EXPIRED, NOT_ALLOWED, UNAVAILABLE, WAITING, queue_errors, quota_text

log = logging.getLogger(__name__)


def click_context(body: dict) -> tuple[str, str, str | None]:
    user = (body.get("user") or {}).get("id")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    message = body.get("message") or {}
    thread_ts = message.get("thread_ts") or (body.get("container") or {}).get("thread_ts")
    return user, channel, thread_ts


def click_team(body: dict) -> str | None:
    """The clicker's workspace (Slack's streaming needs it in channels)."""
    return (body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id")


def delivery_key(body: dict, action: dict) -> str:
    """One key per click: a double click or a redelivery has the same trigger."""
    return f"click:{body.get('trigger_id') or action.get('action_ts')}"


async def allowed_click(svc, client, body: dict) -> tuple[str, str, str | None] | None:
    """(user, channel, thread_ts) when the clicker may use the bot; else says so and returns None."""
    user, channel, thread_ts = click_context(body)
    if not svc.settings.allowed(user, channel):
        await whisper(client, body, NOT_ALLOWED)
        return None
    return user, channel, thread_ts


async def article_here(svc, client, body: dict, article_id: str):
    """The article's record when it belongs to the thread where the click happened; else says so
    (expired, or a button value that points at another channel's or thread's article) and returns None."""
    _, channel, thread_ts = click_context(body)
    rec = await svc.state.article(article_id)
    if rec is None:
        await whisper(client, body, EXPIRED)
        return None
    if (rec.channel, rec.thread_ts) != (channel, thread_ts):
        log.warning("click on article %s from another place refused", article_id)
        await whisper(client, body, ELSEWHERE)
        return None
    return rec


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


async def run_click(svc, client, body: dict, submit: Callable[[], Awaitable[Outcome | str | None]], *,
                    busy: str = BUSY) -> Outcome | None:
    """Runs a click's Redis steps (`submit`, idempotent), waiting out a Redis blip, and answers the
    clicker privately whatever is not a start: a French text `submit` returned, busy, over a quota,
    expired, Redis still down. None: nothing more to say (double click, told already)."""
    try:
        outcome = await patiently(submit, svc.settings.queue_patience, lambda: whisper(client, body, WAITING))
    except queue_errors():
        await whisper(client, body, UNAVAILABLE)
        return None
    if outcome is None:  # a double click, a redelivery, or already answered
        return None
    if not isinstance(outcome, Outcome):  # a French answer (Outcome is a str enum: test it first)
        await whisper(client, body, outcome)
        return None
    if outcome is Outcome.BUSY:
        await whisper(client, body, busy)
    elif outcome.over_quota:
        await whisper(client, body, quota_text(outcome, svc.settings))
    elif outcome is Outcome.MISSING:
        await whisper(client, body, EXPIRED)
    return outcome
