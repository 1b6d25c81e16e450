"""A worker SIGKILLed mid-job (again and again, during a draft and during a repair round) and a
web process killed while jobs run: every job finishes exactly once, every version is posted
exactly once, nothing is lost."""
from __future__ import annotations

import time

from tests.fakes.fake_writer import write
from tests.fakes.openai_server import Latency, Reply

from .conftest import (
    article_messages, bot_posts, command, dispatch_of, duplicate_parts, parents, settle,
    versions_posted, wait_articles, wait_parent,
)

KILLS = 3


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def test_worker_killed_three_times_during_drafts_every_job_posts_once(cluster, slack, llm, channel,
                                                                      sample_text):
    bot = cluster()
    bot.web()
    worker = bot.worker()
    llm.latency = 2.0  # each draft is in flight for 2 s: a kill lands in the middle of it
    channels = [channel + s for s in "ABC"]
    for ch in channels:
        status, _, elapsed = command(bot.url, slack, ch, dispatch_of(sample_text))
        assert status == 200 and elapsed < 3
    threads = {ch: wait_parent(slack, ch)["ts"] for ch in channels}

    seen = 0
    for _ in range(KILLS):
        _wait(lambda: llm.in_flight >= 1 and llm.calls > seen, 90, "a draft in flight")
        seen = llm.calls
        worker.kill()  # SIGKILL: no cleanup, no goodbye
        worker = bot.worker()
    llm.latency = 0.0

    for ch, ts in threads.items():
        wait_articles(slack, ch, ts, timeout=120)
    settle(slack, llm, bot.redis)  # every job done: a late duplicate would show by now
    for ch, ts in threads.items():
        assert versions_posted(slack, ch, ts) == {1: 1}, slack.dump()
        replies = slack.messages(ch, ts, include_parent=False)
        assert len(replies) == 2, replies  # one status line, one article message
        slack.wait_for(lambda s: "Version 1 publiée" in s.messages(ch, ts, include_parent=False)[0]["text"])
        assert len(parents(slack, ch)) == 1
    assert duplicate_parts(slack) == []
    # Each kill cost at most the calls in flight; the final runs one call per job.
    assert 3 + KILLS <= llm.calls <= 3 + 3 * KILLS
    assert worker.proc.poll() is None


def _bad_draft(request_json):
    """A first draft far too short (one section): the checks send it back for a repair."""
    art = write(request_json)
    art["sections"] = art["sections"][:1]
    art["sections"][0]["body"] = " ".join(art["sections"][0]["body"].split()[:60])
    return art


def test_worker_killed_during_a_repair_round_reruns_and_posts_once(cluster, slack, llm, channel, sample_text):
    bot = cluster()
    bot.web()
    worker = bot.worker()
    llm.script(Reply(_bad_draft), Latency(2.5))  # bad draft, then a slow repair call
    command(bot.url, slack, channel, dispatch_of(sample_text))
    thread = wait_parent(slack, channel)["ts"]
    _wait(lambda: llm.calls >= 2 and llm.in_flight >= 1, 60, "the repair call")
    # We are in a repair round (the status line follows in the background, a moment after the call).
    _wait(lambda: "Corrections" in slack.messages(channel, thread, include_parent=False)[0]["text"], 30,
          "the repair round's status line")
    assert "Corrigez l’article" in llm.requests[1]["messages"][-1]["content"]
    worker.kill()
    bot.worker()
    wait_articles(slack, channel, thread, timeout=120)
    settle(slack, llm, bot.redis)
    assert versions_posted(slack, channel, thread) == {1: 1}
    assert duplicate_parts(slack, channel) == []
    # First run: draft + repair (killed); the re-run: one good draft.
    assert llm.calls == 3
    replies = [m for m in bot_posts(slack, channel) if m.get("thread_ts") == thread and m["ts"] != thread]
    assert len(replies) == 2  # the status line and the article, once each


