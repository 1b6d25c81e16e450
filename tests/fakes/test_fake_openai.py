"""The fake OpenAI server, driven by the real `openai` client over real HTTP."""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import openai
import pytest
from openai import AsyncOpenAI, OpenAI

from . import fake_writer
from .openai_server import (
    Error, FakeOpenAI, Hang, Length, Malformed, RateLimit, Refusal, RemoteControl, Reply, StreamCut, StreamError,
    Unauthorized,
)

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `seo` when pytest is started from elsewhere
    sys.path.insert(0, str(ROOT))
from seo.article import Draft  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "depeche_otan.txt"
if not SAMPLE.exists():
    SAMPLE = Path("/work/shared/samples/depeche_otan.txt")
SHORT = (
    "Lyon (AFP) - La métropole de Lyon a voté lundi la gratuité des transports en commun pour les moins "
    "de 18 ans à partir de septembre. « C'est une mesure de justice sociale », a déclaré le président de "
    "la métropole, Bruno Bernard. Le coût est estimé à 15 millions d'euros par an, selon la collectivité."
)


def user_prompt(dispatch: str, keyword: str | None = None, min_words: int = 700, target: int | None = 850,
                article: dict | None = None) -> str:
    parts = []
    if keyword:
        parts.append(f"## Mot-clé principal imposé\n{keyword}")
    length = f"Au moins {min_words} mots dans le corps (chapô + sections)."
    if target:
        length += f" Visez environ {target} mots."
    parts.append(f"## Longueur\n{length}")
    if article is not None:
        parts.append("## Article actuel (JSON)\n" + json.dumps(article, ensure_ascii=False))
    parts.append(f"## Dépêche source\n<depeche>\n{dispatch}\n</depeche>")
    return "\n\n".join(parts)


def messages(dispatch: str | None = None, **kw) -> list[dict]:
    dispatch = SAMPLE.read_text(encoding="utf-8") if dispatch is None else dispatch
    return [{"role": "system", "content": "Tu es un rédacteur web. Réponds en JSON."},
            {"role": "user", "content": user_prompt(dispatch, **kw)}]


def ws_words(a: dict) -> int:
    return sum(len(x.split()) for x in [a["lead"]] + [p for s in a["sections"] for p in (s["heading"], s["body"])])


def check_article(a: dict, dispatch: str, min_words: int = 700) -> None:
    Draft.model_validate(a)
    kw = a["focus_keyword"].casefold()
    assert ws_words(a) >= min_words
    assert len(a["sections"]) >= 4
    assert a["title"].casefold().startswith(kw) and kw in a["lead"].casefold()
    assert a["meta_title"].casefold().startswith(kw) and len(a["meta_title"]) <= 60
    assert 120 <= len(a["meta_description"]) <= 156 and kw in a["meta_description"].casefold()
    assert 3 <= len(a["keyword_suggestions"]) <= 5 and a["secondary_keywords"]
    with_kw = sum(kw in s["heading"].casefold() for s in a["sections"])
    assert len(a["sections"]) // 2 <= with_kw <= (len(a["sections"]) + 1) // 2
    # faithful: every sentence carrying a digit is verbatim from the dispatch
    flat = " ".join(dispatch.split())
    for text in [a["lead"]] + [s["body"] for s in a["sections"]]:
        for par in text.split("\n\n"):
            for sent in fake_writer.split_sentences(par):
                if re.search(r"\d", sent):
                    assert sent in flat, sent


@pytest.fixture(scope="module")
def srv():
    with FakeOpenAI(latency=0.0) as server:
        yield server


@pytest.fixture(autouse=True)
def _reset(srv):
    srv.reset()
    yield


def aclient(srv, **kw) -> AsyncOpenAI:
    kw.setdefault("max_retries", 0)
    return AsyncOpenAI(base_url=srv.base_url, api_key="test", **kw)


@pytest.mark.asyncio
async def test_parsed_completion_with_usage(srv):
    async with aclient(srv) as client:
        r = await client.chat.completions.parse(model="gpt-4o-mini", messages=messages(), response_format=Draft)
    assert r.id.startswith("chatcmpl-") and r.object == "chat.completion" and r.model == "gpt-4o-mini"
    choice = r.choices[0]
    assert choice.finish_reason == "stop" and choice.message.refusal is None
    check_article(choice.message.parsed.model_dump(), SAMPLE.read_text(encoding="utf-8"))
    u = r.usage
    assert u.total_tokens == u.prompt_tokens + u.completion_tokens
    assert abs(u.completion_tokens - len(choice.message.content) / 4) <= 1
    assert u.prompt_tokens > 1000 and u.prompt_tokens_details.cached_tokens == 0
    sent = srv.requests[0]
    assert sent["response_format"]["json_schema"]["strict"] is True and srv.calls == 1


