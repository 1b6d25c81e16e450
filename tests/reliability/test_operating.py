"""Operating the bot (README, "Operating"): /healthz and /readyz through a Redis stop and restart,
/metrics after real jobs (parsed with prometheus-client's own parser), JSON logs line by line."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Error, Reply
from tests.redis_server import free_port

from .conftest import assert_clean_logs, command, dispatch_of, wait_articles, wait_parent
from .test_crash_recovery import _bad_draft


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def wait_status(ports: list[int], path: str, status: int, timeout: float) -> float:
    """Seconds until every port answers `status` on `path`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if all(get(p, path)[0] == status for p in ports):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{path} never answered {status} on {ports}: "
                         + ", ".join(f"{p}={get(p, path)}" for p in ports))


def samples(port: int) -> dict[tuple[str, tuple], float]:
    """Every sample of a /metrics page: (name, sorted labels) -> value."""
    status, text = get(port, "/metrics")
    assert status == 200
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(data: dict, name: str, **labels) -> float:
    return data.get((name, tuple(sorted(labels.items()))), 0.0)


def total(data: dict, name: str, **labels) -> float:
    """Sum over the samples of `name` whose labels include `labels`."""
    return sum(v for (n, ls), v in data.items() if n == name and set(labels.items()) <= set(ls))


# --------------------------------------------------------------------------- health


def test_readiness_turns_red_within_seconds_of_a_redis_outage_and_green_when_it_is_back(
        cluster, slack, llm, redis_server, channel, sample_text):
    bot = cluster()
    web = bot.web()
    health_port = free_port()
    bot.worker(HEALTH_PORT=health_port)
    ports = [web.port, health_port]
    wait_status(ports, "/readyz", 200, 20)
    assert json.loads(get(health_port, "/readyz")[1]) == {"ready": True, "redis": "ok", "worker": "ok"}

    redis_server.stop()
    red = wait_status(ports, "/readyz", 503, 20)
    assert json.loads(get(web.port, "/readyz")[1])["redis"] == "injoignable"
    assert [get(p, "/healthz")[0] for p in ports] == [200, 200]  # alive all along: no restart wanted
    assert value(samples(health_port), "seo_ready") == 0

    redis_server.start()
    green = wait_status(ports, "/readyz", 200, 30)
    print(f"\nreadiness: red {red:.2f} s after Redis stopped, green {green:.2f} s after it restarted")
    assert value(samples(web.port), "seo_redis_up") == 1
    # Green means it: a command goes through to an article, same processes.
    assert command(bot.url, slack, channel, dispatch_of(sample_text))[0] == 200
    wait_articles(slack, channel, wait_parent(slack, channel)["ts"], timeout=40)


def test_in_memory_mode_readiness_is_about_the_process(slack, llm):
    from tests.harness import BotProcess, bot_env

    env = bot_env(slack=slack, openai=llm, redis_url=None)
    proc = BotProcess("all", env).start()
    try:
        status, body = get(proc.port, "/readyz")
        assert status == 200 and json.loads(body) == {"ready": True, "redis": "memoire", "worker": "ok"}
        assert get(proc.port, "/metrics")[0] == 200
    finally:
        proc.stop()


# --------------------------------------------------------------------------- metrics


def test_metrics_count_what_happened(cluster, slack, llm, redis_server, channel, sample_text):
    bot = cluster()
    web = bot.web()
    health_port = free_port()
    bot.worker(HEALTH_PORT=health_port)
    text = dispatch_of(sample_text)
    # Two articles; the second needs a repair round (its first draft is far too short).
    first, second, failing = channel + "A", channel + "B", channel + "C"
    assert command(bot.url, slack, first, text)[0] == 200
    v1 = wait_articles(slack, first, wait_parent(slack, first)["ts"])[0]
    llm.script(Reply(_bad_draft))
    assert command(bot.url, slack, second, text)[0] == 200
    wait_articles(slack, second, wait_parent(slack, second)["ts"])
    # A click on Raccourcir: a shorter version; its status line cannot be updated (Slack error).
    slack.fail("chat.update", "message_not_found", times=1)
    assert sr.send(bot.url, *sr.block_actions("seo_shorten", message=v1, slack=slack))[0] == 200
    wait_articles(slack, first, wait_parent(slack, first)["ts"], 2)
    # The model down for one job (500 on every attempt): that job fails, the user is told.
    llm.script(*[Error(500)] * 3)
    assert command(bot.url, slack, failing, text)[0] == 200
    failing_ts = wait_parent(slack, failing)["ts"]
    slack.wait_for(lambda s: [m for m in s.messages(failing, failing_ts, include_parent=False)
                              if "seo_retry" in json.dumps(m.get("blocks") or [])], timeout=40)

    def settled():
        w = samples(health_port)
        return total(w, "seo_jobs_total") >= 4 and value(w, "seo_queue_jobs", state="active") == 0
    slack.wait_for(lambda s: settled(), timeout=20)
    w, h = samples(health_port), samples(web.port)

    # Web: requests by surface and their acks.
    assert value(h, "seo_slack_requests_total", surface="command") == 3
    assert value(h, "seo_slack_requests_total", surface="action") == 1
    assert value(h, "seo_slack_ack_seconds_count", surface="command") == 3
    assert 0 < value(h, "seo_slack_ack_seconds_sum", surface="command") < 9
    # Worker: jobs by kind and outcome, durations.
    assert value(w, "seo_jobs_total", kind="rewrite", outcome="ok") == 2
    assert value(w, "seo_jobs_total", kind="shorten", outcome="ok") == 1
    assert value(w, "seo_jobs_total", kind="rewrite", outcome="failed") == 1
    assert value(w, "seo_job_duration_seconds_count", kind="rewrite") == 3
    assert ("seo_queue_jobs", (("state", "queued"),)) in w
    # LLM: every request the model received was one call (no transport retry here, but the three
    # attempts of the failing job are one call that failed).
    good = llm.calls - 3
    assert value(w, "seo_llm_calls_total") == good + 1
    assert value(w, "seo_llm_errors_total", kind="server") == 1
    assert value(w, "seo_llm_call_seconds_count") == good + 1
    assert value(w, "seo_repair_rounds_total") == good - 3  # draft, draft + repairs, shorten
    assert value(w, "seo_first_drafts_total", passed="true") == 1
    assert value(w, "seo_first_drafts_total", passed="false") == 1
    prompt = value(w, "seo_llm_tokens_total", type="prompt")
    assert prompt > 0 and value(w, "seo_llm_tokens_total", type="completion") > 0
    assert 0 <= value(w, "seo_llm_tokens_total", type="cached") <= prompt
    # The usage store adds up the same tokens (per version, in Redis).
    import redis
    r = redis.Redis.from_url(redis_server.url, decode_responses=True)
    stored = [json.loads(r.get(k)) for k in r.scan_iter("seo:usage:*:v*")]
    assert len(stored) == 3 and sum(u["prompt_tokens"] for u in stored) == prompt
    # Slack: the failed call, by method and code.
    assert value(w, "seo_slack_api_errors_total", method="chat.update", code="message_not_found") == 1
    assert total(h, "seo_slack_api_errors_total") == 0
    # Each process has its own figures: the web process ran no job.
    assert total(h, "seo_jobs_total") == 0 and value(h, "seo_llm_calls_total") == 0


