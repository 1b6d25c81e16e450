"""Fidelity guard (seo.fidelity): quotations, figures and names against the dispatch."""
import time
from pathlib import Path

import pytest

from seo.fidelity import FidelityGuard, FidelityIssue
from seo.typography import french_typography

SAMPLE = (Path(__file__).parent / "fixtures" / "depeche_otan.txt").read_text(encoding="utf-8")

# A faithful rewrite of the sample: quotations with straight apostrophes, straight and
# curly quote marks, guillemets with and without inner spaces, no-break spaces, "..."
# for "…", "[...]" elisions, fragments, first-letter case changed; figures written
# differently; demonyms; a heading in Title Case.
FAITHFUL = """\
# OTAN : Jens Stoltenberg salue les progrès de l'Ukraine face à la Russie

Washington (AFP) – Reçu mardi à la Maison Blanche par le président américain Joe Biden, \
le secrétaire général de l'OTAN, Jens Stoltenberg, a estimé que l'Ukraine "fait des progrès" \
dans sa contre-offensive. « Les Ukrainiens progressent, progressent », a-t-il insisté dans le \
Bureau ovale.

## Une Contre-Offensive Qui Avance Pour Les Ukrainiens

Avant le sommet de l'OTAN prévu en juillet à Vilnius, la capitale lituanienne, Jens Stoltenberg \
a livré la lecture que fait l'Alliance de la tentative ukrainienne. Selon lui, \
« plus les Ukrainiens pourront libérer de terres, plus ils auront une main forte à la table des \
négociations ».

Les Ukrainiens parlent avec optimisme de leur contre-attaque sur les fronts de l'est et du sud. \
Interrogé par CNN, le chef de l'Alliance a toutefois jugé qu'il était «encore tôt» pour cette \
offensive, qu'il a qualifiée de “difficile”. Les Russes, eux, font face à une résistance féroce.

## Le soutien américain réaffirmé

Joe Biden a salué la réaction de l'OTAN à l'invasion russe. « Nous avons renforcé le flanc \
oriental de l'OTAN, indiqué clairement que nous défendrons chaque centimètre carré du \
territoire de l'OTAN. Je le répète: l'engagement des États-Unis envers l'article V de l'OTAN \
est solide comme le roc », a déclaré le président américain.

Le département d'État a annoncé un nouveau paquet de 325 millions de dollars (325 000 000 \
dollars) de munitions et d'armes lourdes. Selon le Pentagone, ce paquet fournit « des capacités \
clés pour aider l'Ukraine à reprendre son territoire souverain [...] alors qu'ils protègent \
courageusement les soldats, les civils et les infrastructures critiques de l'Ukraine ».

## Un avertissement à la Chine

Vladimir Poutine a ordonné l'invasion de l'Ukraine en février 2022. Pour Jens Stoltenberg, \
les Ukrainiens « ont le droit... de libérer leur propre terre ». Il a prévenu\u00a0: \
«\u00a0Cela enverra un message aux dirigeants autoritaires du monde entier, y compris en \
Chine, que lorsqu'ils utilisent la force militaire, ils obtiennent ce qu'ils veulent.\u00a0»

## Quelle succession ?

Interrogé sur sa succession, le chef de l'OTAN s'est dit « absolument convaincu qu’ils \
trouveront un excellent successeur ». « Mon objectif est maintenant de diriger cette alliance \
jusqu'à la fin de mon mandat, car nous sont au milieu d'une guerre en Europe », a-t-il ajouté. \
L'attachée de presse Karine Jean-Pierre a assuré que le président « N'a encore pris aucune \
décision ». "Nous pensons que le secrétaire général a fait un travail fantastique", a-t-elle dit.

1. Les Américains soutiennent Kyiv... non : l'Ukraine.
"""

TYPO_QUOTE = (
    "« Je suis absolument convaincu qu’ils trouveront un excellent successeur. Mon objectif est "
    "maintenant de diriger cette alliance jusqu’à la fin de mon mandat, car nous sont au milieu "
    "d’une guerre en Europe. »"
)


@pytest.fixture(scope="module")
def guard() -> FidelityGuard:
    return FidelityGuard(SAMPLE)


def kinds(issues: list[FidelityIssue]) -> list[tuple[str, str]]:
    return [(i.kind, i.text) for i in issues]


# ---------------------------------------------------------- faithful text ---

def faithful_without_kyiv() -> str:
    return FAITHFUL.replace("Kyiv... non : ", "")


def test_faithful_rewrite_raises_nothing(guard):
    text = faithful_without_kyiv()
    assert guard.issues(text) == []
    assert guard.fix_quotes(text) == text


