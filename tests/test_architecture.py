"""The layering rules of HELPERS.md / DESIGN.md, read from the source's imports (ast), so that a
module added tomorrow is checked too:

- within each top-level package (seo, jobs, handlers, blockkit, ...), modules form no import cycle,
  counting imports made inside functions (a lazy import still ties two modules together) but not
  those under `if TYPE_CHECKING:`;
- the engine (seo/) imports nothing of Slack, jobs, handlers, blockkit or integrations;
- jobs/ never imports handlers/;
- handlers/ holds no pacing module (the streams' pacing lives in jobs/streaming/).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(package: str) -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


ALL_MODULES: dict[str, Path] = {}
for _pkg in PACKAGES:
    ALL_MODULES.update(_modules(_pkg))
for _top in ROOT.glob("*.py"):
    ALL_MODULES[_top.stem] = _top


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST):
    """Import nodes anywhere in the module, except under `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(module: str, path: Path) -> set[str]:
    return imports_in(module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py")


def imports_in(module: str, source: str, *, is_package: bool = False, known=ALL_MODULES) -> set[str]:
    """Absolute names of what `module` imports: `from a import b` counts as `a.b` when that is a
    module of ours, else as `a`."""
    out: set[str] = set()
    for node in _runtime_imports(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
            continue
        if node.level:
            base = module.split(".")
            if not is_package:
                base = base[:-1]
            base = base[:len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        for alias in node.names:
            sub = f"{target}.{alias.name}"
            out.add(sub if sub in known else target)
    out.discard(module)
    return out


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph`, as the list of its modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def _reaches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_inside_a_package(package):
    modules = _modules(package)
    graph = {m: {i for i in imports_of(m, p) if i in modules} for m, p in modules.items()}
    cycle = _cycle(graph)
    assert cycle is None, f"import cycle in {package}/: {' -> '.join(cycle)}"


def test_the_cycle_finder_sees_a_cycle_through_a_lazy_import_only_at_run_time():
    """The rules here would pass vacuously if the parser missed imports made inside functions."""
    sources = {
        "pkg.a": "from .b import f\n",
        "pkg.b": "def f():\n    from . import a\n    return a\n",
        "pkg.c": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import x\n",
        "pkg.d": "from pkg.c import y\n",
    }
    graph = {m: imports_in(m, src, known=sources) & set(sources) for m, src in sources.items()}
    assert graph == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": set(), "pkg.d": {"pkg.c"}}
    assert _cycle(graph) == ["pkg.a", "pkg.b", "pkg.a"]
    del graph["pkg.b"]
    assert _cycle(graph) is None


FORBIDDEN_IN_SEO = ("slack_sdk", "slack_bolt", "jobs", "handlers", "blockkit", "integrations", "bot")


def test_the_engine_imports_nothing_of_slack_jobs_handlers_blockkit_or_integrations():
    offenders = sorted(
        f"{m} imports {i}"
        for m, p in _modules("seo").items()
        for i in imports_of(m, p)
        if i.startswith("slack") or any(_reaches(i, f) for f in FORBIDDEN_IN_SEO))
    assert not offenders, offenders


def test_jobs_never_import_handlers():
    offenders = sorted(f"{m} imports {i}" for m, p in _modules("jobs").items()
                       for i in imports_of(m, p) if _reaches(i, "handlers"))
    assert not offenders, offenders


def test_handlers_hold_no_pacing_module():
    pacing = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "handlers").rglob("*pacing*"))
    assert not pacing, f"pacing belongs in jobs/streaming/, not in handlers/: {pacing}"


def _closure(start: set[str]) -> set[str]:
    """Every module of ours `start` imports, directly or not."""
    seen, todo = set(), [m for m in start if m in ALL_MODULES]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(i for i in imports_of(m, ALL_MODULES[m]) if i in ALL_MODULES and i not in seen)
    return seen


def test_handlers_cannot_reach_the_llm():
    """Listeners ack and enqueue; the LLM is the worker's (seo.llm, seo.pipeline, the openai client)."""
    offenders = []
    for m, p in _modules("handlers").items():
        direct = imports_of(m, p)
        reached = _closure(direct) | direct
        bad = sorted(i for i in reached if _reaches(i, "openai") or i in ("seo.llm", "seo.pipeline"))
        if bad:
            offenders.append(f"{m} reaches {bad}")
    assert not offenders, offenders
