"""/healthz, /readyz and /metrics, and the checks behind readiness.

/healthz: the process runs (its event loop answers).
/readyz:  Redis answers a PING (checked every CHECK_EVERY seconds on a connection of its own,
          no retries, so an outage shows within seconds and its end as quickly, without a
          restart); for a worker, saq is consuming. 503 otherwise. In memory mode (no
          REDIS_URL) it is about the process itself.
/metrics: Prometheus text format (ops.metrics).

HTTP mode serves them beside /slack/events on PORT; a worker or a Socket Mode process serves
them on HEALTH_PORT.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable

from aiohttp import web

from .metrics import Metrics, parse_body, surface_of

log = logging.getLogger(__name__)

CHECK_EVERY = 1.0  # seconds between two Redis checks
CHECK_TIMEOUT = 1.0


class Health:
    def __init__(self, metrics: Metrics, *, redis_url: str | None, queue=None, worker: bool = False):
        self.metrics = metrics
        self.redis_url = redis_url
        self.queue = queue
        self.worker = worker  # readiness includes "the worker consumes"
        self.redis_ok = redis_url is None
        self.checked_at = 0.0
        self._client = None

    # --- checks -------------------------------------------------------------
    def consuming(self) -> bool:
        if not self.worker:
            return True
        fn: Callable[[], bool] | None = getattr(self.queue, "consuming", None)
        return bool(fn and fn())

    def status(self) -> dict:
        redis = "memoire" if self.redis_url is None else ("ok" if self.redis_ok else "injoignable")
        out = {"ready": (self.redis_ok and self.consuming()), "redis": redis}
        if self.worker:
            out["worker"] = "ok" if self.consuming() else "arrete"
        return out

    async def _ping(self) -> bool:
        if self.redis_url is None:
            return True
        if self._client is None:
            import redis.asyncio as aioredis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            self._client = aioredis.Redis.from_url(
                self.redis_url, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT,
                retry=Retry(NoBackoff(), 0), health_check_interval=0, max_connections=4)
        try:
            await asyncio.wait_for(self._client.ping(), CHECK_TIMEOUT * 2)
            return True
        except Exception as exc:  # any failure means "not ready"
            if self.redis_ok:
                log.warning("Redis ne répond plus (%s) : /readyz passe à 503", type(exc).__name__)
            return False

    async def check(self) -> None:
        ok = await self._ping()
        if ok and not self.redis_ok and self.redis_url:
            log.info("Redis répond de nouveau : /readyz repasse à 200")
        self.redis_ok = ok
        self.checked_at = time.monotonic()
        self.metrics.redis_up.set(1 if ok else 0)
        self.metrics.ready.set(1 if self.status()["ready"] else 0)
        if ok:
            await self._queue_depth()

    async def _queue_depth(self) -> None:
        depth = getattr(self.queue, "depth", None)
        if depth is None:
            return
        try:
            for state, n in (await depth()).items():
                self.metrics.queue.labels(state).set(n)
        except Exception as exc:  # a Redis blip between the ping and this: next round
            log.debug("queue depth unavailable: %s", exc)

    async def run(self, stop: asyncio.Event) -> None:
        """Checks every CHECK_EVERY seconds until `stop` is set."""
        while not stop.is_set():
            await self.check()
            try:
                await asyncio.wait_for(stop.wait(), CHECK_EVERY)
            except asyncio.TimeoutError:
                pass
        if self._client is not None:
            await self._client.aclose()

    # --- HTTP ---------------------------------------------------------------
    async def healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(self, _request: web.Request) -> web.Response:
        status = self.status()
        return web.Response(status=200 if status["ready"] else 503, text=json.dumps(status),
                            content_type="application/json")

    async def metrics_page(self, _request: web.Request) -> web.Response:
        body, content_type = self.metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics_page)

    async def serve(self, host: str, port: int, stop: asyncio.Event) -> None:
        """The three endpoints alone on `port` (HEALTH_PORT), until `stop` is set."""
        app = web.Application()
        self.add_routes(app)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host=host, port=port).start()
        log.info("Santé et métriques sur le port %s (/healthz, /readyz, /metrics)", port)
        await stop.wait()
        await runner.cleanup()


def request_metrics(metrics: Metrics, path: str = "/slack/events"):
    """aiohttp middleware (outermost): Slack requests by surface and the time to answer them."""

    @web.middleware
    async def middleware(request: web.Request, handler):
        if request.method != "POST" or request.path != path:
            return await handler(request)
        started = time.perf_counter()
        body = await request.read()  # aiohttp keeps it: the next reader gets it again
        surface = surface_of(parse_body(body, request.headers.get("Content-Type", "")))
        try:
            return await handler(request)
        finally:
            metrics.requests.labels(surface).inc()
            metrics.ack_seconds.labels(surface).observe(time.perf_counter() - started)

    return middleware
