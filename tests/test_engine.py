"""The rewrite engine and its command line, against the fake OpenAI server over HTTP.

The real `openai` client talks to the fake; bad drafts are written here (altered quote,
invented figure and minister, 300 words, no subheadings, English, missing keyword) and each
must end, after repair, as a correct article.
"""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys

import pytest

from seo.config import EngineSettings
from seo.pipeline import Engine
from tests.fakes import fake_writer
from tests.fakes.openai_server import Error, FakeOpenAI, Hang, Malformed, RateLimit, Refusal, Reply, Unauthorized
from tests.harness import ROOT, shield_from_dotenv

NBSP = ("\u00a0", "\u202f")


def plain(text: str) -> str:
    for ch in NBSP:
        text = text.replace(ch, " ")
    return text.replace("’", "'")


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def engine(llm):
    llm.reset()
    settings = EngineSettings(api_key="sk-test", base_url=llm.base_url, model="gpt-test", timeout=10.0,
                              max_retries=2, min_words=700)
    return Engine(settings)


def good(request: dict) -> dict:
    return fake_writer.write(request)


def altered(fn):
    """A scripted reply: the good writer's article, spoilt by fn(article)."""
    def reply(request):
        article = copy.deepcopy(good(request))
        fn(article)
        return article
    return Reply(reply)


def source_quotes(sample_text: str) -> list[str]:
    return [plain(q).strip() for q in re.findall(r"«\s*(.+?)\s*»", sample_text)]


def assert_faithful(result, sample_text):
    text = plain(result.markdown)
    for quoted in re.findall(r"«\s*(.+?)\s*»", text):
        assert quoted.strip().rstrip(".") in plain(sample_text), quoted
    assert result.report["fidelity"]["ok"], result.report["fidelity"]


