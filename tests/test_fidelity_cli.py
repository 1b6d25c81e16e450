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
        "sections": [{"heading": h, "body": paragraph} for h in (
            "Renault mise sur Douai", "Un projet validé par le conseil", "Renault en Bourse", "Des embauches à Douai")],
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
