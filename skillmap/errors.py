"""The one error type skillmap raises for problems the user can fix."""

from __future__ import annotations


class SkillmapError(Exception):
    """Unusable input or environment, with a one-line message written for the user.

    The CLI prints ``message`` on stderr and exits with status 2; it never shows a traceback for it.
    The message says what is wrong in the library's own words (it names no command-line flag). ``hint``
    optionally names the *library* keyword that would fix it (e.g. ``"report"``); the CLI turns it into
    the matching flag wording (``--report``), so library users and command users each read their own terms.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message
