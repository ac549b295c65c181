"""Every command has help text and appears in the README's command reference (as sqlite-utils checks)."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main

from skillmap.cli import build_app
from tests.conftest import REPO


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []
    if hasattr(group, "commands"):  # a group (typer vendors click, so no isinstance)
        for name, command in sorted(group.commands.items()):
            found.append(((*prefix, name), command))
            found.extend(_commands(command, (*prefix, name)))
    return found


COMMANDS = _commands(typer.main.get_command(build_app()))


def test_there_are_commands() -> None:
    assert len(COMMANDS) >= 1


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or command.short_help or "").strip(), f"`skillmap {' '.join(path)}` has no help text"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_is_in_the_readme(path: tuple[str, ...], command: Any) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"skillmap {' '.join(path)}" in readme, f"`skillmap {' '.join(path)}` is missing from README.md"


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_option_has_help(path: tuple[str, ...], command: Any) -> None:
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            assert (param.help or "").strip(), f"`skillmap {' '.join(path)}` option {param.opts} has no help"
