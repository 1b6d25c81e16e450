"""`python -m seo eval DIR`: every *.txt dispatch of DIR through the configured LLM.

How a newsroom picks the cheapest model that passes (OpenAI, Mistral, a local Ollama…)
before rollout: per dispatch the article's words, LLM calls, SEO and readability scores,
fidelity issues, seconds, tokens and cost (SEO_PRICE_*), then the totals and the share of
first drafts that passed their checks without a repair. Dispatches run concurrently
(bounded); a failed one is a row with its error, the others go on.
"""
from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import observe
from .errors import InputError, LLMError, SeoError
from .inputs import read_input
from .pricing import Prices, format_cost
from .table import format_table

DEFAULT_CONCURRENCY = 4


@dataclass
class Row:
    file: str
    dispatch_words: int = 0
    words: int | None = None  # the article body's words, as the checks count them
    llm_calls: int = 0
    repairs: int = 0
    seo: int | None = None
    readability: int | None = None
    fidelity_issues: int | None = None
    seconds: float = 0.0
    prompt_tokens: int = 0  # cached ones included
    cached_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None
    first_draft_passed: bool | None = None
    error: str | None = None
    error_kind: str | None = None  # "input", "llm" or "bug"


@dataclass
class Report:
    directory: str
    model: str
    min_words: int
    currency: str
    rows: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> list[Row]:
        return [r for r in self.rows if r.error is None]

    @property
    def llm_unreachable(self) -> bool:
        """Every dispatch failed on the LLM (not one answer): the model cannot be evaluated."""
        return bool(self.rows) and all(r.error_kind == "llm" for r in self.rows)

    def totals(self) -> dict:
        ok = self.ok
        costs = [r.cost for r in self.rows if r.cost is not None]
        return {
            "dispatches": len(self.rows),
            "succeeded": len(ok),
            "failed": len(self.rows) - len(ok),
            "words": sum(r.words or 0 for r in ok),
            "llm_calls": sum(r.llm_calls for r in self.rows),
            "repairs": sum(r.repairs for r in self.rows),
            "seo_mean": round(sum(r.seo for r in ok) / len(ok), 1) if ok else None,
            "readability_mean": round(sum(r.readability for r in ok) / len(ok), 1) if ok else None,
            "fidelity_issues": sum(r.fidelity_issues or 0 for r in ok),
            "seconds": round(sum(r.seconds for r in self.rows), 3),
            "prompt_tokens": sum(r.prompt_tokens for r in self.rows),
            "cached_tokens": sum(r.cached_tokens for r in self.rows),
            "completion_tokens": sum(r.completion_tokens for r in self.rows),
            "cost": round(sum(costs), 6) if costs else None,
            "first_drafts_passed": sum(1 for r in ok if r.first_draft_passed),
            "first_draft_pass_rate": (sum(1 for r in ok if r.first_draft_passed) / len(ok)) if ok else None,
        }

    def to_json(self) -> dict:
        return {"directory": self.directory, "model": self.model, "min_words": self.min_words,
                "currency": self.currency, "dispatches": [asdict(r) for r in self.rows], "totals": self.totals()}


def dispatch_files(directory: str) -> list[Path]:
    path = Path(directory)
    if not path.exists():
        raise InputError(f"Dossier introuvable : {directory}")
    if not path.is_dir():
        raise InputError(f"{directory} n’est pas un dossier : donnez un dossier de dépêches (*.txt).")
    try:
        files = sorted(p for p in path.glob("*.txt") if p.is_file())
    except PermissionError:
        raise InputError(f"Lecture impossible (droits insuffisants) : {directory}") from None
    if not files:
        raise InputError(f"Aucune dépêche (*.txt) dans {directory}.")
    return files


