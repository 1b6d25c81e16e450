"""Exports that publish as they are: the HTML page and the Markdown file built by seo.render,
read back with an HTML parser, a JSON parser and PyYAML, whatever the article's text holds."""
from __future__ import annotations

import json
import random

import pytest

from seo.article import Article, Section
from seo.render import body_markdown, export_files, to_html, to_markdown
from tests.exports import PageReader, front_matter
from tests.test_engine import llm, run_cli  # noqa: F401  (the fake LLM fixture and the CLI runner)

HOSTILE = [
    "OTAN : le sommet de Vilnius",
    "« Les Ukrainiens progressent » : l’OTAN tranche",
    "- un tiret en tête",
    "-- deux tirets",
    "--- trois tirets",
    "# dièse en tête",
    "Titre # avec dièse",
    "'apostrophe droite' et \"guillemets\"",
    "Clé: valeur: encore",
    "[crochets] et {accolades}",
    "&ancre *étoile !balise %pourcent @arobase `accent grave",
    "yes", "no", "null", "~", "123", "1e3", "0x1F", "2024-07-11", "true",
    "? question", "| barre", "> chevron",
    "</script><script>alert(1)</script>",
    "<!-- commentaire --> & entités &amp; <b>gras</b>",
    "ligne\nsuivante", "tab\tulation", "retour\r", "nul\x00car", "\u2028séparateur\u2029", "nel\x85",
    "espaces  ", "  en tête", "\ufeffBOM", "emoji 🇫🇷 😀", "\\ antislash \\n",
    "",
]


def article(title: str, **kw) -> Article:
    fields = dict(
        focus_keyword=kw.pop("focus_keyword", "sommet de l’OTAN"), title=title,
        meta_title=kw.pop("meta_title", title[:60]), meta_description=kw.pop("meta_description", f"Résumé : {title}"),
        secondary_keywords=kw.pop("secondary_keywords", ["Vilnius", title]), keyword_suggestions=[],
        lead="Le sommet de l’OTAN s’ouvre à Vilnius.",
        sections=[Section(heading="Première partie", body="Texte."), Section(heading=f"Titre : {title}", body="Suite.")],
        slug="sommet-otan", credit=kw.pop("credit", "(Avec AFP)"))
    fields.update(kw)
    return Article(**fields)


def files_for(a: Article) -> dict[str, str]:
    md = to_markdown(a)
    return export_files(a, md, to_html(md))


def random_titles(n: int = 200) -> list[str]:
    rnd = random.Random(13)
    alphabet = list(":\"'«»#-—–?|>!&*%@`[]{},\\/<>\n\t ") + ["</script>", "<!--", "\u00a0", "\u202f", "é", "’",
                                                              "\x7f", "\x1b", "\u2028", "🙂", "...", "---"]
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(n)]


@pytest.mark.parametrize("title", HOSTILE + random_titles())
def test_front_matter_is_valid_yaml_holding_exactly_the_fields(title):
    a = article(title, credit=title or None, meta_description=title, focus_keyword=title)
    meta, rest = front_matter(files_for(a)["article.md"])
    assert meta["title"] == title
    assert meta["meta_title"] == a.meta_title and meta["meta_description"] == title
    assert meta["focus_keyword"] == title and meta["slug"] == "sommet-otan"
    assert meta["secondary_keywords"] == [k for k in a.secondary_keywords if k.strip()]
    assert meta.get("credit") == (title or None)
    assert rest.lstrip("\n").startswith("# ")


@pytest.mark.parametrize("title", HOSTILE + random_titles(60))
def test_html_page_has_title_description_and_a_json_ld_news_article_every_value_escaped(title):
    a = article(title, meta_title=title, meta_description=f"{title} — résumé", credit=f"(Avec AFP) {title}")
    page = PageReader(files_for(a)["article.html"])
    assert page.lang == "fr"
    assert page.title == title
    assert page.meta["description"] == f"{title} — résumé"
    assert page.scripts == 1  # nothing in the text opened or closed a <script>
    ld = page.ld()
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle"
    assert ld["headline"] == title and ld["description"] == f"{title} — résumé"
    assert ld["inLanguage"] == "fr"
    assert ld["keywords"][0] == "sommet de l’OTAN"
    assert ld["sourceOrganization"]["@type"] == "Organization"
    assert "datePublished" not in ld and "author" not in ld  # the source gives neither


