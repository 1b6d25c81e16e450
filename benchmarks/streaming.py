"""Issue 12's figures: the article streamed into the thread (SEO_STREAM=on).

Real processes (web, worker, redis-server, the fake OpenAI in its own process streaming its
structured output with a 1 s time to first token), the fake Slack with chat.*Stream.

1. command → first words of the article visible in the thread: one job at a time, then 50
   concurrent jobs, with start/stop budgets lifted (so that each job can stream: the figure is
   our latency, not Slack's Tier 2 budget);
2. 50 concurrent jobs under Slack's budgets (appendStream 100 a minute, startStream and
   stopStream 20 a minute each, per workspace, enforced by the fake with HTTP 429): how many
   streamed, appends per streamed article, `ratelimited` answers, lost text (every final article
   compared with the others: same dispatch, same article), time from the end of the LLM's
   writing to the finished article;
3. command → finished article / raw streamed LLM call, one at a time.
"""
from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.request
from collections import Counter

from seo.article import Draft
from seo.cleaning import clean
from seo.llm import strict_schema
from seo.prompts import draft_messages
from tests.fakes import slack_requests as sr

from .env import Posts, Stack, cpu_seconds, reset_counter, sample_dispatch, send_all, summary, wait_articles

_seq = iter(range(1, 10**6))
LIFTED = {"chat.startStream": None, "chat.appendStream": None, "chat.stopStream": None}
SLACK_BUDGETS = {"chat.startStream": 20, "chat.appendStream": 100, "chat.stopStream": 20}


def _commands(n: int, prefix: str, text: str, slack, team: str = "T1") -> list[tuple[str, bytes, dict]]:
    out = []
    for _ in range(n):
        channel = f"C{prefix}{next(_seq):05d}"
        body, headers = sr.slash_command(text, channel_id=channel, slack=slack, team_id=team)
        out.append((channel, body, headers))
    return out