async def evaluate(directory: str, *, min_words: int | None = None, concurrency: int = DEFAULT_CONCURRENCY,
                   engine=None, prices: Prices | None = None, progress=None) -> Report:
    """Runs every dispatch of `directory`; `progress()` is called once per finished dispatch."""
    from .pipeline import Engine

    files = dispatch_files(directory)
    own_engine = engine is None
    engine = engine or Engine()
    prices = prices or Prices.from_env()
    min_words = min_words or engine.settings.min_words
    report = Report(directory=str(directory), model=engine.settings.model, min_words=min_words,
                    currency=prices.currency)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(path: Path) -> Row:
        row = Row(file=path.name)
        async with gate:
            started = time.perf_counter()
            with observe.tally() as tally:
                try:
                    raw = read_input(str(path))
                    row.dispatch_words = len(raw.split())
                    result = await engine.rewrite(raw, min_words=min_words)
                    rep = result.report
                    row.words, row.seo = rep["word_count"], rep["seo"]["score"]
                    row.readability = rep["readability"]["score"]
                    row.fidelity_issues = len(rep["fidelity"]["issues"])
                except InputError as exc:
                    row.error, row.error_kind = str(exc), "input"
                except LLMError as exc:
                    row.error, row.error_kind = str(exc), "llm"
                except SeoError as exc:
                    row.error, row.error_kind = str(exc), "bug"
                except Exception as exc:  # a bug on one dispatch: a row, not a crash of the whole run
                    row.error, row.error_kind = f"Erreur interne ({type(exc).__name__})", "bug"
            row.seconds = round(time.perf_counter() - started, 3)
            row.llm_calls, row.repairs = tally.llm_calls, tally.repairs
            row.prompt_tokens, row.cached_tokens = tally.prompt_tokens, tally.cached_tokens
            row.completion_tokens = tally.completion_tokens
            row.cost = prices.cost(row.prompt_tokens, row.cached_tokens, row.completion_tokens)
            if row.error is None:
                row.first_draft_passed = tally.repairs == 0
        if progress is not None:
            progress()
        return row

    try:
        report.rows = list(await asyncio.gather(*(one(p) for p in files)))
    finally:
        if own_engine:
            await engine.close()
    return report


# --- the terminal table ----------------------------------------------------------------------

HEADERS = ("Dépêche", "Mots", "Appels", "SEO", "Lisib.", "Fidélité", "Secondes", "Jetons entrée (cache)",
           "Jetons sortie", "Coût", "1er jet")


def _n(value) -> str:
    return "—" if value is None else f"{value:,}".replace(",", "\u202f")


def _s(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",")


def _first(row: Row) -> str:
    if row.error:
        return "échec"
    return "validé" if row.first_draft_passed else f"{row.repairs} réparation{'s' if row.repairs > 1 else ''}"


def render(report: Report) -> str:
    rows = [(r.file, _n(r.words), _n(r.llm_calls), _n(r.seo), _n(r.readability), _n(r.fidelity_issues),
             _s(r.seconds), f"{_n(r.prompt_tokens)} ({_n(r.cached_tokens)})", _n(r.completion_tokens),
             format_cost(r.cost, report.currency), _first(r)) for r in report.rows]
    t = report.totals()
    footer = [(f"Total ({t['succeeded']}/{t['dispatches']})", _n(t["words"]), _n(t["llm_calls"]),
               _ratio(t["seo_mean"]), _ratio(t["readability_mean"]), _n(t["fidelity_issues"]), _s(t["seconds"]),
               f"{_n(t['prompt_tokens'])} ({_n(t['cached_tokens'])})", _n(t["completion_tokens"]),
               format_cost(t["cost"], report.currency), f"{t['first_drafts_passed']} validés")]
    lines = [f"Modèle : {report.model} · minimum {report.min_words} mots · {len(report.rows)} dépêches", "",
             format_table(HEADERS, rows, footer=footer), ""]
    rate = t["first_draft_pass_rate"]
    lines.append("Premiers jets validés sans réparation : "
                 + (f"{t['first_drafts_passed']}/{t['succeeded']} ({round(rate * 100)} %)" if rate is not None
                    else "aucun article produit"))
    if t["cost"] is None:
        lines.append("Coût : définissez SEO_PRICE_INPUT_PER_MTOK et SEO_PRICE_OUTPUT_PER_MTOK pour le calculer.")
    failed = [r for r in report.rows if r.error]
    if failed:
        lines.append("")
        lines.append("Échecs :")
        lines += [f"  - {r.file} : {r.error}" for r in failed]
    return "\n".join(lines)


def _ratio(x) -> str:
    return "—" if x is None else f"{x:.1f}".replace(".", ",")


async def run(args) -> int:
    """The `eval` subcommand: table (or JSON) on stdout, a progress bar on a terminal's stderr."""
    import json

    if args.min_words is not None and not 50 <= args.min_words <= 5000:
        raise InputError("--min-words doit être compris entre 50 et 5 000.")
    files = dispatch_files(args.dir)  # an unusable DIR fails before any LLM set-up
    bar = None
    if sys.stderr.isatty():
        import shutil

        from tqdm import tqdm

        # A terminal that reports 0 columns would get no bar at all: 80 then.
        bar = tqdm(total=len(files), desc="Évaluation", unit=" dépêche", file=sys.stderr, leave=False,
                   ncols=shutil.get_terminal_size().columns or 80)
    try:
        report = await evaluate(args.dir, min_words=args.min_words, concurrency=args.concurrency,
                                progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render(report))
    if report.llm_unreachable:
        first = report.rows[0].error
        print(f"Erreur : le modèle n’a répondu pour aucune dépêche ({first})", file=sys.stderr)
        return LLMError.exit_code
    return 0
