"""Hooks for whoever runs the engine (metrics, usage accounting, the eval command).

The engine stays free of Prometheus and Slack: the LLM client reports each call here, the
pipeline each repair round, and this module hands them to the observers registered by the
process (`add_observer`) and adds them up in the current `tally()`, if any. A tally follows
the asyncio context, so concurrent jobs (or dispatches under evaluation) each get their own.
"""
from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LLMCall:
    """One logical LLM call (the SDK's own transport retries included)."""

    seconds: float
    prompt_tokens: int = 0
    cached_tokens: int = 0
    completion_tokens: int = 0
    error: str | None = None  # a kind (`error_kind`), None when the call answered


class Observer(Protocol):
    def llm_call(self, call: LLMCall) -> None: ...
    def llm_bad_reply(self) -> None: ...
    def repair_round(self) -> None: ...


@dataclass
class Tally:
    """What one job (or one evaluated dispatch) cost, call by call."""

    llm_calls: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    completion_tokens: int = 0
    llm_seconds: float = 0.0
    repairs: int = 0
    errors: Counter = field(default_factory=Counter)

    def add_call(self, call: LLMCall) -> None:
        self.llm_calls += 1
        self.prompt_tokens += call.prompt_tokens
        self.cached_tokens += call.cached_tokens
        self.completion_tokens += call.completion_tokens
        self.llm_seconds += call.seconds
        if call.error:
            self.errors[call.error] += 1


_observers: list[Observer] = []
_tally: ContextVar[Tally | None] = ContextVar("seo_tally", default=None)


def add_observer(observer: Observer) -> None:
    if observer not in _observers:
        _observers.append(observer)


def remove_observer(observer: Observer) -> None:
    if observer in _observers:
        _observers.remove(observer)


@contextlib.contextmanager
def tally() -> Iterator[Tally]:
    """Adds up the LLM calls and repair rounds made inside the block (this asyncio context)."""
    t = Tally()
    token = _tally.set(t)
    try:
        yield t
    finally:
        _tally.reset(token)


def _notify(method: str, *args) -> None:
    for observer in list(_observers):
        try:
            getattr(observer, method)(*args)
        except Exception:  # an observer must never break a rewrite
            log.exception("observer %r failed", observer)


def report_call(call: LLMCall) -> None:
    t = _tally.get()
    if t is not None:
        t.add_call(call)
    _notify("llm_call", call)


def repair_round() -> None:
    """Called by the pipeline before each repair call."""
    t = _tally.get()
    if t is not None:
        t.repairs += 1
    _notify("repair_round")


def error_kind(exc: BaseException) -> str:
    """A short, stable label for a failed LLM call (metrics label values)."""
    import openai

    for cls, kind in ((openai.AuthenticationError, "auth"), (openai.PermissionDeniedError, "permission"),
                      (openai.NotFoundError, "not_found"), (openai.RateLimitError, "rate_limit"),
                      (openai.BadRequestError, "bad_request"), (openai.APITimeoutError, "timeout"),
                      (openai.APIConnectionError, "connection"), (openai.InternalServerError, "server"),
                      (openai.APIStatusError, "status")):
        if isinstance(exc, cls):
            return kind
    if type(exc).__name__ == "_BadReply":
        return "bad_reply"
    if isinstance(exc, TimeoutError):
        return "timeout"
    return "other"


class _Call:
    __slots__ = ("usage",)

    def __init__(self) -> None:
        self.usage = None  # the response's `usage` object, when it has one


@contextlib.contextmanager
def llm_call() -> Iterator[_Call]:
    """Wraps one LLM request: `with observe.llm_call() as call: resp = …; call.usage = resp.usage`.
    Reports its latency, tokens and error kind when the block ends."""
    call = _Call()
    started = time.perf_counter()
    try:
        yield call
    except BaseException as exc:
        if not isinstance(exc, Exception):  # cancelled: not an LLM failure
            raise
        report_call(LLMCall(seconds=time.perf_counter() - started, error=error_kind(exc)))
        raise
    u = call.usage  # an SDK object, or a plain dict from a streamed reply
    details = usage_field(u, "prompt_tokens_details")
    report_call(LLMCall(
        seconds=time.perf_counter() - started,
        prompt_tokens=usage_field(u, "prompt_tokens") or 0,
        cached_tokens=usage_field(details, "cached_tokens") or 0,
        completion_tokens=usage_field(u, "completion_tokens") or 0,
    ))


def usage_field(obj, name: str):
    """A field of an SDK usage object, or of the same object left a dict (streamed replies)."""
    if obj is None:
        return None
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def bad_reply() -> None:
    """The model answered, but not with usable JSON (the client retries once). Not a new call
    (the call itself was reported): only the error kind is counted."""
    t = _tally.get()
    if t is not None:
        t.errors["bad_reply"] += 1
    _notify("llm_bad_reply")
