"""What a desk editor asks for next, driven over signed HTTP: alternative titles (one click from a
new version), social and push copy, and the channel's house style."""
from __future__ import annotations

import json
import re

from tests.fakes import slack_requests as sr
from tests.fakes.openai_server import Reply

from .conftest import article_messages, context_of, markdown_of
from .test_settings_and_home import open_settings
from .test_slack_flows import dispatch, parent_of, run_command, wait_articles

SPACES = re.compile(r"[\u00a0\u202f]")


def _article(bot, slack, channel, text):
    run_command(bot, slack, channel, text)
    parent = slack.wait_for(lambda s: parent_of(s, channel) if s.messages(channel) else None)
    return parent, wait_articles(slack, channel, parent["ts"], timeout=60)[0]


def _thread_message(slack, channel, thread_ts, marker):
    return slack.wait_for(lambda s: next((m for m in s.messages(channel, thread_ts, include_parent=False)
                                          if marker in (m.get("text") or "")), None), timeout=60)


def _click(bot, slack, action_id, message, value=None):
    body, headers = sr.block_actions(action_id, value, message=message, slack=slack)
    status, _, _ = sr.send(bot.url, body, headers)
    assert status == 200


def _body(message) -> str:
    """The article's Markdown without the '# ' title line a streamed article opens with."""
    return re.sub(r"\A# [^\n]*\n+", "", markdown_of(message)).strip()


def _title_sections(message):
    return [b for b in message["blocks"] if b.get("type") == "section" and b.get("accessory")]


def test_titles_then_choosing_one_makes_a_new_version_with_that_title_and_no_llm_call(
        bot, slack, llm, channel, sample_text):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    calls_before = llm.calls
    _click(bot, slack, "seo_titles", v1)
    titles = _thread_message(slack, channel, parent["ts"], "Titres possibles pour la version 1")
    assert llm.calls == calls_before + 1  # one call for the five
    assert llm.requests[-1]["response_format"]["json_schema"]["name"] == "titres"
    sections = _title_sections(titles)
    assert len(sections) == 5
    proposals = []
    for section in sections:
        text = section["text"]["text"]
        title = re.match(r"\*\d\. (.+?)\*\n", text).group(1)
        meta = re.search(r"Titre SEO\u00a0: (.+?) \((\d+) car\.\)", text)
        assert len(meta.group(1)) <= 60 and int(meta.group(2)) == len(meta.group(1))
        assert section["accessory"]["text"]["text"] == "Choisir"
        proposals.append((title, meta.group(1), section["accessory"]["value"]))
    assert len({p[0] for p in proposals}) == 5  # five different titles
    assert "À vérifier" not in json.dumps(titles["blocks"], ensure_ascii=False)  # the fake is faithful

    chosen_title, chosen_meta, value = proposals[2]
    _click(bot, slack, "seo_pick_title", titles, value=value)
    v2 = wait_articles(slack, channel, parent["ts"], count=2, timeout=60)[1]
    assert "Version 2" in context_of(v2)
    assert v2["blocks"][0]["text"]["text"] == chosen_title
    assert chosen_meta in json.dumps(v2["blocks"], ensure_ascii=False)
    assert _body(v2) == _body(v1)  # same body
    assert llm.calls == calls_before + 1  # choosing costs no LLM call


def test_a_forged_title_choice_for_another_article_changes_nothing(bot, slack, llm, channel, sample_text):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    _click(bot, slack, "seo_titles", v1)
    titles = _thread_message(slack, channel, parent["ts"], "Titres possibles pour la version 1")
    value = _title_sections(titles)[0]["accessory"]["value"]
    article_id, version, job, index = value.split(":")
    _click(bot, slack, "seo_pick_title", titles, value=f"deadbeef00:{version}:{job}:{index}")
    _click(bot, slack, "seo_pick_title", titles, value=f"{article_id}:{version}:{job}:9")
    slack.wait_for(lambda s: len([e for e in s.ephemerals(channel) if "expiré" in e["text"]]) >= 2, timeout=30)
    assert len(article_messages(slack, channel, parent["ts"])) == 1


def test_an_invented_figure_in_a_title_is_flagged(bot, slack, llm, channel, sample_text):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    keyword = re.search(r"Mot-clé principal\u00a0: \*(.+?)\*", context_of(v1)).group(1)
    good = {"angle": "factuel", "title": f"{keyword} : l’essentiel", "meta_title": f"{keyword} : l’essentiel"}
    invented = {"angle": "chiffre", "title": f"{keyword} : 48 000 soldats engagés selon Kiev",
                "meta_title": f"{keyword} : 48 000 soldats"}
    llm.script(Reply({"titles": [invented, good]}))  # two of five: the repair call completes them
    _click(bot, slack, "seo_titles", v1)
    titles = _thread_message(slack, channel, parent["ts"], "Titres possibles pour la version 1")
    sections = [s["text"]["text"] for s in _title_sections(titles)]
    assert len(sections) == 5
    first, second = sections[:2]
    assert "À vérifier" in first and "48" in first
    assert "À vérifier" not in second


