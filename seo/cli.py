"""Command line: `python -m seo rewrite|analyze|eval` (contract in DESIGN.md).

`rewrite --html [PATH]` / `--markdown [PATH]`: the files ready to publish (seo.render), written
to PATH, or alone on stdout when the flag has no PATH.

Exit codes: 0 done, 2 unusable input, 3 the LLM failed after retries, 1 a bug.
Errors are one French line on stderr; a traceback only with --debug.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from .errors import InputError, SeoError
from .inputs import read_input


def _check_writable(path: str | None) -> None:
    if not path or path == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{path} est un dossier : donnez un nom de fichier.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"Dossier introuvable : {folder}")
    if not os.access(target if target.exists() else folder, os.W_OK):
        raise InputError(f"Écriture impossible (droits insuffisants) : {path}")


def _write(path: str, content: str) -> None:
    try:
        Path(path).write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Écriture impossible : {path} ({exc.strerror or exc})") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m seo", description="Réécriture SEO de dépêches en français.")
    p.add_argument("--debug", action="store_true", help="affiche la trace complète des erreurs")
    sub = p.add_subparsers(dest="command", required=True)
    rw = sub.add_parser("rewrite", help="réécrit une dépêche en article SEO")
    rw.add_argument("path", help="fichier de la dépêche, ou - pour l’entrée standard")
    rw.add_argument("--keyword", help="mot-clé principal imposé")
    rw.add_argument("--min-words", type=int, help="nombre minimal de mots du corps (défaut : SEO_MIN_WORDS ou 700)")
    rw.add_argument("--json", action="store_true", help="sortie JSON complète")
    rw.add_argument("--html", nargs="?", const="-", metavar="CHEMIN",
                    help="page HTML prête à publier (<title>, méta-description, JSON-LD NewsArticle) : "
                         "écrite dans CHEMIN, ou seule sur la sortie standard sans CHEMIN")
    rw.add_argument("--markdown", nargs="?", const="-", metavar="CHEMIN",
                    help="Markdown avec front matter YAML : écrit dans CHEMIN, ou seul sur la sortie standard "
                         "sans CHEMIN")
    rw.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    an = sub.add_parser("analyze", help="analyse SEO et lisibilité d’un article Markdown")
    an.add_argument("path", help="article Markdown (front matter facultatif), ou -")
    an.add_argument("--keyword", help="mot-clé principal (prioritaire sur le front matter)")
    an.add_argument("--json", action="store_true", help="sortie JSON")
    an.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    ev = sub.add_parser("eval", help="évalue le modèle configuré sur un dossier de dépêches (*.txt)")
    ev.add_argument("dir", help="dossier de dépêches en texte (*.txt)")
    ev.add_argument("--min-words", type=int, help="nombre minimal de mots du corps (défaut : SEO_MIN_WORDS ou 700)")
    ev.add_argument("--json", action="store_true", help="sortie JSON (une ligne par dépêche, les totaux)")
    ev.add_argument("--concurrency", type=int, default=4, help="dépêches traitées en même temps (défaut : 4)")
    ev.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return p


def _print_report(report: dict) -> None:
    print(f"Mots : {report['word_count']}")
    for part, label in (("seo", "SEO"), ("readability", "Lisibilité")):
        block = report[part]
        extra = f" (Flesch {block['flesch']:.1f})" if part == "readability" else ""
        print(f"\n{label} : {block['score']}/100{extra}")
        for c in block["checks"]:
            light = "🟢" if c["score"] >= 8 else "🟠" if c["score"] >= 5 else "🔴"
            print(f"  {light} {c['id']} ({c['score']}) : {c['message']}")
    fid = report.get("fidelity")
    if fid:
        if fid["ok"]:
            print("\nFidélité : rien à signaler")
        else:
            print("\nÀ vérifier :")
            for i in fid["issues"]:
                print(f"  - {i['kind']} : {i['text']} — {i['detail']}")


async def _rewrite(args) -> int:
    from .pipeline import Engine
    from .render import html_page, markdown_file

    if args.min_words is not None and not 50 <= args.min_words <= 5000:
        raise InputError("--min-words doit être compris entre 50 et 5 000.")
    to_stdout = [flag for flag in ("html", "markdown") if getattr(args, flag) == "-"]
    if len(to_stdout) > 1 or (to_stdout and args.json):
        raise InputError("Une seule sortie peut aller sur la sortie standard : donnez un chemin à --html "
                         "ou à --markdown.")
    for flag in ("html", "markdown"):
        _check_writable(getattr(args, flag))  # before the LLM call, not after paying for it
    raw = read_input(args.path)
    engine = Engine()
    try:
        result = await engine.rewrite(raw, keyword=args.keyword, min_words=args.min_words)
    finally:
        await engine.close()
    files = {"html": html_page(result.article, result.html),
             "markdown": markdown_file(result.article, result.markdown)}
    for flag in ("html", "markdown"):
        path = getattr(args, flag)
        if path and path != "-":
            _write(path, files[flag])
            print(f"Fichier écrit : {path}", file=sys.stderr)
    if to_stdout:
        sys.stdout.write(files[to_stdout[0]])
    elif args.json:
        print(json.dumps(result.to_contract(), ensure_ascii=False, indent=2))
    else:
        a = result.article
        print(result.markdown)
        print("---")
        print(f"Titre SEO : {a.meta_title}\nMéta-description : {a.meta_description}\nSlug : {a.slug}\n"
              f"Mot-clé principal : {a.focus_keyword}")
        _print_report(result.report)
        u = result.usage
        print(f"\nAppels au modèle : {u.llm_calls} · jetons : {u.prompt_tokens} + {u.completion_tokens} · {u.seconds:.1f} s",
              file=sys.stderr)
    return 0


def _analyze(args) -> int:
    from .analysis import analyze, document_from_markdown

    doc = document_from_markdown(read_input(args.path), keyword=args.keyword)
    report = analyze(doc)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        from dotenv import load_dotenv

        load_dotenv()
    except ImportError:  # pragma: no cover - dotenv is a pinned dependency
        pass
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        if args.command == "rewrite":
            return asyncio.run(_rewrite(args))
        if args.command == "eval":
            from . import evaluate

            return asyncio.run(evaluate.run(args))
        return _analyze(args)
    except SeoError as exc:
        if args.debug:
            raise
        print(f"Erreur : {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `python -m seo rewrite … | head`: the reader left, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: say so plainly, details with --debug
        if args.debug:
            raise
        print(f"Erreur interne ({type(exc).__name__}) : relancez avec --debug pour le détail.", file=sys.stderr)
        return 1
