"""A fake OpenAI Chat Completions server speaking the real HTTP protocol.

The real ``openai`` client (sync or async) talks to it through ``base_url``::

    with FakeOpenAI(latency=0.0) as srv:
        client = AsyncOpenAI(base_url=srv.base_url, api_key="test", max_retries=0)
        srv.script(RateLimit(retry_after=0.1), Reply({"title": "..."}))
        ...
        assert srv.calls == 2

The aiohttp server runs in a background thread with its own event loop, so sync
tests, async tests (any loop) and other processes can all use it. Every request
to ``POST /v1/chat/completions`` consumes one scripted behaviour (FIFO); when
the script is empty the default behaviour answers: ``srv.default(request_json)``
(``fake_writer.write`` unless replaced) is the object the assistant "writes".

Behaviours: Reply, Error, RateLimit, Hang, Malformed, Unauthorized, Refusal,
Length, Latency, Disconnect, Default, StreamError, StreamCut (see their docstrings).

Streaming (``"stream": true``) answers with SSE ``chat.completion.chunk`` lines as the real
API does: a first chunk with the role, the content in pieces of ``stream_chunk_chars``
characters, a chunk with the finish_reason, a usage chunk (empty ``choices``) when
``stream_options.include_usage`` is set, then ``data: [DONE]``. Settable per test (and reset by
``reset()``): ``first_token_delay`` (seconds between the response headers and the first
chunk), ``stream_chunk_delay`` (between chunks), ``stream_chunk_chars``, and ``streaming``:
"on"; "off" (the server ignores ``stream`` and answers a whole completion, as some local
servers do); "refuse" (400 for any streamed request); "no_json_schema" (400 for a streamed
request with a json_schema response_format).

Control API (for other processes)::

    POST /_control/script     JSON list of behaviours, e.g. [{"type": "rate_limit", "retry_after": 1}]
                              (or {"behaviours": [...], "replace": true})
    POST /_control/reset      clear script, recorded requests, latency/default back to start values
    GET  /_control/requests   JSON list of received request bodies
    POST /_control/latency    {"seconds": 2.5}
    POST /_control/streaming  {"first_token_delay": 1, "chunk_delay": 0.02, "chunk_chars": 12,
                               "streaming": "on"} (any subset)
    GET  /_control/state      {"calls", "queued", "latency", "in_flight", "peak_in_flight"}
    GET  /_control/timings    per request: {"id" (X-Client-Request-Id), "received", "first_content", "finished"}

``RemoteControl(base_url)`` wraps that API with the same methods as FakeOpenAI.

CLI (runs until killed; first stdout line is the base URL)::

    python -m tests.fakes.openai_server --port 0 --latency 5
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import inspect
import json
import math
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

from aiohttp import web

try:
    from .fake_writer import write as _default_writer
except ImportError:  # executed as a plain script
    from fake_writer import write as _default_writer  # type: ignore[no-redef]

__all__ = [
    "FakeOpenAI", "RemoteControl", "Behaviour", "Reply", "Error", "RateLimit", "Hang", "Malformed",
    "Unauthorized", "Refusal", "Length", "Latency", "Disconnect", "Default", "StreamError", "StreamCut",
    "STREAMING_MODES", "behaviour_from_json",
    "estimate_tokens",
]

ORG = "org-fake"
FINGERPRINT = "fp_fake0001"
DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "gpt-4.1", "gpt-5-mini"]
STREAMING_MODES = ("on", "off", "refuse", "no_json_schema")
_TIMING = web.RequestKey("timing", dict)  # the request's entry in /_control/timings


def estimate_tokens(text: str | None) -> int:
    """Plausible token count: about one token per four characters."""
    if not text:
        return 0
    return max(1, math.ceil(len(text) / 4))


# --------------------------------------------------------------------------- behaviours

_REGISTRY: dict[str, type["Behaviour"]] = {}


class Behaviour:
    """Base class. ``type`` is the name used in the JSON control API."""

    type: ClassVar[str] = ""

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.type:
            _REGISTRY[cls.type] = cls

    def to_json(self) -> dict:
        d: dict[str, Any] = {"type": self.type}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if isinstance(v, Behaviour):
                v = v.to_json()
            elif callable(v):
                raise TypeError(f"{self.type}.{f.name} is a callable and cannot be sent as JSON")
            d[f.name] = v
        return d


def behaviour_from_json(obj: Any) -> Behaviour:
    """``{"type": "rate_limit", "retry_after": 1}``, ``"malformed"`` or a Behaviour."""
    if isinstance(obj, Behaviour):
        return obj
    if isinstance(obj, str):
        obj = {"type": obj}
    if not isinstance(obj, dict) or "type" not in obj:
        raise ValueError(f"behaviour must be an object with a 'type': {obj!r}")
    name = str(obj["type"]).replace("_", "").replace("-", "").lower()
    cls = _REGISTRY.get(name)
    if cls is None:
        raise ValueError(f"unknown behaviour type {obj['type']!r}; known: {sorted(_REGISTRY)}")
    kwargs = {k: v for k, v in obj.items() if k != "type"}
    if isinstance(kwargs.get("then"), (dict, str)):
        kwargs["then"] = behaviour_from_json(kwargs["then"])
    return cls(**kwargs)


@dataclass
class Default(Behaviour):
    """Answer with the server's default writer (what happens when the script is empty)."""

    type: ClassVar[str] = "default"


