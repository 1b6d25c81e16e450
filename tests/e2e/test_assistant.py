"""The assistant split view (assistant_view) and the agent Messages tab (agent_view), through real
`bot.py` processes, signed events, the fake Slack (assistant.threads.*) and the fake OpenAI."""
from __future__ import annotations

import itertools
import json

import redis

from tests.fakes import slack_requests as sr
from tests.fakes.fake_writer import write as fake_write
from tests.fakes.openai_server import Reply

from tests.harness import BotProcess, settle
from tests.redis_server import free_port

from .conftest import article_messages, button_labels, context_of, title_of
from .test_settings_and_home import open_settings
from .test_slack_flows import dispatch, wait_articles
from .test_usage import home_for

PROMPT_TITLES = ["Réécrire une dépêche collée", "Titres pour cette dépêche", "Réseaux sociaux", "Aide"]
BUTTONS = ["Régénérer", "Raccourcir", "Changer le mot-clé", "Exporter", "Titres", "Réseaux sociaux"]
_people = itertools.count(500)


def person():
    """A fresh user and their DM with the app."""
    n = next(_people)
    user, dm = f"U{n:05d}", f"D{n:05d}"
    return user, dm


def open_assistant(bot, slack, user, dm, context_channel=None):
    thread = slack.assistant_thread(dm, user=user)
    event = sr.assistant_thread_started_event(dm, thread, user, context_channel=context_channel)
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    slack.wait_for(lambda s: [p for p in s.suggested_prompts if p["thread_ts"] == thread])
    return thread


def write(bot, slack, user, dm, thread, text, **extra):
    msg = slack.add_message(dm, text, user=user, thread_ts=thread)
    event = sr.message_event(text, channel=dm, user=user, ts=msg["ts"], thread_ts=thread, channel_type="im",
                             parent_user_id="UBOT", **extra)
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    return msg


def set_house_style(bot, slack, channel, rule):
    view = open_settings(bot, slack, channel)
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "house_style": {"house_style_input": rule}})
    assert sr.send(bot.url, body, headers)[0] == 200
    slack.wait_for(lambda s: [e for e in s.ephemerals(channel) if "consignes de la rédaction enregistrées" in e["text"]])


def bot_replies(slack, dm, thread) -> list[dict]:
    return [m for m in slack.messages(dm, thread, include_parent=False) if m.get("bot_id")]


def last_prompt(llm) -> str:
    return llm.requests[-1]["messages"][-1]["content"]


def test_a_new_assistant_thread_gets_a_french_greeting_and_four_prompts(bot, slack, channel):
    user, dm = person()
    thread = open_assistant(bot, slack, user, dm, context_channel=channel)
    prompts = [p for p in slack.suggested_prompts if p["thread_ts"] == thread][-1]
    assert [p["title"] for p in prompts["prompts"]] == PROMPT_TITLES
    assert all(p["message"].strip() for p in prompts["prompts"])
    greeting = slack.wait_for(lambda s: bot_replies(s, dm, thread))[0]
    assert greeting["text"].startswith("Bonjour") and f"<#{channel}>" in greeting["text"]
    # Each prompt has an answer in a thread without an article yet: help, or « collez la dépêche ».
    for p in prompts["prompts"]:
        before = len(bot_replies(slack, dm, thread))
        write(bot, slack, user, dm, thread, p["message"])
        answer = slack.wait_for(lambda s: bot_replies(s, dm, thread)[before:])[0]
        assert ("mode d’emploi" in answer["text"]) if p["title"] == "Aide" else ("collez" in answer["text"].lower())


