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

    A failed or interrupted write leaves the previous file (or no file) in place, never half of one; an
    ``OSError`` while writing (a full disk: ``ENOSPC``) becomes a one-line :class:`SkillmapError`.
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
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):  # a full disk, a quota, a read-only folder: the user can fix it
            raise SkillmapError(f"cannot write {target}: {exc.strerror or exc}; nothing was written") from exc
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


# --- reading what users bring: regular files only, and a cap on what a small file may expand to ------------------

MAX_INPUT_ENV = "SKILLMAP_MAX_INPUT_MB"
# Registers and ESCO packages are megabytes (the ESCO v1.2 CSV zip unpacks to ~90 MiB, the largest RNCP export to
# ~400 MiB); 512 MiB of input (or of decompressed zip/gzip/xlsx parts) keeps a whole read within a few GiB of memory.
DEFAULT_MAX_INPUT_MB = 512


def max_input_bytes(max_input_mb: float | None = None) -> int:
    """The number of bytes skillmap reads from one input, decompressed: ``max_input_mb`` if given, else the
    ``SKILLMAP_MAX_INPUT_MB`` environment variable, else :data:`DEFAULT_MAX_INPUT_MB`."""
    value: float | str | None = max_input_mb
    if value is None:
        value = os.environ.get(MAX_INPUT_ENV, "").strip() or DEFAULT_MAX_INPUT_MB
    try:
        megabytes = float(value)
    except ValueError:
        raise SkillmapError(f"{MAX_INPUT_ENV}={value!r} is not a number of megabytes") from None
    if not megabytes > 0:
        raise SkillmapError(f"the input size limit must be a positive number of megabytes, not {value!r}")
    return int(megabytes * 1024 * 1024)


def input_limit_error(what: str, size: int | None, limit: int) -> SkillmapError:
    """The one message for an input over the cap; ``size`` None means "more than the limit" (a stream cut off)."""
    amount = f"{size / 1024**2:,.0f} MiB" if size is not None else f"more than {limit / 1024**2:,.0f} MiB"
    return SkillmapError(
        f"{what} holds {amount}, over the {limit / 1024**2:,.0f} MiB skillmap reads from one input; a compressed "
        f"file that expands this much may be a zip bomb — if the file is genuine, raise the limit with max_input_mb "
        f"(or the environment variable {MAX_INPUT_ENV})",
        hint="max_input_mb",
    )


def check_regular_file(path: str | os.PathLike[str], what: str = "") -> Path:
    """Return ``path`` when it is a regular file (symlinks followed); refuse devices, FIFOs, sockets and folders.

    A ``.csv`` that is a link to ``/dev/zero`` or a named pipe would otherwise be read until memory runs out.
    """
    path = Path(path)
    label = what or str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise SkillmapError(f"{label}: no such file") from None
    except OSError as exc:
        raise SkillmapError(f"cannot read {label}: {exc.strerror or exc}") from exc
    import stat

    if stat.S_ISDIR(mode):
        raise SkillmapError(f"{label} is a folder, not a file")
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise SkillmapError(f"{label} is {kind}, not a regular file; save the data to a file and give that")
    return path


def read_input_bytes(path: str | os.PathLike[str], *, max_input_mb: float | None = None, what: str = "") -> bytes:
    """Read an input file whole: a regular file only, at most :func:`max_input_bytes`; problems → SkillmapError."""
    path = check_regular_file(path, what)
    limit = max_input_bytes(max_input_mb)
    label = what or str(path)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise input_limit_error(label, size, limit)
            data = handle.read(limit + 1)  # a file growing while read is still cut at the limit
    except OSError as exc:
        raise SkillmapError(f"cannot read {label}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise input_limit_error(label, None, limit)
    return data


def gunzip_capped(data: bytes, limit: int, what: str) -> bytes:
    """Decompress gzip ``data`` (all members) without ever holding more than ``limit`` bytes of output."""
    import zlib

    out: list[bytes] = []
    total = 0
    rest = data
    try:
        while rest:
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk = decompressor.decompress(rest, limit + 1 - total)
            while True:
                total += len(chunk)
                if total > limit:
                    raise input_limit_error(what, None, limit)
                out.append(chunk)
                if decompressor.eof or not decompressor.unconsumed_tail:
                    break
                chunk = decompressor.decompress(decompressor.unconsumed_tail, limit + 1 - total)
            if not decompressor.eof:
                raise SkillmapError(f"{what} is a truncated gzip file; download it again")
            rest = decompressor.unused_data.lstrip(b"\x00")  # gzip allows several members and zero padding
    except zlib.error as exc:
        raise SkillmapError(f"{what} is a damaged gzip file ({exc}); download it again") from exc
    return b"".join(out)


def check_zip_sizes(archive: Any, limit: int, what: str, names: Sequence[str] | None = None) -> None:
    """Refuse a zip whose members (all, or ``names``) expand to more than ``limit`` bytes in total.

    The sizes come from the zip's directory; Python's zipfile never returns more than a member declares (and
    checks its CRC), so a lying directory cannot smuggle more data past this check.
    """
    wanted = set(names) if names is not None else None
    total = sum(info.file_size for info in archive.infolist() if wanted is None or info.filename in wanted)
    if total > limit:
        raise input_limit_error(what, total, limit)
