"""The article written into the thread while the model writes it (SEO_STREAM=on, the default),
over signed HTTP with real `bot.py` processes, the fake Slack (chat.*Stream with Slack's errors
and per-minute budgets) and the fake OpenAI streaming its structured output chunk by chunk."""
from __future__ import annotations

import json

import itertools
import re

import redis

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Reply, StreamError
from tests.fakes.fake_writer import write

from .conftest import article_messages, button_labels, context_of, forget_slack_budgets, markdown_of, word_count_of

BUTTONS = ["Régénérer", "Raccourcir", "Changer le mot-clé", "Exporter", "Titres", "Réseaux sociaux"]
_teams = itertools.count(1)


def dispatch(sample_text: str) -> str:
    return sample_text.split("\n", 1)[1]


def command(bot, slack, channel, text, team="T1", user="U1"):
    body, headers = sr.slash_command(text, channel_id=channel, user_id=user, team_id=team, slack=slack)
    status, resp, _ = sr.send(bot.url, body, headers)
    assert status == 200, resp


def thread_of(slack, channel, timeout=20):
    def parent(s):
        roots = [m for m in s.messages(channel) if not m.get("thread_ts") or m["thread_ts"] == m["ts"]]
        return roots[0] if roots else None
    return slack.wait_for(parent, timeout=timeout)["ts"]


def wait_articles(slack, channel, thread_ts, count=1, timeout=60):
    return slack.wait_for(lambda s: (lambda arts: arts if len(arts) >= count else None)(
        article_messages(s, channel, thread_ts)), timeout=timeout)


def wait_done(slack, channel, thread_ts, timeout=60):
    """Until the status line says the version is out (the job's last word in the thread)."""
    slack.wait_for(lambda s: any("publiée" in m["text"] for m in s.messages(channel, thread_ts, include_parent=False)),
                   timeout=timeout)
    return article_messages(slack, channel, thread_ts)


def writing_slowly(llm, seconds=4.0, first_token=0.3):
    """The fake model takes `seconds` to write an article (about 7 000 chars of JSON)."""
    llm.first_token_delay = first_token
    llm.stream_chunk_chars = 24
    llm.stream_chunk_delay = seconds / 400


def body_of(message) -> str:
    """An article message's Markdown body, without the '# title' line a streamed message opens with."""
    text = markdown_of(message)
    return re.sub(r"\A# [^\n]*\n\n", "", text).strip()


def fresh_team() -> str:
    """Each fallback test in its own workspace: the worker remembers refusals per workspace."""
    return f"T9{next(_teams):04d}"


# --------------------------------------------------------------------------- the happy path


def test_first_words_stream_then_the_message_becomes_the_article(bot, slack, llm, channel, sample_text):
    writing_slowly(llm, seconds=5.0)
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    # The first words show in the thread while the model is still writing.
    live = slack.wait_for(lambda s: [st for st in s.streams(channel, thread)
                                     if st["state"] == "streaming" and st["markdown"].startswith("# ")],
                          timeout=30)[0]
    assert not article_messages(slack, channel, thread)  # no buttons yet: it is being written
    assert live["recipient_user_id"] == "U1" and live["recipient_team_id"] == "T1"
    article = wait_done(slack, channel, thread)[0]
    assert article["ts"] == live["ts"]  # the streamed message became the article message
    [st] = slack.streams(channel, thread)
    # The draft passed its checks and streamed as it ships: chat.stopStream made it the article
    # (the credit line and the blocks in the stop), no chat.update rewrote it.
    assert st["state"] == "stopped"
    assert not [c for c in slack.calls("chat.update") if c["args"].get("ts") == st["ts"]]
    assert len(st["markdown"]) > 3000  # it really was written progressively into that message
    assert st["appends"] >= 2
    times = [t for t, _ in st["chunks"]][:-1]  # the start's text, then each append (the stop's last)
    assert all(b - a >= 0.9 for a, b in zip(times, times[1:])), times  # at most ~1 append a second
    # One message per version: the status line and the article, nothing else.
    replies = slack.messages(channel, thread, include_parent=False)
    assert len(replies) == 2, [r["text"][:80] for r in replies]
    assert button_labels(article) == BUTTONS
    assert word_count_of(article) >= 700 and "Version 1" in context_of(article)
    assert body_of(article).count("\n## ") >= 3
    kinds = [b["type"] for b in article["blocks"]]
    assert kinds[-1] == "context_actions"  # 👍 / 👎
    slack.wait_for(lambda s: "Version 1 publiée" in s.messages(channel, thread, include_parent=False)[0]["text"])