def test_a_paste_shows_status_streams_the_article_titles_the_thread_and_revises(bot, slack, llm, channel,
                                                                                 sample_text):
    user, dm = person()
    thread = open_assistant(bot, slack, user, dm)
    write(bot, slack, user, dm, thread, dispatch(sample_text))
    v1 = wait_articles(slack, dm, thread)[0]
    statuses = [s for s in slack.statuses if s["channel_id"] == dm and s["thread_ts"] == thread]
    assert any(s["status"] == "rédige l’article…" and s["loading_messages"] for s in statuses), statuses
    assert any(s["status"] == "vérifie les citations…" for s in statuses), statuses
    streams = slack.streams(dm, thread)
    assert streams, "the article is streamed into the assistant thread"
    # Its steps show as a plan (task_update chunks) that ends with every step complete.
    assert streams[0]["plan"] == "Réécriture de la dépêche" and streams[0]["task_display_mode"] == "plan"
    assert [t["title"] for t in streams[0]["tasks"].values()] == [
        "Rédaction de l’article", "Vérification de fidélité", "Analyse SEO"]
    assert {t["status"] for t in streams[0]["tasks"].values()} == {"complete"}
    assert streams[0]["task_log"][0] == ("drafting", "in_progress")
    slack.wait_for(lambda s: s.title_of(dm, thread) == title_of(v1))
    assert button_labels(v1)[:6] == BUTTONS
    assert llm.calls == 1  # one job, one draft: the same pipeline as a DM

    # A button works there as in a channel…
    body, headers = sr.block_actions("seo_change_keyword", message=v1, slack=slack, user_id=user, channel_id=dm)
    assert sr.send(bot.url, body, headers)[0] == 200
    slack.wait_for(lambda s: [v for v in s.views if v.get("callback_id") == "seo_keyword_modal"])
    # …and a reply revises the latest version, whose title becomes the thread's.
    write(bot, slack, user, dm, thread, "mot-clé : secrétaire général de l’OTAN")
    v2 = wait_articles(slack, dm, thread, 2)[1]
    assert "secrétaire général de l’OTAN" in context_of(v2)
    slack.wait_for(lambda s: s.title_of(dm, thread) == title_of(v2))


def test_a_snippet_pasted_in_an_assistant_thread_is_rewritten_once_despite_retries(bot, slack, llm, channel,
                                                                                  sample_text):
    user, dm = person()
    thread = open_assistant(bot, slack, user, dm)
    snippet = slack.add_file(dispatch(sample_text), name="depeche.txt")
    msg = slack.add_message(dm, "Mot-clé souhaité : OTAN", user=user, thread_ts=thread, files=[snippet],
                            subtype="file_share")
    req = sr.event_callback(sr.message_event(msg["text"], channel=dm, user=user, ts=msg["ts"], thread_ts=thread,
                                             channel_type="im", subtype="file_share", files=[snippet]))
    assert sr.send(bot.url, *req)[0] == 200
    for n in (1, 2):  # Slack's retries of the same event
        assert sr.send(bot.url, *sr.retry(req, num=n))[0] == 200
    wait_articles(slack, dm, thread)
    settle(slack, llm, redis_url=bot.env["REDIS_URL"])
    assert len(article_messages(slack, dm, thread)) == 1 and llm.calls == 1
    assert [c for c in slack.calls("files.download") if c["args"]["file"] == snippet["id"]]


def test_thanks_in_a_thread_that_is_not_an_article_get_no_answer(bot, slack, llm, channel):
    user, dm = person()
    root = slack.add_message(dm, "bonjour", user=user)
    write(bot, slack, user, dm, root["ts"], "Merci !")
    settle(slack, llm, redis_url=bot.env["REDIS_URL"])
    assert bot_replies(slack, dm, root["ts"]) == [] and llm.calls == 0


def test_a_draft_repaired_in_an_assistant_thread_ends_its_plan_and_is_replaced_in_place(bot, slack, llm, channel,
                                                                                       sample_text):
    def too_short(request_json):
        art = fake_write(request_json)
        art["sections"] = art["sections"][:1]
        art["sections"][0]["body"] = " ".join(art["sections"][0]["body"].split()[:60])
        return art
    llm.script(Reply(too_short))  # the repair call then gets the default, good article
    user, dm = person()
    thread = open_assistant(bot, slack, user, dm)
    write(bot, slack, user, dm, thread, dispatch(sample_text))
    article = wait_articles(slack, dm, thread)[0]
    stream = slack.streams(dm, thread)[0]
    assert article["ts"] == stream["ts"] and "Brouillon en cours de vérification" not in context_of(article)
    assert {t["status"] for t in stream["tasks"].values()} == {"complete"}
    assert any(st == "corrige l’article…" for st in
               [x["status"] for x in slack.statuses if x["thread_ts"] == thread])
    assert llm.calls == 2


