"""What a hostile or careless user can do (issue 11), driven from outside: signed Slack requests
to real bot processes, the fake Slack Web API, the fake OpenAI server (which records what the
model was sent)."""
from __future__ import annotations

import json

from tests.fakes import slack_requests as sr
from tests.fakes.fake_writer import write

from .conftest import article_messages

HEADER_MAX = 150


def dispatch(sample_text: str) -> str:
    return sample_text.split("\n", 1)[1]  # without the editor's English instruction line


def parent_ts(slack, channel, timeout=15):
    def found(s):
        ps = [m for m in s.messages(channel) if not m.get("thread_ts") or m["thread_ts"] == m["ts"]]
        return ps[0]["ts"] if ps else None
    return slack.wait_for(found, timeout=timeout)


def wait_articles(slack, channel, thread_ts, count=1, timeout=30):
    return slack.wait_for(lambda s: (lambda arts: arts if len(arts) >= count else None)(
        article_messages(s, channel, thread_ts)), timeout=timeout)


def start_article(bot, slack, channel, text, user="U1"):
    body, headers = sr.slash_command(text, channel_id=channel, user_id=user, slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200
    thread = parent_ts(slack, channel)
    return thread, wait_articles(slack, channel, thread)[0]


def user_prompts(llm) -> list[str]:
    return [m["content"] for r in llm.requests for m in r["messages"] if m["role"] == "user"]


# --------------------------------------------------------------------------- a long title


def test_a_long_title_full_of_markup_is_shown_not_refused_by_block_kit(bot, slack, llm, channel, sample_text):
    """Neutralising mentions adds characters: the header must fit after it, whatever the title."""
    for filler in ("x<@y ", "<!-- ", "a<!b <@c "):
        def writer(request, filler=filler):
            article = write(request)
            article["title"] = (article["title"] + " " + filler * 60)[:HEADER_MAX - 2]
            return article
        llm.default = writer
        ch = f"{channel}T{len(filler)}"
        thread, article = start_article(bot, slack, ch, dispatch(sample_text))
        header = next(b for b in article["blocks"] if b["type"] == "header")
        assert len(header["text"]["text"]) <= HEADER_MAX
        assert "<@" not in header["text"]["text"] and "<!" not in header["text"]["text"]
        assert all(c["ok"] for c in slack.calls("chat.postMessage") if c["args"].get("channel") == ch)
