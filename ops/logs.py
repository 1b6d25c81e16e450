"""Logging for the bot: one root handler, text or JSON (LOG_FORMAT), context and redaction.

Every record, libraries' included (saq, slack_bolt, slack_sdk, openai, aiohttp, httpx), goes
through the root handler installed here: the handlers libraries add themselves are removed and
their loggers propagate. JSON lines carry time, level, logger, message and the job id, channel
and team of the work in progress (context variables set by the worker around a job and by a
Bolt middleware around a Slack request).

Never logged: tokens, keys, passwords (redacted by value and by shape) and dispatch text
(libraries that dump request bodies at DEBUG are held at INFO).
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextvars import ContextVar

job_var: ContextVar[str | None] = ContextVar("log_job", default=None)
channel_var: ContextVar[str | None] = ContextVar("log_channel", default=None)
team_var: ContextVar[str | None] = ContextVar("log_team", default=None)

_VARS = {"job": job_var, "channel": channel_var, "team": team_var}

# Their DEBUG output holds request and response bodies (messages, dispatches, prompts).
BODY_DUMPERS = ("slack_bolt", "slack_sdk", "openai", "saq", "httpx", "httpcore", "httpx2", "httpcore2")
# Chatty at INFO about every HTTP request: one line each is noise, not news.
QUIET = ("httpx", "httpcore", "httpx2", "httpcore2", "aiohttp.access")

SECRET_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "OPENAI_API_KEY",
                   "WORDPRESS_APP_PASSWORD", "SLACK_CLIENT_SECRET", "SEO_ENCRYPTION_KEY")
_SHAPES = re.compile(
    r"xox[abposre]-[A-Za-z0-9-]{6,}"  # Slack bot, user, app-config tokens
    r"|xapp-[A-Za-z0-9-]{6,}"  # Slack app-level tokens
    r"|sk-[A-Za-z0-9_-]{8,}"  # OpenAI-style keys
    r"|(?<=://)[^/\s:@]*:[^/\s@]+(?=@)"  # user:password@ in URLs (REDIS_URL…)
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=-]{8,}"
)
MASK = "[masqué]"


@contextlib.contextmanager
def log_context(**values: str | None) -> Iterator[None]:
    """Sets job / channel / team for the records logged inside the block (this asyncio context)."""
    tokens = [(_VARS[k], _VARS[k].set(v)) for k, v in values.items() if k in _VARS and v]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in _VARS.items():
            if getattr(record, name, None) is None:
                setattr(record, name, var.get())
        return True


class LibraryDebugFilter(logging.Filter):
    """Drops the DEBUG records of libraries that dump request bodies, whatever LOG_LEVEL says."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            return True
        return not any(record.name == n or record.name.startswith(n + ".") for n in BODY_DUMPERS)


class PayloadFilter(logging.Filter):
    """Libraries that put payloads in INFO lines: saq prints each job's kwargs (the job spec, with
    an editor's instruction or keyword) and Bolt the body of a request it refuses (a dispatch).
    The job id stays (it becomes the record's `job`); the payload goes."""

    _SAQ_KEY = re.compile(r"\bkey: ([\w:.-]+)")  # the last one: the kwargs come before the job's key

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "saq" or record.name.startswith("saq."):
            msg = record.getMessage()
            if "Job<" in msg:
                verb, rest = msg.split("Job<", 1)
                keys = self._SAQ_KEY.findall(rest)
                record.msg, record.args = f"{verb}job {keys[-1] if keys else MASK}", None
                if keys and getattr(record, "job", None) is None:
                    record.job = keys[-1]
        elif record.name.startswith("slack_bolt"):
            msg = record.getMessage()
            if "body:" in msg:
                record.msg, record.args = msg.split("body:", 1)[0] + "body: " + MASK + ")", None
        return True


class OutageOneLiner(logging.Filter):
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


class Redactor:
    """Masks secret values (the settings' own values, and anything shaped like a token)."""

    def __init__(self, env: dict | None = None):
        env = os.environ if env is None else env
        values = {env.get(k, "").strip() for k in SECRET_SETTINGS}
        self.values = sorted((v for v in values if len(v) >= 6), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for v in self.values:
            if v in text:
                text = text.replace(v, MASK)
        return _SHAPES.sub(MASK, text)


class _Redacting:
    """Mixin for formatters: the final line goes through the redactor."""

    redact: Redactor

    def format(self, record: logging.LogRecord) -> str:  # type: ignore[override]
        return self.redact(super().format(record))  # type: ignore[misc]


class TextFormatter(_Redacting, logging.Formatter):
    def __init__(self, redact: Redactor):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s%(context)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        parts = [f"{k}={getattr(record, k)}" for k in _VARS if getattr(record, k, None)]
        record.context = f" [{' '.join(parts)}]" if parts else ""
        return super().format(record)


def json_formatter(redact: Redactor) -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    class _Json(_Redacting, JsonFormatter):
        pass

    fmt = _Json(["levelname", "name", "message", "job", "channel", "team"],
                rename_fields={"levelname": "level", "name": "logger"},
                timestamp="time", json_ensure_ascii=False)
    fmt.redact = redact
    return fmt


def setup(level: str | None = None, fmt: str | None = None, *, stream=None) -> logging.Handler:
    """Installs the one root handler. LOG_LEVEL and LOG_FORMAT (text | json) by default."""
    level = (level or os.environ.get("LOG_LEVEL") or "INFO").upper()
    fmt = (fmt or os.environ.get("LOG_FORMAT") or "text").strip().lower()
    redact = Redactor()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter(redact) if fmt == "json" else TextFormatter(redact))
    for f in (LibraryDebugFilter(), PayloadFilter(), ContextFilter(), OutageOneLiner()):
        handler.addFilter(f)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # No stray handler printing plain text: libraries log through the root handler only.
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            if not isinstance(old, logging.NullHandler):
                logger.removeHandler(old)
        logger.propagate = True
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    if fmt not in ("text", "json"):
        logging.getLogger("seo-fr").warning("LOG_FORMAT=%s inconnu : journaux en texte (valeurs : text, json).",
                                            fmt[:20])
    return handler


def _log_uncaught(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logging.getLogger("seo-fr").critical("erreur non rattrapée", exc_info=(exc_type, exc, tb))
