"""Worker CPU per streamed article (issue 12): partial JSON parsing + Markdown rendering
(seo.streaming.MarkdownStream) on a ~1 000-word reply cut into realistic chunks, and what
streaming adds to a whole `Engine.rewrite` through the real openai client (SSE and chunk
parsing included), against the fake OpenAI server in its own process.
"""
from __future__ import annotations

import asyncio
import gc
import json
import random
import time

from seo.cleaning import clean
from seo.config import EngineSettings
from seo.pipeline import Engine
from seo.prompts import draft_messages
from seo.streaming import MarkdownStream, _paragraph
from tests.fakes import fake_writer

from .env import FIXTURE, FakeLLMProcess, pct

TOKEN_CHARS = 4  # what the fake counts as a token, about right for French
MODEL_TOKENS_PER_S = 60  # a typical streaming pace: 1 000 words in about 40 s


def _article(words: int = 1000) -> tuple[str, dict]:
    src = FIXTURE.read_text(encoding="utf-8")
    min_words = round(words / 1.15)  # the prompt asks for 15 % above the minimum
    messages = draft_messages(clean(src), min_words=min_words)
    return src, fake_writer.write({"model": "m", "messages": messages})


def _chunks(text: str, tokens: tuple[int, int], seed: int = 12) -> list[str]:
    rng = random.Random(seed)
    out, i = [], 0
    while i < len(text):
        n = rng.randint(*tokens) * TOKEN_CHARS
        out.append(text[i:i + n])
        i += n
    return out


class _PacedClock:
    """The model's pace: each chunk read advances time by the tokens it holds."""

    def __init__(self, chunks: list[str], pace: float | None):
        self.t, self.pace, self.sizes, self.i = 0.0, pace, [len(c) for c in chunks], 0

    def __call__(self) -> float:
        if self.pace:
            self.t += self.sizes[min(self.i, len(self.sizes) - 1)] / TOKEN_CHARS / self.pace
            self.i += 1
        return self.t


def _cpu_per_article(chunks: list[str], n: int, *, pace: float | None, **throttle) -> tuple[float, int, int]:
    """CPU seconds per article (median of n), renders and on_text calls per article."""
    sent = []

    async def on_text(chunk: str) -> None:
        sent.append(chunk)

    async def one() -> MarkdownStream:
        _paragraph.cache_clear()  # every article is new in production: no paragraph seen before
        sink = MarkdownStream(on_text, clock=_PacedClock(chunks, pace), **throttle)
        await sink.restart()
        for c in chunks:
            await sink.feed(c)
        await sink.finish()
        return sink

    async def run():
        await one()  # warm-up
        gc.collect()
        times, sink = [], None
        for _ in range(n):
            sent.clear()
            t = time.process_time()
            sink = await one()
            times.append(time.process_time() - t)
        return times, sink

    times, sink = asyncio.run(run())
    return pct(times, 50), sink.renders, len(sent)


def bench_partial_rendering(quick: bool) -> list[dict]:
    _, article = _article()
    text = json.dumps(article, ensure_ascii=False)
    words = fake_writer.article_words(article)
    n = 5 if quick else 20
    rows, data = [], {}
    cases = (
        ("every_chunk", "no throttle: parse + render at every chunk (the O(n²) way)",
         dict(min_bytes=0, min_interval=0.0), MODEL_TOKENS_PER_S),
        ("paced", f"default throttle (first words at once, then every 0.25 s or 512 bytes), model at "
                  f"{MODEL_TOKENS_PER_S} tokens/s",
         {}, MODEL_TOKENS_PER_S),
        ("burst", "default throttle, the whole reply at once (bytes rule only)", {}, None),
    )
    for tokens in ((1, 1), (1, 4)):
        chunks = _chunks(text, tokens)
        for key, label, throttle, pace in cases:
            cpu, renders, appends = _cpu_per_article(chunks, n, pace=pace, **throttle)
            data[f"{key}_{tokens[0]}-{tokens[1]}_tokens"] = {"cpu_ms": cpu * 1000, "renders": renders,
                                                            "on_text_calls": appends, "chunks": len(chunks)}
    d = data
    rows.append({
        "id": "stream_partial_cpu",
        "figure": f"worker CPU per streamed article ({words} words, {len(text.encode())} bytes of JSON in "
                  f"{d['paced_1-4_tokens']['chunks']} chunks of 1–4 tokens, or {d['paced_1-1_tokens']['chunks']} of "
                  "1 token) in partial JSON parsing + Markdown rendering (seo.streaming)",
        "value": (f"{d['paced_1-4_tokens']['cpu_ms']:.1f} ms at {MODEL_TOKENS_PER_S} tokens/s "
                  f"({d['paced_1-4_tokens']['renders']} renders), {d['burst_1-4_tokens']['cpu_ms']:.1f} ms "
                  f"in one burst; unthrottled {d['every_chunk_1-4_tokens']['cpu_ms']:.0f} ms "
                  f"(1-token chunks: {d['paced_1-1_tokens']['cpu_ms']:.1f} vs "
                  f"{d['every_chunk_1-1_tokens']['cpu_ms']:.0f} ms)"),
        "target": "cheap: ≤ 10 ms per article",
        "ok": d["paced_1-4_tokens"]["cpu_ms"] <= 10 and d["burst_1-4_tokens"]["cpu_ms"] <= 10,
        "data": {"words": words, "json_bytes": len(text.encode()), "cases": {k: v for k, v in data.items()},
                 "labels": {k: l for k, l, _, _ in cases}},
    })
    return rows


def bench_engine_streaming(quick: bool) -> list[dict]:
    """CPU of this process for a whole rewrite, streamed (on_text) or not, fake LLM elsewhere."""
    src, article = _article()
    n = 3 if quick else 10
    len_chunks = len(json.dumps(article, ensure_ascii=False)) // 8
    llm = FakeLLMProcess().start()
    try:
        llm.ctl.streaming(chunk_chars=8)  # two tokens per chunk
        settings = EngineSettings(api_key="sk-bench", base_url=llm.base_url, model="gpt-bench", timeout=30,
                                  max_retries=0, min_words=700)

        async def measure(stream: bool) -> tuple[float, int]:
            engine = Engine(settings)
            chunks = []

            async def on_text(c):
                chunks.append(c)

            try:
                await engine.rewrite(src, on_text=on_text if stream else None)  # warm-up
                times = []
                for _ in range(n):
                    gc.collect()
                    t = time.process_time()
                    await engine.rewrite(src, on_text=on_text if stream else None)
                    times.append(time.process_time() - t)
            finally:
                await engine.close()
            return pct(times, 50), len(chunks) // (n + 1)

        plain, _ = asyncio.run(measure(False))
        streamed, appends = asyncio.run(measure(True))
    finally:
        llm.stop()
    return [{
        "id": "stream_engine_cpu",
        "figure": "worker CPU per article, whole rewrite through the openai client (fake LLM in its own "
                  "process, 2-token chunks), not streamed / streamed with on_text",
        "value": f"{plain * 1000:.0f} / {streamed * 1000:.0f} ms (+{(streamed - plain) * 1000:.0f} ms: SSE decoding "
                 f"of ~{len_chunks} chunks, partial parsing, {appends} on_text calls)",
        "target": "report",
        "ok": None,
        "data": {"plain_cpu_ms": plain * 1000, "streamed_cpu_ms": streamed * 1000, "on_text_calls": appends,
                 "runs": n, "chunks_per_reply": len_chunks},
    }]


def run(quick: bool) -> list[dict]:
    return bench_partial_rendering(quick) + bench_engine_streaming(quick)
