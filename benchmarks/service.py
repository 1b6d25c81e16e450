"""Figures measured on real processes: one `bot.py --role web` and one `--role worker` on a
private Redis, the fake Slack Web API, the fake OpenAI server (own process) with a set latency.

ack latency and first visible message (50 concurrent /seo-fr), end-to-end time over the raw
LLM latency (one command at a time), throughput of one worker (100 jobs, 10 s LLM latency)
and the worker's memory.
"""
from __future__ import annotations

import asyncio
import json
import time
import urllib.request

from jobs.settings import BotSettings
from seo.article import Draft
from seo.cleaning import clean
from seo.llm import strict_schema
from seo.prompts import draft_messages
from tests.fakes import slack_requests as sr

from .env import (Posts, RssSampler, Stack, cpu_seconds, hwm_mb, reset_counter, rss_mb, sample_dispatch, send_all,
                  summary, wait_articles)

_seq = iter(range(1, 10**6))


def _commands(n: int, prefix: str, text: str, slack) -> list[tuple[str, bytes, dict]]:
    """n signed /seo-fr requests, each in its own channel (so its own thread)."""
    out = []
    for _ in range(n):
        channel = f"C{prefix}{next(_seq):05d}"
        body, headers = sr.slash_command(text, channel_id=channel, slack=slack)
        out.append((channel, body, headers))
    return out


