"""A model that answers the schema with empty or placeholder fields, driven over signed Slack
requests: one repair call, then a French failure with « Réessayer » in the thread — never the
texts announced as ready, never « ✅ … conformes » over nothing — and a repair that gives the
texts ships as usual."""
from __future__ import annotations

import copy
import json

import pytest

from tests.fakes import fake_writer
from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Reply

from .conftest import article_messages, title_of
from .test_short_copy import _article, _click, _thread_message
from .test_slack_flows import dispatch, parent_of, run_command, wait_articles

SOCIAL_READY = "Les textes pour les réseaux sociaux sont prêts"
CONFORM = "conformes à la dépêche"


def _dump(message) -> str:
    return json.dumps(message, ensure_ascii=False)


def _failure(slack, channel, thread_ts):
    """The thread's failure message (the one carrying « Réessayer »)."""
    return slack.wait_for(lambda s: next((m for m in s.messages(channel, thread_ts, include_parent=False)
                                          if "seo_retry" in _dump(m.get("blocks"))), None), timeout=90)


def _status(slack, channel, thread_ts, marker):
    return slack.wait_for(lambda s: next((m for m in s.messages(channel, thread_ts, include_parent=False)
                                          if marker in (m.get("text") or "")), None), timeout=60)


def _thread_text(slack, channel, thread_ts) -> str:
    """Everything the thread shows but the article messages (whose own fidelity line is not ours)."""
    arts = {m["ts"] for m in article_messages(slack, channel, thread_ts)}
    return "\n".join(_dump(m) for m in slack.messages(channel, thread_ts, include_parent=False)
                     if m["ts"] not in arts)


def _retry(bot, slack, failure):
    body, headers = sr.block_actions("seo_retry", message=failure, slack=slack)
    assert sr.send(bot.url, body, headers)[0] == 200


def _spoilt(writer, fn):
    def reply(request):
        out = copy.deepcopy(writer(request))
        fn(out)
        return out
    return Reply(reply)


EMPTY_SOCIAL = {"push": "", "x_post": "", "facebook": "", "newsletter": ""}


@pytest.mark.parametrize("reply", [
    EMPTY_SOCIAL,
    {"push": " ", "x_post": "\n", "facebook": "...", "newsletter": "N/A"},
    {"push": "Otan", "x_post": "Otan", "facebook": "Otan.", "newsletter": "Otan."},
], ids=["empty", "blank or placeholder", "one word"])
def test_empty_social_copy_is_a_french_failure_with_retry_never_a_ready_message(
        bot, slack, llm, channel, sample_text, reply):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    calls = llm.calls
    llm.script(Reply(reply), Reply(reply))  # the call and its one repair
    _click(bot, slack, "seo_social", v1)
    failure = _failure(slack, channel, parent["ts"])
    assert failure["text"].startswith(":x: Le modèle a rendu des textes incomplets pour les réseaux sociaux")
    shown = failure["blocks"][0]["text"]["text"]
    for label in ("alerte push", "post pour X", "post Facebook / LinkedIn", "newsletter"):
        assert label in shown, label
    assert "Réessayer" in _dump(failure["blocks"])
    _status(slack, channel, parent["ts"], "n’ont pas pu être rédigés")
    assert llm.calls == calls + 2
    repair = llm.requests[-1]["messages"][-1]["content"]
    assert "## Correction demandée" in repair and "L’alerte push" in repair
    thread = _thread_text(slack, channel, parent["ts"])
    assert SOCIAL_READY not in thread, thread
    assert CONFORM not in thread and "Textes pour les réseaux sociaux" not in thread

    # Réessayer: the same request again, answered this time.
    _retry(bot, slack, failure)
    post = _thread_message(slack, channel, parent["ts"], "Textes pour les réseaux sociaux")
    assert CONFORM in _dump(post["blocks"]) and "0/120 car." not in _dump(post["blocks"])
    _status(slack, channel, parent["ts"], SOCIAL_READY)


