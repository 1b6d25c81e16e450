"""Prometheus metrics of this process (prometheus-client; served at /metrics).

Each process (web, every worker) has its own registry and serves it on its own port; Prometheus
scrapes each one as its own target, so several workers never overwrite each other's figures
(sum them in queries). The engine reports LLM calls through seo.observe (MetricsObserver).
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from seo.observe import LLMCall

SURFACES = ("command", "event", "action", "view", "shortcut", "options", "url_verification", "other")
_LATENCY = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0)
_JOB = (1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600)
_LLM = (0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120)


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None):
        r = self.registry = registry or CollectorRegistry()
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        self.requests = Counter("seo_slack_requests", "Slack requests received, by surface", ["surface"],
                                registry=r)
        self.ack_seconds = Histogram("seo_slack_ack_seconds", "Time to answer (ack) a Slack request",
                                     ["surface"], buckets=_LATENCY, registry=r)
        self.jobs = Counter("seo_jobs", "Jobs run by this worker, by kind and outcome", ["kind", "outcome"],
                            registry=r)
        self.job_seconds = Histogram("seo_job_duration_seconds", "Duration of a job run", ["kind"],
                                     buckets=_JOB, registry=r)
        self.queue = Gauge("seo_queue_jobs", "Jobs in the queue (shared by all workers)", ["state"], registry=r)
        self.llm_calls = Counter("seo_llm_calls", "LLM calls (one per request, SDK retries included)",
                                 registry=r)
        self.llm_seconds = Histogram("seo_llm_call_seconds", "Latency of an LLM call", buckets=_LLM,
                                     registry=r)
        self.llm_tokens = Counter("seo_llm_tokens", "LLM tokens; prompt includes cached", ["type"], registry=r)
        self.llm_errors = Counter("seo_llm_errors", "Failed LLM calls and unusable replies, by kind", ["kind"],
                                  registry=r)
        self.repair_rounds = Counter("seo_repair_rounds", "Repair calls made after a draft failed its checks",
                                     registry=r)
        self.first_drafts = Counter("seo_first_drafts", "Drafts from scratch (rewrite, regenerate), passed "
                                    "without a repair or not", ["passed"], registry=r)
        self.fidelity_shipped = Counter("seo_fidelity_issues_shipped", "Fidelity issues shipped as "
                                        "« À vérifier », by kind", ["kind"], registry=r)
        self.slack_errors = Counter("seo_slack_api_errors", "Slack Web API calls that failed, by method and "
                                    "error code", ["method", "code"], registry=r)
        self.ready = Gauge("seo_ready", "1 when /readyz answers 200", registry=r)
        self.redis_up = Gauge("seo_redis_up", "1 when Redis answered the last check (memory mode: 1)",
                              registry=r)
        # Zeros from the start, so rates and ratios exist before the first event.
        for s in SURFACES:
            self.requests.labels(s)
        for t in ("prompt", "cached", "completion"):
            self.llm_tokens.labels(t)
        for p in ("true", "false"):
            self.first_drafts.labels(p)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class MetricsObserver:
    """seo.observe observer: LLM calls, tokens, errors and repair rounds into the metrics."""

    def __init__(self, metrics: Metrics):
        self.m = metrics

    def llm_call(self, call: LLMCall) -> None:
        self.m.llm_calls.inc()
        self.m.llm_seconds.observe(call.seconds)
        if call.error:
            self.m.llm_errors.labels(call.error).inc()
            return
        self.m.llm_tokens.labels("prompt").inc(call.prompt_tokens)
        self.m.llm_tokens.labels("cached").inc(call.cached_tokens)
        self.m.llm_tokens.labels("completion").inc(call.completion_tokens)

    def llm_bad_reply(self) -> None:
        self.m.llm_errors.labels("bad_reply").inc()

    def repair_round(self) -> None:
        self.m.repair_rounds.inc()


def surface_of(body: dict | None) -> str:
    """The Slack surface a request (its parsed payload) comes from."""
    if not isinstance(body, dict):
        return "other"
    if body.get("command"):
        return "command"
    kind = body.get("type")
    return {
        "event_callback": "event", "block_actions": "action", "interactive_message": "action",
        "view_submission": "view", "view_closed": "view", "shortcut": "shortcut", "message_action": "shortcut",
        "block_suggestion": "options", "url_verification": "url_verification",
    }.get(kind, "other")


def parse_body(raw: bytes, content_type: str) -> dict | None:
    """An HTTP request body as Slack sends it: JSON (events) or a form (commands, a JSON payload)."""
    try:
        if content_type.startswith("application/json"):
            return json.loads(raw)
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        if "payload" in form:
            return json.loads(form["payload"])
        return form
    except (ValueError, UnicodeDecodeError):
        return None


_metrics: Metrics | None = None


def metrics() -> Metrics:
    """This process's metrics (one registry per process)."""
    global _metrics
    if _metrics is None:
        _metrics = Metrics()
    return _metrics
