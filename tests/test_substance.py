"""seo/substance.py: what counts as a real generated text. Bad answers of every kind are caught;
real French newsroom texts (one-word headings, questions, figures, elisions in quotes) are not —
over the fixtures' dispatches, a good model's article, titles and social copy need no repair."""
from __future__ import annotations

import json

import pytest

from seo.article import Article
from seo.checks import ARTICLE_RULES, article_gaps, article_instructions
from seo.config import EngineSettings
from seo.headlines import TITLE_RULE
from seo.headlines import instructions as title_instructions
from seo.pipeline import Engine
from seo.social import RULES as SOCIAL_RULES, SocialDraft, gaps_of
from seo.social import instructions as social_instructions
from seo.substance import Gap, IncompleteReply, Rule, duplicates, fragment, judge, placeholder
from tests.fakes.openai_server import FakeOpenAI
from tests.harness import ROOT

TITLE = ARTICLE_RULES["title"]


@pytest.mark.parametrize("text", [
    "", " ", "\n\t", "...", "…", "—", "???", "N/A", "n/a", "NA", "None", "null", "TODO", "TBD", "xxx", "[titre]",
    "[Titre de l’article]", "<titre>", "{title}", "{{ titre }}", "(à compléter)", "À compléter", "Lorem ipsum",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit", "meta_title", "focus_keyword", "Section 2",
    "Intertitre", "test test test", "Titre :", "Otan : [chiffre] chars envoyés à Kiev", "TODO : écrire le chapô",
])
def test_placeholders_are_caught(text):
    assert placeholder(text) or not text.strip()
    assert judge(text, TITLE) is not None


@pytest.mark.parametrize("text, rule, words", [
    ("Otan", TITLE, 1), ("Sommet Otan", TITLE, 2), ("Otan : Stoltenberg optimiste", SOCIAL_RULES["push"], 3),
    ("Otan.", ARTICLE_RULES["lead"], 1), ("Une phrase.", SOCIAL_RULES["newsletter"], 2),
])
def test_texts_far_below_their_minimum_are_caught(text, rule, words):
    reason = judge(text, rule)
    assert reason and "il en faut au moins" in reason


def test_a_ten_character_meta_description_is_caught():
    assert "caractères" in judge("Sommet Ota", ARTICLE_RULES["meta_description"]) or \
        "mots" in judge("Sommet Ota", ARTICLE_RULES["meta_description"])


@pytest.mark.parametrize("text", [
    "Le secrétaire général de l’Otan salue les progrès de", "Otan : Stoltenberg salue les progrès de l’",
    "Otan : les alliés promettent,", "Otan : Stoltenberg assure que « l’Ukraine", "Sommet de l’Otan :",
    "Les alliés s’engagent pour", "Stoltenberg estime qu’", "Les progrès de...",
])
def test_fragments_are_caught(text):
    assert fragment(text) and judge(text, TITLE)


@pytest.mark.parametrize("text, rule", [
    ("Sommet de l’Otan : les enjeux", TITLE),
    ("Otan : 300 chars pour l’Ukraine", TITLE),
    ("Ukraine : que faut-il retenir du sommet ?", TITLE),
    ("Incendie dans le Var : 1 200 hectares brûlés, des habitants évacués", TITLE),
    ("Stoltenberg : « Nous resterons [...] aussi longtemps qu’il le faudra »", TITLE),
    ("Grève des trams à Lyon : le trafic reprend lundi", TITLE),
    ("Réactions", ARTICLE_RULES["heading"]),
    ("Le plan B de l’Otan", TITLE), ("Un sommet sous le signe de la vitamine C", TITLE),
    ("Kiev aux alliés : « Faites-le »", TITLE), ("UE", ARTICLE_RULES["focus_keyword"]), ("G7", ARTICLE_RULES["heading"]),
    ("Contexte", ARTICLE_RULES["heading"]),
    ("Otan", ARTICLE_RULES["focus_keyword"]),
    ("sommet de l’Otan", ARTICLE_RULES["focus_keyword"]),
    ("Otan : Stoltenberg annonce 300 chars de plus pour Kiev", SOCIAL_RULES["push"]),
    ("L’Otan enverra 300 chars de plus à l’Ukraine, a annoncé Jens Stoltenberg à Vilnius. #Otan #Ukraine",
     SOCIAL_RULES["x_post"]),
])
def test_real_newsroom_texts_pass(text, rule):
    assert judge(text, rule, article_instructions()) is None
    assert judge(text, rule, title_instructions()) is None


