"""The article written into the thread while the model writes it (chat.startStream / appendStream /
stopStream), paced to stay within Slack's per-workspace rate limits.

One `Streamer` per worker process; one `LiveStream` per job. The engine hands each new piece of the
draft's Markdown to `LiveStream.feed`, which only buffers it: a pump task sends it to Slack.

Pacing (DESIGN.md, "Streaming"):
- a stream starts with its first words (`markdown_text` of startStream), so the first words need
  no append;
- appends: at most one a second per stream, and a shared per-workspace budget (token bucket inside
  a sliding window, Tier 4: about 100 a minute); a stream waiting for the budget sends everything
  that accumulated meanwhile in one larger append; `ratelimited` pauses the workspace for its
  Retry-After and the text stays buffered (it goes with the next append, the stop or the update);
- startStream / stopStream (Tier 2, about 20 a minute each): a stream starts only if its start and
  its stop both fit the budget (the stop is reserved until it is made), otherwise the job is not
  streamed and its article is posted whole, at once. These calls go through a client without the
  retry handlers that sleep on Retry-After.

Mentions are neutralised as in blockkit (no <!channel>, <@U…>, @here pings): the text is
neutralised as a whole, holding back a trailing "<" or "@word" until the next piece shows
whether it becomes a mention.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import deque
from typing import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

import blockkit as blocks

from .publisher import slack_error

log = logging.getLogger(__name__)

MIN_APPEND_INTERVAL = 1.0       # seconds between two appends of one stream
STREAM_CAP = 11_500             # markdown chars streamed into one message (Slack: 12 000)
WINDOW = 60.0                   # Slack's rate-limit window
WINDOW_MARGIN = 2.0             # our clock and Slack's differ by a request's latency
DISABLE_FOR = 900.0             # how long "streaming is not possible here" is remembered

# Errors saying streaming cannot be used for this app, workspace or channel: today's behaviour.
WORKSPACE_REFUSALS = {"unknown_method", "not_allowed_token_type", "missing_scope", "invalid_auth",
                      "not_authed", "account_inactive", "token_revoked", "no_permission",
                      "method_deprecated", "feature_not_enabled", "access_denied", "team_access_not_granted"}
CHANNEL_REFUSALS = {"channel_type_not_supported", "not_in_channel", "channel_not_found", "is_archived",
                    "restricted_action", "cannot_reply_to_message", "thread_not_found"}

_HELD_TAIL = re.compile(r"(?:<|@[A-Za-z]{0,9})$")


class Window:
    """Calls of one method in one workspace over the last WINDOW (+ margin) seconds, plus calls
    reserved ahead (a started stream's stop). Invariant kept: recent + reserved <= limit, so no
    window of Slack's ever holds more than `limit` calls."""

    def __init__(self, limit: int, span: float = WINDOW + WINDOW_MARGIN):
        self.limit = limit
        self.span = span
        self.calls: deque[float] = deque()
        self.reserved = 0
        self.paused_until = 0.0

    def _prune(self, now: float) -> None:
        while self.calls and self.calls[0] <= now - self.span:
            self.calls.popleft()

    def room(self, now: float) -> int:
        if now < self.paused_until:
            return 0
        self._prune(now)
        return self.limit - len(self.calls) - self.reserved

    def next_free(self, now: float) -> float:
        """When one more call fits (now if it fits already)."""
        if self.room(now) > 0:
            return now
        at = max(now, self.paused_until)
        if len(self.calls) + self.reserved >= self.limit and self.calls:
            at = max(at, self.calls[0] + self.span)
        return at

    def take(self, now: float) -> None:
        self.calls.append(now)

    def reserve(self) -> None:
        self.reserved += 1

    def use_reserved(self, now: float) -> None:
        self.reserved = max(self.reserved - 1, 0)
        self.calls.append(now)

    def release(self) -> None:
        self.reserved = max(self.reserved - 1, 0)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)


