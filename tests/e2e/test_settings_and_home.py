"""Per-channel settings (/seo-fr réglages) and the App Home."""
from __future__ import annotations

import json
import time

from tests.fakes import slack_requests as sr

from .conftest import article_messages, title_of, word_count_of
from .test_slack_flows import dispatch, parent_of, run_command, wait_articles


def open_settings(bot, slack, channel):
    run_command(bot, slack, channel, "réglages")
    return slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_settings_modal"
                                     and channel in v.get("private_metadata", "")])[-1]


def test_settings_out_of_range_are_refused_under_the_field(bot, slack, channel):
    view = open_settings(bot, slack, channel)
    for bad in ("12", "99999", "beaucoup"):
        body, headers = sr.view_submission(view, {"min_words": {"min_words_input": bad}})
        status, resp, _ = sr.send(bot.url, body, headers)
        assert status == 200
        answer = json.loads(resp)
        assert answer["response_action"] == "errors" and "entre 300 et 3" in answer["errors"]["min_words"]


def test_settings_change_the_minimum_and_the_credit_of_the_channel(bot, slack, llm, channel, sample_text):
    view = open_settings(bot, slack, channel)
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "900"},
                                              "credit": {"credit_input": "(Avec AFP et Reuters)"}})
    status, resp, _ = sr.send(bot.url, body, headers)
    assert status == 200 and not resp.strip(b"{} \n")
    confirm = slack.wait_for(lambda s: [e for e in s.ephemerals(channel) if "Réglages enregistrés" in e["text"]])
    assert "900" in confirm[-1]["text"]
    run_command(bot, slack, channel, dispatch(sample_text))
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    article = wait_articles(slack, channel, parent["ts"])[0]
    assert word_count_of(article) >= 900
    assert "Au moins 900 mots" in llm.requests[0]["messages"][-1]["content"]
    assert "(Avec AFP et Reuters)" in json.dumps(article["blocks"], ensure_ascii=False)


def test_app_home_lists_the_users_last_articles(bot, slack, channel, sample_text):
    run_command(bot, slack, channel, dispatch(sample_text), user="U77")
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    article = wait_articles(slack, channel, parent["ts"])[0]
    title = title_of(article)
    event = {"type": "app_home_opened", "user": "U77", "channel": "D077", "tab": "home", "event_ts": sr.new_ts()}
    # The article is listed once the worker has recorded it.
    def home_lists_it(s):
        time.sleep(0.2)
        assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
        views = [c for c in s.calls("views.publish") if c["args"].get("user_id") == "U77"]
        return views and title in json.dumps(views[-1]["args"]["view"], ensure_ascii=False)
    assert slack.wait_for(home_lists_it, timeout=60)
    assert len(article_messages(slack, channel, parent["ts"])) == 1


def test_a_watched_channel_rewrites_pasted_dispatches_and_ignores_chat(bot, slack, llm, channel, sample_text):
    view = open_settings(bot, slack, channel)
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "watch": {"watch_input": ["watch"]}})
    assert sr.send(bot.url, body, headers)[0] == 200
    slack.wait_for(lambda s: [e for e in s.ephemerals(channel) if "surveillance activée" in e["text"]])
    chat = slack.add_message(channel, "Quelqu’un a vu la dépêche sur l’OTAN ?", user="U8")
    assert sr.send(bot.url, *sr.event_callback(sr.message_event(chat["text"], channel=channel, user="U8",
                                                                 ts=chat["ts"])))[0] == 200
    paste = slack.add_message(channel, dispatch(sample_text), user="U8")
    assert sr.send(bot.url, *sr.event_callback(sr.message_event(paste["text"], channel=channel, user="U8",
                                                                 ts=paste["ts"])))[0] == 200
    wait_articles(slack, channel, paste["ts"])
    assert slack.messages(channel, chat["ts"], include_parent=False) == []  # chat is left alone
    assert llm.calls == 1
