"""A model reply whose fields are empty, blank, placeholders, a word or two, copies of the
instructions or of another field is a failed draft, for every schema: the article, « Titres »
and « Réseaux sociaux ». Driven through the real openai client against the fake server: one repair
call naming what is missing, then a French IncompleteReply if it is still missing, or the repaired
texts when the repair gives them. Fields that code derives (SEO title, angle) fall back instead."""
from __future__ import annotations

import copy
import json

import pytest

from seo.article import Article, Draft
from seo.config import EngineSettings
from seo.pipeline import Engine
from seo.social import FIELDS, SocialDraft
from seo.substance import IncompleteReply, fold
from tests.fakes import fake_writer
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.harness import ROOT


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def engine(llm):
    llm.reset()
    settings = EngineSettings(api_key="sk-test", base_url=llm.base_url, model="gpt-test", timeout=10.0,
                              max_retries=0, min_words=700)
    return Engine(settings)


@pytest.fixture(scope="module")
def article() -> Article:
    draft = json.loads((ROOT / "tests" / "fixtures" / "good_draft_otan.json").read_text(encoding="utf-8"))
    return Article(**draft, slug="otan-ukraine")


def spoilt(writer, fn):
    """A scripted reply: what `writer` answers to the request, spoilt by fn(reply)."""
    def reply(request):
        out = copy.deepcopy(writer(request))
        fn(out)
        return out
    return Reply(reply)


def description(model, name: str) -> str:
    return model.model_fields[name].description


LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit"

# --- the article --------------------------------------------------------------------------------

# What each bad answer writes into a Draft (a dict the good writer produced).


def _set(name, value):
    def fn(a):
        a[name] = value
    return fn


def _copy_field(name, source):
    def fn(a):
        a[name] = a[source]
    return fn


def _section(i, part, value):
    def fn(a):
        a["sections"][i][part] = value(a) if callable(value) else value
    return fn


def _no_sections(a):
    a["sections"] = []


ARTICLE_CASES = {
    # field: {answer: spoiler}
    "focus_keyword": {"empty": _set("focus_keyword", ""), "blank": _set("focus_keyword", " \n\t "),
                      "placeholder": _set("focus_keyword", "N/A"),
                      "instruction": _set("focus_keyword", description(Draft, "focus_keyword"))},
    "title": {"empty": _set("title", ""), "blank": _set("title", "   "), "one word": _set("title", "Otan"),
              "two words": _set("title", "Sommet Otan"), "placeholder": _set("title", "[titre]"),
              "fragment": _set("title", "Le secrétaire général de l’Otan salue les progrès de"),
              "instruction": _set("title", description(Draft, "title")), "lorem": _set("title", LOREM),
              "duplicate": _copy_field("title", "lead")},
    "meta_description": {"empty": _set("meta_description", ""), "blank": _set("meta_description", "\n"),
                         "one word": _set("meta_description", "Otan"),
                         "ten characters": _set("meta_description", "Sommet Ota"),
                         "duplicate": _copy_field("meta_description", "title"),
                         "placeholder": _set("meta_description", "TODO"),
                         "instruction": _set("meta_description", description(Draft, "meta_description"))},
    "lead": {"empty": _set("lead", ""), "blank": _set("lead", "  "), "one word": _set("lead", "Otan."),
             "duplicate": _copy_field("lead", "title"), "placeholder": _set("lead", "..."),
             "instruction": _set("lead", description(Draft, "lead"))},
    "sections": {"empty": _no_sections, "duplicate": lambda a: a.update(sections=[a["sections"][0]] * 4),
                 "one word": lambda a: a.update(sections=[{"heading": "Otan", "body": "Otan."}])},
    "heading": {"empty": _section(1, "heading", ""), "blank": _section(1, "heading", " "),
                "duplicate": _section(1, "heading", lambda a: a["sections"][0]["heading"]),
                "placeholder": _section(1, "heading", "Section 2")},
    "body": {"empty": _section(2, "body", ""), "blank": _section(2, "body", "\n\n  \n"),
             "one word": _section(2, "body", "Otan."),
             "duplicate": _section(2, "body", lambda a: a["sections"][0]["body"]),
             "placeholder": _section(2, "body", "[texte à compléter]"),
             "lorem": _section(2, "body", LOREM + ". " + LOREM + ".")},
}
ARTICLE_PARAMS = [pytest.param(field, answer, fn, id=f"{field}-{answer}")
                  for field, answers in ARTICLE_CASES.items() for answer, fn in answers.items()]
