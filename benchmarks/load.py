"""Issue 6's load test: 50 slash commands and 200 events within a few seconds against one web
process and two workers, fake LLM latency 5–10 s (scripted per call).

The 200 events, as Slack delivers them:
  * 60 channel mentions, each as `app_mention` plus the `message` event for the same message
    (Slack sends both when the bot is subscribed to message.channels): 120 events, 60 jobs;
  * 20 direct messages holding a dispatch: 20 events, 20 jobs;
  * 30 Slack retries (X-Slack-Retry-Num: 1, same body and event_id) of mentions and DMs: no job;
  * 30 ordinary messages in a channel the bot does not watch: no job.
So 130 jobs in all (50 + 60 + 20), each of which must post exactly one article message.

Checks: every request acked (HTTP 200) within 3 s; one article per expected thread and none
elsewhere; one LLM call per job (a good first draft costs one); no ERROR or traceback in the
logs and no failed Web API call; RSS of each process before (after a warm-up job) and after.
"""
from __future__ import annotations

import asyncio
import random
import time

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Latency

from .env import Posts, Stack, rss_mb, sample_dispatch, send_all, summary, wait_articles

ACK_DEADLINE = 3.0


def _build(slack, text: str, n_cmd: int, n_mention: int, n_dm: int, n_retry: int, n_chat: int,
           rng: random.Random):
    """Signed requests (shuffled) and the threads that must each get one article."""
    reqs: list[tuple[str, bytes, dict]] = []
    expected: set[tuple[str, str | None]] = set()  # (channel, thread_ts); None: the command's parent
    for i in range(n_cmd):
        ch = f"CLC{i:04d}"
        body, headers = sr.slash_command(text, channel_id=ch, slack=slack)
        reqs.append((f"cmd:{ch}", body, headers))
        expected.add((ch, None))
    for i in range(n_mention):
        ch = f"CLM{i:04d}"
        msg = slack.add_message(ch, f"<@UBOT> {text}", user=f"U{i % 7 + 2}")
        mention = sr.event_callback(sr.app_mention_event(msg["text"], channel=ch, user=msg["user"], ts=msg["ts"]))
        message = sr.event_callback(sr.message_event(msg["text"], channel=ch, user=msg["user"], ts=msg["ts"]))
        reqs += [(f"mention:{ch}", *mention), (f"message:{ch}", *message)]
        expected.add((ch, msg["ts"]))
    for i in range(n_dm):
        ch = f"DL{i:05d}"
        msg = slack.add_message(ch, text, user=f"U{i % 5 + 20}")
        dm = sr.event_callback(sr.message_event(text, channel=ch, user=msg["user"], ts=msg["ts"]))
        reqs.append((f"dm:{ch}", *dm))
        expected.add((ch, msg["ts"]))
    for i in range(n_chat):
        ch = "CXCHAT"
        msg = slack.add_message(ch, f"Quelqu’un a vu la dépêche sur le sommet ? ({i})", user="U3")
        reqs.append((f"chat:{i}", *sr.event_callback(sr.message_event(msg["text"], channel=ch, user="U3",
                                                                       ts=msg["ts"]))))
    # Shuffled; Slack's retries go in the second half, each after its original.
    rng.shuffle(reqs)
    half = len(reqs) // 2
    originals = [r for r in reqs[:half] if r[0].startswith(("mention:", "dm:"))]
    retries = [(f"retry:{i}:{key}", *sr.retry((body, headers), 1))
               for i, (key, body, headers) in enumerate(originals[:n_retry])]
    tail = reqs[half:] + retries
    rng.shuffle(tail)
    ordered = reqs[:half] + tail
    return ordered, expected


