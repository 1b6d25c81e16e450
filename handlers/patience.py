"""Riding out a Redis blip after a request was acked.

Once Slack has its 200, the request is ours: a Redis restart or a managed-Redis failover takes
seconds, so every Redis step between the ack and the enqueue is tried again with backoff for
up to SEO_QUEUE_PATIENCE seconds (about a minute) before the user is told to retry. Each step
must be idempotent (dedupe marks carry an owner token, ids are fixed before the first try).
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from .replies import queue_errors

log = logging.getLogger(__name__)

T = TypeVar("T")

FIRST_DELAY = 0.25
MAX_DELAY = 3.0


async def patiently(op: Callable[[], Awaitable[T]], patience: float,
                    waiting: Callable[[], Awaitable[None]] | None = None) -> T:
    """`await op()`, tried again while Redis is unreachable, for at most `patience` seconds.

    `waiting()` is awaited once, at the first failure, to tell the user the request is kept; the
    last error is raised when patience runs out (the caller then says « indisponible »)."""
    deadline = time.monotonic() + patience
    delay = FIRST_DELAY
    failed_at = None
    while True:
        try:
            result = await op()
        except queue_errors() as exc:
            if failed_at is None:
                failed_at = time.monotonic()
                log.warning("Redis unreachable after an ack (%s): trying again for up to %.0f s",
                            type(exc).__name__, patience)
                if waiting is not None:
                    try:
                        await waiting()
                    except Exception:  # telling the user is best effort
                        log.warning("could not say that the request waits for Redis")
            if time.monotonic() + delay > deadline:
                log.warning("Redis still unreachable after %.0f s: giving up", time.monotonic() - failed_at)
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
            continue
        if failed_at is not None:
            log.info("Redis back after %.1f s: the request goes on", time.monotonic() - failed_at)
        return result
