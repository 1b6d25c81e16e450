"""Slack-side instrumentation: Web API errors by code, and a Bolt middleware for the log
context (channel, team) of every request (and, in Socket Mode, the request counts that the
aiohttp middleware counts in HTTP mode)."""
from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .logs import channel_var, team_var
from .metrics import Metrics, metrics, surface_of


# Paced per channel: Slack's rule for posting is about one message a second per channel (short
# bursts allowed). chat.update is not in it (Tier 3, per workspace; the retry handler honours a
# `ratelimited`): pacing the status line's updates made articles show seconds later.
PACED = frozenset({"chat.postMessage"})


class MeteredWebClient(AsyncWebClient):
    """AsyncWebClient counting failed calls (after the SDK's own retries) by method and error code.
    With a `pacer` (a worker's jobs.limits.SlackBudgets), each chat.postMessage first waits for its
    channel's slot, shared by every worker, in the team of the job at hand."""

    pacer = None

    async def api_call(self, api_method: str, *args, **kwargs):
        if self.pacer is not None and api_method in PACED:
            params = kwargs.get("json") or kwargs.get("data") or kwargs.get("params") or {}
            channel = params.get("channel") if isinstance(params, dict) else None
            if channel:
                await self.pacer.post_slot(team_var.get(), str(channel))
        try:
            return await super().api_call(api_method, *args, **kwargs)
        except SlackApiError as exc:
            try:
                code = exc.response.get("error") or "unknown"
            except Exception:
                code = "unknown"
            metrics().slack_errors.labels(api_method, str(code)[:64]).inc()
            raise
        except Exception as exc:  # connection errors, timeouts once retries are spent
            metrics().slack_errors.labels(api_method, type(exc).__name__[:64]).inc()
            raise


def bolt_middleware(m: Metrics, *, count_requests: bool):
    """Bolt global middleware: channel and team in the logs of this request's listeners."""

    async def middleware(body, context, next):
        if count_requests:
            m.requests.labels(surface_of(body)).inc()
        # Bolt runs the listeners after the global middleware returns, in this request's task (or
        # tasks it starts): set, not reset; every request sets both, so nothing carries over.
        channel_var.set(context.get("channel_id"))
        team_var.set(context.get("team_id"))
        return await next()

    return middleware