async def _run(quick: bool) -> list[dict]:
    rng = random.Random(6)
    text = sample_dispatch()
    if quick:
        counts = dict(n_cmd=10, n_mention=12, n_dm=4, n_retry=6, n_chat=6)
        lat_lo, lat_hi, spread = 1.0, 2.0, 1.0
    else:
        counts = dict(n_cmd=50, n_mention=60, n_dm=20, n_retry=30, n_chat=30)
        lat_lo, lat_hi, spread = 5.0, 10.0, 3.0
    jobs = counts["n_cmd"] + counts["n_mention"] + counts["n_dm"]
    with Stack(workers=2, latency=(lat_lo + lat_hi) / 2) as stack:
        pids = {"web": stack.web.proc.pid, **{f"worker{i + 1}": w.proc.pid for i, w in enumerate(stack.worker_procs)}}
        # warm-up: two jobs, so that both workers have run one, then the baseline RSS
        await send_all(stack.url, [(c, b, h) for c, b, h in
                                   ((f"W{i}", *sr.slash_command(text, channel_id=f"CLW{i}", slack=stack.slack))
                                    for i in range(2))])
        await wait_articles(stack.slack, 2, timeout=60)
        await asyncio.sleep(1.0)
        before = {k: rss_mb(p) for k, p in pids.items()}
        stack.slack.reset()
        stack.llm.ctl.reset()
        stack.llm.ctl.script(*[Latency(seconds=round(rng.uniform(lat_lo, lat_hi), 2)) for _ in range(jobs)])

        reqs, expected = _build(stack.slack, text, rng=rng, **counts)
        n_events = sum(1 for key, _, _ in reqs if not key.startswith("cmd:"))
        t0 = time.monotonic()
        sent = await send_all(stack.url, reqs, spread=spread)
        send_window = max(s.wall for s in sent) - min(s.wall for s in sent)
        try:
            await wait_articles(stack.slack, jobs, timeout=90)
        except TimeoutError as exc:
            timeout_note = str(exc)
        else:
            timeout_note = None
        done_after = time.monotonic() - t0
        await asyncio.sleep(1.0 if quick else 3.0)  # late duplicates would show up here
        after = {k: rss_mb(p) for k, p in pids.items()}

        posts = Posts.read(stack.slack)
        # map each command channel to its parent ts
        threads: dict[tuple[str, str | None], int] = {}
        for (ch, th), times in posts.articles.items():
            key = (ch, None) if ch.startswith("CLC") and (ch, None) in expected else (ch, th)
            threads[key] = threads.get(key, 0) + len(times)
        missing = sorted(k for k in expected if threads.get(k, 0) == 0)
        duplicated = {f"{k[0]}:{k[1]}": n for k, n in threads.items() if n > 1}
        unexpected = sorted(f"{k[0]}:{k[1]}" for k in threads if k not in expected)
        acks = [s.seconds for s in sent]
        not_ok = [s.key for s in sent if s.status != 200]
        late = [s.key for s in sent if s.seconds > ACK_DEADLINE]
        llm = stack.llm.ctl.state
        problems = stack.log_problems()
        errors = sum(len(p["errors"]) + p["tracebacks"] for p in problems.values())
        growth = {k: after[k] - before[k] for k in before}
        a = summary(acks)
        ok = (not not_ok and not late and not missing and not duplicated and not unexpected and not errors
              and not posts.errors and llm["calls"] == jobs and timeout_note is None)
        return [{
            "id": "load_test",
            "figure": f"load (issue 6): {counts['n_cmd']} /seo-fr + {n_events} events in {send_window:.1f} s, "
                      f"1 web + 2 workers, LLM {lat_lo:g}–{lat_hi:g} s",
            "value": (f"acks p50/p99/max {a['p50'] * 1000:.0f}/{a['p99'] * 1000:.0f}/{a['max'] * 1000:.0f} ms, "
                      f"{len(not_ok)} non-200; {jobs - len(missing)}/{jobs} jobs done in {done_after:.1f} s, "
                      f"{len(duplicated)} duplicated, {len(unexpected)} unexpected; LLM calls {llm['calls']}; "
                      f"errors {errors} (+{len(posts.errors)} Web API); RSS Δ "
                      + ", ".join(f"{k} {growth[k]:+.0f} MB" for k in growth)),
            "target": "acks ≤ 3 s, one article per thread, no error, RSS flat",
            "ok": ok,
            "data": {"counts": counts, "jobs": jobs, "events": n_events, "send_window_s": send_window,
                     "ack_ms": {k: v * 1000 if isinstance(v, float) else v for k, v in a.items()},
                     "non_200": not_ok, "late_acks": late, "missing": missing[:20], "duplicated": duplicated,
                     "unexpected": unexpected[:20], "llm_state": llm, "done_after_s": done_after,
                     "timeout": timeout_note, "rss_before_mb": before, "rss_after_mb": after,
                     "rss_growth_mb": growth, "web_api_errors": posts.errors[:20], "log_problems": problems},
        }]


def run(quick: bool) -> list[dict]:
    return asyncio.run(_run(quick))