def test_social_copy_holds_the_four_texts_within_their_limits(bot, slack, llm, channel, sample_text):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    calls_before = llm.calls
    _click(bot, slack, "seo_social", v1)
    post = _thread_message(slack, channel, parent["ts"], "Textes pour les réseaux sociaux")
    assert llm.calls == calls_before + 1
    texts = {}
    for block in post["blocks"]:
        m = re.match(r"\*(.+?)\* \((\d+)/(\d+) car\.\)\n```(.*)```$", block.get("text", {}).get("text", ""), re.S)
        if m:
            texts[m.group(1)] = (m.group(4), int(m.group(2)), int(m.group(3)))
    assert set(texts) == {"Alerte push", "Post pour X", "Post Facebook / LinkedIn", "Newsletter"}
    assert texts["Alerte push"][2] == 120 and texts["Post pour X"][2] == 280
    for label, (text, shown, limit) in texts.items():
        plain = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        assert 0 < len(plain) == shown <= limit, label
        assert "<@" not in plain and "<!" not in plain and "http" not in plain
    assert len(re.findall(r"(?<!\w)#\w", texts["Post pour X"][0])) <= 2


def test_over_long_and_unfaithful_social_copy_is_cut_and_flagged(bot, slack, llm, channel, sample_text):
    parent, v1 = _article(bot, slack, channel, dispatch(sample_text))
    long = "Le sommet de l’Otan s’est ouvert. " * 20
    llm.script(Reply({"push": long, "x_post": long + " #otan #ukraine #russie #vilnius",
                      "facebook": long * 2, "newsletter": "Une. Deux. Trois. Quatre phrases, 12 345 morts."}))
    _click(bot, slack, "seo_social", v1)
    post = _thread_message(slack, channel, parent["ts"], "Textes pour les réseaux sociaux")
    dump = SPACES.sub(" ", json.dumps(post["blocks"], ensure_ascii=False))
    for block in post["blocks"]:
        m = re.match(r"\*(.+?)\* \((\d+)/(\d+) car\.\)", block.get("text", {}).get("text", ""))
        if m:
            assert int(m.group(2)) <= int(m.group(3)), m.group(1)
    assert "#vilnius" not in dump and "#russie" not in dump
    newsletter = next(b["text"]["text"] for b in post["blocks"] if b.get("text", {}).get("text", "").startswith("*Newsletter*"))
    assert "Quatre" not in newsletter  # three sentences at most
    llm.script(Reply({"push": "Otan : 12 345 morts selon un bilan publié mardi",
                      "x_post": "Sommet de l’Otan : un bilan de 12 345 morts annoncé mardi à Vilnius",
                      "facebook": "Le sommet de l’Otan s’est ouvert mardi. Un bilan de 12 345 morts a été annoncé.",
                      "newsletter": "Le sommet de l’Otan s’est ouvert mardi à Vilnius. Un bilan de 12 345 morts a "
                                    "été annoncé."}))
    _click(bot, slack, "seo_social", v1)
    slack.wait_for(lambda s: len([m for m in s.messages(channel, parent["ts"], include_parent=False)
                                  if "Textes pour les réseaux sociaux" in (m.get("text") or "")]) == 2, timeout=60)
    second = [m for m in slack.messages(channel, parent["ts"], include_parent=False)
              if "Textes pour les réseaux sociaux" in (m.get("text") or "")][-1]
    assert "À vérifier" in json.dumps(second["blocks"], ensure_ascii=False)


def test_house_style_reaches_the_model_outside_the_fence_and_never_changes_a_quotation(
        bot, slack, llm, channel, sample_text):
    rule = "Écrire « Otan » en minuscules. Corrigez les citations pour qu’elles soient plus élégantes."
    view = open_settings(bot, slack, channel)
    assert any(b.get("block_id") == "house_style" for b in view["blocks"])
    body, headers = sr.view_submission(view, {"min_words": {"min_words_input": "700"},
                                              "house_style": {"house_style_input": rule}})
    assert sr.send(bot.url, body, headers)[0] == 200
    slack.wait_for(lambda s: [e for e in s.ephemerals(channel) if "consignes de la rédaction enregistrées" in e["text"]])

    parent, article = _article(bot, slack, channel, dispatch(sample_text))
    prompt = llm.requests[-1]["messages"][-1]["content"]
    fence_end, style_at = prompt.index("</depeche>"), prompt.index("<consignes>")
    assert fence_end < style_at and rule in prompt[style_at:]
    assert rule not in prompt[:fence_end]
    # The fake model obeys the rule and rewords every quotation; the guard puts them back.
    source = SPACES.sub(" ", dispatch(sample_text))
    body = SPACES.sub(" ", markdown_of(article))
    quotes = re.findall(r"« (.+?) »", body)
    assert quotes and "vraiment" not in body
    for q in quotes:
        assert q.replace("’", "'") in source.replace("’", "'"), q

    # The help shows the channel's house style; App Home lists it for the user's channels.
    run_command(bot, slack, channel, "aide")
    assert slack.wait_for(lambda s: [c for c in s.calls() if "Consignes de la rédaction" in json.dumps(
        c["args"], ensure_ascii=False) and "Corrigez les citations" in json.dumps(c["args"], ensure_ascii=False)],
        timeout=30)
    event = {"type": "app_home_opened", "user": "U1", "channel": "D001", "tab": "home", "event_ts": sr.new_ts()}

    def home_shows_it(s):
        assert sr.send(bot.url, *sr.event_callback(dict(event, event_ts=sr.new_ts())))[0] == 200
        views = [c for c in s.calls("views.publish") if c["args"].get("user_id") == "U1"]
        return views and "Corrigez les citations" in json.dumps(views[-1]["args"]["view"], ensure_ascii=False)
    assert slack.wait_for(home_shows_it, timeout=30, interval=0.5)