def test_a_mention_written_by_the_model_never_pings_while_streaming(bot, slack, llm, channel, sample_text):
    def hostile(request_json):
        art = write(request_json)
        art["lead"] = "<!channel> et <@U0BOSS> et @here : " + art["lead"]
        return art
    writing_slowly(llm, seconds=2.0)
    llm.script(Reply(hostile), Reply(hostile), Reply(hostile))
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    article = wait_done(slack, channel, thread)[0]
    for st in slack.streams(channel, thread):
        for _, piece in st["chunks"]:
            assert "<!" not in piece and "<@" not in piece
        assert "<!channel>" not in st["markdown"] and "<@U0BOSS>" not in st["markdown"]
        assert not re.search(r"(?<![\w.@])@here\b", st["markdown"])
    assert "<!channel>" not in markdown_of(article)


def test_a_draft_sent_back_for_repair_is_labelled_then_replaced_in_place(bot, slack, llm, channel, sample_text):
    def too_short(request_json):
        art = write(request_json)
        art["sections"] = art["sections"][:1]
        art["sections"][0]["body"] = " ".join(art["sections"][0]["body"].split()[:60])
        return art
    writing_slowly(llm, seconds=1.0)
    llm.script(Reply(too_short))  # the repair call then gets the default, good article
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    labelled = slack.wait_for(lambda s: [m for m in s.messages(channel, thread, include_parent=False)
                                         if "Brouillon en cours de vérification" in context_of(m)], timeout=30)[0]
    article = wait_done(slack, channel, thread)[0]
    assert article["ts"] == labelled["ts"]  # replaced in place by the checked version
    assert "Brouillon en cours de vérification" not in context_of(article)
    assert word_count_of(article) >= 700
    assert llm.calls == 2
    replies = slack.messages(channel, thread, include_parent=False)
    assert len(replies) == 2  # never two long copies in the thread
    assert sum(1 for m in replies if len(markdown_of(m)) > 1000) == 1


def test_a_revision_streams_its_new_version_too(bot, slack, llm, channel, sample_text):
    writing_slowly(llm, seconds=1.0)
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    v1 = wait_articles(slack, channel, thread)[0]
    sr.send(bot.url, *sr.block_actions("seo_regenerate", message=v1, channel_id=channel, slack=slack))
    v2 = wait_articles(slack, channel, thread, count=2)[1]
    assert "Version 2" in context_of(v2)
    streams = slack.streams(channel, thread)
    assert len(streams) == 2 and streams[1]["ts"] == v2["ts"]
    assert len(slack.messages(channel, thread, include_parent=False)) == 4  # 2 status lines, 2 versions


def test_feedback_is_stored_with_the_version_one_vote_per_person(bot, slack, llm, channel, sample_text, redis_server):
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    article = wait_articles(slack, channel, thread)[0]
    votes = next(b for b in article["blocks"] if b["type"] == "context_actions")["elements"][0]
    up, down = votes["positive_button"]["value"], votes["negative_button"]["value"]
    article_id = up.rsplit(":", 2)[0]
    r = redis.Redis.from_url(redis_server.url, decode_responses=True)
    key = f"seo:article:{article_id}:v1:votes"
    for user, value in (("U1", up), ("U2", down), ("U1", down)):  # U1 changes their mind
        status, _, _ = sr.send(bot.url, *sr.block_actions("seo_feedback", value=value, message=article,
                                                          channel_id=channel, user_id=user, slack=slack))
        assert status == 200
    slack.wait_for(lambda s: r.hgetall(key) == {"U1": "down", "U2": "down"}, timeout=20)
    # Acknowledged discreetly: privately to each voter, nothing new in the thread.
    slack.wait_for(lambda s: len([e for e in s.ephemerals(channel) if "noté pour la version 1" in e["text"]]) == 3)
    assert len(slack.messages(channel, thread, include_parent=False)) == 2
    # The month's usage counts each person's last vote: App Home shows 0 up, 2 down.
    slack.add_member(channel, "U1")

    def home_counts_them(s):
        event = {"type": "app_home_opened", "user": "U1", "channel": "D001", "tab": "home", "event_ts": sr.new_ts()}
        assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
        views = [c for c in s.calls("views.publish") if c["args"].get("user_id") == "U1"]
        return views and ":+1: 0 · :-1: 2" in json.dumps(views[-1]["args"]["view"], ensure_ascii=False)
    assert slack.wait_for(home_counts_them, timeout=30, interval=0.5)


