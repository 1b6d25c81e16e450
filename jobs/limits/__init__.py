"""Slack's budgets shared by every worker process, per workspace and per method (shared.py, on
Redis), with each worker's own local count (local.py) and the count's Lua scripts (scripts.py)."""
from .local import RESERVATION_TTL, SPAN, WINDOW, WINDOW_MARGIN, LocalBucket, LocalWindow
from .shared import DEFAULT_TEAM, SlackBudgets, TeamBudget

__all__ = ["DEFAULT_TEAM", "RESERVATION_TTL", "SPAN", "WINDOW", "WINDOW_MARGIN", "LocalBucket", "LocalWindow",
           "SlackBudgets", "TeamBudget"]
