"""France compétences' open-data RNCP CSV export (``rncp_info.csv``) → one :class:`RegisterRecord` per code.

The file is UTF-8, ``;``-separated, RFC 4180 quoting (titles hold line breaks inside quotes, so it is read with a
real CSV parser). Columns: ``CodeRNCP; intituleDiplome; date_fin_validite_enregistrement; ActiveInactive;
EtatFiche; NiveauEurope; CodeTypeCertif; TypeCertif; AncienneFiche; NouvelleFiche; TypeEnregistrement``.

Duplicate codes (one rule, documented in the README):
1. rows identical in every column merge silently;
2. rows that differ only in the link columns ``AncienneFiche`` / ``NouvelleFiche`` are one fiche listed once per
   predecessor/successor: they merge and their links are united;
3. rows that differ in anything else conflict: the ACTIVE row is kept over INACTIVE ones, then the latest end of
   validity (empty = open-ended = latest), then the first in file order; the others are counted and listed.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError
from skillmap.model import LIST_SEPARATOR, RegisterRecord

RNCP_CSV_MARKERS = ("CodeRNCP", "intituleDiplome", "ActiveInactive")
LINK_COLUMNS = ("AncienneFiche", "NouvelleFiche")
_LEVEL = re.compile(r"niveau\s*([1-8])", re.IGNORECASE)
_CODES = re.compile(r"RNCP\d+")


@dataclass
class DuplicateReport:
    """What merging duplicate codes did: counts, and for each conflict the row kept and the rows dropped."""

    rows: int = 0
    identical: int = 0  # extra rows equal to a kept row
    links_merged: int = 0  # extra rows differing only by predecessor/successor links
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    merged_codes: list[str] = field(default_factory=list)  # every code that had more than one row

    @property
    def dropped(self) -> int:
        """Rows left out because another row of the same code was preferred."""
        return sum(len(c["dropped_rows"]) for c in self.conflicts)

    def note(self) -> str:
        """One line for the user, or ``""`` when no code appeared twice."""
        if not (self.identical or self.links_merged or self.conflicts):
            return ""
        return (
            f"duplicate codes merged: {self.identical:,} identical row(s), {self.links_merged:,} row(s) listing "
            f"another predecessor/successor of the same fiche; {len(self.conflicts):,} code(s) with conflicting rows "
            f"kept one row each (active first, then the latest validity) and left out {self.dropped:,} row(s)"
        )


def is_rncp_csv(path: Path) -> bool:
    """True when the file's header is the RNCP open-data CSV (``CodeRNCP;intituleDiplome;…``)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline(1 << 16)
    except (OSError, UnicodeDecodeError):
        return False
    return set(RNCP_CSV_MARKERS) <= {h.strip() for h in header.split(";")}


def read_rncp_csv(
    path: Path, *, country: str, name: str, skipped: list[int], duplicates: DuplicateReport | None = None
) -> list[RegisterRecord]:
    """Read the RNCP CSV: one record per code, in file order; rows without a code or title go to ``skipped``."""
    report = duplicates if duplicates is not None else DuplicateReport()
    groups: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle, delimiter=";"), start=1):
                report.rows += 1
                cells = {k: (v or "") for k, v in row.items() if k is not None}
                if not cells.get("CodeRNCP", "").strip() or not _clean_title(cells.get("intituleDiplome", "")):
                    skipped.append(number)
                    continue
                groups[cells["CodeRNCP"].strip()].append((number, cells))
    except UnicodeDecodeError as exc:
        raise SkillmapError(f"{path.name} is not UTF-8 text (byte {exc.start}); re-download the export") from exc
    except csv.Error as exc:
        raise SkillmapError(f"{path.name} is not a readable CSV ({exc})") from exc
    records = []
    for code, rows in groups.items():
        kept, predecessors, successors = _merge(code, rows, report)
        records.append(_record(code, kept, predecessors, successors, country=country, name=name, source=path.name))
    return records


