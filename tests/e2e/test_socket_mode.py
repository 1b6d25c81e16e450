"""Socket Mode (SLACK_APP_TOKEN set) without Redis: the newcomer's setup, one process."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import FakeSlack
from tests.harness import BotProcess, bot_env
from tests.redis_server import free_port

from .conftest import article_messages, button_labels


@pytest.fixture(scope="module")
def socket_bot():
    with FakeSlack() as slack, FakeOpenAI() as llm:
        env = bot_env(slack=slack, openai=llm, redis_url=None, SLACK_APP_TOKEN="xapp-test",
                      HEALTH_PORT=free_port())
        env["SLACK_SIGNING_SECRET"] = ""  # not needed in Socket Mode
        proc = BotProcess("all", env).start(ready=slack.socket_connected)
        yield slack, llm, proc
        proc.stop()


def test_slash_command_over_socket_mode_in_memory_mode(socket_bot, sample_text):
    slack, llm, proc = socket_bot
    assert "REDIS_URL n’est pas défini" in proc.output()  # the newcomer is warned
    payload = {"command": "/seo-fr", "text": sample_text.split("\n", 1)[1], "user_id": "U1", "user_name": "x",
               "channel_id": "C500", "channel_name": "redaction", "team_id": "T1", "trigger_id": "trig.0.1",
               "response_url": slack.response_url("C500", "U1"), "api_app_id": "A1"}
    ack, seconds = slack.socket_send("slash_commands", payload)
    assert "envelope_id" in ack and seconds < 3
    parent = slack.wait_for(lambda s: s.messages("C500"), timeout=60)[0]
    article = slack.wait_for(lambda s: article_messages(s, "C500", parent["ts"]), timeout=90)[0]
    assert button_labels(article)[:4] == ["Régénérer", "Raccourcir", "Changer le mot-clé", "Exporter"]


def test_a_job_failing_on_an_unexpected_error_says_so_with_a_retry_button(socket_bot, sample_text):
    from tests.fakes import slack_requests as sr
    from tests.fakes.openai_server import Latency

    slack, llm, proc = socket_bot
    # Posted whole (this Slack cannot stream), so that the article's chat.postMessage is what fails.
    slack.streaming_enabled = False
    llm.script(Latency(1.0))
    payload = {"command": "/seo-fr", "text": sample_text.split("\n", 1)[1], "user_id": "U1", "user_name": "x",
               "channel_id": "C501", "channel_name": "redaction", "team_id": "T1", "trigger_id": "trig.0.2",
               "response_url": slack.response_url("C501", "U1"), "api_app_id": "A1"}
    slack.socket_send("slash_commands", payload)
    parent = slack.wait_for(lambda s: s.messages("C501"), timeout=60)[0]
    slack.wait_for(lambda s: len(s.messages("C501", parent["ts"], include_parent=False)) >= 1)
    slack.fail("chat.postMessage", "fatal_error", times=1)  # the article's post: not a channel problem
    failure = slack.wait_for(lambda s: [m for m in s.messages("C501", parent["ts"], include_parent=False)
                                        if "Réessayer" in str(m.get("blocks"))], timeout=60)[0]
    assert "Erreur interne" in failure["text"]
    body = json.loads(parse_qs(sr.block_actions("seo_retry", message=failure, slack=slack)[0].decode())["payload"][0])
    slack.socket_send("interactive", body)
    article = slack.wait_for(lambda s: article_messages(s, "C501", parent["ts"]), timeout=90)[0]
    assert button_labels(article)[0] == "Régénérer"


def test_socket_mode_serves_health_and_metrics_on_health_port(socket_bot, sample_text):
    import urllib.request

    from prometheus_client.parser import text_string_to_metric_families

    slack, llm, proc = socket_bot
    port = int(proc.env["HEALTH_PORT"])

    def get(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, r.read().decode()

    def commands():
        for family in text_string_to_metric_families(get("/metrics")[1]):
            for s in family.samples:
                if s.name == "seo_slack_requests_total" and s.labels == {"surface": "command"}:
                    return s.value
        return 0

    assert get("/healthz")[0] == 200
    assert get("/readyz") == (200, '{"ready": true, "redis": "memoire", "worker": "ok"}')
    before = commands()
    payload = {"command": "/seo-fr", "text": "aide", "user_id": "U1", "user_name": "x",
               "channel_id": "C502", "channel_name": "redaction", "team_id": "T1", "trigger_id": "trig.0.3",
               "response_url": slack.response_url("C502", "U1"), "api_app_id": "A1"}
    slack.socket_send("slash_commands", payload)
    slack.wait_for(lambda s: commands() == before + 1, timeout=10)
