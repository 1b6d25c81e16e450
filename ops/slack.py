"""Slack-side instrumentation: Web API errors by code, and a Bolt middleware for the log
context (channel, team) of every request (and, in Socket Mode, the request counts that the
aiohttp middleware counts in HTTP mode)."""
from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .logs import channel_var, team_var
from .metrics import Metrics, metrics, surface_of


class MeteredWebClient(AsyncWebClient):
    """AsyncWebClient counting failed calls (after the SDK's own retries) by method and error code."""

    async def api_call(self, api_method: str, *args, **kwargs):
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
        channel = context.get("channel_id") if hasattr(context, "get") else None
        team = context.get("team_id") if hasattr(context, "get") else None
        tokens = []
        if channel:
            tokens.append((channel_var, channel_var.set(channel)))
        if team:
            tokens.append((team_var, team_var.set(team)))
        try:
            return await next()
        finally:
            for var, token in reversed(tokens):
                var.reset(token)

    return middleware
