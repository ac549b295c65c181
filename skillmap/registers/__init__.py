"""National qualification registers: import them into a local store, look titles up, find equivalents, compare.

Modules (internal; import from ``skillmap.registers``):

* ``store`` — the SQLite store (schema, transactions, retrieval); ``records`` — how a record is stored
* ``importing`` — the import job; ``skills`` — ESCO skills matched at import
* ``query_parsing`` — what a messy title says (type, provider, level); ``ranking`` — the in-memory title index
  and its scores; ``search`` — title lookup; ``batch`` — a file of titles; ``lookup_evaluation`` — top-1/top-5/MRR
* ``scoring`` — title similarity (equivalents)
* ``equivalents`` — comparable qualifications in another country; ``comparison`` — two side by side
* ``results`` — the result types
"""

from skillmap.registers.batch import BATCH_COLUMNS, batch_lookup
from skillmap.registers.comparison import compare
from skillmap.registers.equivalents import find_equivalents
from skillmap.registers.importing import import_register
from skillmap.registers.lookup_evaluation import LookupEvaluation, LookupMiss, evaluate_lookup
from skillmap.registers.results import Comparison, Equivalent, LookupMatch, RegisterInfo
from skillmap.registers.search import lookup
from skillmap.registers.store import IMPORT_HINT, list_registers, remove_register

__all__ = [
    "BATCH_COLUMNS",
    "IMPORT_HINT",
    "Comparison",
    "Equivalent",
    "LookupEvaluation",
    "LookupMatch",
    "LookupMiss",
    "RegisterInfo",
    "batch_lookup",
    "compare",
    "evaluate_lookup",
    "find_equivalents",
    "import_register",
    "list_registers",
    "lookup",
    "remove_register",
]