def test_json_ld_names_the_agencies_of_the_credit_line_and_nothing_without_one():
    assert PageReader(files_for(article("Titre", credit="(Avec AFP et Reuters)"))["article.html"]).ld()[
        "sourceOrganization"] == {"@type": "Organization", "name": "AFP et Reuters"}
    ld = PageReader(files_for(article("Titre", credit=None))["article.html"]).ld()
    assert "sourceOrganization" not in ld
    assert set(ld) == {"@context", "@type", "headline", "description", "keywords", "inLanguage"}


def test_html_page_body_has_the_title_every_heading_and_the_credit():
    a = article("Le sommet")
    page = PageReader(files_for(a)["article.html"])
    assert page.headings == [("h1", "Le sommet"), ("h2", "Première partie"), ("h2", "Titre : Le sommet")]
    assert "(Avec AFP)" in files_for(a)["article.html"]
    assert "<h1>" not in to_html(body_markdown(a))  # the CMS content has no second title


def test_cli_writes_both_files_and_prints_one_alone_on_stdout(llm, tmp_path):  # noqa: F811
    llm.reset()
    html_path, md_path = tmp_path / "a.html", tmp_path / "a.md"
    proc = run_cli(["rewrite", "tests/fixtures/depeche_otan.txt", "--html", str(html_path),
                    "--markdown", str(md_path), "--json"], llm)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)  # the usual output is still there
    art = out["article"]
    page = PageReader(html_path.read_text(encoding="utf-8"))
    assert page.title == art["meta_title"] and page.meta["description"] == art["meta_description"]
    assert page.ld()["headline"] == art["title"]
    assert [h for t, h in page.headings if t == "h2"] == [s["heading"] for s in art["sections"]]
    meta, body = front_matter(md_path.read_text(encoding="utf-8"))
    assert meta["focus_keyword"] == art["focus_keyword"] and meta["slug"] == art["slug"]
    assert body.strip() == out["markdown"].strip()
    assert llm.calls == 1

    llm.reset()
    proc = run_cli(["rewrite", "tests/fixtures/depeche_otan.txt", "--markdown"], llm)
    assert proc.returncode == 0, proc.stderr
    meta, _ = front_matter(proc.stdout)  # stdout holds the file and nothing else
    assert meta["title"]
    proc = run_cli(["rewrite", "tests/fixtures/depeche_otan.txt", "--html"], llm)
    assert PageReader(proc.stdout).ld()["@type"] == "NewsArticle"
    assert proc.stdout.startswith("<!DOCTYPE html>") and proc.stdout.rstrip().endswith("</html>")


def test_cli_refuses_an_unwritable_path_before_calling_the_model(llm, tmp_path):  # noqa: F811
    llm.reset()
    proc = run_cli(["rewrite", "tests/fixtures/depeche_otan.txt", "--html", str(tmp_path / "nope" / "a.html")], llm)
    assert proc.returncode == 2 and "Dossier introuvable" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli(["rewrite", "tests/fixtures/depeche_otan.txt", "--html", "--markdown"], llm)
    assert proc.returncode == 2 and "sortie standard" in proc.stderr
    assert llm.calls == 0


def test_analyze_reads_the_exported_front_matter(tmp_path):
    from seo.analysis import document_from_markdown

    a = article('OTAN : « le sommet » "Vilnius" # 2024', meta_title='OTAN : « le sommet » "Vilnius"')
    doc = document_from_markdown(files_for(a)["article.md"])
    assert doc.keyword == "sommet de l’OTAN" and doc.meta_title == a.meta_title
    assert doc.meta_description == a.meta_description and doc.slug == "sommet-otan"
