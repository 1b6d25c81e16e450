"""LOG_LEVEL=DEBUG keeps its promise (.env.example): no dispatch, no article, no Socket Mode
connection URL in the logs, in HTTP mode (web + worker on Redis) and in Socket Mode."""
from __future__ import annotations

import re

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import FakeSlack
from tests.harness import BotProcess, bot_env

from .conftest import article_messages, markdown_of


def _dispatch(sample_text: str) -> str:
    return sample_text.split("\n", 1)[1]


def _assert_nothing_private(log: str, dispatch: str, article_body: str) -> None:
    assert "DEBUG" in log  # the level took effect for our own loggers
    for text in (dispatch, article_body):
        words = text.split()
        for i in range(0, max(1, len(words) - 12), 12):
            piece = " ".join(words[i:i + 12])
            assert piece not in log, f"private text in the DEBUG log: {piece[:80]}"


def test_debug_logs_of_web_and_worker_hold_no_dispatch_nor_article(slack, llm, redis_server, sample_text):
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url, LOG_LEVEL="DEBUG")
    web, worker = BotProcess("web", env).start(), BotProcess("worker", env).start()
    try:
        channel = "CDEBUG1"
        text = _dispatch(sample_text)
        assert sr.send(web.url, *sr.slash_command(text, channel_id=channel, slack=slack))[0] == 200
        parent = slack.wait_for(lambda s: s.messages(channel), timeout=15)[0]
        article = slack.wait_for(lambda s: article_messages(s, channel, parent["ts"]), timeout=30)[0]
        body = re.sub(r"[*_#]", "", markdown_of(article))
    finally:
        web.stop()
        worker.stop()
    _assert_nothing_private(web.output() + worker.output(), text, body)


def test_debug_logs_in_socket_mode_hold_no_connection_url(sample_text):
    with FakeSlack() as slack, FakeOpenAI() as llm:
        env = bot_env(slack=slack, openai=llm, redis_url=None, SLACK_APP_TOKEN="xapp-test", LOG_LEVEL="DEBUG")
        env["SLACK_SIGNING_SECRET"] = ""
        proc = BotProcess("all", env).start(ready=slack.socket_connected)
        try:
            text = _dispatch(sample_text)
            payload = {"command": "/seo-fr", "text": text, "user_id": "U1", "user_name": "x",
                       "channel_id": "C600", "channel_name": "redaction", "team_id": "T1",
                       "trigger_id": "trig.0.9", "response_url": slack.response_url("C600", "U1"),
                       "api_app_id": "A1"}
            slack.socket_send("slash_commands", payload)
            parent = slack.wait_for(lambda s: s.messages("C600"), timeout=10)[0]
            article = slack.wait_for(lambda s: article_messages(s, "C600", parent["ts"]), timeout=30)[0]
            body = re.sub(r"[*_#]", "", markdown_of(article))
        finally:
            proc.stop()
        log = proc.output()
        assert "/socket-mode" not in log
        _assert_nothing_private(log, text, body)
