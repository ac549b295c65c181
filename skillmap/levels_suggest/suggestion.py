"""suggest_level: an EQF level 1–8 suggested from a qualification's learning outcomes (and title), with evidence.

Signals, combined in log-odds (constants in data/levels_suggest/combination.csv):
- the learned model (data/levels_suggest/level_model.gz, trained on French RNCP qualifications, levels 3–8), over
  word and character n-grams and the multilingual sentence vector of the text (:mod:`.embedding`), so that it also
  reads other languages: a multinomial and an ordinal part and an n-gram view, mixed (:mod:`.learned`);
- EQF descriptor cue phrases of the outcomes, in en, fr, de, es, it, pl, nl (data/levels_suggest/cues.csv);
- qualification-type words of the title ("Master", "BTS", "Meister"; data/levels_suggest/title_words.csv);
- the nearest levelled records of the user's imported registers (:mod:`.neighbours`), when there are any.
The suggested level is the median of the probabilities (the level with the least expected error in levels: EQF
levels are ordered, and a miss by one is better than a miss by three). A suggestion is never a referenced level: it
is labelled strong, moderate or weak, and carries its evidence.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from skillmap.fileio import bundled_data_dir
from skillmap.levels_suggest.cues import CueHit, cue_languages, find_cues, outcome_cues, title_cues
from skillmap.levels_suggest.features import document_features, ngrams, text_words
from skillmap.levels_suggest.neighbours import Neighbour
from skillmap.model import ProgressCallback

LEVELS = tuple(range(1, 9))
TOO_LITTLE_TEXT = "too little text to suggest a level"
MAX_STATEMENT_EVIDENCE = 5
LANGUAGE_SAMPLE = 300  # characters of the outcomes the language of a text without any cue phrase is told from
NOT_REFERENCED = (
    "a suggestion, not a referenced level: from a model learned on French RNCP qualifications (levels 3–8) "
    "and cue phrases"
)
WITH_NEIGHBOURS = ", and the levelled records of your imported registers it resembles"
_STATEMENT_SPLIT = re.compile(r"[\n;•]+|(?<=[.!?])\s+")


@dataclass(frozen=True)
class LevelEvidence:
    """Something in the text that pulled the suggestion towards EQF levels ``low``–``high``."""

    text: str
    low: int
    high: int
    source: str  # "cue: autonomy", "title word", "learned model"…
    weight: float

    def describe(self) -> str:
        """One line: ``"under supervision" → 2–3 (cue: autonomy)``."""
        levels = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return f'"{self.text}" → {levels} ({self.source})'


@dataclass(frozen=True)
class LevelSuggestion:
    """A suggested EQF level with a probability per level, a confidence and the evidence behind it.

    ``status`` is ``suggested`` or ``missing`` (too little text: then ``level`` is None and ``reason`` says why).
    ``strength`` labels the confidence: ``strong``, ``moderate`` or ``weak``.
    """

    status: str
    level: int | None
    confidence: float
    strength: str
    probabilities: dict[int, float]
    evidence: tuple[LevelEvidence, ...] = ()
    reason: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (levels as string keys)."""
        return {
            "status": self.status,
            "suggested_eqf": self.level,
            "confidence": round(self.confidence, 4),
            "strength": self.strength,
            "probabilities": {str(k): round(v, 4) for k, v in self.probabilities.items()},
            "evidence": [
                {"text": e.text, "low": e.low, "high": e.high, "source": e.source, "weight": round(e.weight, 4)}
                for e in self.evidence
            ],
            "reason": self.reason,
            "notes": list(self.notes),
        }


@lru_cache(maxsize=1)
def combination() -> dict[str, float]:
    """The combination constants of data/levels_suggest/combination.csv."""
    path = bundled_data_dir() / "levels_suggest" / "combination.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return {row["name"]: float(row["value"]) for row in rows}


def _missing(reason: str) -> LevelSuggestion:
    return LevelSuggestion("missing", None, 0.0, "none", {}, (), reason)


