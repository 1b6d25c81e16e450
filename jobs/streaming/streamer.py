"""The worker's streaming side: one `Streamer` per worker process, drawing on the workspaces' budgets
shared by every worker (jobs/limits/), holding the refusals remembered (streaming not possible in a workspace or channel) and one Slack client
without the retry handlers that sleep on Retry-After. It opens one `LiveStream` per job."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from ..publisher import slack_error
from .budget import SlackBudgets, TeamBudget
from .live import LiveStream

log = logging.getLogger(__name__)

DISABLE_FOR = 900.0             # how long "streaming is not possible here" is remembered


class Streamer:
    """The worker's streaming side: budgets per workspace, refusals remembered, one client
    without sleeping retry handlers. `budgets`: the limiter shared by every worker (without it, this
    process counts alone, with the whole budget)."""

    def __init__(self, client: AsyncWebClient, budgets: SlackBudgets | None = None, *, appends_per_min: int = 100,
                 starts_per_min: int = 20, stops_per_min: int | None = None):
        self.client = client
        self.budgets = budgets or SlackBudgets(None, appends_per_min=appends_per_min, starts_per_min=starts_per_min,
                                               stops_per_min=stops_per_min)
        self.workspaces: dict[str, TeamBudget] = {}
        self._refused: dict[str, float] = {}  # team or channel -> until (monotonic)
        self._team: str | None = None
        self._team_lock = asyncio.Lock()
        self.stats = {"started": 0, "not_admitted": 0, "refused": 0, "appends": 0, "ratelimited": 0}

    def workspace(self, team: str) -> TeamBudget:
        ws = self.workspaces.get(team)
        if ws is None:
            ws = self.workspaces[team] = TeamBudget(self.budgets, team)
        return ws

    def refused(self, *keys: str) -> bool:
        now = time.monotonic()
        return any(self._refused.get(k, 0) > now for k in keys if k)

    def refuse(self, key: str) -> None:
        self._refused[key] = time.monotonic() + DISABLE_FOR

    async def default_team(self) -> str | None:
        """The bot token's workspace (auth.test, once: a burst of jobs asks it together)."""
        if self._team is None:
            async with self._team_lock:
                if self._team is None:
                    try:
                        self._team = (await self.client.auth_test()).get("team_id")
                    except SlackApiError as exc:
                        log.info("auth.test failed: %s", slack_error(exc))
        return self._team

    async def open(self, *, channel: str, thread_ts: str, user: str, team: str | None,
                   on_started: Callable[[str], Awaitable[None]], steps: bool = False,
                   budget_team: str | None = None) -> LiveStream | None:
        """A stream for one job, or None when streaming is not possible here (then: today's way).
        `steps`: show the job's steps as a plan (task_update chunks) where Slack takes them.
        `team`: the recipient's workspace; `budget_team`: the workspace whose budgets the calls
        spend, the job's installation (OAuth mode); else the bot token's own workspace, as Slack
        counts per token (the recipient may belong to another workspace of a Grid or shared channel)."""
        home = None if (budget_team and team) else await self.default_team()
        team = team or home
        if not team or self.refused(f"team:{team}", f"channel:{channel}"):
            return None
        return LiveStream(self, self.workspace(budget_team or home or team), channel=channel, thread_ts=thread_ts, user=user,
                          team=team, on_started=on_started, steps=steps)

    async def stop_quietly(self, channel: str, ts: str, team: str | None, **kwargs) -> bool:
        """Stop a stream left open by a crashed run, if the budget allows; never raises."""
        ws = self.workspace(team or await self.default_team() or "-")
        if not await ws.stop_slot():
            return False
        try:
            await self.client.chat_stopStream(channel=channel, ts=ts, **kwargs)
            return True
        except SlackApiError as exc:
            log.info("stopping an earlier stream: %s", slack_error(exc))
        except Exception as exc:  # noqa: BLE001 - best effort
            log.info("stopping an earlier stream: %r", exc)
        return False