# The words the failure names each field by (French, for the editor).
ARTICLE_LABELS = {"focus_keyword": "mot-clé principal", "title": "titre", "meta_description": "méta-description",
                  "lead": "chapô", "sections": "section", "heading": "intertitre", "body": "texte de la section"}


@pytest.mark.parametrize("field, answer, fn", ARTICLE_PARAMS)
async def test_an_article_field_still_missing_after_one_repair_fails_in_french(engine, llm, sample_text,
                                                                              field, answer, fn):
    bad = spoilt(fake_writer.write, fn)
    llm.script(bad, bad)  # the draft and its repair give the same hole
    with pytest.raises(IncompleteReply) as err:
        await engine.rewrite(sample_text)
    assert llm.calls == 2, "one draft, one repair naming the gap, no second repair round"
    message = str(err.value)
    assert message.startswith("Le modèle a rendu un article incomplet") and "Réessayez" in message
    assert ARTICLE_LABELS[field] in message
    repair_prompt = llm.requests[1]["messages"][-1]["content"]
    assert "## Article actuel (JSON)" in repair_prompt
    assert any(ARTICLE_LABELS[field] in line.casefold() for line in repair_prompt.split("\n")
               if line.startswith("- ")), "the repair names the missing field"


@pytest.mark.parametrize("field, answer, fn", ARTICLE_PARAMS)
async def test_an_article_field_filled_by_the_repair_ships(engine, llm, sample_text, field, answer, fn):
    llm.script(spoilt(fake_writer.write, fn))  # the repair call gets the good writer
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 2
    a = result.article
    assert len(a.focus_keyword) >= 3 and len(a.title.split()) >= 3 and len(a.meta_description) >= 120
    assert len(a.lead.split()) >= 10 and len(a.sections) >= 3
    assert all(s.heading.strip() and len(s.body.split()) >= 15 for s in a.sections)
    assert len({fold(s.heading) for s in a.sections}) == len(a.sections)
    assert len({fold(s.body) for s in a.sections}) == len(a.sections)
    assert result.report["word_count"] >= 700


@pytest.mark.parametrize("value", ["", "  ", "Otan", "N/A", "Titre SEO", "[titre]"])
async def test_an_empty_seo_title_falls_back_to_the_title_without_a_repair(engine, llm, sample_text, value):
    llm.script(spoilt(fake_writer.write, _set("meta_title", value)))
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 1
    a = result.article
    assert a.meta_title == a.title[:len(a.meta_title)] and len(a.meta_title.split()) >= 3


@pytest.mark.parametrize("fn", [_set("focus_keyword", "Ukraine"), _section(1, "heading", "Réactions")],
                         ids=["keyword", "heading"])
async def test_a_one_word_keyword_or_heading_is_a_real_one(engine, llm, sample_text, fn):
    llm.script(spoilt(fake_writer.write, fn))
    result = await engine.rewrite(sample_text)
    assert "gap:" not in json.dumps(result.report)  # whatever else was repaired, nothing was missing
    assert result.article.focus_keyword


async def test_placeholder_keyword_suggestions_are_dropped(engine, llm, sample_text):
    llm.script(spoilt(fake_writer.write, _set("keyword_suggestions", ["N/A", "...", "sommet de Vilnius", "TODO"])))
    result = await engine.rewrite(sample_text)
    assert result.article.keyword_suggestions == ["sommet de Vilnius"]


async def test_a_streamed_draft_with_an_empty_field_is_never_shipped(engine, llm, sample_text):
    bad = spoilt(fake_writer.write, _set("lead", ""))
    llm.script(bad, bad)
    received: list[str] = []

    async def on_text(chunk: str) -> None:
        received.append(chunk)
    with pytest.raises(IncompleteReply):
        await engine.rewrite(sample_text, on_text=on_text)
    assert received and llm.calls == 2