@dataclass
class Reply(Behaviour):
    """A successful completion. ``content``: dict/list -> JSON text; str -> raw text;
    callable(request_json) -> either (in-process only)."""

    type: ClassVar[str] = "reply"
    content: Any = None


@dataclass
class Error(Behaviour):
    """An HTTP error with OpenAI's envelope ``{"error": {message, type, param, code}}``.
    ``raw_body`` (e.g. an HTML page) replaces the JSON envelope when given."""

    type: ClassVar[str] = "error"
    status: int = 500
    message: str | None = None
    code: str | None = None
    error_type: str | None = None
    param: str | None = None
    headers: dict | None = None
    raw_body: str | None = None


@dataclass
class RateLimit(Behaviour):
    """429 rate_limit_exceeded with ``retry-after`` (seconds) and x-ratelimit-* headers."""

    type: ClassVar[str] = "ratelimit"
    retry_after: float = 1.0
    message: str | None = None


@dataclass
class Hang(Behaviour):
    """Accept the request and send nothing for ``seconds``; then answer with ``then``
    (default behaviour if None). Cancelled when the client goes away."""

    type: ClassVar[str] = "hang"
    seconds: float = 3600.0
    then: Behaviour | None = None


@dataclass
class Latency(Behaviour):
    """Wait ``seconds`` (instead of the server latency) then answer with ``then``."""

    type: ClassVar[str] = "latency"
    seconds: float = 1.0
    then: Behaviour | None = None


@dataclass
class Malformed(Behaviour):
    """finish_reason "stop" but the content is truncated JSON (of ``content`` or of the
    default writer's output)."""

    type: ClassVar[str] = "malformed"
    content: Any = None


@dataclass
class Length(Behaviour):
    """finish_reason "length": content cut at ``keep`` of its length, as when max_tokens hits."""

    type: ClassVar[str] = "length"
    content: Any = None
    keep: float = 0.6


@dataclass
class Unauthorized(Behaviour):
    """401 invalid_api_key, worded like OpenAI ("Incorrect API key provided: ...")."""

    type: ClassVar[str] = "unauthorized"
    message: str | None = None


@dataclass
class Refusal(Behaviour):
    """A structured-outputs refusal: message.refusal set, content null, finish_reason "stop"."""

    type: ClassVar[str] = "refusal"
    message: str = "I'm sorry, but I can't help with that."


@dataclass
class Disconnect(Behaviour):
    """Close the TCP connection without answering (client sees APIConnectionError)."""

    type: ClassVar[str] = "disconnect"


@dataclass
class StreamError(Behaviour):
    """A streamed request answered 200, then, after ``after_chunks`` content chunks (0: before
    the first one), an SSE error event ``data: {"error": {...}}`` and the end of the stream, as
    OpenAI does when a generation fails midway (the SDK raises APIError). A non-streamed
    request gets the default answer."""

    type: ClassVar[str] = "streamerror"
    after_chunks: int = 0
    message: str = "The server had an error while processing your request. Sorry about that!"
    code: str | None = "server_error"
    content: Any = None


@dataclass
class StreamCut(Behaviour):
    """A streamed request answered 200, then the connection is closed after ``after_chunks``
    content chunks (and ``stall`` seconds of silence): the chunked body never ends (the SDK
    raises APIConnectionError, or APITimeoutError when ``stall`` exceeds the read timeout)."""

    type: ClassVar[str] = "streamcut"
    after_chunks: int = 10
    stall: float = 0.0
    content: Any = None


# --------------------------------------------------------------------------- helpers

_ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 403: "invalid_request_error",
                404: "invalid_request_error", 409: "invalid_request_error", 422: "invalid_request_error",
                429: "requests"}
_ERROR_MESSAGES = {
    400: "Invalid request.",
    401: "Incorrect API key provided.",
    403: "You are not allowed to sample from this model",
    404: "The model does not exist or you do not have access to it.",
    409: "The request conflicted with another request.",
    422: "Unprocessable request.",
    429: "You exceeded your current quota, please check your plan and billing details.",
    500: "The server had an error while processing your request. Sorry about that!",
    502: "Bad gateway.",
    503: "The engine is currently overloaded, please try again later.",
    504: "Gateway timeout.",
}


def _mask_key(key: str) -> str:
    if len(key) <= 8:
        return key
    return key[:3] + "*" * (len(key) - 7) + key[-4:]


def _req_id() -> str:
    return "req_" + uuid.uuid4().hex


