"""The whole job of ``skillmap export europass``: read, build, write atomically, validate, report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import atomic_path, atomic_write_rows
from skillmap.outputs.europass.building import build_elm_export
from skillmap.outputs.europass.cells import column_key
from skillmap.outputs.europass.formats import format_for, serialise
from skillmap.outputs.europass.identifiers import check_base_uri
from skillmap.outputs.europass.inputs import classification_skills, load_records, nqf_resolver_from_frameworks
from skillmap.outputs.europass.isced_maps import IscedMap, read_isced_map
from skillmap.outputs.europass.model import ElmExport, ExportOptions, NqfResolver, SkillInfo
from skillmap.outputs.europass.validation import ValidationResult, validate_file


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_europass` did: the export, where it went, and the validation outcome if asked."""

    export: ElmExport
    out: Path
    export_format: str  # turtle, json-ld or qdr-xml
    validation: ValidationResult | None = None


class ExportInvalid(SkillmapError):
    """The written export did not pass validation; the file was not put in place."""

    def __init__(self, result: ValidationResult, out: Path) -> None:
        super().__init__(f"{out.name} does not conform ({result.engine}); nothing written")
        self.result = result


def write_report(export: ElmExport, path: str | Path) -> None:
    """Write the rows left out / changed as CSV or JSON (by extension), atomically."""
    path = Path(path)
    _check_report_name(path)
    rows = [
        {"row": r.row, "code": r.code, "title": r.title, "status": r.status, "reason": r.reason} for r in export.report
    ]
    atomic_write_rows(path, rows, ["row", "code", "title", "status", "reason"])


def _check_report_name(path: Path) -> None:
    if path.suffix.lower() not in (".csv", ".json"):
        raise SkillmapError(f"cannot write the report as {path.name}: use a .csv or .json file", hint="report")


def export_europass(
    input_file: str | Path,
    *,
    out: str | Path,
    base_uri: str,
    isced_f: Sequence[str] | None = None,
    isced_map: str | Path | IscedMap | None = None,
    language: str | None = None,
    country: str | None = None,
    input_format: str | None = None,
    skill_label_lang: str = "en",
    nqf_same_eqf: bool = False,
    report: str | Path | None = None,
    validate: str | Path | None = None,
    nqf_level: NqfResolver | None = None,
    skills: Mapping[str, SkillInfo] | None = None,
) -> ExportResult:
    """Read ``input_file`` (an ``align`` output or a register), build the ELM records, write ``out`` atomically
    (``.ttl`` Turtle, ``.jsonld`` JSON-LD, ``.xml`` QDR XML).

    Record IRIs are minted in ``base_uri``. ``isced_f`` codes apply to rows without an ISCED-F field of their own,
    after ``isced_map`` (a file, a bundled map name such as ``england-ssa``, or an :class:`IscedMap`) has mapped a
    national subject column. ``language`` is used when neither a row nor its country names one; ``country`` and
    ``input_format`` help the reader; ``skill_label_lang`` is the language of an align output's skill labels.
    With ``nqf_same_eqf``, a national level without a QDR concept takes the country's only other level concept at
    the same EQF level (noted in the report). The rows left out or changed go to ``report`` (csv/json). With
    ``validate`` (a folder of LOQ shapes / ``loq.xsd``) the file is validated before it is put in place:
    :class:`ExportInvalid` is raised and nothing is written when it does not conform. ``nqf_level`` and ``skills``
    replace the framework data and the imported classification (for tests and other stages).
    Raises :class:`SkillmapError` for unusable input or options, or when no row can become a valid record.
    """
    if isced_map is not None and not isinstance(isced_map, IscedMap):
        isced_map = read_isced_map(isced_map)
    options = ExportOptions(
        base_uri=base_uri,
        isced_f=tuple(isced_f or ()),
        isced_map=isced_map,
        language=language or "",
        skill_label_lang=skill_label_lang,
    )
    out = Path(out)
    export_format = format_for(out)
    check_base_uri(options.base_uri)
    if report is not None:
        _check_report_name(Path(report))
    if validate is not None and not Path(validate).is_dir():
        raise SkillmapError(f"{validate} is not a folder: give the folder holding the shapes / XSD", hint="validate")
    records = load_records(input_file, country=country, input_format=input_format)
    if isced_map is not None:
        wanted = column_key(isced_map.column)
        if not any(column_key(k) == wanted for r in records for k in r.extra):
            raise SkillmapError(
                f"the ISCED-F map's column {isced_map.column!r} is not in {Path(input_file).name} "
                "(name the input column in the map's header)",
                hint="isced_map",
            )
    if skills is None:
        skills = classification_skills(records)
    resolver = nqf_level or nqf_resolver_from_frameworks(same_eqf=nqf_same_eqf)
    export = build_elm_export(records, options, nqf_level=resolver, skills=skills)
    if report is not None:
        write_report(export, report)
    if not export.qualifications:
        first = export.skipped[0] if export.skipped else None
        raise SkillmapError(
            f"none of the {export.rows} row(s) of {Path(input_file).name} can become a valid record "
            f"(first reason: {first.reason if first else 'none'}); nothing written"
            + (f" but the report {Path(report).name}" if report is not None else ""),
            hint=first.hint if first else None,
        )
    text = serialise(export, export_format)
    validation = None
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
        if validate is not None:
            validation = validate_file(tmp, validate, export_format)
            if not validation.conforms:
                raise ExportInvalid(validation, out)
    return ExportResult(export=export, out=out, export_format=export_format, validation=validation)
