"""The LLM client: Chat Completions with a strict JSON schema, through the official SDK.

Chat Completions (not the Responses API) because Ollama, vLLM, llama.cpp and Azure
deployments speak it. Transport retries (connection errors, timeouts, 429 with
Retry-After, 5xx) are the SDK's own: exponential backoff with jitter. We add one
retry for a reply that is not valid JSON for the schema, and turn every failure
into an LLMError with a French message.

Streaming (`stream=True`): the same request with `stream=True` and
`stream_options={"include_usage": True}`, the content handed piece by piece to a StreamSink.
The SDK retries what fails before the stream starts; a stream that breaks once started (cut
connection, read timeout, an error event, an end without finish_reason) is retried here, with
the same backoff and number of retries. A server that refuses streaming (or json_schema while
streaming) or answers a streamed request with a plain completion is remembered as such for the
client's lifetime, and gets today's non-streamed request.
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import json
import logging
import random
import re
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from . import observe
from .config import EngineSettings
from .errors import LLMError

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


@dataclass
class Usage:
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    seconds: float = 0.0

    def add(self, other: "Usage") -> None:
        self.llm_calls += other.llm_calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached_tokens += other.cached_tokens
        self.seconds += other.seconds

    def to_contract(self) -> dict:
        return {
            "llm_calls": self.llm_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "seconds": round(self.seconds, 3),
        }


def strict_schema(model: type[BaseModel]) -> dict:
    """JSON schema for OpenAI structured outputs: every object closed, every field required."""
    schema = model.model_json_schema()

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            node.pop("default", None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


@functools.lru_cache(maxsize=None)
def _request_schema(model: type[BaseModel]) -> dict:
    """strict_schema, built once per model (pydantic takes ~1 ms per call); never mutated."""
    return strict_schema(model)


class _BadReply(Exception):
    pass


class _StreamBroken(Exception):
    """A started stream ended without its finish_reason (retried like a cut connection)."""


class StreamSink(Protocol):
    """Receives a streamed reply's content (seo.streaming.MarkdownStream)."""

    async def restart(self) -> None:
        """An attempt begins (the first, or a retry): its content starts from scratch."""

    async def feed(self, delta: str) -> None:
        """The next piece of the reply's content."""

    async def finish(self) -> None:
        """The attempt's content is whole (finish_reason "stop")."""


@dataclass
class _Reply:
    """What we use of a completion, streamed or not."""

    content: str | None
    refusal: str | None
    finish_reason: str | None
    usage: Any


def _reply_of(resp) -> _Reply:
    if not resp.choices:
        return _Reply(None, None, None, resp.usage)
    choice = resp.choices[0]
    return _Reply(choice.message.content, getattr(choice.message, "refusal", None), choice.finish_reason,
                  resp.usage)


def _count(reply_usage, usage: "Usage") -> None:
    usage.prompt_tokens += observe.usage_field(reply_usage, "prompt_tokens") or 0
    usage.completion_tokens += observe.usage_field(reply_usage, "completion_tokens") or 0
    details = observe.usage_field(reply_usage, "prompt_tokens_details")
    usage.cached_tokens += (observe.usage_field(details, "cached_tokens") or 0) if details else 0


def _backoff(retry: int) -> float:
    """The SDK's retry delay: 0.5 s doubling, at most 8 s, minus up to 25 % jitter."""
    return min(0.5 * 2 ** retry, 8.0) * (1 - 0.25 * random.random())


def _json_object(content: str):
    """The JSON object of a reply; tolerates a Markdown fence some local models add."""
    text = content.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, re.S)
    if fenced:
        text = fenced.group(1)
    return json.loads(text)


def _lenient(model: type[M], data) -> M:
    """Validate a reply the way a careful reader would: an object wrapped in {"article": …},
    extra fields (slug, credit…) and missing list fields are not errors."""
    if isinstance(data, dict) and set(data) == {"article"} and isinstance(data["article"], dict):
        data = data["article"]
    if isinstance(data, dict):
        fields = model.model_fields
        data = {k: v for k, v in data.items() if k in fields}
        for name, info in fields.items():
            if name not in data and "list" in str(info.annotation):
                data[name] = []
        if isinstance(data.get("sections"), list):
            data["sections"] = [_section(s) for s in data["sections"] if isinstance(s, dict)]
    return model.model_validate(data)


def _section(s: dict) -> dict:
    heading = s.get("heading") or s.get("title") or s.get("subheading") or ""
    body = s.get("body") or s.get("content") or s.get("text") or s.get("paragraphs") or ""
    if isinstance(body, list):
        body = "\n\n".join(str(p) for p in body)
    return {"heading": str(heading), "body": str(body)}

# The caller's id for its requests (a job id), sent as X-Client-Request-Id: OpenAI keeps it with
# the request (its support can find it from ours), the fake server records it.
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("llm_request_id", default=None)