def run_cli(args, llm=None, stdin=None, **env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SEO_"))}
    if llm is not None:
        env.update({"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-test", "OPENAI_TIMEOUT": "10",
                    "OPENAI_MAX_RETRIES": "2"})
    env.update(env_extra)
    shield_from_dotenv(env)
    return subprocess.run([sys.executable, "-m", "seo", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


# --- the command line -------------------------------------------------------------------

def test_cli_rewrites_the_sample_with_one_call(llm, sample_text):
    llm.reset()
    proc = run_cli(["rewrite", "tests/fixtures/depeche_otan.txt", "--json"], llm)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"article", "markdown", "html", "report", "usage"}
    assert out["usage"]["llm_calls"] == 1 and llm.calls == 1
    art = out["article"]
    assert out["report"]["word_count"] >= 700
    assert out["markdown"].count("\n## ") >= 3 and len(art["sections"]) >= 3
    kw = art["focus_keyword"].lower()
    assert kw in art["title"].lower() and kw in art["lead"].lower()
    assert len(art["meta_title"]) <= 60 and 120 <= len(art["meta_description"]) <= 156
    assert art["slug"] == re.sub(r"[^a-z0-9-]", "", art["slug"]) and art["credit"] == "(Avec AFP)"
    assert out["report"]["fidelity"] == {"ok": True, "issues": []}
    assert "<h2>" in out["html"]
    for quoted in re.findall(r"«\s*(.+?)\s*»", plain(out["markdown"])):
        assert quoted.strip() in plain(sample_text)


def test_cli_markdown_output_and_stdin(llm, sample_text):
    llm.reset()
    proc = run_cli(["rewrite", "-", "--keyword", "OTAN"], llm, stdin=sample_text)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# ") and "\n## " in proc.stdout
    assert "Mot-clé principal : OTAN" in proc.stdout


@pytest.mark.parametrize("text", ["", "   \n", "un deux trois quatre cinq six sept huit neuf dix"])
def test_cli_unusable_input_exits_2_without_llm_call(llm, text):
    llm.reset()
    proc = run_cli(["rewrite", "-"], llm, stdin=text)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Erreur : ") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
    assert llm.calls == 0


def test_cli_unreachable_llm_exits_3_in_french(sample_text):
    proc = run_cli(["rewrite", "-"], None, stdin=sample_text, OPENAI_BASE_URL="http://127.0.0.1:9/v1",
                   OPENAI_API_KEY="sk-test", OPENAI_MAX_RETRIES="1", OPENAI_TIMEOUT="1")
    assert proc.returncode == 3
    assert "injoignable" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_refused_key_exits_3_at_once(llm, sample_text):
    llm.reset()
    llm.script(Unauthorized())
    proc = run_cli(["rewrite", "-"], llm, stdin=sample_text)
    assert proc.returncode == 3 and "Clé d’API refusée" in proc.stderr
    assert llm.calls == 1  # no retry on a refused key


def test_cli_debug_shows_the_traceback(llm, sample_text):
    llm.reset()
    llm.script(Unauthorized())
    proc = run_cli(["--debug", "rewrite", "-"], llm, stdin=sample_text)
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_cli_analyze_reads_front_matter(tmp_path):
    md = tmp_path / "a.md"
    md.write_text("---\nfocus_keyword: OTAN\nmeta_description: court\n---\n# OTAN : un titre\n\n"
                  "L’OTAN se réunit. " * 30 + "\n\n## L’OTAN et l’Ukraine\n\nTexte de la section.\n", encoding="utf-8")
    proc = run_cli(["analyze", str(md), "--json"])
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    checks = {c["id"]: c for c in report["seo"]["checks"]}
    assert checks["metaDescriptionLength"]["score"] < 8
    assert report["word_count"] > 0 and "flesch" in report["readability"]


# --- transport failures that end well ----------------------------------------------------

@pytest.mark.parametrize("failures", [
    [Error(500), Error(500)],
    [RateLimit(retry_after=0.2)],
    [Malformed()],
    [Refusal("Je ne peux pas.")],
    [Hang(30)],  # past the 10 s timeout: retried
], ids=["two-500s", "429-retry-after", "invalid-json", "refusal", "timeout"])
async def test_transient_failures_before_a_good_reply_still_succeed(engine, llm, sample_text, failures):
    llm.script(*failures)
    result = await engine.rewrite(sample_text)
    assert result.report["word_count"] >= 700
    assert_faithful(result, sample_text)


async def test_repeated_5xx_is_an_llm_error_in_french(engine, llm, sample_text):
    from seo.errors import LLMError

    llm.script(Error(503), Error(503), Error(503))
    with pytest.raises(LLMError, match="en panne"):
        await engine.rewrite(sample_text)


# --- bad drafts, caught and repaired -------------------------------------------------------

def _alter_quote(a):
    body = a["sections"][0]["body"]
    a["sections"][0]["body"] = body + "\n\n« Nous allons gagner cette guerre très bientôt », a affirmé Joe Biden."


def _invent_figure_and_minister(a):
    a["sections"][1]["body"] += ("\n\nLe ministre Pierre Dupont a promis 450 millions d’euros supplémentaires.")


def _too_short(a):
    a["sections"] = [{"heading": s["heading"], "body": s["body"].split("\n\n")[0]} for s in a["sections"][:3]]
    a["lead"] = a["lead"].split(". ")[0] + "."


def _no_subheadings(a):
    a["sections"] = [{"heading": "", "body": "\n\n".join(s["body"] for s in a["sections"])}]


def _english(a):
    a["lead"] = ("NATO chief Jens Stoltenberg told President Joe Biden that Ukraine is making progress in its "
                 "counteroffensive against Russia, and that the alliance will keep supporting the country.")
    for s in a["sections"]:
        s["body"] = ("The meeting at the White House was the first of the week. The leaders talked about the "
                     "summit and the war, and about the support of the allies for the Ukrainian army. ") * 9


def _missing_keyword(a):
    kw = a["focus_keyword"]
    a["title"] = "Ce qu’il faut retenir de la rencontre à la Maison Blanche"
    a["lead"] = re.sub(re.escape(kw), "le pays", a["lead"], flags=re.I)


@pytest.mark.parametrize("spoil, problem", [
    (_alter_quote, "quote"),
    (_invent_figure_and_minister, "number"),
    (_too_short, "length"),
    (_no_subheadings, "headings"),
    (_english, "language"),
    (_missing_keyword, "keyword"),
])
async def test_bad_first_draft_is_repaired(engine, llm, sample_text, spoil, problem):
    llm.script(altered(spoil))  # the first draft is bad; the repair call gets the good writer
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 2, "one draft and one targeted repair"
    repair_prompt = llm.requests[1]["messages"][-1]["content"]
    assert "## Article actuel (JSON)" in repair_prompt
    a = result.article
    assert result.report["word_count"] >= 700
    assert len(a.sections) >= 3
    assert a.focus_keyword.lower() in a.title.lower()
    assert_faithful(result, sample_text)
    text = plain(result.markdown)
    assert "Pierre Dupont" not in text and "450" not in text and "Nous allons gagner" not in text
    assert "The meeting" not in text


async def test_near_miss_quote_is_fixed_by_code_without_a_repair_call(engine, llm, sample_text):
    def near_miss(a):
        a["sections"][0]["body"] += ("\n\n« Plus les Ukrainiens pourront libérer des terres, plus ils auront une "
                                     "main forte à la table des négociations », a-t-il déclaré.")
    llm.script(altered(near_miss))
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 1
    assert "Plus les Ukrainiens pourront libérer de terres" in plain(result.markdown)
    assert_faithful(result, sample_text)


async def test_a_draft_that_stays_bad_is_shipped_with_its_issues_shown(engine, llm, sample_text):
    llm.script(*[altered(_invent_figure_and_minister)] * 3)
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 3  # draft + two repair rounds, no more
    issues = result.report["fidelity"]["issues"]
    assert not result.report["fidelity"]["ok"]
    assert {i["kind"] for i in issues} >= {"number"}


async def test_revisions_keep_the_minimum_and_follow_the_keyword(engine, llm, sample_text):
    first = await engine.rewrite(sample_text)
    shorter = await engine.shorten(sample_text, first.article)
    assert 700 <= shorter.report["word_count"] < first.report["word_count"]
    moved = await engine.change_keyword(sample_text, first.article, "sommet de Vilnius")
    assert moved.article.focus_keyword == "sommet de Vilnius"
    assert "sommet de vilnius" in moved.article.title.lower()
    from seo.errors import InputError
    with pytest.raises(InputError, match="raccourcir"):
        await engine.shorten(sample_text, shorter.article, min_words=shorter.report["word_count"])


async def test_a_server_without_temperature_or_json_schema_is_adapted_to(engine, llm, sample_text):
    llm.script(Error(400, "Unsupported parameter: 'temperature' is not supported with this model.",
                     code="unsupported_parameter"),
               Error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
                     code="invalid_parameter"))
    result = await engine.rewrite(sample_text)
    assert result.report["word_count"] >= 700
    last = llm.requests[-1]
    assert "temperature" not in last and last["response_format"] == {"type": "json_object"}


async def test_a_reply_shaped_like_the_contract_article_is_accepted(engine, llm, sample_text):
    """Some servers echo the contract's fields (slug, credit) or wrap the object: still one call."""
    def contract_like(request):
        a = good(request)
        a.update({"slug": "anything", "credit": None})
        a["sections"] = [{**s, "level": 2} for s in a["sections"]]
        return {"article": a}
    llm.script(Reply(contract_like))
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 1
    assert result.article.slug != "anything"


async def test_the_editors_requested_length_raises_the_minimum(engine, llm, sample_text):
    raw = sample_text.replace("create at least 700 words", "create at least 900 words")
    result = await engine.rewrite(raw)
    assert "Au moins 900 mots" in llm.requests[0]["messages"][-1]["content"]
    assert result.report["word_count"] >= 900


def realistic_draft() -> dict:
    """A first draft as a good model writes it: paraphrase, hyphenated Maison-Blanche,
    « Alliance atlantique », fragments of quotes, demonyms."""
    return json.loads((ROOT / "tests" / "fixtures" / "good_draft_otan.json").read_text(encoding="utf-8"))


async def test_a_realistic_good_draft_costs_one_call_and_scores_green(engine, llm, sample_text):
    llm.script(Reply(realistic_draft()))
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 1
    assert result.report["fidelity"] == {"ok": True, "issues": []}
    assert result.report["seo"]["score"] >= 80 and result.report["readability"]["score"] >= 80
    assert result.report["word_count"] >= 700
    assert result.article.slug.startswith("otan-ukraine")


async def test_an_outside_fact_in_a_realistic_draft_is_caught(engine, llm, sample_text):
    draft = realistic_draft()
    draft["sections"][1]["body"] += "\n\nÀ Kiev, le président Volodymyr Zelensky a salué ce soutien."
    llm.script(Reply(draft), Reply(draft), Reply(draft))
    result = await engine.rewrite(sample_text)
    assert result.usage.llm_calls == 3
    flagged = {i["text"] for i in result.report["fidelity"]["issues"]}
    assert {"Kiev", "Volodymyr Zelensky"} & flagged
    assert "Nom absent de la dépêche" in llm.requests[1]["messages"][-1]["content"]


async def test_an_english_dispatch_becomes_a_french_article_without_false_alarms(engine, llm):
    source = (ROOT / "tests" / "fixtures" / "dispatch_en.txt").read_text(encoding="utf-8")
    paragraph = ("À la Maison-Blanche, Jens Stoltenberg a affirmé que l’Ukraine fait des progrès dans son offensive "
                 "contre la Russie. Le secrétaire général de l’OTAN s’exprimait dans le Bureau ovale. Selon lui, les "
                 "Ukrainiens avancent. Le département d’État a par ailleurs annoncé 325 millions de dollars de "
                 "munitions et d’armes lourdes. Vladimir Poutine a ordonné l’invasion en février 2022.")
    sentences = re.split(r"(?<=\.) ", paragraph)
    draft = {
        "focus_keyword": "OTAN Ukraine", "title": "OTAN Ukraine : Stoltenberg salue les progrès ukrainiens face à la Russie",
        "meta_title": "OTAN Ukraine : Stoltenberg salue les progrès ukrainiens",
        "meta_description": "OTAN Ukraine : à la Maison-Blanche, Jens Stoltenberg a assuré à Joe Biden que l’offensive "
                            "ukrainienne progresse avant le sommet de Vilnius.",
        "secondary_keywords": ["Stoltenberg"], "keyword_suggestions": ["sommet de Vilnius", "Joe Biden", "aide à l’Ukraine"],
        "lead": "L’OTAN et l’Ukraine avancent ensemble : Jens Stoltenberg a dit mardi à Joe Biden que l’offensive "
                "ukrainienne progresse.",
        # The same sentences in another order in each section: four distinct bodies.
        "sections": [{"heading": h, "body": " ".join(sentences[i:] + sentences[:i])} for i, h in enumerate(
                     ("L’OTAN salue l’Ukraine", "Les États-Unis en soutien", "OTAN et Ukraine à Vilnius", "L’Ukraine et la Russie"))],
    }
    llm.script(Reply(draft))
    result = await engine.rewrite(source, min_words=150)
    assert result.usage.llm_calls == 1, llm.requests[-1]["messages"][-1]["content"][:600]
    # NATO vouches for OTAN, White House for Maison-Blanche, State Department for département d’État.
    assert result.report["fidelity"] == {"ok": True, "issues": []}


async def test_when_the_repair_call_fails_a_usable_draft_ships_with_its_issues_shown(engine, llm, sample_text):
    llm.script(altered(_invent_figure_and_minister), Error(500), Error(500), Error(500))
    result = await engine.rewrite(sample_text)
    assert result.report["word_count"] >= 700
    flagged = {i["text"] for i in result.report["fidelity"]["issues"]}
    assert any("450" in t for t in flagged) and not result.report["fidelity"]["ok"]


async def test_when_the_repair_call_fails_a_too_short_draft_is_an_error(engine, llm, sample_text):
    from seo.errors import LLMError

    llm.script(altered(_too_short), Error(500), Error(500), Error(500))
    with pytest.raises(LLMError):
        await engine.rewrite(sample_text)


# --- streaming the first call into on_text ---------------------------------------------------

from seo.streaming import article_markdown  # noqa: E402
from tests.fakes.openai_server import StreamCut, StreamError  # noqa: E402


class Feed:
    """An on_text consumer recording what it receives, and when (LLM requests made so far)."""

    def __init__(self, llm=None, events=None):
        self.chunks: list[str] = []
        self.at_request: list[int] = []
        self.llm = llm
        self.events = events if events is not None else []

    async def __call__(self, chunk: str) -> None:
        self.chunks.append(chunk)
        self.events.append(("text", chunk))
        if self.llm is not None:
            self.at_request.append(self.llm.calls)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def reply_markdown(request: dict) -> str:
    """The Markdown of what the default writer answers to `request`."""
    return article_markdown(good(request), complete=True)


@pytest.fixture
def streaming_llm(llm):
    llm.stream_chunk_chars = 12  # about three tokens per chunk, as a real model sends them
    yield llm
    llm.reset()


async def test_the_draft_is_streamed_into_on_text_as_appended_markdown(engine, streaming_llm, sample_text):
    llm = streaming_llm
    feed = Feed()
    result = await engine.rewrite(sample_text, on_text=feed)
    assert llm.calls == 1 and result.usage.llm_calls == 1
    sent = llm.requests[0]
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}
    assert sent["response_format"]["json_schema"]["strict"] is True
    assert len(feed.chunks) >= 10 and all(feed.chunks)
    assert feed.text == reply_markdown(sent) == result.streamed_markdown
    assert feed.text.startswith(f"# {result.article.title}\n\n")
    assert result.streamed_draft_shipped
    # What was streamed is the shipped article, word for word and space for space (the credit
    # line aside): this draft needed no fix that looks further ahead than a word.
    shipped, credit = result.markdown.strip().rsplit("\n\n", 1)
    assert credit == "*(Avec AFP)*" and feed.text == shipped
    # Usage is counted as without streaming: tokens, and the prompt cache on the next call.
    assert result.usage.prompt_tokens > 1000 and result.usage.completion_tokens > 1000
    again = await engine.rewrite(sample_text, on_text=Feed())
    assert again.usage.cached_tokens >= 1024