def test_the_titles_prompt_under_an_article_runs_the_titles_job(bot, slack, llm, channel, sample_text):
    user, dm = person()
    thread = open_assistant(bot, slack, user, dm)
    write(bot, slack, user, dm, thread, dispatch(sample_text))
    wait_articles(slack, dm, thread)
    write(bot, slack, user, dm, thread, "Propose des titres pour cette dépêche.")
    slack.wait_for(lambda s: [m for m in s.messages(dm, thread) if "Titres proposés" in (m.get("text") or "")],
                   timeout=60)
    assert llm.calls == 2
    # A second dispatch in the same thread: one article per assistant thread, said so, nothing run.
    write(bot, slack, user, dm, thread, dispatch(sample_text))
    slack.wait_for(lambda s: [m for m in bot_replies(s, dm, thread) if "nouvelle conversation" in m["text"]])
    settle(slack, llm, redis_url=bot.env["REDIS_URL"])
    assert llm.calls == 2 and len(article_messages(slack, dm, thread)) == 1


def test_the_house_style_of_the_channel_in_view_reaches_the_model(bot, slack, llm, channel, sample_text):
    user, dm = person()
    rule = "Écrire « Otan » en minuscules et « président » sans majuscule."
    set_house_style(bot, slack, channel, rule)
    slack.add_member(channel, user)
    thread = open_assistant(bot, slack, user, dm, context_channel=channel)
    llm.reset()
    write(bot, slack, user, dm, thread, dispatch(sample_text))
    wait_articles(slack, dm, thread)
    assert rule in last_prompt(llm)

    # The context moves to a channel without a house style: the next thread's article has none.
    other = channel + "B"
    slack.add_member(other, user)
    thread2 = open_assistant(bot, slack, user, dm, context_channel=channel)
    event = sr.assistant_thread_context_changed_event(dm, thread2, user, context_channel=other)
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    # The web process keeps the context in Redis, where every web process finds it.
    r = redis.Redis.from_url(bot.env["REDIS_URL"], decode_responses=True)
    slack.wait_for(lambda s: other in (r.get(f"seo:assistant:context:{dm}:{thread2}") or ""))
    write(bot, slack, user, dm, thread2, dispatch(sample_text))
    wait_articles(slack, dm, thread2)
    assert rule not in last_prompt(llm)


def test_a_second_web_process_finds_the_context_the_first_one_saved(bot, slack, llm, channel, sample_text):
    rule = "Dire « l’Alliance atlantique » plutôt que « l’organisation »."
    set_house_style(bot, slack, channel, rule)
    user, dm = person()
    slack.add_member(channel, user)
    thread = open_assistant(bot, slack, user, dm, context_channel=channel)  # seen by the first web process
    other_web = BotProcess("web", dict(bot.env, PORT=str(free_port()))).start()
    try:
        llm.reset()
        msg = slack.add_message(dm, dispatch(sample_text), user=user, thread_ts=thread)
        event = sr.message_event(msg["text"], channel=dm, user=user, ts=msg["ts"], thread_ts=thread,
                                 channel_type="im")
        assert sr.send(other_web.url, *sr.event_callback(event))[0] == 200
        wait_articles(slack, dm, thread)
    finally:
        other_web.stop()
    assert rule in last_prompt(llm)


def test_a_context_channel_the_user_is_not_in_is_ignored(bot, slack, llm, channel, sample_text):
    user, dm = person()
    rule = "Toujours citer le chef d’état-major en premier."
    set_house_style(bot, slack, channel, rule)
    slack.add_member(channel, "USOMEONE")  # the user is not a member
    thread = open_assistant(bot, slack, user, dm, context_channel=channel)
    llm.reset()
    write(bot, slack, user, dm, thread, dispatch(sample_text))
    wait_articles(slack, dm, thread)
    assert rule not in json.dumps(llm.requests, ensure_ascii=False)
    assert any(c["args"].get("channel") == channel for c in slack.calls("conversations.members"))


def test_app_home_counts_the_assistant_article_in_its_context_channel(bot, slack, llm, channel, sample_text):
    user, dm = person()
    colleague, _ = person()  # in the channel, never in the requester's DM
    slack.add_member(channel, user, colleague)
    thread = open_assistant(bot, slack, user, dm, context_channel=channel)
    write(bot, slack, user, dm, thread, dispatch(sample_text))
    wait_articles(slack, dm, thread)
    # The colleague's App Home counts it: it belongs to the channel the article was made for.
    home_for(bot, slack, colleague, lambda t: "Articles : *1*".replace(" :", "\u00a0:") in t
             or "Articles : *1*" in t, timeout=60)


