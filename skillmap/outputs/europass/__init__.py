"""Europass-ready exports: register records → ELM 3.1 "LOQ" qualification records → Turtle, JSON-LD, QDR XML.

The Europass Qualification Dataset Register (QDR) ingests the European Learning Model (ELM) LOQ profile. This
package turns :class:`~skillmap.model.RegisterRecord` rows (from any register reader or an ``align`` output) into
qualification records that pass the official LOQ SHACL shapes and the QDR XSD. The public entry point is
:func:`export_europass` (what ``skillmap export europass`` runs); its modules, one concept each, are internal:

* ``cells`` – input cell values (clean text, list cells, column keys); ``identifiers`` – record IRIs;
* ``codelists`` – ISCED-F, languages, countries and the EU controlled lists from ``data/europass/``;
* ``model`` – the export model (``ElmExport``, ``ElmQualification`` …) and ``ExportOptions``;
* ``building`` – records → ``ElmExport`` (pure; rows that cannot be valid are reported, never emitted), with
  ``microcredential_elements`` for credit points, volume of learning, setting, mode and assessment;
* ``nodes``, ``turtle``, ``jsonld``, ``qdr_xml``, ``formats`` – serialisation, sorted so a re-export of the same
  input is byte-identical and record IRIs (minted from the national code) never change;
* ``isced_maps`` – national subject → ISCED-F maps; ``inputs`` – what the other stages provide;
* ``validation`` – offline SHACL / XSD checks; ``job`` – read, build, write atomically, validate, report.
"""

from __future__ import annotations

from skillmap.outputs.europass.job import ExportInvalid, ExportResult, export_europass
from skillmap.outputs.europass.validation import ValidationResult

__all__ = ["ExportInvalid", "ExportResult", "ValidationResult", "export_europass"]