def test_faithful_rewrite_after_typography_raises_nothing(guard):
    text = french_typography(faithful_without_kyiv())
    assert guard.issues(text) == []
    assert guard.fix_quotes(text) == text


def test_each_field_alone_raises_nothing(guard):
    for part in faithful_without_kyiv().split("\n\n"):
        assert guard.issues(part) == [], part


def test_name_not_in_source_in_faithful_text_is_caught(guard):
    assert kinds(guard.issues(FAITHFUL)) == [("name", "Kyiv")]


# ------------------------------------------------------------------ quotes ---

def test_near_miss_typo_fix_is_reverted_to_source_words(guard):
    article = (
        "Stoltenberg a déclaré à CNN : « Je suis absolument convaincu qu'ils trouveront un excellent "
        "successeur. Mon objectif est maintenant de diriger cette alliance jusqu'à la fin de mon "
        "mandat, car nous sommes au milieu d'une guerre en Europe. » Fin."
    )
    issues = guard.issues(article)
    assert [i.kind for i in issues] == ["quote"]
    assert "nous sont au milieu" in issues[0].detail
    fixed = guard.fix_quotes(article)
    assert TYPO_QUOTE in fixed  # exact source words, source typo included
    assert fixed.startswith("Stoltenberg a déclaré à CNN : « Je suis")
    assert fixed.endswith(" Fin.")
    assert guard.issues(fixed) == []
    assert guard.fix_quotes(fixed) == fixed


def test_near_miss_word_changed_keeps_article_quote_marks(guard):
    article = 'Il a dit : "Plus les Ukrainiens pourront libérer des terres, plus ils auront une main forte".'
    fixed = guard.fix_quotes(article)
    assert fixed == (
        'Il a dit : "Plus les Ukrainiens pourront libérer de terres, plus ils auront une main forte".'
    )
    article = "“Nous pensons que le secrétaire général a fait un travail formidable”, a-t-elle dit."
    assert guard.fix_quotes(article) == (
        "“Nous pensons que le secrétaire général a fait un travail fantastique”, a-t-elle dit."
    )


def test_near_miss_word_dropped(guard):
    article = "« Les Ukrainiens progressent, progressent vraiment »"
    fixed = guard.fix_quotes(article)
    assert fixed == "« Les Ukrainiens progressent, progressent »"


def test_near_miss_inside_elided_quote(guard):
    article = (
        "« Nous avons renforcé le flanc est de l'OTAN [...] l'engagement des États-Unis envers "
        "l'article V de l'OTAN est solide comme le roc »"
    )
    fixed = guard.fix_quotes(article)
    assert "« Nous avons renforcé le flanc oriental de l’OTAN [...] l'engagement" in fixed
    assert guard.issues(fixed) == []


def test_first_letter_case_is_free_other_case_is_restored(guard):
    assert guard.issues("Il dit que « nous pensons que le secrétaire général a fait un travail fantastique ».") == []
    assert guard.fix_quotes("« Les ukrainiens progressent »") == "« Les Ukrainiens progressent »"


def test_fragments_are_fine(guard):
    for text in (
        "Il juge l'offensive « difficile ».",
        "Le président « n’a encore pris aucune décision ».",
        "Une offensive « encore tôt » selon lui.",
        "L'Ukraine « fait des progrès ».",
        "« solide comme le roc »",
        "« …de libérer leur propre terre »",
        "« ont le droit… de libérer leur propre terre »",
        "« ont le droit ... de libérer leur propre terre »",
    ):
        assert guard.issues(text) == [], text
        assert guard.fix_quotes(text) == text


def test_markdown_emphasis_inside_quotes(guard):
    assert guard.issues("Il a dit : « **Les Ukrainiens progressent, progressent** ».") == []
    assert guard.issues("Il a dit : « Les Ukrainiens *progressent*, progressent ».") == []
    fixed = guard.fix_quotes("« **Les Ukrainiens progressent vraiment, progressent** »")
    assert fixed == "« **Les Ukrainiens progressent, progressent** »"


def test_partial_word_is_not_a_fragment(guard):
    assert [i.kind for i in guard.issues("« progress »")] == ["quote"]


def test_invented_quote_is_an_issue(guard):
    issues = guard.issues("Biden a ajouté : « Nous gagnerons cette guerre avant l’hiver ».")
    assert kinds(issues) == [("quote", "« Nous gagnerons cette guerre avant l’hiver »")]
    assert issues[0].detail == "Citation introuvable dans la dépêche"
    # and nothing is "fixed" into a source quotation
    text = "« Nous gagnerons cette guerre avant l’hiver »"
    assert guard.fix_quotes(text) == text


