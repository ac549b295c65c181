"""Write examples/microcredentials.xlsx: three micro-credentials, one row each, for `skillmap check microcredential`.

A coaching course, a photovoltaic-installer certificate and an AI micro-credential, described with the standard
elements of the Council Recommendation of 16 June 2022 on micro-credentials (Annex I) as a provider would fill a
template: headers named after the elements, EU list values where the Recommendation expects them. Each one lacks
something a provider typically forgets (the coaching course its quality assurance and a valid assessment type, the
PV certificate its date of issuing, the AI micro-credential the identification of the learner), so the check
exits 1 and says what each lacks. The providers, bodies and texts are written for this example (modelled on real
offers), not copied from any register; the learning outcomes are in English so `align` can match them against the
bundled ESCO sample.

Run: .venv/bin/python examples/make_microcredentials.py   (the output bytes are the same on every run)
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADERS = [
    "Code",
    "Title of the micro-credential",
    "Country",
    "Awarding body",
    "Date of issuing",
    "Identification of the learner",
    "Learning outcomes",
    "ECTS credits",
    "Volume of learning (hours)",
    "EQF level",
    "NQF level",
    "Type of assessment",
    "Form of participation",
    "Learning setting",
    "Type of quality assurance",
    "Accrediting body",
    "Prerequisites",
    "Supervision and identity verification",
    "Grade achieved",
    "Integration/stackability options",
    "Further information",
    "ISCED-F",
]
ROWS = [
    {
        "Code": "GB-COACH-MC",
        "Title of the micro-credential": "Micro-credential in Solution-Focused Coaching",
        "Country": "GB-ENG",
        "Awarding body": "Northbridge Coaching Academy",
        "Date of issuing": datetime(2025, 3, 14),
        "Identification of the learner": "Full name and learner number on the certificate",
        "Learning outcomes": "Coach employees and mentor individuals; give constructive feedback; develop a coaching "
        "style; assist clients with personal development.",
        "Volume of learning (hours)": 40,
        "Type of assessment": "portfolio, observed coaching session",
        "Form of participation": "online",
        "Learning setting": "non-formal",
        "Supervision and identity verification": "unsupervised with no identity verification",
        "Grade achieved": "pass / fail",
        "Integration/stackability options": "stand-alone",
        "ISCED-F": "0413",
    },
    {
        "Code": "DE-PV-INST",
        "Title of the micro-credential": "Zertifikat Fachkraft für Photovoltaik-Installation",
        "Country": "DE",
        "Awarding body": "Solartechnik Bildungszentrum",
        "Identification of the learner": "Name und Geburtsdatum",
        "Learning outcomes": "Mount photovoltaic panels and solar panel mounting systems. Install inverter and connect "
        "to the grid. Maintain photovoltaic systems. Comply with electrical safety regulations.",
        "Volume of learning (hours)": 160,
        "EQF level": 4,
        "NQF level": "DQR 4",
        "Type of assessment": "practical assessment; written exam",
        "Form of participation": "blended",
        "Learning setting": "non-formal",
        "Type of quality assurance": "Institutional quality assurance (AZAV)",
        "Accrediting body": "CertQ Zertifizierung",
        "Prerequisites": "Abgeschlossene Berufsausbildung in einem Elektroberuf",
        "Supervision and identity verification": "supervised onsite with identity verification",
        "Grade achieved": "bestanden",
        "Integration/stackability options": "stackable",
        "Further information": "Anrechenbar auf die Meisterprüfung Teil II (Elektrotechnik)",
        "ISCED-F": "0713",
    },
    {
        "Code": "IT-AI-MC",
        "Title of the micro-credential": "Microcredenziale in intelligenza artificiale applicata",
        "Country": "IT",
        "Awarding body": "Politecnico",
        "Date of issuing": datetime(2025, 6, 30),
        "Learning outcomes": "Utilise machine learning; artificial neural networks; computer vision; perform data "
        "analysis with Python (computer programming).",
        "ECTS credits": 6,
        "EQF level": 6,
        "NQF level": "QNQ 6",
        "Type of assessment": "project work, oral exam",
        "Form of participation": "online",
        "Learning setting": "formal",
        "Type of quality assurance": "Program quality assurance",
        "Accrediting body": "ANVUR",
        "Prerequisites": "Laurea triennale in un'area STEM",
        "Supervision and identity verification": "supervised online with identity verification",
        "Grade achieved": "28/30",
        "Integration/stackability options": "stackable towards another credential",
        "Further information": "Riconoscibile nel corso di laurea magistrale in informatica",
        "ISCED-F": "0613",
    },
]
WIDTHS = {"Title of the micro-credential": 44, "Learning outcomes": 70, "Awarding body": 28}


def write_xlsx(path: Path) -> None:
    """Write the sheet: the header, then one row per micro-credential (dates as dates, numbers as numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from skillmap.outputs.xlsx import normalise_xlsx_bytes

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Micro-credentials"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in ROWS:
        sheet.append([row.get(header) for header in HEADERS])
    for number, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS.get(header, 18)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(normalise_xlsx_bytes(buffer.getvalue()))


if __name__ == "__main__":
    write_xlsx(HERE / "microcredentials.xlsx")
    print(f"wrote {HERE / 'microcredentials.xlsx'}")