def raw_llm_seconds(base_url: str, n: int = 3) -> float:
    """What one draft call costs at the wire: the fake's latency plus its writer and HTTP."""
    msgs = draft_messages(clean(sample_dispatch()), min_words=700)
    body = json.dumps({"model": "gpt-test", "messages": msgs, "temperature": 0.4, "response_format": {
        "type": "json_schema", "json_schema": {"name": "article", "strict": True, "schema": strict_schema(Draft)}}})
    times = []
    for _ in range(n):
        req = urllib.request.Request(base_url.rstrip("/") + "/chat/completions", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer sk-test"})
        t = time.monotonic()
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
        times.append(time.monotonic() - t)
    return sorted(times)[len(times) // 2]


async def _phase_ack(stack: Stack, n: int, text: str) -> dict:
    slack = stack.slack
    reqs = _commands(n, "A", text, slack)
    sent = await send_all(stack.url, reqs)
    await wait_articles(slack, n, timeout=60)
    posts = Posts.read(slack)
    acks = [s.seconds for s in sent]
    parent, status, article = [], [], []
    for s in sent:
        p = posts.parent.get(s.key)
        if p is None:
            continue
        parent.append(p - s.wall)
        thread = next((t for (ch, t) in posts.first_in_thread if ch == s.key), None)
        if thread:
            status.append(posts.first_in_thread[(s.key, thread)] - s.wall)
            arts = posts.articles.get((s.key, thread))
            if arts:
                article.append(arts[0] - s.wall)
    return {"acks": acks, "statuses": [s.status for s in sent], "parent": parent, "status": status,
            "article": article, "slack_errors": posts.errors}


async def _phase_sequential(stack: Stack, n: int, text: str) -> list[float]:
    out = []
    for _ in range(n):
        reset_counter(stack.slack)
        stack.slack.reset()
        [(channel, body, headers)] = _commands(1, "S", text, stack.slack)
        [sent] = await send_all(stack.url, [(channel, body, headers)])
        await wait_articles(stack.slack, 1, timeout=60)
        posts = Posts.read(stack.slack)
        [times] = [v for (ch, _), v in posts.articles.items() if ch == channel]
        out.append(times[0] - sent.wall)
        await asyncio.sleep(0.5)  # let the job's bookkeeping finish before the next one (and the reset)
    return out


async def _phase_throughput(stack: Stack, n: int, text: str) -> dict:
    reset_counter(stack.slack)
    stack.slack.reset()
    worker = stack.worker_procs[0].proc.pid
    sampler = RssSampler({"worker": worker, "web": stack.web.proc.pid}, every=0.1).start()
    reqs = _commands(n, "T", text, stack.slack)
    cpu0 = {"worker": cpu_seconds(worker), "web": cpu_seconds(stack.web.proc.pid)}
    t0 = time.time()
    sent = await send_all(stack.url, reqs)
    try:
        await wait_articles(stack.slack, n, timeout=120)
    finally:
        await sampler.stop()
    cpu = {"worker": cpu_seconds(worker) - cpu0["worker"], "web": cpu_seconds(stack.web.proc.pid) - cpu0["web"]}
    posts = Posts.read(stack.slack)
    last = max(v[0] for v in posts.articles.values())
    return {"seconds": last - t0, "acks": [s.seconds for s in sent], "done": sum(1 for v in posts.articles.values()),
            "duplicates": sum(len(v) - 1 for v in posts.articles.values()),
            "worker_peak_rss": sampler.peak("worker"), "web_peak_rss": sampler.peak("web"),
            "worker_hwm": hwm_mb(worker), "slack_errors": posts.errors,
            "cpu_ms_per_job": {k: v / n * 1000 for k, v in cpu.items()},
            "llm_state": stack.llm.ctl.state}


async def _run(quick: bool) -> list[dict]:
    text = sample_dispatch()
    n_ack, n_seq, lat_seq = (20, 2, 1.0) if quick else (50, 5, 2.0)
    n_thr, lat_thr = (20, 2.0) if quick else (100, 10.0)
    rows: list[dict] = []
    with Stack(workers=1, latency=lat_seq) as stack:
        worker_pid = stack.worker_procs[0].proc.pid
        await asyncio.sleep(1.0)
        idle = {"worker": rss_mb(worker_pid), "web": rss_mb(stack.web.proc.pid)}

        # warm-up: one job through every path (first-use imports, connection pools)
        await send_all(stack.url, _commands(1, "W", text, stack.slack))
        await wait_articles(stack.slack, 1, timeout=60)
        idle_after_one = {"worker": rss_mb(worker_pid), "web": rss_mb(stack.web.proc.pid)}
        reset_counter(stack.slack)
        stack.slack.reset()

        ack = await _phase_ack(stack, n_ack, text)
        a = summary(ack["acks"])
        bad = [s for s in ack["statuses"] if s != 200]
        rows.append({
            "id": "ack_latency",
            "figure": f"ack latency of /seo-fr, {n_ack} concurrent signed requests, one web process, p50 / p99",
            "value": f"{a['p50'] * 1000:.0f} / {a['p99'] * 1000:.0f} ms (max {a['max'] * 1000:.0f} ms)",
            "target": "p99 ≤ 50 ms",
            "ok": a["p99"] <= 0.050 and not bad,
            "data": {**{k: v * 1000 if isinstance(v, float) else v for k, v in a.items()}, "non_200": len(bad)},
        })
        st, pa = summary(ack["status"]), summary(ack["parent"])
        rows.append({
            "id": "first_visible_message",
            "figure": f"command → first message in the thread (status), same {n_ack} commands, p50 / p95 "
                      "(parent message in the channel)",
            "value": f"{st['p50'] * 1000:.0f} / {st['p95'] * 1000:.0f} ms (parent {pa['p50'] * 1000:.0f} / "
                     f"{pa['p95'] * 1000:.0f} ms)",
            "target": "p95 ≤ 1 s",
            "ok": st.get("p95", 99) <= 1.0 and st["n"] == n_ack,
            "data": {"status_ms": {k: v * 1000 if isinstance(v, float) else v for k, v in st.items()},
                     "parent_ms": {k: v * 1000 if isinstance(v, float) else v for k, v in pa.items()},
                     "concurrent_e2e_s": summary(ack["article"]), "slack_errors": len(ack["slack_errors"])},
        })

        raw = raw_llm_seconds(stack.llm.base_url)
        seq = await _phase_sequential(stack, n_seq, text)
        e2e = sorted(seq)[len(seq) // 2]
        ratio = e2e / raw
        rows.append({
            "id": "e2e_over_llm",
            "figure": f"command → article posted / raw LLM call ({lat_seq:g} s fake latency; good first draft, "
                      f"median of {n_seq} one at a time)",
            "value": f"{ratio:.3f} ({e2e:.2f} s / {raw:.2f} s; overhead {e2e - raw:.2f} s)",
            "target": "≤ 1.05 × LLM + ≤ 0.5 s",
            "ok": e2e <= 1.05 * raw + 0.5,
            "data": {"e2e_s": seq, "raw_llm_s": raw, "ratio": ratio, "overhead_s": e2e - raw},
        })

        stack.llm.ctl.latency = lat_thr
        thr = await _phase_throughput(stack, n_thr, text)
        per_wave = BotSettings().worker_concurrency  # SEO_WORKER_CONCURRENCY's default
        waves = -(-n_thr // per_wave)
        ideal = waves * lat_thr
        rows.append({
            "id": "worker_throughput",
            "figure": f"one worker, {n_thr} jobs at {lat_thr:g} s LLM latency: first command → last article "
                      f"(floor {ideal:g} s: concurrency {per_wave})",
            "value": f"{thr['seconds']:.1f} s ({thr['done']}/{n_thr} done, {thr['duplicates']} duplicates; CPU per "
                     f"job: worker {thr['cpu_ms_per_job']['worker']:.0f} ms, web {thr['cpu_ms_per_job']['web']:.0f} ms)",
            "target": "≤ 25 s" if not quick else "quick run: n/a",
            "ok": (thr["seconds"] <= 25 and thr["done"] == n_thr and not thr["duplicates"]) if not quick else None,
            "data": {**{k: v for k, v in thr.items() if k not in ("acks", "slack_errors")},
                     "ack_ms": {k: v * 1000 if isinstance(v, float) else v for k, v in summary(thr["acks"]).items()},
                     "slack_errors": len(thr["slack_errors"]), "floor_s": ideal},
        })
        rows.append({
            "id": "worker_memory",
            "figure": f"worker RSS idle / with {min(50, n_thr)} jobs in flight (peak of 0.1 s samples)",
            "value": f"{idle['worker']:.0f} MB / {thr['worker_peak_rss']:.0f} MB (after 1 job: "
                     f"{idle_after_one['worker']:.0f} MB; web idle {idle['web']:.0f} MB, peak "
                     f"{thr['web_peak_rss']:.0f} MB)",
            "target": "≤ 120 MB / 200 MB",
            "ok": idle["worker"] <= 120 and thr["worker_peak_rss"] <= 200,
            "data": {"idle": idle, "after_one_job": idle_after_one, "worker_peak": thr["worker_peak_rss"],
                     "worker_hwm": thr["worker_hwm"], "web_peak": thr["web_peak_rss"],
                     "peak_llm_in_flight": thr["llm_state"].get("peak_in_flight")},
        })
        problems = stack.log_problems()
        for r in rows:
            r.setdefault("data", {})["log_problems"] = problems
    return rows


def run(quick: bool) -> list[dict]:
    return asyncio.run(_run(quick))
