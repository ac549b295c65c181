"""The options every align entry point takes (``align_file``, ``align_stream``, ``align_frame`` and the CLI), in one
bundle: a new align option is a field here, a keyword of the three functions (tests/test_align_options.py checks
they agree) and a CLI option; the column overrides, the country check and what goes on to ``align_table`` follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

from skillmap.align.rows import (
    DEFAULT_CONFIDENT_SCORE,
    DEFAULT_MIN_SCORE,
    DEFAULT_TOP_OCCUPATIONS,
    DEFAULT_TOP_SKILLS,
    require_country,
)

if TYPE_CHECKING:
    from skillmap.align.batches import SearchIndex
    from skillmap.sources.frameworks import FrameworkRegistry
    from skillmap.sources.spreadsheets import ColumnMap
    from skillmap.store import IndexInfo

# the keywords of align_file and align_stream beyond AlignOptions that the CLI passes on as they are
FILE_KEYWORDS = ("sheet", "encoding", "workers", "method")
# the AlignOptions passed on to align_table under the same name and meaning
_TABLE_KEYWORDS = (
    "framework",
    "top_skills",
    "top_occupations",
    "min_score",
    "confident_score",
    "level_from_title",
    "suggest_levels",
)


@dataclass(frozen=True)
class AlignOptions:
    """What to align and how, as the keywords of :func:`~skillmap.align.align_file` name it."""

    country: str | None = None
    lang: str | Sequence[str] | None = None
    title_col: str | None = None
    level_col: str | None = None
    text_col: Sequence[str] | None = None
    code_col: str | None = None
    country_col: str | None = None
    framework: str | None = None
    top_skills: int = DEFAULT_TOP_SKILLS
    top_occupations: int = DEFAULT_TOP_OCCUPATIONS
    min_score: float = DEFAULT_MIN_SCORE
    confident_score: float = DEFAULT_CONFIDENT_SCORE
    level_from_title: bool = False
    levels_only: bool = False
    suggest_levels: bool = False

    @classmethod
    def pick(cls, keywords: Mapping[str, Any]) -> AlignOptions:
        """The options among ``keywords`` (an entry point's ``locals()``)."""
        return cls(**{f.name: keywords[f.name] for f in fields(cls) if f.name in keywords})

    def languages(self) -> list[str] | None:
        """``lang`` parsed (an unknown code fails here, before any work)."""
        from skillmap.languages import parse_languages

        return parse_languages(self.lang)

    def columns(self, headers: Sequence[str]) -> ColumnMap:
        """The column map of a table with these ``headers``: detected, unless named."""
        from skillmap.sources.spreadsheets import detect_columns

        overrides = {
            "title": self.title_col,
            "level": self.level_col,
            "text": list(self.text_col or ()) or None,
            "code": self.code_col,
            "country": self.country_col,
        }
        return detect_columns(headers, overrides)

    def default_country(self, frameworks: FrameworkRegistry, columns: ColumnMap) -> str | None:
        """The default country code, checked; raises SkillmapError when rows would have no country at all."""
        return require_country(frameworks, self.country, columns)

    def table_keywords(self) -> dict[str, Any]:
        """The keywords :func:`~skillmap.align.align_table` takes from these options."""
        values = asdict(self)
        return {name: values[name] for name in _TABLE_KEYWORDS}


def file_keywords(keywords: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords of ``align_file`` / ``align_stream`` among ``keywords`` (the CLI's parameters): every
    :class:`AlignOptions` field and :data:`FILE_KEYWORDS`."""
    names = [f.name for f in fields(AlignOptions)] + list(FILE_KEYWORDS)
    return {name: keywords[name] for name in names if name in keywords}


@dataclass(frozen=True)
class LiveIndex:
    """The index a file job matches against: None with ``levels_only``; how the reports describe it."""

    index: SearchIndex | None
    info: IndexInfo | None
    description: str
    notices: tuple[str, ...] = ()


def live_index(levels_only: bool, index: SearchIndex | None) -> LiveIndex:
    """The given ``index``, none with ``levels_only``, else the live concept index (with its bundled-sample notice)."""
    if levels_only:
        return LiveIndex(None, None, "none (levels only)")
    if index is not None:
        return LiveIndex(index, None, "given by the caller")
    from skillmap.store import open_index

    loaded = open_index()
    info = loaded.info
    notices = (info.notice,) if info.notice else ()
    return LiveIndex(loaded.index, info, f"{info.name} {info.version} ({info.origin})", notices)
