"""How a :class:`RegisterRecord` is kept in the store (JSON) and how its concept lists pair URIs with labels."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from skillmap.model import RegisterRecord


def labelled_pairs(uris: Sequence[str], labels: Sequence[str]) -> list[tuple[str, str]]:
    """``(uri, label)`` for each URI; a label list shorter than the URIs gives ``""`` for the rest."""
    return [(uri, labels[i] if i < len(labels) else "") for i, uri in enumerate(uris)]


def record_to_json(record: RegisterRecord) -> str:
    """The record as the JSON text the store keeps (sorted keys, so the same record is the same text)."""
    return json.dumps(asdict(record), ensure_ascii=False, sort_keys=True)


_TUPLE_FIELDS = ("titles", "skills", "skill_labels", "occupations", "occupation_labels")


def record_from_json(data: str) -> RegisterRecord:
    """The record back from :func:`record_to_json` text (fields a newer version added are ignored)."""
    values = json.loads(data)
    for name in _TUPLE_FIELDS:
        values[name] = tuple(values.get(name) or ())
    known = RegisterRecord.__dataclass_fields__
    return RegisterRecord(**{k: v for k, v in values.items() if k in known})