def _content_text(content: Any, request_json: dict) -> str:
    if callable(content):
        content = content(request_json)
    if isinstance(content, str):
        return content
    return json.dumps(content, ensure_ascii=False)


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of a and b: a binary search over slice comparisons (done in C),
    not a character loop (which cost 50 ms a request against 64 stored prompts)."""
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    lo, hi = 0, n  # a[:lo] == b[:lo], a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _message_text(msg: dict) -> str:
    c = msg.get("content")
    if isinstance(c, str):
        return c
    if isinstance(c, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in c)
    return ""


class _HTTPError(Exception):
    def __init__(self, status: int, message: str, *, type_: str | None = None, param: str | None = None,
                 code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type_, param, code
        self.headers = headers or {}


def _schema_problems(schema: Any, ctx: tuple = (), root: Any = None) -> str | None:
    """What OpenAI's strict mode would reject in a JSON schema (subset of the real rules)."""
    root = schema if root is None else root
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        ref = schema["$ref"]
        if not (isinstance(ref, str) and ref.startswith("#")):
            return f"In context={ctx}, reference {ref!r} is not supported."
        node: Any = root
        for part in ref.lstrip("#/").split("/"):
            if part and isinstance(node, dict):
                node = node.get(part)
        if node is None:
            return f"In context={ctx}, reference to component {ref!r} which was not found in the schema."
        return None
    t = schema.get("type")
    is_object = t == "object" or (isinstance(t, list) and "object" in t) or "properties" in schema
    if is_object:
        if schema.get("additionalProperties", None) is not False:
            return f"In context={ctx}, 'additionalProperties' is required to be supplied and to be false."
        props = schema.get("properties") or {}
        required = schema.get("required")
        missing = [k for k in props if not isinstance(required, list) or k not in required]
        if missing:
            return (f"In context={ctx}, 'required' is required to be supplied and to be an array including "
                    f"every key in properties. Missing '{missing[0]}'.")
        for k, v in props.items():
            p = _schema_problems(v, ctx + ("properties", k), root)
            if p:
                return p
    if "items" in schema:
        p = _schema_problems(schema["items"], ctx + ("items",), root)
        if p:
            return p
    for key in ("anyOf", "allOf", "oneOf"):
        for i, sub in enumerate(schema.get(key) or []):
            p = _schema_problems(sub, ctx + (key, i), root)
            if p:
                return p
    for key in ("$defs", "definitions"):
        for name, sub in (schema.get(key) or {}).items():
            p = _schema_problems(sub, ctx + (key, name), root)
            if p:
                return p
    return None


def _validate(body: Any) -> None:
    """Reject requests the way OpenAI does (a useful subset)."""
    if not isinstance(body, dict):
        raise _HTTPError(400, "Invalid type for request body: expected an object.", code="invalid_type")
    if not body.get("model"):
        raise _HTTPError(400, "you must provide a model parameter")
    if "messages" not in body:
        raise _HTTPError(400, "Missing required parameter: 'messages'.", param="messages",
                         code="missing_required_parameter")
    msgs = body["messages"]
    if not isinstance(msgs, list):
        raise _HTTPError(400, f"Invalid type for 'messages': expected an array, but got {type(msgs).__name__} instead.",
                         param="messages", code="invalid_type")
    if not msgs:
        raise _HTTPError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, "
                              "but got an empty array instead.", param="messages", code="empty_array")
    roles = ("system", "developer", "user", "assistant", "tool", "function")
    for i, m in enumerate(msgs):
        if not isinstance(m, dict):
            raise _HTTPError(400, f"Invalid type for 'messages[{i}]': expected an object.",
                             param=f"messages[{i}]", code="invalid_type")
        if m.get("role") not in roles:
            raise _HTTPError(400, f"Invalid value: '{m.get('role')}'. Supported values are: "
                                  + ", ".join(f"'{r}'" for r in roles) + ".",
                             param=f"messages[{i}].role", code="invalid_value")
        if m.get("role") in ("system", "developer", "user") and "content" not in m:
            raise _HTTPError(400, f"Missing required parameter: 'messages[{i}].content'.",
                             param=f"messages[{i}].content", code="missing_required_parameter")
    temp = body.get("temperature")
    if temp is not None and (not isinstance(temp, (int, float)) or not 0 <= temp <= 2):
        raise _HTTPError(400, f"Invalid 'temperature': decimal above maximum value. Expected a value <= 2, "
                              f"but got {temp} instead.", param="temperature", code="decimal_above_max_value")
    if "stream" in body and not isinstance(body["stream"], bool) and body["stream"] is not None:
        raise _HTTPError(400, "Invalid type for 'stream': expected a boolean.", param="stream", code="invalid_type")
    if body.get("stream_options") is not None and not body.get("stream"):
        raise _HTTPError(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                         param="stream_options")
    rf = body.get("response_format")
    if rf is None:
        return
    if not isinstance(rf, dict) or rf.get("type") not in ("text", "json_object", "json_schema"):
        raise _HTTPError(400, "Invalid value for 'response_format.type': expected one of 'text', "
                              "'json_object' or 'json_schema'.", param="response_format.type", code="invalid_value")
    if rf["type"] == "json_object":
        if not any("json" in _message_text(m).lower() for m in msgs):
            raise _HTTPError(400, "'messages' must contain the word 'json' in some form, to use "
                                  "'response_format' of type 'json_object'.", param="messages")
    if rf["type"] == "json_schema":
        js = rf.get("json_schema")
        if not isinstance(js, dict):
            raise _HTTPError(400, "Missing required parameter: 'response_format.json_schema'.",
                             param="response_format.json_schema", code="missing_required_parameter")
        if not js.get("name"):
            raise _HTTPError(400, "Missing required parameter: 'response_format.json_schema.name'.",
                             param="response_format.json_schema.name", code="missing_required_parameter")
        if not isinstance(js.get("schema"), dict):
            raise _HTTPError(400, "Missing required parameter: 'response_format.json_schema.schema'.",
                             param="response_format.json_schema.schema", code="missing_required_parameter")
        if js.get("strict") is not True:
            raise _HTTPError(400, "Invalid 'response_format.json_schema.strict': the fake server (like this "
                                  "project) requires strict structured outputs (strict=true).",
                             param="response_format.json_schema.strict", code="invalid_value")
        problem = _schema_problems(js["schema"])
        if problem:
            raise _HTTPError(400, f"Invalid schema for response_format '{js['name']}': {problem}",
                             param="response_format")


