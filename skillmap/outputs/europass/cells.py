"""Reading input cell values for an export: clean text, list cells, column-name keys."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_LIST_SEPARATOR = re.compile(r"\s*\|\s*")  # the alignment table's " | ", read with any spacing


def clean_text(text: str) -> str:
    """``text`` without control characters, with runs of white space folded to one space, stripped."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text or "")).strip()


def list_items(cell: str) -> list[str]:
    """The parts of a ``" | "``-joined list cell (empty parts kept, as the callers skip them)."""
    return _LIST_SEPARATOR.split(cell)


def column_key(name: str) -> str:
    """A column name compared without case, spaces and punctuation (``"ISCED-F code"`` → ``"iscedfcode"``)."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def extra_value(extra: Mapping[str, str], keys: Iterable[str]) -> str:
    """The first non-empty value of an input column whose :func:`column_key` is one of ``keys`` ("" if none)."""
    wanted = set(keys)
    for name, value in extra.items():
        if column_key(name) in wanted and str(value).strip():
            return str(value).strip()
    return ""
