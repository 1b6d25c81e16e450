"""blockkit: pure Block Kit rendering within Slack's limits."""
from __future__ import annotations

import json

import pytest

import blockkit as B

LIMITS = dict(blocks=50, section=3000, header=150, button_label=75, button_value=2000,
              context_elements=10, context_text=2000, markdown=12000, serialized=12000, text=300)


def assert_within_slack_limits(message: dict) -> None:
    """Every limit that DESIGN.md ("Slack behaviour") lists, for one message."""
    assert set(message) == {"text", "blocks"}
    assert isinstance(message["text"], str) and 0 < len(message["text"]) <= LIMITS["text"]
    blocks = message["blocks"]
    assert 0 < len(blocks) <= LIMITS["blocks"]
    assert len(json.dumps(blocks, ensure_ascii=False)) <= LIMITS["serialized"]
    markdown_total = 0
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            assert block["text"]["type"] == "plain_text"
            assert 0 < len(block["text"]["text"]) <= LIMITS["header"]
        elif kind == "section":
            assert 0 < len(block["text"]["text"]) <= LIMITS["section"]
        elif kind == "context":
            assert 0 < len(block["elements"]) <= LIMITS["context_elements"]
            for element in block["elements"]:
                assert len(element["text"]) <= LIMITS["context_text"]
        elif kind == "markdown":
            assert 0 < len(block["text"]) <= LIMITS["markdown"]
            assert "<!" not in block["text"] and "<@" not in block["text"]
            markdown_total += len(block["text"])
        elif kind == "actions":
            assert len(block["elements"]) <= 25
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= LIMITS["button_label"]
                assert len(element["value"]) <= LIMITS["button_value"]
        elif kind == "context_actions":  # 👍 / 👎: at most 5 elements, feedback_buttons here
            assert 0 < len(block["elements"]) <= 5
            for element in block["elements"]:
                assert element["type"] == "feedback_buttons"
                for button in (element["positive_button"], element["negative_button"]):
                    assert len(button["text"]["text"]) <= LIMITS["button_label"]
                    assert len(button["value"]) <= LIMITS["button_value"]
        else:
            pytest.fail(f"unexpected block type {kind}")
    assert markdown_total <= LIMITS["markdown"]


# --------------------------------------------------------------------------- fixtures

PARAGRAPH = ("Les dirigeants des pays membres se sont retrouvés mardi à Vilnius pour un sommet "
             "consacré à la défense du continent. Ils ont discuté des dépenses militaires, du "
             "soutien à l’Ukraine et de l’élargissement de l’Alliance. Selon le secrétaire "
             "général, « l’unité reste notre meilleure arme ».")  # ~45 words


def make_body(n_sections: int, paragraphs_per_section: int) -> str:
    lead = "Le sommet de l’Otan s’est ouvert mardi à Vilnius. Les alliés veulent afficher leur unité."
    parts = [lead]
    for i in range(n_sections):
        parts.append(f"## Intertitre numéro {i + 1} sur le sommet de l’Otan")
        parts += [PARAGRAPH] * paragraphs_per_section
    return "\n\n".join(parts)


def make_article(title: str = "Sommet de l’Otan\u00a0: les alliés promettent 2\u00a0% du PIB") -> dict:
    return {
        "title": title,
        "meta_title": "Sommet de l’Otan\u00a0: les alliés promettent 2\u00a0% du PIB",
        "meta_description": ("Sommet de l’Otan à Vilnius\u00a0: les alliés promettent de consacrer "
                             "2\u00a0% de leur PIB à la défense et réaffirment leur soutien à l’Ukraine."),
        "slug": "sommet-de-lotan-vilnius",
        "focus_keyword": "sommet de l’Otan",
        "secondary_keywords": ["Alliance atlantique", "Vilnius"],
        "keyword_suggestions": ["Otan Vilnius", "sommet de Vilnius"],
        "lead": "Le sommet de l’Otan s’est ouvert mardi à Vilnius. Les alliés veulent afficher leur unité.",
        "sections": [],
        "credit": "(Avec AFP)",
    }


