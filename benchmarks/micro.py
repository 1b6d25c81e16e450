"""In-process figures: analysis time, engine cost without the LLM, LLM calls and tokens per
article on a mix of first drafts, the static prompt's size and prompt caching."""
from __future__ import annotations

import asyncio
import copy
import gc
import json
import time

from seo.analysis import analyze, count_words, document_from_markdown
from seo.article import Draft
from seo.cleaning import clean
from seo.config import EngineSettings
from seo.llm import strict_schema
from seo.pipeline import Engine
from seo.prompts import SYSTEM_PROMPT, draft_messages
from tests.fakes import fake_writer
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.harness import ROOT

from .env import FIXTURE, pct, summary

ANALYSIS_FIXTURE = ROOT / "tests" / "analysis" / "fixtures" / "sample_otan.md"


def _timed(fn, n: int) -> list[float]:
    fn()  # warm caches (regexes, check registry)
    gc.collect()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


# ------------------------------------------------------------------ analysis of 1 000 words

def article_of_words(words: int):
    """The analysis fixture's article, its body paragraphs repeated, cut to `words` words."""
    base = document_from_markdown(ANALYSIS_FIXTURE.read_text(encoding="utf-8"))
    head, rest = base.body_markdown.split("\n\n", 1)
    blocks = [head] + rest.split("\n\n")
    out: list[str] = []
    i = 0
    while count_words("\n\n".join(out)) < words:
        out.append(blocks[i % len(blocks)] if i < len(blocks) else blocks[1 + (i % (len(blocks) - 1))])
        i += 1
    while count_words("\n\n".join(out)) > words and len(out[-1].split()) > 1:  # trim the last paragraph
        last = out[-1].split(" ")
        out[-1] = " ".join(last[:-1])
    return base.__class__(**{**base.__dict__, "body_markdown": "\n\n".join(out)})


def bench_analysis(quick: bool) -> list[dict]:
    doc = article_of_words(1000)
    times = _timed(lambda: analyze(doc), 20 if quick else 100)
    words = analyze(doc)["word_count"]
    p50 = pct(times, 50) * 1000
    return [{
        "id": "analysis_1000_words",
        "figure": f"analysis of a {words}-word article (seo.analysis.analyze), p50 / p95",
        "value": f"{p50:.1f} / {pct(times, 95) * 1000:.1f} ms",
        "target": "≤ 20 ms",
        "ok": p50 <= 20,
        "data": {"words": words, **{k: v * 1000 if isinstance(v, float) else v for k, v in summary(times).items()}},
    }]


# ------------------------------------------------------------------ engine cost without the LLM

class _InstantLLM:
    """Stands for the LLM client: returns a prepared draft at once, so only our code is timed."""

    def __init__(self, draft: Draft):
        self.draft = draft

    async def complete(self, messages, model, usage, **kw):
        usage.llm_calls += 1
        return self.draft

    async def close(self) -> None:
        pass


def bench_engine(quick: bool) -> list[dict]:
    src = FIXTURE.read_text(encoding="utf-8")
    dispatch = clean(src)
    draft = Draft.model_validate(fake_writer.write({"messages": draft_messages(dispatch, min_words=700)}))
    engine = Engine(EngineSettings(api_key="unused", min_words=700), llm=_InstantLLM(draft))

    async def run(n: int) -> tuple[list[float], object]:
        result = await engine.rewrite(src)
        gc.collect()
        out = []
        for _ in range(n):
            t = time.perf_counter()
            result = await engine.rewrite(src)
            out.append(time.perf_counter() - t)
        return out, result

    times, result = asyncio.run(run(15 if quick else 60))
    p50 = pct(times, 50) * 1000
    return [{
        "id": "engine_overhead",
        "figure": "engine cost per article without the LLM (clean, prompt, checks, fidelity, repair "
                  "planning, analysis, rendering), p50 / p95",
        "value": f"{p50:.1f} / {pct(times, 95) * 1000:.1f} ms",
        "target": "≤ 30 ms",
        "ok": p50 <= 30,
        "data": {"words": result.report["word_count"], "llm_calls": result.usage.llm_calls,
                 **{k: v * 1000 if isinstance(v, float) else v for k, v in summary(times).items()}},
    }]


