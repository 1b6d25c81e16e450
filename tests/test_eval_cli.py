"""`python -m seo eval DIR [--min-words N] [--json]` against the fake model, as a user runs it."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios

import pytest

from seo.pricing import Prices
from tests.fakes.openai_server import FakeOpenAI
from tests.harness import ROOT, shield_from_dotenv

EVAL_DIR = ROOT / "tests" / "fixtures" / "eval"
PRICES = {"SEO_PRICE_INPUT_PER_MTOK": "0.15", "SEO_PRICE_CACHED_INPUT_PER_MTOK": "0.075",
          "SEO_PRICE_OUTPUT_PER_MTOK": "0.6", "SEO_PRICE_CURRENCY": "EUR"}


@pytest.fixture(scope="module")
def llm():
    with FakeOpenAI() as fake:
        yield fake


def env_for(llm=None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "OPENAI_", "SEO_", "REDIS_"))}
    if llm is not None:
        env.update({"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-test", "OPENAI_MODEL": "gpt-test"})
    env.update({k: str(v) for k, v in extra.items()})
    return shield_from_dotenv(env)


def run_eval(*args, env, stderr=subprocess.PIPE, timeout=120):
    return subprocess.run([sys.executable, "-m", "seo", "eval", *map(str, args)], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=timeout)


def test_the_shipped_set_is_french_and_english_dispatches_long_enough():
    files = sorted(EVAL_DIR.glob("*.txt"))
    assert 5 <= len(files) <= 8
    assert {f.name[:3] for f in files} == {"fr_", "en_"}
    for f in files:
        assert len(f.read_text(encoding="utf-8").split()) >= 150, f.name


def test_eval_prints_a_table_with_totals_and_the_first_draft_pass_rate(llm):
    llm.reset()
    out = run_eval(EVAL_DIR, env=env_for(llm, **PRICES))
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # no progress bar when stderr is not a terminal
    text = out.stdout
    for header in ("Dépêche", "Mots", "Appels", "SEO", "Lisib.", "Fidélité", "Secondes", "Jetons", "Coût"):
        assert header in text
    for f in EVAL_DIR.glob("*.txt"):
        assert f.name in text
    assert "Total (6/6)" in text
    assert "Premiers jets validés sans réparation : 6/6 (100 %)" in text
    assert "EUR" in text


def test_eval_json_holds_one_row_per_dispatch_with_its_figures_and_cost(llm):
    llm.reset()
    out = run_eval(EVAL_DIR, "--json", "--min-words", 600, env=env_for(llm, **PRICES))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    rows = data["dispatches"]
    assert [r["file"] for r in rows] == sorted(f.name for f in EVAL_DIR.glob("*.txt"))
    assert data["min_words"] == 600 and data["currency"] == "EUR" and data["model"] == "gpt-test"
    prices = Prices(0.15, 0.075, 0.6, "EUR")
    for r in rows:
        assert r["error"] is None
        assert r["words"] >= 600 and r["dispatch_words"] >= 150
        assert r["llm_calls"] >= 1 and 0 <= r["seo"] <= 100 and 0 <= r["readability"] <= 100
        assert r["fidelity_issues"] == 0 and r["seconds"] > 0
        assert r["prompt_tokens"] > 0 and r["completion_tokens"] > 0
        assert r["cost"] == pytest.approx(prices.cost(r["prompt_tokens"], r["cached_tokens"], r["completion_tokens"]))
    totals = data["totals"]
    assert totals["llm_calls"] == llm.calls == sum(r["llm_calls"] for r in rows)
    assert totals["cost"] == pytest.approx(sum(r["cost"] for r in rows), abs=1e-6)
    assert totals["first_draft_pass_rate"] == 1.0


def test_a_failing_dispatch_is_a_row_with_its_error_and_the_others_go_on(llm, tmp_path):
    llm.reset()
    for f in sorted(EVAL_DIR.glob("*.txt"))[:2]:
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "vide.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("pas une dépêche : ignoré (pas *.txt)", encoding="utf-8")
    out = run_eval(tmp_path, "--json", env=env_for(llm))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    by_file = {r["file"]: r for r in data["dispatches"]}
    assert set(by_file) == {*(f.name for f in sorted(EVAL_DIR.glob("*.txt"))[:2]), "vide.txt"}
    assert by_file["vide.txt"]["error_kind"] == "input" and by_file["vide.txt"]["error"]
    assert data["totals"]["succeeded"] == 2 and data["totals"]["first_drafts_passed"] == 2
    assert data["totals"]["cost"] is None  # no prices: tokens only
    table = run_eval(tmp_path, env=env_for(llm)).stdout
    assert "vide.txt" in table and "échec" in table and "Échecs :" in table


def test_an_unusable_directory_exits_2_and_an_unreachable_model_exits_3(tmp_path):
    for bad in (tmp_path / "absent", EVAL_DIR / "fr_incendie_var.txt", tmp_path):  # missing, a file, no *.txt
        out = run_eval(bad, env=env_for())
        assert out.returncode == 2, (bad, out.stderr)
        assert out.stderr.startswith("Erreur : ") and "Traceback" not in out.stderr
    closed = f"http://127.0.0.1:{_closed_port()}/v1"
    out = run_eval(EVAL_DIR, env=env_for(OPENAI_BASE_URL=closed, OPENAI_API_KEY="sk-x", OPENAI_MAX_RETRIES=0))
    assert out.returncode == 3
    assert "injoignable" in out.stderr and "Traceback" not in out.stderr
    assert "Total (0/6)" in out.stdout  # the table still says what happened


def test_a_progress_bar_shows_on_a_terminal(llm):
    llm.reset()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "seo", "eval", str(EVAL_DIR), "--json"], cwd=ROOT,
                            env=env_for(llm), stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout = proc.stdout.read()
    proc.wait(60)
    os.close(master)
    assert proc.returncode == 0
    assert "Évaluation" in seen.decode("utf-8", "replace") and "/6" in seen.decode("utf-8", "replace")
    assert json.loads(stdout)["totals"]["dispatches"] == 6  # stdout stays clean JSON


def _closed_port() -> int:
    from tests.redis_server import free_port

    return free_port()
