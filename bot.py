"""Entry point: `python bot.py [--role all|web|worker]`, or `python bot.py --usage`.

web    receives Slack (HTTP on PORT at /slack/events, or Socket Mode when SLACK_APP_TOKEN is set),
       acks, validates and enqueues;
worker runs the jobs (LLM, checks, posting in threads);
all    both in one process (the default, and the only choice without REDIS_URL).
Each process serves /healthz, /readyz and /metrics: on PORT in HTTP mode, on HEALTH_PORT otherwise.
--usage prints the usage and cost of this month and the last, per channel, then exits.
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
    import aiohttp

    from ops.slack import MeteredWebClient as AsyncWebClient  # counts Slack API errors by code

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
    from ops.metrics import metrics
    from ops.slack import bolt_middleware
    from ops.usage import UsageStore

    app = AsyncApp(
        client=_web_client(settings),
        signing_secret=settings.signing_secret or None,
        # Socket Mode needs no signature; HTTP mode always checks it.
        request_verification_enabled=not settings.app_token,
        ignoring_self_events_enabled=True,
    )
    # Log context for every listener; in Socket Mode, request counts too (HTTP mode counts them in aiohttp).
    app.use(bolt_middleware(metrics(), count_requests=bool(settings.app_token)))
    register(app, Services(settings=settings, state=state, submitter=submitter,
                           usage=UsageStore(state.kv, settings.retention_days)))
    return app


async def run_web(app, settings, stop: asyncio.Event, health) -> None:
    if settings.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(app, settings.app_token)
        await handler.connect_async()
        log.info("Socket Mode connecté")
        await stop.wait()
        await handler.close_async()
        return
    from aiohttp import web

    from handlers.acks import fast_ack, track_requests
    from ops.health import request_metrics

    web_app = app.web_app(path="/slack/events")
    web_app.middlewares.append(request_metrics(health.metrics))  # outermost: counts and times every ack
    # Acks first: signed commands, clicks and events are answered before Bolt runs them.
    web_app.middlewares.append(track_requests)
    web_app.middlewares.append(fast_ack(app, settings.signing_secret))
    health.add_routes(web_app)  # /healthz, /readyz, /metrics
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host=os.environ.get("HOST", "0.0.0.0"), port=settings.port)
    await site.start()
    log.info("HTTP en écoute sur le port %s (chemin /slack/events)", settings.port)
    await stop.wait()
    await runner.cleanup()


async def run_worker(settings, state, queue, stop: asyncio.Event) -> None:
    from jobs.fair import FairShare
    from jobs.publisher import Publisher
    from integrations.wordpress import WordPressSettings
    from jobs.quotas import Quotas
    from jobs.runner import JobRunner
    from jobs.wordpress import WordPressJob
    from ops.jobs import InstrumentedRunner
    from ops.metrics import metrics
    from ops.usage import UsageStore
    from seo.pipeline import Engine

    from jobs.limits import SlackBudgets
    from jobs.streaming import Streamer

    engine = Engine()
    # Slack's budgets per workspace, shared by every worker through Redis (jobs/limits.py).
    budgets = SlackBudgets(settings.redis_url, appends_per_min=settings.stream_appends_per_min,
                           starts_per_min=settings.stream_starts_per_min)
    await budgets.start()
    client = _web_client(settings)
    client.pacer = budgets  # chat.postMessage: about one a second per channel, for every worker
    publisher = Publisher(client, state)
    wordpress = WordPressJob(WordPressSettings.from_env(), state, publisher)
    streamer = None
    if settings.stream:
        streamer = Streamer(_web_client(settings, retries=False), budgets)
    quotas = Quotas(state.kv, settings)
    # The runner releases a job's quota once its result is saved; FairShare again when it is over.
    runner = JobRunner(engine, state, publisher, settings, wordpress, streamer=streamer, quotas=quotas)
    # Log context, job metrics and usage around each job (the runner itself is untouched).
    runner = InstrumentedRunner(runner, state, UsageStore(state.kv, settings.retention_days), metrics())

    async def finished(spec) -> None:
        await quotas.release(spec.id, user=spec.user, channel=spec.channel)

    # Runs `worker_concurrency` jobs at once, in fair turns between channels; takes up to one channel's
    # in-flight quota more from the queue, so one channel's burst cannot keep others' jobs queued.
    handler = FairShare(runner, settings.worker_concurrency, on_finished=finished)
    slots = settings.worker_concurrency + (settings.max_jobs_per_channel or settings.worker_concurrency)
    task = asyncio.create_task(queue.run_worker(handler, slots))
    log.info("Worker prêt (%d travaux simultanés)", settings.worker_concurrency)
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    stop.set()  # saq installs its own SIGTERM handler: when the worker stops, everything stops
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await engine.close()
    await wordpress.close()
    await client.session.close()  # else asyncio logs "Unclosed client session" at exit
    if streamer is not None:
        await streamer.client.session.close()
    await budgets.close()


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
    from ops import observe_llm
    from ops.health import Health
    from ops.metrics import metrics

    state, queue, submitter = build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    observe_llm(metrics())
    health = Health(metrics(), redis_url=settings.redis_url, queue=queue, worker=role in ("all", "worker"))
    tasks = [health.run(stop)]
    http_mode = role in ("all", "web") and not settings.app_token
    if settings.health_port and not http_mode:
        tasks.append(health.serve(os.environ.get("HOST", "0.0.0.0"), settings.health_port, stop))
    elif not http_mode:
        log.info("HEALTH_PORT n’est pas défini : pas de /healthz, /readyz ni /metrics pour ce processus.")
    if role in ("all", "web"):
        tasks.append(run_web(build_app(settings, state, submitter), settings, stop, health))
    if role in ("all", "worker"):
        tasks.append(run_worker(settings, state, queue, stop))
    try:
        await asyncio.gather(*tasks)
    finally:
        await queue.close()
        await state.kv.close()
    return 0


def cli() -> int:
    load_dotenv()
    parser = argparse.ArgumentParser(description="Bot Slack de réécriture SEO en français")
    parser.add_argument("--role", choices=("all", "web", "worker"), default="all")
    parser.add_argument("--usage", action="store_true",
                        help="affiche l’utilisation et le coût du mois en cours et du précédent, puis quitte")
    args = parser.parse_args()
    from ops import logs

    logs.setup()  # one root handler, text or JSON (LOG_FORMAT), secrets masked
    if args.usage:
        from ops.report import print_usage

        return asyncio.run(print_usage())
    return asyncio.run(main(args.role))


if __name__ == "__main__":
    sys.exit(cli())
