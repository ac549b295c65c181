"""The error a report format raises when it cannot hold a table (kept apart so every writer can import it)."""

from __future__ import annotations

from skillmap.errors import SkillmapError


class ReportTooLarge(SkillmapError):
    """A report format cannot hold this table (xlsx: 1,048,576 rows, 16,384 columns); the other formats can."""