@dataclass
class LLMClient:
    """One per process: the HTTP connection pool is shared by all concurrent jobs."""

    settings: EngineSettings

    def __post_init__(self) -> None:
        key = self.settings.api_key
        if not key:
            if not self.settings.base_url:
                raise LLMError(
                    "Aucune clé d’API pour le modèle : définissez OPENAI_API_KEY (ou OPENAI_BASE_URL "
                    "pour un serveur local compatible)."
                )
            key = "sans-cle"  # local servers (Ollama, vLLM, llama.cpp) accept any key
        self._client = openai.AsyncOpenAI(
            api_key=key,
            base_url=self.settings.base_url,
            timeout=self.settings.timeout,
            max_retries=self.settings.max_retries,
        )
        self._unsupported: set[str] = set()

    async def close(self) -> None:
        await self._client.close()

    async def complete(self, messages: list[dict], model: type[M], usage: Usage, *,
                       name: str = "article", temperature: float = 0.4, stream: bool = False,
                       sink: StreamSink | None = None) -> M:
        """One logical call returning a validated `model`; a malformed reply is retried once.

        `stream`: stream the reply (when the server can), handing its content to `sink`."""
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": name, "strict": True, "schema": _request_schema(model)},
        }
        last_problem = ""
        for attempt in range(2):
            try:
                return await self._once(messages, model, response_format, usage, temperature, stream, sink)
            except _BadReply as exc:
                last_problem = str(exc)
                observe.bad_reply()
                log.warning("LLM reply unusable (attempt %d): %s", attempt + 1, last_problem)
        raise LLMError(f"Le modèle a renvoyé deux fois une réponse inutilisable ({last_problem}).")

    @property
    def streams(self) -> bool:
        """False once the server showed it cannot stream our requests."""
        return "stream" not in self._unsupported

    async def _create(self, messages, response_format, temperature: float, stream: bool = False):
        """The request, adapted once to what this server accepts (remembered for the process):
        reasoning models refuse `temperature`; some local servers lack `json_schema`, streaming,
        or `json_schema` while streaming. Returns an AsyncStream or a ChatCompletion."""
        for _ in range(4):
            streaming = stream and "stream" not in self._unsupported
            kwargs = {"model": self.settings.model, "messages": messages}
            if streaming:
                kwargs["stream"] = True
                kwargs["stream_options"] = {"include_usage": True}
            if "temperature" not in self._unsupported:
                kwargs["temperature"] = temperature
            if "json_schema" in self._unsupported:
                schema = json.dumps(response_format["json_schema"]["schema"], ensure_ascii=False)
                kwargs["response_format"] = {"type": "json_object"}
                kwargs["messages"] = [*messages, {"role": "system", "content":
                                      "Répondez par un objet JSON conforme à ce schéma JSON : " + schema}]
            else:
                kwargs["response_format"] = response_format
            rid = REQUEST_ID.get()
            headers = {"X-Client-Request-Id": rid} if rid else None
            try:
                if streaming:
                    # The SDK's own request (retries, errors, SSE decoding, error events), but each
                    # chunk left a dict: building its pydantic model cost ten times our whole
                    # partial parsing (benchmarks/RESULTS.md, streaming).
                    return await self._client.post("/chat/completions", body=kwargs, cast_to=object, stream=True,
                                                   stream_cls=openai.AsyncStream[object],
                                                   options={"headers": headers} if headers else {})
                return await self._client.chat.completions.create(**kwargs, extra_headers=headers)
            except openai.BadRequestError as exc:
                text = str(exc).lower()
                if "temperature" in text and "temperature" not in self._unsupported:
                    self._unsupported.add("temperature")
                elif streaming and ("stream" in text or "json_schema" in text or "response_format" in text):
                    # Refused while streaming: try today's request before giving up json_schema.
                    self._unsupported.add("stream")
                elif ("json_schema" in text or "response_format" in text) and "json_schema" not in self._unsupported:
                    self._unsupported.add("json_schema")
                else:
                    raise
                log.warning("the LLM server does not accept a parameter; retrying without it")
        raise LLMError("Le service du modèle refuse nos paramètres de requête.")

    async def _streamed(self, messages, response_format, temperature: float, sink: StreamSink | None) -> _Reply:
        """A streamed request; a stream that breaks once started is retried from scratch."""
        retries = max(0, self.settings.max_retries)
        for retry in range(retries + 1):
            if sink is not None:
                await sink.restart()
            resp = await self._create(messages, response_format, temperature, stream=True)
            if not isinstance(resp, openai.AsyncStream):
                return _reply_of(resp)  # adapted to a non-streamed request
            if "application/json" in resp.response.headers.get("content-type", ""):
                # The server ignored stream=True and sent a whole completion: use it, and stop asking.
                self._unsupported.add("stream")
                log.warning("the LLM server does not stream; using non-streamed requests")
            try:
                if "stream" in self._unsupported:
                    return await self._whole(resp)
                return await self._consume(resp, sink)
            except (openai.APIError, _StreamBroken) as exc:  # after the stream started: not the SDK's to retry
                if retry == retries:
                    if isinstance(exc, openai.APITimeoutError):
                        raise
                    raise LLMError("La réponse du modèle a été interrompue en cours de rédaction, même après "
                                   "plusieurs essais.") from exc
                log.warning("LLM stream broken (%s); retrying", type(exc).__name__)
                await asyncio.sleep(_backoff(retry))
        raise AssertionError("unreachable")

    @staticmethod
    async def _whole(stream) -> _Reply:
        """A whole completion sent in answer to a streamed request."""
        try:
            body = json.loads(await stream.response.aread())
        except Exception as exc:  # noqa: BLE001 - a cut body or not JSON: retried, not streamed
            raise _StreamBroken("unreadable completion") from exc
        finally:
            await stream.close()
        choice = (body.get("choices") or [None])[0] if isinstance(body, dict) else None
        if not isinstance(choice, dict):
            return _Reply(None, None, None, body.get("usage") if isinstance(body, dict) else None)
        message = choice.get("message") or {}
        return _Reply(message.get("content"), message.get("refusal"), choice.get("finish_reason"), body.get("usage"))

    @staticmethod
    async def _consume(stream, sink: StreamSink | None) -> _Reply:
        """Read a stream of chat.completion.chunk dicts."""
        content: list[str] = []
        refusal: list[str] = []
        finish = None
        usage = None
        async with stream:
            async for chunk in stream:
                if not isinstance(chunk, dict):
                    continue
                if chunk.get("usage"):
                    usage = chunk["usage"]
                choices = chunk.get("choices")
                if not choices or not isinstance(choices[0], dict):
                    continue  # the usage chunk; Azure's prompt_filter_results
                choice = choices[0]
                delta = choice.get("delta") or {}
                text = delta.get("content")
                if text:
                    content.append(text)
                    if sink is not None:
                        await sink.feed(text)
                if delta.get("refusal"):
                    refusal.append(delta["refusal"])
                if choice.get("finish_reason"):
                    finish = choice["finish_reason"]
        if finish is None:
            raise _StreamBroken("stream ended without finish_reason")
        if sink is not None and finish == "stop" and not refusal:
            await sink.finish()
        return _Reply("".join(content), "".join(refusal) or None, finish, usage)

    async def _once(self, messages, model, response_format, usage: Usage, temperature: float,
                    stream: bool = False, sink: StreamSink | None = None):
        usage.llm_calls += 1
        try:
            with observe.llm_call() as call:  # latency, tokens, error kind -> metrics and usage
                if stream and self.streams:
                    resp = await self._streamed(messages, response_format, temperature, sink)
                else:
                    resp = _reply_of(await self._create(messages, response_format, temperature))
                call.usage = resp.usage
        except openai.AuthenticationError as exc:
            raise LLMError("Clé d’API refusée par le service du modèle (vérifiez OPENAI_API_KEY).") from exc
        except openai.PermissionDeniedError as exc:
            raise LLMError("Accès refusé par le service du modèle (droits de la clé d’API).") from exc
        except openai.NotFoundError as exc:
            raise LLMError(
                f"Modèle « {self.settings.model} » introuvable chez le fournisseur (vérifiez OPENAI_MODEL)."
            ) from exc
        except openai.RateLimitError as exc:
            raise LLMError("Le service du modèle limite nos requêtes (429) malgré plusieurs essais ; réessayez dans un moment.") from exc
        except openai.APITimeoutError as exc:
            raise LLMError("Le modèle n’a pas répondu à temps, même après plusieurs essais.") from exc
        except openai.APIConnectionError as exc:
            raise LLMError("Le service du modèle est injoignable (vérifiez OPENAI_BASE_URL et le réseau).") from exc
        except openai.InternalServerError as exc:
            raise LLMError(f"Le service du modèle est en panne (erreur {exc.status_code}) malgré plusieurs essais.") from exc
        except openai.APIStatusError as exc:
            raise LLMError(f"Le service du modèle a refusé la requête (erreur {exc.status_code}).") from exc

        if resp.usage is not None:
            _count(resp.usage, usage)
        if resp.finish_reason is None and resp.content is None and resp.refusal is None:
            raise _BadReply("réponse vide")
        if resp.refusal:
            raise _BadReply("refus du modèle")
        if resp.finish_reason == "length":
            raise _BadReply("réponse tronquée")
        content = resp.content or ""
        try:
            return _lenient(model, _json_object(content))
        except (json.JSONDecodeError, ValidationError, TypeError) as exc:
            raise _BadReply("JSON invalide") from exc
