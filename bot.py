"""Entry point: `python bot.py [--role all|web|worker]`.

web    receives Slack (HTTP on PORT at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set),
       acks, validates and enqueues;
worker runs the jobs (LLM, checks, posting in threads);
all    both in one process (the default, and the only choice without REDIS_URL).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

from dotenv import load_dotenv

log = logging.getLogger("seo-fr")


def _web_client(settings, *, retries: bool = True):
    from slack_sdk.http_retry.builtin_async_handlers import (
        AsyncConnectionErrorRetryHandler,
        AsyncRateLimitErrorRetryHandler,
        AsyncServerErrorRetryHandler,
    )
    from slack_sdk.web.async_client import AsyncWebClient

    import aiohttp

    # One pooled session: slack_sdk otherwise opens a new session (and connection) per call.
    kwargs = {"token": settings.bot_token, "timeout": 15,
              "session": aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    client = AsyncWebClient(**kwargs)
    if not retries:
        # Streaming calls: a `ratelimited` start means "post the article whole, now", and a
        # resent append or start would duplicate text or messages. No handler sleeps or resends.
        client.retry_handlers.clear()
        return client
    client.retry_handlers.extend([
        AsyncRateLimitErrorRetryHandler(max_retry_count=5),
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ])
    return client


def build(settings):
    """The pieces shared by both roles: state, queue, submitter."""
    from jobs.kv import MemoryKV, RedisKV
    from jobs.queue import LocalQueue, SaqQueue
    from jobs.state import State
    from jobs.submit import Submitter

    if settings.redis_url:
        kv, queue = RedisKV(settings.redis_url), SaqQueue(settings.redis_url, job_timeout=settings.job_timeout)
    else:
        log.warning("REDIS_URL n’est pas défini : file d’attente et état en mémoire, les travaux en cours "
                    "ne survivront pas à un redémarrage.")
        kv, queue = MemoryKV(), LocalQueue()
    state = State(kv, retention_days=settings.retention_days)
    return state, queue, Submitter(state, queue, settings)


def build_app(settings, state, submitter):
    from slack_bolt.async_app import AsyncApp

    from handlers import register
    from handlers.services import Services

    app = AsyncApp(
        client=_web_client(settings),
        signing_secret=settings.signing_secret or None,
        # Socket Mode needs no signature; HTTP mode always checks it.
        request_verification_enabled=not settings.app_token,
        ignoring_self_events_enabled=True,
    )
    register(app, Services(settings=settings, state=state, submitter=submitter))
    return app


async def run_web(app, settings, stop: asyncio.Event) -> None:
    if settings.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(app, settings.app_token)
        await handler.connect_async()
        log.info("Socket Mode connecté")
        await stop.wait()
        await handler.close_async()
        return
    from aiohttp import web

    from handlers.pacing import fast_ack, track_requests

    web_app = app.web_app(path="/slack/events")
    # Acks first: signed commands, clicks and events are answered before Bolt runs them.
    web_app.middlewares.append(track_requests)
    web_app.middlewares.append(fast_ack(app, settings.signing_secret))

    async def health(_request):
        return web.Response(text="ok")

    web_app.router.add_get("/healthz", health)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host=os.environ.get("HOST", "0.0.0.0"), port=settings.port)
    await site.start()
    log.info("HTTP en écoute sur le port %s (chemin /slack/events)", settings.port)
    await stop.wait()
    await runner.cleanup()


async def run_worker(settings, state, queue, stop: asyncio.Event) -> None:
    from jobs.publisher import Publisher
    from jobs.runner import JobRunner
    from seo.pipeline import Engine

    from jobs.streaming import Streamer

    engine = Engine()
    streamer = None
    if settings.stream:
        streamer = Streamer(_web_client(settings, retries=False), appends_per_min=settings.stream_appends_per_min,
                            starts_per_min=settings.stream_starts_per_min)
    runner = JobRunner(engine, state, Publisher(_web_client(settings), state), settings, streamer=streamer)
    task = asyncio.create_task(queue.run_worker(runner, settings.worker_concurrency))
    log.info("Worker prêt (%d travaux simultanés)", settings.worker_concurrency)
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()  # saq installs its own SIGTERM handler: when the worker stops, everything stops
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await engine.close()


async def main(role: str) -> int:
    from jobs.settings import BotSettings

    settings = BotSettings.from_env()
    if role in ("all", "web") and not settings.bot_token:
        log.error("SLACK_BOT_TOKEN n’est pas défini : voir .env.example.")
        return 2
    if role == "worker" and not settings.bot_token:
        log.error("SLACK_BOT_TOKEN n’est pas défini : le worker en a besoin pour publier.")
        return 2
    if role in ("all", "web") and not settings.app_token and not settings.signing_secret:
        log.error("SLACK_SIGNING_SECRET n’est pas défini (obligatoire en mode HTTP).")
        return 2
    if role != "all" and not settings.redis_url:
        log.error("Les rôles web et worker séparés partagent Redis : définissez REDIS_URL.")
        return 2
    state, queue, submitter = build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = []
    if role in ("all", "web"):
        tasks.append(run_web(build_app(settings, state, submitter), settings, stop))
    if role in ("all", "worker"):
        tasks.append(run_worker(settings, state, queue, stop))
    try:
        await asyncio.gather(*tasks)
    finally:
        await queue.close()
        await state.kv.close()
    return 0


class _OutageOneLiner(logging.Filter):
    """While Redis is unreachable, saq and asyncio log a 60-line traceback per job and per second;
    one line per event says it all (the job is retried once Redis is back)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            from redis.exceptions import ConnectionError as RConnErr, TimeoutError as RTimeout

            exc = record.exc_info[1]
            if isinstance(exc, (RConnErr, RTimeout, ConnectionRefusedError)):
                record.msg = f"{record.getMessage()} [Redis injoignable : {type(exc).__name__}: {exc}]"
                record.args = None
                record.exc_info = record.exc_text = None
        return True


def cli() -> int:
    load_dotenv()
    parser = argparse.ArgumentParser(description="Bot Slack de réécriture SEO en français")
    parser.add_argument("--role", choices=("all", "web", "worker"), default="all")
    args = parser.parse_args()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_OutageOneLiner())
    for noisy in ("httpx", "httpcore", "httpx2", "httpcore2", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return asyncio.run(main(args.role))


if __name__ == "__main__":
    sys.exit(cli())
