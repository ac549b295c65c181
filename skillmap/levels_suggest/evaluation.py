"""evaluate_levels: how well suggest_level finds the EQF level of levelled qualifications in a gold file.

A gold file has the columns ``id``, ``title``, ``outcomes`` and ``expected_eqf``; the RNCP dev file's own names
(``CodeRNCP``, ``competence_blocks``) are accepted as they are. Rows without an expected level are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.levels_suggest.suggestion import LEVELS, LevelSuggestion, suggest_level, suggest_levels
from skillmap.model import ProgressCallback

COLUMN_NAMES = {
    "id": ("id", "coderncp", "code"),
    "title": ("title", "intitule", "titre"),
    "outcomes": ("outcomes", "competence_blocks", "learning_outcomes", "text"),
    "expected_eqf": ("expected_eqf", "eqf", "eqf_level", "level"),
}


TRAINING_FILE_NOTE = (
    "this is the file the shipped model was trained on: these figures measure training fit, not accuracy "
    "(the cross-validated figures are in the README)"
)


@dataclass(frozen=True)
class LevelGoldRow:
    """One levelled qualification of a gold file."""

    id: str
    title: str
    outcomes: str
    expected: int


@dataclass(frozen=True)
class LevelEvaluation:
    """Figures of suggest_level on a gold file.

    ``accuracy`` is the share suggested exactly, ``within_one`` the share within one level, ``macro_f1`` the mean
    F1 over the expected levels present, ``mae`` the mean absolute level error (a row without a suggestion counts
    as wrong, with error 8). ``confusion[expected][suggested]`` counts rows; ``suggested`` is ``"none"`` when
    there was no suggestion.
    """

    n: int
    accuracy: float
    within_one: float
    macro_f1: float
    mae: float
    confusion: dict[str, dict[str, int]]
    outcomes_only: bool
    skipped: int = 0
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The JSON keys: n, accuracy, within_one, macro_f1, mae, confusion (and outcomes_only, skipped)."""
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "within_one": round(self.within_one, 4),
            "macro_f1": round(self.macro_f1, 4),
            "mae": round(self.mae, 4),
            "confusion": self.confusion,
            "outcomes_only": self.outcomes_only,
            "skipped": self.skipped,
            "notes": list(self.notes),
        }


def read_level_gold(path: str | Path) -> tuple[list[LevelGoldRow], int]:
    """The levelled rows of a gold file and the number of rows skipped for having no expected level."""
    from skillmap.sources.spreadsheets import read_table

    table = read_table(path)
    folded = {h.strip().lower(): h for h in table.headers}
    found: dict[str, str] = {}
    for role, names in COLUMN_NAMES.items():
        for name in names:
            if name in folded:
                found[role] = folded[name]
                break
    missing = [role for role in ("outcomes", "expected_eqf") if role not in found]
    if missing:
        listed = ", ".join(repr(h) for h in table.headers)
        raise SkillmapError(f"{path}: no {' or '.join(missing)} column; its columns are {listed}")
    rows: list[LevelGoldRow] = []
    skipped = 0
    for number, record in enumerate(table.records(), start=1):
        value = record[found["expected_eqf"]].strip()
        if not value:
            skipped += 1
            continue
        try:
            level = int(float(value))
        except ValueError:
            level = 0
        if level not in LEVELS or float(value) != level:
            raise SkillmapError(f"{path}: row {number}: expected_eqf {value!r} is not an EQF level 1–8")
        rows.append(
            LevelGoldRow(
                id=record.get(found.get("id", ""), str(number)) or str(number),
                title=record.get(found.get("title", ""), ""),
                outcomes=record[found["outcomes"]],
                expected=level,
            )
        )
    if not rows:
        raise SkillmapError(f"{path}: no row has an expected level")
    return rows, skipped


def score_levels(expected: Sequence[int], suggested: Sequence[int | None], *, outcomes_only: bool, skipped: int = 0):
    """The figures for suggested levels against expected ones (-> LevelEvaluation)."""
    n = len(expected)
    exact = sum(1 for e, s in zip(expected, suggested, strict=False) if s == e)
    near = sum(1 for e, s in zip(expected, suggested, strict=False) if s is not None and abs(s - e) <= 1)
    errors = [abs(s - e) if s is not None else 8 for e, s in zip(expected, suggested, strict=False)]
    f1s = []
    for level in sorted(set(expected)):
        tp = sum(1 for e, s in zip(expected, suggested, strict=False) if e == level and s == level)
        fp = sum(1 for e, s in zip(expected, suggested, strict=False) if e != level and s == level)
        fn = sum(1 for e, s in zip(expected, suggested, strict=False) if e == level and s != level)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    confusion: dict[str, dict[str, int]] = {}
    for e, s in zip(expected, suggested, strict=False):
        row = confusion.setdefault(str(e), {})
        key = "none" if s is None else str(s)
        row[key] = row.get(key, 0) + 1
    confusion = {e: dict(sorted(confusion[e].items())) for e in sorted(confusion, key=int)}
    return LevelEvaluation(
        n=n,
        accuracy=exact / n,
        within_one=near / n,
        macro_f1=sum(f1s) / len(f1s),
        mae=sum(errors) / n,
        confusion=confusion,
        outcomes_only=outcomes_only,
        skipped=skipped,
    )


def evaluate_levels(
    gold: str | Path,
    *,
    outcomes_only: bool = False,
    progress: ProgressCallback | None = None,
    suggest: Callable[..., LevelSuggestion] = suggest_level,
) -> LevelEvaluation:
    """Suggest a level for every row of the gold file ``gold`` and score the suggestions.

    ``outcomes_only`` ignores the titles (industry certificates rarely carry qualification-type words). The
    register-neighbour signal is left out: a gold row that is also in an imported register would find itself.
    Raises SkillmapError when the file lacks the outcomes or expected_eqf column, or holds a level outside 1–8.
    """
    import hashlib
    from dataclasses import replace

    from skillmap.levels_suggest.learned import bundled_model_source

    rows, skipped = read_level_gold(gold)
    notes = []
    if suggest is suggest_level and hashlib.sha256(Path(gold).read_bytes()).hexdigest() == bundled_model_source():
        notes.append(TRAINING_FILE_NOTE)
    pairs = [("" if outcomes_only else row.title, row.outcomes) for row in rows]
    if suggest is suggest_level:  # one batch; registers left out: a gold row in an imported register finds itself
        results = suggest_levels(pairs, progress=progress, registers=False)
    else:
        results = []
        for done, (title, outcomes) in enumerate(pairs, start=1):
            results.append(suggest(title=title, outcomes=outcomes))
            if progress is not None:
                progress(done, len(rows))
    suggested = [r.level for r in results]
    result = score_levels([r.expected for r in rows], suggested, outcomes_only=outcomes_only, skipped=skipped)
    return replace(result, notes=tuple(notes))