# --------------------------------------------------------------------------- server


@dataclass
class _Outcome:
    content: str | None
    refusal: str | None = None
    finish_reason: str = "stop"


@dataclass
class _State:
    latency: float
    default: Callable[[dict], Any]
    queue: collections.deque = field(default_factory=collections.deque)
    requests: list = field(default_factory=list)
    headers: list = field(default_factory=list)
    prompts: collections.deque = field(default_factory=lambda: collections.deque(maxlen=64))
    # per request, wall-clock seconds: received, first content chunk written (streamed), and the
    # client's X-Client-Request-Id header (benchmarks/burst.py decomposes a job's first second)
    timings: list = field(default_factory=list)


class FakeOpenAI:
    """The fake server. Starts immediately (127.0.0.1, free port unless ``port`` given).

    Attributes/methods: ``base_url``, ``url``, ``port``, ``script(*behaviours)``,
    ``default`` (fn(request_json) -> dict|str), ``latency`` (seconds, settable),
    ``requests``, ``request_headers``, ``calls``, ``queued``, ``in_flight``,
    ``peak_in_flight``, ``reset()``, ``stop()``, ``env``.
    """

    def __init__(self, latency: float = 0.0, *, host: str = "127.0.0.1", port: int = 0,
                 default: Callable[[dict], Any] | None = None, api_key: str | None = None,
                 stream_chunk_chars: int = 16, stream_chunk_delay: float = 0.0,
                 first_token_delay: float = 0.0, streaming: str = "on",
                 models: list[str] | None = None, backlog: int = 2048):
        self._init_latency = float(latency)
        self._init_default = default or _default_writer
        self._lock = threading.Lock()
        self._st = _State(latency=self._init_latency, default=self._init_default)
        self.api_key = api_key
        if streaming not in STREAMING_MODES:
            raise ValueError(f"streaming must be one of {STREAMING_MODES}")
        self._init_stream = (max(1, int(stream_chunk_chars)), float(stream_chunk_delay), float(first_token_delay),
                             streaming)
        self.stream_chunk_chars, self.stream_chunk_delay, self.first_token_delay, self.streaming = self._init_stream
        self.models = list(models or DEFAULT_MODELS)
        self.in_flight = 0
        self.peak_in_flight = 0
        self._stopped = False

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        self._backlog = backlog

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"FakeOpenAI:{self.port}", daemon=True)
        self._thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=15)
        except BaseException:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._sock.close()
            raise

    # ---- public API

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def env(self) -> dict[str, str]:
        """Environment for a subprocess using this server."""
        return {"OPENAI_BASE_URL": self.base_url, "OPENAI_API_KEY": self.api_key or "test"}

    @property
    def latency(self) -> float:
        return self._st.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._st.latency = float(seconds)

    @property
    def default(self) -> Callable[[dict], Any]:
        return self._st.default

    @default.setter
    def default(self, fn: Callable[[dict], Any]) -> None:
        self._st.default = fn

    def script(self, *behaviours: Behaviour | dict | str) -> "FakeOpenAI":
        """Queue behaviours, consumed one per chat completion request (FIFO)."""
        parsed = [behaviour_from_json(b) for b in behaviours]
        with self._lock:
            self._st.queue.extend(parsed)
        return self

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._st.queue)

    @property
    def requests(self) -> list[dict]:
        """Copy of the JSON bodies received on /v1/chat/completions (oldest first)."""
        with self._lock:
            return list(self._st.requests)

    @property
    def request_headers(self) -> list[dict[str, str]]:
        with self._lock:
            return list(self._st.headers)

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self._st.requests)

    @property
    def timings(self) -> list[dict]:
        """Per request: {"id": X-Client-Request-Id, "received", "first_content", "finished"} (time.time())."""
        with self._lock:
            return [dict(t) for t in self._st.timings]

    def reset(self) -> None:
        """Clear script, recorded requests and prompt cache; restore latency, default and the
        streaming settings."""
        with self._lock:
            self._st.queue.clear()
            self._st.requests.clear()
            self._st.headers.clear()
            self._st.prompts.clear()
            self._st.timings.clear()
            self._st.latency = self._init_latency
            self._st.default = self._init_default
            self.stream_chunk_chars, self.stream_chunk_delay, self.first_token_delay, self.streaming = \
                self._init_stream
            self.peak_in_flight = self.in_flight

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        try:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        except Exception:
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._loop.is_running():
            self._loop.close()
        self._sock.close()

    close = stop

    def __enter__(self) -> "FakeOpenAI":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<FakeOpenAI {self.base_url} latency={self.latency} calls={self.calls}>"

    # ---- aiohttp plumbing

    async def _start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/v1/models/{model}", self._model)
        app.router.add_post("/_control/script", self._c_script)
        app.router.add_post("/_control/reset", self._c_reset)
        app.router.add_get("/_control/requests", self._c_requests)
        app.router.add_post("/_control/latency", self._c_latency)
        app.router.add_post("/_control/streaming", self._c_streaming)
        app.router.add_get("/_control/state", self._c_state)
        app.router.add_get("/_control/timings", self._c_timings)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None,
                                     handler_cancellation=True, shutdown_timeout=0.25)
        await self._runner.setup()
        site = web.SockSite(self._runner, self._sock, backlog=self._backlog, shutdown_timeout=0.25)
        await site.start()

    def _headers(self, extra: dict | None = None, processing_ms: int = 5) -> dict[str, str]:
        h = {
            "x-request-id": _req_id(),
            "openai-organization": ORG,
            "openai-processing-ms": str(processing_ms),
            "openai-version": "2020-10-01",
            "x-ratelimit-limit-requests": "10000",
            "x-ratelimit-limit-tokens": "10000000",
            "x-ratelimit-remaining-requests": "9999",
            "x-ratelimit-remaining-tokens": "9999000",
            "x-ratelimit-reset-requests": "6ms",
            "x-ratelimit-reset-tokens": "0s",
        }
        h.update(extra or {})
        return h

    def _error(self, status: int, message: str, *, type_: str | None = None, param: str | None = None,
               code: str | None = None, headers: dict | None = None) -> web.Response:
        etype = type_ or _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
        body = {"error": {"message": message, "type": etype, "param": param, "code": code}}
        return web.json_response(body, status=status, headers=self._headers(headers),
                                 dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def _not_found(self, request: web.Request) -> web.Response:
        return self._error(404, f"Invalid URL ({request.method} {request.path})")

    async def _models(self, request: web.Request) -> web.Response:
        seen = {b.get("model") for b in self.requests if isinstance(b, dict) and isinstance(b.get("model"), str)}
        ids = list(dict.fromkeys(self.models + sorted(seen)))
        data = [{"id": m, "object": "model", "created": 1700000000, "owned_by": "system"} for m in ids]
        return web.json_response({"object": "list", "data": data}, headers=self._headers())

    async def _model(self, request: web.Request) -> web.Response:
        m = request.match_info["model"]
        return web.json_response({"id": m, "object": "model", "created": 1700000000, "owned_by": "system"},
                                 headers=self._headers())

    # ---- control API

    async def _c_script(self, request: web.Request) -> web.Response:
        try:
            payload = await request.json()
            replace = False
            if isinstance(payload, dict):
                replace = bool(payload.get("replace"))
                payload = payload.get("behaviours", payload.get("script", []))
            if not isinstance(payload, list):
                payload = [payload]
            items = [behaviour_from_json(b) for b in payload]
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        with self._lock:
            if replace:
                self._st.queue.clear()
            self._st.queue.extend(items)
            n = len(self._st.queue)
        return web.json_response({"queued": n})

    async def _c_reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})

    async def _c_requests(self, request: web.Request) -> web.Response:
        return web.json_response(self.requests, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def _c_latency(self, request: web.Request) -> web.Response:
        try:
            payload = await request.json()
            seconds = payload.get("seconds", payload.get("latency")) if isinstance(payload, dict) else payload
            self.latency = float(seconds)
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({"latency": self.latency})

    async def _c_streaming(self, request: web.Request) -> web.Response:
        try:
            payload = await request.json()
            self._configure_streaming(**payload)
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response(self._streaming_state())

    def _configure_streaming(self, *, first_token_delay: float | None = None, chunk_delay: float | None = None,
                             chunk_chars: int | None = None, streaming: str | None = None) -> None:
        if streaming is not None and streaming not in STREAMING_MODES:
            raise ValueError(f"streaming must be one of {STREAMING_MODES}")
        if first_token_delay is not None:
            self.first_token_delay = float(first_token_delay)
        if chunk_delay is not None:
            self.stream_chunk_delay = float(chunk_delay)
        if chunk_chars is not None:
            self.stream_chunk_chars = max(1, int(chunk_chars))
        if streaming is not None:
            self.streaming = streaming

    def _streaming_state(self) -> dict:
        return {"first_token_delay": self.first_token_delay, "chunk_delay": self.stream_chunk_delay,
                "chunk_chars": self.stream_chunk_chars, "streaming": self.streaming}

    async def _c_timings(self, request: web.Request) -> web.Response:
        return web.json_response(self.timings)

    async def _c_state(self, request: web.Request) -> web.Response:
        return web.json_response({"calls": self.calls, "queued": self.queued, "latency": self.latency,
                                  "in_flight": self.in_flight, "peak_in_flight": self.peak_in_flight,
                                  "base_url": self.base_url, **self._streaming_state()})

    # ---- chat completions

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        t0 = time.monotonic()
        timing = {"id": request.headers.get("X-Client-Request-Id"), "received": time.time(), "first_content": None,
                  "finished": None}
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError:
            return self._error(400, "We could not parse the JSON body of your request. (HINT: This likely means "
                                    "you aren't using your HTTP library correctly. The OpenAI API expects a JSON "
                                    "payload, but what was sent was not valid JSON.)")
        with self._lock:
            self._st.requests.append(body)
            self._st.headers.append(dict(request.headers))
            self._st.timings.append(timing)
        request[_TIMING] = timing
        auth = request.headers.get("Authorization", "")
        key = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not key:
            return self._error(401, "You didn't provide an API key. You need to provide your API key in an "
                                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
        if self.api_key is not None and key != self.api_key:
            return self._unauthorized(key)
        try:
            _validate(body)
            self._check_streaming(body)
        except _HTTPError as e:
            return self._error(e.status, e.message, type_=e.type, param=e.param, code=e.code, headers=e.headers)

        with self._lock:
            behaviour = self._st.queue.popleft() if self._st.queue else None
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            return await self._run(behaviour, body, request, key, t0, apply_latency=True)
        finally:
            self.in_flight -= 1

    def _check_streaming(self, body: dict) -> None:
        if not body.get("stream"):
            return
        if self.streaming == "refuse":
            raise _HTTPError(400, "Unsupported parameter: 'stream' is not supported with this model.",
                             param="stream", code="unsupported_parameter")
        rf = body.get("response_format")
        if self.streaming == "no_json_schema" and isinstance(rf, dict) and rf.get("type") == "json_schema":
            raise _HTTPError(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported "
                                  "with streaming.", param="response_format", code="unsupported_parameter")

    def _unauthorized(self, key: str, message: str | None = None) -> web.Response:
        msg = message or (f"Incorrect API key provided: {_mask_key(key)}. You can find your API key at "
                          "https://platform.openai.com/account/api-keys.")
        return self._error(401, msg, type_="invalid_request_error", code="invalid_api_key")

    async def _default_content(self, body: dict) -> str:
        fn = self._st.default
        if inspect.iscoroutinefunction(fn):
            result = await fn(body)
        else:
            result = await asyncio.get_running_loop().run_in_executor(None, fn, body)
        return _content_text(result, body)

    async def _run(self, b: Behaviour | None, body: dict, request: web.Request, key: str, t0: float,
                   apply_latency: bool) -> web.StreamResponse:
        model = body.get("model", "")
        if isinstance(b, (Hang, Latency)):
            await asyncio.sleep(max(0.0, float(b.seconds)))
            return await self._run(b.then, body, request, key, t0, apply_latency=False)
        if isinstance(b, Error):
            if b.raw_body is not None:
                return web.Response(status=b.status, text=b.raw_body, content_type="text/html",
                                    headers=self._headers(b.headers))
            return self._error(b.status, b.message or _ERROR_MESSAGES.get(b.status, f"Error {b.status}"),
                               type_=b.error_type, param=b.param, code=b.code, headers=b.headers)
        if isinstance(b, RateLimit):
            ra = float(b.retry_after)
            ra_txt = str(int(ra)) if ra == int(ra) else f"{ra:g}"
            msg = b.message or (f"Rate limit reached for {model} in organization {ORG} on requests per min (RPM): "
                                f"Limit 500, Used 500, Requested 1. Please try again in {ra_txt}s. Visit "
                                "https://platform.openai.com/account/rate-limits to learn more.")
            return self._error(429, msg, type_="requests", code="rate_limit_exceeded", headers={
                "retry-after": ra_txt,
                "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-requests": f"{ra_txt}s",
            })
        if isinstance(b, Unauthorized):
            return self._unauthorized(key, b.message)
        if isinstance(b, Disconnect):
            if request.transport is not None:
                request.transport.close()
            raise asyncio.CancelledError()

        # successful completions: latency first (concurrent requests overlap)
        if apply_latency and self.latency > 0:
            await asyncio.sleep(self.latency)
        try:
            if isinstance(b, Reply):
                outcome = _Outcome(_content_text(b.content, body))
            elif isinstance(b, Refusal):
                outcome = _Outcome(None, refusal=b.message)
            elif isinstance(b, (StreamError, StreamCut)):
                outcome = _Outcome(_content_text(b.content, body) if b.content is not None
                                   else await self._default_content(body))
            elif isinstance(b, (Malformed, Length)):
                full = _content_text(b.content, body) if b.content is not None else await self._default_content(body)
                keep = b.keep if isinstance(b, Length) else 0.5
                cut = max(1, min(len(full) - 1, int(len(full) * keep))) if len(full) > 1 else 0
                outcome = _Outcome(full[:cut], finish_reason="length" if isinstance(b, Length) else "stop")
            else:
                outcome = _Outcome(await self._default_content(body))
        except Exception as exc:  # a broken default/Reply callable: surface it like a 500
            traceback.print_exc()
            return self._error(500, f"The server had an error while processing your request. Sorry about "
                                    f"that! (fake server: {exc!r})")
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        if isinstance(limit, int) and limit > 0 and outcome.content and estimate_tokens(outcome.content) > limit:
            outcome = _Outcome(outcome.content[: limit * 4], finish_reason="length")
        usage = self._usage(body, outcome)
        ms = int((time.monotonic() - t0) * 1000)
        if body.get("stream") and self.streaming != "off":
            fault = b if isinstance(b, (StreamError, StreamCut)) else None
            return await self._stream(body, outcome, usage, request, ms, fault)
        n = body.get("n") if isinstance(body.get("n"), int) and body.get("n", 1) > 1 else 1
        completion = {
            "id": "chatcmpl-" + uuid.uuid4().hex[:29],
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{
                "index": i,
                "message": {"role": "assistant", "content": outcome.content, "refusal": outcome.refusal,
                            "annotations": []},
                "logprobs": None,
                "finish_reason": outcome.finish_reason,
            } for i in range(n)],
            "usage": usage,
            "service_tier": "default",
            "system_fingerprint": FINGERPRINT,
        }
        return web.Response(text=json.dumps(completion, ensure_ascii=False), content_type="application/json",
                            headers=self._headers(processing_ms=ms))

    def _usage(self, body: dict, outcome: _Outcome) -> dict:
        msgs = body.get("messages") or []
        prompt_text = "".join(_message_text(m) for m in msgs)
        prompt = sum(estimate_tokens(_message_text(m)) + 4 for m in msgs) + 3
        rf = body.get("response_format")
        if isinstance(rf, dict) and rf.get("type") == "json_schema":
            prompt += estimate_tokens(json.dumps(rf.get("json_schema", {})))
        completion = estimate_tokens(outcome.content) + estimate_tokens(outcome.refusal)
        # prompt caching, as OpenAI does it: identical prefixes >= 1024 tokens, in 128-token steps
        cached = 0
        with self._lock:
            for prev in self._st.prompts:
                tok = _common_prefix(prev, prompt_text) // 4
                if tok >= 1024:
                    cached = max(cached, min(prompt, (tok // 128) * 128))
            self._st.prompts.append(prompt_text)
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
        }

    async def _stream(self, body: dict, outcome: _Outcome, usage: dict, request: web.Request,
                      ms: int, fault: Behaviour | None = None) -> web.StreamResponse:
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        cid = "chatcmpl-" + uuid.uuid4().hex[:29]
        created = int(time.time())
        model = body.get("model", "")

        def chunk(delta: dict, finish: str | None = None, choices: bool = True, usage_obj: Any = None) -> bytes:
            c: dict[str, Any] = {
                "id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                "service_tier": "default", "system_fingerprint": FINGERPRINT,
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}] if choices else [],
            }
            if include_usage:
                c["usage"] = usage_obj
            return b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n"

        field_name = "refusal" if outcome.refusal is not None else "content"
        text = outcome.refusal if outcome.refusal is not None else (outcome.content or "")
        first = {"role": "assistant", "content": "" if field_name == "content" else None, "refusal": None}
        if field_name == "refusal":
            first["refusal"] = ""
        # Content chunks differ only by their delta: the envelope is serialised once and each chunk
        # made as it is sent (lazily), not 300 json.dumps per request before the first byte.
        mark = "\x00delta\x00"
        pre, post = chunk({field_name: mark}).split(json.dumps(mark).encode())
        pre = pre[: pre.rindex(b"{")]
        post = post[post.index(b"}") + 1:]
        step = self.stream_chunk_chars

        def content(i: int) -> bytes:
            return pre + json.dumps({field_name: text[i: i + step]}, ensure_ascii=False).encode() + post

        def tail() -> list[bytes]:
            out = [chunk({}, outcome.finish_reason)]
            if include_usage:
                out.append(chunk({}, choices=False, usage_obj=usage))
            return out + [b"data: [DONE]\n\n"]

        n_content = len(range(0, len(text), step))

        def parts_iter():
            yield chunk(first)
            for i in range(0, len(text), step):
                yield content(i)
            yield from tail()

        parts = parts_iter()
        if fault is not None:  # the role chunk, then `after_chunks` content chunks
            cut = 1 + max(0, int(fault.after_chunks))
            kept = [chunk(first)] + [content(i * step) for i in range(min(cut - 1, n_content))]
            if cut - 1 > n_content:
                kept += tail()[: cut - 1 - n_content]
            if isinstance(fault, StreamError):
                err = {"error": {"message": fault.message, "type": "server_error", "param": None,
                                 "code": fault.code}}
                kept.append(b"data: " + json.dumps(err, ensure_ascii=False).encode() + b"\n\n")
            parts = iter(kept)

        resp = web.StreamResponse(status=200, headers=self._headers(
            {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"}, processing_ms=ms))
        try:
            await resp.prepare(request)
            if self.first_token_delay > 0:
                await asyncio.sleep(self.first_token_delay)
            timing = request.get(_TIMING) or {}
            delay = self.stream_chunk_delay
            if delay > 0:
                # Chunk i is due at start + i * delay (a schedule, not a sleep after each write: 300
                # sleeps drifted by their own overhead, the more so with 50 streams); chunks already
                # due go out in one write.
                start, i, due = time.monotonic(), 0, []
                for p in parts:
                    wait = start + i * delay - time.monotonic()
                    if wait > 0 and due:
                        await resp.write(b"".join(due))
                        due = []
                        if timing.get("first_content") is None and i > 1:
                            timing["first_content"] = time.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    due.append(p)
                    i += 1
                if due:
                    await resp.write(b"".join(due))
                    if timing.get("first_content") is None:
                        timing["first_content"] = time.time()
            else:
                await resp.write(b"".join(parts))
                timing["first_content"] = time.time()
            timing["finished"] = time.time()
            if isinstance(fault, StreamCut):
                if fault.stall > 0:
                    await asyncio.sleep(fault.stall)
                if request.transport is not None:
                    request.transport.close()
                raise asyncio.CancelledError()
            await resp.write_eof()
        except (ConnectionResetError, ConnectionError):
            pass
        return resp


# --------------------------------------------------------------------------- remote control


class RemoteControl:
    """Script a FakeOpenAI running elsewhere (e.g. the CLI in another process)."""

    def __init__(self, base_url: str, timeout: float = 10.0):
        url = base_url.rstrip("/")
        self.url = url[:-3] if url.endswith("/v1") else url
        self.base_url = self.url + "/v1"
        self.timeout = timeout

    def _call(self, method: str, path: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=self.timeout) as r:
            return json.loads(r.read() or b"null")

    def script(self, *behaviours: Behaviour | dict | str, replace: bool = False) -> int:
        items = [behaviour_from_json(b).to_json() for b in behaviours]
        return self._call("POST", "/_control/script", {"behaviours": items, "replace": replace})["queued"]

    def reset(self) -> None:
        self._call("POST", "/_control/reset", {})

    @property
    def requests(self) -> list[dict]:
        return self._call("GET", "/_control/requests")

    @property
    def state(self) -> dict:
        return self._call("GET", "/_control/state")

    @property
    def calls(self) -> int:
        return self.state["calls"]

    @property
    def timings(self) -> list[dict]:
        return self._call("GET", "/_control/timings")

    @property
    def latency(self) -> float:
        return self.state["latency"]

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._call("POST", "/_control/latency", {"seconds": seconds})

    def streaming(self, **settings: Any) -> dict:
        """first_token_delay, chunk_delay, chunk_chars, streaming (see FakeOpenAI)."""
        return self._call("POST", "/_control/streaming", settings)


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fakes.openai_server", description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds before each completion")
    ap.add_argument("--api-key", default=None, help="accept only this key (default: any)")
    ap.add_argument("--stream-chunk-delay", type=float, default=0.0, help="seconds between streamed chunks")
    ap.add_argument("--stream-chunk-chars", type=int, default=16, help="characters of content per chunk")
    ap.add_argument("--first-token-delay", type=float, default=0.0,
                    help="seconds between a stream's headers and its first chunk")
    ap.add_argument("--streaming", choices=STREAMING_MODES, default="on")
    ap.add_argument("--script", default=None, help="JSON list of behaviours to queue at start")
    args = ap.parse_args(argv)

    srv = FakeOpenAI(latency=args.latency, host=args.host, port=args.port, api_key=args.api_key,
                     stream_chunk_delay=args.stream_chunk_delay, stream_chunk_chars=args.stream_chunk_chars,
                     first_token_delay=args.first_token_delay, streaming=args.streaming)
    if args.script:
        srv.script(*json.loads(args.script))
    print(srv.base_url, flush=True)

    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", signal.SIGTERM)):
        signal.signal(sig, lambda *_: done.set())
    try:
        while not done.wait(1.0):
            pass
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
