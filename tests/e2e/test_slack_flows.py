"""Every Slack flow, driven over HTTP exactly as Slack drives it (signed requests built from
the bot's own messages and modals), with the Web API at SLACK_API_URL."""
from __future__ import annotations

import json


from tests.exports import PageReader, front_matter
from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Error, Hang
from tests.harness import settle

from .conftest import article_messages, button_labels, context_of, is_streamed, markdown_of, word_count_of

BUTTONS = ["Régénérer", "Raccourcir", "Changer le mot-clé", "Exporter", "Titres", "Réseaux sociaux"]


def dispatch(sample_text: str) -> str:
    return sample_text.split("\n", 1)[1]  # without the editor's English instruction line


def run_command(bot, slack, channel, text, user="U1"):
    body, headers = sr.slash_command(text, channel_id=channel, user_id=user, slack=slack)
    status, resp, elapsed = sr.send(bot.url, body, headers)
    assert status == 200, resp
    assert elapsed < 3.0  # Slack's deadline; the benchmark measures the real figure
    return resp


def parent_of(slack, channel):
    parents = [m for m in slack.messages(channel) if not m.get("thread_ts") or m["thread_ts"] == m["ts"]]
    assert parents, slack.dump()
    return parents[0]


def wait_articles(slack, channel, thread_ts, count=1, timeout=90):
    return slack.wait_for(lambda s: (lambda arts: arts if len(arts) >= count else None)(
        article_messages(s, channel, thread_ts)), timeout=timeout)


def test_slash_command_posts_parent_then_article_in_its_thread(bot, slack, llm, channel, sample_text):
    run_command(bot, slack, channel, sample_text)
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    assert "Réécriture SEO demandée par <@U1>" in parent["text"]
    article = wait_articles(slack, channel, parent["ts"])[0]
    assert button_labels(article) == BUTTONS
    assert word_count_of(article) >= 700
    body = markdown_of(article).replace("\u00a0", " ").replace("\u202f", " ")
    assert body.count("\n## ") >= 3
    assert "« Les Ukrainiens progressent, progressent »" in body
    assert "Version 1" in context_of(article)
    if not is_streamed(slack, article):  # a streamed message's text is Slack's (what was streamed)
        assert len(article["text"]) <= 300  # the notification text stays short
    assert llm.calls >= 1
    # The status line followed the job and ends on the result.
    slack.wait_for(lambda s: "Version 1 publiée" in s.messages(channel, parent["ts"], include_parent=False)[0]["text"])


def test_slash_command_alone_opens_the_modal_whose_submission_starts_a_rewrite(bot, slack, channel, sample_text):
    run_command(bot, slack, channel, "")
    view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_dispatch_modal"
                                                and channel in v.get("private_metadata", "")])[-1]
    short = dispatch(sample_text)[:2900].rsplit(" ", 1)[0]
    body, headers = sr.view_submission(view, {"dispatch": {"dispatch_input": short},
                                              "keyword": {"keyword_input": "Stoltenberg"}})
    status, _, _ = sr.send(bot.url, body, headers)
    assert status == 200
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    article = wait_articles(slack, channel, parent["ts"])[0]
    assert "Stoltenberg" in context_of(article)


def test_modal_refuses_a_ten_word_dispatch_under_the_field(bot, slack, channel):
    run_command(bot, slack, channel, "")
    view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_dispatch_modal"
                                                and channel in v.get("private_metadata", "")])[-1]
    body, headers = sr.view_submission(view, {"dispatch": {"dispatch_input": "un deux trois quatre cinq six sept huit neuf dix"}})
    status, resp, _ = sr.send(bot.url, body, headers)
    answer = json.loads(resp)
    assert answer["response_action"] == "errors"
    assert "trop court" in answer["errors"]["dispatch"]


def test_help_is_visible_only_to_the_caller(bot, slack, channel):
    run_command(bot, slack, channel, "aide")
    eph = slack.wait_for(lambda s: [e for e in s.ephemerals(channel)])
    assert "/seo-fr" in json.dumps(eph[-1], ensure_ascii=False)
    assert slack.messages(channel) == []


def test_bad_input_gets_a_french_message_and_no_llm_call(bot, slack, llm, channel):
    run_command(bot, slack, channel, "un deux trois quatre cinq six sept huit neuf dix")
    eph = slack.wait_for(lambda s: s.ephemerals(channel))
    assert "trop court" in eph[-1]["text"]
    assert llm.calls == 0
    assert slack.messages(channel) == []