def test_short_invented_quote_is_not_pulled_to_a_source_word(guard):
    for text in ("« facile »", "« un succès »", "« encore trop tôt »"):
        assert guard.fix_quotes(text) == text
        assert [i.kind for i in guard.issues(text)] == ["quote"]


def test_elided_pieces_out_of_order(guard):
    text = "« plus ils auront une main forte […] Plus les Ukrainiens pourront libérer de terres »"
    issues = guard.issues(text)
    assert [i.kind for i in issues] == ["quote"]
    assert "ordre" in issues[0].detail
    ok = "« Plus les Ukrainiens pourront libérer de terres (...) à la table des négociations »"
    assert guard.issues(ok) == []


def test_nested_quotes(guard):
    source = "Il a déclaré : « Le ministre m’a dit “nous tiendrons” hier soir. »"
    g = FidelityGuard(source)
    assert g.issues('Il a dit : « Le ministre m\'a dit "nous tiendrons" hier soir ».') == []
    assert g.issues("« Le ministre m’a dit « nous tiendrons » hier soir »") == []
    assert g.issues("Selon lui, “nous tiendrons”.") == []
    assert [i.kind for i in g.issues("« Le ministre m’a dit “nous céderons” hier soir »")] == ["quote"]


def test_quote_spaces_and_apostrophes_variants(guard):
    variants = [
        "« Je le répète : l'engagement des États-Unis envers l'article V de l'OTAN est solide comme le roc »",
        "«Je le répète: l’engagement des États-Unis envers l’article V de l’OTAN est solide comme le roc»",
        "«\u00a0Je le répète\u00a0: l‘engagement des États-Unis envers l\u02bcarticle V de l’OTAN est "
        "solide  comme le roc\u00a0»",
        "«\u202fJe le répète\u202f: l’engagement des États-Unis envers l’article V de l’OTAN est solide comme le roc\u202f»",
    ]
    for text in variants:
        assert guard.issues(text) == [], text


# ----------------------------------------------------------------- numbers ---

def test_invented_figure_is_an_issue(guard):
    issues = guard.issues("Washington a débloqué 450 millions de dollars pour l'Ukraine.")
    assert kinds(issues) == [("number", "450 millions")]
    assert issues[0].detail == "Chiffre absent de la dépêche"


def test_figures_of_the_source_in_other_forms(guard):
    for text in (
        "Un paquet de 325 millions de dollars.",
        "Un paquet de 325 000 000 de dollars.",
        "Un paquet de 325\u00a0000\u00a0000 de dollars.",
        "Un paquet de 0,325 milliard de dollars.",
        "Depuis février 2022.",
        "L'article 5 de l'OTAN.",  # the source writes "article V"
    ):
        assert guard.issues(text) == [], text


@pytest.mark.parametrize("written", ["8 000", "8000", "8\u00a0000", "8\u202f000"])
def test_grouped_and_ungrouped_numbers_are_equal(written):
    g = FidelityGuard("Quelque 8000 soldats et une hausse de 7,5 % et 12 500 euros.")
    assert g.issues(f"Quelque {written} soldats.") == []
    assert g.issues("Une hausse de 7.5 %, soit 7,5\u00a0%, et 12500 euros.") == []
    assert [i.text for i in g.issues("Quelque 9 000 soldats et 7,6 %.")] == ["9 000", "7,6 %"]


def test_parts_of_a_grouped_source_number_are_not_source_numbers():
    g = FidelityGuard("Quelque 12 300 soldats.")
    assert g.issues("12300 soldats") == []
    assert kinds(g.issues("300 soldats")) == [("number", "300")]


def test_numbers_written_in_words_in_the_source():
    g = FidelityGuard(
        "Trois blindés, vingt-deux soldats, quatre-vingt-dix drones, deux cents obus, "
        "trois millions d'euros et le premier ministre ; la deuxième offensive."
    )
    text = "3 blindés, 22 soldats, 90 drones, 200 obus, 3 millions d'euros, le 1er ministre, la 2e offensive."
    assert g.issues(text) == []
    assert kinds(g.issues("4 blindés")) == [("number", "4")]


