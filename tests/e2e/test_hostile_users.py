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


# --------------------------------------------------------------------------- snippet download

SIGN_IN_PAGE = ("<!DOCTYPE html><html><head><title>Connexion | Slack</title></head><body><h1>Connectez-vous "
                "à votre espace de travail</h1><p>" + " ".join(["Saisissez l’adresse de votre espace de travail "
                                                                "Slack pour continuer vers la page demandée."] * 8)
                + "</p></body></html>")


def _dm_with_file(bot, slack, dm, user, snippet):
    slack.set_channel(dm, is_im=True)
    msg = slack.add_message(dm, "", user=user, files=[snippet], subtype="file_share")
    event = sr.message_event("", channel=dm, user=user, ts=msg["ts"], channel_type="im",
                             subtype="file_share", files=[snippet])
    assert sr.send(bot.url, *sr.event_callback(event))[0] == 200
    return msg["ts"]


def _first_answer(slack, dm, ts):
    return slack.wait_for(lambda s: s.messages(dm, ts, include_parent=False), timeout=15)[0]


def test_a_snippet_is_fetched_only_from_slack_itself_never_by_redirect_nor_as_a_sign_in_page(
        bot, slack, llm, channel, sample_text):
    from tests.fakes.slack_api import FakeSlack

    with FakeSlack(bot_token=slack.bot_token) as elsewhere:  # same host, another port: not Slack's origin
        cases = {
            "another origin": elsewhere.add_file(dispatch(sample_text)),
            "a redirect": slack.add_file("", redirect_to=elsewhere.add_file(dispatch(sample_text),
                                                                           public=True)["url_private"]),
            "a sign-in page": slack.add_file(SIGN_IN_PAGE, served_as="text/html; charset=utf-8"),
        }
        for i, (case, snippet) in enumerate(cases.items()):
            dm = f"D{channel[1:]}{i}"
            ts = _dm_with_file(bot, slack, dm, "U7", snippet)
            answer = _first_answer(slack, dm, ts)
            # Nothing readable was attached: the bot explains how to use it; no rewrite starts.
            assert "mode d’emploi" in answer["text"], (case, answer["text"])
        assert elsewhere.calls("files.request") == []  # the token never left for another origin
    assert llm.calls == 0


def test_an_html_file_shared_as_html_is_still_read(bot, slack, llm, channel, sample_text):
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in dispatch(sample_text).split("\n\n")) + "</body></html>"
    snippet = slack.add_file(page, name="depeche.html", filetype="html", mimetype="text/html",
                             served_as="text/html")
    dm = f"D{channel[1:]}H"
    ts = _dm_with_file(bot, slack, dm, "U7", snippet)
    assert wait_articles(slack, dm, ts)
