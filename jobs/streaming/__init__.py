"""The Slack side of streamed articles (DESIGN.md, "Streaming"); the engine's side, the draft's
Markdown rendered from its partial JSON, is seo/streaming.py.

- budget.py: the per-workspace budgets of chat.startStream / appendStream / stopStream, shared by
  every worker (jobs/limits/);
- live.py: one job's stream (start, appends, stop, chat.update fallback decided by the runner);
- streamer.py: the worker's streaming side, opening one live stream per job.
"""
from .budget import WINDOW, WINDOW_MARGIN, SlackBudgets, TeamBudget
from .live import CHANNEL_REFUSALS, MIN_APPEND_INTERVAL, STREAM_CAP, WORKSPACE_REFUSALS, LiveStream
from .streamer import DISABLE_FOR, Streamer

__all__ = ["WINDOW", "WINDOW_MARGIN", "SlackBudgets", "TeamBudget", "CHANNEL_REFUSALS", "MIN_APPEND_INTERVAL",
           "STREAM_CAP", "WORKSPACE_REFUSALS", "LiveStream", "DISABLE_FOR", "Streamer"]