def test_ordinals_centuries_lists_and_urls(guard):
    assert guard.issues("1. Premier point\n2. Second point") == []
    # figures inside URLs are no figures; the URLs themselves are link issues
    assert kinds(guard.issues("Voir [la carte](https://afp.com/2024/carte-12345.html) et https://x.fr/99.")) == [
        ("link", "https://afp.com/2024/carte-12345.html"), ("link", "https://x.fr/99")]
    assert kinds(guard.issues("Au XXIe siècle.")) == [("number", "XXIe")]
    assert kinds(guard.issues("En 2019, à 14h30.")) == [("number", "2019"), ("number", "14"), ("number", "30")]


# ------------------------------------------------------------------- names ---

def test_invented_minister_is_an_issue(guard):
    issues = guard.issues("Selon le ministre Pierre Dupont, l'aide continuera.")
    assert kinds(issues) == [("name", "Pierre Dupont")]
    assert issues[0].detail == "Nom absent de la dépêche"
    assert kinds(guard.issues("Pierre Dupont a réagi.")) == [("name", "Pierre Dupont")]
    assert kinds(guard.issues("Selon Pierre Dupont, oui.")) == [("name", "Pierre Dupont")]
    assert kinds(guard.issues("Il a appelé M. Dupont.")) == [("name", "Dupont")]
    assert kinds(guard.issues("« Nous tiendrons », a dit Dupont.")) == [("quote", "« Nous tiendrons »"), ("name", "Dupont")]
    assert kinds(guard.issues("« La guerre » Dupont")) == [("quote", "« La guerre »"), ("name", "Dupont")]


def test_invented_acronym_and_places(guard):
    assert kinds(guard.issues("Il a parlé à CNN puis à la BBC.")) == [("name", "BBC")]
    assert kinds(guard.issues("L'armée avance vers Kherson.")) == [("name", "Kherson")]
    assert kinds(guard.issues("UE : Biden reçu.")) == [("name", "UE")]


def test_source_names_in_other_forms(guard):
    for text in (
        "Les Ukrainiens et les Russes, le soutien ukrainien, les Américains.",
        "La capitale Lituanienne accueille les Européens.",  # Lituanie, Europe
        "Lundi, Biden a parlé. En Juillet, le sommet. Mardi 13 juin n'est pas cité.".replace(" 13 juin", ""),
        "Karine Jean-Pierre et Jens Stoltenberg à la Maison Blanche.",
        "Les États-Unis et l'Alliance atlantique face au Kremlin".replace(" face au Kremlin", ""),
        "Concrètement, l'OTAN soutient l'Ukraine. Toutefois, Vladimir Poutine insiste.",
        "Le Premier ministre et l'État.",
        "« Ils obtiennent ce qu’ils veulent.\u00a0» Ainsi, la suite viendra. (Oui.) Mais encore.",
        "« Ils obtiennent ce qu’ils veulent ! » Reste que rien n’est joué.",
    ):
        assert guard.issues(text) == [], text


def test_headings_in_title_case(guard):
    assert guard.issues("## Une Offensive Qui Progresse Pour Les Ukrainiens") == []
    assert guard.issues("Ce Que Veulent Les Alliés De L'OTAN") == []
    assert kinds(guard.issues("## Ce Que Veut La BBC")) == [("name", "BBC")]
    # a sentence full of names is not a Title Case heading
    assert kinds(guard.issues("Joe Biden et Pierre Dupont à la Maison Blanche")) == [("name", "Pierre Dupont")]


# ----------------------------------------------------------- the contract ---

def test_issue_model_contract(guard):
    issue = guard.issues("Le ministre Pierre Dupont")[0]
    assert issue.model_dump() == {"kind": "name", "text": "Pierre Dupont", "detail": "Nom absent de la dépêche"}


def test_empty_inputs():
    g = FidelityGuard("")
    assert g.issues("") == []
    assert g.fix_quotes("") == ""
    assert [i.kind for i in g.issues("« Bonjour »")] == ["quote"]


def test_issues_are_not_repeated(guard):
    text = "Pierre Dupont. Le ministre Pierre Dupont et Pierre Dupont."
    assert kinds(guard.issues(text)) == [("name", "Pierre Dupont")]