async def test_without_on_text_nothing_streams(engine, streaming_llm, sample_text):
    result = await engine.rewrite(sample_text)
    assert streaming_llm.calls == 1 and "stream" not in streaming_llm.requests[0]
    assert not result.streamed_draft_shipped and result.streamed_markdown == ""


async def test_a_repair_never_feeds_on_text_and_is_announced_first(engine, streaming_llm, sample_text):
    llm = streaming_llm
    events: list = []
    feed = Feed(llm, events)

    async def progress(step, detail=None):
        events.append(("progress", step))

    llm.script(altered(_invent_figure_and_minister))
    result = await engine.rewrite(sample_text, on_text=feed, progress=progress)
    assert llm.calls == 2 and result.usage.llm_calls == 2
    assert llm.requests[1]["stream"] is True  # the repair streams too
    assert set(feed.at_request) == {1}  # every chunk came from the draft
    assert "Pierre Dupont" in feed.text  # the draft as streamed, under verification
    repairing = events.index(("progress", "repairing"))
    assert all(kind == "text" for kind, _ in events[:repairing] if kind != "progress")
    assert not any(kind == "text" for kind, _ in events[repairing:])
    assert not result.streamed_draft_shipped
    assert "Pierre Dupont" not in result.markdown and result.report["fidelity"]["ok"]


