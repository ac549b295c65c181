"""Shared fixtures: the reference data in ../shared, an isolated SKILLMAP_HOME, a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ESCO_EN_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
ESCO_RELATIONS_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification -  - csv.zip"

needs_shared = pytest.mark.skipif(
    not (SHARED / "README.md").is_file(),
    reason=f"reference data not found at {SHARED} (expected ../shared next to the repository)",
)


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One SKILLMAP_CACHE for the session (module fixtures included): the sample's index and semantic matrix are
    built once, not per test."""
    cache = tmp_path_factory.mktemp("skillmap-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKILLMAP_CACHE", str(cache))
        yield cache


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, shared_cache: Path
) -> Path:
    """Every test gets its own empty SKILLMAP_HOME, so nothing reads or writes the user's data."""
    home = tmp_path_factory.mktemp("skillmap-home")
    monkeypatch.setenv("SKILLMAP_HOME", str(home))
    monkeypatch.setenv("SKILLMAP_CACHE", str(shared_cache))
    return home


def imported_home(factory: pytest.TempPathFactory, label: str, *registers: tuple[Path, dict[str, str]]) -> Path:
    """A SKILLMAP_HOME folder whose store holds ``registers`` (path, import_register keywords), for module fixtures."""
    from skillmap.registers import import_register

    home = factory.mktemp(label)
    for path, options in registers:
        import_register(path, store_path=home / "registers.sqlite", **options)
    return home


def run_skillmap(args: list[str], home: Path) -> None:
    """Run ``skillmap ARGS`` in-process with SKILLMAP_HOME=home and require success (for module-scoped fixtures)."""
    from skillmap.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKILLMAP_HOME", str(home))
        with pytest.raises(SystemExit) as stopped:
            main(args)
    assert stopped.value.code in (0, None), f"skillmap {' '.join(args)} exited with {stopped.value.code}"


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``skillmap ARGS`` in-process exactly as the command does; returns (exit_code, stdout, stderr)."""
    from skillmap.cli import main

    monkeypatch.setenv("COLUMNS", "200")  # wide tables, so assertions do not depend on the terminal

    def _run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        out, err = capsys.readouterr()
        return code, out, err

    return _run
