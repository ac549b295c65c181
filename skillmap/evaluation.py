"""Evaluation: how well the matcher ranks the expected concepts of a gold file (MRR, RP@1, RP@5, RP@10).

The gold format and the metrics are those of ``shared/eval/README.md``: for each row, every concept of the
row's kind is ranked (score descending, ties by ascending URI); ``RP@k = |gold ∩ top-k| / min(k, |gold|)``;
``MRR = 1 / rank`` of the best-ranked gold concept (0 when no gold concept is in the target). Both are
averaged over all rows.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from skillmap.errors import SkillmapError
from skillmap.match import ConceptIndex
from skillmap.model import Classification, ProgressCallback

GOLD_COLUMNS = ("id", "text", "expected", "kind", "lang")
URI_SEPARATOR = " | "
CUTOFFS = (1, 5, 10)
MAX_GOLD_BYTES = 200 * 1024 * 1024
EVALUATION_CHUNK = 1024  # gold rows scored together
SAMPLE_WARNING = (
    "evaluating against the bundled ESCO SAMPLE: most gold concepts are missing, so these numbers are MEANINGLESS; "
    "import ESCO first (`skillmap esco import ...`)"
)


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One query of a gold file and the concept URIs expected for it."""

    id: str
    text: str
    expected: tuple[str, ...]
    kind: str
    lang: str


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Averaged metrics over the rows of a gold file. ``to_dict`` gives the JSON keys users see."""

    n: int
    mrr: float
    rp_at_1: float
    rp_at_5: float
    rp_at_10: float
    seconds: float
    missing_uris: int = 0  # expected URIs that are not concepts of the target (they can never be found)
    target: str = ""  # where the concepts came from: "sample", "imported", "custom", a taxonomy file, or "given"
    method: str = "lexical"  # lexical, semantic or hybrid
    notes: tuple[str, ...] = ()  # lines to show the user (the bundled-sample warning, the semantic matcher's notes)

    def to_dict(self) -> dict[str, float | int | str]:
        """Return ``{"n", "method", "mrr", "rp@1", "rp@5", "rp@10", "seconds"}`` (metrics rounded to 4 decimals)."""
        return {
            "n": self.n,
            "method": self.method,
            "mrr": round(self.mrr, 4),
            "rp@1": round(self.rp_at_1, 4),
            "rp@5": round(self.rp_at_5, 4),
            "rp@10": round(self.rp_at_10, 4),
            "seconds": round(self.seconds, 2),
        }


def read_gold(path: Path) -> list[GoldRow]:
    """Read a gold CSV (``id,text,expected,kind,lang``); raise :class:`SkillmapError` on anything unusable."""
    path = Path(path)
    if not path.is_file():
        raise SkillmapError(f"gold file {path} not found")
    if path.stat().st_size > MAX_GOLD_BYTES:
        raise SkillmapError(f"gold file {path} is larger than {MAX_GOLD_BYTES // 2**20} MB; split it")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SkillmapError(f"gold file {path} is not UTF-8 (byte {exc.start}); re-save it as UTF-8") from exc
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != GOLD_COLUMNS:
            raise SkillmapError(
                f"gold file {path} must start with the header {','.join(GOLD_COLUMNS)} "
                f"(found {','.join(header or []) or 'nothing'})"
            )
        rows: list[GoldRow] = []
        for line, record in enumerate(reader, start=2):
            if not record:
                continue
            if len(record) != len(GOLD_COLUMNS):
                raise SkillmapError(f"gold file {path}, record {line}: expected 5 fields, found {len(record)}")
            row_id, query, expected, kind, lang = (field.strip() for field in record)
            uris = tuple(dict.fromkeys(u.strip() for u in expected.split(URI_SEPARATOR.strip()) if u.strip()))
            if not uris:
                raise SkillmapError(f"gold file {path}, row {row_id or line}: no expected URI")
            if not kind:
                raise SkillmapError(f"gold file {path}, row {row_id or line}: empty kind (use skill or occupation)")
            rows.append(GoldRow(row_id, query, uris, kind, lang))
    except csv.Error as exc:
        raise SkillmapError(f"gold file {path} is not valid CSV ({exc})") from exc
    if not rows:
        raise SkillmapError(f"gold file {path} has no rows")
    return rows


def evaluate(
    gold: str | Path,
    target: ConceptIndex | Classification | None = None,
    *,
    taxonomy: str | Path | None = None,
    lang: str | Sequence[str] | None = None,
    method: str | None = None,
    progress: ProgressCallback | None = None,
    embed_progress: ProgressCallback | None = None,
) -> EvaluationResult:
    """Rank every concept of each gold row's kind and return the averaged MRR and RP@k.

    The target is ``target`` (an index, or a classification: the index and, unless ``method`` is ``lexical``, its
    semantic matrix are then built, reported by ``embed_progress``, and count in ``seconds``), else the
    ``taxonomy`` file (its index and matrix cached after the first use), else the live index (the bundled sample
    when nothing is imported; ``notes`` then says the numbers are meaningless). ``lang`` restricts the labels
    used; by default each row uses the labels in its own ``lang`` when the target has that language, else every
    label (across languages, semantically). ``method`` is ``lexical``, ``semantic`` or ``hybrid`` (default:
    hybrid when the target has a semantic matrix). Each row's ``lang`` is the language of its text.
    """
    from skillmap.languages import parse_languages

    started = time.perf_counter()
    langs = parse_languages(lang)
    gold_path = Path(gold)
    rows = read_gold(gold_path)
    origin, notes = "given", []
    if target is None:
        from skillmap.ranking import open_target

        opened = open_target(taxonomy, method=method, progress=embed_progress)
        target, origin = opened.index, opened.origin
        notes = [opened.notice] if opened.notice else []
        if origin == "sample":
            notes.append(SAMPLE_WARNING)
    if isinstance(target, ConceptIndex):
        index = target
    else:
        index = ConceptIndex.build(target)
        if method != "lexical":
            index.embed(progress=embed_progress)
    requested, method = method, index.resolve_method(method)
    if requested is None and index.semantic is None and index.semantic_note:
        notes.append(index.semantic_note)
    totals = np.zeros(1 + len(CUTOFFS))
    missing = 0
    groups: dict[tuple[str, tuple[str, ...] | None], list[GoldRow]] = {}
    available = set(index.languages())
    for row in rows:
        row_langs = tuple(langs) if langs else ((row.lang,) if row.lang in available else None)
        groups.setdefault((row.kind, row_langs), []).append(row)
    done = 0
    for (kind, group_langs), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or ())):
        if kind not in index.kinds():
            raise SkillmapError(
                f"gold row {group[0].id}: the target has no concepts of kind {kind!r} "
                f"(it has: {', '.join(index.kinds())})"
            )

        column: dict[str, int] | None = None
        for first in range(0, len(group), EVALUATION_CHUNK):  # bounded memory: a chunk × concepts at a time
            chunk = group[first : first + EVALUATION_CHUNK]

            def chunk_progress(row_done: int, _total: int, offset: int = done + first) -> None:
                if progress:
                    progress(offset + row_done, len(rows))

            scores, positions = index.score_matrix(
                [r.text for r in chunk],
                kind=kind,
                langs=group_langs,
                progress=chunk_progress,
                method=method,
                text_langs=[r.lang or None for r in chunk],
                notes=notes,
            )
            if column is None:
                column = {uri: j for j, uri in enumerate(index.uris(positions))}
            for row, row_scores in zip(chunk, scores, strict=True):
                ranks = []
                for uri in row.expected:
                    j = column.get(uri)
                    if j is None:
                        missing += 1
                        continue
                    value = row_scores[j]
                    # rank = 1 + concepts scoring higher + tied concepts with a smaller URI (columns are URI-sorted)
                    ranks.append(
                        1 + int(np.count_nonzero(row_scores > value)) + int(np.count_nonzero(row_scores[:j] == value))
                    )
                totals[0] += 1.0 / min(ranks) if ranks else 0.0
                for i, k in enumerate(CUTOFFS, start=1):
                    totals[i] += sum(rank <= k for rank in ranks) / min(k, len(row.expected))
        done += len(group)
    n = len(rows)
    mrr, rp1, rp5, rp10 = (float(v) / n for v in totals)
    return EvaluationResult(
        n=n,
        mrr=mrr,
        rp_at_1=rp1,
        rp_at_5=rp5,
        rp_at_10=rp10,
        seconds=time.perf_counter() - started,
        missing_uris=missing,
        target=origin,
        method=method,
        notes=tuple(notes),
    )