@pytest.mark.parametrize("fault", [
    StreamCut(after_chunks=300),
    StreamError(after_chunks=300),
    StreamCut(after_chunks=300, stall=5),  # silence past the 2 s read timeout
    StreamError(after_chunks=0),
], ids=["cut", "error-event", "stall", "error-before-first-chunk"])
async def test_a_stream_broken_midway_is_retried_without_duplicated_text(engine, streaming_llm, sample_text, fault):
    llm = streaming_llm
    feed = Feed(llm)
    llm.script(fault)
    result = await engine.rewrite(sample_text, on_text=feed)
    assert llm.calls == 2 and result.usage.llm_calls == 1  # a transport retry, one logical call
    if fault.after_chunks:
        assert 1 in feed.at_request and 2 in feed.at_request  # text before the break, and after
    assert feed.text == reply_markdown(llm.requests[1]) == result.streamed_markdown
    assert result.streamed_draft_shipped and result.report["fidelity"]["ok"]


async def test_a_retry_that_writes_another_article_stops_the_feed(engine, streaming_llm, sample_text):
    llm = streaming_llm

    def other(request):
        a = good(request)
        a["lead"] = "Autre version du chapô. " + a["lead"]
        return a

    feed = Feed(llm)
    llm.script(StreamCut(after_chunks=300), Reply(other))
    result = await engine.rewrite(sample_text, on_text=feed)
    assert llm.calls == 2 and set(feed.at_request) == {1}
    assert feed.text and reply_markdown(llm.requests[0]).startswith(feed.text)
    assert "Autre version" not in feed.text and "Autre version" in result.markdown
    assert not result.streamed_draft_shipped