def test_bot_not_in_a_private_channel_tells_the_caller_how_to_invite_it(bot, slack, channel, sample_text):
    slack.set_channel(channel, member=False, is_private=True)
    slack.fail("conversations.join", "method_not_supported_for_channel_type")
    run_command(bot, slack, channel, dispatch(sample_text))
    eph = slack.wait_for(lambda s: s.ephemerals(channel))
    assert "/invite" in eph[-1]["text"]


def test_buttons_shorten_change_keyword_export_and_regenerate(bot, slack, channel, sample_text):
    run_command(bot, slack, channel, dispatch(sample_text))
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    v1 = wait_articles(slack, channel, parent["ts"])[0]
    words_v1 = word_count_of(v1)

    # Raccourcir: shorter, never under the minimum.
    body, headers = sr.block_actions("seo_shorten", message=v1, slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200
    v2 = wait_articles(slack, channel, parent["ts"], 2)[1]
    assert 700 <= word_count_of(v2) < words_v1
    assert "Version 2" in context_of(v2)

    # Changer le mot-clé: a modal at once, then a version for the chosen keyword.
    body, headers = sr.block_actions("seo_change_keyword", message=v2, slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200
    view = slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_keyword_modal"])[-1]
    body, headers = sr.view_submission(view, {"keyword": {"keyword_input": "sommet de Vilnius"}})
    assert sr.send(bot.url, body, headers)[0] == 200
    v3 = wait_articles(slack, channel, parent["ts"], 3)[2]
    assert "sommet de Vilnius" in context_of(v3)

    # Exporter: article.md and article.html in the thread.
    body, headers = sr.block_actions("seo_export", message=v3, slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200
    files = slack.wait_for(lambda s: s.files if len(s.files) >= 2 else None)
    names = {f["filename"] for f in files[-2:]}
    assert names == {"article.md", "article.html"}
    md = next(f for f in files[-2:] if f["filename"] == "article.md")
    assert md["thread_ts"] == parent["ts"]
    meta, _ = front_matter(md["content"].decode())
    assert meta["focus_keyword"] == "sommet de Vilnius"
    html = next(f for f in files[-2:] if f["filename"] == "article.html")
    assert PageReader(html["content"].decode()).ld()["@type"] == "NewsArticle"

    # Régénérer on the old version 1 message acts on version 1 and yields version 4.
    body, headers = sr.block_actions("seo_regenerate", message=v1, slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200
    v4 = wait_articles(slack, channel, parent["ts"], 4)[3]
    assert "Version 4" in context_of(v4)


def test_thread_reply_is_a_revision_and_a_retried_event_runs_once(bot, slack, llm, channel, sample_text):
    run_command(bot, slack, channel, dispatch(sample_text))
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    wait_articles(slack, channel, parent["ts"])
    calls_before = llm.calls
    thanks = slack.add_message(channel, "Merci ! :tada:", user="U2", thread_ts=parent["ts"])
    assert sr.send(bot.url, *sr.event_callback(sr.message_event(
        thanks["text"], channel=channel, user="U2", ts=thanks["ts"], thread_ts=parent["ts"])))[0] == 200
    reply = slack.add_message(channel, "mot-clé : secrétaire général de l’OTAN", user="U2", thread_ts=parent["ts"])
    event = sr.message_event(reply["text"], channel=channel, user="U2", ts=reply["ts"], thread_ts=parent["ts"])
    req = sr.event_callback(event)
    assert sr.send(bot.url, *req)[0] == 200
    for n in (1, 2, 3):  # Slack's retries: same event_id, X-Slack-Retry-Num
        assert sr.send(bot.url, *sr.retry(req, num=n))[0] == 200
    v2 = wait_articles(slack, channel, parent["ts"], 2)[1]
    assert "secrétaire général de l’OTAN" in context_of(v2)
    settle(slack, llm, redis_url=bot.env["REDIS_URL"])
    assert len(article_messages(slack, channel, parent["ts"])) == 2
    assert llm.calls - calls_before == 1  # one revision job, one call


def test_dm_dispatch_is_answered_in_its_thread(bot, slack, sample_text):
    dm = "D0000042"
    slack.set_channel(dm, is_im=True)
    msg = slack.add_message(dm, dispatch(sample_text), user="U3")
    event = sr.message_event(msg["text"], channel=dm, user="U3", ts=msg["ts"], channel_type="im")
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    article = wait_articles(slack, dm, msg["ts"])[0]
    assert word_count_of(article) >= 700
    shown = [c["args"]["status"] for c in slack.calls("assistant.threads.setStatus")
             if c["args"].get("channel_id") == dm]
    assert "rédige l’article…" in shown  # the native status of a DM thread, where Slack has it


def test_mention_with_a_dispatch_is_rewritten_once_despite_two_events(bot, slack, llm, channel, sample_text):
    msg = slack.add_message(channel, "<@UBOT> " + dispatch(sample_text), user="U4")
    for event in (sr.app_mention_event(msg["text"], channel=channel, user="U4", ts=msg["ts"]),
                  sr.message_event(msg["text"], channel=channel, user="U4", ts=msg["ts"])):
        assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    wait_articles(slack, channel, msg["ts"])
    settle(slack, llm, redis_url=bot.env["REDIS_URL"])
    assert len(article_messages(slack, channel, msg["ts"])) == 1
    assert llm.calls == 1


def test_forged_and_stale_requests_get_401(bot, slack, sample_text):
    req = sr.slash_command(sample_text, channel_id="C999999", slack=slack)
    assert sr.send(bot.url, *sr.forged(req))[0] == 401
    assert sr.send(bot.url, *sr.stale(sr.slash_command("x", slack=slack)))[0] == 401
    assert slack.messages("C999999") == []


def test_llm_failure_shows_a_french_message_and_retry_works(bot, slack, llm, channel, sample_text):
    llm.script(*[Error(500)] * 3)  # one call and the client's two retries
    run_command(bot, slack, channel, dispatch(sample_text))
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    failure = slack.wait_for(lambda s: [m for m in s.messages(channel, parent["ts"], include_parent=False)
                                        if "Réessayer" in json.dumps(m.get("blocks"), ensure_ascii=False)], timeout=90)[0]
    assert "panne" in failure["text"] or "modèle" in failure["text"]
    body, headers = sr.block_actions("seo_retry", message=failure, slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200
    article = wait_articles(slack, channel, parent["ts"], timeout=90)[0]
    assert button_labels(article) == BUTTONS


def test_a_second_click_while_a_job_runs_starts_nothing_and_says_so(bot, slack, llm, channel, sample_text):
    run_command(bot, slack, channel, dispatch(sample_text))
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    v1 = wait_articles(slack, channel, parent["ts"])[0]
    llm.script(Hang(2.0))  # the next job takes 2 s
    sr.send(bot.url, *sr.block_actions("seo_regenerate", message=v1, slack=slack))
    slack.wait_for(lambda s: llm.in_flight >= 1, timeout=60)  # the first click's job is running
    sr.send(bot.url, *sr.block_actions("seo_regenerate", message=v1, slack=slack))
    eph = slack.wait_for(lambda s: [e for e in s.ephemerals(channel) if "déjà en cours" in e["text"]])
    assert eph
    wait_articles(slack, channel, parent["ts"], 2)
    settle(slack, llm, redis_url=bot.env["REDIS_URL"])
    assert len(article_messages(slack, channel, parent["ts"])) == 2


def test_an_unreachable_response_url_falls_back_to_an_ephemeral_message(bot, slack, channel):
    body, headers = sr.slash_command("aide", channel_id=channel, slack=slack,
                                     response_url="http://127.0.0.1:9/nowhere")
    assert sr.send(bot.url, body, headers)[0] == 200
    eph = slack.wait_for(lambda s: s.ephemerals(channel))
    assert eph[-1]["via"] == "chat.postEphemeral" and "/seo-fr" in json.dumps(eph[-1], ensure_ascii=False)


def test_a_dispatch_pasted_as_a_text_snippet_is_read_and_rewritten(bot, slack, sample_text):
    dm = "D0000077"
    slack.set_channel(dm, is_im=True)
    snippet = slack.add_file(dispatch(sample_text), name="depeche.txt")
    msg = slack.add_message(dm, "", user="U5", files=[snippet], subtype="file_share")
    event = sr.message_event("", channel=dm, user="U5", ts=msg["ts"], channel_type="im",
                             subtype="file_share", files=[snippet])
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    article = wait_articles(slack, dm, msg["ts"])[0]
    assert word_count_of(article) >= 700
    assert slack.calls("files.download")


def test_a_file_shared_in_an_ordinary_channel_is_not_read(bot, slack, llm, channel, sample_text):
    before = len(slack.calls("files.download"))
    shared = slack.add_file(dispatch(sample_text), name="notes.txt")
    msg = slack.add_message(channel, "Pour info", user="U6", files=[shared], subtype="file_share")
    event = sr.message_event("Pour info", channel=channel, user="U6", ts=msg["ts"], subtype="file_share",
                             files=[shared])
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    settle(slack, llm, redis_url=bot.env["REDIS_URL"])
    assert len(slack.calls("files.download")) == before
    assert slack.messages(channel, msg["ts"], include_parent=False) == []
