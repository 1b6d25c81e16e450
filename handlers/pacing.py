"""Acks first, even under a burst.

Bolt sends a listener's HTTP response once it sees `ack()` called, polling every 10 ms.
Under a burst of 50 slash commands, the work each listener does right after its ack
(cleaning, Redis, two Slack posts) held the event loop and delayed every response
(p99 ~200 ms). `after_acks()` makes that work wait until no request is still waiting for
its response, bounded so that a steady stream cannot starve it. Alone, a request waits
only for its own response (~10 ms); in Socket Mode nothing is counted and nothing waits.
"""
from __future__ import annotations

import asyncio
import time

from aiohttp import web

MAX_WAIT = 0.5  # seconds: the first message in the thread still comes well within a second
POLL = 0.005

_unanswered = 0


@web.middleware
async def track_requests(request: web.Request, handler):
    """aiohttp middleware: counts the requests not answered yet."""
    global _unanswered
    _unanswered += 1
    try:
        return await handler(request)
    finally:
        _unanswered -= 1


async def after_acks() -> None:
    """Wait, at most MAX_WAIT, until every request received has had its response."""
    deadline = time.monotonic() + MAX_WAIT
    await asyncio.sleep(0)
    while _unanswered > 0 and time.monotonic() < deadline:
        await asyncio.sleep(POLL)