@pytest.mark.parametrize("instructions, text", [
    (article_instructions(), "Titre de l'article, mot-clé principal au début"),
    (article_instructions(), "Chapô : 2 ou 3 phrases qui contiennent le mot-clé principal"),
    (article_instructions(), "Méta-description de 120 à 156 caractères contenant le mot-clé"),
    (article_instructions(), "Titre SEO"),
    (title_instructions(), "Le titre SEO, 60 caractères au plus, mot-clé principal au début"),
    (social_instructions(), "Alerte push de 120 caractères au plus, l’essentiel de l’information"),
    (social_instructions(), "Présentation de l’article pour la newsletter, 2 ou 3 phrases"),
    (social_instructions(), "Post pour X"),
])
def test_a_copy_of_the_instructions_is_caught(instructions, text):
    assert judge(text, Rule("le champ", 1, 2), instructions) == "recopie la consigne au lieu de l’appliquer"


def test_duplicates_name_the_field_they_copy():
    found = duplicates([("push", "l’alerte push", "Otan : 300 chars"), ("x_post", "le post pour X", "otan 300 CHARS !"),
                        ("facebook", "le post Facebook", "Autre chose")])
    assert found == [Gap("x_post", "le post pour X", "reprend mot pour mot l’alerte push")]


def test_the_failure_is_one_french_sentence_for_the_editor():
    err = IncompleteReply("un article incomplet", [Gap("title", "le titre (title)", "est vide"),
                                                   Gap("lead", "le chapô (lead)", "est vide", "2 ou 3 phrases")])
    assert str(err) .startswith("Le modèle a rendu un article incomplet, même après une demande de correction : "
                                "le titre est vide ; le chapô est vide.")
    assert "(title)" not in str(err) and err.exit_code == 3
    assert err.gaps[1].message == "Le chapô (lead) est vide (attendu : 2 ou 3 phrases)."


def test_the_realistic_draft_has_no_gap():
    draft = json.loads((ROOT / "tests" / "fixtures" / "good_draft_otan.json").read_text(encoding="utf-8"))
    assert article_gaps(Article(**draft, slug="otan-ukraine"), article_instructions()) == []


DISPATCHES = sorted([ROOT / "tests" / "fixtures" / "depeche_otan.txt", ROOT / "tests" / "fixtures" / "dispatch_en.txt",
                     *(ROOT / "tests" / "fixtures" / "eval").glob("*.txt")])


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


@pytest.mark.parametrize("path", DISPATCHES, ids=lambda p: p.stem)
async def test_a_good_models_replies_on_every_fixture_need_no_repair(llm, path):
    """No false alarm: the good writer's article, five titles and four texts are all real ones."""
    llm.reset()
    engine = Engine(EngineSettings(api_key="sk-test", base_url=llm.base_url, model="gpt-test", timeout=10.0,
                                   max_retries=0, min_words=300))
    raw = path.read_text(encoding="utf-8")
    result = await engine.rewrite(raw)
    assert not article_gaps(result.article, article_instructions())
    titles = await engine.titles(raw, result.article)
    social = await engine.social(raw, result.article)
    assert len(titles.variants) == 5 and titles.usage.llm_calls == 1
    assert social.usage.llm_calls == 1
    assert not gaps_of(SocialDraft(**social.texts), None, social_instructions())
    assert all(judge(v.title, TITLE_RULE, title_instructions()) is None for v in titles.variants)
    await engine.close()