def test_a_failing_set_status_never_fails_the_job(bot, slack, llm, channel, sample_text):
    user, dm = person()
    thread = open_assistant(bot, slack, user, dm)
    slack.fail("assistant.threads.setStatus", "internal_error", times=None, status=500)
    try:
        write(bot, slack, user, dm, thread, dispatch(sample_text))
        article = wait_articles(slack, dm, thread)[0]
        slack.wait_for(lambda s: s.title_of(dm, thread) == title_of(article))
    finally:
        slack.clear_failures("assistant.threads.setStatus")
    assert [c for c in slack.calls("assistant.threads.setStatus") if c["args"].get("channel_id") == dm
            and not c["ok"]]
    assert not [m for m in slack.messages(dm, thread) if (m.get("text") or "").startswith(":x:")]


def test_agent_view_messages_tab_gets_prompts_and_one_greeting(bot, slack, sample_text):
    user, dm = person()
    for _ in range(2):
        before = len(slack.suggested_prompts)
        assert sr.send(bot.url, *sr.event_callback(sr.app_home_opened_event(user, dm, tab="messages")))[0] == 200
        slack.wait_for(lambda s: len([p for p in s.suggested_prompts if p["channel_id"] == dm]) > 0
                       and len(s.suggested_prompts) > before)
    prompts = [p for p in slack.suggested_prompts if p["channel_id"] == dm]
    assert len(prompts) == 2 and all(p["thread_ts"] is None for p in prompts)
    assert [p["title"] for p in prompts[-1]["prompts"]] == PROMPT_TITLES
    greetings = slack.wait_for(lambda s: [m for m in s.messages(dm) if m["text"].startswith("Bonjour")])
    assert len(greetings) == 1
    assert not slack.calls("views.publish") or all(c["args"].get("user_id") != user
                                                   for c in slack.calls("views.publish"))
    # A dispatch written there (top level, as in any DM) is answered in its thread.
    msg = slack.add_message(dm, dispatch(sample_text), user=user)
    event = sr.message_event(msg["text"], channel=dm, user=user, ts=msg["ts"], channel_type="im")
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    wait_articles(slack, dm, msg["ts"])


def test_without_the_assistant_the_dm_and_home_stay_as_they_were(bot, slack, sample_text):
    """An app or workspace without assistant features: prompts refused, no greeting, DMs unchanged."""
    user, dm = person()
    slack.fail("assistant.threads.setSuggestedPrompts", "unknown_method", times=None)
    try:
        assert sr.send(bot.url, *sr.event_callback(sr.app_home_opened_event(user, dm, tab="messages")))[0] == 200
        slack.wait_for(lambda s: [c for c in s.calls("assistant.threads.setSuggestedPrompts")
                                  if c["args"].get("channel_id") == dm])
    finally:
        slack.clear_failures("assistant.threads.setSuggestedPrompts")
    msg = slack.add_message(dm, dispatch(sample_text), user=user)
    event = sr.message_event(msg["text"], channel=dm, user=user, ts=msg["ts"], channel_type="im")
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    wait_articles(slack, dm, msg["ts"])
    assert not [m for m in slack.messages(dm) if m["text"].startswith("Bonjour")]
    home_for(bot, slack, user, lambda t: "Réécriture" in t or "article" in t.lower())


def test_a_slack_refusing_plan_chunks_streams_plain_markdown_and_remembers(bot, slack, llm, channel, sample_text):
    """Kept last: the worker remembers the refusal for the rest of this module."""
    slack.stream_chunk_types.difference_update({"task_update", "plan_update"})
    try:
        for _ in range(2):
            user, dm = person()
            thread = open_assistant(bot, slack, user, dm)
            write(bot, slack, user, dm, thread, dispatch(sample_text))
            article = wait_articles(slack, dm, thread)[0]
            assert button_labels(article)[:6] == BUTTONS
            stream = slack.streams(dm, thread)[-1]
            assert stream["mode"] == "markdown" and stream["plan"] is None
            assert stream["markdown"].startswith("# ")
        refused = [c for c in slack.calls("chat.startStream") if not c["ok"] and c["error"] == "invalid_chunks"]
        assert len(refused) == 1  # asked once, then remembered
    finally:
        slack.stream_chunk_types.update({"task_update", "plan_update"})
