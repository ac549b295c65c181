"""The contract every reader keeps on any input, shared by the property tests and ``benchmarks/fuzz_readers.py``.

Given any bytes, a reader returns its result or raises :class:`~skillmap.errors.SkillmapError` with a one-line
message; anything else (a traceback the user would see) breaks the contract. :func:`feed` writes the bytes to a
file of the reader's kind and applies the contract; the fuzzer counts what breaks it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError

# reader name → (file name the bytes are written to, call). Every call uses a small input cap, so a fuzzed
# compressed file can never expand past a few MiB.
CAP_MB = 4


def _table(path: Path) -> Any:
    from skillmap.sources.spreadsheets import read_table

    return read_table(path, max_input_mb=CAP_MB)


def _classification(path: Path) -> Any:
    from skillmap.sources.taxonomy import read_classification

    return read_classification([path], max_input_mb=CAP_MB)


def _taxonomy(path: Path) -> Any:
    from skillmap.sources.taxonomy import read_classification

    return read_classification([path], taxonomy=True, max_input_mb=CAP_MB)


def _register(path: Path) -> Any:
    from skillmap.sources.registers import read_register

    return read_register(path, country="DE", max_input_mb=CAP_MB)


READERS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    "csv": ("input.csv", _table),
    "xlsx": ("input.xlsx", _table),
    "taxonomy-csv": ("taxonomy.csv", _taxonomy),
    "esco-csv-zip": ("esco.zip", _classification),
    "rdf-xml": ("esco.rdf", _classification),
    "turtle": ("esco.ttl", _classification),
    "json-ld": ("esco.jsonld", _classification),
    "register-csv": ("register.csv", _register),
    "rncp-xml": ("register.xml", _register),
}


class ContractBroken(AssertionError):
    """A reader raised something other than a one-line SkillmapError."""


def feed(reader: str, data: bytes, folder: Path) -> Any:
    """Write ``data`` as the reader's input in ``folder`` and read it; return the result or the SkillmapError.

    Raises :class:`ContractBroken` (with the original exception chained) when the reader breaks the contract.
    """
    name, call = READERS[reader]
    path = Path(folder) / name
    path.write_bytes(data)
    try:
        return call(path)
    except SkillmapError as error:
        if "\n" in str(error):
            raise ContractBroken(f"{reader}: a SkillmapError message spans lines: {str(error)[:200]!r}") from error
        return error
    except Exception as exc:
        raise ContractBroken(f"{reader}: {type(exc).__name__}: {str(exc)[:200]}") from exc
