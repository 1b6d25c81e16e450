"""Issue 21 §2: fifty editors at once.

50 signed `/seo-fr` from 50 different people in 50 channels, sent together to one web process and
one worker (real processes, real Redis, the fake Slack in this process, the fake OpenAI in its
own), the model streaming each article for about 10 s (1 s to its first token), Slack's
streaming budgets lifted so that all 50 articles stream (the figure is our latency, not Slack's
Tier 2 budget). Measured per command, from the moment it was sent:

- ack (HTTP 200), p99;
- first message in the thread (the status line), p95;
- first streamed words of the article in the thread, p95;
- all 50 articles finished (the last one showing its buttons).

Then the decomposition of each job's first second, p50 / p95 of the time from its command to:
parent message posted, status message posted (fake Slack's record), job enqueued and picked up
(saq's stamps in the worker's log), LLM request sent (the worker's log line « timeline »), request
received and first content written by the fake model (its /_control/timings, matched by the
X-Client-Request-Id header carrying the job id), stream started and first append (fake Slack).

Last, the fake model alone with 50 concurrent streams (no bot): its own time to first content,
to tell its CPU from ours.
"""
from __future__ import annotations

import asyncio
import json
import re
import statistics
import time

from seo.article import Draft
from seo.cleaning import clean
from seo.llm import strict_schema
from seo.prompts import draft_messages
from tests.fakes import slack_requests as sr
from tests.fakes.fake_writer import write as fake_write

from .env import FakeLLMProcess, Posts, Stack, pct, reset_counter, sample_dispatch, send_all, summary, wait_articles

N = 50
LLM_SECONDS = 10.0  # the model's whole answer: 1 s to the first token, the rest written evenly
FIRST_TOKEN = 1.0
CHUNK_CHARS = 24
LIFTED = {"chat.startStream": None, "chat.appendStream": None, "chat.stopStream": None}
GOALS = {"ack_p99": 0.050, "first_thread_p95": 1.0, "all_done": 12.0, "first_words_p95": 1.5}
STAGES = ("parent posted", "status posted", "job enqueued", "worker picked up", "LLM request sent",
          "LLM request received (fake)", "first token (fake)", "stream started", "first append",
          "LLM answer finished (fake)", "engine done (LLM read, checks run)", "article done")


def _request_body(text: str) -> dict:
    msgs = draft_messages(clean(text), min_words=700)
    return {"model": "gpt-test", "messages": msgs, "stream": True, "stream_options": {"include_usage": True},
            "response_format": {"type": "json_schema", "json_schema": {
                "name": "article", "strict": True, "schema": strict_schema(Draft)}}}


