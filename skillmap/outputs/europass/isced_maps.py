"""National subject values → ISCED-F 2013 fields: a two-column CSV map, or a map bundled in `data/europass`."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir
from skillmap.outputs.europass.cells import column_key, list_items
from skillmap.outputs.europass.codelists import CodeLists, load_code_lists
from skillmap.vocabularies import spelling_key

_MAP_CODE_COLUMNS = ("iscedf", "iscedfcode", "isced")  # the second header of a map, as column keys


@dataclass(frozen=True)
class IscedMap:
    """National subject values (one input column) → ISCED-F codes, e.g. England's sector subject areas."""

    column: str
    codes: Mapping[str, tuple[str, ...]]  # normalised value → ISCED-F codes
    source: str = ""

    def lookup(self, value: str) -> tuple[str, ...]:
        """Codes for one cell; a ``" | "`` list maps part by part, a part also by its leading code (``313 …``)."""
        found: list[str] = []
        for part in list_items(value.strip()):
            if not part:
                continue
            key = spelling_key(part)
            codes = self.codes.get(key) or self.codes.get(key.split(" ")[0], ())
            found.extend(c for c in codes if c not in found)
        return tuple(found)


def bundled_isced_maps_dir() -> Path:
    """The folder of the bundled maps (``england-ssa.csv`` …)."""
    return bundled_data_dir() / "europass" / "isced-maps"


def read_isced_map(path: str | Path, code_lists: CodeLists | None = None) -> IscedMap:
    """Read a two-column CSV: the header names the input column (``SectorSubjectArea``, ``nsf_codes`` …) and
    ``isced_f``; each row maps one value of that column to ISCED-F codes (several joined by ``|``).
    A bare name (``england-ssa``) selects a map bundled in ``data/europass/isced-maps/``.

    Lines starting with ``#`` are comments. Every code must exist in ISCED-F 2013.
    """
    lists = code_lists or load_code_lists()
    path = Path(path)
    bundled = bundled_isced_maps_dir() / f"{path.name}.csv"
    if not path.is_file() and path.parent == Path(".") and bundled.is_file():
        path = bundled
    if not path.is_file():
        names = sorted(p.stem for p in bundled_isced_maps_dir().glob("*.csv"))
        raise SkillmapError(
            f"ISCED-F map {path} not found; give a CSV file or a bundled map: {', '.join(names)}", hint="isced_map"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SkillmapError(f"cannot read the ISCED-F map {path}: {exc}", hint="isced_map") from exc
    rows = [r for r in csv.reader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))]
    if not rows or len(rows[0]) != 2 or column_key(rows[0][1]) not in _MAP_CODE_COLUMNS:
        raise SkillmapError(
            f"{path.name} is not an ISCED-F map: expected a header '<input column>,isced_f' and two columns per row",
            hint="isced_map",
        )
    column = rows[0][0].strip()
    codes: dict[str, tuple[str, ...]] = {}
    for number, row in enumerate(rows[1:], start=2):
        where = f"{path.name} line {number}"
        if len(row) != 2 or not row[0].strip():
            raise SkillmapError(f"{where}: expected '<value>,<ISCED-F code>'", hint="isced_map")
        concepts = lists.isced_concepts([c for c in list_items(row[1].strip()) if c], where=where, hint="isced_map")
        if not concepts:
            raise SkillmapError(f"{where}: no ISCED-F code for {row[0].strip()!r}", hint="isced_map")
        codes[spelling_key(row[0])] = tuple(c.uri.rsplit("/", 1)[1] for c in concepts)
    return IscedMap(column=column, codes=codes, source=path.name)