def raw_streamed_llm_seconds(base_url: str, n: int = 3) -> float:
    """One streamed draft call at the wire: request → last SSE line (median of n)."""
    msgs = draft_messages(clean(sample_dispatch()), min_words=700)
    body = json.dumps({"model": "gpt-test", "messages": msgs, "temperature": 0.4, "stream": True,
                       "stream_options": {"include_usage": True},
                       "response_format": {"type": "json_schema", "json_schema": {
                           "name": "article", "strict": True, "schema": strict_schema(Draft)}}})
    times = []
    for _ in range(n):
        req = urllib.request.Request(base_url.rstrip("/") + "/chat/completions", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer sk-test"})
        t = time.monotonic()
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
        times.append(time.monotonic() - t)
    return sorted(times)[len(times) // 2]


def _first_words(slack, sent) -> dict[str, float]:
    """channel -> seconds from the command to the first words of the article in its thread
    (streamed: the stream's first text; posted whole: the article message)."""
    out = {}
    streams = {st["channel"]: st for st in slack.streams()}
    posts = Posts.read(slack)
    for s in sent:
        st = streams.get(s.key)
        if st is not None and st["first_text_at"]:
            out[s.key] = st["first_text_at"] - s.wall
            continue
        arts = [v for (ch, _), v in posts.articles.items() if ch == s.key]
        if arts:
            out[s.key] = arts[0][0] - s.wall
    return out


def _finished(slack, channel: str) -> float | None:
    """When the thread's article reached its final state (last stop/update/post on it)."""
    msgs = [m for m in slack.messages(channel) if m.get("thread_ts") and m["ts"] != m["thread_ts"]]
    arts = [m for m in msgs if any(e.get("action_id") == "seo_regenerate" for b in m.get("blocks") or []
                                   if b.get("type") == "actions" for e in b.get("elements", []))]
    if not arts:
        return None
    ts = arts[0]["ts"]
    times = [c["ts"] for c in slack.calls() if c["ok"] and c["args"].get("channel") == channel
             and (c["args"].get("ts") == ts or (c["method"] == "chat.postMessage"
                                                and any(b.get("type") == "actions" for b in c["args"].get("blocks") or [])))]
    return max(times) if times else None


def _body(message: dict) -> str:
    text = "\n\n".join(b.get("text", "") for b in message.get("blocks") or [] if b.get("type") == "markdown")
    return re.sub(r"\A# [^\n]*\n\n", "", text).strip()


async def _wait_done(slack, channels: list[str], timeout: float) -> None:
    """Until every thread's status line says its version is out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = 0
        for ch in channels:
            if any("publiée" in m.get("text", "") for m in slack.messages(ch)):
                done += 1
        if done == len(channels):
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{done}/{len(channels)} jobs done after {timeout:.0f} s")


async def _one_at_a_time(stack: Stack, n: int, text: str) -> tuple[list[float], list[float]]:
    firsts, finished = [], []
    for _ in range(n):
        reset_counter(stack.slack)
        [(channel, body, headers)] = _commands(1, "S", text, stack.slack)
        [sent] = await send_all(stack.url, [(channel, body, headers)])
        await wait_articles(stack.slack, 1, timeout=90)
        await _wait_done(stack.slack, [channel], 60)
        firsts.append(_first_words(stack.slack, [sent])[channel])
        finished.append(_finished(stack.slack, channel) - sent.wall)
        stack.slack.reset()
        stack.slack.rate_limits.update(LIFTED)
    return firsts, finished


async def _concurrent(stack: Stack, n: int, text: str, prefix: str, team: str = "T1") -> dict:
    slack = stack.slack
    reset_counter(slack)
    reqs = _commands(n, prefix, text, slack, team=team)
    worker = stack.worker_procs[0].proc.pid
    cpu0 = cpu_seconds(worker)
    sent = await send_all(stack.url, reqs)
    await wait_articles(slack, n, timeout=240)
    await _wait_done(slack, [s.key for s in sent], 120)
    cpu = cpu_seconds(worker) - cpu0
    first = _first_words(slack, sent)
    streams = {st["channel"]: st for st in slack.streams()}
    finals, bodies = {}, {}
    for s in sent:
        f = _finished(slack, s.key)
        if f is not None:
            finals[s.key] = f - s.wall
        msgs = [m for m in slack.messages(s.key) if any(b.get("type") == "actions" for b in m.get("blocks") or [])]
        articles = [m for m in msgs if "seo_regenerate" in json.dumps(m.get("blocks"))]
        bodies[s.key] = [_body(m) for m in articles]
    counts = Counter(b[0] for b in bodies.values() if len(b) == 1)
    reference = counts.most_common(1)[0][0] if counts else ""
    lost = [ch for ch, b in bodies.items() if len(b) != 1 or b[0] != reference]
    return {"sent": sent, "first": first, "streams": streams, "finals": finals, "lost": lost,
            "reference_words": len(reference.split()), "cpu_ms_per_job": cpu / n * 1000,
            "ratelimited": {m: slack.rate_limited(m) for m in SLACK_BUDGETS},
            "non_200": sum(1 for s in sent if s.status != 200)}


def _ours_ms(stack: Stack) -> list[float]:
    """Model's first words at the worker → visible in Slack (the worker logs it per stream)."""
    logs = "".join(stack.logs()[k] for k in stack.logs() if k.startswith("worker"))
    return [float(x) for x in re.findall(r"first words shown (\d+) ms after the model's", logs)]


def _after_engine_ms(stack: Stack) -> dict[str, list[float]]:
    """Engine done (LLM finished, checks run) → article out, per path (the worker logs it)."""
    logs = "".join(stack.logs()[k] for k in stack.logs() if k.startswith("worker"))
    out: dict[str, list[float]] = {"streamed": [], "posted": []}
    for ms, how in re.findall(r"article out (\d+) ms after the engine \((\w+)\)", logs):
        out[how].append(float(ms))
    return out


def _queue_spread(stack: Stack, since_ms: float) -> float:
    """Seconds between the first and the last job a worker took (saq's log), from `since_ms`."""
    logs = "".join(stack.logs()[k] for k in stack.logs() if k.startswith("worker"))
    started = [int(x) for x in re.findall(r"Processing Job<.*?started: (\d+)", logs) if int(x) >= since_ms]
    return (max(started) - min(started)) / 1000 if started else float("nan")


async def _run(quick: bool) -> list[dict]:
    text = sample_dispatch()
    n_seq, n_conc = (2, 10) if quick else (5, 50)
    write_s = 6.0 if quick else 15.0  # how long the fake model writes one article (after 1 s TTFT)
    rows: list[dict] = []

    # -- 1 and 3: our latency, start/stop budgets lifted -----------------------------------------
    with Stack(workers=1, latency=0.0, env_extra={"SEO_STREAM_STARTS_PER_MIN": "10000"}) as stack:
        stack.slack.rate_limits.update(LIFTED)
        stack.llm.ctl.streaming(first_token_delay=1.0, chunk_delay=write_s / 2 / 300, chunk_chars=24)
        await send_all(stack.url, _commands(1, "W", text, stack.slack))  # warm-up
        await wait_articles(stack.slack, 1, timeout=90)
        stack.slack.reset()
        stack.slack.rate_limits.update(LIFTED)
        raw = raw_streamed_llm_seconds(stack.llm.base_url)
        firsts, finished = await _one_at_a_time(stack, n_seq, text)
        one = summary(firsts)
        ours_before = len(_ours_ms(stack))
        since = time.time() * 1000
        conc = await _concurrent(stack, n_conc, text, "F")
        many = summary(list(conc["first"].values()))
        ours = summary(_ours_ms(stack)[ours_before:])
        spread = _queue_spread(stack, since)
        rows.append({
            "id": "stream_first_words",
            "figure": f"command → first words of the article in the thread, model's first token after 1 s: one job "
                      f"at a time (n={n_seq}) / {n_conc} concurrent, p50 / p95 (start/stop budgets lifted)",
            "value": f"one: {one['p50']:.2f} / {one['p95']:.2f} s; {n_conc}: {many['p50']:.2f} / {many['p95']:.2f} s "
                     f"({len(conc['streams'])}/{n_conc} streamed; model's first words → shown in Slack "
                     f"{ours.get('p50', float('nan')):.0f} / {ours.get('p95', float('nan')):.0f} ms; "
                     f"the worker took the {n_conc} jobs over {spread:.1f} s)",
            "target": "p95 ≤ 1.5 s",
            "ok": one["p95"] <= 1.5 and many["p95"] <= 1.5 and many["n"] == n_conc,
            "data": {"one": one, "concurrent": many, "streamed": len(conc["streams"]), "lost": conc["lost"],
                     "model_to_slack_ms": ours, "queue_spread_s": spread},
        })
        med = sorted(finished)[len(finished) // 2]
        rows.append({
            "id": "stream_e2e_over_llm",
            "figure": f"command → finished article / raw streamed LLM call (1 s TTFT, {raw:.1f} s in all), "
                      f"streaming on, one at a time (median of {n_seq})",
            "value": f"{med / raw:.3f} ({med:.2f} s / {raw:.2f} s; overhead {med - raw:.2f} s)",
            "target": "≤ 1.05",
            "ok": med <= 1.05 * raw,
            "data": {"finished_s": finished, "raw_llm_s": raw},
        })

    # The fake model alone, 50 streamed requests at once: its own time to first content.
    rows.append(await _fake_model_alone(n_conc))

    # -- 2: Slack's budgets ----------------------------------------------------------------------
    with Stack(workers=1, latency=0.0) as stack:
        stack.llm.ctl.streaming(first_token_delay=1.0, chunk_delay=write_s / 300, chunk_chars=24)
        await send_all(stack.url, _commands(1, "W", text, stack.slack, team="TWARM"))  # warm-up, own workspace
        await wait_articles(stack.slack, 1, timeout=90)
        stack.slack.reset()
        stack.slack.rate_limits.update(SLACK_BUDGETS)
        raw = raw_streamed_llm_seconds(stack.llm.base_url, n=1)
        before = {k: len(v) for k, v in _after_engine_ms(stack).items()}
        conc = await _concurrent(stack, n_conc, text, "B")
        after = {k: summary(v[before[k]:]) for k, v in _after_engine_ms(stack).items()}
        streams = conc["streams"].values()
        appends = [st["appends"] for st in streams]
        over = [conc["finals"][ch] - raw for ch in conc["finals"]]
        first_streamed = [conc["first"][ch] for ch in conc["streams"] if ch in conc["first"]]
        o, fs = summary(over), summary(first_streamed)
        rows.append({
            "id": "stream_under_budgets",
            "figure": f"{n_conc} concurrent jobs under Slack's budgets (appendStream 100/min, start/stop 20/min "
                      f"each, per workspace): streamed, appends per streamed article (mean / max), `ratelimited` "
                      f"answers, lost text",
            "value": f"{len(appends)}/{n_conc} streamed, {sum(appends) / max(len(appends), 1):.1f} / "
                     f"{max(appends, default=0)} appends, ratelimited {sum(conc['ratelimited'].values())}, "
                     f"lost text in {len(conc['lost'])} articles ({conc['reference_words']} words each)",
            "target": "as many streamed as the budget allows (20), 0 lost",
            "ok": not conc["lost"] and len(appends) == min(n_conc, 20) and conc["non_200"] == 0,
            "data": {"appends": appends, "ratelimited": conc["ratelimited"], "lost": conc["lost"],
                     "first_words_streamed_s": fs},
        })
        rows.append({
            "id": "stream_complete_after_llm",
            "figure": f"same {n_conc} jobs: finished article − (command + raw LLM call {raw:.1f} s alone), p50 / max; "
                      f"engine done → article out (streamed / posted whole), p50 / max; worker CPU per job",
            "value": f"{o['p50']:.2f} / {o['max']:.2f} s (the fake model slows with {n_conc} streams on 2 cores); "
                     f"after the engine: streamed {after['streamed'].get('p50', float('nan')):.0f} / "
                     f"{after['streamed'].get('max', float('nan')):.0f} ms, posted "
                     f"{after['posted'].get('p50', float('nan')):.0f} / {after['posted'].get('max', float('nan')):.0f} ms; "
                     f"worker CPU {conc['cpu_ms_per_job']:.0f} ms per job",
            "target": "article out ≤ a few seconds after the engine (LLM + checks)",
            "ok": after["streamed"].get("max", 99e3) <= 5000 and after["posted"].get("max", 99e3) <= 5000
            and o["n"] == n_conc,
            "data": {"over_s": o, "cpu_ms_per_job": conc["cpu_ms_per_job"], "after_engine_ms": after,
                     "log_problems": stack.log_problems()},
        })
    return rows


async def _fake_model_alone(n: int) -> dict:
    """What the fake model itself costs at the wire with n streamed requests at once (it shares
    the 2 cores and writes each article in Python): request → first content chunk."""
    import aiohttp

    from .env import FakeLLMProcess

    msgs = draft_messages(clean(sample_dispatch()), min_words=700)
    body = json.dumps({"model": "gpt-test", "messages": msgs, "stream": True, "response_format": {
        "type": "json_schema", "json_schema": {"name": "article", "strict": True, "schema": strict_schema(Draft)}}})
    llm = FakeLLMProcess(0.0).start()
    try:
        llm.ctl.streaming(first_token_delay=1.0, chunk_delay=0.05, chunk_chars=24)
        url = llm.base_url.rstrip("/") + "/chat/completions"

        async def one(session) -> float:
            t = time.monotonic()
            async with session.post(url, data=body, headers={"Content-Type": "application/json",
                                                             "Authorization": "Bearer sk-test"}) as r:
                async for line in r.content:
                    if b'"content"' in line and b'"role"' not in line:
                        return time.monotonic() - t
            return float("nan")

        async with aiohttp.ClientSession() as session:
            ttft = summary(list(await asyncio.gather(*(one(session) for _ in range(n)))))
    finally:
        llm.stop()
    return {
        "id": "fake_model_ttft",
        "figure": f"for scale: the fake model alone, {n} streamed requests at once (1 s set time to first "
                  "token), request → first content, p50 / p95",
        "value": f"{ttft['p50']:.2f} / {ttft['p95']:.2f} s",
        "target": "report",
        "ok": None,
        "data": ttft,
    }


def run(quick: bool) -> list[dict]:
    return asyncio.run(_run(quick))