class Workspace:
    """One workspace's budgets, shared by every stream of this process in that workspace."""

    def __init__(self, appends_per_min: int, starts_per_min: int, stops_per_min: int):
        self.starts = Window(starts_per_min)
        self.stops = Window(stops_per_min)
        self.appends = Window(appends_per_min)
        # Smooth appends: a small burst, then a steady rate, within the window's limit.
        self.burst = max(1, min(10, appends_per_min // 10))
        self.rate = max(appends_per_min - self.burst, 1) / (WINDOW + WINDOW_MARGIN)
        self.tokens = float(self.burst)
        self.refilled = time.monotonic()
        self._fifo = asyncio.Lock()  # first come, first served

    def admit_stream(self) -> bool:
        """Take a start and reserve its stop, if both fit; else the job is posted whole."""
        now = time.monotonic()
        if self.starts.room(now) < 1 or self.stops.room(now) < 1:
            return False
        self.starts.take(now)
        self.stops.reserve()
        return True

    async def append_slot(self) -> None:
        async with self._fifo:
            while True:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.rate)
                self.refilled = now
                at = self.appends.next_free(now)
                if self.tokens < 1:
                    at = max(at, now + (1 - self.tokens) / self.rate)
                if at <= now:
                    self.tokens -= 1
                    self.appends.take(now)
                    return
                await asyncio.sleep(at - now)


def _retry_after(exc: SlackApiError) -> float:
    try:
        return max(float(exc.response.headers.get("Retry-After", 1)), 0.5)
    except (TypeError, ValueError, AttributeError):
        return 1.0


class Streamer:
    """The worker's streaming side: budgets per workspace, refusals remembered, one client
    without sleeping retry handlers."""

    def __init__(self, client: AsyncWebClient, *, appends_per_min: int = 100, starts_per_min: int = 20,
                 stops_per_min: int | None = None):
        self.client = client
        self.limits = (appends_per_min, starts_per_min, stops_per_min or starts_per_min)
        self.workspaces: dict[str, Workspace] = {}
        self._refused: dict[str, float] = {}  # team or channel -> until (monotonic)
        self._team: str | None = None
        self.stats = {"started": 0, "not_admitted": 0, "refused": 0, "appends": 0, "ratelimited": 0}

    def workspace(self, team: str) -> Workspace:
        ws = self.workspaces.get(team)
        if ws is None:
            ws = self.workspaces[team] = Workspace(*self.limits)
        return ws

    def refused(self, *keys: str) -> bool:
        now = time.monotonic()
        return any(self._refused.get(k, 0) > now for k in keys if k)

    def refuse(self, key: str) -> None:
        self._refused[key] = time.monotonic() + DISABLE_FOR

    async def default_team(self) -> str | None:
        if self._team is None:
            try:
                self._team = (await self.client.auth_test()).get("team_id")
            except SlackApiError as exc:
                log.info("auth.test failed: %s", slack_error(exc))
        return self._team

    async def open(self, *, channel: str, thread_ts: str, user: str, team: str | None,
                   on_started: Callable[[str], Awaitable[None]]) -> "LiveStream | None":
        """A stream for one job, or None when streaming is not possible here (then: today's way)."""
        team = team or await self.default_team()
        if not team or self.refused(f"team:{team}", f"channel:{channel}"):
            return None
        return LiveStream(self, self.workspace(team), channel=channel, thread_ts=thread_ts, user=user,
                          team=team, on_started=on_started)

    async def stop_quietly(self, channel: str, ts: str, team: str | None, **kwargs) -> bool:
        """Stop a stream left open by a crashed run, if the budget allows; never raises."""
        ws = self.workspace(team or await self.default_team() or "-")
        now = time.monotonic()
        if ws.stops.room(now) < 1:
            return False
        ws.stops.take(now)
        try:
            await self.client.chat_stopStream(channel=channel, ts=ts, **kwargs)
            return True
        except SlackApiError as exc:
            log.info("stopping an earlier stream: %s", slack_error(exc))
        except Exception as exc:  # noqa: BLE001 - best effort
            log.info("stopping an earlier stream: %r", exc)
        return False


class LiveStream:
    """The streamed message of one job."""

    def __init__(self, streamer: Streamer, ws: Workspace, *, channel: str, thread_ts: str, user: str,
                 team: str, on_started: Callable[[str], Awaitable[None]]):
        self.streamer = streamer
        self.client = streamer.client
        self.ws = ws
        self.channel = channel
        self.thread_ts = thread_ts
        self.user = user
        self.team = team
        self.on_started = on_started
        self.raw = ""          # what the engine gave, as is
        self.sent = ""         # neutralised text Slack accepted
        self.ts: str | None = None
        # waiting (no text yet) | live | stuck (no more appends; the stream may be open) |
        # closed (we stopped it) | lost (Slack closed it) | off (never started)
        self.state = "waiting"
        self.stopped_with_blocks = False
        self.dirty = False     # Slack's copy may differ from `sent` (an append with no clear answer)
        self.appends = 0
        self.ratelimited = 0
        self._last = 0.0
        self._wake = asyncio.Event()
        self._closing = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._fed_at = 0.0

    # -- fed by the engine (must stay cheap: it runs inside the LLM stream) --------------------
    async def feed(self, chunk: str) -> None:
        if not chunk or self._closing.is_set():
            return
        self.raw += chunk
        if self._task is None:
            self._fed_at = time.monotonic()
            self._task = asyncio.create_task(self._pump())
        self._wake.set()

    def _delta(self, *, final: bool = False) -> str:
        end = len(self.raw)
        if not final:
            m = _HELD_TAIL.search(self.raw)
            if m:
                end = m.start()
        text = blocks.neutralize_markdown(self.raw[:end])[:STREAM_CAP]
        if not text.startswith(self.sent):  # cannot happen with whole-prefix neutralisation
            self.dirty = True
            return ""
        return text[len(self.sent):]

    # -- the pump ----------------------------------------------------------------------------
    async def _until(self, aw, timeout: float | None = None) -> bool:
        """Await `aw` unless the stream is closing first; True if `aw` completed."""
        task = asyncio.ensure_future(aw)
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            done, _ = await asyncio.wait({task, closing}, timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            closing.cancel()
        if task in done:
            return True
        task.cancel()
        return False

    async def _pump(self) -> None:
        try:
            await self._start()
            while self.state == "live" and not self._closing.is_set():
                if not await self._until(self._wake.wait()):
                    break
                self._wake.clear()
                delay = self._last + MIN_APPEND_INTERVAL - time.monotonic()
                if delay > 0:
                    await self._until(asyncio.sleep(delay))
                if self._closing.is_set() or not self._delta():
                    continue
                if not await self._until(self.ws.append_slot()):
                    break
                delta = self._delta()  # everything that came while waiting: one larger append
                if delta:
                    await self._append(delta)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a stream problem must never fail the job
            log.exception("stream pump failed")
            self.dirty = True
            if self.state == "live":
                self.state = "stuck"

    async def _start(self) -> None:
        while not self._delta():
            if not await self._until(self._wake.wait()):
                self.state = "off"
                return
            self._wake.clear()
        if not self.ws.admit_stream():
            self.state = "off"
            self.streamer.stats["not_admitted"] += 1
            log.info("start/stop budget spent: this article is posted whole")
            return
        first = self._delta()
        try:
            resp = await self.client.chat_startStream(
                channel=self.channel, thread_ts=self.thread_ts, markdown_text=first,
                recipient_user_id=self.user, recipient_team_id=self.team)
        except SlackApiError as exc:
            self.ws.stops.release()
            self.state = "off"
            err = slack_error(exc)
            if err == "ratelimited":
                self.ws.starts.pause(_retry_after(exc))
                self.streamer.stats["not_admitted"] += 1
            elif err in WORKSPACE_REFUSALS:
                self.streamer.refuse(f"team:{self.team}")
                self.streamer.stats["refused"] += 1
            elif err in CHANNEL_REFUSALS:
                self.streamer.refuse(f"channel:{self.channel}")
                self.streamer.stats["refused"] += 1
            log.info("no streaming here (%s): the article is posted whole", err)
            return
        except Exception as exc:  # noqa: BLE001 - network: post whole
            self.ws.stops.release()
            self.state = "off"
            log.warning("chat.startStream failed (%r): the article is posted whole", exc)
            return
        log.info("stream started: first words shown %.0f ms after the model's",
                 (time.monotonic() - self._fed_at) * 1000)
        self.ts = resp["ts"]
        self.sent = first
        self._last = time.monotonic()
        self.state = "live"
        self.streamer.stats["started"] += 1
        await self.on_started(self.ts)

    async def _append(self, delta: str) -> None:
        try:
            await self.client.chat_appendStream(channel=self.channel, ts=self.ts, markdown_text=delta)
        except SlackApiError as exc:
            err = slack_error(exc)
            if err == "ratelimited":  # the text stays buffered: next append, the stop or the update
                self.ratelimited += 1
                self.streamer.stats["ratelimited"] += 1
                self.ws.appends.pause(_retry_after(exc))
                self._wake.set()
                return
            if err == "message_not_in_streaming_state":
                self.state = "lost"
                self.ws.stops.release()
            else:
                log.warning("chat.appendStream failed: %s", err)
                self.state = "stuck"
            return
        except Exception as exc:  # noqa: BLE001 - unknown outcome: the final update will say it all
            log.warning("chat.appendStream failed: %r", exc)
            self.dirty = True
            self.state = "stuck"
            return
        self.sent += delta
        self.appends += 1
        self.streamer.stats["appends"] += 1
        self._last = time.monotonic()
        if len(self.sent) >= STREAM_CAP:
            self.state = "stuck"  # the rest goes into the final message(s)

    async def _halt(self) -> None:
        self._closing.set()
        self._wake.set()
        if self._task is not None:
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _stop(self, *, with_rest: bool, blocks_: list | None, metadata: dict | None = None,
                    target: str | None = None) -> bool:
        """chat.stopStream with the rest of the text; False if Slack had already closed it.
        `target`: the text the message should end up showing; when what was streamed is a prefix
        of it, the stop sends the rest of `target` (e.g. the credit line) instead of the draft's."""
        if self.state not in ("live", "stuck"):
            return False
        rest = ""
        if with_rest and self.state == "live" and not self.dirty:
            if target is not None and target.startswith(self.sent) and len(target) <= STREAM_CAP:
                rest = target[len(self.sent):]
            else:
                rest = self._delta(final=True)
        kwargs = {}
        if rest:
            kwargs["markdown_text"] = rest
        if blocks_:
            kwargs["blocks"] = blocks_
        if metadata:
            kwargs["metadata"] = metadata
        try:
            await self.client.chat_stopStream(channel=self.channel, ts=self.ts, **kwargs)
        except SlackApiError as exc:
            self.ws.stops.release()
            err = slack_error(exc)
            if err == "ratelimited":
                self.ws.stops.pause(_retry_after(exc))
            log.info("chat.stopStream failed: %s (the message is finished with chat.update)", err)
            self.state = "lost"
            return False
        except Exception as exc:  # noqa: BLE001
            self.ws.stops.release()
            log.warning("chat.stopStream failed: %r", exc)
            self.dirty = True
            self.state = "lost"
            return False
        self.ws.stops.use_reserved(time.monotonic())
        self.sent += rest
        self.state = "closed"
        self.stopped_with_blocks = bool(blocks_)
        return True

    # -- what the runner calls ---------------------------------------------------------------
    @property
    def started(self) -> bool:
        return self.ts is not None

    async def label_draft(self) -> None:
        """The draft goes back for corrections: finish streaming it, labelled as unverified."""
        await self._halt()
        await self._stop(with_rest=True, blocks_=blocks.draft_label_blocks())

    async def finalize(self, messages: list[dict], stop_blocks: list[dict], expected_markdown: str,
                       metadata: dict) -> bool:
        """Stop the stream so that its message can become the article's first message. True when
        it already is (stopped with the article's blocks, showing exactly the checked text);
        False when the caller must replace it in place with chat.update (a repair, code fixes
        such as typography, a longer article, a stream Slack closed, text Slack may have missed)."""
        await self._halt()
        if self.ts is None:
            return False
        single = len(messages) == 1
        target = blocks.neutralize_markdown(expected_markdown).rstrip()
        # The article's buttons go on the streamed message only when it can end showing exactly the
        # checked text. Otherwise (code fixes such as a quotation put back to the source's words,
        # a longer article) it ends labelled as a draft under verification until chat.update
        # replaces it: an unverified draft never looks like the article, even for a moment.
        becomes_article = (single and self.state == "live" and not self.dirty
                           and target.startswith(self.sent) and len(target) <= STREAM_CAP)
        if self.state in ("live", "stuck"):
            if becomes_article:
                await self._stop(with_rest=True, blocks_=stop_blocks, metadata=metadata, target=target)
            else:
                await self._stop(with_rest=True, blocks_=blocks.draft_label_blocks(), metadata=metadata)
        return (becomes_article and self.state == "closed" and self.stopped_with_blocks and not self.dirty
                and self.sent.rstrip() == target)

    async def abandon(self) -> None:
        """The job stops here (a crash, a shutdown): no more Slack calls; the message stays for the
        re-run to replace, and the stop this stream reserved goes back to the budget."""
        self._closing.set()
        self._wake.set()
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.state in ("live", "stuck"):
            self.ws.stops.release()
            self.state = "lost"

    async def discard(self) -> None:
        """The job failed: no half article left in the thread."""
        await self._halt()
        if self.ts is None:
            return
        await self._stop(with_rest=False, blocks_=None)
        try:
            await self.client.chat_delete(channel=self.channel, ts=self.ts)
        except SlackApiError as exc:
            log.info("could not delete the streamed draft: %s", slack_error(exc))
