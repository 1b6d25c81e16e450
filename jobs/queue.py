"""The job queue: saq on Redis, or an in-process stand-in when REDIS_URL is unset.

saq's defaults are wrong for LLM jobs (10 s timeout, a single attempt), so every
job gets a long timeout, retries with exponential backoff and a heartbeat; the
worker sweeps often, so a job whose worker was killed runs again within ~30 s.
Jobs are idempotent (see jobs/runner.py): a re-run never posts twice.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Protocol

from .kv import driver_info
from .spec import JobSpec

log = logging.getLogger(__name__)


def _seconds(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    return max(minimum, int(raw)) if raw else default


# A job silent for this long is considered dead and retried (whole seconds: saq and Redis want ints).
HEARTBEAT_TIMEOUT = _seconds("SEO_HEARTBEAT_TIMEOUT", 20, 2)
HEARTBEAT_EVERY = HEARTBEAT_TIMEOUT / 4  # seconds between job.update() calls
SWEEP_EVERY = _seconds("SEO_SWEEP_EVERY", 5, 1)
RETRIES = 6

Handler = Callable[[JobSpec], Awaitable[None]]


async def _give_up(handler, spec: JobSpec, exc: BaseException) -> None:
    """A job that failed for good: its handler says so in the thread, if it knows how."""
    give_up = getattr(handler, "give_up", None)
    if give_up is None:
        return
    try:
        await give_up(spec, exc)
    except Exception:  # Slack or Redis still down: the log is all we can do
        log.exception("could not report the failure of job %s", spec.id)


class JobQueue(Protocol):
    async def enqueue(self, spec: JobSpec) -> bool: ...
    async def run_worker(self, handler: Handler, concurrency: int) -> None: ...
    def consuming(self) -> bool: ...  # this process's worker takes jobs (readiness)
    async def depth(self) -> dict[str, int]: ...  # jobs waiting and running (metrics)
    # True while the queue holds the job to run: queued, waiting for a retry, or running (a running
    # job whose heartbeat stops is swept back to queued, or failed). False: over, or never enqueued.
    async def alive(self, job_id: str) -> bool: ...
    async def close(self) -> None: ...


class LocalQueue:
    """asyncio tasks in this process. Jobs do not survive a restart (a warning says so)."""

    def __init__(self) -> None:
        self._handler: Handler | None = None
        self._sem: asyncio.Semaphore | None = None
        self._running: set[str] = set()
        self._tasks: set[asyncio.Task] = set()
        self._pending: list[JobSpec] = []
        self._concurrency = 0

    async def enqueue(self, spec: JobSpec) -> bool:
        if spec.id in self._running:
            return False
        self._running.add(spec.id)
        if self._handler is None:
            self._pending.append(spec)
        else:
            self._start(spec)
        return True

    def _start(self, spec: JobSpec) -> None:
        async def run():
            try:
                async with self._sem:
                    await self._handler(spec)
            except Exception as exc:
                log.exception("job %s failed", spec.id)
                await _give_up(self._handler, spec, exc)  # no retry in memory mode
            finally:
                self._running.discard(spec.id)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run_worker(self, handler: Handler, concurrency: int) -> None:
        self._handler, self._sem = handler, asyncio.Semaphore(concurrency)
        self._concurrency = concurrency
        for spec in self._pending:
            self._start(spec)
        self._pending.clear()
        await asyncio.Event().wait()  # until cancelled

    def consuming(self) -> bool:
        return self._handler is not None

    async def cancel_where(self, match) -> int:
        """Drops the jobs not started yet whose spec matches (an uninstalled workspace's)."""
        doomed = [s for s in self._pending if match(s)]
        self._pending = [s for s in self._pending if not match(s)]
        for spec in doomed:
            self._running.discard(spec.id)
        return len(doomed)

    async def alive(self, job_id: str) -> bool:
        return job_id in self._running

    async def depth(self) -> dict[str, int]:
        running = min(len(self._tasks), self._concurrency)
        return {"queued": len(self._pending) + len(self._tasks) - running, "active": running}

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()


class SaqQueue:
    def __init__(self, redis_url: str, *, job_timeout: int = 900, name: str = "seo-fr"):
        import redis.asyncio as aioredis
        from redis.asyncio.retry import Retry
        from redis.backoff import ExponentialBackoff
        from redis.exceptions import ConnectionError as RConnErr
        from redis.exceptions import TimeoutError as RTimeout
        from saq.queue.redis import RedisQueue

        # saq's own client has no retry: after a Redis restart the first command on each pooled
        # connection failed ("Connection closed by server") and a user was told the queue was down
        # while it was back. No socket_timeout: the worker blocks on BLMOVE.
        # Each of a worker's concurrent slots blocks a connection on BLMOVE while it waits for a
        # job, and heartbeats and the sweep need more: redis-py's default pool of 100 ran dry.
        client = aioredis.Redis.from_url(
            redis_url, socket_connect_timeout=2, health_check_interval=10, max_connections=2000,
            retry=Retry(ExponentialBackoff(cap=1, base=0.05), 3), retry_on_error=[RConnErr, RTimeout],
            driver_info=driver_info())
        self.queue = RedisQueue(client, name=name)
        self.job_timeout = job_timeout
        self._connected = False
        self._worker = None

    async def _connect(self) -> None:
        if not self._connected:
            await self.queue.connect()
            self._connected = True

    async def enqueue(self, spec: JobSpec) -> bool:
        await self._connect()
        job = await self.queue.enqueue(
            "run_job",
            key=spec.id,
            spec=spec.model_dump(),
            timeout=self.job_timeout,
            heartbeat=HEARTBEAT_TIMEOUT,
            retries=RETRIES,
            retry_delay=1.0,
            retry_backoff=30.0,
            ttl=7 * 86400,
        )
        return job is not None

    async def run_worker(self, handler: Handler, concurrency: int) -> None:
        from saq import Worker

        await self._connect()

        async def run_job(ctx, *, spec: dict):
            job = ctx["job"]

            async def beat():
                while True:
                    await asyncio.sleep(HEARTBEAT_EVERY)
                    try:
                        await job.update()
                    except Exception:  # Redis blip: the next beat will do
                        log.warning("heartbeat failed for %s", job.key)

            beater = asyncio.create_task(beat())
            job_spec = JobSpec.model_validate(spec)
            try:
                await handler(job_spec)
            except Exception as exc:
                if job.attempts >= job.retries:  # saq will not try again: tell the user
                    await _give_up(handler, job_spec, exc)
                raise
            finally:
                beater.cancel()

        # saq's sweep aborts a stuck job, then waits up to 5 s (per job, one after the other) for
        # its worker to acknowledge before re-queueing it. Our workers die by SIGKILL or OOM, and
        # never answer: a worker killed in turn during that wait left the job off every list,
        # lost. Jobs are idempotent with a run claim (jobs/runner.py), so re-queue at once.
        self.queue.sweep = functools.partial(type(self.queue).sweep, self.queue, abort=None)

        # saq calls sweep(SWEEP_EVERY): its lock lasts one period, so some worker sweeps each period.
        worker = Worker(self.queue, functions=[("run_job", run_job)], concurrency=concurrency,
                        timers={"sweep": SWEEP_EVERY}, shutdown_grace_period_s=5)
        self._worker = worker
        await worker.start()

    async def cancel_where(self, match) -> int:
        """Aborts the queued jobs whose spec matches (an uninstalled workspace's): no worker takes
        them. A job already running stops at its next Slack call (its tokens are revoked)."""
        from saq.job import Status

        await self._connect()
        doomed = []
        async for job in self.queue.iter_jobs(statuses=[Status.QUEUED]):
            try:
                spec = JobSpec.model_validate((job.kwargs or {}).get("spec") or {})
            except ValueError:
                continue
            if match(spec):
                doomed.append(job)
        for job in doomed:
            await self.queue.abort(job, "uninstalled")
            await self.queue.finish_abort(job)
        return len(doomed)

    def consuming(self) -> bool:
        """saq's worker runs its dequeue loops (it stops them when it shuts down)."""
        w = self._worker
        return w is not None and not w.event.is_set() and any(t.get_name() == "process" for t in w.tasks)

    async def alive(self, job_id: str) -> bool:
        from saq.job import Status

        await self._connect()
        job = await self.queue.job(job_id)
        return job is not None and job.status in (Status.NEW, Status.QUEUED, Status.ACTIVE, Status.ABORTING)

    async def depth(self) -> dict[str, int]:
        await self._connect()
        return {"queued": await self.queue.count("queued"), "active": await self.queue.count("active")}

    async def close(self) -> None:
        if self._connected:
            await self.queue.disconnect()