@pytest.mark.asyncio
async def test_stream_reassembled(srv):
    msgs = messages()
    async with aclient(srv) as client:
        plain = await client.chat.completions.create(model="gpt-4o-mini", messages=msgs)
        stream = await client.chat.completions.create(model="gpt-4o-mini", messages=msgs, stream=True,
                                                      stream_options={"include_usage": True})
        text, finish, usage, n = "", None, None, 0
        async for chunk in stream:
            n += 1
            assert chunk.object == "chat.completion.chunk"
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
                finish = chunk.choices[0].finish_reason or finish
            usage = chunk.usage or usage
    assert n > 10 and finish == "stop"
    assert text == plain.choices[0].message.content  # the writer is deterministic
    assert usage.completion_tokens == plain.usage.completion_tokens
    assert usage.prompt_tokens_details.cached_tokens >= 1024  # same prompt again: prefix cache


def _schema_format() -> dict:
    from seo.llm import strict_schema
    return {"type": "json_schema", "json_schema": {"name": "article", "strict": True, "schema": strict_schema(Draft)}}


@pytest.mark.asyncio
async def test_structured_output_streams_chunk_by_chunk_with_timing(srv):
    srv.first_token_delay, srv.stream_chunk_delay, srv.stream_chunk_chars = 1.0, 0.002, 12
    async with aclient(srv) as client:
        t0 = time.monotonic()
        stream = await client.chat.completions.create(model="m", messages=messages(SHORT), stream=True,
                                                      stream_options={"include_usage": True},
                                                      response_format=_schema_format())
        headers_at = time.monotonic() - t0
        arrivals, text, usage_chunks, finish = [], "", [], None
        async for chunk in stream:
            if chunk.choices:
                delta = chunk.choices[0].delta
                if delta.content:
                    arrivals.append(time.monotonic() - t0)
                    text += delta.content
                    assert len(delta.content) <= 12
                finish = chunk.choices[0].finish_reason or finish
            else:
                usage_chunks.append(chunk.usage)
    assert arrivals[0] >= 1.0 and arrivals[0] - headers_at >= 0.5  # headers at once, the first token later
    assert len(arrivals) > 100 and arrivals[-1] - arrivals[0] >= 100 * 0.002  # spread out
    assert finish == "stop" and len(usage_chunks) == 1 and usage_chunks[0].completion_tokens > 0
    check_article(Draft.model_validate_json(text).model_dump(), SHORT)
    srv.reset()
    assert (srv.first_token_delay, srv.stream_chunk_delay, srv.stream_chunk_chars) == (0.0, 0.0, 16)


@pytest.mark.asyncio
async def test_the_sdk_stream_helper_parses_the_structured_stream(srv):
    async with aclient(srv) as client:
        async with client.chat.completions.stream(model="m", messages=messages(SHORT), response_format=Draft,
                                                  stream_options={"include_usage": True}) as stream:
            kinds = {event.type async for event in stream}
            final = await stream.get_final_completion()
    assert {"content.delta", "content.done", "chunk"} <= kinds
    check_article(final.choices[0].message.parsed.model_dump(), SHORT)
    assert final.usage.prompt_tokens > 0


@pytest.mark.asyncio
async def test_stream_errors_and_cuts_reach_the_client(srv):
    srv.script(StreamError(after_chunks=0), StreamError(after_chunks=5, message="Boom"), StreamCut(after_chunks=5),
               StreamCut(after_chunks=5, stall=3))
    got = []

    async def consume(client):
        stream = await client.chat.completions.create(model="m", messages=messages(SHORT), stream=True)
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                got.append(chunk.choices[0].delta.content)

    async with aclient(srv) as client:
        with pytest.raises(openai.APIError, match="server had an error") as ei:
            await consume(client)
        assert not isinstance(ei.value, openai.APIStatusError) and got == []  # 200, then the error
        with pytest.raises(openai.APIError, match="Boom"):
            await consume(client)
        assert len(got) == 5
        with pytest.raises(openai.APIConnectionError):
            await consume(client)
        assert len(got) == 10
        with pytest.raises(openai.APITimeoutError):
            await consume(client.with_options(timeout=1.0))
        await consume(client)  # the script is empty: a whole stream
    text = "".join(got[15:])
    check_article(json.loads(text), SHORT)


