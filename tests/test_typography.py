"""French typography (seo.typography): rules, protected spans, idempotence, Slack safety."""
from pathlib import Path

import pytest

from seo.typography import NBSP, french_typography, neutralise_mentions, slack_to_plain

SAMPLE = (Path(__file__).parent / "fixtures" / "depeche_otan.txt").read_text(encoding="utf-8")
T = french_typography


# --------------------------------------------------------------- quotes ---

def test_straight_quotes_become_guillemets_with_nbsp():
    assert T('Il a dit "bonjour".') == f"Il a dit «{NBSP}bonjour{NBSP}»."


def test_curly_quotes_become_guillemets():
    assert T("Il a dit “bonjour” hier") == f"Il a dit «{NBSP}bonjour{NBSP}» hier"


def test_guillemet_inner_spacing_is_normalised():
    assert T("«bonjour»") == f"«{NBSP}bonjour{NBSP}»"
    assert T("«   bonjour  »") == f"«{NBSP}bonjour{NBSP}»"
    assert T("« bonjour »") == f"«{NBSP}bonjour{NBSP}»"
    assert T("«\u202fbonjour\u202f»") == f"«{NBSP}bonjour{NBSP}»"


def test_nested_quotes_become_english_curly_inside_guillemets():
    out = T('« Il m’a dit "c’est fini" hier »')
    assert out == f"«{NBSP}Il m’a dit “c’est fini” hier{NBSP}»"
    out = T('"Il a dit "oui" puis "non"" fin')
    assert out == f"«{NBSP}Il a dit “oui” puis “non”{NBSP}» fin"
    out = T("« Il a dit « oui » hier »")
    assert out == f"«{NBSP}Il a dit “oui” hier{NBSP}»"


def test_quotes_do_not_leak_across_paragraphs():
    out = T('Il a dit "oui\n\nNouveau "paragraphe" ici')
    assert out.split("\n\n")[1] == f"Nouveau «{NBSP}paragraphe{NBSP}» ici"


def test_quotes_inside_bold():
    assert T('**"Titre"** suite') == f"**«{NBSP}Titre{NBSP}»** suite"


# ---------------------------------------------------------- apostrophes ---

def test_one_apostrophe_style():
    assert T("aujourd'hui l'OTAN qu'il d‘abord") == "aujourd’hui l’OTAN qu’il d’abord"
    assert T("l'\"exception\"") == f"l’«{NBSP}exception{NBSP}»"
    # single quotes used as quote marks are not apostrophes
    assert T("le mot 'test' ici") == "le mot 'test' ici"


# ------------------------------------------------------------ punctuation -

@pytest.mark.parametrize("mark", [":", ";", "!", "?"])
def test_nbsp_before_high_punctuation(mark):
    assert T(f"Vraiment{mark} oui") == f"Vraiment{NBSP}{mark} oui"
    assert T(f"Vraiment {mark} oui") == f"Vraiment{NBSP}{mark} oui"
    assert T(f"Vraiment{NBSP}{mark} oui") == f"Vraiment{NBSP}{mark} oui"


def test_punctuation_runs_and_markdown():
    assert T("Quoi?!") == f"Quoi{NBSP}?!"
    assert T("**Important**: oui") == f"**Important**{NBSP}: oui"
    assert T("## Pourquoi?") == f"## Pourquoi{NBSP}?"
    assert T("- point; deux") == f"- point{NBSP}; deux"
    assert T("Il a dit:« oui »") == f"Il a dit{NBSP}: «{NBSP}oui{NBSP}»"
    assert T("« Quoi? »") == f"«{NBSP}Quoi{NBSP}?{NBSP}»"


def test_markdown_structure_is_kept():
    text = "## Titre\u202f: sous-titre\n\n- un ; deux\n- **gras** : oui\n\n1. premier\n> cité : oui"
    out = T(text)
    assert out.splitlines()[0] == f"## Titre{NBSP}: sous-titre"
    assert out.splitlines()[2] == f"- un{NBSP}; deux"
    assert out.splitlines()[3] == f"- **gras**{NBSP}: oui"
    assert out.splitlines()[5] == "1. premier"
    assert out.splitlines()[6] == f"> cité{NBSP}: oui"
    assert T("##  \u202fTitre").startswith("## ")