async def test_an_invalid_streamed_reply_is_retried_without_duplicated_text(engine, streaming_llm, sample_text):
    llm = streaming_llm
    feed = Feed(llm)
    llm.script(Malformed())  # "stop", but the JSON is cut in half
    result = await engine.rewrite(sample_text, on_text=feed)
    assert llm.calls == 2 and result.usage.llm_calls == 2
    assert 1 in feed.at_request and 2 in feed.at_request
    assert feed.text == reply_markdown(llm.requests[1]) and result.streamed_draft_shipped


async def test_a_failing_on_text_does_not_fail_the_job(engine, streaming_llm, sample_text):
    calls = []

    async def on_text(chunk):
        calls.append(chunk)
        raise RuntimeError("Slack refused the append")

    result = await engine.rewrite(sample_text, on_text=on_text)
    assert len(calls) == 1 and result.report["word_count"] >= 700
    assert not result.streamed_draft_shipped


@pytest.mark.parametrize("mode", ["refuse", "no_json_schema", "off"])
async def test_a_server_that_cannot_stream_gets_todays_request(engine, streaming_llm, sample_text, mode):
    llm = streaming_llm
    llm.streaming = mode
    feed = Feed()
    first = await engine.rewrite(sample_text, on_text=feed)
    assert first.report["word_count"] >= 700 and first.usage.llm_calls == 1
    assert first.usage.completion_tokens > 0
    assert feed.text == "" and not first.streamed_draft_shipped
    calls = llm.calls
    assert calls == (1 if mode == "off" else 2)  # a refusal costs one 400, once
    last = llm.requests[-1]
    assert last["response_format"]["type"] == "json_schema"  # only streaming was given up
    second = await engine.rewrite(sample_text, on_text=feed)
    assert llm.calls == calls + 1 and "stream" not in llm.requests[-1]  # remembered
    assert second.report["word_count"] >= 700