@pytest.mark.asyncio
async def test_servers_that_do_not_stream(srv):
    kwargs = dict(model="m", messages=messages(SHORT), stream=True, stream_options={"include_usage": True},
                  response_format=_schema_format())
    async with aclient(srv) as client:
        srv.streaming = "refuse"
        with pytest.raises(openai.BadRequestError, match="stream"):
            await client.chat.completions.create(**kwargs)
        srv.streaming = "no_json_schema"
        with pytest.raises(openai.BadRequestError, match="json_schema"):
            await client.chat.completions.create(**kwargs)
        plain_ok = await client.chat.completions.create(model="m", messages=messages(SHORT),
                                                        response_format=_schema_format())
        assert plain_ok.choices[0].finish_reason == "stop"
        srv.streaming = "off"
        raw = await client.chat.completions.with_raw_response.create(**kwargs)
        assert raw.headers["content-type"].startswith("application/json")
        body = json.loads(await raw.http_response.aread())
    assert body["object"] == "chat.completion" and body["usage"]["completion_tokens"] > 0


@pytest.mark.asyncio
async def test_rate_limit_then_retry(srv):
    srv.script(RateLimit(retry_after=1.0))
    async with aclient(srv) as client:
        with pytest.raises(openai.RateLimitError) as ei:
            await client.chat.completions.create(model="gpt-4o-mini", messages=messages(SHORT))
    assert ei.value.status_code == 429 and ei.value.response.headers["retry-after"] == "1"
    assert ei.value.code == "rate_limit_exceeded" and ei.value.request_id.startswith("req_")

    srv.script(RateLimit(retry_after=0.2), Reply({"ok": True}))
    t0 = time.monotonic()
    async with aclient(srv, max_retries=2) as client:
        r = await client.chat.completions.create(model="gpt-4o-mini", messages=messages(SHORT))
    assert json.loads(r.choices[0].message.content) == {"ok": True}
    assert time.monotonic() - t0 >= 0.2  # the client honoured retry-after
    assert srv.calls == 3 and srv.request_headers[-1].get("x-stainless-retry-count") == "1"


@pytest.mark.asyncio
async def test_server_error_timeout_auth(srv):
    srv.script(Error(500), Hang(5), Unauthorized())
    async with aclient(srv) as client:
        with pytest.raises(openai.InternalServerError) as ei:
            await client.chat.completions.create(model="m", messages=messages(SHORT))
        assert ei.value.status_code == 500 and ei.value.type == "server_error"
        t0 = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            await client.with_options(timeout=0.5).chat.completions.create(model="m", messages=messages(SHORT))
        assert time.monotonic() - t0 < 4.5  # the client gave up, it did not wait for the 5 s hang
        with pytest.raises(openai.AuthenticationError) as ei:
            await client.chat.completions.create(model="m", messages=messages(SHORT))
        assert ei.value.code == "invalid_api_key" and "Incorrect API key provided" in str(ei.value)
        r = await client.chat.completions.create(model="m", messages=messages(SHORT))  # script empty: default
    check_article(json.loads(r.choices[0].message.content), SHORT)


@pytest.mark.asyncio
async def test_refusal_length_malformed(srv):
    srv.script(Refusal("I can't help"), Length(), Malformed())
    async with aclient(srv) as client:
        r = await client.chat.completions.parse(model="m", messages=messages(SHORT), response_format=Draft)
        msg = r.choices[0].message
        assert msg.refusal == "I can't help" and msg.content is None and msg.parsed is None
        with pytest.raises(openai.LengthFinishReasonError):
            await client.chat.completions.parse(model="m", messages=messages(SHORT), response_format=Draft)
        r = await client.chat.completions.create(model="m", messages=messages(SHORT))
    assert r.choices[0].finish_reason == "stop"
    with pytest.raises(ValueError):
        json.loads(r.choices[0].message.content)