def test_a_thousand_words_in_a_few_milliseconds():
    text = faithful_without_kyiv()
    words = len(text.split())
    big = (text + "\n\n") * (1000 // words + 1)
    assert len(big.split()) >= 1000
    start = time.perf_counter()
    guard = FidelityGuard(SAMPLE)
    index_time = time.perf_counter() - start
    best = min(_timed(guard, big) for _ in range(3))
    assert guard.issues(big) == []
    assert index_time < 0.1
    assert best < 0.05, f"{best * 1000:.1f} ms"


def _timed(guard: FidelityGuard, text: str) -> float:
    start = time.perf_counter()
    guard.fix_quotes(text)
    guard.issues(text)
    return time.perf_counter() - start


# ------------------------------------------- numbers in the source's conventions ---

def english(figure: str) -> str:
    return (f"Washington (AFP) - The ministry said on Tuesday that {figure} had been recorded in the region, "
            "according to a report that was published by the agency.")


def french(figure: str) -> str:
    return (f"Paris (AFP) - Le ministère a indiqué mardi que {figure} avaient été recensés dans la région, "
            "selon un rapport publié par l’agence.")


def german(figure: str) -> str:
    return (f"Berlin (dpa) - Das Ministerium hat am Dienstag mitgeteilt, dass {figure} in der Region "
            "gezählt wurden, die Zahl ist nicht endgültig und wurde von dem Amt veröffentlicht.")


SAME_VALUE = [
    # (source, the same figure as a French article writes it)
    (english("800,000 jobs"), ["800 000 emplois", "800\u00a0000 emplois", "800\u202f000 emplois", "800000 emplois",
                               "800 mille emplois", "0,8 million d’emplois"]),
    (english("1.5 million people"), ["1,5 million de personnes", "1 500 000 personnes", "1,5 M de personnes",
                                     "1\u00a0500\u00a0000 personnes"]),
    (english("$2bn"), ["2 milliards de dollars", "2 Mds de dollars", "2 Md$", "2 000 millions de dollars"]),
    (english("a 2.5% rise"), ["2,5 %", "2,5\u00a0%", "2,5 pour cent"]),
    (english("5 000 claims"), ["5 000 demandes", "5000 demandes"]),
    (english("1,234,567 votes"), ["1 234 567 voix"]),
    (english("a rate of 3.14"), ["un taux de 3,14"]),
    (english("$1.25 billion"), ["1,25 milliard de dollars", "1 250 millions de dollars"]),
    (english("300k euros"), ["300 000 euros"]),
    (english("a £5m fine"), ["5 millions de livres"]),
    (english("between 2 and 3 billion dollars"), ["entre 2 et 3 milliards de dollars"]),
    (english("two million refugees"), ["2 millions de réfugiés"]),
    (english("a million refugees"), ["1 million de réfugiés"]),
    (english("1,500 soldiers"), ["1 500 soldats"]),
    (english("12,000.5 tonnes"), ["12 000,5 tonnes"]),
    (french("800 000 emplois"), ["800 000", "800\u202f000", "800000", "0,8 million"]),
    (french("1,5 million de personnes"), ["1,5 million", "1 500 000"]),
    (french("7,5 % des habitants"), ["7,5 %"]),
    (french("2 milliards d’euros"), ["2 milliards", "2 Mds €", "2 000 millions"]),
    (french("5.000 manifestants"), ["5 000 manifestants"]),
    (french("5.000 manifestants contre le 49.3"), ["5 000 manifestants"]),
    (french("2 à 3 millions de personnes"), ["2 à 3 millions", "2 millions"]),
    (german("5.000 Menschen"), ["5 000 personnes"]),
    (german("1,5 Millionen Menschen"), ["1,5 million"]),
    (german("2 Milliarden Euro"), ["2 milliards d’euros"]),
    (german("2,5 Prozent"), ["2,5 %"]),
    (german("2.000.000 Euro"), ["2 millions d’euros"]),
]


@pytest.mark.parametrize("source, written", [(s, w) for s, ws in SAME_VALUE for w in ws])
def test_a_figure_of_the_source_in_any_french_form_raises_nothing(source, written):
    assert FidelityGuard(source).issues(f"Selon le rapport, {written} en tout.") == []


OFF_BY_A_SCALE = [
    # (source, a wrong figure in the article)
    (english("800,000 jobs"), ["800 employés", "800 millions d’emplois", "80 000 emplois", "8 000 emplois"]),
    (english("1.5 million people"), ["1,5 milliard de personnes", "1 500 personnes", "15 millions de personnes",
                                     "1,5 personne"]),
    (english("$2bn"), ["2 millions de dollars", "2 billions de dollars", "2 000 dollars"]),
    (english("1,500 soldiers"), ["1,5 soldat", "15 soldats"]),
    (english("3.5 billion"), ["3,5 millions", "3 500 milliards"]),
    (french("2 millions d’euros"), ["2 milliards d’euros", "2 000 millions d’euros", "2 000 euros"]),
    (french("800 000 emplois"), ["800 emplois", "800 millions"]),
    (french("1,5 million de personnes"), ["1 500 personnes", "1,5 milliard"]),
    (german("5.000 Menschen"), ["5 personnes", "5 millions"]),
]


@pytest.mark.parametrize("source, written", [(s, w) for s, ws in OFF_BY_A_SCALE for w in ws])
def test_a_figure_off_by_a_scale_is_an_issue(source, written):
    issues = FidelityGuard(source).issues(f"Selon le rapport, {written} en tout.")
    assert [i.kind for i in issues] == ["number"], issues


@pytest.mark.parametrize("written, right", [("800,000 emplois", "800\u00a0000"), ("2 billions de dollars",
                                                                                  "2\u00a0milliards")])
def test_a_source_figure_in_english_notation_says_how_to_write_it(written, right):
    source = english("800,000 jobs and $2bn")
    issues = FidelityGuard(source).issues(f"Selon le rapport, {written}.")
    assert [i.kind for i in issues] == ["number"]
    assert issues[0].detail.endswith(f"écrivez {right}")


@pytest.mark.parametrize("text, comma, dot", [
    (english("800,000 jobs"), "group", "decimal"),
    (french("800 000 emplois et 7,5 %"), "decimal", "group"),
    (german("5.000 Menschen"), "decimal", "group"),
    ("Figures: 1,234,567 and 12 and 33.", "group", "decimal"),  # no language, unambiguous shape
    ("Chiffres : 2.000.000 et 12.", "decimal", "group"),
    ("1,500 ; 5.000", None, None),  # nothing tells: both readings
    (english("7,5 % of 1,500"), "decimal", "group"),  # the text's own numbers beat its language
    (french("5.000 manifestants contre le 49.3 à 14.30"), "decimal", "group"),  # 49.3 is no decimal point
    ("Figures: 1.500 and 3.14 and 12.", "group", "decimal"),  # no language: 3.14 tells
])
def test_the_source_convention_comes_from_its_language_and_its_numbers(text, comma, dot):
    from seo.fidelity.numbers import detect_convention

    conv = detect_convention(text)
    assert (conv.comma, conv.dot) == (comma, dot)


def test_a_civility_after_a_year_is_no_scale():
    g = FidelityGuard(french("depuis 2017 M. Dupont et 5 M€"))
    assert g.issues("Depuis 2017 M. Dupont gère 5 millions d’euros.") == []


def test_an_ambiguous_source_keeps_both_readings():
    g = FidelityGuard("1,500 ; 5.000")
    for written in ("1 500", "1,5", "5 000", "5"):
        assert g.issues(f"Il y a {written} cas.") == [], written


# ------------------------------------------------- names recombined from two people ---

PEOPLE = (
    "Genève (AFP) - Ole Solvang, de Human Rights Watch, et Nadim Houry, d’Amnesty International, ont dénoncé "
    "les frappes. Jean-Marie Le Pen et Ursula von der Leyen ont réagi, tout comme Charles de Gaulle dans une "
    "archive et Karine Jean-Pierre à Washington. Le Pentagone a répondu. Selon Ole J. Solvang, rien n’est réglé. "
    "N. Houry a ajouté : « Rien. » Jean de La Fontaine et Mohammed ben Salmane sont cités."
)


@pytest.mark.parametrize("text", [
    "Ole Houry a dénoncé les frappes.",
    "Selon Nadim Solvang, rien n’est réglé.",
    "Le chercheur Ole Houry, lui, insiste.",
    "## Ole Houry dénonce les frappes",
    "Jean Le Pen a réagi.",                # one part of a hyphenated first name
    "Marie Le Pen a réagi.",
    "Ursula Le Pen a réagi.",              # a first name with another person's surname and particle
    "Jean-Marie von der Leyen a réagi.",
    "Ole de Gaulle a réagi.",
    "Karine Houry a réagi.",
    "Charles Jean-Pierre a réagi.",
    "Mohammed de La Fontaine est cité.",
    "Ole ben Salmane est cité.",
    "O. Houry a dénoncé les frappes.",     # a wrong initial
    "Ole N. Houry a dénoncé les frappes.",
])
def test_a_name_made_of_two_source_people_is_an_issue(text):
    issues = FidelityGuard(PEOPLE).issues(text)
    assert [i.kind for i in issues] == ["name"], issues
    assert issues[0].detail.startswith("Nom recomposé")


@pytest.mark.parametrize("text", [
    "Ole Solvang et Nadim Houry ont dénoncé les frappes.",
    "Solvang et Houry insistent.",          # the surname alone
    "Selon Houry, rien n’est réglé.",
    "M. Houry a parlé.",                    # Monsieur, not an initial
    "N. Houry a parlé, comme O. Solvang.",  # right initials
    "Ole J. Solvang a parlé.",
    "J.-M. Le Pen a réagi.",
    "Jean-Marie Le Pen a réagi, puis Le Pen a parlé.",
    "Ursula von der Leyen et Von der Leyen.",
    "Charles de Gaulle, de Gaulle.",
    "Karine Jean-Pierre, Jean-Pierre.",
    "Le Pentagone a répondu à Ole Solvang.",
    "## Nadim Houry Dénonce Les Frappes",
    "Jean de La Fontaine, La Fontaine.",
    "Mohammed ben Salmane, ben Salmane.",
])
def test_a_source_name_in_its_usual_forms_raises_nothing(text):
    assert FidelityGuard(PEOPLE).issues(text) == []


# ------------------------------------------------ restored quotations are typeset ---

RESTORED = [
    # (the source's quotation, straight typography; the article's near miss)
    ("Nous n'avons pas l'intention de céder, pas d'un pouce", "Nous n’avons pas l’intention de reculer, pas d’un pouce"),
    ("Je le répète: l'engagement est solide comme le roc", "Je le répète : l’engagement reste solide comme le roc"),
    ("Il m'a dit \"jamais\" et c'est tout", "Il m’a dit « jamais » et voilà tout"),
    ("Aujourd'hui, 8000 soldats et 7.5 % de hausse... c'est l'essentiel",
     "Aujourd’hui, 8 000 soldats et 7,5 % de hausse… voilà l’essentiel"),
    ("Pourquoi? Parce qu'ils l'ont voulu", "Pourquoi ? Parce qu’ils l’ont décidé"),
]


@pytest.mark.parametrize("said, near", RESTORED)
def test_a_quotation_restored_by_code_is_typeset_like_the_article(said, near):
    guard = FidelityGuard(f"Paris (AFP) - « {said} », a déclaré mardi le ministre devant la presse.")
    article = french_typography(f"Le ministre a déclaré : « {near} ». La suite viendra.")
    fixed = guard.fix_quotes(article)
    assert fixed != article
    assert french_typography(fixed) == fixed      # nothing left for typography to do
    assert "'" not in fixed and '"' not in fixed
    assert guard.issues(fixed) == []              # the source's words, exactly
    assert guard.fix_quotes(fixed) == fixed


# ------------------------------------------------------------------ links and images ---

LINKS = [
    # (model text, text shipped, URLs reported)
    ("[Lire la dépêche](https://www.afp.com/fr/a-123) pour tout savoir.", "Lire la dépêche pour tout savoir.",
     ["https://www.afp.com/fr/a-123"]),
    ('[la carte](https://x.example/carte_(2024).html "Carte") ici.', "la carte ici.",
     ["https://x.example/carte_(2024).html"]),
    ("[le site](<https://x.example/a b>) ici.", "le site ici.", ["https://x.example/a b"]),
    ("Source : <https://evil.example/x|AFP>.", "Source : AFP.", ["https://evil.example/x"]),
    ("Voir <https://evil.example/y>.", "Voir.", ["https://evil.example/y"]),
    ("Un pixel ![](https://t.example/p.gif?id=1) ici.", "Un pixel ici.", ["https://t.example/p.gif?id=1"]),
    ("![Carte des frappes](https://img.example/c.png)", "Carte des frappes", ["https://img.example/c.png"]),
    ("[![logo](https://i.example/l.png)](https://l.example/b) fin", "logo fin",
     ["https://l.example/b", "https://i.example/l.png"]),
    ("Selon [l’agence][1].\n\n[1]: https://r.example/c", "Selon l’agence.", ["https://r.example/c"]),
    ("Plus sur https://evil.example/z?utm_source=chatgpt.com.", "Plus sur.", ["https://evil.example/z?utm_source=chatgpt.com"]),
    ("Plus sur www.evil.example/page, puis la suite.", "Plus sur, puis la suite.", ["www.evil.example/page"]),
    ("(source : https://evil.example/s)", "(source :)", ["https://evil.example/s"]),
    ('Un <a href="https://evil.example/a">lien</a> et <A HREF=\'https://evil.example/b\'>un autre</A>.',
     "Un lien et un autre.", ["https://evil.example/a", "https://evil.example/b"]),
    ('Un pixel <img src="https://t.example/p.gif" width="1"> caché.', "Un pixel caché.", ["https://t.example/p.gif"]),
    ("Texte<script>fetch('https://evil.example/s')</script> suite <b>gras</b>.", "Texte suite gras.",
     ["https://evil.example/s"]),
    ('<iframe src="https://evil.example/f"></iframe>Fin.', "Fin.", ["https://evil.example/f"]),
    ("Écrivez à <mailto:redac@evil.example|la rédaction>.", "Écrivez à la rédaction.", ["mailto:redac@evil.example"]),
    ("Écrivez à redac@evil.example.com ou à @marie.", "Écrivez à ou à @marie.", ["redac@evil.example.com"]),
    ("Rien à signaler : 14:30, 8 000 soldats, l’OTAN.", "Rien à signaler : 14:30, 8 000 soldats, l’OTAN.", []),
    ("a < b et c > d", "a < b et c > d", []),
]


@pytest.mark.parametrize("written, shipped, reported", LINKS)
def test_links_images_and_html_become_text_and_foreign_urls_are_issues(written, shipped, reported):
    guard = FidelityGuard("Paris (AFP) - Le rapport est en ligne sur https://www.hrw.org/fr/rapport depuis mardi.")
    assert guard.strip_links(written) == shipped
    issues = guard.link_issues(written, removed=True)
    assert [i.text for i in issues] == reported
    assert {i.kind for i in issues} <= {"link"}
    assert all(i.detail == "Lien absent de la dépêche, retiré de l’article" for i in issues)
    assert guard.link_issues(guard.strip_links(written)) == []  # nothing left to report


@pytest.mark.parametrize("written", [
    "https://www.hrw.org/fr/rapport", "http://hrw.org/fr/rapport/", "www.hrw.org/fr/rapport", "<https://www.hrw.org/fr/rapport>",
    "presse@hrw.org",
])
def test_a_url_the_source_holds_stays_as_plain_text(written):
    guard = FidelityGuard("Paris (AFP) - Le rapport est en ligne sur https://www.hrw.org/fr/rapport depuis mardi "
                          "(contact : presse@hrw.org).")
    assert guard.link_issues(f"Le rapport : {written}.") == []
    assert guard.strip_links(f"Le rapport : {written}.") == f"Le rapport : {written.strip('<>')}."
    # but never as markup: a link's label or an image's alt text only
    assert guard.strip_links(f"[Le rapport]({written.strip('<>')}).") == "Le rapport."


def test_without_a_source_every_url_goes():
    from seo.fidelity import strip_links

    assert strip_links("Voir https://www.hrw.org/fr/rapport et [ça](https://x.example).") == "Voir et ça."


TITLED = ("Washington (AFP) - NATO Secretary General Jens Stoltenberg told US President Joe Biden on Tuesday that "
          "Ukraine is making progress, and Prime Minister Rishi Sunak agreed with President Emmanuel Macron.")


@pytest.mark.parametrize("text, flagged", [
    ("Le président Joe Biden a reçu Jens Stoltenberg.", []),
    ("Le Président Biden a reçu le Secrétaire général Stoltenberg.", []),
    ("Le Premier ministre Sunak et le Président Macron.", []),
    ("Le Président Jens Biden a parlé.", ["Jens Biden"]),
    ("Rishi Macron a parlé.", ["Rishi Macron"]),
    ("Selon Emmanuel Sunak, rien.", ["Emmanuel Sunak"]),
])
def test_titles_before_a_name_are_no_first_names(text, flagged):
    assert [i.text for i in FidelityGuard(TITLED).issues(text)] == flagged


@pytest.mark.parametrize("words", [
    "Nous n'avons pas l'intention", 'Il m\'a dit "non" hier : stop...', "«ok» d'accord", 'Il a dit "non',
    "8000 soldats, 7.5 %", "Pourquoi? Parce que!", "C'est « fini » ; vraiment", "l'« exception » française",
])
def test_typesetting_a_restored_quotation_never_changes_its_words(words):
    from seo.fidelity.normalise import canon_str
    from seo.fidelity.quotes import typeset_quotation

    typeset = typeset_quotation(words)
    assert canon_str(typeset) == canon_str(words)
    assert "'" not in typeset


def test_the_guard_is_a_package_with_one_module_per_kind_and_the_same_api():
    import importlib

    import seo.fidelity as fidelity

    for kind in ("quotes", "numbers", "names", "links", "normalise", "guard", "issues"):
        importlib.import_module(f"seo.fidelity.{kind}")
    from seo.fidelity.guard import FidelityGuard as Guard
    from seo.fidelity.issues import FidelityIssue as Issue

    assert fidelity.FidelityGuard is Guard and fidelity.FidelityIssue is Issue
    assert {"FidelityGuard", "FidelityIssue", "ISSUE_KINDS", "strip_links", "find_urls"} <= set(fidelity.__all__)