def test_ellipsis_and_spaces():
    assert T("Il hésite...") == "Il hésite…"
    assert T("« un [...] deux »") == f"«{NBSP}un […] deux{NBSP}»"
    assert T("trop  d’espaces   ici") == "trop d’espaces ici"
    assert T("- liste\n  - imbriquée") == "- liste\n  - imbriquée"  # indentation kept


# ---------------------------------------------------------------- numbers -

def test_thousands_are_grouped():
    assert T("8000 soldats") == f"8{NBSP}000 soldats"
    assert T("12000 euros") == f"12{NBSP}000 euros"
    assert T("1234567 habitants") == f"1{NBSP}234{NBSP}567 habitants"
    assert T("1500 soldats") == f"1{NBSP}500 soldats"
    assert T("plus de 10000 Ukrainiens") == f"plus de 10{NBSP}000 Ukrainiens"


def test_already_grouped_numbers_get_a_nbsp_only():
    assert T("8 000 soldats") == f"8{NBSP}000 soldats"
    assert T(f"8{NBSP}000 soldats") == f"8{NBSP}000 soldats"
    assert T("8\u202f000 soldats") == f"8{NBSP}000 soldats"


def test_years_and_codes_untouched():
    for text in (
        "en février 2022",
        "depuis 1999 et jusqu’en 2030",
        "la saison 2022-2023",
        "le 12/06/2023",
        "le 12.06.2023",
        "75008 Paris",
        "l’Airbus A320",
        "au 0612345678",
        "COVID-19",
        "la route D2022",
    ):
        assert T(text) == text


def test_decimal_comma_and_percent():
    assert T("7.5 %") == f"7,5{NBSP}%"
    assert T("7.5%") == f"7,5{NBSP}%"
    assert T("7,5 %") == f"7,5{NBSP}%"
    assert T("une hausse de 12345.67 euros") == f"une hausse de 12{NBSP}345,67 euros"
    assert T("325 €") == f"325{NBSP}€"


def test_versions_and_addresses_keep_their_dots():
    for text in ("la version 2.1", "l’article 49.3", "v1.2", "1.2.3", "192.168.1.1"):
        assert T(text) == text


# --------------------------------------------------------------- protected -

@pytest.mark.parametrize(
    "url",
    [
        "https://www.afp.com/fr/actus?id=12000&x=7.5",
        "http://exemple.fr/a:b/c;d!e?f=1...&g=2",
        "www.lemonde.fr/international/article/2023/06/13/l-otan_8000.html",
    ],
)
def test_urls_untouched(url):
    out = T(f"Voir {url} : c’est ça.")
    assert url in out


def test_markdown_links_code_and_times_untouched():
    text = (
        'Lire [l\'article "complet"](https://x.fr/a_b?x=1&y=12000 "Titre: 1.5") à 14:30, '
        "`code: 8000` et ![img](http://x/y.png) ; écrire à jean.dupont@afp.com ; &nbsp; ok\n"
        "[1]: https://x.fr/ref?a=1"
    )
    out = T(text)
    assert '(https://x.fr/a_b?x=1&y=12000 "Titre: 1.5")' in out
    assert "14:30" in out
    assert "`code: 8000`" in out
    assert "![img](http://x/y.png)" in out
    assert "jean.dupont@afp.com" in out
    assert "&nbsp;" in out
    assert out.endswith("\n[1]: https://x.fr/ref?a=1")
    assert f"[l’article «{NBSP}complet{NBSP}»]" in out


def test_slack_tokens_untouched():
    text = "Merci <@U123ABC> et <https://x.fr|le lien> !"
    assert T(text) == f"Merci <@U123ABC> et <https://x.fr|le lien>{NBSP}!"


# ------------------------------------------------------------- idempotence -

