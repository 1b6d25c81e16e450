"""The article's Markdown while its JSON is being written (seo/streaming.py).

Slack's appendStream cannot retract: whatever the JSON holds and wherever a chunk ends, the
Markdown of a longer prefix must start with the Markdown of a shorter one, and the last one
must be the Markdown of the whole article.
"""
from __future__ import annotations

import copy
import json
import random

import pytest

from seo.article import Article
from seo.checks import polish
from seo.cleaning import clean
from seo.fidelity import FidelityGuard
from seo.render import to_markdown
from seo.streaming import MarkdownStream, article_markdown, light_typography, parse_partial, strip_links
from tests.fakes import fake_writer
from tests.harness import ROOT


DISPATCH = (ROOT / "tests" / "fixtures" / "depeche_otan.txt").read_text(encoding="utf-8")


def _sample_article() -> dict:
    dispatch = DISPATCH
    user = f"## Dépêche source\n<depeche>\n{dispatch}\n</depeche>\n## Longueur\nAu moins 700 mots."
    return fake_writer.write({"model": "m", "messages": [{"role": "user", "content": user}]})


SAMPLE = _sample_article()


def _hostile() -> dict:
    """Everything a model may put in the fields that Markdown or a cut could trip on."""
    a = copy.deepcopy(SAMPLE)
    a["title"] = "## Titre avec [un lien](https://exemple.fr/a_b) et\tune\nligne"
    a["lead"] = ("- Chapô qui commence comme une liste, « citation », emoji 🇫🇷 et \\ barre.\r\n\r\nDeuxième "
                 "paragraphe : l'OTAN a dit «non» ! Vraiment ?! À 14:30, voir https://otan.example/a?b=1:2 ou "
                 "www.otan.int/x; écrire à presse@otan.int... Puis : «Oui» ; 3:1 et a:b ; fin:« citée » ...")
    s = a["sections"]
    s[0]["heading"] = "1. Intertitre numéroté ![image](https://x/y.png)"
    s[0]["body"] = ("12. Premier paragraphe [sans fin de lien\n\nsuite [étiquette] (pas un lien) et "
                    "[vrai lien](http://a.b/c?d=e) puis ![alt](i.png).\n\n\n\n   > citation en bloc\n \n"
                    "# pas un titre\n\n## un titre dans le corps\n\n*gras* et _souligné_ et `code` \"guillemets\"")
    s[1]["heading"] = ""
    s[1]["body"] = "+ plus\n\n\t\t\n\n" + "[" * 3 + " crochets " + "]" * 3 + "(" + "x" * 50 + ")"
    s[2]["body"] = ("Texte " + "[" + "long " * 100 + "](http://fin)" + " reste. [[double]](http://d) "
                    "[![logo](http://i.png)](http://lien) [a\nb](http://c) [a\n\nb](http://e)")
    return a


def _reordered() -> dict:
    """Keys in another order than the schema's (json_object servers) and extra fields after."""
    a = copy.deepcopy(SAMPLE)
    sections = a.pop("sections")
    lead = a.pop("lead")
    title = a.pop("title")
    return {"lead": lead, "sections": [{"body": x["body"], "heading": x["heading"]} for x in sections],
            "title": title, **a, "slug": "x", "credit": "(Avec AFP)"}


ARTICLES = {
    "sample": (SAMPLE, False),
    "sample-ascii-escapes": (SAMPLE, True),
    "hostile": (_hostile(), False),
    "hostile-ascii-escapes": (_hostile(), True),
    "wrapped": ({"article": SAMPLE}, False),
    "reordered": (_reordered(), False),
}


def _json(article: dict, ascii_only: bool) -> str:
    return json.dumps(article, ensure_ascii=ascii_only)


def _prefixes(text: str, seed: int):
    """Cuts at random places, and at every character around the structure of the JSON."""
    rng = random.Random(seed)
    cuts = set(rng.sample(range(1, len(text)), min(len(text) - 1, 1500)))
    for i, ch in enumerate(text):
        if ch in '"\\[]{}(),:\n' or not ch.isalnum():
            cuts.update((i, i + 1))
    return [text[:n] for n in sorted(c for c in cuts if 0 < c < len(text))]


