"""Imports go one way, from the top layer down, and no module imports itself in a circle.

bot (settings, app factory, entry points, CLI, servers) → handlers (thin listeners) → services (Slack-side
code that is no listener) → render and domain → storage. render may read domain's types; domain never
renders. Every import counts, also one inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "services", "render", "domain", "storage")
MAY_IMPORT = {
    "bot": {"bot", "handlers", "services", "render", "domain", "storage"},
    "handlers": {"handlers", "services", "render", "domain", "storage"},
    "services": {"services", "render", "domain", "storage"},
    "render": {"render", "domain", "storage"},
    "domain": {"domain", "storage"},
    "storage": {"storage"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports (a name imported from a package counts as its module when it is one)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_from_its_own_layer_or_below(module: str) -> None:
    layer = module.split(".")[0]
    upward = sorted(i for i in GRAPH[module] if i.split(".")[0] not in MAY_IMPORT[layer])
    assert upward == [], f"{module} ({layer}) imports from a higher layer"


def test_no_import_circles() -> None:
    circles = [circle for circle in _strongly_connected(GRAPH) if len(circle) > 1]
    assert circles == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


@pytest.mark.parametrize("folder", ["bench", "fakes"])
def test_bench_and_fakes_never_import_tests(folder: str) -> None:
    """The benchmarks and the fake Slack stand on their own: tests import them, never the other way round."""
    from_tests = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            from_tests += [f"{path.name}: {n}" for n in names if n == "tests" or n.startswith("tests.")]
    assert from_tests == []
