"""Slack's budgets shared by every worker (jobs/limits/): one web process and three worker
processes on one private Redis (single-workspace mode, then two workspaces installed through OAuth), the fake Slack enforcing Slack's per-workspace budgets on its side
(HTTP 429 past them) and counting every call. A burst of 60 jobs streams without any workspace
ever receiving more calls of a method than its budget in a 60 s window, with no `ratelimited`
answer, no lost text and every article complete.

Budgets are low (4 starts and 4 stops, 20 appends a minute) so that the burst overruns them at
once: with budgets counted per worker, three workers would each start 4 streams."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tests import harness
from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import FakeSlack
from tests.harness import BotProcess, bot_env
from tests.redis_server import RedisServer, free_port
from tests.windows import max_in_window

from .conftest import article_messages, markdown_of, word_count_of

BUDGETS = {"chat.startStream": 4, "chat.stopStream": 4, "chat.appendStream": 20}
# Single-workspace mode: one bot token, so Slack counts every call in the token's workspace (T1),
# whoever asks; people of another workspace (a shared channel, a Grid org) spend T1's budgets too.
RECIPIENT_TEAMS = ["T1", "T0OTHER"]
JOBS = 60
WORKERS = 3


def _stack(oauth: bool):
    redis = RedisServer().start()
    slack = FakeSlack(team_id="T1")
    llm = FakeOpenAI()
    extra = {}
    if oauth:
        from cryptography.fernet import Fernet

        slack.add_team("T2")
        extra = {"SLACK_BOT_TOKEN": "", "SLACK_CLIENT_ID": slack.client_id,
                 "SLACK_CLIENT_SECRET": slack.client_secret, "SEO_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    env = bot_env(slack=slack, openai=llm, redis_url=redis.url, **extra,
                  SEO_STREAM_STARTS_PER_MIN=BUDGETS["chat.startStream"],
                  SEO_STREAM_APPENDS_PER_MIN=BUDGETS["chat.appendStream"],
                  SEO_WORKER_CONCURRENCY=10)  # 20 jobs taken at most per worker: all three take part
    if oauth:
        env["SLACK_REDIRECT_URI"] = f"http://127.0.0.1:{env['PORT']}/slack/oauth_redirect"
    procs = []
    try:
        procs.append(BotProcess("web", env).start())
        for _ in range(WORKERS):
            procs.append(BotProcess("worker", {**env, "PORT": str(free_port())}).start())
        yield SimpleNamespace(slack=slack, llm=llm, redis=redis, web=procs[0], workers=procs[1:],
                              url=procs[0].url, root=f"http://127.0.0.1:{env['PORT']}")
    finally:
        for p in procs:
            p.stop()
        llm.stop()
        slack.stop()
        redis.stop()


@pytest.fixture(scope="module")
def stack():
    yield from _stack(oauth=False)


@pytest.fixture(scope="module")
def workspaces():
    """Two workspaces (T1, T2), each installed through the OAuth flow with its own token."""
    from .test_workspaces import install

    gen = _stack(oauth=True)
    ns = next(gen)
    for team in ("T1", "T2"):
        install(ns, ns.slack, team)
    yield ns
    gen.close()


def calls_team(slack, call) -> str:
    """The workspace a recorded call spent budget in (the fake's own team in single-workspace mode)."""
    return call.get("team") or slack.team_id



def body_of(message) -> str:
    return re.sub(r"\A# [^\n]*\n\n", "", markdown_of(message)).strip()


def test_a_burst_over_three_workers_stays_within_each_workspaces_budgets(stack, sample_text):
    """Single-workspace mode: one token, whoever asks."""
    burst(stack, sample_text, recipients=RECIPIENT_TEAMS, budget_team=lambda team: stack.slack.team_id)


def test_two_workspaces_each_keep_their_own_budgets_over_three_workers(workspaces, sample_text):
    """Two installed workspaces: each has Slack's budgets of its own, every article is posted with
    its own team's token."""
    burst(workspaces, sample_text, recipients=["T1", "T2"], budget_team=lambda team: team)


def burst(stack, sample_text, *, recipients, budget_team) -> None:
    slack, llm = stack.slack, stack.llm
    slack.rate_limits.update(BUDGETS)
    # The model takes about 3 s to write an article: the burst's streams overlap.
    llm.first_token_delay = 0.3
    llm.stream_chunk_chars = 24
    llm.stream_chunk_delay = 3.0 / 400
    dispatch = sample_text.split("\n", 1)[1]
    channels = {}
    for i in range(JOBS):
        channel = f"CBUD{i:04d}"
        team = recipients[i % len(recipients)]
        body, headers = sr.slash_command(dispatch, channel_id=channel, slack=slack, team_id=team)
        status, resp, _ = sr.send(stack.web.url, body, headers)
        assert status == 200, resp
        channels[channel] = budget_team(team)  # the workspace whose budgets the job spends

    def all_done(s):
        done = [ch for ch, team in channels.items()
                if any("publiée" in m.get("text", "") for m in s.messages(ch, team=team))]
        return len(done) == len(channels)

    slack.wait_for(all_done, timeout=240)
    harness.settle(slack, llm, redis_url=stack.redis.url)

    # Counted on Slack's side: every call made, answered or refused, per workspace and method.
    calls = slack.calls()
    teams = sorted(set(channels.values()))
    for team in teams:
        for method, budget in BUDGETS.items():
            times = [c["ts"] for c in calls if c["method"] == method and calls_team(slack, c) == team]
            assert max_in_window(times, 60.0) <= budget, (team, method, len(times))
    assert slack.rate_limited() == 0
    assert not [c for c in calls if c["error"] == "ratelimited"]

    # As many streams as the budgets allow (the workers shared them, none was wasted); the rest
    # were posted whole, at once.
    per_team = {team: [st for st in slack.streams(team=team) if channels.get(st["channel"]) == team]
                for team in teams}
    for team, sts in per_team.items():
        assert len(sts) == BUDGETS["chat.startStream"], (team, len(sts))
        assert all(st["state"] in ("stopped", "updated") for st in sts)

    # Every article complete, once, whatever its path: no text lost.
    bodies = {}
    for ch, team in channels.items():
        with slack.as_team(team):
            [parent] = [m for m in slack.messages(ch) if not m.get("thread_ts") or m["thread_ts"] == m["ts"]]
            arts = article_messages(slack, ch, parent["ts"])
        assert len(arts) == 1, (ch, len(arts))
        assert word_count_of(arts[0]) >= 700
        bodies[ch] = body_of(arts[0])
    assert len(set(bodies.values())) == 1
    # Every Slack write into a channel was made with its own workspace's token.
    for c in calls:
        ch = c["args"].get("channel")
        if ch in channels and c["method"].startswith("chat."):
            assert calls_team(slack, c) == channels[ch], (c["method"], ch, c.get("team"))

    # The three workers all took part (and drew on the same budgets).
    ran = [w.output().count("article out") for w in stack.workers]
    started = [w.output().count("stream started") for w in stack.workers]
    print(f"\njobs per worker {ran}, streams started per worker {started}")
    assert all(ran) and sum(ran) == JOBS, ran
    for p in [stack.web, *stack.workers]:
        assert p.proc.poll() is None
        assert "Traceback" not in p.output()
