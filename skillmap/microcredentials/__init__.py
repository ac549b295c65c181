"""Micro-credentials (Council Recommendation of 16 June 2022, 2022/C 243/02): the 16 standard elements of Annex I,
read from a sheet with one row per credential, checked (:func:`check_microcredentials`) and handed to the Europass
export, which writes the ones ELM 3.1 can hold on a qualification record.

Modules (internal): ``annex`` (the element list and closed value lists, ``data/microcredentials/``), ``columns``
(header names in the EU languages, ``data/columns/header_names.csv``), ``elements`` (reading a row's values),
``check`` (the sheet check).
"""

from __future__ import annotations

from skillmap.microcredentials.check import CredentialCheck, ElementCheck, MicrocredentialCheck, check_microcredentials

__all__ = ["CredentialCheck", "ElementCheck", "MicrocredentialCheck", "check_microcredentials"]
