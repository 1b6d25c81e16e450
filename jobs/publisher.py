"""Posting to Slack from a worker: idempotent across re-runs, honest about Slack errors.

A message part is recorded once posted; a re-run after a crash skips it. For the
narrow window between a post and its record, each message carries Slack message
metadata (job id and part), and the thread is searched before posting again.
"""
from __future__ import annotations

import logging
import re

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .state import State

log = logging.getLogger(__name__)

# The channel cannot take our messages: the job ends cleanly, the user is told elsewhere.
FATAL_CHANNEL_ERRORS = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action",
                        "cannot_reply_to_message", "thread_not_found", "ekm_access_denied"}
METADATA_EVENT = "seo_fr_message"
# Errors that say this app or workspace has no assistant threads: stop asking.
_NO_ASSISTANT = {"unknown_method", "missing_scope", "not_allowed_token_type", "not_allowed"}


class ChannelUnavailable(Exception):
    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


def slack_error(exc: SlackApiError) -> str:
    try:
        return exc.response.get("error") or "unknown"
    except Exception:
        return "unknown"


class Publisher:
    def __init__(self, client: AsyncWebClient, state: State):
        self.client = client
        self.state = state

    async def post_once(self, job_id: str, part: str, *, channel: str, thread_ts: str | None,
                        text: str, blocks: list | None = None) -> str:
        """Post a message at most once per (job, part); returns its ts."""
        done = await self.state.job_get(job_id, f"posted:{part}")
        if done:
            return done
        if not await self.state.job_claim(job_id, f"intent:{part}"):
            # An earlier run may have posted before recording it: look for our own metadata.
            found = await self._find_posted(channel, thread_ts, job_id, part)
            if found:
                await self.state.job_set(job_id, f"posted:{part}", found)
                return found
        try:
            resp = await self.client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=text, blocks=blocks,
                unfurl_links=False, unfurl_media=False,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"job": job_id, "part": part}},
            )
        except SlackApiError as exc:
            err = slack_error(exc)
            if err in FATAL_CHANNEL_ERRORS:
                raise ChannelUnavailable(err) from exc
            raise
        ts = resp["ts"]
        await self.state.job_set(job_id, f"posted:{part}", ts)
        return ts

    async def _find_posted(self, channel: str, thread_ts: str | None, job_id: str, part: str) -> str | None:
        if not thread_ts:
            return None
        try:
            cursor = None
            for _ in range(10):
                resp = await self.client.conversations_replies(
                    channel=channel, ts=thread_ts, include_all_metadata=True, limit=200, cursor=cursor)
                for msg in resp.get("messages", []):
                    meta = msg.get("metadata") or {}
                    payload = meta.get("event_payload") or {}
                    if meta.get("event_type") == METADATA_EVENT and payload.get("job") == job_id \
                            and str(payload.get("part")) == str(part):
                        return msg["ts"]
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as exc:
            log.warning("could not search the thread for an earlier post: %s", slack_error(exc))
        return None

    async def update(self, channel: str, ts: str, *, text: str, blocks: list | None = None) -> bool:
        """Best effort (status lines): a failure is logged, never fatal."""
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks or [])
            return True
        except SlackApiError as exc:
            log.warning("chat.update failed: %s", slack_error(exc))
            return False

    async def assistant_status(self, channel: str, thread_ts: str, status: str,
                               loading_messages: list[str] | None = None) -> None:
        """assistant.threads.setStatus, where Slack has it (assistant threads); best effort: no
        failure (Slack's refusal, a network error) ever fails the job."""
        if getattr(self, "_no_assistant", False):
            return
        plain = re.sub(r":[a-z0-9_+'-]+:\s*", "", status).strip()  # no emoji codes there
        try:
            await self.client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread_ts,
                                                          status=plain[:50], loading_messages=loading_messages)
        except SlackApiError as exc:
            if slack_error(exc) in _NO_ASSISTANT:
                self._no_assistant = True  # this app or workspace has no assistant threads
            log.info("assistant.threads.setStatus unavailable: %s", slack_error(exc))
        except Exception as exc:  # noqa: BLE001 - a status line is never worth a failed job
            log.info("assistant.threads.setStatus failed: %s", type(exc).__name__)

    async def assistant_title(self, channel: str, thread_ts: str, title: str) -> None:
        """assistant.threads.setTitle (the thread's name in the assistant's history); best effort."""
        title = re.sub(r"[ \t\r\n]+", " ", str(title or "")).strip()  # no-break spaces stay
        if not title or getattr(self, "_no_assistant_title", False):
            return
        try:
            await self.client.assistant_threads_setTitle(channel_id=channel, thread_ts=thread_ts,
                                                         title=title[:255])
        except SlackApiError as exc:
            if slack_error(exc) in _NO_ASSISTANT:
                self._no_assistant_title = True
            log.info("assistant.threads.setTitle unavailable: %s", slack_error(exc))
        except Exception as exc:  # noqa: BLE001
            log.info("assistant.threads.setTitle failed: %s", type(exc).__name__)

    async def tell_user(self, user: str, text: str) -> None:
        """A direct message, for when the channel itself cannot be reached."""
        try:
            await self.client.chat_postMessage(channel=user, text=text)
        except SlackApiError as exc:
            log.warning("could not DM the user: %s", slack_error(exc))
