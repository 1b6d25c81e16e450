"""A job's status line (« En file d’attente… », « Rédaction… »), updated in the background.

The job never waits on Slack for it: under a burst, a chat.update before each LLM call delayed the
call (and so the first streamed words) by the Slack round trip. Updates go out in order, one at a
time; one identical to the update before it is dropped. None is skipped otherwise: a short step
(a repair answered at once) is still shown, as it was when the job waited for each update.
"""
from __future__ import annotations

import asyncio
import logging
from collections import deque

from .publisher import Publisher

log = logging.getLogger(__name__)


class StatusLine:
    def __init__(self, publisher: Publisher, channel: str, thread_ts: str, ts: str | None = None):
        self.publisher = publisher
        self.channel, self.thread_ts, self.ts = channel, thread_ts, ts
        self._queue: deque[tuple[dict, tuple | None]] = deque()
        self._last: tuple[dict, tuple | None] | None = None
        self._task: asyncio.Task | None = None

    def show(self, msg: dict, assistant: tuple | None = None) -> None:
        """Replace the status line with `msg` soon (returns at once); `assistant`: the arguments of
        the assistant thread's native status (Publisher.assistant_status), if it has one."""
        if not self.ts:
            return
        update = (msg, assistant)
        if update == (self._queue[-1] if self._queue else self._last):
            return
        self._queue.append(update)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._send())

    async def _send(self) -> None:
        while self._queue:
            msg, assistant = self._last = self._queue.popleft()
            try:
                await self.publisher.update(self.channel, self.ts, **msg)
                if assistant is not None:
                    await self.publisher.assistant_status(self.channel, self.thread_ts, *assistant)
            except Exception:  # noqa: BLE001 - a status line is best effort
                log.warning("status line update failed", exc_info=True)

    async def settle(self) -> None:
        """Wait until the updates asked for are out: what the job shows next (its result, its
        failure) comes after them."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