@pytest.mark.parametrize("name", list(ARTICLES))
def test_the_markdown_of_a_growing_reply_only_ever_grows(name):
    article, ascii_only = ARTICLES[name]
    text = _json(article, ascii_only)
    previous = ""
    for prefix in _prefixes(text, seed=len(name)):
        data = parse_partial(prefix.encode())
        md = article_markdown(data, complete=False) if data is not None else ""
        assert md.startswith(previous), (len(prefix), previous[-60:], md[-60:])
        previous = md
    final = article_markdown(parse_partial(text.encode()), complete=True)
    assert final.startswith(previous)
    # Whatever the escaping of the JSON, the same article gives the same Markdown.
    assert final == article_markdown(json.loads(text), complete=True)


@pytest.mark.parametrize("name", ["sample", "wrapped", "reordered"])
def test_a_whole_reply_reads_like_the_article_the_engine_ships(name):
    article, ascii_only = ARTICLES[name]
    final = article_markdown(parse_partial(_json(article, ascii_only).encode()), complete=True)
    shipped = polish(Article(**SAMPLE), FidelityGuard(clean(DISPATCH).fact_source), credit=None)
    assert final + "\n" == to_markdown(shipped)  # same text and shape as render.py (no credit line)


def test_links_images_and_block_markers_are_cleaned_prefix_stably():
    md = article_markdown(_hostile(), complete=True)
    assert "](" not in md and "https://exemple.fr" not in md and "http://a.b" not in md
    assert md.startswith("# Titre avec un lien et une ligne\n\n\\- Chapô")
    assert "## 1. Intertitre numéroté image" in md
    assert "\n\n\\12. Premier paragraphe [sans fin de lien\n\n" in md
    assert "suite [étiquette] (pas un lien) et vrai lien puis alt." in md
    assert "\n\n\\> citation en bloc\n\n\\# pas un titre\n\n## un titre dans le corps\n\n" in md
    assert "\n\n\\+ plus\n\n" in md and "## \n" not in md  # an empty heading is left out
    assert "[[ crochets ]]" in md and "x" * 50 not in md
    assert "Texte [long " in md and "] (http://fin) reste." in md  # too long a label: its link is broken
    assert "[double] logo a\nb [a\n\nb] (http://e)" in md


@pytest.mark.parametrize("text, final, expected", [
    ("voir [le sommet](https://x.y/z) demain", True, "voir le sommet demain"),
    ("voir [le sommet](https://x.y", False, "voir"),
    ("voir [le sommet", False, "voir"),
    ("voir ![une image](a.png)", True, "voir une image"),
    ("voir [le sommet] puis", False, "voir [le sommet] puis"),
    ("voir [le sommet]", False, "voir"),
    ("voir [le sommet]", True, "voir [le sommet]"),
    ("[a](b) [c](d)", True, "a c"),
    ("[[a] b](c) [d [e]](f)", True, "[a] b d [e]"),
    ("[a](b\nc) d", True, "[a] (b\nc) d"),
    ("[a] (b) [c](d", False, "[a] (b)"),
])
def test_strip_links(text, final, expected):
    assert strip_links(text, final) == expected


@pytest.mark.parametrize("text, expected", [
    ("l'OTAN et aujourd'hui", "l’OTAN et aujourd’hui"),
    ("Ukraine : la suite", "Ukraine\u00a0: la suite"),
    ("Ukraine: la suite ; Vraiment ?! Oui !", "Ukraine\u00a0: la suite\u00a0; Vraiment\u00a0?! Oui\u00a0!"),
    ("«non» et « oui »", "«\u00a0non\u00a0» et «\u00a0oui\u00a0»"),
    ("à 14:30, https://x.fr/a?b=1:2 et a@b.fr: ok", "à 14:30, https://x.fr/a?b=1:2 et a@b.fr\u00a0: ok"),
    ("et puis...", "et puis…"),
])
def test_light_typography_matches_french_typography(text, expected):
    from seo.typography import french_typography
    assert light_typography(text) == expected == french_typography(text)


def _chunks(text: str, rng: random.Random) -> list[str]:
    out, i = [], 0
    while i < len(text):
        n = rng.randint(1, 24)  # a few tokens
        out.append(text[i:i + n])
        i += n
    return out


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        self.t += 0.02  # a chunk every 20 ms
        return self.t


