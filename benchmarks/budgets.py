"""Issue 18 §4's figures: Slack's budgets shared by every worker through Redis (jobs/limits/).

1. Jobs per minute with 1 and with 3 worker processes under the same Slack budgets (the fake Slack
   enforcing startStream / stopStream 20 a minute and appendStream 100 a minute per workspace with
   HTTP 429): a burst of jobs in one workspace, the share streamed, `ratelimited` answers, the most
   calls of each method Slack saw in any 60 s window, lost text.
2. The limiter's cost per call, in process against a private redis-server (one round trip, one
   Lua script each): sequential latency and the rate with 50 callers at once; the local count
   (no Redis) for scale.
"""
from __future__ import annotations

import asyncio
import time

from jobs.limits import SlackBudgets
from tests.redis_server import RedisServer
from tests.windows import max_in_window

from .env import Stack, sample_dispatch, send_all, summary, wait_articles
from .streaming import SLACK_BUDGETS, _commands, _concurrent, _finished


def _forget_budgets(url: str) -> None:
    import redis

    r = redis.Redis.from_url(url)
    try:
        keys = list(r.scan_iter("seo:lim:{*", count=1000))
        if keys:
            r.delete(*keys)
    finally:
        r.close()



async def _burst(workers: int, n: int, write_s: float, concurrency: int) -> dict:
    text = sample_dispatch()
    with Stack(workers=workers, latency=0.0, env_extra={"SEO_WORKER_CONCURRENCY": str(concurrency),
                                                         "SEO_MAX_JOBS_PER_CHANNEL": "1"}) as stack:
        slack = stack.slack
        stack.llm.ctl.streaming(first_token_delay=1.0, chunk_delay=write_s / 300, chunk_chars=24)
        # Warm-up, two jobs per worker; then a fresh minute, for the fake Slack and for our count.
        await send_all(stack.url, _commands(workers * 2, "W", text, slack, team="TWARM"))
        await wait_articles(slack, workers * 2, timeout=120)
        slack.reset()
        _forget_budgets(stack.redis.url)
        slack.rate_limits.update(SLACK_BUDGETS)
        warm = [w.output().count("article out") for w in stack.worker_procs]
        conc = await _concurrent(stack, n, text, "J", team="T1")
        first = min(s.wall for s in conc["sent"])
        done = [_finished(slack, s.key) for s in conc["sent"]]
        span = max(d for d in done if d is not None) - first
        calls = slack.calls()
        windows = {m: max_in_window([c["ts"] for c in calls if c["method"] == m], 60.0) for m in SLACK_BUDGETS}
        ran = [w.output().count("article out") - k for w, k in zip(stack.worker_procs, warm)]
        return {"workers": workers, "jobs": n, "seconds": span, "jobs_per_min": n / span * 60,
                "streamed": len(conc["streams"]), "ratelimited": sum(conc["ratelimited"].values()),
                "max_in_60s": windows, "lost": len(conc["lost"]), "jobs_per_worker": ran,
                "non_200": conc["non_200"], "log_problems": stack.log_problems()}


async def _cost(n: int) -> dict:
    server = RedisServer().start()
    out = {}
    try:
        big = dict(appends_per_min=10**9, starts_per_min=10**9, post_interval=0)
        for label, url in (("redis", server.url), ("local", None)):
            b = SlackBudgets(url, **big)
            await b.start()
            times: dict[str, list[float]] = {"admit+stop": [], "append": [], "post": []}
            for i in range(n):
                t = time.perf_counter()
                rid = await b.admit_stream("T1")
                await b.stop_slot("T1", rid)
                times["admit+stop"].append((time.perf_counter() - t) / 2 * 1e6)
                t = time.perf_counter()
                await b.append_slot("T1")
                times["append"].append((time.perf_counter() - t) * 1e6)
                t = time.perf_counter()
                await b.post_slot("T1", f"C{i % 50}")
                times["post"].append((time.perf_counter() - t) * 1e6)
            # 50 callers at once (50 streams of one worker, distinct teams: no in-process queue).
            t = time.perf_counter()
            await asyncio.gather(*(b.append_slot(f"T{k}") for _ in range(n // 50) for k in range(50)))
            rate = (n // 50) * 50 / (time.perf_counter() - t)
            out[label] = {k: summary(v) for k, v in times.items()}
            out[label]["concurrent_per_s"] = rate
            await b.close()
    finally:
        server.stop()
    return out


async def _run(quick: bool) -> list[dict]:
    n, write_s = (21, 4.0) if quick else (60, 8.0)
    concurrency = n // 3  # a worker runs a third of the burst at once: three workers run it all
    runs = [await _burst(w, n, write_s, concurrency) for w in (1, 3)]
    one, three = runs
    rows = [{
        "id": "budgets_workers",
        "figure": f"{n} jobs at once in one workspace, LLM ~{write_s:.0f} s per article, {concurrency} jobs at once "
                  f"per worker, Slack's budgets (start/stop "
                  f"20/min, appends 100/min, enforced by the fake): 1 vs 3 worker processes — jobs per minute, "
                  f"streamed, `ratelimited`, most starts/stops/appends Slack saw in a 60 s window, lost text",
        "value": "; ".join(
            f"{r['workers']} worker{'s' if r['workers'] > 1 else ''}: {r['jobs_per_min']:.0f} jobs/min "
            f"({r['seconds']:.1f} s), {r['streamed']}/{r['jobs']} streamed, ratelimited {r['ratelimited']}, "
            f"max/60 s {r['max_in_60s']['chat.startStream']}/{r['max_in_60s']['chat.stopStream']}/"
            f"{r['max_in_60s']['chat.appendStream']}, lost {r['lost']} (jobs per worker {r['jobs_per_worker']})"
            for r in runs),
        "target": "same streamed share, 0 ratelimited, within 20/20/100, 0 lost",
        "ok": all(r["ratelimited"] == 0 and r["lost"] == 0 and r["non_200"] == 0
                  and r["max_in_60s"]["chat.startStream"] <= 20 and r["max_in_60s"]["chat.stopStream"] <= 20
                  and r["max_in_60s"]["chat.appendStream"] <= 100 for r in runs)
        and one["streamed"] == three["streamed"],
        "data": runs,
    }]
    cost = await _cost(500 if quick else 2000)
    r, loc = cost["redis"], cost["local"]
    rows.append({
        "id": "budgets_cost",
        "figure": "limiter cost per call, one worker, private redis-server on the same machine: start+stop, "
                  "append, per-channel post, p50 / p95; appends with 50 callers at once; local count for scale",
        "value": f"Redis: {r['admit+stop']['p50']:.0f} / {r['admit+stop']['p95']:.0f} µs, "
                 f"{r['append']['p50']:.0f} / {r['append']['p95']:.0f} µs, {r['post']['p50']:.0f} / "
                 f"{r['post']['p95']:.0f} µs; {r['concurrent_per_s']:.0f} calls/s with 50 at once; local: "
                 f"{loc['append']['p50']:.1f} µs an append",
        "target": "≤ 1 ms a call",
        "ok": max(r[k]["p50"] for k in ("admit+stop", "append", "post")) <= 1000,
        "data": cost,
    })
    return rows


def run(quick: bool) -> list[dict]:
    return asyncio.run(_run(quick))