def _add_cues(logits: dict[int, float], hits: list[CueHit], weight: float) -> None:
    for hit in hits:
        width = hit.cue.high - hit.cue.low + 1
        for level in range(hit.cue.low, hit.cue.high + 1):
            logits[level] += weight / width


def _statement_evidence(outcomes: str, model, min_pull: float) -> list[LevelEvidence]:  # model: LearnedModel
    """The outcome statements the learned model leans on most, each with the level it pulls towards."""
    evidence = []
    for statement in (s.strip() for s in _STATEMENT_SPLIT.split(outcomes or "")):
        if len(text_words(statement)) < 2:
            continue
        index, values = model.vectorise(ngrams(statement))
        if not len(index):
            continue
        pull = model.weights[:, index] @ values
        best = int(pull.argmax())
        strength = float(pull[best] - pull.mean())
        if strength < min_pull:
            continue
        level = model.levels[best]
        evidence.append(LevelEvidence(statement[:200], level, level, "learned model", strength))
    evidence.sort(key=lambda e: (-e.weight, e.text))
    return evidence[:MAX_STATEMENT_EVIDENCE]


def suggest_level(
    title: str = "",
    outcomes: str = "",
    *,
    model=None,
    semantic: bool = True,
    store_path: str | Path | None = None,
    registers: bool = True,
) -> LevelSuggestion:
    """Suggest an EQF level (1–8) for a qualification from its learning outcomes and, if given, its title.

    Returns a :class:`LevelSuggestion` with a probability per level, the suggested level, a confidence and the
    evidence (cue phrases, title words, outcome statements, resembling register records) that pulled towards each
    level. With fewer than a few words of text there is no suggestion: status ``missing``, reason "too little text
    to suggest a level". ``model`` replaces the bundled learned model (the benchmark passes one trained on its
    training folds); ``semantic=False`` leaves out the multilingual sentence vector (faster, n-grams only);
    ``store_path`` is the registers store whose levelled records are compared (default: the user's home store, as
    ``lookup`` uses); ``registers=False`` leaves that signal out.
    """
    return suggest_levels(
        [(title, outcomes)], model=model, semantic=semantic, store_path=store_path, registers=registers
    )[0]


def suggest_levels(
    pairs: Sequence[tuple[str, str]],
    *,
    progress: ProgressCallback | None = None,
    model=None,
    semantic: bool = True,
    store_path: str | Path | None = None,
    registers: bool = True,
) -> list[LevelSuggestion]:
    """:func:`suggest_level` for many (title, outcomes) pairs at once: the sentence vectors are computed in one batch
    (one process per core for large ones) and the registers store is opened once."""
    from skillmap.levels_suggest.embedding import qualification_vectors
    from skillmap.levels_suggest.learned import bundled_model
    from skillmap.levels_suggest.neighbours import neighbours_for

    settings, model = combination(), model or bundled_model()
    pairs = [((title or "").strip(), (outcomes or "").strip()) for title, outcomes in pairs]
    enough = [i for i, (title, outcomes) in enumerate(pairs) if _enough_text(title, outcomes, settings)]
    wanted = [pairs[i] for i in enough]
    reads_vectors = semantic and wanted and model.vector_weights is not None
    vectors, note = qualification_vectors(wanted) if reads_vectors else (None, "")
    neighbours = neighbours_for(wanted, store_path) if registers else [[] for _ in wanted]
    row = {i: n for n, i in enumerate(enough)}
    results = []
    for i, (title, outcomes) in enumerate(pairs):
        if i not in row:
            results.append(_missing(TOO_LITTLE_TEXT))
        else:
            vector = None if vectors is None else vectors[row[i]]
            result = suggest_with(
                title, outcomes, model=model, settings=settings, vector=vector, neighbours=neighbours[row[i]]
            )
            results.append(_with_note(result, note))
        if progress is not None:
            progress(i + 1, len(pairs))
    return results


def _enough_text(title: str, outcomes: str, settings: dict[str, float]) -> bool:
    return len(text_words(title or "")) + len(text_words(outcomes or "")) >= settings["min_words"]


def _with_note(result: LevelSuggestion, note: str) -> LevelSuggestion:
    from dataclasses import replace

    return replace(result, notes=(note, *result.notes)) if note and result.status == "suggested" else result


