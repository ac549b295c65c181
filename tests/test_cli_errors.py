"""Every error a user can fix is one line on stderr and exit status 2: typer's own usage errors included."""

from __future__ import annotations

import pytest

from skillmap.cli import error_line, flag_for_hint
from skillmap.errors import SkillmapError


@pytest.mark.parametrize(
    "args,expected",
    [
        (("align",), "skillmap: error: missing argument 'FILE' (try 'skillmap align --help')"),
        (("skills", "solar", "--top", "0"), "(try 'skillmap skills --help')"),
        (("skills", "solar", "--no-such-option"), "no such option: --no-such-option"),
        (("level", "GB-ENG"), "missing argument 'text' (try 'skillmap level --help')"),
        (("frameworks", "nope"), "no such command 'nope' (try 'skillmap frameworks --help')"),
    ],
)
def test_usage_errors_print_one_line_and_exit_2(run_cli, args: tuple[str, ...], expected: str) -> None:
    code, out, err = run_cli(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("skillmap: error: ") and expected in err
    assert "╭" not in err and "Usage:" not in err


def test_skillmap_alone_prints_the_help(run_cli) -> None:
    code, out, _ = run_cli()
    assert code == 2 and "Usage: skillmap" in out and "esco" in out


def test_version_prints_the_version_and_exits_0(run_cli) -> None:
    import skillmap

    code, out, err = run_cli("--version")
    assert code == 0, err
    assert out.strip() == f"skillmap {skillmap.__version__}"


def test_help_exits_0(run_cli) -> None:
    code, out, _ = run_cli("align", "--help")
    assert code == 0 and "Usage: skillmap align" in out


def test_a_library_hint_becomes_the_flag_on_the_command_line() -> None:
    assert flag_for_hint("report") == "--report"
    assert flag_for_hint("isced_map") == "--isced-map"
    assert flag_for_hint("input_format") == "--input-format"
    error = SkillmapError("the report must be a .csv or .json file", hint="report")
    assert error_line(error) == "skillmap: error: the report must be a .csv or .json file (use --report)"
    assert error_line(SkillmapError("no rows")) == "skillmap: error: no rows"


def test_a_library_error_with_a_hint_prints_the_flag(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import skillmap.frameworks

    def refuse(*_args, **_kwargs):
        raise SkillmapError("this framework needs an acronym", hint="framework")

    monkeypatch.setattr(skillmap.frameworks, "resolve_level", refuse)
    code, _, err = run_cli("level", "DE", "4")
    assert code == 2
    assert err == "skillmap: error: this framework needs an acronym (use --framework)\n"


def test_no_country_names_the_flag_once(run_cli, tmp_path) -> None:
    sheet = tmp_path / "quals.csv"
    sheet.write_text("Title,Level\nElectrician,3\n", encoding="utf-8")
    code, _, err = run_cli("align", str(sheet), "--levels-only")
    assert code == 2, err
    assert err.strip().endswith("(use --country)") and err.count("--country") == 1, err


def test_a_library_error_with_a_hint_leaves_the_flag_to_the_cli() -> None:
    # the CLI appends "(use --flag)" for the hint: a message that names the flag itself would say it twice
    import ast
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "skillmap"
    flagged = []
    for path in sorted(root.rglob("*.py")):
        if "cli" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "SkillmapError" and node.args):
                continue
            hint = next((k.value for k in node.keywords if k.arg == "hint"), None)
            if hint is None or (isinstance(hint, ast.Constant) and not hint.value):
                continue
            words = " ".join(
                n.value for n in ast.walk(node.args[0]) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
            if re.search(r"(?<![\w-])--[a-z]", words):
                flagged.append(f"{path.relative_to(root)}:{node.lineno}: {words[:80]}")
    assert flagged == []


def _library_hints() -> set[str]:
    import ast
    from pathlib import Path

    hints = set()
    for path in sorted((Path(__file__).resolve().parents[1] / "skillmap").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "hint" and isinstance(node.value, ast.Constant):
                hints.add(str(node.value.value))
    return hints


def test_every_hint_a_library_error_gives_names_an_option_a_command_has_or_a_variable() -> None:
    import typer

    from skillmap.cli import build_app

    flags: set[str] = set()

    def walk(command) -> None:
        for param in getattr(command, "params", []):
            flags.update(option for option in getattr(param, "opts", []) if option.startswith("--"))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(build_app()))
    keywords = {h for h in _library_hints() if h.isidentifier()}  # a hint names one keyword
    wrong = {h: flag_for_hint(h) for h in keywords if flag_for_hint(h) not in flags}
    assert {h: f for h, f in wrong.items() if not f.startswith("SKILLMAP_")} == {}
    assert len(keywords) > 20  # the scan finds the hints


def test_the_input_cap_error_names_its_variable_once(run_cli, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLMAP_MAX_INPUT_MB", "1")
    sheet = tmp_path / "big.csv"
    sheet.write_text("Title,Level\n" + "Electrician,3\n" * 100_000, encoding="utf-8")
    code, _, err = run_cli("align", str(sheet), "--country", "GB-ENG", "--levels-only")
    assert code == 2, err
    assert err.count("SKILLMAP_MAX_INPUT_MB") == 1 and "--max-input-mb" not in err, err
