"""The web side's hand-over: record what is asked, lock the thread, enqueue the job.

Kept out of the Slack listeners so that they only ack, validate and call this.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable
from enum import Enum

from .queue import HEARTBEAT_TIMEOUT, JobQueue
from .quotas import Limit, Quotas
from .settings import BotSettings
from .spec import JobSpec
from .state import State
from tenancy.jobs import stamp

log = logging.getLogger(__name__)


class Outcome(str, Enum):
    STARTED = "started"
    BUSY = "busy"  # a job already runs on this thread
    DUPLICATE = "duplicate"  # the same Slack delivery was already handled
    MISSING = "missing"  # the article or version expired
    # A quota is reached (jobs in flight, or started in the last minute): nothing enqueued.
    QUOTA_USER = "quota_user"
    QUOTA_CHANNEL = "quota_channel"
    RATE_USER = "rate_user"
    RATE_CHANNEL = "rate_channel"
    QUOTA_VERSIONS = "quota_versions"  # the article has SEO_MAX_VERSIONS_PER_ARTICLE versions

    @property
    def over_quota(self) -> bool:
        return self in _QUOTA_OUTCOMES.values() or self is Outcome.QUOTA_VERSIONS


_QUOTA_OUTCOMES = {Limit.USER: Outcome.QUOTA_USER, Limit.CHANNEL: Outcome.QUOTA_CHANNEL,
                   Limit.USER_RATE: Outcome.RATE_USER, Limit.CHANNEL_RATE: Outcome.RATE_CHANNEL}


def job_id_for(delivery_key: str) -> str:
    """A job id derived from the Slack delivery, so two web processes enqueue one job."""
    return hashlib.sha256(delivery_key.encode()).hexdigest()[:20]


class Submitter:
    def __init__(self, state: State, queue: JobQueue, settings: BotSettings):
        self.state = state
        self.queue = queue
        self.settings = settings
        self.quotas = Quotas(state.kv, settings)

    async def over_quota(self, *, delivery_key: str, user: str, channel: str) -> Outcome | None:
        """Would this request be refused by a quota? (Checked before anything is posted.)"""
        full = await self.quotas.admit(job_id_for(delivery_key), user=user, channel=channel, dry_run=True)
        return _QUOTA_OUTCOMES[full] if full else None

    def lock_grace(self) -> float:
        """How long a new lock is respected whatever the queue says: its job may still be on its way
        to the queue (the web side retries lock, quota and enqueue for up to SEO_QUEUE_PATIENCE)."""
        return self.settings.queue_patience + HEARTBEAT_TIMEOUT

    async def _stale(self, holder: str, age: float | None) -> bool:
        """A lock is stale once its job's article is out (between its post and its unlock), or once
        its job is no longer alive in the queue: never enqueued (Redis went away right after the
        lock was taken), or over for good while its unlock could not reach Redis. It then no longer
        lasts until SEO_JOB_TIMEOUT: a running job's liveness is its heartbeat, which saq watches."""
        if await self.state.job_get(holder, "done"):
            return True
        return age is not None and age >= self.lock_grace() and not await self.queue.alive(holder)

    async def _lock(self, spec: JobSpec) -> bool:
        ttl, st = self.settings.job_timeout, self.state
        if spec.kind == "wordpress":  # locks its article's draft, not the thread: a rewrite may run meanwhile
            where = (spec.article_id,)
            lock, unlock = st.lock_wordpress, st.unlock_wordpress
            holder_of, age_of = st.wordpress_job, st.wordpress_lock_age
        else:
            where = (spec.channel, spec.thread_ts)
            lock, unlock = st.lock_thread, st.unlock_thread
            holder_of, age_of = st.thread_job, st.thread_lock_age
        if await lock(*where, spec.id, ttl):
            return True
        holder = await holder_of(*where)
        if holder and await self._stale(holder, await age_of(*where, ttl)):
            log.info("job %s takes over the stale lock of job %s", spec.id, holder)
            await unlock(*where, holder)
            return await lock(*where, spec.id, ttl)
        return False

    async def _enqueue(self, spec: JobSpec, ready: Awaitable | None = None) -> Outcome:
        """`ready`: written while the lock is taken (both before the job is enqueued)."""
        spec = stamp(spec)  # OAuth mode: the team it acts for (never its token)
        lock = self._lock(spec)
        locked, _ = await asyncio.gather(lock, ready) if ready is not None else (await lock, None)
        if not locked:
            return Outcome.BUSY
        try:
            full = await self.quotas.admit(spec.id, user=spec.user, channel=spec.channel)
            if full:
                await self._unlock(spec)
                return _QUOTA_OUTCOMES[full]
            try:
                queued = await self.queue.enqueue(spec)
            except BaseException:
                await self.quotas.release(spec.id, user=spec.user, channel=spec.channel)
                raise
        except BaseException:
            await self._unlock(spec)
            raise
        return Outcome.STARTED if queued else Outcome.DUPLICATE

    async def _unlock(self, spec: JobSpec) -> None:
        if spec.kind == "wordpress":
            await self.state.unlock_wordpress(spec.article_id, spec.id)
        else:
            await self.state.unlock_thread(spec.channel, spec.thread_ts, spec.id)

    async def new_article(self, *, delivery_key: str, channel: str, thread_ts: str, source: str, user: str,
                          status_ts: str | None = None, keyword: str | None = None,
                          article_id: str | None = None, team: str | None = None,
                          settings_channel: str | None = None, assistant: bool = False,
                          image: str | None = None) -> Outcome:
        article_id = article_id or self.state.new_article_id()
        spec = JobSpec(id=job_id_for(delivery_key), kind="rewrite", article_id=article_id, channel=channel,
                       thread_ts=thread_ts, user=user, status_ts=status_ts, keyword=keyword or None,
                       recipient_user_id=user, recipient_team_id=team, settings_channel=settings_channel,
                       assistant=assistant)
        # The article's record and the thread's lock at once (one round trip less before the job).
        return await self._enqueue(spec, ready=self.state.create_article(
            channel=channel, thread_ts=thread_ts, source=source, requested_by=user, article_id=article_id,
            settings_channel=settings_channel, assistant=assistant, image=image))

    async def new_version(self, *, delivery_key: str, article_id: str, kind: str, user: str,
                          base_version: int | None = None, instruction: str | None = None,
                          keyword: str | None = None, new_title: str | None = None,
                          new_meta_title: str | None = None, team: str | None = None,
                          proposal: str | None = None) -> Outcome:
        rec = await self.state.article(article_id)
        if rec is None:
            return Outcome.MISSING
        latest = await self.state.latest_version(article_id)
        if base_version is None:
            if latest is None:
                return Outcome.MISSING
            base_version = latest
        cap = self.settings.max_versions_per_article
        if cap and (latest or 0) >= cap:
            return Outcome.QUOTA_VERSIONS
        spec = JobSpec(id=job_id_for(delivery_key), kind=kind, article_id=article_id, channel=rec.channel,
                       thread_ts=rec.thread_ts, user=user, base_version=base_version,
                       instruction=instruction, keyword=keyword, new_title=new_title,
                       new_meta_title=new_meta_title, proposal=proposal, recipient_user_id=user,
                       recipient_team_id=team, settings_channel=rec.settings_channel, assistant=rec.assistant)
        return await self._enqueue(spec)

    async def wordpress(self, *, delivery_key: str, article_id: str, version: int, user: str) -> Outcome:
        """The WordPress button: send this version to the article's draft (worker side)."""
        rec = await self.state.article(article_id)
        if rec is None or await self.state.version(article_id, version) is None:
            return Outcome.MISSING
        spec = JobSpec(id=job_id_for(delivery_key), kind="wordpress", article_id=article_id, channel=rec.channel,
                       thread_ts=rec.thread_ts, user=user, base_version=version,
                       settings_channel=rec.settings_channel, assistant=rec.assistant)
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