# ------------------------------------------------------------------ LLM calls and tokens on a mix

def _good(request: dict) -> dict:
    return fake_writer.write(request)


def _spoilt(fn):
    def reply(request):
        article = copy.deepcopy(_good(request))
        fn(article)
        return article
    return Reply(reply)


def _too_short(a):
    a["sections"] = [{"heading": s["heading"], "body": s["body"].split("\n\n")[0]} for s in a["sections"][:3]]
    a["lead"] = a["lead"].split(". ")[0] + "."


def _altered_quote(a):
    a["sections"][0]["body"] += "\n\n« Nous allons gagner cette guerre très bientôt », a affirmé Joe Biden."


def _near_miss_quote(a):  # one word changed in a real quote: code restores it, no repair call
    a["sections"][0]["body"] += ("\n\n« Plus les Ukrainiens pourront libérer des terres, plus ils auront une "
                                 "main forte à la table des négociations », a-t-il déclaré.")


def _no_headings(a):
    a["sections"] = [{"heading": "", "body": "\n\n".join(s["body"] for s in a["sections"])}]


KINDS = {"good": None, "too_short": _too_short, "altered_quote": _altered_quote,
         "near_miss_quote": _near_miss_quote, "no_headings": _no_headings}
# The headline mix (20 first drafts): a quarter of them flawed. The per-kind rows let anyone
# recompute the average for another mix; the equal-weights mix is reported beside it.
MIX = {"good": 15, "near_miss_quote": 2, "too_short": 1, "altered_quote": 1, "no_headings": 1}
EQUAL = {"good": 1, "too_short": 1, "altered_quote": 1, "no_headings": 1}


def other_dispatch(text: str) -> str:
    """A second dispatch (paragraphs in another order) for the cross-dispatch caching probe."""
    lines = [l for l in text.split("\n") if l.strip()]
    return "\n".join([lines[0]] + lines[:0:-1])


