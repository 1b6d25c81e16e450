"""The bot as Slack meets it: real `bot.py` processes (web and worker, as the Procfile runs
them), a private redis-server, the fake Slack Web API and the fake OpenAI server."""
from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pytest

from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import FakeSlack
from tests.harness import BotProcess, bot_env
from tests.redis_server import RedisServer

_channels = itertools.count(100)


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="module")
def bot(slack, llm, redis_server):
    forget_slack_budgets(redis_server)  # the fake Slack is new: so are its budgets
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url)
    web = BotProcess("web", env).start()
    worker = BotProcess("worker", env).start()
    yield SimpleNamespace(web=web, worker=worker, url=web.url, env=env)
    web.stop()
    worker.stop()


def forget_slack_budgets(redis_server) -> None:
    """Slack's budgets spent by an earlier module's bot (jobs/limits/ keeps them in Redis)."""
    import redis

    r = redis.Redis.from_url(redis_server.url)
    try:
        keys = list(r.scan_iter("seo:lim:*", count=1000))
        if keys:
            r.delete(*keys)
    finally:
        r.close()


@pytest.fixture
def channel(llm) -> str:
    """A fresh channel per test, so tests never see each other's threads."""
    llm.reset()
    return f"C{next(_channels):06d}"


def article_messages(slack, channel, thread_ts):
    """The bot's article messages in a thread (those carrying the four buttons)."""
    out = []
    for m in slack.messages(channel, thread_ts, include_parent=False):
        ids = [e.get("action_id") for b in m.get("blocks") or [] if b.get("type") == "actions"
               for e in b.get("elements", [])]
        if "seo_regenerate" in ids:
            out.append(m)
    return out


def markdown_of(message) -> str:
    return "\n\n".join(b.get("text", "") for b in message.get("blocks") or [] if b.get("type") == "markdown")


def title_of(message) -> str:
    """The article's title: its header block, or the '# ' line a streamed article opens with."""
    for b in message.get("blocks") or []:
        if b.get("type") == "header":
            return b["text"]["text"]
        if b.get("type") == "markdown" and b.get("text", "").startswith("# "):
            return b["text"].split("\n", 1)[0][2:].strip()
    raise AssertionError("no title in this message")


def is_streamed(slack, message) -> bool:
    """Did this message start as a stream (chat.startStream)? Its `text` is then Slack's own."""
    return any(st["ts"] == message["ts"] for st in slack.streams(message.get("channel")))


def context_of(message) -> str:
    return " ".join(e.get("text", "") for b in message.get("blocks") or [] if b.get("type") == "context"
                    for e in b.get("elements", []))


def word_count_of(message) -> int:
    m = re.search(r"([\d\s\u00a0\u202f]+)\s*mots", context_of(message))
    assert m, context_of(message)
    return int(re.sub(r"\D", "", m.group(1)))


def button_labels(message) -> list[str]:
    return [e["text"]["text"] for b in message.get("blocks") or [] if b.get("type") == "actions"
            for e in b.get("elements", []) if e.get("type") == "button"]