@pytest.mark.asyncio
async def test_request_validation(srv):
    async with aclient(srv) as client:
        with pytest.raises(openai.BadRequestError) as ei:
            await client.chat.completions.create(model="m", messages=[])
        assert ei.value.param == "messages"
        loose = {"type": "json_schema", "json_schema": {"name": "Draft", "schema": Draft.model_json_schema()}}
        with pytest.raises(openai.BadRequestError, match="strict"):
            await client.chat.completions.create(model="m", messages=messages(SHORT), response_format=loose)
        bad = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
        rf = {"type": "json_schema", "json_schema": {"name": "X", "schema": bad, "strict": True}}
        with pytest.raises(openai.BadRequestError, match="additionalProperties"):
            await client.chat.completions.create(model="m", messages=messages(SHORT), response_format=rf)
        models = await client.models.list()
        assert "gpt-4o-mini" in [m.id for m in models.data]
    req = urllib.request.Request(srv.base_url + "/chat/completions", data=b'{"model": "m"}', method="POST",
                                 headers={"Authorization": "Bearer test", "Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as ei:
        urllib.request.urlopen(req, timeout=5)
    err = json.loads(ei.value.read())["error"]
    assert ei.value.code == 400 and err["code"] == "missing_required_parameter" and err["param"] == "messages"


@pytest.mark.asyncio
async def test_concurrent_requests_overlap(srv):
    srv.latency = 0.5
    msgs = messages(SHORT)
    async with aclient(srv) as client:
        t0 = time.monotonic()
        rs = await asyncio.gather(*[client.chat.completions.create(model="m", messages=msgs) for _ in range(120)])
        elapsed = time.monotonic() - t0
    assert len({r.id for r in rs}) == 120 and srv.peak_in_flight >= 100
    assert elapsed < 30  # overlapping, not 120 x 0.5 s = 60 s (peak_in_flight says it too)


def test_fake_writer_sample_and_revisions():
    dispatch = SAMPLE.read_text(encoding="utf-8")
    a = fake_writer.write({"model": "m", "messages": messages(dispatch)})
    check_article(a, dispatch)
    assert 800 <= fake_writer.article_words(a) <= 900
    assert "Make this article" not in json.dumps(a, ensure_ascii=False)

    short = fake_writer.write({"model": "m", "messages": messages(SHORT, keyword="transports en commun",
                                                                       target=None)})
    check_article(short, SHORT)
    assert short["focus_keyword"] == "transports en commun"
    assert fake_writer.article_words(short) >= 700

    long = fake_writer.write({"model": "m", "messages": messages(dispatch, target=1300)})
    assert ws_words(long) >= 1250
    shrunk = fake_writer.write({"model": "m", "messages": messages(dispatch, keyword="Jens Stoltenberg",
                                                                       target=650, article=long)})
    check_article(shrunk, dispatch)
    assert shrunk["focus_keyword"] == "Jens Stoltenberg" and 700 <= fake_writer.article_words(shrunk) <= 730
    same = fake_writer.write({"model": "m", "messages": messages(dispatch, target=None, article=long)})
    assert same == long  # nothing to fix: unchanged


def test_cli_process_and_control_api():
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "tests.fakes.openai_server", "--port", "0", "--latency", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    try:
        base_url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", base_url)
        ctl = RemoteControl(base_url)
        assert ctl.script(Error(503), {"type": "reply", "content": {"ok": 1}}) == 2
        ctl.latency = 0.1
        assert ctl.streaming(first_token_delay=0.2, chunk_chars=7)["chunk_chars"] == 7
        assert ctl.state["first_token_delay"] == 0.2 and ctl.state["streaming"] == "on"
        with OpenAI(base_url=base_url, api_key="test", max_retries=0) as client:
            with pytest.raises(openai.InternalServerError):
                client.chat.completions.create(model="m", messages=messages(SHORT))
            r = client.chat.completions.create(model="m", messages=messages(SHORT))
        assert json.loads(r.choices[0].message.content) == {"ok": 1}
        assert ctl.calls == 2 and ctl.requests[0]["model"] == "m" and ctl.latency == 0.1
        ctl.reset()
        assert ctl.calls == 0 and ctl.state["queued"] == 0 and ctl.latency == 0.0
    finally:
        proc.terminate()
        proc.wait(timeout=5)
    assert proc.returncode == 0


def test_common_prefix_matches_a_character_walk_for_any_pair():
    """The prompt cache's prefix length (binary search over slices) is the plain walk's, for
    equal, nested, disjoint and differing-anywhere strings."""
    import random

    from .openai_server import _common_prefix

    rng = random.Random(21)
    pairs = [("", ""), ("a", ""), ("abc", "abc"), ("abc", "abcd"), ("xbc", "abc"), ("é" * 5000, "é" * 4999 + "e")]
    for _ in range(500):
        a = "".join(rng.choice("ab") for _ in range(rng.randint(0, 40)))
        b = a[: rng.randint(0, len(a))] + "".join(rng.choice("ab") for _ in range(rng.randint(0, 5)))
        pairs.append((a, b))
    for a, b in pairs:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        assert _common_prefix(a, b) == n == _common_prefix(b, a)


def test_timings_record_each_streamed_request_by_its_client_request_id():
    with FakeOpenAI(stream_chunk_delay=0.01, first_token_delay=0.05) as srv:
        client = OpenAI(base_url=srv.base_url, api_key="k", max_retries=0)
        for rid in ("job-1", "job-2"):
            stream = client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": SHORT}], stream=True,
                extra_headers={"X-Client-Request-Id": rid})
            text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
            assert text
        timings = RemoteControl(srv.base_url).timings
        assert [t["id"] for t in timings] == ["job-1", "job-2"]
        for t in timings:
            assert t["received"] + 0.05 <= t["first_content"] <= t["finished"]
