"""Reliability and security: real `bot.py` processes (web and worker, as the Procfile runs them),
a private redis-server (with an AOF, so it can be restarted without losing the queue), the fake
Slack Web API and the fake OpenAI server. Faults are injected for real: SIGKILL, Redis stopped,
scripted HTTP failures. Every test asserts what a user would see (messages in the thread, their
count per version), what it cost (LLM calls) and what is left behind (logs, Redis keys).

Timings are shortened through the environment (heartbeat 3 s, sweep every 1 s, LLM timeout 10 s)
so the directory runs in a couple of minutes on two cores.
"""
from __future__ import annotations

import itertools
import json
import re
import signal
from collections import Counter

import pytest

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import FakeSlack
from tests import harness
from tests.harness import SIGNING_SECRET, BotProcess, bot_env
from tests.redis_server import RedisServer, free_port

# Distinctive secrets, so a leak into a log is unmistakable.
BOT_TOKEN = "xoxb-reliab-0000-SECRETTOKEN"
OPENAI_KEY = "sk-reliab-SECRETKEY-9f3a7c"
SECRETS = (BOT_TOKEN, OPENAI_KEY, SIGNING_SECRET)

FAST = {
    "SEO_HEARTBEAT_TIMEOUT": 3,  # RUN_TTL = 2.25 s
    "SEO_SWEEP_EVERY": 1,
    "SEO_JOB_TIMEOUT": 120,
    "OPENAI_TIMEOUT": 10,  # generous: a busy machine slows the fake LLM too (hangs are 30 s)
    "OPENAI_MAX_RETRIES": 2,
    "SEO_WORKER_CONCURRENCY": 30,
}

_channels = itertools.count(1)
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)")


# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="module")
def slack():
    with FakeSlack(bot_token=BOT_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def redis_server():
    server = RedisServer(appendonly=True).start()
    yield server
    server.stop()


@pytest.fixture
def channel(llm, slack) -> str:
    """A fresh channel per test; the fakes forget the previous test's script and failures."""
    llm.reset()
    with slack._lock:  # keep recorded messages (other tests' late posts land in other channels)
        slack._failures.clear()
    return f"C{next(_channels):05d}REL"


class Cluster:
    """Bot processes sharing one Redis; logs checked when the test ends."""

    def __init__(self, slack, llm, redis, **extra):
        self.slack, self.llm, self.redis = slack, llm, redis
        env = dict(FAST)
        env.update(extra)
        self.env = bot_env(slack=slack, openai=llm, redis_url=redis.url, SLACK_BOT_TOKEN=BOT_TOKEN,
                           OPENAI_API_KEY=OPENAI_KEY, **env)
        self.procs: list[BotProcess] = []
        self.web_proc: BotProcess | None = None

    def start(self, role: str, **extra) -> BotProcess:
        env = dict(self.env)
        if role in ("web", "all") and self.web_proc is not None:
            env["PORT"] = str(free_port())  # a second web process
        env.update({k: str(v) for k, v in extra.items()})
        proc = BotProcess(role, env).start()
        self.procs.append(proc)
        if role in ("web", "all") and self.web_proc is None:
            self.web_proc = proc
        return proc

    def restart_web(self, sig=signal.SIGKILL) -> BotProcess:
        """Kill the web process and start a new one on the same port (Slack's URL)."""
        old = self.web_proc
        old.kill(sig)
        self.web_proc = None
        return self.start(old.role, PORT=old.port)

    def web(self, **extra) -> BotProcess:
        return self.start("web", **extra)

    def worker(self, **extra) -> BotProcess:
        return self.start("worker", **extra)

    @property
    def url(self) -> str:
        return self.web_proc.url

    def logs(self) -> str:
        return "\n".join(p.output() for p in self.procs)

    def alive(self) -> list[BotProcess]:
        return [p for p in self.procs if p.proc and p.proc.poll() is None]

    def stop(self) -> None:
        for p in self.procs:
            p.stop()


@pytest.fixture
def cluster(slack, llm, redis_server, request):
    """cluster(**env) -> Cluster (not started). At the end: processes stopped, then their logs
    must hold no traceback and no secret."""
    made: list[Cluster] = []

    def make(**extra) -> Cluster:
        c = Cluster(slack, llm, redis_server, **extra)
        made.append(c)
        return c

    yield make
    for c in made:
        c.stop()
    for c in made:
        assert_clean_logs(c.logs())


def assert_clean_logs(text: str, *, dispatch: str | None = None) -> None:
    m = _TRACEBACK.search(text)
    assert m is None, "traceback in a bot log:\n" + text[max(0, m.start() - 2000): m.start() + 3000]
    for secret in SECRETS:
        assert secret not in text, "a secret reached the logs"
    if dispatch:
        # The whole dispatch, or any long stretch of it, never goes to the logs.
        words = dispatch.split()
        for i in range(0, max(1, len(words) - 25), 25):
            piece = " ".join(words[i:i + 25])
            assert piece not in text, f"dispatch text in the logs: {piece[:80]}…"


# --------------------------------------------------------------------------- Slack helpers


def command(url, slack, channel, text, user="U1", **kw):
    body, headers = sr.slash_command(text, channel_id=channel, user_id=user, slack=slack, **kw)
    status, resp, elapsed = sr.send(url, body, headers)
    return status, resp, elapsed


def parents(slack, channel):
    return [m for m in slack.messages(channel) if not m.get("thread_ts") or m["thread_ts"] == m["ts"]]


def wait_parent(slack, channel, count=1, timeout=60):
    return slack.wait_for(lambda s: (lambda ps: ps if len(ps) >= count else None)(parents(s, channel)),
                          timeout=timeout)[count - 1]


def _button_values(message, action_id="seo_regenerate"):
    return [e.get("value") for b in message.get("blocks") or [] if b.get("type") == "actions"
            for e in b.get("elements", []) if e.get("action_id") == action_id]


def article_messages(slack, channel, thread_ts):
    """Messages ending an article version (those carrying the four buttons)."""
    return [m for m in slack.messages(channel, thread_ts, include_parent=False) if _button_values(m)]


def versions_posted(slack, channel, thread_ts) -> Counter:
    """How many article-ending messages each version got in the thread (must be 1 each)."""
    out: Counter = Counter()
    for m in article_messages(slack, channel, thread_ts):
        out[int(_button_values(m)[0].rsplit(":", 1)[1])] += 1
    return out


def wait_articles(slack, channel, thread_ts, count=1, timeout=90):
    return slack.wait_for(lambda s: (lambda arts: arts if len(arts) >= count else None)(
        article_messages(s, channel, thread_ts)), timeout=timeout)


def failures(slack, channel, thread_ts):
    return [m for m in slack.messages(channel, thread_ts, include_parent=False)
            if "seo_retry" in json.dumps(m.get("blocks") or [])]


def duplicate_parts(slack, channel=None) -> list:
    """(job, part) pairs the bot posted more than once (from the message metadata)."""
    seen: Counter = Counter()
    for m in slack.messages(channel):
        meta = m.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == "seo_fr_message":
            seen[(payload.get("job"), str(payload.get("part")))] += 1
    return [k for k, n in seen.items() if n > 1]


def bot_posts(slack, channel=None) -> list[dict]:
    return [m for m in slack.messages(channel) if m.get("user") == slack.bot_user_id]


def whispers(slack, channel, user=None) -> list[dict]:
    """Ephemeral answers (chat.postEphemeral and response_url)."""
    return [e for e in slack.ephemerals(channel) if user is None or e["user"] == user]


def healthz(proc: BotProcess) -> int:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{proc.port}/healthz", timeout=2) as r:
            return r.status
    except OSError:
        return 0


def redis_client(redis_server):
    import redis

    return redis.Redis.from_url(redis_server.url, decode_responses=True)


def wait_drained(redis_server, timeout: float = 120) -> None:
    """Until every job has finished (see tests/harness.py)."""
    harness.wait_drained(redis_server.url, timeout)


def dispatch_of(sample_text: str) -> str:
    return sample_text.split("\n", 1)[1]  # without the editor's English instruction line


def settle(slack, llm, redis_server=None, quiet: float = 2.0) -> None:
    """Before asserting that nothing more happened: every job finished, then the fakes quiet for
    `quiet` seconds (see tests/harness.py). Never a fixed sleep."""
    harness.settle(slack, llm, redis_url=redis_server.url if redis_server else None, quiet=quiet)


@pytest.fixture(scope="module")
def shared(slack, llm):
    """One web and one worker for a whole module (a private Redis), for tests that do not kill
    anything. Logs are checked at the end of the module."""
    server = RedisServer(appendonly=True).start()
    c = Cluster(slack, llm, server)
    c.web()
    c.worker()
    yield c
    alive = [p.role for p in c.alive()]
    c.stop()
    server.stop()
    assert alive == ["web", "worker"], "a bot process died during the module"
    assert_clean_logs(c.logs())
