"""The fidelity guard driven from outside: `python -m seo rewrite … --json` against the fake
model, scripted to return the drafts a real model writes (faithful or not)."""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys

import pytest

from tests.fakes import fake_writer
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.harness import ROOT, shield_from_dotenv


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


def rewrite(llm, dispatch: str, tmp_path, *args: str) -> dict:
    path = tmp_path / "depeche.txt"
    path.write_text(dispatch, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SEO_"))}
    env.update({"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-test", "OPENAI_TIMEOUT": "5",
                "OPENAI_MAX_RETRIES": "2"})
    shield_from_dotenv(env)
    proc = subprocess.run([sys.executable, "-m", "seo", "rewrite", str(path), "--json", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def issues_of(out: dict) -> list[tuple[str, str]]:
    return [(i["kind"], i["text"]) for i in out["report"]["fidelity"]["issues"]]


# --------------------------------------------------------------------------- an English dispatch

DISPATCH_EN = """\
Paris (AFP) - French carmaker Renault said on Tuesday that 800,000 electric cars would be built at \
its plant in Douai by 2027, a project worth $2bn that was approved by the board of the group.
The plan was announced at the motor show in Paris, where the group presented three new models.
Shares in Renault rose 2.5% in Paris trading after the announcement, which the unions welcomed.
The company employs 1,500 people in Douai and expects to hire 2,000 more over the next three years, \
as 1.5 million electric cars are expected to be sold in France by then.
© 2024 AFP
"""

FACTS_FR = ("Le constructeur Renault a annoncé mardi que {cars} voitures électriques seront construites dans "
            "son usine de Douai d’ici à 2027. Le projet, validé par le conseil d’administration du groupe, "
            "représente {money} de dollars. L’action Renault a gagné 2,5 % à Paris après l’annonce, saluée par "
            "les syndicats. Le groupe emploie {staff} personnes à Douai et prévoit d’en embaucher 2 000 de plus "
            "au cours des trois prochaines années, alors que {market} de voitures électriques devraient être "
            "vendues en France d’ici là.")


def _rotated(text: str, n: int) -> str:
    sentences = re.split(r"(?<=[.!?]) ", text)
    n %= len(sentences)
    return " ".join(sentences[n:] + sentences[:n])


def renault_draft(cars="800 000", money="2 milliards", staff="1 500", market="1,5 million") -> dict:
    paragraph = FACTS_FR.format(cars=cars, money=money, staff=staff, market=market)
    return {
        "focus_keyword": "Renault",
        "title": "Renault va construire des voitures électriques à Douai",
        "meta_title": "Renault : des voitures électriques construites à Douai",
        "meta_description": "Renault a annoncé mardi la construction de voitures électriques dans son usine de "
                            "Douai d’ici à 2027, un projet salué par les syndicats.",
        "secondary_keywords": ["Douai", "voitures électriques"],
        "keyword_suggestions": ["usine de Douai", "voiture électrique"],
        "lead": "Renault a annoncé mardi un vaste projet de voitures électriques dans son usine de Douai, "
                "salué par les syndicats.",
        # The same sentences in another order in each section: four distinct bodies.
        "sections": [{"heading": h, "body": _rotated(paragraph, i)} for i, h in enumerate((
            "Renault mise sur Douai", "Un projet validé par le conseil", "Renault en Bourse", "Des embauches à Douai"))],
    }


def test_an_english_dispatchs_figures_written_the_french_way_cost_one_call_and_raise_nothing(llm, tmp_path):
    llm.reset()
    llm.script(Reply(renault_draft()))
    out = rewrite(llm, DISPATCH_EN, tmp_path, "--min-words", "150")
    assert out["report"]["fidelity"] == {"ok": True, "issues": []}
    assert out["usage"]["llm_calls"] == 1 and llm.calls == 1
    assert "800\u00a0000 voitures" in out["markdown"]


@pytest.mark.parametrize("wrong, flagged", [
    ({"cars": "800"}, "800"),                          # 800,000 read as 800
    ({"cars": "800 millions de"}, "800 millions"),     # off by a factor of 1 000 the other way
    ({"money": "2 millions"}, "2 millions"),           # $2bn
    ({"money": "2 billions"}, "2 billions"),           # the false friend: 2 000 milliards in French
    ({"staff": "1,5"}, "1,5"),                         # 1,500 is one thousand five hundred
    ({"market": "1,5 milliard"}, "1,5 milliard"),      # 1.5 million
])
def test_a_figure_off_by_a_scale_is_reported_after_the_repairs(llm, tmp_path, wrong, flagged):
    llm.reset()
    bad = renault_draft(**wrong)
    llm.script(Reply(bad), Reply(copy.deepcopy(bad)), Reply(copy.deepcopy(bad)))
    out = rewrite(llm, DISPATCH_EN, tmp_path, "--min-words", "150")
    assert ("number", flagged) in issues_of(out)
    assert not out["report"]["fidelity"]["ok"]
    assert out["usage"]["llm_calls"] == 3  # the draft and two targeted repairs
    repair_prompt = llm.requests[1]["messages"][-1]["content"]
    assert re.search(r"Chiffre absent de la dépêche : " + re.escape(flagged), repair_prompt)


# --------------------------------------------------------------------------- a French dispatch

DISPATCH_HRW = """\
Genève (AFP) – Ole Solvang, directeur adjoint de Human Rights Watch, et Nadim Houry, ancien responsable \
d'Amnesty International, ont dénoncé mardi les frappes menées contre des hôpitaux dans le nord du pays.
« Nous n'avons pas l'intention de nous taire face à ces crimes, ni aujourd'hui ni demain », a déclaré \
Ole Solvang lors d'une conférence de presse à Genève.
Nadim Houry a appelé l'ONU à ouvrir une enquête indépendante sur ces attaques, qui ont fait au moins \
40 morts selon les secours.
« C'est une violation manifeste du droit international », a-t-il ajouté devant les journalistes.
"""


def good_with(extra: str):
    """The good writer's article with `extra` appended to its second section."""
    def reply(request):
        article = fake_writer.write(request)
        article["sections"][1]["body"] += "\n\n" + extra
        return article
    return Reply(reply)


def test_a_name_made_of_two_people_of_the_dispatch_is_sent_back_to_the_model(llm, tmp_path):
    llm.reset()
    llm.script(good_with("Ole Houry a dénoncé ces frappes."))
    out = rewrite(llm, DISPATCH_HRW, tmp_path)
    assert out["usage"]["llm_calls"] == 2
    assert "Nom absent de la dépêche : Ole Houry" in llm.requests[1]["messages"][-1]["content"]
    assert "Ole Houry" not in out["markdown"] and out["report"]["fidelity"]["ok"]


def test_a_name_made_of_two_people_that_stays_is_shown_to_check(llm, tmp_path):
    llm.reset()
    llm.script(*[good_with("Selon Nadim Solvang, ces frappes sont des crimes.")] * 3)
    out = rewrite(llm, DISPATCH_HRW, tmp_path)
    assert ("name", "Nadim Solvang") in issues_of(out)


def test_a_quotation_put_back_by_code_is_typeset_like_the_article(llm, tmp_path):
    llm.reset()
    llm.script(good_with("« Nous n’avons pas l’intention de nous taire devant ces crimes, ni aujourd’hui ni "
                         "demain », a insisté Ole Solvang."))
    out = rewrite(llm, DISPATCH_HRW, tmp_path)
    assert out["usage"]["llm_calls"] == 1 and out["report"]["fidelity"]["ok"]
    restored = "«\u00a0Nous n’avons pas l’intention de nous taire face à ces crimes, ni aujourd’hui ni demain\u00a0»"
    assert restored in out["markdown"] and restored in out["article"]["sections"][1]["body"]
    assert "'" not in out["markdown"] and "'" not in json.dumps(out["article"], ensure_ascii=False)


# --------------------------------------------------------------------------- links and images

FOREIGN_URLS = ["https://evil.example/t", "https://evil.example/mt", "https://pixel.example/p.gif",
                "https://www.afp.com/fr/depeche-123", "https://evil.example/h", "https://pixel.example/i.gif",
                "https://evil.example/b?utm_source=chatgpt.com", "https://img.example/carte.png",
                "https://evil.example/g", "https://evil.example/k"]


def with_links(request) -> dict:
    """The good writer's article with links, images and HTML in every field, as models write them."""
    a = fake_writer.write(request)
    a["title"] = f"[{a['title']}](https://evil.example/t)"
    a["meta_title"] += " <https://evil.example/mt|AFP>"
    a["meta_description"] += " ![](https://pixel.example/p.gif)"
    a["lead"] += " [Lire la dépêche](https://www.afp.com/fr/depeche-123)"
    a["sections"][0]["heading"] += ' <a href="https://evil.example/h">ici</a>'
    a["sections"][0]["body"] += ('\n\n<img src="https://pixel.example/i.gif"> <script>alert(1)</script>'
                                 "Plus d’informations sur https://evil.example/b?utm_source=chatgpt.com.")
    a["sections"][1]["body"] += " ![Carte des frappes](https://img.example/carte.png)"
    a["secondary_keywords"] = ["[Genève](https://evil.example/g)", "frappes"]
    a["keyword_suggestions"] = ["<https://evil.example/k|hôpitaux>", "Human Rights Watch"]
    return a


def assert_no_markup(out: dict) -> None:
    shipped = out["markdown"] + out["html"] + json.dumps(out["article"], ensure_ascii=False)
    for mark in ("http", "www.", "](", "![", "<a", "<img", "<script", "alert(", "href", "src=", "&lt;"):
        assert mark not in shipped, mark
    assert "<a " not in out["html"] and "<img" not in out["html"]


def test_links_images_and_html_of_the_model_never_ship_and_are_reported(llm, tmp_path):
    llm.reset()
    llm.script(*[Reply(with_links)] * 3)
    out = rewrite(llm, DISPATCH_HRW, tmp_path)
    assert_no_markup(out)
    assert "Lire la dépêche" in out["article"]["lead"]  # the label stays
    links = {text for kind, text in issues_of(out) if kind == "link"}
    assert links == set(FOREIGN_URLS)
    assert all(i["detail"] == "Lien absent de la dépêche, retiré de l’article"
               for i in out["report"]["fidelity"]["issues"] if i["kind"] == "link")
    assert "Lien ou image absent de la dépêche : https://pixel.example/p.gif" in llm.requests[1]["messages"][-1]["content"]


def test_a_draft_with_links_is_repaired_once_and_ships_clean(llm, tmp_path):
    llm.reset()
    llm.script(Reply(with_links))  # the repair gets the good writer
    out = rewrite(llm, DISPATCH_HRW, tmp_path)
    assert out["usage"]["llm_calls"] == 2
    assert_no_markup(out)
    assert out["report"]["fidelity"] == {"ok": True, "issues": []}


def test_the_dispatchs_own_url_stays_as_plain_text(llm, tmp_path):
    url = "https://www.hrw.org/fr/rapport-2024"
    dispatch = DISPATCH_HRW + f"Le rapport de l'ONG est en ligne sur {url} depuis mardi.\n"
    llm.reset()
    llm.script(good_with(f"Le rapport est sur [le site de l’ONG]({url}), ou <{url}>, soit {url}."))
    out = rewrite(llm, dispatch, tmp_path)
    assert out["usage"]["llm_calls"] == 1 and out["report"]["fidelity"]["ok"]
    body = out["article"]["sections"][1]["body"]
    assert f"Le rapport est sur le site de l’ONG, ou {url}, soit {url}." in body
    assert url in out["html"] and "<a " not in out["html"] and "](" not in out["markdown"]
