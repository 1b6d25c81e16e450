"""Around every job a worker runs: log context, metrics and usage, without touching the runner.

The queue calls `InstrumentedRunner(spec)` instead of the JobRunner itself. It sets the job
id, channel and team for the logs, adds up the LLM calls made meanwhile (seo.observe.tally),
counts the job by kind and outcome (what the runner recorded as `done`) and its duration,
and, once per version, records its usage (ops.usage) and the fidelity issues it shipped.
"""
from __future__ import annotations

import asyncio
import logging
import time

from jobs.spec import JobSpec
from jobs.state import State
from seo import observe

from .logs import log_context
from .metrics import Metrics
from .usage import FIRST_DRAFT_KINDS, UsageStore, VersionUsage

log = logging.getLogger(__name__)


def team_of(spec: JobSpec) -> str | None:
    return getattr(spec, "team", None) or getattr(spec, "recipient_team_id", None) or getattr(spec, "team_id", None)


class InstrumentedRunner:
    def __init__(self, runner, state: State, usage: UsageStore, metrics: Metrics):
        self.runner = runner
        self.state = state
        self.usage = usage
        self.metrics = metrics

    async def __call__(self, spec: JobSpec) -> None:
        with log_context(job=spec.id, channel=spec.channel, team=team_of(spec)):
            # Read alongside the run's own first reads (not one more round trip before them): a run
            # sets "done" only after its LLM calls, long after this read.
            before = asyncio.ensure_future(self.state.job_get(spec.id, "done"))
            started = time.perf_counter()
            outcome = "error"
            with observe.tally() as tally:
                try:
                    try:
                        await self.runner(spec)
                    finally:
                        was_done = (await asyncio.gather(before, return_exceptions=True))[0]
                    outcome = "duplicate" if was_done and not isinstance(was_done, BaseException) \
                        else (await self.state.job_get(spec.id, "done") or "unknown")
                finally:
                    self.metrics.jobs.labels(spec.kind, outcome).inc()
                    self.metrics.job_seconds.labels(spec.kind).observe(time.perf_counter() - started)
            if outcome == "ok":
                try:
                    await self._record(spec, tally)
                except Exception:  # bookkeeping must never fail a job that reached the thread
                    log.exception("could not record the usage of job %s", spec.id)

    async def give_up(self, spec: JobSpec, exc: BaseException) -> None:
        with log_context(job=spec.id, channel=spec.channel, team=team_of(spec)):
            self.metrics.jobs.labels(spec.kind, "gave_up").inc()
            give_up = getattr(self.runner, "give_up", None)
            if give_up is not None:
                await give_up(spec, exc)

    async def _record(self, spec: JobSpec, tally: observe.Tally) -> None:
        number = await self.state.job_get(spec.id, "version")
        data = await self.state.version(spec.article_id, int(number)) if number else None
        if data is None or not await self.state.job_claim(spec.id, "usage"):
            return  # no version (nothing to count) or already counted by an earlier run
        stored = data.get("usage") or {}
        if tally.llm_calls:  # this run made the version: its tally has the cached tokens and repairs
            usage = VersionUsage(llm_calls=tally.llm_calls, prompt_tokens=tally.prompt_tokens,
                                 cached_tokens=tally.cached_tokens, completion_tokens=tally.completion_tokens,
                                 seconds=float(stored.get("seconds") or tally.llm_seconds), repairs=tally.repairs)
        else:  # an earlier run made it and died before counting: what the version recorded
            calls = int(stored.get("llm_calls") or 0)
            usage = VersionUsage(llm_calls=calls, prompt_tokens=int(stored.get("prompt_tokens") or 0),
                                 cached_tokens=int(stored.get("cached_tokens") or 0),
                                 completion_tokens=int(stored.get("completion_tokens") or 0),
                                 seconds=float(stored.get("seconds") or 0.0), repairs=max(0, calls - 1))
        issues = ((data.get("report") or {}).get("fidelity") or {}).get("issues") or []
        for issue in issues:
            self.metrics.fidelity_shipped.labels(str(issue.get("kind") or "other")).inc()
        if data.get("kind", spec.kind) in FIRST_DRAFT_KINDS:
            self.metrics.first_drafts.labels("true" if usage.repairs == 0 else "false").inc()
        # An assistant thread's article counts in the channel it was made for (its context).
        await self.usage.record_version(spec.settings_channel or spec.channel, article_id=spec.article_id, version=int(data["version"]),
                                        kind=data.get("kind", spec.kind), usage=usage,
                                        fidelity_issues=len(issues), when=data.get("created_at"))