def test_a_long_article_streams_within_slack_cap_then_continues_in_a_second_message(bot, slack, llm, channel,
                                                                                   sample_text):
    def long(request_json):
        art = write(request_json)
        def rotated(body, n):  # its sentences in another order: no section is a copy of another
            sentences = re.split(r"(?<=[.!?]) ", body)
            return " ".join(sentences[n % len(sentences):] + sentences[:n % len(sentences)])
        art["sections"] = art["sections"] + [dict(sec, heading=f"{sec['heading']} ({n})", body=rotated(sec["body"], n))
                                             for n in (2, 3) for sec in art["sections"]]
        return art
    writing_slowly(llm, seconds=3.0)
    llm.script(Reply(long))
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    arts = wait_done(slack, channel, thread)
    [st] = slack.streams(channel, thread)
    assert len(st["markdown"]) <= 12000  # Slack's cap for one streamed message, never hit
    assert not [c for c in slack.calls() if c["args"].get("ts") == st["ts"] and c["error"] == "msg_too_long"]
    parts = [m for m in slack.messages(channel, thread, include_parent=False) if markdown_of(m)]
    assert len(parts) >= 2 and parts[0]["ts"] == st["ts"]  # the streamed message is part 1
    assert "Suite de l’article" in context_of(parts[1])
    assert len(arts) == 1 and arts[0]["ts"] == parts[-1]["ts"]  # buttons under the last part
    body = "".join(markdown_of(m) for m in parts)
    assert body.count("\n## ") + body.startswith("## ") >= 9  # every section, none lost


def test_a_model_failing_mid_stream_leaves_no_half_article(bot, slack, llm, channel, sample_text):
    writing_slowly(llm, seconds=2.0)
    llm.script(*[StreamError(after_chunks=120)] * 3)  # the first call and both retries fail midway
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    failure = slack.wait_for(lambda s: [m for m in s.messages(channel, thread, include_parent=False)
                                        if "seo_retry" in str(m.get("blocks"))], timeout=60)[0]
    assert failure
    assert slack.streams(channel, thread)  # the draft had started streaming
    for st in slack.streams(channel, thread):
        assert slack.message(channel, st["ts"]) is None  # the half-written draft is gone
    assert not article_messages(slack, channel, thread)


# --------------------------------------------------------------------------- load and fallbacks


def test_a_burst_over_the_budgets_loses_no_text(bot, slack, llm, channel, sample_text, redis_server):
    """Slack's budgets far below what the worker expects: starts refused past 3, appends past 6 a
    minute. Every article still arrives once, whole; the refused ones are posted at once."""
    team = fresh_team()
    writing_slowly(llm, seconds=6.0)
    slack.rate_limits.update({"chat.startStream": 3, "chat.appendStream": 4})
    slack.reset_budgets()  # as if a minute had passed: for the bot's shared count too
    forget_slack_budgets(redis_server)
    try:
        channels = [f"{channel}B{i}" for i in range(8)]
        for ch in channels:
            command(bot, slack, ch, dispatch(sample_text), team=team)
        threads = {ch: thread_of(slack, ch, timeout=30) for ch in channels}
        articles = {ch: wait_articles(slack, ch, ts, timeout=120)[0] for ch, ts in threads.items()}
    finally:
        slack.rate_limits.update({"chat.startStream": 20, "chat.appendStream": 100})
        slack.reset_budgets()  # the next tests start with a fresh minute
        forget_slack_budgets(redis_server)
    articles = {ch: article_messages(slack, ch, ts)[0] for ch, ts in threads.items()}
    streamed = [st for ch, ts in threads.items() for st in slack.streams(ch, ts)]
    assert 1 <= len(streamed) <= 3, slack.dump(60)
    assert slack.rate_limited("chat.startStream") >= 1  # the start budget was hit: posted whole
    assert slack.rate_limited("chat.appendStream") >= 1, [(st["appends"], len(st["chunks"])) for st in streamed]
    bodies = {body_of(a) for a in articles.values()}
    assert len(bodies) == 1  # streamed or not, every article is the same whole text
    for ch, ts in threads.items():
        assert len(article_messages(slack, ch, ts)) == 1
        assert word_count_of(articles[ch]) >= 700
        assert len(slack.messages(ch, ts, include_parent=False)) == 2


