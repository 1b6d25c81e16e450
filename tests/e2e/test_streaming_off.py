"""SEO_STREAM=off: today's behaviour, the status line then the article, no streaming call."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.harness import BotProcess, bot_env

from .conftest import article_messages, button_labels, word_count_of
from .test_streaming import command, dispatch, thread_of, wait_done, writing_slowly


@pytest.fixture(scope="module")
def bot(slack, llm, redis_server):
    env = bot_env(slack=slack, openai=llm, redis_url=redis_server.url, SEO_STREAM="off")
    web = BotProcess("web", env).start()
    worker = BotProcess("worker", env).start()
    yield SimpleNamespace(web=web, worker=worker, url=web.url, env=env)
    web.stop()
    worker.stop()


def test_stream_off_posts_status_then_the_whole_article(bot, slack, llm, channel, sample_text):
    writing_slowly(llm, seconds=1.0)
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    [article] = wait_done(slack, channel, thread)
    assert not [c for c in slack.calls() if c["method"].endswith("Stream")]
    replies = slack.messages(channel, thread, include_parent=False)
    assert len(replies) == 2 and replies[1]["ts"] == article["ts"]
    assert "Version 1 publiée" in replies[0]["text"]
    assert button_labels(article) == ["Régénérer", "Raccourcir", "Changer le mot-clé", "Exporter", "Titres",
                                      "Réseaux sociaux"]
    assert word_count_of(article) >= 700
    assert len(article_messages(slack, channel, thread)) == 1