def _merge(
    code: str, rows: list[tuple[int, dict[str, str]]], report: DuplicateReport
) -> tuple[dict[str, str], list[str], list[str]]:
    """The row kept for ``code`` and the predecessor/successor codes of the merged rows (rule in the docstring)."""
    if len(rows) > 1:
        report.merged_codes.append(code)
    distinct: list[tuple[int, dict[str, str]]] = []
    for number, row in rows:
        if any(row == other for _, other in distinct):
            report.identical += 1
        else:
            distinct.append((number, row))
    core = [{k: v for k, v in row.items() if k not in LINK_COLUMNS} for _, row in distinct]
    if all(c == core[0] for c in core):
        report.links_merged += len(distinct) - 1
    else:
        ranked = sorted(enumerate(distinct), key=lambda item: _preference(item[1][1], item[0]))
        distinct = [ranked[0][1]]
        report.conflicts.append(
            {
                "code": code,
                "kept_row": ranked[0][1][0],
                "dropped_rows": [number for _, (number, _) in ranked[1:]],
                "columns": sorted({k for c in core for k in c if c[k] != core[0].get(k)}),
            }
        )
    links = {column: [c for _, row in distinct for c in _CODES.findall(row.get(column, ""))] for column in LINK_COLUMNS}
    return distinct[0][1], links["AncienneFiche"], links["NouvelleFiche"]


def _preference(row: dict[str, str], order: int) -> tuple[int, str, int]:
    """Sort key among conflicting rows: active first, then the latest validity end (empty = open), then file order."""
    active = row.get("ActiveInactive", "").strip().upper() == "ACTIVE"
    until = _iso_date(row.get("date_fin_validite_enregistrement", "")) or "9999-99-99"
    return (0 if active else 1, "".join(chr(255 - ord(ch)) for ch in until), order)


def _iso_date(text: str) -> str:
    """``8/31/16`` (m/d/yy, as in the export) → ``2016-08-31``; ``dd/mm/yyyy`` and ISO dates too; else ``""``."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    parts = text.split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return ""
    a, b, c = (int(p) for p in parts)
    day, month, year = (a, b, c) if len(parts[2]) == 4 else (b, a, 2000 + c)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _clean_title(text: str) -> str:
    """Line breaks, CRs and runs of spaces collapsed; NFC."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _record(
    code: str, row: dict[str, str], predecessors: list[str], successors: list[str], *, country: str, name: str,
    source: str,
) -> RegisterRecord:  # fmt: skip
    level = _LEVEL.search(row.get("NiveauEurope", ""))
    eqf = int(level.group(1)) if level else None
    active = row.get("ActiveInactive", "").strip().upper() == "ACTIVE"
    extra = {
        "level_code": row.get("NiveauEurope", "").strip(),
        "level_reason": f"RNCP {row['NiveauEurope'].strip()} (2019 French framework, referenced 1:1 to the EQF)"
        if level
        else "the fiche has no NiveauEurope level",
        "state": row.get("EtatFiche", "").strip(),
        "type_code": row.get("CodeTypeCertif", "").strip(),
        "type_label": row.get("TypeCertif", "").strip(),
        "registration": row.get("TypeEnregistrement", "").strip(),
        "end_date": _iso_date(row.get("date_fin_validite_enregistrement", "")),
        "predecessors": LIST_SEPARATOR.join(dict.fromkeys(c for c in predecessors if c != code)),
        "successors": LIST_SEPARATOR.join(dict.fromkeys(c for c in successors if c != code)),
    }
    return RegisterRecord(
        country=country,
        code=code,
        title=_clean_title(row["intituleDiplome"]),
        register=name,
        nqf_level=str(eqf) if eqf else "",
        eqf_level=eqf,
        level_status="ok" if eqf else "missing",
        language="fr",
        status="active" if active else "inactive",
        source_file=source,
        extra={k: v for k, v in extra.items() if v},
    )
