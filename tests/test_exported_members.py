"""`import skillmap` is the whole public surface: `__all__` is exactly the documented names (as httpx checks)."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import subprocess
import sys

import pytest

import skillmap

DOCUMENTED = [
    # ESCO and the concept index
    "import_esco", "open_index", "index_info", "IndexInfo", "LoadedIndex",
    # matching and its evaluation
    "match_skills", "match_occupations", "Ranking", "evaluate", "EvaluationResult",
    # levels and frameworks
    "resolve_level", "load_frameworks", "compare_frameworks", "FrameworkComparison", "FrameworkRegistry",
    # suggested EQF levels
    "suggest_level", "suggest_levels", "LevelSuggestion", "LevelEvidence", "evaluate_levels", "LevelEvaluation",
    # aligning a register
    "align_file", "AlignRun", "check_alignment", "TableDiff", "render", "write_all", "WrittenReports",
    "align_frame", "align_stream", "StreamedRun",
    # national registers
    "import_register", "list_registers", "remove_register", "lookup", "batch_lookup", "find_equivalents", "compare",
    "evaluate_lookup", "RegisterInfo", "LookupMatch", "LookupEvaluation", "Equivalent", "Comparison",
    # skills gaps
    "gap", "GapResult",
    # Europass
    "export_europass", "ExportResult",
    # the model and the one error type
    "Alignment", "Classification", "Concept", "Framework", "FrameworkLevel", "Label", "LevelResolution", "Match",
    "RegisterRecord", "SuggestedLevel", "SkillmapError",
    "__version__",
]  # fmt: skip

# Names whose module comes with the align, registers and Europass slices of issue 9 (other branches): until they
# are merged these modules are missing or do not define the name yet, and the check below skips with that reason.
LATER_SLICES = {
    "skillmap.align": "the align slice (skillmap.align package)",
    "skillmap.alignment_table": "the align slice (skillmap/alignment_table.py)",
    "skillmap.registers": "the registers slice (skillmap.registers package)",
    "skillmap.outputs.europass": "the Europass slice (skillmap.outputs.europass package)",
}


def test_all_is_exactly_the_documented_public_names() -> None:
    assert sorted(skillmap.__all__) == sorted(DOCUMENTED)
    assert len(set(skillmap.__all__)) == len(skillmap.__all__)


def test_every_public_name_has_one_home_module() -> None:
    assert sorted([*skillmap._HOMES, "__version__"]) == sorted(skillmap.__all__)


def _home_or_skip(name: str):
    """The module that defines ``name``; skips when that module comes with a slice not merged yet."""
    home = skillmap._HOMES[name]
    try:
        module = importlib.import_module(home)
    except ModuleNotFoundError:
        module = None
    if (module is None or not hasattr(module, name)) and home in LATER_SLICES:
        pytest.skip(f"{name} arrives with {LATER_SLICES[home]}, merged from another branch")
    return module


@pytest.mark.parametrize("name", sorted(skillmap._HOMES))
def test_every_public_name_resolves_to_what_its_home_defines(name: str) -> None:
    module = _home_or_skip(name)
    value = getattr(skillmap, name)
    assert value is getattr(module, name)
    assert not inspect.ismodule(value), f"skillmap.{name} is a module, not the public {name}"
    assert (inspect.getdoc(value) or "").strip(), f"skillmap.{name} has no docstring"


def test_no_submodule_is_named_like_a_public_name() -> None:
    """Importing a submodule sets it as an attribute of the package: a module skillmap/evaluate.py would replace the
    public function ``skillmap.evaluate`` as soon as anything imported it."""
    submodules = {info.name for info in pkgutil.iter_modules(skillmap.__path__)}
    clashes = sorted(submodules & set(skillmap._HOMES))
    if clashes == ["lookup"] and importlib.util.find_spec("skillmap.registers") is None:
        pytest.skip("skillmap/lookup.py becomes the skillmap.registers package in the registers slice (another branch)")
    assert clashes == []


def test_import_skillmap_loads_no_heavy_library() -> None:
    code = (
        "import skillmap, sys; print(sorted(m for m in ('pandas', 'numpy', 'rdflib', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        skillmap.nope  # noqa: B018