IDEMPOTENCE_CASES = [
    SAMPLE,
    'Il a dit "oui" puis “non” et « peut-être » ; 8000 soldats, 7.5 % ! Vraiment?',
    '"Il a dit "oui" puis "non"" fin',
    "« unclosed quote\n\nnext » paragraph",
    'stray " quote and ” closer',
    "## Titre : sous-titre\n\n- item : 12000 €\n- 1500 soldats en 1500",
    "Voir https://x.fr/?a=1 [lien](http://y.fr) à 14:30... aujourd'hui",
    "",
]


@pytest.mark.parametrize("text", IDEMPOTENCE_CASES)
def test_idempotent(text):
    once = T(text)
    assert T(once) == once


def test_sample_dispatch():
    out = T(SAMPLE)
    assert "février 2022" in out
    assert f"325{NBSP}millions" not in out and "325 millions" in out
    assert out.count("«") == 14 and out.count("»") == 14
    assert f"«{NBSP}Les Ukrainiens progressent, progressent{NBSP}»" in out
    assert "car nous sont au milieu d’une guerre en Europe." in out
    assert "  " not in out
    assert "'" not in out.split("\n", 2)[2]  # no straight apostrophe after the English instruction


def test_only_one_kind_of_nbsp():
    out = T("Le\u202f: « a » 8\u202f000 et 50\u202f%")
    assert "\u202f" not in out


# ---------------------------------------------------------------- mentions -

@pytest.mark.parametrize(
    "raw, expected",
    [
        ("<!channel> réunion", "channel réunion"),
        ("<!here> réunion", "here réunion"),
        ("<!here|here> réunion", "here réunion"),
        ("<!everyone>", "everyone"),
        ("<!subteam^S123|@team> vu", "team vu"),
        ("<!subteam^S123>", "équipe"),
        ("@here et @channel et @everyone et @Here", "here et channel et everyone et here"),
        ("merci <@U123ABC>", "merci @utilisateur"),
        ("merci <@W123>", "merci @utilisateur"),
        ("merci <@U123|marie>", "merci @marie"),
        ("dans <#C123>", "dans #canal"),
        ("dans <#C123|general>", "dans #general"),
        ("<!date^1392734382^{date}|13 juin 2023>", "13 juin 2023"),
    ],
)
def test_neutralise_mentions(raw, expected):
    out = neutralise_mentions(raw)
    assert out == expected
    assert neutralise_mentions(out) == out
    for danger in ("<!", "<@", "<#", "@here", "@channel", "@everyone"):
        assert danger not in out.lower()


def test_neutralise_keeps_normal_text():
    text = "Écrire à jean@afp.com ou info@here.fr : « ok » <https://x.fr|lien> (@AFP)"
    assert neutralise_mentions("@here.Merci") == "here.Merci"
    assert neutralise_mentions(text) == text
    assert neutralise_mentions("(@here)") == "(here)"
    assert neutralise_mentions("@here.") == "here."


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("voir <http://x.fr/a|lien>", "voir lien (http://x.fr/a)"),
        ("voir <https://x.fr/a>", "voir https://x.fr/a"),
        ("voir <https://x.fr/|x.fr>", "voir https://x.fr/"),
        ("écrire <mailto:a@b.fr|a@b.fr>", "écrire a@b.fr"),
        ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
        ("&amp;lt;", "&lt;"),
        ("<!channel> <@U1> lisez", "channel @utilisateur lisez"),
    ],
)
def test_slack_to_plain(raw, expected):
    assert slack_to_plain(raw) == expected


@pytest.mark.parametrize("written, french", [
    ("5.000 soldats", "5\u00a0000 soldats"),
    ("2.000.000 d’euros", "2\u00a0000\u00a0000 d’euros"),
    ("12.500 euros", "12\u00a0500 euros"),
    ("1,234,567 habitants", "1\u00a0234\u00a0567 habitants"),
    ("1.5 million", "1,5 million"),          # a decimal point stays a decimal
    ("1,5 million", "1,5 million"),
    ("le 12.05.2023", "le 12.05.2023"),      # a date is not a number to group
    ("version 2.000", "version 2.000"),
])
def test_thousands_grouped_with_dots_or_commas_become_french(written, french):
    out = french_typography(written)
    assert out == french
    assert french_typography(out) == out
