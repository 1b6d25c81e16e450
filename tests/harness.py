"""Real bot processes (`python bot.py --role …`) wired to the fakes and a private Redis."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.redis_server import free_port
from tests.processes import stop_process

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test"


def shield_from_dotenv(env: dict) -> dict:
    """A developer's own .env must not leak into a test (python-dotenv never overrides a variable
    that is set, even to ""): every documented setting the test did not set is set empty."""
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0].strip()
        if key and not key.startswith("#") and "=" in line:
            env.setdefault(key, "")
    return env


def bot_env(*, slack, openai, redis_url: str | None, port: int | None = None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "OPENAI_", "SEO_", "REDIS_"))}
    env.update({
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
        "OPENAI_BASE_URL": openai.base_url,
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_MODEL": "gpt-test",
        "OPENAI_TIMEOUT": "10",  # generous: a busy machine slows the fake LLM too
        "OPENAI_MAX_RETRIES": "2",
        "PORT": str(port or free_port()),
        "HOST": "127.0.0.1",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
    # The test newsroom is one or two people asking for everything within seconds: quotas off, except
    # where a test sets them (tests/reliability/test_quotas.py).
    env.update({"SEO_MAX_JOBS_PER_USER": "0", "SEO_MAX_JOBS_PER_CHANNEL": "0",
                "SEO_MAX_JOBS_PER_USER_PER_MINUTE": "0", "SEO_MAX_JOBS_PER_CHANNEL_PER_MINUTE": "0"})
    env.update({k: str(v) for k, v in extra.items()})
    return shield_from_dotenv(env)


class BotProcess:
    def __init__(self, role: str, env: dict):
        self.role, self.env = role, dict(env)
        self.port = int(env["PORT"])
        self.log = tempfile.NamedTemporaryFile(prefix=f"bot-{role}-", suffix=".log", delete=False)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def start(self, timeout: float = 90, ready=None) -> "BotProcess":
        self.proc = subprocess.Popen([sys.executable, "bot.py", "--role", self.role], cwd=ROOT, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bot {self.role} exited:\n{self.output()}")
            if (ready or self.ready)():
                return self
            time.sleep(0.05)
        raise RuntimeError(f"bot {self.role} not ready:\n{self.output()}")

    def ready(self) -> bool:
        if self.role in ("web", "all"):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=0.5) as r:
                    if r.status != 200:
                        return False
            except OSError:
                return False
        if self.role in ("worker", "all"):
            return "Worker prêt" in self.output()
        return True

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(10)

    def stop(self) -> None:
        stop_process(self.proc)


def wait_drained(redis_url: str, timeout: float = 120, queue: str = "seo-fr") -> None:
    """Until every job has finished: nothing queued or running in saq, no live run claim. After
    this event a late duplicate (a re-run posting twice) would already be in the fake Slack."""
    import redis

    r = redis.Redis.from_url(redis_url, decode_responses=True, socket_timeout=5)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                busy = (r.zcard(f"saq:{queue}:incomplete") + r.llen(f"saq:{queue}:queued")
                        + r.llen(f"saq:{queue}:active") + sum(1 for _ in r.scan_iter("seo:*job:*:running", count=1000)))
            except redis.exceptions.ConnectionError:
                busy = -1  # Redis restarting: not drained yet
            if busy == 0:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"jobs still queued or running after {timeout} s ({busy})")
            time.sleep(0.1)
    finally:
        r.close()


def settle(slack, llm, *, redis_url: str | None = None, quiet: float = 2.0, timeout: float = 120) -> None:
    """The event to wait for before asserting that nothing more happened (no duplicate, no late
    message): every job finished (with redis_url), then neither the fake Slack nor the fake LLM
    received anything for `quiet` seconds. Never a fixed sleep: on a busy machine the bot may
    need far longer than on a quiet one, and this waits for as long as it is still active."""
    if redis_url:
        wait_drained(redis_url, timeout)
    deadline = time.monotonic() + timeout
    last = (slack.call_count(), llm.calls)
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError(f"the bot was still busy after {timeout} s")
        time.sleep(0.05)
        now = (slack.call_count(), llm.calls)
        if now != last:
            last, quiet_since = now, time.monotonic()
