"""The budgets of Slack's streaming methods, per workspace and shared by every worker process
(DESIGN.md, "Streaming"); the counting itself is jobs/limits/ (Redis, or a local share when Redis
does not answer):

- startStream / stopStream (Tier 2, about 20 a minute each): a stream is admitted only if its start
  and its stop both fit; the stop stays reserved until it is made or given back;
- appends: a sliding window (Tier 4: about 100 a minute) smoothed by a small burst then a steady
  rate, served first come, first served;
- `ratelimited` pauses a method for its Retry-After, for every worker.
"""
from __future__ import annotations

from slack_sdk.errors import SlackApiError

from ..limits import WINDOW, WINDOW_MARGIN, SlackBudgets, TeamBudget

__all__ = ["WINDOW", "WINDOW_MARGIN", "SlackBudgets", "TeamBudget", "retry_after"]


def retry_after(exc: SlackApiError) -> float:
    try:
        return max(float(exc.response.headers.get("Retry-After", 1)), 0.5)
    except (TypeError, ValueError, AttributeError):
        return 1.0