def make_report(word_count: int, issues: list[dict] | None = None) -> dict:
    return {
        "word_count": word_count,
        "seo": {"score": 82, "checks": [
            {"id": "keyphraseDensity", "score": 9, "message": "Densité du mot-clé\u00a0: parfait."},
            {"id": "metaDescriptionLength", "score": 6, "message": "Méta-description un peu courte."},
        ]},
        "readability": {"score": 74, "flesch": 61.5, "checks": [
            {"id": "textSentenceLength", "score": 3, "message": "Trop de phrases longues <30 %>."},
        ]},
        "fidelity": {"ok": not issues, "issues": issues or []},
    }


def markdown_texts(messages: list[dict]) -> list[str]:
    return [b["text"] for m in messages for b in m["blocks"] if b["type"] == "markdown"]


def buttons(message: dict) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


# --------------------------------------------------------------------------- article messages

def test_ordinary_article_is_one_message_with_everything():
    body = make_body(4, 4)                      # ~800 words
    assert 700 < len(body.split()) < 900
    messages = B.article_messages(make_article(), make_report(812), body, version=3, article_id="aid")
    assert len(messages) == 1
    message = messages[0]
    assert_within_slack_limits(message)
    kinds = [b["type"] for b in message["blocks"]]
    assert kinds[0] == "header" and kinds[-2:] == ["actions", "context_actions"]
    votes = message["blocks"][-1]["elements"][0]
    assert votes["type"] == "feedback_buttons" and votes["action_id"] == "seo_feedback"
    assert votes["positive_button"]["value"].endswith(":3:up") and votes["negative_button"]["value"].endswith(":3:down")
    assert message["blocks"][0]["text"]["text"] == make_article()["title"]
    context = next(b for b in message["blocks"] if b["type"] == "context")["elements"][0]["text"]
    assert "sommet de l’Otan" in context and "812 mots" in context
    assert "SEO 82/100" in context and "Lisibilité 74/100" in context and "Version 3" in context
    assert markdown_texts(messages) == [body]
    assert "## Intertitre numéro 1" in markdown_texts(messages)[0]
    assert [(e["text"]["text"], e["action_id"], e["value"]) for e in buttons(message)] == [
        ("Régénérer", "seo_regenerate", "aid:3"),
        ("Raccourcir", "seo_shorten", "aid:3"),
        ("Changer le mot-clé", "seo_change_keyword", "aid:3"),
        ("Exporter", "seo_export", "aid:3"),
        ("Titres", "seo_titles", "aid:3"),
        ("Réseaux sociaux", "seo_social", "aid:3"),
    ]
    sections = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    assert "*Titre SEO\u00a0:*" in sections and "*Méta-description\u00a0:*" in sections
    assert "*Slug\u00a0:* `sommet-de-lotan-vilnius` (23 car.)" in sections
    # checks that are not green, escaped; the green one is not listed
    assert "Méta-description un peu courte." in sections
    assert "&lt;30 %&gt;" in sections and "parfait" not in sections
    # short fallback text: title and first sentence of the lead
    assert message["text"].startswith("Sommet de l’Otan")
    assert "Vilnius." in message["text"] and "unité" not in message["text"]


def test_huge_article_is_split_without_losing_a_character():
    body = make_body(40, 7)                     # ~12 600 words
    assert len(body.split()) > 12000
    messages = B.article_messages(make_article(), make_report(12600), body, version=1, article_id="aid")
    assert len(messages) > 3
    for message in messages:
        assert_within_slack_limits(message)
    assert "".join(markdown_texts(messages)) == body
    total = len(messages)
    for i, message in enumerate(messages[1:], start=2):
        first = message["blocks"][0]
        assert first["type"] == "context"
        assert first["elements"][0]["text"] == f"Suite de l’article ({i}/{total})"
        assert len(message["text"]) <= 300
    # cuts at section boundaries: every continuation starts with a heading
    for text in markdown_texts(messages)[1:]:
        assert text.startswith("## ")
    # only the last message has the buttons and the SEO fields
    assert all(not buttons(m) for m in messages[:-1])
    assert len(buttons(messages[-1])) == len(B.ARTICLE_ACTIONS)


def test_one_giant_section_is_cut_between_paragraphs():
    body = "Chapô.\n\n## Une seule section\n\n" + "\n\n".join([PARAGRAPH] * 120)
    messages = B.article_messages(make_article(), make_report(5400), body, version=1, article_id="x")
    assert len(messages) > 1
    for message in messages:
        assert_within_slack_limits(message)
    texts = markdown_texts(messages)
    assert "".join(texts) == body
    for text in texts[:-1]:
        assert text.endswith("\n\n")