def test_web_killed_while_jobs_run_jobs_still_post_and_new_web_serves(cluster, slack, llm, channel, sample_text):
    bot = cluster()
    bot.web()
    bot.worker()
    llm.latency = 1.5
    channels = [channel + s for s in "AB"]
    for ch in channels:
        assert command(bot.url, slack, ch, dispatch_of(sample_text))[0] == 200
    threads = {ch: wait_parent(slack, ch)["ts"] for ch in channels}
    _wait(lambda: llm.in_flight >= 2, 60, "both jobs drafting")
    bot.restart_web()  # SIGKILL the web process, start a new one on the same port
    llm.latency = 0.0
    for ch, ts in threads.items():
        wait_articles(slack, ch, ts, timeout=90)
    # The new web process takes commands and button clicks.
    third = channel + "C"
    assert command(bot.url, slack, third, dispatch_of(sample_text))[0] == 200
    wait_articles(slack, third, wait_parent(slack, third)["ts"], timeout=90)
    settle(slack, llm, bot.redis)
    for ch, ts in list(threads.items()) + [(third, wait_parent(slack, third)["ts"])]:
        assert versions_posted(slack, ch, ts) == {1: 1}
    assert duplicate_parts(slack) == []
    assert llm.calls == 3


def test_worker_killed_mid_stream_the_rerun_replaces_the_streamed_draft_in_place(cluster, slack, llm, channel,
                                                                                sample_text):
    """SIGKILL while the article is being streamed into the thread: the re-run does not stream a
    second copy; the half-written message is labelled, then becomes the article."""
    bot = cluster()
    bot.web()
    worker = bot.worker()
    llm.first_token_delay = 0.2
    llm.stream_chunk_chars = 24
    llm.stream_chunk_delay = 0.02  # about 8 s to write the article
    command(bot.url, slack, channel, dispatch_of(sample_text))
    thread = wait_parent(slack, channel)["ts"]
    _wait(lambda: any(st["appends"] >= 1 for st in slack.streams(channel, thread)), 30, "a stream under way")
    worker.kill()
    llm.stream_chunk_delay = 0.0
    bot.worker()
    wait_articles(slack, channel, thread, timeout=60)
    _wait(lambda: any("publiée" in m["text"] for m in slack.messages(channel, thread, include_parent=False)),
          30, "the status line's last word")
    settle(slack, llm, bot.redis)  # would a late duplicate show up?
    [streamed] = slack.streams(channel, thread)  # streamed once, never again
    replies = slack.messages(channel, thread, include_parent=False)
    assert len(replies) == 2, [r["text"][:60] for r in replies]  # the status line and the article
    assert versions_posted(slack, channel, thread) == {1: 1}
    article = article_messages(slack, channel, thread)[0]
    assert article["ts"] == streamed["ts"]  # the half-written message became the article
    assert duplicate_parts(slack, channel) == []


def test_worker_killed_before_it_learns_its_stream_ts_the_rerun_drops_that_draft(cluster, slack, llm, channel,
                                                                                  sample_text):
    """chat.startStream reached Slack (the first words are in the thread) but the worker died
    before the answer came back: the re-run finds that draft by its missing metadata, removes it,
    and the thread ends with one article."""
    bot = cluster()
    bot.web()
    worker = bot.worker()
    llm.first_token_delay = 0.2
    llm.stream_chunk_chars = 24
    llm.stream_chunk_delay = 0.01
    slack.delay_answer("chat.startStream", 30)
    command(bot.url, slack, channel, dispatch_of(sample_text))
    thread = wait_parent(slack, channel)["ts"]
    _wait(lambda: slack.streams(channel, thread), 30, "the stream's first words in the thread")
    worker.kill()
    bot.worker()
    wait_articles(slack, channel, thread, timeout=60)
    _wait(lambda: any("publiée" in m["text"] for m in slack.messages(channel, thread, include_parent=False)),
          30, "the status line's last word")
    settle(slack, llm, bot.redis)
    first = slack.streams(channel, thread)[0]
    assert slack.message(channel, first["ts"]) is None  # the unrecorded draft is gone
    replies = slack.messages(channel, thread, include_parent=False)
    assert len(replies) == 2, [r["text"][:60] for r in replies]  # the status line and the article
    assert versions_posted(slack, channel, thread) == {1: 1}
