"""Fair turns between channels inside a worker.

saq hands out jobs first in, first out. A worker takes more jobs from the queue than it runs at
once (its slots, see bot.py), and a `FairGate` gives each free run permit to the channel with the
fewest jobs running, then to the one served least recently (round robin). With the per-channel quota bounding
what one channel has in flight, one channel's burst no longer keeps another channel's request
behind it: that request is taken from the queue at once and runs at the next free permit.

Waiting jobs are saq jobs like any other (active, heart-beating): a crash while they wait loses
nothing, the sweep re-queues them.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter, deque
from contextlib import asynccontextmanager

from .spec import JobSpec

log = logging.getLogger(__name__)


class FairGate:
    def __init__(self, permits: int):
        self.free = max(1, permits)
        self.running: Counter[str] = Counter()
        self._waiting: dict[str, deque[tuple[int, asyncio.Future]]] = {}
        self._served: dict[str, int] = {}  # when each busy channel last got a permit
        self._order = itertools.count()

    @asynccontextmanager
    async def slot(self, lane: str):
        await self._acquire(lane)
        try:
            yield
        finally:
            self._release(lane)

    async def _acquire(self, lane: str) -> None:
        if self.free > 0 and not self._waiting:
            self._grant(lane)
            return
        fut = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(lane, deque()).append((next(self._order), fut))
        try:
            await fut  # the permit is already counted for us when it resolves
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release(lane)  # granted just as we were cancelled: give it back
            else:
                self._forget(lane, fut)
            raise

    def _forget(self, lane: str, fut: asyncio.Future) -> None:
        queue = self._waiting.get(lane)
        if queue is None:
            return
        for item in list(queue):
            if item[1] is fut:
                queue.remove(item)
        if not queue:
            del self._waiting[lane]

    def _grant(self, lane: str) -> None:
        self.free -= 1
        self.running[lane] += 1
        self._served[lane] = next(self._order)

    def _release(self, lane: str) -> None:
        self.running[lane] -= 1
        if self.running[lane] <= 0:
            del self.running[lane]
            if lane not in self._waiting:
                self._served.pop(lane, None)  # an idle channel starts afresh
        self.free += 1
        while self.free > 0 and self._waiting:
            # The channel with the fewest jobs running; among equals, the one served least recently.
            lane_next = min(self._waiting, key=lambda ln: (self.running[ln], self._served.get(ln, -1),
                                                          self._waiting[ln][0][0]))
            _, fut = self._waiting[lane_next].popleft()
            if not self._waiting[lane_next]:
                del self._waiting[lane_next]
            if fut.done():  # cancelled while waiting
                continue
            self._grant(lane_next)
            fut.set_result(None)


class FairShare:
    """The worker's job handler: waits its channel's turn, runs the job, then calls `on_finished`
    (quotas) once the job is over for good (done, or given up after its last attempt)."""

    def __init__(self, handler, permits: int, on_finished=None):
        self.handler = handler
        self.gate = FairGate(permits)
        self.on_finished = on_finished

    async def __call__(self, spec: JobSpec) -> None:
        async with self.gate.slot(spec.channel):
            await self.handler(spec)
        await self._finished(spec)

    async def give_up(self, spec: JobSpec, exc: BaseException) -> None:
        try:
            give_up = getattr(self.handler, "give_up", None)
            if give_up is not None:
                await give_up(spec, exc)
        finally:
            await self._finished(spec)

    async def _finished(self, spec: JobSpec) -> None:
        if self.on_finished is None:
            return
        try:
            await self.on_finished(spec)
        except Exception:  # Redis blip: the quota entry expires on its own
            log.warning("could not release the quota of job %s", spec.id)
