"""The bench stack: a private redis-server, the fake OpenAI server in its own process (so its
writer does not share our GIL), the fake Slack Web API in this process, and real
`python bot.py --role …` processes (tests/harness.BotProcess).

Also: signed Slack requests sent concurrently, RSS of a process, percentiles, and what the
fake Slack recorded (parent, status and article posts, with their wall-clock times).
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.fakes.openai_server import RemoteControl
from tests.fakes.slack_api import FakeSlack
from tests.harness import ROOT, BotProcess, bot_env
from tests.processes import stop_process
from tests.redis_server import RedisServer

FIXTURE = ROOT / "tests" / "fixtures" / "depeche_otan.txt"


def sample_dispatch() -> str:
    """The sample dispatch without the editor's English instruction line."""
    return FIXTURE.read_text(encoding="utf-8").split("\n", 1)[1]


# ------------------------------------------------------------------ numbers

def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {"n": len(values), "min": min(values), "p50": pct(values, 50), "p95": pct(values, 95),
            "p99": pct(values, 99), "max": max(values), "mean": statistics.fmean(values)}


def rss_mb(pid: int) -> float:
    """Resident set size now (VmRSS), in MB."""
    return _status_kb(pid, "VmRSS") / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used by a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def hwm_mb(pid: int) -> float:
    """Peak resident set size since start (VmHWM), in MB."""
    return _status_kb(pid, "VmHWM") / 1024


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


class RssSampler:
    """Samples the RSS of some processes every `every` seconds in a background task."""

    def __init__(self, pids: dict[str, int], every: float = 0.2):
        self.pids, self.every = pids, every
        self.samples: dict[str, list[tuple[float, float]]] = {k: [] for k in pids}
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            now = time.monotonic()
            for name, pid in self.pids.items():
                try:
                    self.samples[name].append((now, rss_mb(pid)))
                except OSError:
                    pass
            await asyncio.sleep(self.every)

    def start(self) -> "RssSampler":
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def peak(self, name: str) -> float:
        return max((v for _, v in self.samples[name]), default=float("nan"))


# ------------------------------------------------------------------ the fake LLM in its own process

class FakeLLMProcess:
    """`python -m tests.fakes.openai_server` (the CLI), scripted through RemoteControl."""

    def __init__(self, latency: float = 0.0, cwd=None):
        self.latency = latency
        self.cwd = cwd or ROOT  # another checkout: its own fake
        self.proc: subprocess.Popen | None = None
        self.ctl: RemoteControl | None = None

    def start(self) -> "FakeLLMProcess":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.openai_server", "--port", "0", "--latency", str(self.latency)],
            cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http"):
            raise RuntimeError("fake OpenAI server did not start")
        self.base_url = line
        self.ctl = RemoteControl(line)
        return self

    def stop(self) -> None:
        stop_process(self.proc)


# ------------------------------------------------------------------ the whole stack

@dataclass
class Stack:
    workers: int = 1
    latency: float = 2.0
    env_extra: dict = field(default_factory=dict)

    def __enter__(self) -> "Stack":
        self.redis = RedisServer().start()
        self.llm = FakeLLMProcess(self.latency).start()
        self.slack = FakeSlack()
        extra = {"OPENAI_TIMEOUT": "120", "OPENAI_MAX_RETRIES": "2", "LOG_LEVEL": "INFO"}
        extra.update(self.env_extra)
        self.env = bot_env(slack=self.slack, openai=self.llm, redis_url=self.redis.url, **extra)
        self.procs: list[BotProcess] = []
        try:
            self.web = self._start("web", self.env)
            self.worker_procs = [self._start("worker", {**self.env, "PORT": str(int(self.env["PORT"]) + 1 + i)})
                                 for i in range(self.workers)]
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self, role: str, env: dict) -> BotProcess:
        p = BotProcess(role, env)
        self.procs.append(p)
        return p.start(timeout=30)

    def __exit__(self, *exc) -> None:
        for p in getattr(self, "procs", []):
            p.stop()
        for name in ("slack", "llm", "redis"):
            obj = getattr(self, name, None)
            if obj is not None:
                obj.stop()

    @property
    def url(self) -> str:
        return self.web.url

    def logs(self) -> dict[str, str]:
        out = {"web": self.web.output()}
        for i, w in enumerate(self.worker_procs):
            out[f"worker{i + 1}"] = w.output()
        return out

    def log_problems(self) -> dict[str, dict]:
        """ERROR lines, tracebacks and warnings per process log."""
        res = {}
        for name, text in self.logs().items():
            lines = text.splitlines()
            res[name] = {
                "errors": [l for l in lines if " ERROR " in l or " CRITICAL " in l][:10],
                "tracebacks": text.count("Traceback (most recent call last)"),
                "warnings": sum(1 for l in lines if " WARNING " in l),
                "warning_samples": sorted({l.split(": ", 1)[-1][:120] for l in lines if " WARNING " in l})[:5],
            }
        return res


# ------------------------------------------------------------------ sending signed requests

@dataclass
class Sent:
    key: str  # what the request was (channel, or channel:ts)
    status: int
    seconds: float  # send -> response
    wall: float  # time.time() when sent