def bench_llm_mix(quick: bool) -> list[dict]:
    src = FIXTURE.read_text(encoding="utf-8")
    dispatch = clean(src)
    source_words = count_words(dispatch.text)
    per_kind: dict[str, dict] = {}
    with FakeOpenAI(latency=0.0) as llm:
        settings = EngineSettings(api_key="sk-test", base_url=llm.base_url, model="gpt-test", timeout=10,
                                  max_retries=0, min_words=700)

        async def one(kind: str):
            llm.reset()  # also forgets earlier prompts: no cache hit from the previous article
            if KINDS[kind]:
                llm.script(_spoilt(KINDS[kind]))
            engine = Engine(settings)
            try:
                res = await engine.rewrite(src)
            finally:
                await engine.close()
            return res, [r for r in llm.requests]

        async def run_all():
            for kind in KINDS:
                res, reqs = await one(kind)
                per_kind[kind] = {
                    "llm_calls": res.usage.llm_calls,
                    "prompt_tokens": res.usage.prompt_tokens,
                    "completion_tokens": res.usage.completion_tokens,
                    "cached_tokens": res.usage.cached_tokens,
                    "words": res.report["word_count"],
                    "fidelity_ok": res.report["fidelity"]["ok"],
                }

            # Prompt caching, as the fake simulates OpenAI's (identical prefix >= 1024 tokens):
            # (a) the same dispatch twice, (b) two different dispatches, (c) a draft then its repair.
            probes = {}
            for name, texts, script in (("same_dispatch", [src, src], []),
                                        ("different_dispatches", [src, other_dispatch(src)], []),
                                        ("draft_then_repair", [src], [_spoilt(_too_short)])):
                llm.reset()
                llm.script(*script)
                engine = Engine(settings)
                cached = []
                try:
                    for t in texts:
                        r = await engine.rewrite(t)
                        cached.append(r.usage.cached_tokens)
                finally:
                    await engine.close()
                probes[name] = {"cached_tokens_per_article": cached,
                                "prompt_tokens_last": r.usage.prompt_tokens}
            return probes

        probes = asyncio.run(run_all())

    def mix_avg(mix: dict) -> dict:
        n = sum(mix.values())
        return {k: sum(per_kind[kind][k] * w for kind, w in mix.items()) / n
                for k in ("llm_calls", "prompt_tokens", "completion_tokens")}

    headline, equal = mix_avg(MIX), mix_avg(EQUAL)
    per_kw = 1000 / source_words
    system_tokens = len(SYSTEM_PROMPT) / 4
    schema_tokens = len(json.dumps({"name": "article", "strict": True, "schema": strict_schema(Draft)})) / 4
    tok = _tiktoken_count(SYSTEM_PROMPT)
    rows = [{
        "id": "llm_calls_per_article",
        "figure": f"LLM calls per article, mix of {sum(MIX.values())} first drafts "
                  f"({', '.join(f'{v} {k}' for k, v in MIX.items())})",
        "value": f"{headline['llm_calls']:.2f} calls (equal mix good/short/quote/headings: {equal['llm_calls']:.2f})",
        "target": "≤ 1.2",
        "ok": headline["llm_calls"] <= 1.2,
        "data": {"mix": MIX, "mix_avg": headline, "equal_mix": EQUAL, "equal_mix_avg": equal,
                 "per_kind": per_kind},
    }, {
        "id": "prompt_tokens_per_1000_source_words",
        "figure": f"prompt / completion tokens per article per 1 000 source words (source {source_words} words), "
                  "same mix",
        "value": f"{headline['prompt_tokens'] * per_kw:,.0f} / {headline['completion_tokens'] * per_kw:,.0f} "
                 f"(good draft: {per_kind['good']['prompt_tokens'] * per_kw:,.0f} / "
                 f"{per_kind['good']['completion_tokens'] * per_kw:,.0f})".replace(",", " "),
        "target": "report",
        "ok": None,
        "data": {"source_words": source_words, "per_1000_source_words": {k: v * per_kw for k, v in headline.items()},
                 "good_draft": per_kind["good"]},
    }, {
        "id": "static_prompt_tokens",
        "figure": "static system prompt (cacheable prefix), tokens"
                  + (" (tiktoken o200k_base)" if tok else " (chars/4)"),
        "value": f"{tok or system_tokens:.0f} (+ {schema_tokens:.0f} for the JSON schema); cached_tokens: "
                 f"same dispatch {probes['same_dispatch']['cached_tokens_per_article'][1]}, different "
                 f"dispatches {probes['different_dispatches']['cached_tokens_per_article'][1]}, "
                 f"draft→repair {probes['draft_then_repair']['cached_tokens_per_article'][0]}",
        "target": "report (OpenAI caches prefixes ≥ 1 024 tokens)",
        "ok": None,
        "data": {"system_prompt_chars": len(SYSTEM_PROMPT), "system_prompt_tokens_chars4": system_tokens,
                 "system_prompt_tokens_tiktoken": tok, "schema_tokens_chars4": schema_tokens,
                 "cache_probes": probes},
    }]
    return rows


def _tiktoken_count(text: str) -> int | None:
    try:
        import tiktoken  # optional, not a dependency
    except ImportError:
        return None
    try:
        return len(tiktoken.get_encoding("o200k_base").encode(text))
    except Exception:  # noqa: BLE001 - no encoding files offline
        return None


def run(quick: bool) -> list[dict]:
    from . import stream_cpu
    return bench_analysis(quick) + bench_engine(quick) + bench_llm_mix(quick) + stream_cpu.run(quick)
