"""Build the corpus of hostile input files the readers must survive (nothing is downloaded: every file is made here).

Each :class:`Case` is one file, the reader it goes to, and what must happen: ``refused`` (a one-line
:class:`~skillmap.errors.SkillmapError` whose message matches ``match``) or ``read`` (the reader returns, and
``check`` holds on the result). Bombs are sized against a small input cap passed to the reader (``max_input_mb``)
so the corpus builds in a second; ``benchmarks/reliability.py`` also runs them against the default cap.

    python tests/hostile/make_corpus.py OUT_FOLDER     # writes the files and lists the cases
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BOMB_LIMIT_MB = 2  # the cap the bombs are read with; each bomb expands to several times this
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass
class Case:
    """One hostile file and what the reader must do with it."""

    name: str
    reader: str  # "table", "classification", "register", "vocabulary"
    path: Path
    outcome: str  # "refused" or "read"
    match: str = ""  # regex the refusal message matches
    kwargs: dict[str, Any] = field(default_factory=dict)
    check: Callable[[Any], bool] | None = None  # on the reader's result, for "read"
    family: str = ""  # entity, bomb, size, special, markup, nul, encoding, structure


def _rdf_document(label: str = "Electrician", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:skos="{SKOS}">\n'
        f'  <skos:Concept rdf:about="http://example.org/c/1"><skos:prefLabel xml:lang="en">{label}</skos:prefLabel>'
        "</skos:Concept>\n</rdf:RDF>\n"
    )


_LAUGHS = (
    '<!DOCTYPE rdf:RDF [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
)
_PADDING = "<!-- " + "padding " * 40_000 + "-->\n"  # ~320 KB: past any "first 256 KiB" sniffing


def _xlsx(
    rows: list[list[str]] | None = None,
    *,
    far_cells: tuple[str, ...] = (),
    merges: tuple[str, ...] = (),
    hidden_first: bool = False,
    filler_bytes: int = 0,
) -> bytes:
    """A minimal valid workbook written by hand (inline strings), so any sheet geometry costs nothing to make."""
    rows = rows or [["Title", "Level"], ["Electrician", "3"]]
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{value}</t></is></c>' for c, value in enumerate(row)
        )
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    for ref in far_cells:
        digits = "".join(ch for ch in ref if ch.isdigit())
        sheet_rows.append(f'<row r="{digits}"><c r="{ref}" t="inlineStr"><is><t>far</t></is></c></row>')
    merge_xml = (
        (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
        if merges
        else ""
    )
    filler = f"<!-- {' ' * filler_bytes} -->" if filler_bytes else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{filler}<sheetData>{''.join(sheet_rows)}</sheetData>{merge_xml}</worksheet>"
    )
    sheets = [("Data", sheet)]
    if hidden_first:
        sheets = [("Secret", sheet), ("Empty", sheet.replace("".join(sheet_rows), ""))]
    workbook_sheets = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"'
        + (' state="hidden"' if hidden_first and i == 1 else "")
        + "/>"
        for i, (name, _) in enumerate(sheets, start=1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{workbook_sheets}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                f'worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + "</Relationships>",
        )
        for i, (_, xml) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _bomb_bytes() -> bytes:
    return b"\0" * (BOMB_LIMIT_MB * 4 * 1024 * 1024)


TAXONOMY = "uri,label,kind,lang\nhttp://example.org/c/1,Electrician,skill,en\n"
RNCP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>'
    "<INTITULE>{title}</INTITULE></FICHE></FICHES>\n"
)
CZECH = "Název kvalifikace;Úroveň\nElektrikář;3\nInstalatér;3\nZedník;2\n"
POLISH = "Nazwa kwalifikacji;Poziom\nTechnik elektryk;4\nMurarz-tynkarz;3\nŁódź spawacz;3\n"
HUNGARIAN = "Megnevezés;Szint\nVillanyszerelő;4\nKőműves;3\n"
FRENCH = "Intitulé;Niveau\nÉlectricien;3\nMaçon à façon;3\n"


def build_corpus(folder: Path) -> list[Case]:
    """Write every hostile file into ``folder`` and return the cases."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    bomb = {"max_input_mb": BOMB_LIMIT_MB}

    def add(name: str, data: bytes | str, reader: str, outcome: str, family: str, **kw: Any) -> Case:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        case = Case(name=name, reader=reader, path=path, outcome=outcome, family=family, **kw)
        cases.append(case)
        return case

    doctype = "has a DOCTYPE declaration"
    # --- entities: every DOCTYPE is refused, wherever it sits -------------------------------------------------
    add(
        "internal-entity.rdf",
        _rdf_document("&e;", '<!DOCTYPE rdf:RDF [<!ENTITY e "Injected">]>\n'),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "padded-internal-entity.rdf",
        _rdf_document("&e;", _PADDING + '<!DOCTYPE rdf:RDF [<!ENTITY e "Injected">]>\n'),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "padded-billion-laughs.rdf",
        _rdf_document("&lol9;", _PADDING + _LAUGHS),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "external-entity.rdf",
        _rdf_document("&x;", '<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "parameter-entity.rdf",
        _rdf_document("a", '<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>\n'),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "pi-then-doctype.rdf",
        _rdf_document("a", "<?pi stuff?>\n<!DOCTYPE rdf:RDF>\n"),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "utf16-doctype.rdf",
        _rdf_document("&e;", '<!DOCTYPE rdf:RDF [<!ENTITY e "x">]>\n')
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .encode("utf-16"),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "gzipped-doctype.rdf.gz",
        gzip.compress(_rdf_document("&e;", _PADDING + '<!DOCTYPE r [<!ENTITY e "x">]>\n').encode()),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "zipped-doctype.zip",
        _zip(
            {
                "esco.rdf": _rdf_document("&e;", '<!DOCTYPE r [<!ENTITY e "x">]>\n')
                .replace("http://example.org/c/1", "http://data.europa.eu/esco/skill/1")
                .encode()
            }
        ),
        "classification",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "vocabulary-doctype.rdf",
        _rdf_document("Level &e;", _PADDING + '<!DOCTYPE r [<!ENTITY e "5">]>\n'),
        "vocabulary",
        "refused",
        "entity",
        match=doctype,
    )
    add(
        "rncp-padded-doctype.xml",
        RNCP.format(prolog=_PADDING + '<!DOCTYPE FICHES [<!ENTITY e "x">]>\n', title="&e;"),
        "register",
        "refused",
        "entity",
        match="unsafe XML",
    )
    add(
        "rncp-billion-laughs.xml",
        RNCP.format(prolog=_LAUGHS.replace("rdf:RDF", "FICHES"), title="&lol9;"),
        "register",
        "refused",
        "entity",
        match="unsafe XML",
    )
    add(
        "plain-skos.rdf",
        _rdf_document("Electrician"),
        "classification",
        "read",
        "entity",
        check=lambda c: [lb.text for lb in c.concepts[0].labels] == ["Electrician"],
    )
    # --- bombs: small files that expand beyond the cap ------------------------------------------------------
    add(
        "gzip-bomb.ttl.gz",
        gzip.compress(_bomb_bytes()),
        "classification",
        "refused",
        "bomb",
        match="max_input_mb",
        kwargs=bomb,
    )
    add(
        "zip-bomb-rdf.zip",
        _zip({"esco.ttl": _bomb_bytes()}),
        "classification",
        "refused",
        "bomb",
        match="max_input_mb",
        kwargs=bomb,
    )
    add(
        "zip-bomb-esco-csv.zip",
        _zip({"skills_en.csv": b"conceptUri,preferredLabel\n" + _bomb_bytes()}),
        "classification",
        "refused",
        "bomb",
        match="max_input_mb",
        kwargs=bomb,
    )
    add(
        "xlsx-bomb.xlsx",
        _xlsx(filler_bytes=BOMB_LIMIT_MB * 4 * 1024 * 1024),
        "table",
        "refused",
        "bomb",
        match="max_input_mb",
        kwargs=bomb,
    )
    add(
        "million-row-merge.xlsx",
        _xlsx(merges=("C1:C1048576", "D2:XFD1048576")),
        "table",
        "refused",
        "size",
        match="merges .* cells",
        kwargs=bomb,
    )
    add(
        "far-cell.xlsx",
        _xlsx(far_cells=("XFD1048576",)),
        "table",
        "read",
        "size",
        check=lambda t: t.rows[0] == ("Electrician", "3", "") and t.headers[-1] == "column XFD",
    )
    add(
        "merged-country-clipped.xlsx",
        _xlsx([["Title", "Level", "Country"], ["Electrician", "3", "CZ"], ["Mason", "2", ""]], merges=("C2:C1048576",)),
        "table",
        "read",
        "size",
        check=lambda t: len(t.rows) == 2 and t.column("Country") == ["CZ", "CZ"],
    )
    add(
        "oversized.csv",
        "Title,Level\n" + "Electrician,3\n" * 200_000,
        "table",
        "refused",
        "size",
        match="max_input_mb",
        kwargs=bomb,
    )
    # --- special files -------------------------------------------------------------------------------------
    zero = folder / "dev-zero.csv"
    if os.path.exists("/dev/zero") and not zero.exists():
        zero.symlink_to("/dev/zero")
    if zero.is_symlink():
        cases.append(Case("dev-zero.csv", "table", zero, "refused", "not a regular file", family="special"))
        cases.append(
            Case("dev-zero.csv (register)", "register", zero, "refused", "not a regular file", family="special")
        )
        cases.append(
            Case("dev-zero.csv (taxonomy)", "classification", zero, "refused", "not a regular file", family="special")
        )
    fifo = folder / "pipe.csv"
    if hasattr(os, "mkfifo") and not fifo.exists():
        os.mkfifo(fifo)
    if fifo.exists():
        cases.append(Case("pipe.csv", "table", fifo, "refused", "named pipe", family="special"))
        cases.append(Case("pipe.csv (taxonomy)", "classification", fifo, "refused", "named pipe", family="special"))
    # --- markup in data: read exactly as written -------------------------------------------------------------
    add(
        "markup.csv",
        "Title,Level\nTechniker [/in] Bau,3\nElektriker [m/w/d],[/]\n[bold red]x[/],4\n",
        "table",
        "read",
        "markup",
        check=lambda t: t.column("Title")[1] == "Elektriker [m/w/d]" and t.column("Level")[1] == "[/]",
    )
    add(
        "markup.rdf",
        _rdf_document("Techniker [/in] Bau"),
        "classification",
        "read",
        "markup",
        check=lambda c: c.concepts[0].labels[0].text == "Techniker [/in] Bau",
    )
    # --- NUL characters ------------------------------------------------------------------------------------
    add(
        "nul-late.csv",
        "Title,Level\n" + "Electrician,3\n" * 6000 + "Ma\0son,2\n",
        "table",
        "read",
        "nul",
        check=lambda t: (
            "\0" not in "".join(t.column("Title"))
            and t.column("Title")[-1] == "Mason"
            and any("NUL" in n for n in t.notes)
        ),
    )
    add("nul-early.csv", "Title,Level\nMa\0son,2\n", "table", "refused", "nul", match="binary file")
    add(
        "nul-taxonomy.csv",
        TAXONOMY + "http://example.org/c/2,Ma\0son,skill,en\n",
        "classification",
        "refused",
        "nul",
        match="NUL character",
    )
    add(
        "nul-esco.zip",
        _zip({"skills_en.csv": b"conceptUri,preferredLabel\nhttp://data.europa.eu/esco/skill/1,Ma\0son\n"}),
        "classification",
        "refused",
        "nul",
        match="NUL character",
    )
    # --- encodings -----------------------------------------------------------------------------------------
    add(
        "czech-cp1250.csv",
        CZECH.encode("cp1250"),
        "table",
        "read",
        "encoding",
        kwargs={"country": "CZ"},
        check=lambda t: t.column("Název kvalifikace")[0] == "Elektrikář" and t.encoding == "cp1250",
    )
    add(
        "czech-cp1250-no-country.csv",
        CZECH.encode("cp1250"),
        "table",
        "read",
        "encoding",
        check=lambda t: t.column("Název kvalifikace")[0] == "Elektrikář",
    )
    add(
        "polish-cp1250.csv",
        POLISH.encode("cp1250"),
        "table",
        "read",
        "encoding",
        check=lambda t: t.column("Nazwa kwalifikacji")[2] == "Łódź spawacz",
    )
    add(
        "hungarian-cp1250.csv",
        HUNGARIAN.encode("cp1250"),
        "table",
        "read",
        "encoding",
        kwargs={"country": "HU"},
        check=lambda t: t.column("Megnevezés")[0] == "Villanyszerelő",
    )
    add(
        "french-cp1252.csv",
        FRENCH.encode("cp1252"),
        "table",
        "read",
        "encoding",
        kwargs={"country": "FR"},
        check=lambda t: t.column("Intitulé")[1] == "Maçon à façon" and t.encoding == "cp1252",
    )
    add(
        "utf16.csv",
        "Title\tLevel\nElektrikář\t3\n".encode("utf-16"),
        "table",
        "read",
        "encoding",
        check=lambda t: t.rows[0][0] == "Elektrikář",
    )
    add(
        "forced-wrong-encoding.csv",
        CZECH.encode("cp1250"),
        "table",
        "refused",
        "encoding",
        match="not valid utf-8 text",
        kwargs={"encoding": "utf-8"},
    )
    add(
        "forced-encoding.csv",
        CZECH.encode("cp1250"),
        "table",
        "read",
        "encoding",
        kwargs={"encoding": "cp1250"},
        check=lambda t: t.rows[0][0] == "Elektrikář",
    )
    add(
        "unknown-encoding.csv",
        "Title,Level\nA,1\n",
        "table",
        "refused",
        "encoding",
        match="unknown text encoding",
        kwargs={"encoding": "klingon"},
    )
    add(
        "bom-not-utf8.csv",
        b"\xef\xbb\xbfTitle,Level\nCaf\xe9,3\n",
        "table",
        "refused",
        "encoding",
        match="byte-order mark",
    )
    add(
        "czech-register-cp1250.csv",
        CZECH.encode("cp1250"),
        "register",
        "read",
        "encoding",
        kwargs={"country": "CZ"},
        check=lambda records: records[0].title == "Elektrikář",
    )
    # --- structure -----------------------------------------------------------------------------------------
    add(
        "duplicate-header-taxonomy.csv",
        "uri,label,kind,lang,label\nhttp://example.org/c/1,A,skill,en,B\n",
        "classification",
        "refused",
        "structure",
        match="twice",
    )
    add(
        "hidden-sheet.xlsx",
        _xlsx(hidden_first=True),
        "table",
        "read",
        "structure",
        check=lambda t: t.sheet == "Secret" and any("hidden" in n for n in t.notes),
    )
    add("not-a-zip.xlsx", b"Title,Level\nA,1\n", "table", "refused", "structure", match="not a zip")
    add("truncated.xlsx", _xlsx()[:300], "table", "refused", "structure", match="not a valid .xlsx")
    add("empty.csv", b"", "table", "refused", "structure", match="empty")
    return cases


def run_case(case: Case) -> Any:
    """Give the case's file to its reader (the call a test or the reliability script makes)."""
    if case.reader == "table":
        from skillmap.sources.spreadsheets import read_table

        return read_table(case.path, **case.kwargs)
    if case.reader == "classification":
        from skillmap.sources.taxonomy import read_classification

        return read_classification([case.path], **case.kwargs)
    if case.reader == "register":
        from skillmap.sources.registers import read_register

        return read_register(case.path, **case.kwargs)
    if case.reader == "vocabulary":
        from skillmap.sources.frameworks import read_eu_level_vocabulary

        return read_eu_level_vocabulary(case.path)
    raise ValueError(f"unknown reader {case.reader!r}")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for built in build_corpus(out):
        print(f"{built.family:10} {built.outcome:8} {built.reader:14} {built.name}")