async def send_all(url: str, requests: list[tuple[str, bytes, dict]], *, spread: float = 0.0,
                   timeout: float = 15.0) -> list[Sent]:
    """POST pre-signed requests concurrently, each on its own connection as Slack does.
    `spread` > 0 staggers the start times evenly over that many seconds."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        t0 = time.monotonic()

        async def one(i: int, key: str, body: bytes, headers: dict) -> Sent:
            if spread:
                await asyncio.sleep(max(0.0, t0 + spread * i / max(1, len(requests)) - time.monotonic()))
            wall, start = time.time(), time.monotonic()
            try:
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    return Sent(key, resp.status, time.monotonic() - start, wall)
            except Exception:  # noqa: BLE001 - a timeout or a refused connection is a failed ack
                return Sent(key, 0, time.monotonic() - start, wall)

        return await asyncio.gather(*(one(i, k, b, h) for i, (k, b, h) in enumerate(requests)))


# ------------------------------------------------------------------ what the fake Slack saw

def _blocks(args: dict) -> list:
    b = args.get("blocks")
    if isinstance(b, str):
        try:
            b = json.loads(b)
        except ValueError:
            return []
    return b if isinstance(b, list) else []


def is_article_post(args: dict) -> bool:
    return any(e.get("action_id") == "seo_regenerate" for b in _blocks(args) if b.get("type") == "actions"
               for e in b.get("elements", []))


def _streamed(slack: FakeSlack) -> dict[str, tuple[str, str]]:
    """ts of each streamed message -> (channel, thread): it becomes an article message by
    chat.stopStream (with the buttons) or chat.update, not by chat.postMessage."""
    return {st["ts"]: (st["channel"], st["thread_ts"]) for st in slack._streams}


def _streamed_article(c: dict, streamed: dict) -> tuple[str, str] | None:
    if c["method"] in ("chat.stopStream", "chat.update") and c["args"].get("ts") in streamed \
            and is_article_post(c["args"]):
        return streamed[c["args"]["ts"]]
    return None


@dataclass
class Posts:
    """chat.postMessage calls that succeeded, by channel, with wall-clock times (streamed
    articles: when their message first showed the article's buttons)."""
    parent: dict[str, float] = field(default_factory=dict)  # channel -> first top-level post
    first_in_thread: dict[tuple[str, str], float] = field(default_factory=dict)  # (channel, thread) -> time
    articles: dict[tuple[str, str], list[float]] = field(default_factory=dict)  # (channel, thread) -> times
    errors: list[dict] = field(default_factory=list)  # failed Web API calls

    @classmethod
    def read(cls, slack: FakeSlack) -> "Posts":
        p = cls()
        with slack._lock:  # one pass over the record, without deep copies
            calls = list(slack._calls)
            streamed = _streamed(slack)
        seen_streamed: set[str] = set()
        for c in calls:
            if not c["ok"]:
                p.errors.append({"method": c["method"], "error": c["error"]})
                continue
            where = _streamed_article(c, streamed)
            if where is not None and c["args"]["ts"] not in seen_streamed:
                seen_streamed.add(c["args"]["ts"])
                p.articles.setdefault(where, []).append(c["ts"])
                continue
            if c["method"] != "chat.postMessage":
                continue
            args = c["args"]
            ch, thread = args.get("channel"), args.get("thread_ts")
            if not thread:
                p.parent.setdefault(ch, c["ts"])
                continue
            p.first_in_thread.setdefault((ch, thread), c["ts"])
            if is_article_post(args):
                p.articles.setdefault((ch, thread), []).append(c["ts"])
        return p


def count_articles(slack: FakeSlack) -> int:
    return sum(len(v) for v in Posts.read(slack).articles.values())


async def wait_articles(slack: FakeSlack, n: int, timeout: float) -> float:
    """Wait until `n` article messages were posted; returns the seconds waited."""
    t0 = time.monotonic()
    seen = 0
    while time.monotonic() - t0 < timeout:
        seen = _count_fast(slack)
        if seen >= n:
            return time.monotonic() - t0
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{seen}/{n} articles after {timeout:.0f} s")


def _count_fast(slack: FakeSlack) -> int:
    # Cheap poll: article posts carry the buttons; parse each call once.
    cache = slack.__dict__.setdefault("_bench_seen", {"i": 0, "n": 0, "list": None, "ts": set()})
    with slack._lock:
        if cache["list"] is not slack._calls:  # slack.reset() started a new record
            cache.update(i=0, n=0, list=slack._calls, ts=set())
        calls = slack._calls[cache["i"]:]
        cache["i"] += len(calls)
        streamed = _streamed(slack) if any(c["method"] in ("chat.stopStream", "chat.update") for c in calls) else {}
    for c in calls:
        if not c["ok"]:
            continue
        if c["method"] == "chat.postMessage" and is_article_post(c["args"]):
            cache["n"] += 1
        elif _streamed_article(c, streamed) is not None and c["args"]["ts"] not in cache["ts"]:
            cache["ts"].add(c["args"]["ts"])
            cache["n"] += 1
    return cache["n"]


def reset_counter(slack: FakeSlack) -> None:
    slack.__dict__.pop("_bench_seen", None)


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": mem_gb, "python": sys.version.split()[0],
            "date": time.strftime("%Y-%m-%d %H:%M %Z")}
