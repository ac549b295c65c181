"""The one error type skillmap raises for problems the user can fix."""

from __future__ import annotations


class SkillmapError(Exception):
    """Unusable input or environment, with a one-line message written for the user.

    The CLI prints ``message`` on stderr and exits with status 2; it never shows a traceback for it.
    The message says what is wrong and, where possible, how to fix it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
