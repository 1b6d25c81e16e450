"""One job's live stream: the article written into the thread while the model writes it
(chat.startStream / appendStream / stopStream), finished with chat.update when Slack's copy cannot
become the article.

The engine hands each new piece of the draft's Markdown to `LiveStream.feed`, which only buffers
it: a pump task sends it to Slack, within its workspace's budgets, shared by every worker
(`jobs.limits`, through `budget.TeamBudget`):
- a stream starts with its first words (`markdown_text` of startStream), so the first words need
  no append;
- at most one append a second per stream; a stream waiting for the budget sends everything that
  accumulated meanwhile in one larger append; after `ratelimited` the text stays buffered (it goes
  with the next append, the stop or the update);
- a stream starts only if its start and its stop both fit the budget, otherwise the job is not
  streamed and its article is posted whole, at once.

Mentions are neutralised as in blockkit (no <!channel>, <@U…>, @here pings): the text is
neutralised as a whole, holding back a trailing "<" or "@word" until the next piece shows
whether it becomes a mention.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import TYPE_CHECKING, Awaitable, Callable

from slack_sdk.errors import SlackApiError

import blockkit as blocks

from ..publisher import slack_error
from .budget import TeamBudget, retry_after

if TYPE_CHECKING:
    from .streamer import Streamer

log = logging.getLogger(__name__)

MIN_APPEND_INTERVAL = 1.0       # seconds between two appends of one stream
STREAM_CAP = 11_500             # markdown chars streamed into one message (Slack: 12 000)

# Errors saying streaming cannot be used for this app, workspace or channel: today's behaviour.
WORKSPACE_REFUSALS = {"unknown_method", "not_allowed_token_type", "missing_scope", "invalid_auth",
                      "not_authed", "account_inactive", "token_revoked", "no_permission",
                      "method_deprecated", "feature_not_enabled", "access_denied", "team_access_not_granted"}
CHANNEL_REFUSALS = {"channel_type_not_supported", "not_in_channel", "channel_not_found", "is_archived",
                    "restricted_action", "cannot_reply_to_message", "thread_not_found"}

_HELD_TAIL = re.compile(r"(?:<|@[A-Za-z]{0,9})$")
# A start in chunk mode (the plan of steps) refused with one of these: start again in plain
# Markdown, and stop asking this workspace for a plan.
CHUNK_REFUSALS = {"invalid_chunks", "invalid_arguments", "invalid_chunk_type", "unsupported_chunk_type",
                  "invalid_task_display_mode", "not_supported"}


class LiveStream:
    """The streamed message of one job."""

    def __init__(self, streamer: Streamer, ws: TeamBudget, *, channel: str, thread_ts: str, user: str,
                 team: str, on_started: Callable[[str], Awaitable[None]], steps: bool = False):
        self.streamer = streamer
        # An assistant thread shows the job's steps as a plan (task_update chunks); every text
        # call of this stream is then in chunk mode (Slack refuses mixing the two modes).
        self.steps = steps and not streamer.refused(f"steps:{team}")
        self._plan_at = 0          # index of the task in progress
        self._tasks_sent: dict[str, str] = {}  # task id -> status Slack has
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
        self._rid: str | None = None  # the stop reserved when the stream started (jobs.limits)

    # -- fed by the engine (must stay cheap: it runs inside the LLM stream) --------------------
    async def feed(self, chunk: str) -> None:
        if not chunk or self._closing.is_set():
            return
        self.raw += chunk
        if self._task is None:
            self._fed_at = time.monotonic()
            self._task = asyncio.create_task(self._pump())
        self._wake.set()

    def step(self, step: str) -> None:
        """The job reached `step` (seo.pipeline progress): the plan moves on with the next call."""
        at = blocks.assistant.plan_position(step)
        if self.steps and at is not None and at > self._plan_at:
            self._plan_at = at
            self._wake.set()

    def _task_chunks(self, *, done: bool = False) -> list[dict]:
        """task_update chunks for the tasks whose status Slack does not have yet."""
        out = []
        for i, (task_id, title) in enumerate(blocks.assistant.PLAN_STEPS):
            status = "complete" if done or i < self._plan_at else "in_progress" if i == self._plan_at else "pending"
            if self._tasks_sent.get(task_id) != status:
                out.append({"type": "task_update", "id": task_id, "title": title, "status": status})
        return out

    def _text_args(self, text: str, *, done: bool = False, first: bool = False) -> dict:
        """The text (and the plan's news) of one call, as Markdown or as chunks."""
        if not self.steps:
            return {"markdown_text": text} if text else {}
        chunks = [{"type": "plan_update", "title": blocks.assistant.PLAN_TITLE}] if first else []
        chunks += self._task_chunks(done=done)
        if text:
            chunks.append({"type": "markdown_text", "text": text})
        return {"chunks": chunks} if chunks else {}

    def _sent_tasks(self, args: dict) -> None:
        for c in args.get("chunks") or []:
            if c["type"] == "task_update":
                self._tasks_sent[c["id"]] = c["status"]

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
                if self._closing.is_set() or not (self._delta() or self._plan_moved()):
                    continue
                if not await self._until(self.ws.append_slot()):
                    break
                delta = self._delta()  # everything that came while waiting: one larger append
                if delta or self._plan_moved():
                    await self._append(delta)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a stream problem must never fail the job
            log.exception("stream pump failed")
            self.dirty = True
            if self.state == "live":
                self.state = "stuck"

    def _plan_moved(self) -> bool:
        return self.steps and bool(self._task_chunks())

    async def _start(self) -> None:
        while not self._delta():
            if not await self._until(self._wake.wait()):
                self.state = "off"
                return
            self._wake.clear()
        at = self._plan_at  # the plan as it stood when the first words came (the budget check awaits Redis)
        self._rid = await self.ws.admit_stream()
        if self._rid is None:
            self.state = "off"
            self.streamer.stats["not_admitted"] += 1
            log.info("start/stop budget spent: this article is posted whole")
            return
        first = self._delta()
        try:
            try:
                self._plan_at, later = at, self._plan_at
                args = self._text_args(first, first=True)
                self._plan_at = later  # a step reached meanwhile goes with the next call
                if later != at:
                    self._wake.set()
                extra = {"task_display_mode": "plan"} if self.steps else {}
                resp = await self.client.chat_startStream(
                    channel=self.channel, thread_ts=self.thread_ts, recipient_user_id=self.user,
                    recipient_team_id=self.team, **args, **extra)
            except SlackApiError as exc:
                if not self.steps or slack_error(exc) not in CHUNK_REFUSALS:
                    raise
                # This Slack takes no plan: the article streams as plain Markdown, here and after.
                log.info("no plan of steps in streams (%s): plain Markdown", slack_error(exc))
                self.streamer.refuse(f"steps:{self.team}")
                self.steps = False
                if not await self.ws.start_slot():  # a second start: it counts in the budget too
                    await self._release()
                    self.state = "off"
                    self.streamer.stats["not_admitted"] += 1
                    return
                resp = await self.client.chat_startStream(
                    channel=self.channel, thread_ts=self.thread_ts, markdown_text=first,
                    recipient_user_id=self.user, recipient_team_id=self.team)
            else:
                self._sent_tasks(args)
        except SlackApiError as exc:
            await self._release()
            self.state = "off"
            err = slack_error(exc)
            if err == "ratelimited":
                await self.ws.pause("start", retry_after(exc))
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
            await self._release()
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
        args = self._text_args(delta)
        try:
            await self.client.chat_appendStream(channel=self.channel, ts=self.ts, **args)
        except SlackApiError as exc:
            err = slack_error(exc)
            if err == "ratelimited":  # the text stays buffered: next append, the stop or the update
                self.ratelimited += 1
                self.streamer.stats["ratelimited"] += 1
                await self.ws.pause("append", retry_after(exc))
                self._wake.set()
                return
            if err == "message_not_in_streaming_state":
                self.state = "lost"
                await self._release()
            else:
                log.warning("chat.appendStream failed: %s", err)
                self.state = "stuck"
            return
        except Exception as exc:  # noqa: BLE001 - unknown outcome: the final update will say it all
            log.warning("chat.appendStream failed: %r", exc)
            self.dirty = True
            self.state = "stuck"
            return
        self._sent_tasks(args)
        self.sent += delta
        self.appends += 1
        self.streamer.stats["appends"] += 1
        self._last = time.monotonic()
        if len(self.sent) >= STREAM_CAP:
            self.state = "stuck"  # the rest goes into the final message(s)

    async def _release(self) -> None:
        """The stop reserved at the start will not be made: back to the budget."""
        rid, self._rid = self._rid, None
        if rid:
            await self.ws.release_stop(rid)

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
        # Every step ends "complete" with the stream (a stopped plan never shows a step running).
        kwargs = self._text_args(rest, done=True)
        if blocks_:
            kwargs["blocks"] = blocks_
        if metadata:
            kwargs["metadata"] = metadata
        # The stop this stream reserved when it started (or, past a stream's lifetime, one more if it
        # fits): counted as made from here, whatever Slack answers. No room: chat.update finishes it.
        rid, self._rid = self._rid, None
        if not await self.ws.stop_slot(rid):
            log.info("stop budget spent: the message is finished with chat.update")
            self.state = "lost"
            return False
        try:
            await self.client.chat_stopStream(channel=self.channel, ts=self.ts, **kwargs)
        except SlackApiError as exc:
            err = slack_error(exc)
            if err == "ratelimited":
                await self.ws.pause("stop", retry_after(exc))
            log.info("chat.stopStream failed: %s (the message is finished with chat.update)", err)
            self.state = "lost"
            return False
        except Exception as exc:  # noqa: BLE001
            log.warning("chat.stopStream failed: %r", exc)
            self.dirty = True
            self.state = "lost"
            return False
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
            await self._release()
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