def test_long_title_is_shortened_in_header_and_kept_in_full():
    title = ("Sommet de l’Otan " + "très " * 60 + "long")[:200]
    messages = B.article_messages(make_article(title), make_report(800), make_body(4, 4),
                                  version=1, article_id="aid")
    message = messages[0]
    assert_within_slack_limits(message)
    header = message["blocks"][0]["text"]["text"]
    assert len(header) <= 150 and header.endswith("…")
    assert title.startswith(header[:-1].rstrip())
    assert message["blocks"][1]["type"] == "section" and title in message["blocks"][1]["text"]["text"]


def test_forty_fidelity_issues_stay_within_limits():
    issues = [{"kind": "quote", "text": f"« phrase inventée numéro {i} " + "et encore " * 30 + "»",
               "detail": "absente de la dépêche"} for i in range(40)]
    issues += [{"kind": "number", "text": "8\u00a0000", "detail": "chiffre absent de la dépêche"}]
    messages = B.article_messages(make_article(), make_report(812, issues), make_body(4, 4),
                                  version=2, article_id="aid")
    for message in messages:
        assert_within_slack_limits(message)
    last = messages[-1]
    warning = next(b["text"]["text"] for b in last["blocks"]
                   if b["type"] == "section" and b["text"]["text"].startswith(":warning: *À vérifier*"))
    assert "• citation\u00a0: «\u00a0phrase inventée numéro 0" in warning
    assert "… et " in warning and "autres" in warning
    assert len(buttons(last)) == len(B.ARTICLE_ACTIONS)


def test_fidelity_ok_says_so():
    messages = B.article_messages(make_article(), make_report(812), make_body(4, 4), version=1, article_id="a")
    contexts = [b["elements"][0]["text"] for b in messages[-1]["blocks"] if b["type"] == "context"]
    assert any("conformes à la dépêche" in c for c in contexts)


def test_mentions_are_neutralised():
    body = "Chapô <!channel> et <@U12345> puis <!here|here>.\n\n## Section\n\nTexte @here et @channel."
    article = make_article("Alerte <!channel> & co")
    article["meta_description"] = "<!everyone> <https://evil.example|clic>"
    messages = B.article_messages(article, make_report(20), body, version=1, article_id="a",
                                  requested_by="U999")
    dumped = json.dumps(messages, ensure_ascii=False)
    for message in messages:
        assert_within_slack_limits(message)
    assert "<!channel>" not in dumped and "<@U12345>" not in dumped and "<!here" not in dumped
    assert "<!everyone>" not in dumped and "<https://evil" not in dumped
    md = markdown_texts(messages)[0]
    assert "@here" not in md and "@channel" not in md
    assert "&amp; co" in messages[0]["text"] and "&lt;!channel&gt;" in messages[0]["text"]
    assert "<@U999>" in dumped                  # the requester is a real mention, on purpose


def test_empty_body_still_renders():
    messages = B.article_messages(make_article(), make_report(0), "", version=1, article_id="a")
    assert len(messages) == 1
    assert_within_slack_limits(messages[0])


# --------------------------------------------------------------------------- split_markdown

def test_split_markdown_is_lossless_and_prefers_big_boundaries():
    body = make_body(10, 3)
    chunks = B.split_markdown(body, 2000)
    assert "".join(chunks) == body
    assert all(len(c) <= 2000 for c in chunks)
    assert all(c.startswith("## ") for c in chunks[1:])
    assert B.split_markdown(body, len(body)) == [body]


def test_split_markdown_cuts_a_huge_paragraph_at_sentences():
    paragraph = " ".join(["Une phrase de test assez ordinaire."] * 100)
    chunks = B.split_markdown(paragraph, 500)
    assert "".join(chunks) == paragraph
    assert all(len(c) <= 500 for c in chunks)
    assert all(c.rstrip().endswith(".") for c in chunks)


# --------------------------------------------------------------------------- other messages