async def _stream(sink: MarkdownStream, text: str, seed: int, *, finish: bool = True) -> None:
    await sink.restart()
    for piece in _chunks(text, random.Random(seed)):
        await sink.feed(piece)
    if finish:
        await sink.finish()


@pytest.mark.parametrize("name", list(ARTICLES))
async def test_on_text_receives_appended_markdown_that_adds_up_to_the_article(name):
    article, ascii_only = ARTICLES[name]
    text = _json(article, ascii_only)
    got: list[str] = []

    async def on_text(chunk: str) -> None:
        got.append(chunk)

    sink = MarkdownStream(on_text, clock=Clock())
    await _stream(sink, text, seed=1)
    # The title first, then the body: a reply that writes the title last shows all at its end.
    assert all(got) and len(got) >= (1 if name == "reordered" else 10)
    assert "".join(got) == article_markdown(article, complete=True) == sink.sent
    assert sink.complete and sink.active


async def test_a_retry_that_writes_the_same_text_sends_nothing_twice():
    text = _json(SAMPLE, False)
    got: list[str] = []

    async def on_text(chunk):
        got.append(chunk)

    sink = MarkdownStream(on_text, clock=Clock())
    await _stream(sink, text[: len(text) // 2], seed=2, finish=False)  # cut midway
    half = "".join(got)
    assert half and not sink.complete
    await _stream(sink, text, seed=3)
    assert "".join(got) == article_markdown(SAMPLE, complete=True)
    assert "".join(got).startswith(half) and sink.complete


async def test_a_retry_that_writes_another_text_stops_the_feed():
    other = copy.deepcopy(SAMPLE)
    other["title"] = "Un tout autre titre pour la même dépêche"
    got: list[str] = []

    async def on_text(chunk):
        got.append(chunk)

    sink = MarkdownStream(on_text, clock=Clock())
    await _stream(sink, _json(SAMPLE, False)[:3000], seed=4, finish=False)
    sent = "".join(got)
    assert sent.startswith("# Ukraine")
    await _stream(sink, _json(other, False), seed=5)
    assert "".join(got) == sent  # nothing more, nothing corrected
    assert not sink.active and not sink.complete


async def test_a_reply_cut_short_keeps_its_last_word_held_back():
    text = _json(SAMPLE, False)
    cut = text.index("Stoltenberg", text.index("\"lead\"")) + len("Stolten")
    got: list[str] = []

    async def on_text(chunk):
        got.append(chunk)

    sink = MarkdownStream(on_text, clock=Clock())
    await _stream(sink, text[:cut], seed=6)  # a "stop" with invalid JSON: it will be retried
    assert "".join(got).endswith("Jens") and not sink.complete
    await _stream(sink, text, seed=7)
    assert "".join(got) == article_markdown(SAMPLE, complete=True)


async def test_an_on_text_failure_stops_the_feed_without_raising():
    calls = []

    async def on_text(chunk):
        calls.append(chunk)
        if len(calls) == 2:
            raise RuntimeError("Slack is gone")

    sink = MarkdownStream(on_text, clock=Clock())
    await _stream(sink, _json(SAMPLE, False), seed=8)
    assert len(calls) == 2 and not sink.active and not sink.complete


async def test_rendering_is_throttled():
    text = _json(SAMPLE, False)

    async def on_text(chunk):
        pass

    fast = MarkdownStream(on_text, min_bytes=512, min_interval=3600.0)
    await _stream(fast, text, seed=9)
    assert fast.renders <= len(text.encode()) // 512 + 3
    assert fast.complete


async def test_the_first_words_go_out_with_the_chunk_that_completes_them():
    text = _json(SAMPLE, False)
    title_at = text.index('"title"')
    first_word_end = text.index(" ", title_at + len('"title": "'))
    got: list[str] = []

    async def on_text(chunk):
        got.append(chunk)

    sink = MarkdownStream(on_text, min_bytes=10**9, min_interval=3600.0)  # only the first-words rule
    await sink.restart()
    for ch in text[:first_word_end]:
        await sink.feed(ch)
    assert got == []  # "Ukraine" might still grow
    await sink.feed(text[first_word_end])  # the space after it
    assert got == ["# Ukraine"]
