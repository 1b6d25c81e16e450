"""The web side's hand-over: record what is asked, lock the thread, enqueue the job.

Kept out of the Slack listeners so that they only ack, validate and call this.
"""
from __future__ import annotations

import hashlib
import logging
from enum import Enum

from .queue import JobQueue
from .settings import BotSettings
from .spec import JobSpec
from .state import State

log = logging.getLogger(__name__)


class Outcome(str, Enum):
    STARTED = "started"
    BUSY = "busy"  # a job already runs on this thread
    DUPLICATE = "duplicate"  # the same Slack delivery was already handled
    MISSING = "missing"  # the article or version expired


def job_id_for(delivery_key: str) -> str:
    """A job id derived from the Slack delivery, so two web processes enqueue one job."""
    return hashlib.sha256(delivery_key.encode()).hexdigest()[:20]


class Submitter:
    def __init__(self, state: State, queue: JobQueue, settings: BotSettings):
        self.state = state
        self.queue = queue
        self.settings = settings

    async def _enqueue(self, spec: JobSpec) -> Outcome:
        if not await self.state.lock_thread(spec.channel, spec.thread_ts, spec.id, self.settings.job_timeout):
            return Outcome.BUSY
        try:
            queued = await self.queue.enqueue(spec)
        except BaseException:
            await self.state.unlock_thread(spec.channel, spec.thread_ts, spec.id)
            raise
        return Outcome.STARTED if queued else Outcome.DUPLICATE

    async def new_article(self, *, delivery_key: str, channel: str, thread_ts: str, source: str, user: str,
                          status_ts: str | None = None, keyword: str | None = None,
                          team: str | None = None) -> Outcome:
        rec = await self.state.create_article(channel=channel, thread_ts=thread_ts, source=source,
                                              requested_by=user)
        spec = JobSpec(id=job_id_for(delivery_key), kind="rewrite", article_id=rec.article_id, channel=channel,
                       thread_ts=thread_ts, user=user, status_ts=status_ts, keyword=keyword or None,
                       recipient_user_id=user, recipient_team_id=team)
        return await self._enqueue(spec)

    async def new_version(self, *, delivery_key: str, article_id: str, kind: str, user: str,
                          base_version: int | None = None, instruction: str | None = None,
                          keyword: str | None = None, team: str | None = None) -> Outcome:
        rec = await self.state.article(article_id)
        if rec is None:
            return Outcome.MISSING
        if base_version is None:
            latest = await self.state.version(article_id)
            if latest is None:
                return Outcome.MISSING
            base_version = latest["version"]
        spec = JobSpec(id=job_id_for(delivery_key), kind=kind, article_id=article_id, channel=rec.channel,
                       thread_ts=rec.thread_ts, user=user, base_version=base_version,
                       instruction=instruction, keyword=keyword, recipient_user_id=user,
                       recipient_team_id=team)
        return await self._enqueue(spec)

    async def retry(self, *, delivery_key: str, failed_job_id: str, user: str, team: str | None = None) -> Outcome:
        raw = await self.state.job_get(failed_job_id, "spec")
        if not raw:
            return Outcome.MISSING
        old = JobSpec.model_validate_json(raw)
        spec = old.model_copy(update={"id": job_id_for(delivery_key), "status_ts": None, "user": user,
                                         "recipient_user_id": user,
                                         "recipient_team_id": team or old.recipient_team_id})
        return await self._enqueue(spec)