def test_small_messages():
    parent = B.parent_message("U0ABC", "Mot " * 60 + "<!channel>")
    assert parent["text"].startswith("Réécriture SEO demandée par <@U0ABC>")
    assert parent["blocks"][0]["text"]["text"].count("Mot") == 25
    assert "<!channel>" not in json.dumps(parent)
    for step in B.STATUS_STEPS:
        msg = B.status_message(step)
        assert msg["text"].endswith("…") and msg["blocks"]
    assert B.status_message("repairing", detail="tour 1/2")["text"] == ":wrench: Corrections (tour 1/2)…"
    assert B.status_message("drafting")["text"] == ":pencil2: Rédaction de l’article…"
    error = B.error_message("Le modèle n’a pas répondu.", retry_value="job-42")
    assert error["text"].startswith(":x:")
    (retry,) = buttons(error)
    assert (retry["text"]["text"], retry["action_id"], retry["value"]) == ("Réessayer", "seo_retry", "job-42")
    assert not buttons(B.error_message("Dépêche vide.", retry_value=None))
    notice = B.notice_message("Une version est déjà en cours <ici>.")
    assert "&lt;ici&gt;" in notice["blocks"][0]["text"]["text"]
    for msg in (parent, error, notice, B.help_blocks(), B.status_message("queued")):
        assert_within_slack_limits(msg)
        json.dumps(msg)


# --------------------------------------------------------------------------- views

def _input_ids(view: dict) -> set[tuple[str, str]]:
    return {(b["block_id"], b["element"]["action_id"]) for b in view["blocks"] if b["type"] == "input"}


def check_view(view: dict, callback_id: str | None) -> None:
    assert json.loads(json.dumps(view)) == view
    if callback_id:
        assert view["type"] == "modal" and view["callback_id"] == callback_id
        assert len(view["title"]["text"]) <= 24
        assert len(view["submit"]["text"]) <= 24 and len(view["close"]["text"]) <= 24
        assert view["close"]["text"] == "Annuler"


def test_dispatch_modal():
    view = B.dispatch_modal('{"channel": "C1"}')
    check_view(view, "seo_dispatch_modal")
    assert view["title"]["text"] == "Réécriture SEO" and view["submit"]["text"] == "Lancer"
    assert view["private_metadata"] == '{"channel": "C1"}'
    assert _input_ids(view) == {(B.DISPATCH_BLOCK, B.DISPATCH_ACTION), (B.KEYWORD_BLOCK, B.KEYWORD_ACTION),
                                (B.IMAGE_BLOCK, B.IMAGE_ACTION)}
    assert next(b for b in view["blocks"] if b["block_id"] == B.IMAGE_BLOCK).get("optional")
    dispatch = next(b for b in view["blocks"] if b["block_id"] == B.DISPATCH_BLOCK)
    assert dispatch["element"]["multiline"] is True and dispatch["element"]["max_length"] == 3000
    assert not dispatch.get("optional")
    check_view(B.dispatch_modal(), "seo_dispatch_modal")


def test_keyword_modal():
    meta = json.dumps({"article_id": "aid", "version": 3})
    view = B.keyword_modal(["sommet de Vilnius", "Otan", "sommet de l’Otan", "Otan"], "sommet de l’Otan", meta)
    check_view(view, "seo_keyword_modal")
    assert view["private_metadata"] == meta
    assert _input_ids(view) == {(B.SUGGESTION_BLOCK, B.SUGGESTION_ACTION), (B.KEYWORD_BLOCK, B.KEYWORD_ACTION)}
    radio = next(b for b in view["blocks"] if b.get("block_id") == B.SUGGESTION_BLOCK)
    assert [o["value"] for o in radio["element"]["options"]] == ["sommet de Vilnius", "Otan"]
    assert all(b.get("optional") for b in view["blocks"] if b["type"] == "input")
    bare = B.keyword_modal([], "x", "{}")
    check_view(bare, "seo_keyword_modal")
    assert _input_ids(bare) == {(B.KEYWORD_BLOCK, B.KEYWORD_ACTION)}