def chunk_delay(text: str) -> float:
    """Seconds between content chunks so that the whole answer takes LLM_SECONDS."""
    content = json.dumps(fake_write(_request_body(text)), ensure_ascii=False)
    chunks = max(1, -(-len(content) // CHUNK_CHARS))
    return (LLM_SECONDS - FIRST_TOKEN) / chunks


def _commands(slack, text: str, run: int) -> list[tuple[str, bytes, dict]]:
    out = []
    for i in range(N):
        channel = f"CB{run}{i:04d}"
        body, headers = sr.slash_command(text, channel_id=channel, channel_name=f"redac-{i}",
                                         user_id=f"UB{run}{i:04d}", user_name=f"journaliste{i}", slack=slack)
        out.append((channel, body, headers))
    return out


def _worker_log(stack: Stack) -> str:
    return "".join(v for k, v in stack.logs().items() if k.startswith("worker"))


def _decompose(stack: Stack, sent, llm_timings: list[dict]) -> dict[str, list[float]]:
    """Stage -> seconds from each command to that stage (one value per job that reached it)."""
    slack = stack.slack
    wall = {s.key: s.wall for s in sent}
    out: dict[str, list[float]] = {k: [] for k in STAGES}
    posts = Posts.read(slack)
    for ch, t in posts.parent.items():
        if ch in wall:
            out["parent posted"].append(t - wall[ch])
    for (ch, _), t in posts.first_in_thread.items():
        if ch in wall:
            out["status posted"].append(t - wall[ch])
    log = _worker_log(stack)
    job_channel = {}
    for job, ch, picked, asked in re.findall(r"job (\w+) timeline in (\w+): picked up ([\d.]+), LLM asked ([\d.]+)",
                                             log):
        if ch in wall:
            job_channel[job] = ch
            out["LLM request sent"].append(float(asked) - wall[ch])
    both = stack.logs()["web"] + log
    for stamp, ms, what, job in re.findall(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) INFO saq: "
                                           r"(Enqueuing|Processing) job (\w+)", both, re.M):
        ch = job_channel.get(job)
        if ch:  # saq's own lines (asctime, local time, ms)
            at = time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")) + int(ms) / 1000
            out["job enqueued" if what == "Enqueuing" else "worker picked up"].append(at - wall[ch])
    for t in llm_timings:
        ch = job_channel.get(t.get("id") or "")
        if ch:
            out["LLM request received (fake)"].append(t["received"] - wall[ch])
            if t.get("first_content"):
                out["first token (fake)"].append(t["first_content"] - wall[ch])
            if t.get("finished"):
                out["LLM answer finished (fake)"].append(t["finished"] - wall[ch])
    for (ch, _), times in posts.articles.items():
        if ch in wall:
            out["article done"].append(times[0] - wall[ch])
    out_ms = dict(re.findall(r"job (\w+): article out (\d+) ms after the engine", log))
    for job, ch in job_channel.items():
        arts = [times[0] for (c, _), times in posts.articles.items() if c == ch]
        if job in out_ms and arts:  # the article's time at the fake, less what the worker took after the engine
            out["engine done (LLM read, checks run)"].append(arts[0] - int(out_ms[job]) / 1000 - wall[ch])
    first_append: dict[str, float] = {}
    for c in slack.calls("chat.appendStream"):
        if c["ok"]:
            first_append.setdefault(c["args"].get("ts"), c["ts"])
    for st in slack.streams():
        ch = st["channel"]
        if ch not in wall:
            continue
        out["stream started"].append(st["started_at"] - wall[ch])
        if st["ts"] in first_append:
            out["first append"].append(first_append[st["ts"]] - wall[ch])
    return out


async def _burst(stack: Stack, text: str, run: int) -> dict:
    slack = stack.slack
    slack.reset()
    slack.rate_limits.update(LIFTED)
    stack.llm.ctl.reset()
    stack.llm.ctl.streaming(first_token_delay=FIRST_TOKEN, chunk_delay=stack.chunk_delay, chunk_chars=CHUNK_CHARS)
    reset_counter(slack)
    reqs = _commands(slack, text, run)
    sent = await send_all(stack.url, reqs)
    t0 = min(s.wall for s in sent)
    await wait_articles(slack, N, timeout=120)
    posts = Posts.read(slack)
    wall = {s.key: s.wall for s in sent}
    first_thread = [t - wall[ch] for (ch, _), t in posts.first_in_thread.items() if ch in wall]
    streams = {st["channel"]: st for st in slack.streams()}
    first_words = [st["first_text_at"] - wall[ch] for ch, st in streams.items()
                   if ch in wall and st["first_text_at"]]
    done_at = max(times[0] for (ch, _), times in posts.articles.items() if ch in wall)
    return {
        "ack": [s.seconds for s in sent], "non_200": sum(1 for s in sent if s.status != 200),
        "first_thread": first_thread, "first_words": first_words, "streamed": len(first_words),
        "all_done": done_at - t0, "send_window": max(wall.values()) - t0,
        "stages": _decompose(stack, sent, stack.llm.ctl.timings),
        "web_api_errors": len(posts.errors),
    }


async def fake_model_alone(n: int = N, runs: int = 3, cwd=None) -> dict:
    """The fake model by itself, n streamed requests at once: request -> first content chunk.
    `cwd`: another checkout whose fake to measure (before/after a change of the fake)."""
    import aiohttp

    text = sample_dispatch()
    body = json.dumps(_request_body(text))
    llm = FakeLLMProcess(0.0, cwd=cwd).start()
    p95s, p50s = [], []
    try:
        llm.ctl.streaming(first_token_delay=FIRST_TOKEN, chunk_delay=chunk_delay(text), chunk_chars=CHUNK_CHARS)
        url = llm.base_url.rstrip("/") + "/chat/completions"

        async def one(session) -> float:
            t = time.monotonic()
            async with session.post(url, data=body, headers={"Content-Type": "application/json",
                                                             "Authorization": "Bearer sk-test"}) as r:
                first = float("nan")
                async for line in r.content:
                    if first != first and b'"content"' in line and b'"role"' not in line:
                        first = time.monotonic() - t
                return first

        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            for _ in range(runs):  # no reset between bursts: the fake keeps its last 64 prompts, as in the bench
                ttft = list(await asyncio.gather(*(one(session) for _ in range(n))))
                p50s.append(pct(ttft, 50))
                p95s.append(pct(ttft, 95))
    finally:
        llm.stop()
    return {"p50": statistics.median(p50s), "p95": statistics.median(p95s), "p95_runs": p95s}


def _ms(v: float) -> str:
    return f"{v * 1000:.0f} ms"


async def _run(quick: bool) -> list[dict]:
    text = sample_dispatch()
    runs = 1 if quick else 3
    results = []
    with Stack(workers=1, latency=0.0, env_extra={"SEO_STREAM_STARTS_PER_MIN": "10000",
                                                  "SEO_STREAM_APPENDS_PER_MIN": "10000"}) as stack:
        stack.chunk_delay = chunk_delay(text)
        # warm-up: one job through every path (imports, connections, the fake's caches)
        stack.slack.rate_limits.update(LIFTED)
        await send_all(stack.url, _commands(stack.slack, text, 9)[:2])
        await wait_articles(stack.slack, 2, timeout=90)
        await asyncio.sleep(1.0)
        for run in range(runs):
            results.append(await _burst(stack, text, run))
            await asyncio.sleep(2.0)  # the last stops and status updates
        problems = stack.log_problems()

    def med(f) -> float:
        return statistics.median(f(r) for r in results)

    ack99 = med(lambda r: pct(r["ack"], 99))
    thread95 = med(lambda r: pct(r["first_thread"], 95))
    words95 = med(lambda r: pct(r["first_words"], 95))
    done = med(lambda r: r["all_done"])
    streamed = min(r["streamed"] for r in results)
    decomposition = {stage: {"p50": med(lambda r: pct(r["stages"][stage], 50)),
                             "p95": med(lambda r: pct(r["stages"][stage], 95)),
                             "n": min(len(r["stages"][stage]) for r in results)} for stage in STAGES}
    alone = await fake_model_alone(runs=runs)
    per_run = [{"ack_p99_ms": pct(r["ack"], 99) * 1000, "first_thread_p95_s": pct(r["first_thread"], 95),
                "first_words_p95_s": pct(r["first_words"], 95), "all_done_s": r["all_done"],
                "streamed": r["streamed"], "non_200": r["non_200"], "web_api_errors": r["web_api_errors"],
                "send_window_s": r["send_window"]} for r in results]
    head = f"burst: {N} /seo-fr, {N} people, {N} channels, 1 web + 1 worker, LLM {LLM_SECONDS:g} s " \
           f"({FIRST_TOKEN:g} s to first token), median of {runs} run(s)"
    rows = [
        {"id": "burst_ack", "figure": f"{head}: ack p99", "value": _ms(ack99),
         "target": "≤ 50 ms", "ok": ack99 <= GOALS["ack_p99"] and not any(r["non_200"] for r in results)},
        {"id": "burst_first_thread", "figure": f"{head}: first message in the thread p95",
         "value": f"{thread95:.2f} s", "target": "≤ 1 s", "ok": thread95 <= GOALS["first_thread_p95"]},
        {"id": "burst_all_done", "figure": f"{head}: all {N} articles done", "value": f"{done:.1f} s",
         "target": "≤ 12 s", "ok": done <= GOALS["all_done"]},
        {"id": "burst_first_words", "figure": f"{head}: first streamed words p95 ({streamed}/{N} streamed)",
         "value": f"{words95:.2f} s", "target": "≤ 1.5 s",
         "ok": words95 <= GOALS["first_words_p95"] and streamed == N},
        {"id": "burst_decomposition", "figure": "burst: command → stage, p50 / p95 (decomposition of the first second, then the end)",
         "value": "; ".join(f"{k} {_ms(v['p50'])} / {_ms(v['p95'])}" for k, v in decomposition.items()),
         "target": "report", "ok": None, "data": decomposition},
        {"id": "burst_fake_alone", "figure": f"for scale: the fake model alone, {N} streams at once "
                                             f"({FIRST_TOKEN:g} s set first token): first content p50 / p95",
         "value": f"{alone['p50']:.2f} / {alone['p95']:.2f} s", "target": "report", "ok": None, "data": alone},
    ]
    rows[0]["data"] = {"runs": per_run, "log_problems": problems}
    return rows


def run(quick: bool) -> list[dict]:
    return asyncio.run(_run(quick))
