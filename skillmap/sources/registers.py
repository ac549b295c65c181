"""Readers for national qualification registers → :class:`~skillmap.model.RegisterRecord`.

Formats:

* ``rncp-xml`` — the France compétences RNCP/RS XML flux (v4.1): one ``<FICHE>`` per certification. Parsed
  as a stream with defusedxml (no DTD, no entities, no network), so an export of 30,000 fiches stays cheap.
* ``rncp-csv`` — France compétences' open-data RNCP CSV export (``rncp_info.csv``), duplicate codes merged
  (:mod:`skillmap.sources.rncp_csv`).
* ``dfe`` — the England DfE/Ofqual "qualifications approved for funding" CSV (``QualificationNumber``, ``Level``).
* ``csv`` / ``xlsx`` — any sheet, with the column detection ``skillmap align`` uses.
* ``alignment`` — a table written by ``skillmap align`` (CSV or JSON): it already carries EQF levels and ESCO skills.

Readers only parse: they never touch the registers store (that is :mod:`skillmap.registers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from skillmap.alignment_table import (
    ADDED_FIELDS,
    is_alignment_table,
    read_table_file,
    split_list_cell,
    table_columns_from_workbook,
    workbook_cell_text,
)
from skillmap.errors import SkillmapError
from skillmap.fileio import check_regular_file, input_limit_error, max_input_bytes
from skillmap.model import LEVEL_STATUSES, LIST_SEPARATOR, RegisterRecord
from skillmap.sources.rncp_csv import DuplicateReport, is_rncp_csv, read_rncp_csv

__all__ = ["REGISTER_FORMATS", "DuplicateReport", "default_register_name", "detect_format", "read_register"]

REGISTER_FORMATS: tuple[str, ...] = ("rncp-xml", "rncp-csv", "dfe", "csv", "xlsx", "alignment")
DFE_MARKERS = ("QualificationNumber", "QualificationName", "Level")
ALIGN_SKILLS_SOURCE = "the align output"  # extra["skills_source"] of a record read from an `align` table


def read_register(
    path: str | Path,
    *,
    country: str | None = None,
    fmt: str | None = None,
    name: str | None = None,
    sheet: str | None = None,
    skipped: list[int] | None = None,
    encoding: str | None = None,
    max_input_mb: float | None = None,
    duplicates: DuplicateReport | None = None,
    columns: Mapping[str, str | Sequence[str] | None] | None = None,
) -> list[RegisterRecord]:
    """Read a register file into records, in file order.

    ``country`` is the country (or region) code of the register; it may be omitted for the DfE list
    (``GB-ENG``), the RNCP flux (``FR``) and tables with a country column (``align`` outputs). ``fmt`` is one
    of :data:`REGISTER_FORMATS` (detected from the file when omitted). ``name`` is stored as
    :attr:`RegisterRecord.register` (default: the file name without extension).
    The 1-based data row (or fiche) numbers of entries left out for lack of a title (or, in the RNCP flux and the
    DfE list, of a code) are appended to ``skipped`` when it is given, so callers can say so. The RNCP CSV export
    lists some codes more than once; they are merged (see :mod:`skillmap.sources.rncp_csv`) and ``duplicates``, when
    given, receives what was merged. ``columns`` names the columns of a sheet or align output by role (``title``,
    ``level``, ``code``, ``text``, ``country``, ``awarding_body``) where detection would pick wrongly.
    ``encoding`` forces the text encoding of a csv/tsv (else detected, preferring the code page of ``country``);
    ``max_input_mb`` raises the cap on what the file may hold or unpack to.
    Raises :class:`SkillmapError` for an unreadable, unsafe or unsuitable file.
    """
    path = Path(path)
    skipped = [] if skipped is None else skipped
    if not path.exists():
        raise SkillmapError(f"register file not found: {path}")
    check_regular_file(path)  # a FIFO or a link to /dev/zero would be read for ever
    country = _normalise_country(country) if country else None
    options = {"encoding": encoding, "country": country, "max_input_mb": max_input_mb}
    fmt = detect_format(path, **options) if fmt is None else _check_format(fmt)
    name = name or default_register_name(path)
    if fmt == "rncp-xml":
        records = _read_rncp_xml(path, country=country or "FR", name=name, skipped=skipped, limit=max_input_mb)
    elif fmt == "rncp-csv":
        records = read_rncp_csv(path, country=country or "FR", name=name, skipped=skipped, duplicates=duplicates)
        records = _with_cncp_levels(records)
    elif fmt == "dfe":
        records = _read_dfe(path, country=country or "GB-ENG", name=name, skipped=skipped, options=options)
    elif fmt == "alignment":
        records = _read_alignment(path, country=country, name=name, skipped=skipped, overrides=columns)
    else:
        records = _read_generic(
            path, country=country, name=name, sheet=sheet, skipped=skipped, options=options, overrides=columns
        )
    if not records:
        raise SkillmapError(f"{path} holds no qualification (no row with a title); nothing to import")
    return records


def default_register_name(path: str | Path) -> str:
    """The register name used when none is given: the file name without its extension."""
    return Path(path).stem


def detect_format(path: Path, **read_options: Any) -> str:
    """Guess the register format from the file extension and its columns (``read_options`` go to the reader)."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "rncp-xml"
    if suffix == ".json":
        return "alignment"
    if suffix in (".xlsx", ".xlsm"):
        return "alignment" if _is_align_workbook(path) else "xlsx"
    if suffix in (".csv", ".tsv", ".txt"):
        if suffix == ".csv" and _is_align_csv(path):
            return "alignment"
        if is_rncp_csv(path):
            return "rncp-csv"
        headers = _read_table(path, sheet=None, **read_options).headers
        if all(marker in headers for marker in DFE_MARKERS):
            return "dfe"
        return "csv"
    raise SkillmapError(
        f"cannot tell the register format of {path.name} from its extension; "
        f"name its kind ({', '.join(REGISTER_FORMATS)})",
        hint="input_format",
    )


