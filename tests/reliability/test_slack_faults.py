"""Slack pushes back: rate limits on posting and updating, a huge article, a channel that
disappears under a running job."""
from __future__ import annotations

import time

import pytest

from tests.fakes import slack_requests as sr
from tests.fakes.fake_writer import generic_sentence, write

from .conftest import (
    article_messages, command, dispatch_of, duplicate_parts, settle, versions_posted, wait_articles, wait_parent,
)

BAD_SLACK_ERRORS = {"msg_too_long", "invalid_blocks", "msg_blocks_too_long", "invalid_blocks_format", "no_text"}


def _wait_drafting(llm):
    deadline = time.monotonic() + 60
    while llm.in_flight < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert llm.in_flight >= 1


def test_ratelimited_post_and_update_are_retried_after_retry_after(shared, slack, llm, channel, sample_text):
    # The article posted whole (this workspace cannot stream): its chat.postMessage is what is
    # rate-limited here (streamed articles: tests/e2e/test_streaming.py).
    slack.streaming_enabled = False
    llm.latency = 1.0
    assert command(shared.url, slack, channel, dispatch_of(sample_text), team_id="TNOSTREAM")[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    _wait_drafting(llm)
    slack.fail("chat.postMessage", "ratelimited", retry_after=1, times=2)
    slack.fail("chat.update", "ratelimited", retry_after=1, times=2)
    try:
        wait_articles(slack, channel, thread, timeout=90)
    finally:
        slack.streaming_enabled = True
    # The status line's last update comes after the article: wait for it, not for a fixed delay.
    slack.wait_for(lambda s: "Version 1 publiée" in s.messages(channel, thread, include_parent=False)[0]["text"],
                   timeout=60)
    settle(slack, llm, shared.redis)
    assert versions_posted(slack, channel, thread) == {1: 1}
    for method in ("chat.postMessage", "chat.update"):
        calls = slack.calls(method)
        limited = [c for c in calls if c["status"] == 429]
        assert len(limited) == 2, method
        after = [c for c in calls if c["ok"] and c["ts"] > limited[0]["ts"]]
        assert after and after[0]["ts"] - limited[0]["ts"] >= 0.9  # Retry-After honoured
    status = slack.messages(channel, thread, include_parent=False)[0]
    assert "Version 1 publiée" in status["text"]


def _huge_dispatch(sample_text: str, size: int = 59_000) -> str:
    base = dispatch_of(sample_text)
    paras = [p for p in base.split("\n") if p.strip()]
    out, i = [], 0
    while len("\n\n".join(out)) < size - 600:
        out.append(paras[i % len(paras)])
        i += 1
    return "\n\n".join(out)[:size]


_MORE = ("suite", "détails", "contexte", "enjeux", "perspectives")


def _long_article(request_json):
    """Six times the usual article, and as faithful: its subheadings add words, never a number the
    dispatch lacks (« (2) »… made the guard ask for repairs, each one six times longer again: a
    145 000-word article whose checks starved the worker on a busy machine)."""
    art = write(request_json)
    extra = []
    for n, more in enumerate(_MORE, 1):
        for i, s in enumerate(art["sections"]):
            # One generic sentence more (no figure, no name): no section is a copy of another.
            extra.append({"heading": f"{s['heading']} : {more}",
                          "body": f"{s['body']} {generic_sentence(1000 + n * 50 + i)}"})
    art["sections"] = art["sections"] + extra
    return art


def test_huge_dispatch_and_long_article_are_split_never_refused(shared, slack, llm, channel, sample_text):
    dm = "D" + channel[1:]
    slack.set_channel(dm, is_im=True)
    text = _huge_dispatch(sample_text)
    assert 55_000 < len(text) <= 60_000
    llm.default = _long_article
    msg = slack.add_message(dm, text, user="U5")
    event = sr.message_event(text, channel=dm, user="U5", ts=msg["ts"], channel_type="im")
    assert sr.send(shared.url, *sr.event_callback(event))[0] == 200
    wait_articles(slack, dm, msg["ts"], timeout=120)
    parts = [m for m in slack.messages(dm, msg["ts"], include_parent=False) if m.get("metadata")]
    assert len(parts) >= 3  # status + an article in two messages or more
    errors = {c["error"] for c in slack.calls() if not c["ok"]}
    assert not errors & BAD_SLACK_ERRORS, errors
    assert not [t for t in slack.long_texts if t["channel"] == dm]
    assert versions_posted(slack, dm, msg["ts"]) == {1: 1}
    assert llm.calls == 1  # a faithful draft, however long: one call, one run


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "is_archived"])
def test_channel_lost_during_a_job_ends_it_cleanly_with_a_dm_and_the_next_job_runs(
        shared, slack, llm, channel, sample_text, error):
    user = "U" + channel[1:]
    llm.latency = 1.0
    assert command(shared.url, slack, channel, dispatch_of(sample_text), user=user)[0] == 200
    thread = wait_parent(slack, channel)["ts"]
    _wait_drafting(llm)
    if error == "not_in_channel":
        slack.set_channel(channel, member=False)
    elif error == "is_archived":
        slack.set_channel(channel, archived=True)
    else:
        slack.set_channel(channel, exists=False)
    dm = slack.wait_for(lambda s: s.messages("D" + user[1:]), timeout=90)
    assert "Je ne peux pas publier" in dm[-1]["text"] and error in dm[-1]["text"]
    if error != "channel_not_found":
        assert article_messages(slack, channel, thread) == []
    # The worker is fine and takes the next job.
    llm.latency = 0.0
    nxt = channel + "N"
    assert command(shared.url, slack, nxt, dispatch_of(sample_text))[0] == 200
    wait_articles(slack, nxt, wait_parent(slack, nxt)["ts"], timeout=90)
    assert duplicate_parts(slack) == []
