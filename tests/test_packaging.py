"""A plain, non-editable install (as users install it) ships the bundled data and finds it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("skillmap_eqf-*.whl")
    return built


def test_wheel_contains_the_bundled_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    data_files = [n for n in names if n.startswith("skillmap/_data/")]
    assert any(n.startswith("skillmap/_data/esco/") for n in data_files), "ESCO sample missing from the wheel"
    assert any(n.startswith("skillmap/_data/nqf/") for n in data_files), "NQF data missing from the wheel"


def test_installed_package_finds_its_data_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "from skillmap.fileio import bundled_data_dir; d = bundled_data_dir(); print(d); print((d / 'nqf').is_dir())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,  # not the checkout, so the installed copy is imported
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    folder, has_nqf = result.stdout.split()
    assert folder.startswith(str(target)), folder
    assert has_nqf == "True"
