"""Every command function in skillmap/cli/ is short: it parses options, calls one library function, renders."""

from __future__ import annotations

import ast
from pathlib import Path

CLI = Path(__file__).resolve().parents[1] / "skillmap" / "cli"
LONGEST = 60  # lines from `def` to the last line, signature and docstring included (issue 9: "~60 lines")


def test_no_cli_function_is_longer_than_60_lines() -> None:
    long = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > LONGEST:
                    long.append(f"{path.name}:{node.lineno} {node.name} ({length} lines)")
    assert not long, "move the work into the library: " + ", ".join(long)