# --- Titres -------------------------------------------------------------------------------------

def _title(i, value):
    def fn(reply):
        reply["titles"][i]["title"] = value(reply) if callable(value) else value
    return fn


def _four_titles(reply):
    del reply["titles"][4]


TITLE_CASES = {
    "empty": _title(2, ""), "blank": _title(2, "  "), "one word": _title(2, "Otan"),
    "two words": _title(2, "Sommet Otan"), "placeholder": _title(2, "[titre]"), "todo": _title(2, "TODO"),
    "fragment": _title(2, "Otan Ukraine : Stoltenberg salue les progrès de"),
    "duplicate": _title(2, lambda r: r["titles"][0]["title"]),
    "the article's own title": _title(2, "OTAN et Ukraine : Stoltenberg salue devant Biden les progrès de la "
                                         "contre-offensive"),
    "instruction": _title(2, "Le titre de l’article, informatif, mot-clé principal au début"),
    "four titles": _four_titles,
    "all empty": lambda r: [t.update(title="", meta_title="") for t in r["titles"]],
}


@pytest.mark.parametrize("answer", TITLE_CASES)
async def test_titles_missing_after_one_repair_fail_in_french(engine, llm, sample_text, article, answer):
    bad = spoilt(fake_writer.write_titles, TITLE_CASES[answer])
    llm.script(bad, bad)
    with pytest.raises(IncompleteReply) as err:
        await engine.titles(sample_text, article)
    assert llm.calls == 2
    assert str(err.value).startswith("Le modèle a rendu des titres incomplets") and "Réessayez" in str(err.value)
    repair_prompt = llm.requests[1]["messages"][-1]["content"]
    assert "## Correction demandée" in repair_prompt and "## Réponse précédente (JSON)" in repair_prompt
    named = [line for line in repair_prompt.split("\n") if line.startswith("- ")]
    assert named and all(("titre" in line or "réponse" in line.casefold()) for line in named)


@pytest.mark.parametrize("answer", TITLE_CASES)
async def test_titles_completed_by_the_repair_are_five_real_distinct_ones(engine, llm, sample_text, article, answer):
    first = {}

    def bad(request):
        out = copy.deepcopy(fake_writer.write_titles(request))
        TITLE_CASES[answer](out)
        first["reply"] = copy.deepcopy(out)
        return out
    llm.script(Reply(bad))
    result = await engine.titles(sample_text, article)
    assert result.usage.llm_calls == 2
    titles = [v.title for v in result.variants]
    assert len(titles) == 5 and len({fold(t) for t in titles}) == 5
    assert fold(article.title) not in {fold(t) for t in titles}
    assert all(len(t.split()) >= 3 and v.meta_title for t, v in zip(titles, result.variants))
    kept = [t["title"] for t in first["reply"]["titles"] if len(t["title"].split()) >= 5
            and t["title"] != article.title][:1]
    if kept and answer != "duplicate":
        assert fold(titles[0]) == fold(kept[0])  # the first reply's real titles stay, in their order


@pytest.mark.parametrize("value", ["", "  ", "N/A", "titre SEO"])
async def test_an_empty_seo_title_of_a_title_falls_back_to_it(engine, llm, sample_text, article, value):
    llm.script(spoilt(fake_writer.write_titles, lambda r: r["titles"][1].update(meta_title=value, angle=value)))
    result = await engine.titles(sample_text, article)
    assert result.usage.llm_calls == 1
    v = result.variants[1]
    assert v.meta_title and v.title.startswith(v.meta_title.rstrip("…")) and v.angle == ""


# --- Réseaux sociaux ----------------------------------------------------------------------------

def _social(name, value):
    def fn(reply):
        reply[name] = value(reply) if callable(value) else value
    return fn