def test_social_copy_repaired_in_one_call_ships_normally(bot, slack, llm, channel, sample_text):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    calls = llm.calls
    llm.script(_spoilt(fake_writer.write_social, lambda r: r.update(push="", newsletter=r["facebook"])))
    _click(bot, slack, "seo_social", v1)
    post = _thread_message(slack, channel, parent["ts"], "Textes pour les réseaux sociaux")
    _status(slack, channel, parent["ts"], SOCIAL_READY)
    assert llm.calls == calls + 2  # the call and one repair
    texts = [b["text"]["text"] for b in post["blocks"] if "car.)" in b.get("text", {}).get("text", "")]
    assert len(texts) == 4 and not any("(0/" in t for t in texts)
    assert "seo_retry" not in _thread_text(slack, channel, parent["ts"])


@pytest.mark.parametrize("spoil", [
    lambda r: [t.update(title="") for t in r["titles"]],
    lambda r: r["titles"][3].update(title=r["titles"][0]["title"]),
    lambda r: r["titles"][4].update(title="TODO"),
], ids=["five empty", "a duplicate", "a placeholder"])
def test_titles_that_stay_incomplete_are_a_french_failure_with_retry(bot, slack, llm, channel, sample_text, spoil):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    calls = llm.calls
    bad = _spoilt(fake_writer.write_titles, spoil)
    llm.script(bad, bad)
    _click(bot, slack, "seo_titles", v1)
    failure = _failure(slack, channel, parent["ts"])
    assert failure["text"].startswith(":x: Le modèle a rendu des titres incomplets")
    assert "Réessayer" in _dump(failure["blocks"])
    _status(slack, channel, parent["ts"], "Les titres n’ont pas pu être proposés")
    assert llm.calls == calls + 2
    thread = _thread_text(slack, channel, parent["ts"])
    assert "Titres possibles" not in thread and "Titres proposés" not in thread

    _retry(bot, slack, failure)
    titles = _thread_message(slack, channel, parent["ts"], "Titres possibles pour la version 1")
    assert _dump(titles["blocks"]).count("Choisir") == 5


def test_titles_repaired_in_one_call_are_five(bot, slack, llm, channel, sample_text):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    calls = llm.calls
    llm.script(_spoilt(fake_writer.write_titles, lambda r: r["titles"][2].update(title="")))
    _click(bot, slack, "seo_titles", v1)
    titles = _thread_message(slack, channel, parent["ts"], "Titres possibles pour la version 1")
    assert llm.calls == calls + 2 and _dump(titles["blocks"]).count("Choisir") == 5


@pytest.mark.parametrize("field, value", [("title", ""), ("lead", "   "), ("meta_description", "Otan")],
                         ids=["empty title", "blank lead", "one-word meta description"])
def test_an_article_that_stays_incomplete_is_a_french_failure_with_retry(bot, slack, llm, channel, sample_text,
                                                                         field, value):
    bad = _spoilt(fake_writer.write, lambda a: a.update({field: value}))
    llm.script(bad, bad)
    run_command(bot, slack, channel, dispatch(sample_text))
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    failure = _failure(slack, channel, parent["ts"])
    assert failure["text"].startswith(":x: Le modèle a rendu un article incomplet")
    assert {"title": "titre", "lead": "chapô", "meta_description": "méta-description"}[field] in \
        failure["blocks"][0]["text"]["text"]
    _status(slack, channel, parent["ts"], "La réécriture a échoué")
    assert llm.calls == 2 and not article_messages(slack, channel, parent["ts"])
    assert "publiée" not in _thread_text(slack, channel, parent["ts"])
    # The draft streamed while the model wrote it (SEO_STREAM=on) is gone with the failure.
    assert slack.streams(channel, parent["ts"])
    assert not [m for m in slack.messages(channel, parent["ts"], include_parent=False)
                if (m.get("text") or "").startswith("# ") or "markdown" in _dump(m.get("blocks"))]

    _retry(bot, slack, failure)
    article = wait_articles(slack, channel, parent["ts"], timeout=90)[0]
    assert len(title_of(article).split()) >= 3