def _is_align_csv(path: Path) -> bool:
    """True for a CSV written by `skillmap align` (read with align's own table reader: its input columns may
    repeat an added column's name in another case, e.g. "Country" and "country")."""
    try:
        read_table_file(path)
    except SkillmapError:
        return False
    return True


def _is_align_workbook(path: Path) -> bool:
    """True for an .xlsx report written by `skillmap align`: its table is on the 'Alignment' sheet."""
    try:
        headers, _ = _read_align_workbook(path, header_only=True)
    except SkillmapError:
        return False
    return _is_alignment(headers)


def _read_align_workbook(path: Path, *, header_only: bool = False) -> tuple[list[str], list[dict[str, str]]]:
    """The 'Alignment' sheet of an `align` .xlsx report as columns and rows of CSV-style strings.

    Read directly rather than with the spreadsheet reader: the sheet may hold an input column and an added column
    whose names differ only in case ("Country" and "country"), which that reader refuses for inputs.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files; all mean the same to the user
        raise SkillmapError(f"{path.name} is not a readable .xlsx workbook; open and re-save it in Excel") from exc
    try:
        if "Alignment" not in workbook.sheetnames:
            raise SkillmapError(f"{path.name} has no 'Alignment' sheet: it is not a `skillmap align` report")
        rows = [
            [workbook_cell_text(v) for v in row]
            for row in workbook["Alignment"].iter_rows(values_only=True, max_row=1 if header_only else None)
        ]
    finally:
        workbook.close()
    if not rows:
        raise SkillmapError(f"{path.name}: the 'Alignment' sheet is empty")
    columns = table_columns_from_workbook(rows[0])
    return columns, [dict(zip(columns, row, strict=False)) for row in rows[1:] if any(row)]


def _check_format(fmt: str) -> str:
    fmt = fmt.strip().lower()
    if fmt not in REGISTER_FORMATS:
        raise SkillmapError(f"unknown register format {fmt!r}; use one of: {', '.join(REGISTER_FORMATS)}")
    return fmt


def _is_alignment(headers: Iterable[str]) -> bool:
    return is_alignment_table(headers)


@lru_cache(maxsize=256)
def _normalise_country(country: str) -> str:
    """Check a country code against the bundled frameworks (``uk`` → error with suggestions, ``fr`` → ``FR``)."""
    from skillmap.sources.frameworks import load_frameworks

    return load_frameworks().normalise_country(country)


# --- level resolution --------------------------------------------------------------------------------


class _LevelResolver:
    """Resolves register level strings once per distinct (country, text) — registers repeat a handful of levels.

    When the level field leaves the level open (DfE "Entry Level"), the title is asked for the sub-level
    (``resolve_level(..., title=)`` says so in its reason).
    """

    def __init__(self) -> None:
        self._registry: Any = None
        self._cache: dict[tuple[str, str, str | None], Any] = {}

    def __call__(self, country: str, text: str, framework: str | None = None, title: str | None = None) -> Any:
        from skillmap.levels import resolve_level

        if self._registry is None:
            from skillmap.sources.frameworks import load_frameworks

            self._registry = load_frameworks()
        key = (country, text, framework)
        if key not in self._cache:
            self._cache[key] = resolve_level(self._registry, country, text, framework=framework)
        resolution = self._cache[key]
        # Only a level without any number ("Entry Level") is left open on purpose; "Level 1/2" spans two levels
        # even when its title says "Level 1/Level 2", so it stays ambiguous.
        if title and resolution.status == "ambiguous" and not any(ch.isdigit() for ch in text):
            return resolve_level(self._registry, country, text, framework=framework, title=title)
        return resolution


def _level_fields(resolution: Any) -> dict[str, Any]:
    return {
        "nqf_level": resolution.nqf_level or "",
        "eqf_level": resolution.eqf_level,
        "level_status": resolution.status,
        "level_reason": resolution.reason,
    }


def _with_cncp_levels(records: list[RegisterRecord]) -> list[RegisterRecord]:
    """RNCP CSV levels ("NIV5" read as 5) resolved as the XML flux's are: level n of the 2019 French framework."""
    from dataclasses import replace

    resolve = _LevelResolver()
    levelled = []
    for record in records:
        if record.eqf_level is None:
            levelled.append(record)
            continue
        fields = _level_fields(resolve(record.country, str(record.eqf_level), "CNCP"))
        extra = {**record.extra, "level_reason": fields.pop("level_reason")}
        levelled.append(replace(record, extra=extra, **fields))
    return levelled