SOCIAL_NAMES = [name for name, _label, _limit in FIELDS]
_OTHER = {"push": "x_post", "x_post": "push", "facebook": "newsletter", "newsletter": "facebook"}
SOCIAL_CASES = {
    "empty": lambda name: "", "blank": lambda name: " \n ", "one word": lambda name: "Otan",
    "three words": lambda name: "Otan : Stoltenberg optimiste", "placeholder": lambda name: "N/A",
    "lorem": lambda name: LOREM,
    "duplicate": lambda name: (lambda reply: reply[_OTHER[name]]),
    "instruction": lambda name: description(SocialDraft, name),
}
SOCIAL_PARAMS = [pytest.param(name, answer, id=f"{name}-{answer}") for name in SOCIAL_NAMES for answer in SOCIAL_CASES]
SOCIAL_LABELS = {"push": "alerte push", "x_post": "post pour x", "facebook": "post facebook",
                 "newsletter": "newsletter"}


def _labels_in(text: str) -> set[str]:
    return {name for name, label in SOCIAL_LABELS.items() if label in text.casefold()}


@pytest.mark.parametrize("name, answer", SOCIAL_PARAMS)
async def test_a_social_text_missing_after_one_repair_fails_in_french(engine, llm, sample_text, article, name, answer):
    bad = spoilt(fake_writer.write_social, _social(name, SOCIAL_CASES[answer](name)))
    llm.script(bad, bad)
    with pytest.raises(IncompleteReply) as err:
        await engine.social(sample_text, article)
    assert llm.calls == 2
    message = str(err.value)
    assert message.startswith("Le modèle a rendu des textes incomplets pour les réseaux sociaux")
    named = "\n".join(line for line in llm.requests[1]["messages"][-1]["content"].split("\n") if line.startswith("- "))
    expected = {name, _OTHER[name]} if answer == "duplicate" else {name}
    assert _labels_in(named) & expected and _labels_in(message) & expected


@pytest.mark.parametrize("name, answer", SOCIAL_PARAMS)
async def test_a_social_text_given_by_the_repair_ships(engine, llm, sample_text, article, name, answer):
    llm.script(spoilt(fake_writer.write_social, _social(name, SOCIAL_CASES[answer](name))))
    result = await engine.social(sample_text, article)
    assert result.usage.llm_calls == 2
    texts = result.texts
    assert all(len(texts[n].split()) >= 5 for n in SOCIAL_NAMES)
    assert len({fold(t) for t in texts.values()}) == 4


async def test_four_empty_social_texts_are_one_failure_naming_all_four(engine, llm, sample_text, article):
    empty = Reply({name: "" for name in SOCIAL_NAMES})
    llm.script(empty, empty)
    with pytest.raises(IncompleteReply) as err:
        await engine.social(sample_text, article)
    assert llm.calls == 2 and _labels_in(str(err.value)) == set(SOCIAL_NAMES)


async def test_a_repair_keeps_the_first_replys_real_texts(engine, llm, sample_text, article):
    good = None

    def first(request):
        nonlocal good
        good = fake_writer.write_social(request)
        return dict(good, push="")
    second = Reply({"push": "Otan : Jens Stoltenberg salue les progrès de l’Ukraine", "x_post": "",
                    "facebook": "", "newsletter": ""})
    llm.script(Reply(first), second)
    result = await engine.social(sample_text, article)
    assert result.texts["push"].startswith("Otan") and result.usage.llm_calls == 2
    assert fold(result.texts["facebook"]) == fold(good["facebook"])  # kept from the first reply


# --- the command line ---------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [_set("title", ""), _set("lead", "N/A"), _no_sections], ids=["title", "lead", "sections"])
def test_the_cli_exits_non_zero_in_french_on_an_incomplete_article(llm, fn, tmp_path):
    from tests.test_engine import run_cli

    llm.reset()
    bad = spoilt(fake_writer.write, fn)
    llm.script(bad, bad)
    out = tmp_path / "article.html"
    proc = run_cli(["rewrite", "tests/fixtures/depeche_otan.txt", "--json", "--html", str(out)], llm)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("Erreur : Le modèle a rendu un article incomplet") and proc.stderr.count("\n") == 1
    assert proc.stdout == "" and not out.exists()
    assert llm.calls == 2
