"""Acks in milliseconds, even under a burst.

Bolt answers Slack once it sees a listener call `ack()`, polling every 10 ms, while the
listeners' follow-up work (cleaning, Redis, Slack posts) shares the event loop: under a burst
of 50 slash commands the last ack left after ~200 ms. Two measures:

- `fast_ack`: for the deliveries whose answer carries nothing (slash commands, button
  clicks, events), an aiohttp middleware checks Slack's signature, answers 200 at once and
  hands the request to Bolt in the background, where the listener runs as usual (its own
  `ack()` then goes nowhere; `respond()` uses response_url). Modal submissions, whose answer
  may carry errors, URL verification and anything unsigned go through Bolt unchanged.
- `after_acks()`: follow-up work waits, at most MAX_WAIT, until no request is still waiting
  for its answer, so a burst is acked before any of it is processed.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

MAX_WAIT = 0.5  # seconds: the first message in the thread still comes well within a second
POLL = 0.005
_FAST_PAYLOADS = {"block_actions"}

_unanswered = 0
_background: set[asyncio.Task] = set()


@web.middleware
async def track_requests(request: web.Request, handler):
    """Counts the requests not answered yet."""
    global _unanswered
    _unanswered += 1
    try:
        return await handler(request)
    finally:
        _unanswered -= 1


async def after_acks() -> None:
    """Wait, at most MAX_WAIT, until every request received has had its answer."""
    deadline = time.monotonic() + MAX_WAIT
    await asyncio.sleep(0)
    while _unanswered > 0 and time.monotonic() < deadline:
        await asyncio.sleep(POLL)


def _answer_is_empty(body: bytes, content_type: str) -> bool:
    """A delivery whose HTTP answer is a bare 200 whatever the listener does."""
    if content_type.startswith("application/json"):
        try:
            return json.loads(body).get("type") == "event_callback"
        except (ValueError, AttributeError):
            return False
    form = parse_qs(body.decode("utf-8", "replace"))
    if "command" in form:
        return True
    try:
        return json.loads(form.get("payload", ["{}"])[0]).get("type") in _FAST_PAYLOADS
    except (ValueError, AttributeError):
        return False


def fast_ack(app, signing_secret: str, path: str = "/slack/events"):
    """The middleware answering signed slash commands, clicks and events before Bolt runs."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    verifier = SignatureVerifier(signing_secret)

    @web.middleware
    async def middleware(request: web.Request, handler):
        if request.method != "POST" or request.path != path:
            return await handler(request)
        body = await request.read()
        if not _signed(verifier, request, body) or not _answer_is_empty(body, request.headers.get("Content-Type", "")):
            return await handler(request)  # Bolt answers (401 for a bad signature)
        # Bolt's request (it parses the body again) is made after the answer, not before it.
        text, query, headers = body.decode(request.charset or "utf-8"), request.query_string, request.headers
        task = asyncio.get_running_loop().create_task(_dispatch(
            app, lambda: AsyncBoltRequest(body=text, query=query, headers=headers)))
        _background.add(task)
        task.add_done_callback(_background.discard)
        return web.Response(status=200)

    return middleware


def _signed(verifier: SignatureVerifier, request: web.Request, body: bytes) -> bool:
    try:
        return verifier.is_valid(body, request.headers.get("X-Slack-Request-Timestamp", ""),
                                 request.headers.get("X-Slack-Signature", ""))
    except (ValueError, TypeError):  # a garbage timestamp: not Slack
        return False


async def _dispatch(app, make_request) -> None:
    await after_acks()  # Bolt's own work on this delivery waits for the burst to be acked
    try:
        response = await app.async_dispatch(make_request())
        if response.status >= 500:
            log.warning("Bolt answered %s to an already acked delivery", response.status)
    except Exception:
        log.exception("listener failed on an acked delivery")
