"""Runs the benchmark groups, prints the table, writes benchmarks/results.json."""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import traceback
from pathlib import Path

from .env import machine

GROUPS = ("micro", "service", "load", "streaming", "burst", "budgets")
OUT = Path(__file__).resolve().parent / "results.json"


def _group(name: str):
    if name == "micro":
        from . import micro
        return micro.run
    if name == "service":
        from . import service
        return service.run
    if name == "streaming":
        from . import streaming
        return streaming.run
    if name == "burst":
        from . import burst
        return burst.run
    if name == "budgets":
        from . import budgets
        return budgets.run
    from . import load
    return load.run


def _mark(ok) -> str:
    return {True: "ok", False: "MISSED", None: "-"}[ok]


def table(rows: list[dict]) -> str:
    head = ("figure", "measured", "target", "")
    data = [(r["figure"], r["value"], r["target"], _mark(r["ok"])) for r in rows]
    widths = [min(70, max(len(x[i]) for x in data + [head])) for i in range(4)]
    lines = []
    for i, row in enumerate([head] + data):
        cells = []
        for w, cell in zip(widths, row):
            cells.append(cell if len(cell) <= w else cell[: w - 1] + "…")
        lines.append(" | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        if i == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller runs, a sanity check in under a minute")
    ap.add_argument("--only", default="", help=f"comma-separated groups among {', '.join(GROUPS)}")
    ap.add_argument("--out", default=str(OUT), help="where to write the JSON results")
    ap.add_argument("--full-text", action="store_true", help="print whole cells instead of a fixed-width table")
    args = ap.parse_args(argv)
    groups = [g.strip() for g in args.only.split(",") if g.strip()] or list(GROUPS)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        ap.error(f"unknown group(s): {', '.join(unknown)}; choose among {', '.join(GROUPS)}")
    logging.basicConfig(level=logging.WARNING)

    started = time.monotonic()
    rows: list[dict] = []
    failed: list[str] = []
    timings = {}
    for g in groups:
        t = time.monotonic()
        print(f"… {g}", file=sys.stderr, flush=True)
        try:
            rows += _group(g)(args.quick)
        except Exception:  # noqa: BLE001 - report and go on with the other groups
            failed.append(g)
            traceback.print_exc()
        timings[g] = round(time.monotonic() - t, 1)
    total = time.monotonic() - started

    if args.full_text:
        for r in rows:
            print(f"- {r['figure']}\n    {r['value']}\n    target {r['target']}: {_mark(r['ok'])}")
    else:
        print(table(rows))
    print(f"\n{len(rows)} figures in {total:.0f} s ({', '.join(f'{k} {v} s' for k, v in timings.items())})"
          + (" — quick run" if args.quick else "") + (f"; FAILED groups: {', '.join(failed)}" if failed else ""))
    result = {"machine": machine(), "quick": args.quick, "groups": groups, "seconds": round(total, 1),
              "group_seconds": timings, "failed_groups": failed, "figures": rows}
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"written: {args.out}")
    return 1 if failed else 0