async def test_revisions_stream_their_revision_call(engine, streaming_llm, sample_text):
    llm = streaming_llm
    first = await engine.rewrite(sample_text)
    for job in (lambda on_text: engine.shorten(sample_text, first.article, on_text=on_text),
                lambda on_text: engine.change_keyword(sample_text, first.article, "sommet de Vilnius",
                                                      on_text=on_text),
                lambda on_text: engine.revise(sample_text, first.article, instruction="Plus sobre.",
                                              on_text=on_text)):
        llm.reset()
        llm.stream_chunk_chars = 12
        feed = Feed(llm)
        result = await job(feed)
        assert llm.requests[0]["stream"] is True
        assert set(feed.at_request) == {1}
        assert feed.text == reply_markdown(llm.requests[0])
        assert result.streamed_draft_shipped == (result.usage.llm_calls == 1)


@pytest.mark.parametrize("failures", [
    [Error(500), Error(500)],
    [RateLimit(retry_after=0.2)],
    [Hang(30)],  # no headers within the engine's 10 s timeout
], ids=["two-500s", "429-retry-after", "timeout"])
async def test_failures_before_a_stream_starts_are_retried_as_today(engine, streaming_llm, sample_text, failures):
    llm = streaming_llm
    llm.script(*failures)
    feed = Feed()
    result = await engine.rewrite(sample_text, on_text=feed)
    assert llm.calls == len(failures) + 1 and result.usage.llm_calls == 1
    assert all(r.get("stream") is True for r in llm.requests)
    assert feed.text == reply_markdown(llm.requests[-1]) and result.streamed_draft_shipped


async def test_a_stream_that_keeps_breaking_is_an_llm_error_in_french(engine, streaming_llm, sample_text):
    from seo.errors import LLMError

    llm = streaming_llm
    llm.script(StreamCut(after_chunks=300), StreamCut(after_chunks=300), StreamCut(after_chunks=300))
    feed = Feed()
    with pytest.raises(LLMError, match="interrompue"):
        await engine.rewrite(sample_text, on_text=feed)
    assert llm.calls == 3  # max_retries=2: three attempts
    assert feed.text and reply_markdown(llm.requests[0]).startswith(feed.text)  # sent once, never repeated


async def test_when_the_repair_call_fails_the_streamed_draft_is_what_ships(engine, streaming_llm, sample_text):
    llm = streaming_llm
    llm.script(altered(_invent_figure_and_minister), Error(500), Error(500), Error(500))
    feed = Feed(llm)
    result = await engine.rewrite(sample_text, on_text=feed)
    assert set(feed.at_request) == {1} and "Pierre Dupont" in feed.text
    assert "Pierre Dupont" in result.markdown and not result.report["fidelity"]["ok"]
    assert result.streamed_draft_shipped  # what was streamed is what ships, its issues shown
