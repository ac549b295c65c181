"""A newcomer following the README: how to run skillmap after `make demo`, and a walkthrough that writes only into
an ignored folder and checks against files it has just made."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
WALKTHROUGH = README.split("<!-- section:walkthrough -->")[1].split("<!-- /section:walkthrough -->")[0]


def _shell_blocks(text: str) -> list[str]:
    return [block.replace("\\\n", " ") for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)]


def test_make_demo_ends_by_saying_how_to_run_skillmap() -> None:
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\ndemo:")[1].split("\n\n")[0]
    assert "$(VENV)/bin/skillmap" in recipe and "$(VENV)/bin/activate" in recipe
    top = README.split("<!-- section:walkthrough -->")[0]
    assert ".venv/bin/skillmap" in top and ". .venv/bin/activate" in top


def test_the_walkthrough_writes_its_reports_into_a_folder_git_ignores() -> None:
    ignored = {line.strip().strip("/") for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()}
    outputs = [path for block in _shell_blocks(WALKTHROUGH) for path in re.findall(r"--out (\S+)", block)]
    assert outputs
    assert all("/" in path and path.split("/")[0] in ignored for path in outputs), outputs


def test_every_ci_check_in_the_readme_compares_with_a_file_the_reader_has() -> None:
    made = set(re.findall(r"--out (\S+)", WALKTHROUGH))
    demo = (REPO / "examples" / "demo.sh").read_text(encoding="utf-8")
    made |= set(re.findall(r"--out (\S+)", demo))
    checks = [path for block in _shell_blocks(README) for path in re.findall(r"--check (\S+)", block)]
    assert checks
    assert all(path in made for path in checks), [p for p in checks if p not in made]
