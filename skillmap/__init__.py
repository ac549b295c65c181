"""skillmap: map qualifications between national frameworks, the EQF and ESCO.

One import is all a library user needs::

    import skillmap

    ranking = skillmap.match_skills("install solar panels on roofs", top=3)
    level = skillmap.resolve_level("GB-SCT", "SCQF 11")

The names in ``__all__`` are the public surface; module paths (``skillmap.store``, ``skillmap.match``…) are
internal and may change. Names load lazily on first use, so ``import skillmap`` (and ``skillmap --help``) stays
fast: pandas, numpy and rdflib are imported only by the functions that need them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it (the only place a name's home is written down)
_HOMES: dict[str, str] = {
    # ESCO and the concept index
    "import_esco": "skillmap.store",
    "open_index": "skillmap.store",
    "index_info": "skillmap.store",
    "IndexInfo": "skillmap.store",
    "LoadedIndex": "skillmap.store",
    # matching and its evaluation
    "match_skills": "skillmap.ranking",
    "match_occupations": "skillmap.ranking",
    "Ranking": "skillmap.ranking",
    "evaluate": "skillmap.evaluation",
    "EvaluationResult": "skillmap.evaluation",
    # levels and frameworks
    "resolve_level": "skillmap.frameworks",
    "load_frameworks": "skillmap.frameworks",
    "compare_frameworks": "skillmap.frameworks",
    "FrameworkComparison": "skillmap.frameworks",
    "FrameworkRegistry": "skillmap.sources.frameworks",
    # suggested EQF levels for qualifications without one (package skillmap.levels_suggest)
    "suggest_level": "skillmap.levels_suggest.suggestion",
    "suggest_levels": "skillmap.levels_suggest.suggestion",
    "LevelSuggestion": "skillmap.levels_suggest.suggestion",
    "LevelEvidence": "skillmap.levels_suggest.suggestion",
    "evaluate_levels": "skillmap.levels_suggest.evaluation",
    "LevelEvaluation": "skillmap.levels_suggest.evaluation",
    # align a register (package skillmap.align; the table contract in skillmap.alignment_table)
    "align_file": "skillmap.align",
    "align_frame": "skillmap.align.frame",
    "align_stream": "skillmap.align.stream",
    "StreamedRun": "skillmap.align.stream",
    "AlignRun": "skillmap.align",
    "check_alignment": "skillmap.align",
    "TableDiff": "skillmap.alignment_table",
    "render": "skillmap.outputs",
    "write_all": "skillmap.outputs",
    "WrittenReports": "skillmap.outputs",
    # national registers (package skillmap.registers)
    "import_register": "skillmap.registers",
    "list_registers": "skillmap.registers",
    "remove_register": "skillmap.registers",
    "lookup": "skillmap.registers",
    "batch_lookup": "skillmap.registers",
    "evaluate_lookup": "skillmap.registers",
    "LookupEvaluation": "skillmap.registers",
    "find_equivalents": "skillmap.registers",
    "compare": "skillmap.registers",
    "RegisterInfo": "skillmap.registers",
    "LookupMatch": "skillmap.registers",
    "Equivalent": "skillmap.registers",
    "Comparison": "skillmap.registers",
    # skills gaps (evidence against a target's skills)
    "gap": "skillmap.gap_analysis",
    "GapResult": "skillmap.gap_analysis",
    # Europass (package skillmap.outputs.europass)
    "export_europass": "skillmap.outputs.europass",
    "ExportResult": "skillmap.outputs.europass",
    # the model every stage passes on, and the one error type
    "Alignment": "skillmap.model",
    "Classification": "skillmap.model",
    "Concept": "skillmap.model",
    "Framework": "skillmap.model",
    "FrameworkLevel": "skillmap.model",
    "Label": "skillmap.model",
    "LevelResolution": "skillmap.model",
    "Match": "skillmap.model",
    "RegisterRecord": "skillmap.model",
    "SuggestedLevel": "skillmap.model",
    "SkillmapError": "skillmap.errors",
}

# exactly the documented public names (tests/test_exported_members.py checks this list and _HOMES agree)
__all__ = [
    "AlignRun",
    "Alignment",
    "Classification",
    "Comparison",
    "Concept",
    "Equivalent",
    "EvaluationResult",
    "ExportResult",
    "Framework",
    "FrameworkComparison",
    "FrameworkLevel",
    "FrameworkRegistry",
    "GapResult",
    "IndexInfo",
    "Label",
    "LevelEvaluation",
    "LevelEvidence",
    "LevelResolution",
    "LevelSuggestion",
    "LoadedIndex",
    "LookupEvaluation",
    "LookupMatch",
    "Match",
    "Ranking",
    "RegisterInfo",
    "RegisterRecord",
    "SkillmapError",
    "StreamedRun",
    "SuggestedLevel",
    "TableDiff",
    "WrittenReports",
    "__version__",
    "align_file",
    "align_frame",
    "align_stream",
    "batch_lookup",
    "check_alignment",
    "compare",
    "compare_frameworks",
    "evaluate",
    "evaluate_levels",
    "evaluate_lookup",
    "export_europass",
    "find_equivalents",
    "gap",
    "import_esco",
    "import_register",
    "index_info",
    "list_registers",
    "load_frameworks",
    "lookup",
    "match_occupations",
    "match_skills",
    "open_index",
    "remove_register",
    "render",
    "resolve_level",
    "suggest_level",
    "suggest_levels",
    "write_all",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines a public name on first use, then keep the name here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'skillmap' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers and editors; at run time the names load lazily
    from skillmap.errors import SkillmapError
    from skillmap.evaluation import EvaluationResult, evaluate
    from skillmap.frameworks import FrameworkComparison, compare_frameworks, load_frameworks, resolve_level
    from skillmap.gap_analysis import GapResult, gap
    from skillmap.levels_suggest.evaluation import LevelEvaluation, evaluate_levels
    from skillmap.levels_suggest.suggestion import LevelEvidence, LevelSuggestion, suggest_level, suggest_levels
    from skillmap.model import (
        Alignment,
        Classification,
        Concept,
        Framework,
        FrameworkLevel,
        Label,
        LevelResolution,
        Match,
        RegisterRecord,
        SuggestedLevel,
    )
    from skillmap.ranking import Ranking, match_occupations, match_skills
    from skillmap.sources.frameworks import FrameworkRegistry
    from skillmap.store import IndexInfo, LoadedIndex, import_esco, index_info, open_index
