"""National qualification registers: import them into a local store, look titles up, find equivalents, compare.

Modules (internal; import from ``skillmap.registers``):

* ``store`` — the SQLite store (schema, transactions, retrieval); ``records`` — how a record is stored
* ``importing`` — the import job; ``skills`` — ESCO skills matched at import
* ``scoring`` — title similarity; ``search`` — fuzzy title lookup; ``batch`` — a file of titles
* ``equivalents`` — comparable qualifications in another country; ``comparison`` — two side by side
* ``results`` — the result types
"""

from skillmap.registers.batch import BATCH_COLUMNS, batch_lookup
from skillmap.registers.comparison import compare
from skillmap.registers.equivalents import find_equivalents
from skillmap.registers.importing import import_register
from skillmap.registers.results import Comparison, Equivalent, LookupMatch, RegisterInfo
from skillmap.registers.search import lookup
from skillmap.registers.store import IMPORT_HINT, list_registers, remove_register

__all__ = [
    "BATCH_COLUMNS",
    "IMPORT_HINT",
    "Comparison",
    "Equivalent",
    "LookupMatch",
    "RegisterInfo",
    "batch_lookup",
    "compare",
    "find_equivalents",
    "import_register",
    "list_registers",
    "lookup",
    "remove_register",
]
