"""ops.logs: one line per record (JSON), context fields, secrets masked by value and by shape,
payloads (saq job specs, refused request bodies) left out."""
from __future__ import annotations

import io
import json
import logging

import pytest

from ops import logs


@pytest.fixture
def capture(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-value-1234567")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "plainsigningsecret42")
    monkeypatch.setenv("OPENAI_API_KEY", "custom-key-without-prefix")
    monkeypatch.setenv("WORDPRESS_APP_PASSWORD", "abcd efgh ijkl mnop")
    import sys

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # setup() replaces it: put it back after

    def run(fmt: str, emit) -> list[str]:
        buf = io.StringIO()
        logs.setup("INFO", fmt, stream=buf)
        emit()
        return buf.getvalue().splitlines()

    yield run
    root.handlers[:], root.level = saved
    logging.captureWarnings(False)


SECRETS = ["xoxb-value-1234567", "plainsigningsecret42", "custom-key-without-prefix", "abcd efgh ijkl mnop",
           "xoxp-11111-22222-abcdef", "xapp-1-A0-123-abcdef", "sk-proj-abcdefgh12345", "Bearer abc.def.ghi-jkl",
           "redis://user:hunter2pw@db:6379/0"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_secrets_are_masked_wherever_they_appear(capture, fmt):
    def emit():
        log = logging.getLogger("anything")
        for s in SECRETS:
            log.info("value %s here", s)
            log.warning("in the message itself: " + s)
        try:
            raise RuntimeError("failed with " + SECRETS[0])
        except RuntimeError:
            log.exception("with a traceback")
    lines = capture(fmt, emit)
    text = "\n".join(lines)
    for s in SECRETS:
        assert s.replace("Bearer ", "") not in text and s.split("@")[0].split("//")[-1] not in text, s
    assert "[masqué]" in text
    if fmt == "json":
        records = [json.loads(line) for line in lines]  # every line one object, tracebacks included
        assert len(records) == 2 * len(SECRETS) + 1


def test_json_lines_carry_the_context_of_the_work_in_progress(capture):
    def emit():
        log = logging.getLogger("seo.pipeline")
        log.info("outside")
        with logs.log_context(job="J1", channel="C1", team="T1"):
            log.info("inside\nwith a newline")
        log.info("after")
    recs = [json.loads(line) for line in capture("json", emit)]
    assert [(r["job"], r["channel"], r["team"]) for r in recs] == [(None,) * 3, ("J1", "C1", "T1"), (None,) * 3]
    assert recs[1]["message"] == "inside\nwith a newline" and recs[1]["logger"] == "seo.pipeline"
    assert {"time", "level", "logger", "message"} <= set(recs[0])


def test_payloads_of_library_lines_are_left_out(capture, request):
    spec = ("Job<function: run_job, kwargs: {'spec': {'id': 'J9', 'instruction': 'cite: « secret », key: fake'}}, "
            "queue: seo-fr, key: J9, timeout: 900>")

    bolt = logging.getLogger("slack_bolt.RequestVerification")
    level = bolt.level
    bolt.setLevel(logging.NOTSET)  # Bolt gives its loggers the root's level when an app is built (other tests)
    request.addfinalizer(lambda: bolt.setLevel(level))

    def emit():
        logging.getLogger("saq").info("Processing %s", spec)
        logging.getLogger("saq").info("Enqueuing %s", spec)
        logging.getLogger("slack_bolt.RequestVerification").info(
            "Invalid request signature detected (signature: v0=1, timestamp: 2, body: text=La+d%C3%A9p%C3%AAche)")
        logging.getLogger("openai._base_client").debug("Request options: {'json_data': 'la dépêche'}")
        logging.getLogger("slack_sdk.web.async_base_client").debug("Sending a request - body: la dépêche")
    recs = [json.loads(line) for line in capture("json", lambda: (logging.getLogger().setLevel("DEBUG"), emit()))]
    assert [r["message"] for r in recs] == [
        "Processing job J9", "Enqueuing job J9",
        "Invalid request signature detected (signature: v0=1, timestamp: 2, body: [masqué])"]
    assert recs[0]["job"] == "J9"
