"""Language codes as users type them: one parser for every ``lang`` / ``--lang`` value."""

from __future__ import annotations

from collections.abc import Iterable

from skillmap.errors import SkillmapError


def parse_languages(values: str | Iterable[str] | None) -> list[str] | None:
    """Normalise language codes: ``"EN"``, ``["en,fr", "de"]`` → ``["en", "fr", "de"]``; nothing → ``None``.

    Codes are lower-cased and de-duplicated in first-seen order; a region suffix is kept (``en-us``,
    ESCO's American English). A value that is not an ISO 639-1 style code raises :class:`SkillmapError`.
    """
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    langs: list[str] = []
    for value in values:
        for part in str(value).replace(";", ",").split(","):
            code = part.strip().lower().replace("_", "-")
            if not code:
                continue
            base, _, region = code.partition("-")
            if not (base.isalpha() and 2 <= len(base) <= 3 and (not region or region.isalnum())):
                raise SkillmapError(f"'{part.strip()}' is not a language code; use ISO 639-1 codes such as en, fr, de")
            langs.append(code)
    return list(dict.fromkeys(langs)) or None