def _posted_whole(slack, channel, thread):
    article = wait_articles(slack, channel, thread, timeout=40)[0]
    assert slack.streams(channel, thread) == []
    replies = slack.messages(channel, thread, include_parent=False)
    assert len(replies) == 2 and replies[1]["ts"] == article["ts"]
    assert "Version 1 publiée" in slack.wait_for(
        lambda s: s.messages(channel, thread, include_parent=False)[0]["text"] if "publiée" in
        s.messages(channel, thread, include_parent=False)[0]["text"] else None)
    assert not slack.ephemerals(channel)  # nothing said about streaming to the user
    return article


def test_streaming_methods_unknown_to_this_slack_post_the_article_whole(bot, slack, llm, channel, sample_text):
    slack.streaming_enabled = False
    try:
        command(bot, slack, channel, dispatch(sample_text), team=fresh_team())
        article = _posted_whole(slack, channel, thread_of(slack, channel))
    finally:
        slack.streaming_enabled = True
    assert button_labels(article) == BUTTONS
    assert any(c["method"] == "chat.startStream" and c["error"] == "unknown_method" for c in slack.calls())


def test_a_channel_that_cannot_stream_gets_the_article_whole(bot, slack, llm, channel, sample_text):
    slack.stream_unsupported_channels.add(channel)
    command(bot, slack, channel, dispatch(sample_text), team=fresh_team())
    _posted_whole(slack, channel, thread_of(slack, channel))


def test_a_refused_scope_or_token_falls_back_too(bot, slack, llm, channel, sample_text):
    for i, error in enumerate(("missing_scope", "not_allowed_token_type")):
        slack.fail("chat.startStream", error)
        ch = f"{channel}S{i}"
        command(bot, slack, ch, dispatch(sample_text), team=fresh_team())
        _posted_whole(slack, ch, thread_of(slack, ch))


def test_a_start_answered_ratelimited_posts_whole_without_waiting(bot, slack, llm, channel, sample_text,
                                                                 redis_server):
    slack.fail("chat.startStream", "ratelimited", retry_after=120)
    command(bot, slack, channel, dispatch(sample_text), team=fresh_team())
    thread = thread_of(slack, channel)
    try:
        article = _posted_whole(slack, channel, thread)  # within 40 s, not after Retry-After's 120 s
    finally:
        # Every worker now waits out the workspace's 120 s; the next tests are a later minute.
        forget_slack_budgets(redis_server)
    assert word_count_of(article) >= 700
    starts = [c for c in slack.calls("chat.startStream") if c["args"].get("channel") == channel]
    assert len(starts) == 1 and starts[0]["error"] == "ratelimited"  # never retried


def test_a_stream_slack_closed_is_finished_with_chat_update(bot, slack, llm, channel, sample_text):
    writing_slowly(llm, seconds=5.0)
    slack.stream_lifetime = 1.5
    try:
        command(bot, slack, channel, dispatch(sample_text), team=fresh_team())
        thread = thread_of(slack, channel)
        article = wait_done(slack, channel, thread)[0]
    finally:
        slack.stream_lifetime = 300.0
    [st] = slack.streams(channel, thread)
    assert st["state"] == "updated" and st["ts"] == article["ts"]
    assert any(c["method"] == "chat.appendStream" and c["error"] == "message_not_in_streaming_state"
               for c in slack.calls())
    assert word_count_of(article) >= 700 and button_labels(article) == BUTTONS
    assert len(slack.messages(channel, thread, include_parent=False)) == 2


def test_a_draft_that_code_corrects_never_shows_as_the_article(bot, slack, llm, channel, sample_text):
    """A misquotation the guard puts back by code needs no repair call, but what was streamed is not
    what ships: the stream ends labelled as a draft (no buttons on unverified text, even for a
    moment), then chat.update replaces it with the checked article."""
    from tests.fakes.fake_writer import _reword_quotes

    writing_slowly(llm, seconds=3.0)
    llm.script(Reply(lambda request: _reword_quotes(write(request))))
    command(bot, slack, channel, dispatch(sample_text))
    thread = thread_of(slack, channel)
    article = wait_done(slack, channel, thread)[0]
    [st] = slack.streams(channel, thread)
    assert "vraiment" in st["markdown"]  # the model's misquotation was streamed as it wrote it
    stop = next(c for c in slack.calls("chat.stopStream") if c["args"].get("ts") == st["ts"])
    stop_blocks = json.dumps(stop["args"].get("blocks") or [], ensure_ascii=False)
    assert "seo_regenerate" not in stop_blocks and "vérification" in stop_blocks
    assert article["ts"] == st["ts"] and "vraiment" not in body_of(article)
    assert [c for c in slack.calls("chat.update") if c["args"].get("ts") == st["ts"]]
    assert llm.calls == 1  # code fixed it: no repair call