# --------------------------------------------------------------------------- logs


def published(slack, channel, thread, version):
    """The job of `version` is over (its status line says so): the thread takes clicks again.
    (A click between the article's post and that moment is answered "busy": see the report.)"""
    slack.wait_for(lambda s: any(f"Version {version} publiée" in m["text"]
                                 for m in s.messages(channel, thread, include_parent=False)), timeout=30)


def test_json_logs_are_one_object_per_line_with_context_and_no_secret(
        cluster, slack, llm, channel, sample_text):
    bot = cluster(LOG_FORMAT="json", LOG_LEVEL="DEBUG")
    bot.web()
    bot.worker()
    text = dispatch_of(sample_text)
    assert command(bot.url, slack, channel, text)[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    v1 = wait_articles(slack, channel, thread)[0]
    published(slack, channel, thread, 1)
    sr.send(bot.url, *sr.block_actions("seo_shorten", message=v1, slack=slack))
    wait_articles(slack, channel, thread, 2)
    published(slack, channel, thread, 2)
    reply = slack.add_message(channel, "ajoute un intertitre sur la Russie", user="U2", thread_ts=thread)
    sr.send(bot.url, *sr.event_callback(sr.message_event(reply["text"], channel=channel, user="U2",
                                                         ts=reply["ts"], thread_ts=thread)))
    wait_articles(slack, channel, thread, 3)
    published(slack, channel, thread, 3)
    sr.send(bot.url, *sr.block_actions("seo_export", message=wait_articles(slack, channel, thread, 3)[-1],
                                       slack=slack))
    slack.wait_for(lambda s: len(s.files) >= 2)
    # A forged command: refused, and Bolt logs the refusal (without the body).
    assert sr.send(bot.url, *sr.forged(sr.slash_command(text, channel_id=channel, slack=slack)))[0] == 401
    event = {"type": "app_home_opened", "user": "U1", "channel": "D001", "tab": "home", "event_ts": sr.new_ts()}
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    slack.wait_for(lambda s: s.calls("views.publish"))
    for p in bot.procs:  # stopped, so the shutdown lines are in too
        p.stop()

    logs = bot.logs()
    lines = [line for line in logs.splitlines() if line.strip()]
    assert len(lines) > 20
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"a log line is not JSON: {line[:300]}") from None
    for rec in records:
        assert {"time", "level", "logger", "message", "job", "channel", "team"} <= set(rec), rec
    loggers = {rec["logger"].split(".")[0] for rec in records}
    assert {"seo-fr", "saq", "seo", "ops", "slack_bolt"} <= loggers, loggers  # libraries' lines too
    levels = {rec["level"] for rec in records}
    assert "DEBUG" in levels  # LOG_LEVEL=DEBUG, and still no payload (below)
    assert [rec for rec in records if rec["level"] in ("ERROR", "CRITICAL")] == []  # a clean run, a clean exit
    # Work in progress carries its context: the worker's job lines, the web side's enqueue lines.
    pipeline = [rec for rec in records if rec["logger"] == "seo.pipeline"]
    assert len(pipeline) >= 3 and all(rec["job"] and rec["channel"] == channel for rec in pipeline)
    enqueued = [rec for rec in records if rec["logger"] == "saq" and rec["message"].startswith("Enqueuing")]
    assert len(enqueued) == 3
    assert all(rec["job"] and rec["channel"] == channel and rec["team"] == "T1" for rec in enqueued), enqueued
    # Nothing of the request bodies, the job specs (an editor's instruction) or any secret.
    assert_clean_logs(logs, dispatch=text)
    assert "intertitre sur la Russie" not in logs
    assert "Jens Stoltenberg" not in logs
