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


def _web_client(settings, *, retries: bool = True, tokens=None):
    from slack_sdk.http_retry.builtin_async_handlers import (
        AsyncConnectionErrorRetryHandler,
        AsyncRateLimitErrorRetryHandler,
        AsyncServerErrorRetryHandler,
    )
    import aiohttp

    from ops.slack import MeteredWebClient as AsyncWebClient  # counts Slack API errors by code

    # One pooled session: slack_sdk otherwise opens a new session (and connection) per call.
    kwargs = {"token": settings.bot_token or None, "timeout": 15,
              "session": aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    if settings.oauth:
        kwargs["token"] = None  # OAuth mode: a token per workspace, never one for all
    if tokens is not None:  # a worker's client: the token of the team each job acts for
        from tenancy.client import TenantWebClient

        client = TenantWebClient(tokens=tokens, **kwargs)
    else:
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
    if settings.oauth:  # every key under the team it belongs to (tenancy/kv.py)
        from tenancy.kv import TenantKV

        kv = TenantKV(kv)
    state = State(kv, retention_days=settings.retention_days)
    return state, queue, Submitter(state, queue, settings)


def build_tenancy(settings, state, queue):
    """OAuth mode: the installation store, the tokens and the uninstall lifecycle; else None."""
    if not settings.oauth:
        return None
    from types import SimpleNamespace

    from tenancy.lifecycle import Lifecycle
    from tenancy.store import RedisInstallationStore, RedisOAuthStateStore, Secrets
    from tenancy.tokens import InstalledTokens

    secrets_ = Secrets(settings.encryption_key)
    store = RedisInstallationStore(settings.redis_url, secrets_, client_id=settings.client_id)
    tokens = InstalledTokens(store, client_id=settings.client_id, client_secret=settings.client_secret,
                             # no retry handler: a resent refresh would spend a single-use refresh token twice
                             client=_web_client(settings, retries=False),
                             minutes_before=settings.token_refresh_minutes)
    from tenancy.wordpress import TeamSites

    return SimpleNamespace(store=store, tokens=tokens, secrets=secrets_, sites=TeamSites(state.kv, secrets_),
                           state_store=RedisOAuthStateStore(store.redis),
                           lifecycle=Lifecycle(store, tokens, state.kv, queue))


def build_app(settings, state, submitter, tenancy=None):
    from slack_bolt.async_app import AsyncApp

    from handlers import register
    from handlers.services import Services
    from ops.metrics import metrics
    from ops.slack import bolt_middleware
    from ops.usage import UsageStore

    oauth = {}
    if tenancy is not None:  # bolt's own OAuthFlow (/slack/install, /slack/oauth_redirect) on our stores
        from tenancy.bolt import AUTHORIZE_ERROR, TenantAuthorize, oauth_settings

        oauth = {"oauth_settings": oauth_settings(settings, tenancy.store, tenancy.state_store),
                 "authorize": TenantAuthorize(tenancy.tokens), "installation_store_bot_only": True,
                 "user_facing_authorize_error_message": AUTHORIZE_ERROR}
    app = AsyncApp(
        client=_web_client(settings),
        signing_secret=settings.signing_secret or None,
        # Socket Mode needs no signature; HTTP mode always checks it.
        request_verification_enabled=not settings.app_token,
        ignoring_self_events_enabled=True,
        **oauth,
    )
    if tenancy is not None:  # the rest of each request acts for its team (keys, job specs)
        from tenancy.bolt import tenant_middleware

        app.use(tenant_middleware(tenancy.tokens))
    # Log context for every listener; in Socket Mode, request counts too (HTTP mode counts them in aiohttp).
    app.use(bolt_middleware(metrics(), count_requests=bool(settings.app_token)))
    register(app, Services(settings=settings, state=state, submitter=submitter,
                           usage=UsageStore(state.kv, settings.retention_days), tenancy=tenancy))
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


async def run_worker(settings, state, queue, stop: asyncio.Event, tenancy=None) -> None:
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
    # Slack's budgets per workspace, shared by every worker through Redis (jobs/limits/).
    budgets = SlackBudgets(settings.redis_url, appends_per_min=settings.stream_appends_per_min,
                           starts_per_min=settings.stream_starts_per_min)
    await budgets.start()
    tokens = tenancy.tokens if tenancy is not None else None
    client = _web_client(settings, tokens=tokens)
    client.pacer = budgets  # chat.postMessage: about one a second per channel, for every worker
    publisher = Publisher(client, state)
    wordpress = WordPressJob(WordPressSettings.from_env(), state, publisher,
                             sites=tenancy.sites if tenancy is not None else None)
    streamer = None
    if settings.stream:
        streamer = Streamer(_web_client(settings, retries=False, tokens=tokens), budgets)
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
    if tenancy is not None:  # each job acts for its team; one whose installation is gone ends quietly
        from tenancy.jobs import TenantJobs

        handler = TenantJobs(handler, tenancy.tokens)
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
    if not settings.oauth:
        if settings.client_id or settings.client_secret:
            log.warning("Un seul de SLACK_CLIENT_ID et SLACK_CLIENT_SECRET est défini : mode un seul espace de "
                        "travail (SLACK_BOT_TOKEN). / Only one of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET is set.")
        # bolt turns OAuth on by itself when these exist, even empty: single-workspace mode here.
        for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
            os.environ.pop(name, None)
    elif problem := _oauth_problem(settings):
        log.error(problem)
        return 2
    if role in ("all", "web") and not settings.bot_token and not settings.oauth:
        log.error("SLACK_BOT_TOKEN n’est pas défini : voir .env.example.")
        return 2
    if role == "worker" and not settings.bot_token and not settings.oauth:
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
    tenancy = build_tenancy(settings, state, queue)
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
        tasks.append(run_web(build_app(settings, state, submitter, tenancy), settings, stop, health))
    if role in ("all", "worker"):
        tasks.append(run_worker(settings, state, queue, stop, tenancy))
    try:
        await asyncio.gather(*tasks)
    finally:
        await queue.close()
        await state.kv.close()
        if tenancy is not None:
            await tenancy.tokens.client.session.close()
            await tenancy.store.close()
    return 0


def _oauth_problem(settings) -> str | None:
    """Why OAuth mode cannot start (French, then English for the operator's search engine)."""
    if not settings.redis_url:
        return ("Mode OAuth (SLACK_CLIENT_ID) : les installations sont gardées dans Redis, définissez REDIS_URL. "
                "/ OAuth mode keeps installations in Redis: set REDIS_URL.")
    if settings.app_token:
        return ("Mode OAuth et Socket Mode (SLACK_APP_TOKEN) ne vont pas ensemble : l’installation passe par "
                "/slack/install et /slack/oauth_redirect en HTTP. Retirez SLACK_APP_TOKEN. / OAuth installs "
                "need HTTP mode: unset SLACK_APP_TOKEN.")
    if not settings.encryption_key:
        return ("SEO_ENCRYPTION_KEY n’est pas défini : les jetons des espaces de travail sont chiffrés dans Redis. "
                "Générez une clé : python -c \"from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())\" / set SEO_ENCRYPTION_KEY (a Fernet key).")
    try:
        from tenancy.store import Secrets

        Secrets(settings.encryption_key)
    except ValueError:
        return "SEO_ENCRYPTION_KEY n’est pas une clé Fernet valide. / SEO_ENCRYPTION_KEY is not a valid Fernet key."
    return None


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