def test_settings_modal():
    view = B.settings_modal({"min_words": 900, "credit": "(Avec AFP)", "watch": True, "channel_id": "C42",
                             "house_style": "Écrire « Otan »."}, "{}")
    check_view(view, "seo_settings_modal")
    assert _input_ids(view) == {(B.MIN_WORDS_BLOCK, B.MIN_WORDS_ACTION), (B.CREDIT_BLOCK, B.CREDIT_ACTION),
                                (B.HOUSE_STYLE_BLOCK, B.HOUSE_STYLE_ACTION), (B.WATCH_BLOCK, B.WATCH_ACTION),
                                (B.SOURCE_PAGE_BLOCK, B.SOURCE_PAGE_ACTION), (B.BYLINE_BLOCK, B.BYLINE_ACTION),
                                (B.DISCLOSURE_BLOCK, B.DISCLOSURE_ACTION)}
    by_id = {b.get("block_id"): b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert "initial_options" not in by_id[B.DISCLOSURE_BLOCK]  # the AI-assistance line is off by default
    number = by_id[B.MIN_WORDS_BLOCK]
    assert number["type"] == "number_input" and number["initial_value"] == "900"
    assert (number["min_value"], number["max_value"]) == ("300", "3000")
    assert by_id[B.CREDIT_BLOCK]["initial_value"] == "(Avec AFP)"
    style = by_id[B.HOUSE_STYLE_BLOCK]
    assert style["initial_value"] == "Écrire « Otan »." and style["max_length"] == 1000 and style["multiline"]
    assert by_id[B.WATCH_BLOCK]["initial_options"][0]["value"] == B.WATCH_OPTION
    off = B.settings_modal({"min_words": 50, "watch": False}, "{}")
    by_id = {b.get("block_id"): b["element"] for b in off["blocks"] if b["type"] == "input"}
    assert by_id[B.MIN_WORDS_BLOCK]["initial_value"] == "300"
    assert "initial_options" not in by_id[B.WATCH_BLOCK]


def test_home_view():
    recent = [{"title": f"Article {i} <b>", "permalink": f"https://x.slack.com/archives/C1/p{i}",
               "version": 2, "created_at": 1714557600 + i} for i in range(14)]
    recent[0]["permalink"] = None
    view = B.home_view(recent)
    check_view(view, None)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    listing = view["blocks"][-1]["text"]["text"]
    assert listing.count("• ") == 10 and "&lt;b&gt;" in listing
    assert "<https://x.slack.com/archives/C1/p1|Article 1 &lt;b&gt;>" in listing
    assert "Aucun article" in json.dumps(B.home_view([]), ensure_ascii=False)


@pytest.mark.parametrize("kind, label", [("quote", "citation"), ("number", "chiffre"), ("name", "nom"),
                                         ("link", "lien")])
def test_every_fidelity_issue_kind_is_named_in_french(kind, label):
    from seo.fidelity import ISSUE_KINDS

    assert kind in ISSUE_KINDS
    issue = {"kind": kind, "text": "https://pixel.example/p.gif", "detail": "absent de la dépêche"}
    messages = B.article_messages(make_article(), make_report(812, [issue]), make_body(4, 4), version=1,
                                  article_id="aid")
    warning = next(b["text"]["text"] for b in messages[-1]["blocks"]
                   if b["type"] == "section" and b["text"]["text"].startswith(":warning: *À vérifier*"))
    assert f"• {label}\u00a0: «\u00a0" in warning


def test_every_issue_kind_of_the_contract_has_its_french_label_above():
    from seo.fidelity import ISSUE_KINDS

    assert set(ISSUE_KINDS) == {"quote", "number", "name", "link"}  # a new kind needs its label


def test_home_view_with_usage_stays_within_limits_and_shows_only_the_given_channels():
    import asyncio

    from jobs.kv import MemoryKV
    from ops.usage import UsageStore, VersionUsage
    from seo.pricing import Prices

    async def summary():
        store = UsageStore(MemoryKV(), 30, Prices(0.15, 0.075, 0.6, "EUR"))
        for i in range(60):  # a big newsroom: 60 channels, the reader is in 40
            for v in (1, 2):
                await store.record_version(f"C{i:04d}X", article_id=f"a{i}", version=v, kind="rewrite",
                                           usage=VersionUsage(1 + v, 5000, 1024, 2000, 3.5, v - 1))
        await store.record_feedback("C0001X", vote="down")
        return await store.summary({f"C{i:04d}X" for i in range(40)} | {"C9999X"})

    from tests.fakes.slack_api import validate_view

    months = asyncio.run(summary())
    view = B.home_view([], months)
    check_view(view, None)
    assert validate_view(view, expect=("home",)) == []  # Slack's limits, as the fake Slack checks them
    text = json.dumps(view, ensure_ascii=False)
    assert "Articles\u00a0: *40* · versions\u00a0: *80*" in text
    assert "premiers jets validés sans réparation\u00a0: *50\u00a0%*" in text  # v1 passed, v2 repaired
    assert "<#C0000X>" in text and "<#C0045X>" not in text and "C9999X" not in text
    assert ":+1: 0 · :-1: 1" in text
    assert "Aucun article dans vos canaux" in text  # last month
