"""Short copy (titles, social posts): limits enforced in code, fidelity guard applied."""
from __future__ import annotations

import pytest

from seo.article import Article, Section
from seo.fidelity import FidelityGuard
from seo.headlines import TitleIdea, check_variant
from seo.social import PUSH_MAX, X_MAX, SocialDraft, _drop_extra_hashtags, enforce, fit, sentences

SOURCE = ("Le secrétaire général de l'Otan, Jens Stoltenberg, a annoncé mardi à Vilnius l'envoi de 300 chars "
          "supplémentaires. « Nous resterons aux côtés de l'Ukraine aussi longtemps qu'il le faudra », a-t-il dit.")
GUARD = FidelityGuard(SOURCE)
ARTICLE = Article(focus_keyword="sommet de l’Otan", title="Sommet de l’Otan : 300 chars pour l’Ukraine",
                  meta_title="Sommet de l’Otan : 300 chars", meta_description="x" * 130, secondary_keywords=[],
                  keyword_suggestions=[], lead="Le sommet de l’Otan.", sections=[Section(heading="h", body="b")],
                  slug="sommet-otan")


@pytest.mark.parametrize("text, kept, dropped", [
    ("Otan #a #b #c", ["#a", "#b"], ["#c"]),
    ("Le #sommet de l’#Otan à #Vilnius se tient", ["#sommet", "#Otan"], ["#Vilnius"]),
    ("Texte #un #deux #trois #quatre", ["#un", "#deux"], ["#trois", "#quatre"]),
    ("#a #b", ["#a", "#b"], []),
])
def test_x_post_keeps_two_hashtags_at_most(text, kept, dropped):
    out = _drop_extra_hashtags(text)
    assert out.count("#") <= 2
    assert all(k in out for k in kept) and not any(d in out for d in dropped)
    if "Vilnius" in text:
        assert "Vilnius" in out  # an inline tag keeps its word


@pytest.mark.parametrize("limit", [20, 50, 120, 280])
def test_fit_never_exceeds_the_limit_and_prefers_whole_sentences(limit):
    text = "Première phrase courte. " + "Une seconde phrase bien plus longue que tout le reste " * 8
    out = fit(text, limit)
    assert 0 < len(out) <= limit
    if limit >= len("Première phrase courte."):
        assert out == "Première phrase courte."


def test_sentences_keep_closing_guillemets():
    assert sentences("Il a dit « non. » Puis il est parti ! Fin") == ["Il a dit « non. »", "Puis il est parti !", "Fin"]


def test_enforce_limits_typography_and_fidelity():
    draft = SocialDraft(push="Otan : " + "annonce " * 40, x_post="Otan : 300 chars " + "x " * 200 + "#a #b #c",
                        facebook="Stoltenberg a annoncé 450 chars à <https://evil.example|Vilnius> @channel.",
                        newsletter="Un. Deux. Trois. Quatre.")
    texts, issues = enforce(draft, GUARD)
    assert len(texts["push"]) <= PUSH_MAX and len(texts["x_post"]) <= X_MAX
    assert texts["newsletter"].count(".") == 3
    assert "<!channel>" not in texts["facebook"] and "evil.example" not in texts["facebook"].replace("evil.example|", "")
    assert [i["text"] for i in issues if i["kind"] == "number"] == ["450"]
    assert issues[0]["field"] == "facebook"


def test_a_title_with_an_invented_figure_or_a_reworded_quote_is_checked():
    invented = check_variant(TitleIdea(angle="chiffre", title="Sommet de l’Otan : 450 chars pour l’Ukraine",
                                       meta_title="Sommet de l’Otan : 450 chars"), ARTICLE, GUARD)
    assert {i["text"] for i in invented.issues} == {"450"}
    quote = check_variant(TitleIdea(angle="citation", title="Sommet de l’Otan : « Nous resterons aux côtés de "
                                    "l'Ukraine aussi longtemps qu'il faudra »", meta_title="Sommet de l’Otan"),
                          ARTICLE, GUARD)
    quoted = quote.title.split("«", 1)[1].rsplit("»", 1)[0].strip("\u00a0 ").replace("’", "'")
    assert not quote.issues and "faudra" not in quoted.split("qu'il")[-1].replace("le faudra", "")
    assert quoted in SOURCE.replace("’", "'")  # put back to the source's words
    long_meta = check_variant(TitleIdea(angle="x", title="Sommet de l’Otan : Vilnius",
                                        meta_title="Sommet de l’Otan : " + "très long titre " * 10), ARTICLE, GUARD)
    assert len(long_meta.meta_title) <= 60 and long_meta.meta_title.startswith("Sommet de l’Otan")
    assert {c["id"] for c in long_meta.checks} == {"keyphraseInSEOTitle", "titleWidth"}


@pytest.mark.parametrize("text", ["x" * 300, "Otan\u00a0: " + "y" * 300, "mot " * 100])
@pytest.mark.parametrize("limit", [20, 120, 280])
def test_fit_holds_the_limit_even_without_a_space_to_cut_at(text, limit):
    out = fit(text, limit)
    assert 0 < len(out) <= limit and out.endswith("…")


@pytest.mark.parametrize("ellipsis", [False, True])
@pytest.mark.parametrize("text", ["x" * 200, "Sommet\u00a0: " + "y" * 200, "le sommet de l’Otan " * 10])
def test_trim_at_word_never_overflows(text, ellipsis):
    from seo.checks import trim_at_word

    out = trim_at_word(text, 60, ellipsis=ellipsis)
    assert 0 < len(out) <= 60 and not out.rstrip("…").endswith(("\u00a0", " "))
