"""Small file primitives shared by every stage: atomic writes, locating and reading our bundled data."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` only if the block succeeds.

    A failed or interrupted write leaves the previous file (or no file) in place, never half of one.
    """
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise SkillmapError(f"cannot write {target}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600 files; reports are meant to be shared, so use the usual umask-based mode.
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically, with LF line ends on every platform."""
    atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_rows(
    target: str | os.PathLike[str], rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> None:
    """Write result rows atomically: a JSON list of the row objects for ``.json``, else CSV with ``columns``.

    Values go out as they are (CSV: ``None`` → empty cell); the caller checks the file extension.
    """
    if Path(target).suffix.lower() == ".json":
        text = json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(column) for column in columns] for row in rows)
        text = buffer.getvalue()
    atomic_write_text(target, text)


def bundled_data_dir() -> Path:
    """Return the folder holding the project's own data files (``data/`` in the repository).

    In an installed wheel they live inside the package as ``skillmap/_data``; in a source checkout
    (editable install, tests) they are the repository's ``data/`` folder.
    """
    packaged = Path(str(resources.files("skillmap"))) / "_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def read_data_rows(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Read one of our own data files: a UTF-8 CSV with a header; lines starting with ``#`` are comments."""
    text = Path(path).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))
