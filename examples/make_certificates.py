"""Write examples/certificates.xlsx and examples/certificates.csv: the demo register for `skillmap align`; and
examples/certificates-de-fr.csv: two certificates whose learning outcomes are in German and in French, as their
awarding bodies write them, for the demo of matching across languages (against the English ESCO labels).

A dozen certificates as a policy analyst would receive them: titles in their own language, levels written the
national way ("DQR 4", "niveau 3", "NFQ Level 6", "Entry Level", "Level 1/2", or nothing), a country column,
learning outcomes (in English, since the demo matches against the bundled English ESCO sample), title rows above
the header, a merged country cell, and a code written as a formula. The titles, bodies and outcomes are
written for this example (modelled on real qualifications), not copied from any register.

Run: .venv/bin/python examples/make_certificates.py   (the output bytes are the same on every run)
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADERS = [
    "Code",
    "Country",
    "Qualification title",
    "Level (as written)",
    "Awarding body",
    "Learning outcomes",
    "ISCED-F",
]
ROWS = [
    [
        "DE-EGT-4",
        "DE",
        "Elektroniker/-in für Energie- und Gebäudetechnik",
        "DQR 4",
        "Handwerkskammer",
        "Install electrical and electronic equipment in buildings. Create electrical wiring diagrams. "
        "Test electrical equipment and measure electrical characteristics. Comply with electrical safety regulations.",
        "0713",
    ],
    [
        "FR-CAP-ELEC",
        "FR",
        "CAP Électricien",
        "niveau 3",
        "Ministère de l'Éducation nationale",
        "Install circuit breakers and wiring in dwellings; use electrical wire tools; inspect electrical supplies "
        "before installation; repair wiring.",
        "0713",
    ],
    [
        "GB-L3-ELEC",
        "GB-ENG",
        "Level 3 Diploma in Electrical Installations (Buildings and Structures)",
        "Level 3",
        "City & Guilds",
        "- design electrical systems and read electrical wiring plans\n- install electrical and electronic equipment\n"
        "- test electrical equipment using electrical testing methods",
        "0713",
    ],
    [
        "GB-L2-PV",
        "",
        "Level 2 Award in Solar Photovoltaic Installation",
        "RQF level 2",
        "City & Guilds",
        "Mount photovoltaic panels and solar panel mounting systems. Install inverter and connect to the grid. "
        "Maintain photovoltaic systems.",
        "0713",
    ],
    [
        "IE-ELEC-6",
        "ie",
        "Advanced Certificate Craft – Electrical",
        "NFQ Level 6",
        "SOLAS",
        "Install electrical systems in domestic and industrial buildings; maintain electrical equipment; "
        "ensure safety in electrical power operations.",
        "0713",
    ],
    [
        "AT-ELT-GT",
        "AT",
        "Elektrotechnik – Hauptmodul Elektro- und Gebäudetechnik (Lehrabschluss)",
        "NQR-Niveau 4",
        "Wirtschaftskammer Österreich",
        "Install electrical household appliances and building automation; assemble electrical components; "
        "measure electrical characteristics.",
        "0713",
    ],
    [
        "NL-PV-2",
        "NL",
        "Monteur zonnepanelen (mbo)",
        "niveau 2",
        "SBB",
        "Install photovoltaic systems on roofs. Calculate solar panel orientation. Provide information on solar "
        "panels to customers.",
        "0713",
    ],
    [
        "GB-L5-COACH",
        "GB-ENG",
        "Level 5 Certificate in Effective Coaching and Mentoring",
        "Level 5",
        "Institute of Leadership & Management",
        "Coach employees and mentor individuals; give constructive feedback; develop a coaching style; "
        "assist clients with personal development.",
        "0413",
    ],
    [
        "GB-EL-DIG",
        "GB-ENG",
        "Entry Level Award in Digital Skills",
        "Entry Level",
        "NCFE",
        "Use digital tools to solve simple problems; create digital content; respect data protection principles.",
        "0611",
    ],
    [
        "GB-L12-ROBO",
        "GB-ENG",
        "Level 1/2 Technical Award in Engineering (Robotics)",
        "Level 1/2",
        "Pearson",
        "Assemble robots and robotic components; assemble sensors; apply basic programming skills.",
        "0714",
    ],
    [
        "IT-AI-MC",
        "IT",
        "Microcredenziale in intelligenza artificiale applicata",
        "",
        "Politecnico",
        "Utilise machine learning; artificial neural networks; computer vision; perform data analysis with "
        "Python (computer programming).",
        "0613",
    ],
    [
        "ES-IEA-4",
        "ES",
        "Técnico en Instalaciones Eléctricas y Automáticas",
        "nivel 4",
        "Ministerio de Educación",
        "Install automation components and electrical equipment; make electrical calculations; install "
        "circuit breakers.",
        "0713",
    ],
]
# Outcomes in the certificate's own language: matched against English labels by the semantic matcher.
FOREIGN_ROWS = [
    [
        "DE-EGT-PV",
        "DE",
        "Elektroniker/-in für Energie- und Gebäudetechnik (Schwerpunkt Photovoltaik)",
        "DQR 4",
        "Handwerkskammer",
        "Photovoltaikmodule auf Dächern montieren. Wechselrichter installieren und die Anlage in Betrieb nehmen. "
        "Photovoltaikanlagen warten und instand setzen. Kunden über Solaranlagen beraten.",
        "0713",
    ],
    [
        "FR-TP-IPV",
        "FR",
        "Installateur / Installatrice de systèmes photovoltaïques",
        "niveau 4",
        "Ministère du Travail",
        "Installer des panneaux solaires photovoltaïques sur les toitures. Raccorder l'onduleur et mettre "
        "l'installation en service. Assurer la maintenance des systèmes photovoltaïques. Informer le client sur "
        "l'entretien de son installation.",
        "0713",
    ],
]
FORMULA_ROW = 4  # the GB PV row's code is a formula whose saved result is "GB-L2-PV"
MERGED_COUNTRY = (3, 4)  # rows 3 and 4 (1-based data rows) share one merged country cell: GB-ENG
TITLE_LINES = [
    "Certificates to align — example register (skillmap demo)",
    "Levels as written in each national register; learning outcomes in English.",
]


def write_xlsx(path: Path) -> None:
    """Write the workbook: two title rows, a blank row, the header, the data; a merged cell and a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from skillmap.outputs.xlsx import normalise_xlsx_bytes

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Certificates"
    sheet.append([TITLE_LINES[0]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([TITLE_LINES[1]])
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    header_row = 4
    for number, row in enumerate(ROWS, start=1):
        values = list(row)
        if number == FORMULA_ROW:
            values[0] = '=CONCATENATE("GB-L2","-PV")'
        sheet.append(values)
    first, last = (header_row + n for n in MERGED_COUNTRY)
    sheet.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)
    sheet.cell(row=first, column=2).alignment = Alignment(vertical="center")
    for letter, width in zip("ABCDEFG", (14, 9, 52, 18, 32, 80, 9), strict=False):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(normalise_xlsx_bytes(_with_cached_formula_value(buffer.getvalue(), header_row)))


def _with_cached_formula_value(data: bytes, header_row: int) -> bytes:
    """openpyxl cannot store a formula's result; add it, as Excel does when it saves a calculated sheet."""
    cell = f"A{header_row + FORMULA_ROW}"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                pattern = re.compile(rb'(<c r="' + cell.encode() + rb'"[^>]*>)(<f>.*?</f>)(<v\s*/>|<v></v>)?(</c>)')
                value = ROWS[FORMULA_ROW - 1][0].encode()

                def with_value(match: re.Match[bytes], value: bytes = value) -> bytes:
                    opening = re.sub(rb' t="[^"]*"', b"", match.group(1)).replace(b"<c ", b'<c t="str" ', 1)
                    return opening + match.group(2) + b"<v>" + value + b"</v>" + match.group(4)

                content, count = pattern.subn(with_value, content)
                assert count == 1, "formula cell not found"
            target.writestr(info, content)
    return out.getvalue()


def write_csv(path: Path) -> None:
    """Write the same register as a CSV the way Excel exports it in much of Europe: UTF-8 BOM, semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for number, row in enumerate(ROWS, start=1):
        values = list(row)
        if number in MERGED_COUNTRY:
            values[1] = "GB-ENG"
        writer.writerow(values)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def write_foreign_csv(path: Path) -> None:
    """Write the German and French certificates as a plain UTF-8 CSV (commas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(FOREIGN_ROWS)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


if __name__ == "__main__":
    write_xlsx(HERE / "certificates.xlsx")
    write_csv(HERE / "certificates.csv")
    write_foreign_csv(HERE / "certificates-de-fr.csv")
    print(f"wrote {HERE / 'certificates.xlsx'}, {HERE / 'certificates.csv'} and {HERE / 'certificates-de-fr.csv'}")