def median_level(probabilities: dict[int, float]) -> int:
    """The lowest level at which the cumulative probability reaches one half: the level with the least expected
    absolute error."""
    total = 0.0
    for level in LEVELS:
        total += probabilities[level]
        if total >= 0.5 - 1e-12:
            return level
    return LEVELS[-1]


def suggest_with(
    title: str,
    outcomes: str,
    *,
    model,
    settings: dict[str, float],
    vector=None,
    neighbours: Sequence[Neighbour] = (),
) -> LevelSuggestion:
    """:func:`suggest_level` with a given learned model, combination constants (the benchmark varies them), sentence
    vector of the text (or None) and nearest levelled register records."""
    import numpy as np

    title, outcomes = (title or "").strip(), (outcomes or "").strip()
    if not _enough_text(title, outcomes, settings):
        return _missing(TOO_LITTLE_TEXT)
    scores = model.scores(document_features(title, outcomes), vector)
    learned = np.exp(scores - scores.max())
    learned /= learned.sum()
    prior = {level: float(p) for level, p in zip(model.levels, learned, strict=False)}
    lowest = min(model.levels)
    for level, share in ((1, settings["below_model_share_1"]), (2, settings["below_model_share_2"])):
        if level < lowest:
            prior[level] = prior[lowest] * share
    logits = {level: float(np.log(prior.get(level, 0.0) + 1e-9)) for level in LEVELS}
    outcome_hits = find_cues(outcomes, outcome_cues())
    title_hits = find_cues(title, title_cues()) if title else []
    _add_cues(logits, outcome_hits, settings["cue_weight"])
    _add_cues(logits, title_hits, settings["title_word_weight"])
    for neighbour in neighbours:
        logits[neighbour.level] += settings["neighbour_weight"] * neighbour.similarity
    top = max(logits.values())
    raw = {level: float(np.exp(value - top)) for level, value in logits.items()}
    total = sum(raw.values())
    probabilities = {level: raw[level] / total for level in LEVELS}
    level = median_level(probabilities)
    confidence = probabilities[level]
    strength = (
        "strong" if confidence >= settings["strong"] else "moderate" if confidence >= settings["moderate"] else "weak"
    )
    evidence = [
        LevelEvidence(hit.matched, hit.cue.low, hit.cue.high, f"cue: {hit.cue.kind}", settings["cue_weight"])
        for hit in outcome_hits
    ]
    evidence += [
        LevelEvidence(hit.matched, hit.cue.low, hit.cue.high, "title word", settings["title_word_weight"])
        for hit in title_hits
    ]
    evidence += _statement_evidence(outcomes, model, settings["min_statement_pull"])
    evidence += [
        LevelEvidence(
            f"{n.code} {n.title}",
            n.level,
            n.level,
            f"resembles a record of register {n.register}, similarity {n.similarity:.2f}",
            settings["neighbour_weight"] * n.similarity,
        )
        for n in neighbours
    ]
    return LevelSuggestion(
        "suggested",
        level,
        confidence,
        strength,
        probabilities,
        tuple(evidence),
        "",
        _notes(outcomes, outcome_hits, bool(neighbours)),
    )


def _notes(outcomes: str, outcome_hits: list[CueHit], with_neighbours: bool) -> tuple[str, ...]:
    from skillmap.languages import detect_language, language_name

    notes = []
    # a cue found means a language with cue data; else the start of the text is enough to tell (and 2x faster)
    language = detect_language(outcomes[:LANGUAGE_SAMPLE]) if outcomes and not outcome_hits else None
    if language and language not in cue_languages():
        notes.append(
            f"no cue data for {language_name(language)} (cue data: en, fr, de, es, it, pl, nl): the learned "
            "multilingual model and register neighbours only"
        )
    elif not outcome_hits:
        notes.append("no EQF descriptor phrase found (cue data: en, fr, de, es, it, pl, nl): learned model only")
    notes.append(NOT_REFERENCED + (WITH_NEIGHBOURS if with_neighbours else ""))  # name only what was used
    return tuple(notes)