# --- RNCP / RS XML flux --------------------------------------------------------------------------------

_RNCP_LEVEL = re.compile(r"^NIV\s*([1-8])$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _clean(text: str | None) -> str:
    """Collapse the runs of spaces the RNCP flux puts in its long text fields."""
    return _SPACES.sub(" ", text or "").strip()


def _iter_fiches(path: Path) -> Iterator[Any]:
    """Yield each ``<FICHE>`` element of an RNCP/RS export, parsed safely and freed after use."""
    import xml.etree.ElementTree as ElementTree

    import defusedxml
    import defusedxml.ElementTree as SafeElementTree

    try:
        root_seen = False
        for event, element in SafeElementTree.iterparse(
            str(path), events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ):
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if element.tag != "FICHES":
                        raise SkillmapError(
                            f"{path.name} is not an RNCP/RS export (root element <{element.tag}>, expected <FICHES>); "
                            "read other registers as csv or xlsx",
                            hint="input_format",
                        )
                continue
            if element.tag == "FICHE":
                yield element
                element.clear()
    except defusedxml.DefusedXmlException as exc:
        raise SkillmapError(
            f"{path.name}: refusing unsafe XML ({type(exc).__name__}: DTDs and entity declarations are not allowed "
            "in a register export)"
        ) from exc
    except ElementTree.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise SkillmapError(
            f"{path.name} is not well-formed XML (line {line}, column {column}); re-download the export"
        ) from exc
    except LookupError as exc:  # <?xml encoding="…"?> names a codec Python does not have
        raise SkillmapError(
            f"{path.name} declares an unknown text encoding ({exc}); save it as UTF-8 and import again"
        ) from exc
    except OSError as exc:
        raise SkillmapError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _read_rncp_xml(
    path: Path, *, country: str, name: str, skipped: list[int], limit: float | None = None
) -> list[RegisterRecord]:
    size = path.stat().st_size
    if size > max_input_bytes(limit):
        raise input_limit_error(str(path), size, max_input_bytes(limit))
    resolve = _LevelResolver()
    records: list[RegisterRecord] = []
    for number, fiche in enumerate(_iter_fiches(path), start=1):
        record = _rncp_record(fiche, country=country, name=name, source=path.name, resolve=resolve)
        if record is None:
            skipped.append(number)
        else:
            records.append(record)
    return records


def _rncp_record(fiche: Any, *, country: str, name: str, source: str, resolve: _LevelResolver) -> RegisterRecord | None:
    code = _clean(fiche.findtext("NUMERO_FICHE"))
    title = _clean(fiche.findtext("INTITULE"))
    if not code or not title:
        return None
    titles: list[str] = []
    abbreviation = _clean(fiche.findtext("ABREGE/CODE"))
    abbreviation_label = _clean(fiche.findtext("ABREGE/LIBELLE"))
    # The certificate says "BTS Finition, aménagement…" or "Brevet de technicien supérieur …": index both forms.
    if abbreviation and abbreviation.lower() not in title.lower():
        titles.append(f"{abbreviation} {title}")
    if abbreviation_label and abbreviation_label.lower() not in title.lower():
        titles.append(f"{abbreviation_label} {title}")

    level_code = _clean(fiche.findtext("NOMENCLATURE_EUROPE/NIVEAU"))
    level: dict[str, Any]
    match = _RNCP_LEVEL.match(level_code)
    if match:
        # NIVn is level n of the 2019 French framework (CNCP), which is referenced 1:1 to the EQF.
        level = _level_fields(resolve(country, match.group(1), "CNCP"))
    elif level_code:
        level = _level_fields(resolve(country, level_code))
    elif code.upper().startswith("RS"):
        level = {
            "nqf_level": "",
            "eqf_level": None,
            "level_status": "missing",
            "level_reason": "Répertoire spécifique certifications have no level (RS fiches are not levelled)",
        }
    else:
        level = {
            "nqf_level": "",
            "eqf_level": None,
            "level_status": "missing",
            "level_reason": "the fiche has no NOMENCLATURE_EUROPE level",
        }

    certifiers = [_clean(c.findtext("NOM_CERTIFICATEUR")) for c in fiche.findall("CERTIFICATEURS/CERTIFICATEUR")]
    romes = [(_clean(r.findtext("CODE")), _clean(r.findtext("LIBELLE"))) for r in fiche.findall("CODES_ROME/ROME")]
    romes = [(c, label) for c, label in romes if c]
    blocks = [
        (_clean(b.findtext("CODE")), _clean(b.findtext("LIBELLE")), _clean(b.findtext("LISTE_COMPETENCES")))
        for b in fiche.findall("BLOCS_COMPETENCES/BLOC_COMPETENCES")
    ]
    outcomes = _clean(fiche.findtext("CAPACITES_ATTESTEES"))
    if not outcomes and blocks:
        outcomes = " ".join(f"{label}: {competences}" for _, label, competences in blocks if competences)
    active = _clean(fiche.findtext("ACTIF")).lower()
    extra = {
        "level_code": level_code,
        "abbreviation": abbreviation,
        "abbreviation_label": abbreviation_label,
        "state": _clean(fiche.findtext("ETAT_FICHE")),
        "competence_blocks": LIST_SEPARATOR.join(f"{c}: {label}" for c, label, _ in blocks if c or label),
        "activities": _clean(fiche.findtext("ACTIVITES_VISEES")),
        "formacodes": LIST_SEPARATOR.join(
            f"{_clean(f.findtext('CODE'))} {_clean(f.findtext('LIBELLE'))}".strip()
            for f in fiche.findall("FORMACODES/FORMACODE")
        ),
        "nsf_codes": LIST_SEPARATOR.join(
            f"{_clean(n.findtext('CODE'))} {_clean(n.findtext('LIBELLE'))}".strip()
            for n in fiche.findall("CODES_NSF/NSF")
        ),
        "effective_date": _clean(fiche.findtext("DATE_EFFET")),
        "end_date": _clean(fiche.findtext("DATE_FIN_ENREGISTREMENT")),
        "successors": LIST_SEPARATOR.join(
            _clean(e.text) for e in fiche.findall("NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/*") if e.text
        ),
        "predecessors": LIST_SEPARATOR.join(
            _clean(e.text) for e in fiche.findall("ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/*") if e.text
        ),
        "level_reason": level.pop("level_reason"),
    }
    return RegisterRecord(
        country=country,
        code=code,
        title=title,
        register=name,
        titles=tuple(titles),
        awarding_body=LIST_SEPARATOR.join(c for c in certifiers if c),
        occupations=tuple(c for c, _ in romes),
        occupation_labels=tuple(label for _, label in romes),
        language="fr",
        learning_outcomes=outcomes,
        status="active" if active == "oui" else "inactive" if active == "non" else active,
        url=_clean(fiche.findtext("LIEN_URL_DESCRIPTION")),
        source_file=source,
        extra={k: v for k, v in extra.items() if v},
        **level,
    )


# --- spreadsheets (DfE list, generic registers, align outputs) ----------------------------------------


def _read_table(path: Path, sheet: str | None, **read_options: Any) -> Any:
    from skillmap.sources.spreadsheets import read_table

    return read_table(path, sheet=sheet, **read_options)


def _read_dfe(
    path: Path, *, country: str, name: str, skipped: list[int], options: dict[str, Any] | None = None
) -> list[RegisterRecord]:
    table = _read_table(path, sheet=None, **(options or {}))
    missing = [m for m in DFE_MARKERS if m not in table.headers]
    if missing:
        raise SkillmapError(
            f"{path.name} is not the DfE approved-qualifications list (missing column {', '.join(missing)}); "
            "read other sheets as csv",
            hint="input_format",
        )
    resolve = _LevelResolver()
    records: list[RegisterRecord] = []
    for number, row in enumerate(table.records(), start=1):
        title = _clean(row.get("QualificationName"))
        code = _clean(row.get("QualificationNumber"))
        if not title or not code:
            skipped.append(number)
            continue
        level_text = _clean(row.get("Level"))
        level = _level_fields(resolve(country, level_text, title=title)) if level_text else _missing_level()
        extra = {
            "qualification_type": _clean(row.get("QualificationType")),
            "subcategory": _clean(row.get("Subcategory")),
            "sector_subject_area": _clean(row.get("SectorSubjectArea")),
            "level_text": level_text,
            "level_reason": level.pop("level_reason"),
            # the awarding organisation's site, not a page about this qualification: never the record's url
            "awarding_body_url": _clean(row.get("AwardingOrganisationURL")),
        }
        records.append(
            RegisterRecord(
                country=country,
                code=code,
                title=title,
                register=name,
                awarding_body=_clean(row.get("AwardingOrganisation")),
                language="en",
                status=_clean(row.get("Status")),
                source_file=path.name,
                extra={k: v for k, v in extra.items() if v},
                **level,
            )
        )
    return records


def _missing_level() -> dict[str, Any]:
    return {"nqf_level": "", "eqf_level": None, "level_status": "missing", "level_reason": "no level given"}


def _column(columns: Any, role: str) -> str | None:
    value = getattr(columns, role, None)
    return value or None


def _register_columns(path: Path, headers: Sequence[str], overrides: Mapping[str, Any] | None = None) -> Any:
    """Detect the columns of a register table (``overrides`` by role first); without a title column, say which
    headers there are and that the title column can be named."""
    from skillmap.sources.spreadsheets import detect_columns

    columns = detect_columns(headers, {k: v for k, v in (overrides or {}).items() if v}, require_title=False)
    if columns.title is None:
        listed = ", ".join(repr(h) for h in headers)
        raise SkillmapError(
            f"{path.name}: no title column recognised among the headers {listed}; name the title column "
            f"(or rename it, e.g. 'Title', 'Intitulé', 'Bezeichnung')",
            hint="title_col",
        )
    return columns


def _read_generic(
    path: Path,
    *,
    country: str | None,
    name: str,
    sheet: str | None,
    skipped: list[int],
    options: dict[str, Any] | None = None,
    overrides: Any = None,
) -> list[RegisterRecord]:
    table = _read_table(path, sheet=sheet, **(options or {}))
    columns = _register_columns(path, table.headers, overrides)
    title_col = _column(columns, "title")
    country_col = _column(columns, "country")
    if country is None and country_col is None:
        raise SkillmapError(f"{path.name} has no country column; give the register's country", hint="country")
    code_col, level_col = _column(columns, "code"), _column(columns, "level")
    body_col, text_cols = _column(columns, "awarding_body"), tuple(columns.text)
    resolve = _LevelResolver()
    records: list[RegisterRecord] = []
    for number, row in enumerate(table.records(), start=1):
        title = _clean(row.get(title_col))
        if not title or (code_col and not _clean(row.get(code_col))):
            skipped.append(number)  # a register with a code column: a row without its code cannot be looked up
            continue
        row_country = _row_country(row.get(country_col) if country_col else None, country, path, number)
        level_text = _clean(row.get(level_col)) if level_col else ""
        level = _level_fields(resolve(row_country, level_text, title=title)) if level_text else _missing_level()
        extra = _other_columns(row, table.headers, (title_col, code_col, level_col, body_col, country_col, *text_cols))
        extra.update({"level_text": level_text, "level_reason": level.pop("level_reason")})
        records.append(
            RegisterRecord(
                country=row_country,
                code=(_clean(row.get(code_col)) if code_col else "") or f"{name}-{number}",
                title=title,
                register=name,
                awarding_body=_clean(row.get(body_col)) if body_col else "",
                learning_outcomes=" ".join(_clean(row.get(c)) for c in text_cols if _clean(row.get(c))),
                source_file=path.name,
                extra={k: v for k, v in extra.items() if v},
                **level,
            )
        )
    return records


def _other_columns(row: Any, headers: Sequence[str], used: Sequence[str | None]) -> dict[str, str]:
    """The input columns no record field took (ISCED-F, credits, subject area…), kept for later stages."""
    return {h: _clean(str(row.get(h) or "")) for h in headers if h not in used}


def _row_country(value: str | None, default: str | None, path: Path, number: int) -> str:
    """The row's own country code when its country cell is filled, else ``default`` (``--country``)."""
    value = _clean(value)
    if not value:
        if default is None:
            raise SkillmapError(
                f"{path.name} row {number} has no country; fill its country cell or give a default country",
                hint="country",
            )
        return default
    try:
        return _normalise_country(value)
    except SkillmapError as exc:
        raise SkillmapError(f"{path.name} row {number}: {exc}") from exc


# --- align outputs -----------------------------------------------------------------------------------


def _read_alignment_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The columns and rows (CSV-style strings) of an `align` table, read by align's own reader."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        headers, rows = _read_align_workbook(path)
        if not _is_alignment(headers):
            raise SkillmapError(f"{path.name}: its 'Alignment' sheet is not a table written by `skillmap align`")
        return headers, rows
    if path.suffix.lower() not in (".csv", ".json"):
        raise SkillmapError(
            f"{path.name}: an alignment table is a .csv, .json or .xlsx file written by `skillmap align`"
        )
    return read_table_file(path)


def _read_alignment(
    path: Path, *, country: str | None, name: str, skipped: list[int], overrides: Any = None
) -> list[RegisterRecord]:
    headers, rows = _read_alignment_rows(path)
    input_headers = [h for h in headers if h not in ADDED_FIELDS]
    columns = _register_columns(path, input_headers, overrides)
    title_col = _column(columns, "title")
    code_col, body_col = _column(columns, "code"), _column(columns, "awarding_body")
    text_cols = tuple(columns.text)
    records: list[RegisterRecord] = []
    for number, row in enumerate(rows, start=1):
        title = _clean(str(row.get(title_col) or ""))
        if not title:
            skipped.append(number)
            continue
        row_country = _row_country(row.get("country"), country, path, number)
        status = str(row.get("level_status") or "missing")
        if status not in (*LEVEL_STATUSES, "suggested"):  # suggested: align --suggest-levels, never an EQF level
            raise SkillmapError(f"{path.name} row {number}: level_status {status!r} is not one of {LEVEL_STATUSES}")
        eqf = row.get("eqf_level")
        try:
            eqf_level = int(eqf) if eqf not in (None, "") else None
        except (TypeError, ValueError) as exc:
            raise SkillmapError(f"{path.name} row {number}: eqf_level {eqf!r} is not a number 1–8") from exc
        extra = _other_columns(row, input_headers, (title_col, code_col, body_col, *text_cols))
        extra |= {
            "framework": str(row.get("framework") or ""),
            "level_reason": str(row.get("level_reason") or ""),
            "needs_review": str(row.get("needs_review") or "").lower().replace("true", "yes").replace("false", "no"),
            "review_reasons": str(row.get("review_reasons") or ""),
            "skills_source": ALIGN_SKILLS_SOURCE,
        }
        code = _clean(str(row.get(code_col) or "")) if code_col else ""
        records.append(
            RegisterRecord(
                country=row_country,
                code=code or f"{name}-{number}",
                title=title,
                register=name,
                nqf_level=str(row.get("nqf_level") or ""),
                eqf_level=eqf_level,
                level_status=status,
                awarding_body=_clean(str(row.get(body_col) or "")) if body_col else "",
                skills=split_list_cell(row.get("skills")),
                skill_labels=split_list_cell(row.get("skill_labels")),
                occupations=split_list_cell(row.get("occupations")),
                occupation_labels=split_list_cell(row.get("occupation_labels")),
                learning_outcomes=" ".join(_clean(str(row.get(c) or "")) for c in text_cols if row.get(c)),
                source_file=path.name,
                extra={k: v for k, v in extra.items() if v},
            )
        )
    return records
