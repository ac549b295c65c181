"""Matching free text to concepts: a sparse index over every label, scored without scanning every label.

How a text is scored (see README "matching" and benchmarks/bench_matching.py for the measured quality):

* Every label (preferred, alternative, hidden; every language) is one document. A concept scores by its best
  label, so a concept with many labels is not favoured for having many.
* Two views of each label, each stored as an inverted index (feature → labels), so a query only touches the
  labels sharing a feature with it:
  - **characters**: word-bounded character n-grams (2–5), sublinear tf × idf, L2-normalised → cosine;
  - **words**: exact words (plural ``s`` dropped) and Snowball stems, with their idf → how much of the
    label's idf mass the text contains (label coverage, the signal for long sentences and short labels) and
    how much of the text's mass the label explains (query coverage). A stem-only match counts half.
* The three signals are mixed with fixed weights (no per-query normalisation, so a score means the same for
  every query); preferred labels weigh a little more than alternative and hidden ones.
* Long texts are split into statements (skillmap.text.split_statements); a concept keeps its best statement.
* The semantic matcher (skillmap.semantic, fused by skillmap.fusion) has two more views of a statement: across
  languages its clauses (skillmap.text.clauses), within a language, for sentence-like statements, the concepts'
  descriptions (a second matrix, "preferred label: first description sentence", where the index has one).
* Scores are floats in [0, 1]; ranking is by score descending, then URI ascending, so it is reproducible.

The index is a handful of numpy arrays (``.npy``, memory-mapped on load) and a small JSON file: loading it
does not parse or unpickle large Python objects, and the query path needs numpy only (no scipy, no pandas).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

import skillmap.fusion as fusion
from skillmap.errors import SkillmapError
from skillmap.model import Classification, Concept, Match, ProgressCallback
from skillmap.text import fold, light_stem, occupation_title_for_matching, split_statements, stem_words, words
from skillmap.text.clauses import split_clauses

INDEX_FORMAT = 2  # 2: per-kind bounds of every inverted list (<prefix>_kind_start/_kind_end)
NGRAM_SIZES = (2, 3, 4, 5)
_META_FILE = "match-meta.json"
_ROLES = ("pref", "alt", "hidden")
# Weights of the three signals in a label's score; the label-coverage term carries long sentences.
CHAR_WEIGHT = 0.5
COVERAGE_WEIGHT = 0.3
QUERY_COVERAGE_WEIGHT = 0.2
CHAR_MAX_DF = 0.01  # in long statements, n-grams in more than this share of the labels are skipped
SHORT_STATEMENT_WORDS = 4
CHAR_MAX_DF_SHORT = 0.1  # the same for short statements (titles)
CHAR_MIN_DF_CUTOFF = 200
PRUNE_MIN_LABELS = 50_000  # indexes with fewer labels keep every n-gram
EXACT_SHARE = 0.5  # weight of exact-word coverage against stem coverage
ROLE_FACTORS = (1.0, 0.97, 0.9)  # pref, alt, hidden: hidden labels are search variants, least reliable
BATCH_STATEMENTS = 64  # statements scored together (bounds memory: a few dense rows over all labels)
SHORT_LABEL_FACTOR = 0.5
SHORT_LABEL_CHARS = 1  # one-letter labels ("C", "R") only count fully when the text itself is about as short
METHODS = ("lexical", "semantic", "hybrid")
# Kinds whose descriptions are embedded as the description view. Skills only: the job-ad and outcome sentences it
# is for name skills, and ESCO's 3,007 occupation descriptions would add ~9 s of CPU to an import that must stay
# within 150 s (the 13,896 skill ones cost ~23 s; README "semantic-figures").
DESCRIBED_KINDS = ("skill",)


class _Statement(NamedTuple):
    """One statement to score: its text, its semantic weight, and its clauses (the clause views, or ``()``)."""

    text: str
    weight: float
    clauses: tuple[str, ...] = ()


# A hybrid search with a score floor scores semantically only the concepts that can reach the floor
# (ConceptIndex._pruned_hybrid_hits): a statement's reachable labels have their rows gathered and multiplied, or the
# statements with the most share one product with every row, whichever costs less. Costs measured on one core, in
# the time of reading one matrix row (ESCO's 99,000 skill rows: the product with 2 queries 36 ms, with 64 queries
# 96 ms; gathering and multiplying 2,600 rows 1.15 ms):
SEMANTIC_GATHER_COST = 1.3  # per label gathered
SEMANTIC_PRODUCT_QUERY_COST = 0.03  # per row and query of the product with every row (plus 1 per row)
SEMANTIC_PRUNE_MARGIN = 1e-4  # the bound is compared with the floor less this (float32 rounding of the bound)
SEMANTIC_PRUNE_MIN_ROWS = 2_048  # one query's product is made against at least this many matrix rows (see there)


@dataclass(frozen=True)
class _Strings:
    """Many strings stored as one UTF-8 buffer plus offsets: loads instantly, decodes only what is asked."""

    blob: np.ndarray  # uint8
    offsets: np.ndarray  # int64, len(strings) + 1

    @classmethod
    def from_list(cls, strings: Sequence[str]) -> _Strings:
        encoded = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __getitem__(self, i: int) -> str:
        return bytes(self.blob[self.offsets[i] : self.offsets[i + 1]]).decode("utf-8")

    def many(self, positions: Sequence[int] | np.ndarray) -> list[str]:
        text = bytes(self.blob)
        offsets = self.offsets.tolist()
        return [
            text[offsets[i] : offsets[i + 1]].decode("utf-8") for i in np.asarray(positions, dtype=np.int64).tolist()
        ]

    def __len__(self) -> int:
        return len(self.offsets) - 1


class ConceptIndex:
    """A searchable index over the labels of a :class:`Classification`.

    Build it with :meth:`build`, persist it with :meth:`save` / :meth:`load`, query it with :meth:`search`,
    :meth:`search_many` or, for evaluation, :meth:`score_matrix`.
    """

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict, semantic=None, semantic_note: str = "") -> None:
        self._a = arrays
        self._semantic = semantic  # skillmap.semantic.LabelMatrix, or None (lexical matching only)
        self._semantic_note = semantic_note  # why there is no usable semantic matrix ("" when there is one)
        self._semantic_folder: Path | None = None  # a saved matrix not read yet (see :attr:`semantic`)
        self._descriptions = None  # the description view (a LabelMatrix over concepts), or None
        self._descriptions_folder: Path | None = None  # a saved description view not read yet
        self._description_texts: list[str] = []  # per concept, the text of its description view ("": none)
        self._dense: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._batch_bits: bool | None = None  # does this machine's BLAS allow the pruned path (see there)
        self._meta = meta
        self._kinds: list[str] = meta["kinds"]
        self._langs: list[str] = meta["langs"]
        # indexes saved before collections were read have neither list nor arrays: no concept is in a collection
        self._collections: list[str] = meta.get("collections", [])
        self._digcomp: list[str] = meta.get("digcomp", [])
        self._uris = _Strings(arrays["uri_blob"], arrays["uri_offsets"])
        self._labels = _Strings(arrays["label_blob"], arrays["label_offsets"])
        self.n_concepts = len(self._uris)
        self.n_labels = len(self._labels)

    # --- building --------------------------------------------------------------------------------------

    @classmethod
    def build(cls, classification: Classification, progress: ProgressCallback | None = None) -> ConceptIndex:
        """Build the index for every label of every concept in ``classification`` (vectorised, seconds for ESCO)."""
        steps = 4
        concepts = classification.concepts
        kinds = sorted({c.kind for c in concepts})
        kind_id = {k: i for i, k in enumerate(kinds)}
        langs = sorted({label.lang for c in concepts for label in c.labels})
        lang_id = {lang: i for i, lang in enumerate(langs)}

        label_texts: list[str] = []
        label_concept: list[int] = []
        label_lang: list[int] = []
        label_role: list[int] = []
        label_start = np.zeros(len(concepts) + 1, dtype=np.int64)
        description_texts = [_description_text(c) if c.kind in DESCRIBED_KINDS else "" for c in concepts]
        for position, concept in enumerate(concepts):
            seen: set[tuple[str, str]] = set()
            # preferred labels first, so a tie between labels of one concept reports the preferred one
            for label in sorted(concept.labels, key=lambda lb: (_ROLES.index(lb.role), lb.lang, lb.text)):
                text = " ".join(label.text.split())
                if not text or (text, label.lang) in seen:
                    continue
                seen.add((text, label.lang))
                label_texts.append(text)
                label_concept.append(position)
                label_lang.append(lang_id[label.lang])
                label_role.append(_ROLES.index(label.role))
            label_start[position + 1] = len(label_texts)
        if progress:
            progress(1, steps)

        # Tokenise every label once; stem each distinct (language, word) once.
        label_words = [words(text) for text in label_texts]
        word_id: dict[str, int] = {}
        lw_rows: list[int] = []
        lw_cols: list[int] = []
        pairs: dict[tuple[int, str], None] = {}
        for row, (tokens, lang) in enumerate(zip(label_words, label_lang, strict=True)):
            for token in tokens:
                lw_rows.append(row)
                lw_cols.append(word_id.setdefault(token, len(word_id)))
                pairs[(lang, token)] = None
        if progress:
            progress(2, steps)
        stems_of: dict[tuple[int, str], str] = {}
        for lang_index, lang in enumerate(langs):
            tokens = [w for (li, w) in pairs if li == lang_index]
            stems_of.update(((lang_index, t), s) for t, s in zip(tokens, stem_words(tokens, lang), strict=True))
        light_of = {token: light_stem(token) for token in word_id}  # each distinct word once
        stem_rows, stem_terms, exact_rows, exact_terms = [], [], [], []
        for row, (tokens, lang) in enumerate(zip(label_words, label_lang, strict=True)):
            for stem in {stems_of[(lang, t)] for t in tokens}:
                stem_rows.append(row)
                stem_terms.append(stem)
            for token in {light_of[t] for t in tokens}:
                exact_rows.append(row)
                exact_terms.append(token)
        if progress:
            progress(3, steps)

        n_labels = len(label_texts)
        arrays: dict[str, np.ndarray] = {}
        uris = _Strings.from_list([c.uri for c in concepts])
        labels = _Strings.from_list(label_texts)
        arrays.update(
            uri_blob=uris.blob, uri_offsets=uris.offsets, label_blob=labels.blob, label_offsets=labels.offsets
        )
        arrays["concept_kind"] = np.array([kind_id[c.kind] for c in concepts], dtype=np.int16)
        collection_names = sorted({name for c in concepts for name in c.collections})
        arrays["concept_collections"] = _bitmasks([c.collections for c in concepts], collection_names)
        digcomp = _digcomp_touched(classification)
        digcomp_labels = sorted({label for touched in digcomp for label in touched})
        arrays["concept_digcomp"] = _bitmasks(digcomp, digcomp_labels)
        # occupation–skill relations by position, so `gap` needs no full classification load
        position_of = {c.uri: i for i, c in enumerate(concepts)}
        relations = sorted(
            (position_of[r.occupation_uri], position_of[r.skill_uri], int(r.relation == "essential"))
            for r in classification.relations
        )
        arrays["relation_occupation"] = np.array([r[0] for r in relations], dtype=np.int32)
        arrays["relation_skill"] = np.array([r[1] for r in relations], dtype=np.int32)
        arrays["relation_essential"] = np.array([r[2] for r in relations], dtype=np.int8)
        arrays["concept_label_start"] = label_start
        arrays["uri_rank"] = np.argsort(
            np.argsort(np.array([c.uri for c in concepts], dtype=object), kind="stable"), kind="stable"
        ).astype(np.int32)
        arrays["label_concept"] = np.array(label_concept, dtype=np.int32)
        arrays["label_lang"] = np.array(label_lang, dtype=np.int16)
        arrays["label_role"] = np.array(label_role, dtype=np.int8)
        arrays["label_chars"] = np.array([len(fold(t).replace(" ", "")) for t in label_texts], dtype=np.int32)
        arrays.update(
            _build_char_index(word_id, np.array(lw_rows, dtype=np.int64), np.array(lw_cols, dtype=np.int64), n_labels)
        )
        arrays.update(_build_word_index("stem", stem_rows, stem_terms, n_labels))
        arrays.update(_build_word_index("exact", exact_rows, exact_terms, n_labels))
        label_kind = arrays["concept_kind"][arrays["label_concept"]]
        for prefix in ("char", "stem", "exact"):
            arrays.update(_kind_bounds(prefix, arrays, label_kind, len(kinds)))
        meta = {
            "format": INDEX_FORMAT,
            "kinds": kinds,
            "langs": langs,
            "name": classification.name,
            "version": classification.version,
            "concepts": len(concepts),
            "labels": n_labels,
            "collections": collection_names,
            "digcomp": digcomp_labels,
        }
        if progress:
            progress(4, steps)
        index = cls(arrays, meta)
        index._description_texts = description_texts
        return index

    # --- persistence -----------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (which exists): ``match-*.npy`` arrays and ``match-meta.json``."""
        folder = Path(folder)
        for name, array in sorted(self._a.items()):
            np.save(folder / f"match-{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        (folder / _META_FILE).write_text(json.dumps(self._meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if self.semantic is not None:
            self.semantic.save(folder)
        if self.descriptions is not None:
            from skillmap.semantic import DESCRIPTION_MATRIX

            self.descriptions.save(folder, DESCRIPTION_MATRIX)

    def embed(self, progress: ProgressCallback | None = None) -> bool:
        """Compute the semantic label matrix (every distinct label text once) and, when concepts of
        ``DESCRIBED_KINDS`` have descriptions, the description view; False, with ``semantic_note`` set, when the
        model cannot be used here (the index then matches lexically)."""
        import skillmap.semantic as semantic

        try:
            encoder = semantic.load_encoder()
        except semantic.SemanticUnavailable as exc:
            self.semantic, self.semantic_note = None, exc.note
            return False
        labels = self._labels.many(range(self.n_labels))
        described = sum(1 for text in self._description_texts if text)
        total = len(labels) + described

        def step(offset: int):
            return (lambda done, _total: progress(offset + done, total)) if progress else None

        self.semantic = semantic.LabelMatrix.build(labels, encoder, step(0))
        self.descriptions = None
        if described:
            self.descriptions = semantic.LabelMatrix.build(
                self._description_texts, encoder, step(len(labels)), blank_row=True
            )
            self.descriptions.meta["view"] = "preferred label: first sentence of the description"
            self.semantic.meta["descriptions"] = described
        self.semantic_note = ""
        return True

    @property
    def descriptions(self):
        """The description view (:class:`skillmap.semantic.LabelMatrix` with one row per concept), or None when the
        index has none (imported before descriptions were read, a taxonomy without them, a damaged file): then
        matching uses the labels alone."""
        if self._descriptions_folder is not None:
            import skillmap.semantic as semantic

            folder, self._descriptions_folder = self._descriptions_folder, None
            try:
                self._descriptions = semantic.LabelMatrix.load(folder, self.n_concepts, semantic.DESCRIPTION_MATRIX)
            except semantic.SemanticUnavailable:
                self._descriptions = None
        return self._descriptions

    @descriptions.setter
    def descriptions(self, matrix) -> None:
        self._descriptions, self._descriptions_folder = matrix, None

    @property
    def semantic(self):
        """The semantic label matrix (:class:`skillmap.semantic.LabelMatrix`), or None: lexical matching only.

        A loaded index reads its matrix here, on first use, so lexical matching never touches the semantic part
        (neither the matrix nor the model package). A damaged matrix leaves the index lexical with
        :attr:`semantic_note` saying why; one made by another model version raises :class:`SkillmapError`.
        """
        if self._semantic_folder is not None:
            folder, self._semantic_folder = self._semantic_folder, None
            self._semantic, self._semantic_note = _read_semantic(folder, self.n_labels)
        return self._semantic

    @semantic.setter
    def semantic(self, matrix) -> None:
        self._semantic, self._semantic_folder = matrix, None

    @property
    def semantic_note(self) -> str:
        """Why the index has no usable semantic matrix (``""`` when it has one)."""
        if self._semantic_folder is not None:
            _ = self.semantic
        return self._semantic_note

    @semantic_note.setter
    def semantic_note(self, note: str) -> None:
        self._semantic_note = note

    @classmethod
    def load(cls, folder: Path) -> ConceptIndex:
        """Load an index written by :meth:`save` (arrays are memory-mapped, so loading costs milliseconds).

        The semantic matrix, when the folder has one, is read on first use of :attr:`semantic`.
        """
        folder = Path(folder)
        try:
            meta = json.loads((folder / _META_FILE).read_text(encoding="utf-8"))
            if meta.get("format") != INDEX_FORMAT:
                raise SkillmapError(f"the match index in {folder} has an unknown format; re-run `skillmap esco import`")
            arrays = {
                path.name[len("match-") : -len(".npy")]: np.load(path, mmap_mode="r", allow_pickle=False).view(
                    np.ndarray
                )
                for path in folder.glob("match-*.npy")
            }
        except (OSError, ValueError, KeyError) as exc:
            raise SkillmapError(
                f"the match index in {folder} is unreadable ({exc}); re-run `skillmap esco import`"
            ) from exc
        index = cls(arrays, meta)
        index._semantic_folder = index._descriptions_folder = folder
        return index

    # --- introspection ---------------------------------------------------------------------------------

    @property
    def default_method(self) -> str:
        """``hybrid`` when the index has a usable semantic matrix, else ``lexical``."""
        return "hybrid" if self.semantic is not None else "lexical"

    def resolve_method(self, method: str | None, notes: list[str] | None = None) -> str:
        """The matching method to use for ``method`` (None: :attr:`default_method`); raises :class:`SkillmapError`
        for an unknown method, or for ``semantic``/``hybrid`` when the index has no usable semantic matrix.
        When the default falls back to lexical, why (:attr:`semantic_note`) is appended to ``notes``."""
        if method is None:
            if notes is not None and self.default_method == "lexical" and self.semantic_note:
                notes.append(self.semantic_note)
            return self.default_method
        method = method.strip().lower()
        if method not in METHODS:
            raise SkillmapError(f"unknown matching method {method!r}; use one of {', '.join(METHODS)}")
        if method != "lexical" and self.semantic is None:
            raise SkillmapError(
                f"the {method} matcher is not available: {self.semantic_note or 'no semantic matrix'}; "
                "match with the lexical method",
                hint="method",
            )
        return method

    def kinds(self) -> list[str]:
        """Return the concept kinds present, sorted."""
        return list(self._kinds)

    def languages(self) -> list[str]:
        """Return the label languages present, sorted."""
        return list(self._langs)

    def collections(self) -> list[str]:
        """Return the ESCO collections some concept of the index is in, sorted (empty for older indexes)."""
        return list(self._collections)

    def has_relations(self) -> bool:
        """True when the index holds occupation–skill relations (indexes saved before they were kept: False)."""
        return "relation_occupation" in self._a and len(self._a["relation_occupation"]) > 0

    def find(self, uri: str) -> int | None:
        """The position of the concept ``uri`` (concepts are sorted by URI), or None."""
        rank = np.asarray(self._a["uri_rank"])
        order = np.argsort(rank, kind="stable") if not np.all(rank[:-1] < rank[1:]) else None
        lo, hi = 0, self.n_concepts
        while lo < hi:
            mid = (lo + hi) // 2
            position = int(order[mid]) if order is not None else mid
            if self._uris[position] < uri:
                lo = mid + 1
            else:
                hi = mid
        if lo < self.n_concepts:
            position = int(order[lo]) if order is not None else lo
            if self._uris[position] == uri:
                return position
        return None

    def kind_of(self, position: int) -> str:
        """The kind of the concept at ``position``."""
        return self._kinds[int(self._a["concept_kind"][position])]

    def skills_of(self, occupation: int) -> list[tuple[int, str]]:
        """(skill position, ``essential``/``optional``) of the occupation at position ``occupation``, by position."""
        if "relation_occupation" not in self._a:
            return []
        occupations = np.asarray(self._a["relation_occupation"])
        lo, hi = np.searchsorted(occupations, occupation, "left"), np.searchsorted(occupations, occupation, "right")
        skills = np.asarray(self._a["relation_skill"][lo:hi]).tolist()
        essential = np.asarray(self._a["relation_essential"][lo:hi]).tolist()
        return [(s, "essential" if e else "optional") for s, e in zip(skills, essential, strict=True)]

    def labels_of(self, position: int) -> list[tuple[str, str, str]]:
        """(text, lang, role) of every label of the concept at ``position``, preferred first."""
        start, end = (int(x) for x in self._a["concept_label_start"][position : position + 2])
        roles = np.asarray(self._a["label_role"][start:end]).tolist()
        langs = np.asarray(self._a["label_lang"][start:end]).tolist()
        return [(self._labels[start + i], self._langs[langs[i]], _ROLES[roles[i]]) for i in range(end - start)]

    def with_label(self, text: str, kind: str) -> tuple[list[int], list[int]]:
        """Positions of the concepts of ``kind`` with a preferred label / any label equal to ``text`` (any case)."""
        positions = self.concept_positions(kind)
        if not len(positions):
            return [], []
        starts = np.asarray(self._a["concept_label_start"])
        label_rows = np.concatenate([np.arange(starts[p], starts[p + 1]) for p in positions.tolist()])
        wanted = text.casefold()
        owners = np.asarray(self._a["label_concept"])[label_rows].tolist()
        roles = np.asarray(self._a["label_role"])[label_rows].tolist()
        pref: dict[int, None] = {}
        any_role: dict[int, None] = {}
        for owner, role, label in zip(owners, roles, self._labels.many(label_rows), strict=True):
            if label.casefold() == wanted:
                any_role[owner] = None
                if role == 0:
                    pref[owner] = None
        return list(pref), list(any_role)

    def pref_label(self, position: int, lang: str = "en") -> str:
        """The preferred label of the concept at ``position`` in ``lang`` (else English, else any)."""
        return self._pref_label(position, lang, [lang])

    def concept_collections(self, position: int) -> tuple[str, ...]:
        """The collections of the concept at ``position``, sorted."""
        return _names_of(self._a, "concept_collections", position, self._collections)

    def concept_digcomp(self, position: int) -> tuple[str, ...]:
        """Labels of the DigComp concepts the concept at ``position`` is or falls under, sorted."""
        return _names_of(self._a, "concept_digcomp", position, self._digcomp)

    def uri(self, position: int) -> str:
        """Return the URI of the concept at ``position`` (the order of :meth:`score_matrix` columns)."""
        return self._uris[position]

    def uris(self, positions: Sequence[int] | np.ndarray) -> list[str]:
        """Return the URIs of the concepts at ``positions`` (decoded in one pass)."""
        return self._uris.many(positions)

    def concept_positions(self, kind: str | None) -> np.ndarray:
        """Return the positions of the concepts of ``kind`` (all when None), in URI order."""
        a = self._a
        if kind is None:
            positions = np.arange(self.n_concepts)
        else:
            if kind not in self._kinds:
                return np.zeros(0, dtype=np.int64)
            positions = np.flatnonzero(np.asarray(a["concept_kind"]) == self._kinds.index(kind))
        return positions[np.argsort(np.asarray(a["uri_rank"])[positions], kind="stable")]

    # --- searching -------------------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        kind: str | None = "skill",
        langs: Sequence[str] | None = None,
        top: int = 10,
        min_score: float = 0.0,
        collection: str | None = None,
        method: str | None = None,
        notes: list[str] | None = None,
    ) -> list[Match]:
        """Rank concepts of ``kind`` for ``text``; best first, ties by ascending URI.

        ``langs`` restricts the labels (and the stemmers used for the text) to these languages; None uses every
        language of the index. ``collection`` keeps only concepts of that ESCO collection (``digital``…).
        The text's language is detected (else taken as the first of ``langs``); a
        language of ``langs`` that the index has no labels in is taken as the text's language and matched
        across languages.
        ``method`` is ``lexical``, ``semantic`` or ``hybrid`` (None: :attr:`default_method`). A text in a
        language the labels are not in is ranked by the semantic scorer (hybrid). A long text is split into
        statements; each hit names its statement and the signals that scored it. Notes for the user (a
        language without labels, a model that does not cover it) are appended to ``notes``.
        """
        return self.search_many(
            [text],
            kind=kind,
            langs=langs,
            top=top,
            min_score=min_score,
            method=method,
            notes=notes,
            collection=collection,
        )[0]

    def prepare_search(
        self,
        count: int,
        *,
        kinds: Sequence[str | None],
        langs: Sequence[str] | None = None,
        method: str | None = None,
    ) -> None:
        """Ready the index for ``count`` texts to be searched in many :meth:`search_many` calls of ``kinds``:
        with the semantic matcher and from ``semantic.PREFIX_DICT_MIN_TEXTS`` texts on, the encoder's dict table and
        each kind's float32 label vectors are made now, once, so processes forked afterwards share them instead of
        each making its own. Results do not change; it only saves time."""
        import skillmap.semantic as semantic

        if count < semantic.PREFIX_DICT_MIN_TEXTS or self.resolve_method(method) == "lexical":
            return
        semantic.load_encoder().expect(count)
        for kind in kinds:
            self._dense_window(self._scorer(kind, self.plan([], langs=langs, method=method).label_langs))
        self._pruning_allowed()  # once, in the parent: the forked workers inherit the answer

    def search_many(
        self,
        texts: Sequence[str],
        *,
        kind: str | None = "skill",
        langs: Sequence[str] | None = None,
        top: int = 10,
        min_score: float = 0.0,
        collection: str | None = None,
        method: str | None = None,
        text_langs: Sequence[str | None] | None = None,
        notes: list[str] | None = None,
    ) -> list[list[Match]]:
        """Batch version of :meth:`search` (one result list per text, in input order).

        ``text_langs`` gives each text's language (else it is taken from ``langs`` or detected).
        Each distinct statement is scored once (rows of a spreadsheet repeat titles and outcomes), in batches of
        a few dense rows over the labels (bounding memory), and keeps only its ``top`` concepts and their ties.
        That is exact: a concept outside the top of the statement where it scores best has ``top`` concepts
        scoring strictly more in that statement, so it cannot be in its text's top either.
        """
        plan = self.plan(texts, langs=langs, method=method, text_langs=text_langs, notes=notes, kind=kind)
        scorer = self._scorer(kind, plan.label_langs, collection)
        statements = [split_statements(text) if text and text.strip() else [] for text in texts]
        if top <= 0:
            return [[] for _ in statements]
        scored = [
            self._statements(text_statements, weight, lang)
            for text_statements, weight, lang in zip(
                plan.statements(texts, kind), plan.weights, plan.text_langs, strict=True
            )
        ]  # what is scored; hits name the statements as written
        distinct = dict.fromkeys(statement for text_statements in scored for statement in text_statements)
        # statements with clause views (across languages) are batched apart, so that the others keep the pruned path
        groups = [[st for st in distinct if not st.clauses], [st for st in distinct if st.clauses]]
        pending = [*groups[0], *groups[1]]
        batches = [
            group[first : first + BATCH_STATEMENTS]
            for group in groups
            for first in range(0, len(group), BATCH_STATEMENTS)
        ]
        hits: list[_ConceptHits] = []
        for batch in batches:
            lexical = self._lexical_label_scores(batch, scorer)
            weights = np.array([st.weight for st in batch], dtype=np.float32)[:, None]
            if not weights.any():  # lexical only: the best labels give the top concepts directly
                for label_row in lexical:
                    found = self._top_hits(label_row, scorer, top, min_score)
                    hits.append(replace(found, signals={"lexical": found.scores}))
                continue
            lexical_c = self._concept_scores(lexical, scorer)
            pruned = self._pruned_hybrid_hits(batch, lexical, lexical_c, scorer, top, min_score)
            if pruned is not None:
                hits.extend(pruned)
                continue
            semantic, described = self._semantic_views(batch, scorer, lexical.shape)
            semantic_c = self._semantic_concept_scores(semantic, described, scorer, weights)
            fused_c = (1.0 - weights) * lexical_c + weights * semantic_c
            for row in range(len(batch)):
                hits.append(
                    self._top_fused(
                        row, fused_c, lexical_c, semantic_c, lexical, semantic, batch, scorer, top, min_score, described
                    )
                )
        by_statement = dict(zip(pending, hits, strict=True))
        return [
            self._matches(st, [by_statement[s] for s in sc], scorer, top)
            for st, sc in zip(statements, scored, strict=True)
        ]

    def plan(
        self,
        texts: Sequence[str],
        *,
        langs: Sequence[str] | None = None,
        method: str | None = None,
        text_langs: Sequence[str | None] | None = None,
        notes: list[str] | None = None,
        kind: str | None = None,
    ) -> MatchPlan:
        """Decide how ``texts`` are matched: the label languages, the method, each text's semantic weight.

        A text in a language the labels are in (or of unknown language) gets the same-language weight (for
        ``kind`` occupation, the titles' one), a text in another language the cross-language one (see
        :mod:`skillmap.fusion`); a language the semantic model does not cover is matched lexically. What the user
        should know goes into ``notes`` (once each).
        """
        from skillmap.languages import detect_language, language_name

        method = self.resolve_method(method)
        said: list[str] = notes if notes is not None else []

        def note(line: str) -> None:
            if line not in said:
                said.append(line)

        label_langs: list[str] | None = None
        stated: str | None = None
        lexical = method == "lexical"  # then the semantic part is never read (a query stays as fast as before it)
        covered = set() if lexical else set(self.semantic_languages())
        known_note = self._semantic_note if self._semantic_folder is None else ""
        if langs:
            known = [lang for lang in langs if lang in self._langs]
            unknown = [lang for lang in langs if lang not in self._langs]
            uncovered = [lang for lang in unknown if lang.split("-")[0] not in covered]
            if unknown and (lexical or self.semantic is None or uncovered):
                model = "" if lexical or self.semantic is None else " nor does the semantic model cover it"
                raise SkillmapError(
                    f"the index has no labels in {', '.join(uncovered or unknown)}{model}; "
                    f"it has: {', '.join(self._langs) or 'none'}"
                    + (f" (and {known_note})" if known_note else "")
                    + "; match with the hybrid method and the semantic model, or import ESCO in that language",
                    hint="method",
                )
            if unknown:
                stated = unknown[0]
                note(
                    f"the index has no {', '.join(unknown)} labels: matching its {', '.join(known or self._langs)} "
                    "labels across languages (semantic)"
                )
            label_langs = known or None
        used = {lang.split("-")[0] for lang in (label_langs or self._langs)}
        weights: list[float] = []
        detected: list[str | None] = []
        crossing: list[bool] = []
        for position, text in enumerate(texts):
            if text_langs is not None:
                lang = text_langs[position] or None
            elif stated:  # languages asked for that the index lacks: the text's language, as the user says
                lang = stated
            else:
                lang = detect_language(text) or (langs[0] if langs else None)
            base = lang.split("-")[0] if lang else None
            detected.append(base)
            cross = base is not None and base not in used
            crossing.append(cross)
            if method == "lexical":
                weight = 0.0
                if cross:
                    note(
                        f"texts look {language_name(base)} ({base}); the index has {', '.join(sorted(used))} labels: "
                        "import ESCO in that language, or use the semantic matcher"
                        + (f" ({known_note})" if known_note else "")
                    )
            elif method == "semantic":
                weight = 1.0
            elif base is not None and base not in covered:
                weight = 0.0
                note(
                    f"texts look {language_name(base)} ({base}), a language the semantic model does not cover: "
                    "lexical scores only" + (f"; the index has {', '.join(sorted(used))} labels" if cross else "")
                )
            else:
                weight = fusion.semantic_weight(cross, kind)
                if cross and not stated:
                    note(
                        f"texts look {language_name(base)} ({base}); the index has {', '.join(sorted(used))} labels: "
                        "matched across languages by the semantic matcher (weaker than matching labels in the "
                        "text's language; import ESCO in that language for better matches)"
                    )
            weights.append(weight)
        only = next(iter(used)) if len(used) == 1 else None  # a text of unknown language is read as in the labels'
        return MatchPlan(label_langs, method, weights, detected, crossing, only)

    def semantic_languages(self) -> list[str]:
        """The languages the semantic model was trained on (empty without a semantic matrix)."""
        if self.semantic is None:
            return []
        from skillmap.semantic import model_spec

        return list(model_spec().languages)

    def score_matrix(
        self,
        texts: Sequence[str],
        *,
        kind: str | None,
        langs: Sequence[str] | None = None,
        progress: ProgressCallback | None = None,
        method: str | None = None,
        text_langs: Sequence[str | None] | None = None,
        notes: list[str] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Score every concept of ``kind`` for every text: ``(scores, positions)``.

        ``scores`` is a float32 array (texts × concepts) whose columns are the concepts at ``positions``
        (URI order, so a stable sort of a row breaks ties by URI). Used by :mod:`skillmap.evaluate`.
        ``method``, ``text_langs`` and ``notes`` are as for :meth:`search_many`.
        """
        plan = self.plan(texts, langs=langs, method=method, text_langs=text_langs, notes=notes, kind=kind)
        scorer = self._scorer(kind, plan.label_langs)
        positions = self.concept_positions(kind)
        out = np.zeros((len(texts), len(positions)), dtype=np.float32)
        row = 0
        for batch in self._batches(plan.statements(texts, kind), plan.weights, plan.text_langs, scorer):
            for best in batch:
                full = np.zeros(self.n_concepts, dtype=np.float32)
                full[scorer.concept_lo : scorer.concept_hi] = best
                out[row] = full[positions]
                row += 1
            if progress:
                progress(row, len(texts))
        return out, positions

    # --- internals -------------------------------------------------------------------------------------

    def _statements(self, statements: Sequence[str], weight: float, lang: str | None) -> list[_Statement]:
        """A text's statements (as :meth:`MatchPlan.statements` reads them), each with its semantic weight and,
        where they are used (:func:`fusion.clause_views`), its clauses in the text's language ``lang``."""
        with_clauses = bool(fusion.clause_views(np.array([weight]))[0])
        return [_Statement(s, weight, split_clauses(s, lang) if with_clauses else ()) for s in statements]

    def _label_scores(
        self, batch: Sequence[_Statement], scorer: _Scorer
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(lexical, semantic, described) scores of statements over the window: label scores, semantic ones None
        when no weight is above 0 (and zero in the rows whose weight is 0); ``described`` is the description view's
        concept scores (statements × concepts of the window, zero where it is not used), or None when no statement
        uses it."""
        lexical = self._lexical_label_scores(batch, scorer)
        if not any(st.weight > 0 for st in batch):
            return lexical, None, None
        return (lexical, *self._semantic_views(batch, scorer, lexical.shape))

    @staticmethod
    def _lexical_label_scores(batch: Sequence[_Statement], scorer: _Scorer) -> np.ndarray:
        """Lexical label scores (statements × labels of the window); zero for statements of weight 1."""
        return scorer.score([scorer.prepare(st.text) if st.weight < 1.0 else None for st in batch])

    def _semantic_views(
        self, batch: Sequence[_Statement], scorer: _Scorer, shape: tuple[int, int]
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """(semantic label scores, zero where the weight is 0; the description view's concept scores or None) of
        the statements over the window (see :meth:`_label_scores`)."""
        weights = np.array([st.weight for st in batch], dtype=np.float32)
        semantic = np.zeros(shape, dtype=np.float32)
        wanted = np.flatnonzero(weights > 0)
        scores, vectors = self._semantic_label_scores([batch[i] for i in wanted.tolist()], scorer, weights[wanted])
        semantic[wanted] = scores
        return semantic, self._described(batch, wanted, vectors, scorer)

    def _described(
        self, batch: Sequence[_Statement], wanted: np.ndarray, vectors: np.ndarray, scorer: _Scorer
    ) -> np.ndarray | None:
        """The description view's concept scores (statements × concepts of the window, zero for statements that do
        not use it), or None when none does; ``vectors`` are those of the statements ``wanted``."""
        if self.descriptions is None or not len(wanted):
            return None
        weights = np.array([batch[i].weight for i in wanted.tolist()], dtype=np.float32)
        use = fusion.description_view(weights, np.array([len(batch[i].text.split()) for i in wanted.tolist()]))
        if not use.any():
            return None
        described = np.zeros((len(batch), scorer.concept_hi - scorer.concept_lo), dtype=np.float32)
        described[wanted[use]] = self._description_scores(vectors[use], scorer)
        return described

    def _fused_concepts(self, batch: Sequence[_Statement], scorer: _Scorer) -> np.ndarray:
        """Hybrid concept scores (statements × concepts of the window): ``(1 - w) lexical + w semantic``."""
        lexical, semantic, described = self._label_scores(batch, scorer)
        lexical_c = self._concept_scores(lexical, scorer)
        if semantic is None:
            return lexical_c
        weights = np.array([st.weight for st in batch], dtype=np.float32)[:, None]
        return (1.0 - weights) * lexical_c + weights * self._semantic_concept_scores(
            semantic, described, scorer, weights
        )

    def _semantic_concept_scores(
        self, semantic: np.ndarray, described: np.ndarray | None, scorer: _Scorer, weights: np.ndarray
    ) -> np.ndarray:
        """Concept semantic scores from the label scores and, where used, the description view: each concept
        keeps its best view (:data:`fusion.SENTENCE_MIN_WORDS`)."""
        scores = self._concept_scores(semantic, scorer, weights)
        if described is not None:
            np.maximum(scores, described, out=scores)
        return scores

    def _description_scores(self, vectors: np.ndarray, scorer: _Scorer) -> np.ndarray:
        """Rescaled cosines (statements × concepts of the window) of statement vectors with the concepts'
        description view; zero for concepts without a description or without a label that the scorer keeps."""
        assert self.descriptions is not None
        cosines = self.descriptions.similarities(vectors, slice(scorer.concept_lo, scorer.concept_hi))
        starts = self._window_starts(scorer)
        has = starts[1:] > starts[:-1]
        kept = np.zeros(len(has), dtype=bool)
        if has.any():
            kept[has] = np.maximum.reduceat(np.asarray(scorer.label_factor), starts[:-1][has]) > 0
        described = np.asarray(self.descriptions.label_row[scorer.concept_lo : scorer.concept_hi]) > 0
        return (fusion.semantic_score(cosines) * (kept & described)).astype(np.float32)

    def _top_fused(
        self,
        row: int,
        fused_c: np.ndarray,
        lexical_c: np.ndarray,
        semantic_c: np.ndarray,
        lexical: np.ndarray,
        semantic: np.ndarray,
        batch: Sequence[_Statement],
        scorer: _Scorer,
        top: int,
        min_score: float,
        described: np.ndarray | None = None,
    ) -> _ConceptHits:
        """The ``top`` concepts of one statement by hybrid score (with the ties of the last), each with the label
        scoring best on the same mix and the concept's score per signal (``description`` too where the statement
        used the description view, ``described``)."""
        values = fused_c[row]
        scored = np.flatnonzero((values > 0) & (values >= min_score))
        if len(scored) > top:
            kth = np.partition(values[scored], len(scored) - top)[len(scored) - top]
            scored = scored[values[scored] >= kth]
        weight = batch[row].weight
        start = np.asarray(self._a["concept_label_start"])
        labels = np.zeros(len(scored), dtype=np.int64)
        for i, concept in enumerate((scored + scorer.concept_lo).tolist()):
            lo = max(int(start[concept]) - scorer.lo, 0)
            hi = min(int(start[concept + 1]) - scorer.lo, scorer.width)
            mix = (1.0 - weight) * lexical[row, lo:hi] + weight * semantic[row, lo:hi]
            labels[i] = scorer.lo + lo + int(np.argmax(mix))
        used = described is not None and described[row].any()  # the statement was matched against descriptions
        signals = _hit_signals(semantic_c[row], lexical_c[row], described[row] if used else None, weight, scored)
        return _ConceptHits(scored + scorer.concept_lo, values[scored], labels, signals)

    def _semantic_label_scores(
        self, statements: list[_Statement], scorer: _Scorer, weights: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rescaled semantic scores (float32, statements × labels of the window), zero outside kind/languages, and
        the statements' vectors. ``weights`` (each statement's semantic weight) decide the preferred-label bonus
        (:mod:`skillmap.fusion`); a statement with clauses mixes in its best clause's scores
        (:func:`fusion.with_clause_views`)."""
        from skillmap.semantic import load_encoder

        clauses = [clause for st in statements for clause in st.clauses]
        owners = np.repeat(np.arange(len(statements)), [len(st.clauses) for st in statements])
        vectors = load_encoder().encode([st.text for st in statements] + clauses)
        scores = self._rescaled_cosines(vectors, scorer, np.concatenate([weights, weights[owners]]))
        whole = scores[: len(statements)]
        if clauses:
            best = np.zeros_like(whole)
            np.maximum.at(best, owners, scores[len(statements) :])
            has = np.unique(owners)
            whole[has] = fusion.with_clause_views(whole[has], best[has])
        return whole, vectors[: len(statements)]

    def _rescaled_cosines(self, vectors: np.ndarray, scorer: _Scorer, weights: np.ndarray) -> np.ndarray:
        """Rescaled semantic scores of query vectors with the labels of the window (see
        :meth:`_semantic_label_scores`)."""
        from skillmap.semantic import load_encoder

        dense, inverse = self._dense_window(scorer)
        with load_encoder().one_blas_thread():
            cosines = (vectors @ dense.T)[:, inverse]
        bonus = fusion.preferred_label_bonus(weights)
        if bonus.any():
            cosines += bonus[:, None] * (np.asarray(self._a["label_role"][scorer.lo : scorer.hi]) == 0)
        return (fusion.semantic_score(cosines) * scorer.label_factor).astype(np.float32)

    def _dense_window(self, scorer: _Scorer) -> tuple[np.ndarray, np.ndarray]:
        """(float32 vectors of the distinct matrix rows of the scorer's window, each window label's row in them):
        made once per process and window, reused by every batch."""
        key = (scorer.lo, scorer.hi)
        if key not in self._dense:
            assert self.semantic is not None
            rows, inverse = np.unique(np.asarray(self.semantic.label_row[scorer.lo : scorer.hi]), return_inverse=True)
            self._dense[key] = (self.semantic.dense(rows), inverse)
        return self._dense[key]

    def _pruning_allowed(self) -> bool:
        """Whether this machine's BLAS lets the pruned hybrid path give the full path's bits (asked once per index)."""
        if self._batch_bits is None:
            self._batch_bits = blas_gives_batch_bits()
        return self._batch_bits

    def _pruned_hybrid_hits(
        self,
        batch: Sequence[_Statement],
        lexical: np.ndarray,
        lexical_c: np.ndarray,
        scorer: _Scorer,
        top: int,
        min_score: float,
    ) -> list[_ConceptHits] | None:
        """The hits of :meth:`_top_fused` for every statement of ``batch``, with the semantic score computed only for
        the concepts that can reach ``min_score``; None without a floor, with a single statement, or when a statement
        has clause views (they are used across languages, where every concept can reach the floor anyway).

        A semantic score is at most 1, so a concept's hybrid score is at most ``(1 - w) lexical + w``: within a
        language (w = 0.3) and with a score floor of 0.4 (``align``), only concepts with a lexical score of 0.14 or
        more can reach it, a few hundred of ESCO's 14,000 skills. A statement with few such labels has their rows
        gathered and multiplied (``rows @ [q, q].T``, at least SEMANTIC_PRUNE_MIN_ROWS rows); the others share one
        product with every row (``dense @ queries.T``). Both are the shapes for which OpenBLAS gives every element
        the bits of the batch product ``queries @ dense.T`` of the full path (a test checks it), and the rest is the
        same arithmetic on fewer labels, so the hits are those of the full computation, bit for bit. The description
        view is scored as in the full path (the same call on the same vectors): a score of at most 1 too, it keeps the
        bound, and each reachable concept keeps the better of its two views.
        """
        weights = np.array([st.weight for st in batch], dtype=np.float32)
        wanted = np.flatnonzero(weights > 0)
        if min_score <= 0 or len(wanted) < 2 or any(st.clauses for st in batch):
            return None  # (one statement: the full product is a matrix-vector one, with other bits)
        if not self._pruning_allowed():
            return None  # another CPU's kernels: the pruned products would differ in the last bits
        share = fusion.second_label_share(weights)
        noisy_or = bool(share.any())  # as for the whole batch in the full path
        w = weights[:, None]
        reachable = (1.0 - w) * lexical_c + w >= min_score - SEMANTIC_PRUNE_MARGIN
        starts = self._window_starts(scorer)
        sizes = np.diff(starts)
        reachable &= sizes > 0
        from skillmap.semantic import load_encoder

        encoder = load_encoder()
        vectors = encoder.encode([batch[i].text for i in wanted.tolist()])  # the same call as the full path
        described = self._described(batch, wanted, vectors, scorer)
        dense, inverse = self._dense_window(scorer)
        bonus = fusion.preferred_label_bonus(weights[wanted])
        role_is_pref = np.asarray(self._a["label_role"][scorer.lo : scorer.hi]) == 0
        n_labels = (reachable[wanted] * sizes).sum(axis=1)
        gathered = np.ones(len(wanted), dtype=bool)
        if len(dense) >= SEMANTIC_PRUNE_MIN_ROWS:  # (a small index, the sample: every statement's rows are gathered)
            gathered[_shared_product_rows(n_labels, len(dense))] = False
        vector_of = {int(i): j for j, i in enumerate(wanted.tolist())}
        shared = np.flatnonzero(~gathered)  # positions in ``wanted`` of the statements scored against every row
        with encoder.one_blas_thread():
            queries = vectors[shared] if len(shared) > 1 else np.repeat(vectors[shared], 2, axis=0)
            every_row = dense @ queries.T if len(shared) else None
        column_of = {int(j): k for k, j in enumerate(shared.tolist())}
        rows_buffer = np.zeros((SEMANTIC_PRUNE_MIN_ROWS, dense.shape[1]), dtype=np.float32)
        matrix = self.semantic
        matrix_row_of = np.asarray(matrix.label_row[scorer.lo : scorer.hi])
        out = []
        for row, statement in enumerate(batch):
            weight = statement.weight
            concepts = np.flatnonzero(reachable[row])
            lengths = sizes[concepts]
            local_starts = np.cumsum(lengths) - lengths
            columns = np.repeat(starts[concepts] - local_starts, lengths) + np.arange(int(lengths.sum()))
            semantic = np.zeros(len(columns), dtype=np.float32)
            if row in vector_of and len(columns):
                j = vector_of[row]
                if j in column_of:
                    cosines = every_row[inverse[columns], column_of[j]]
                else:
                    # the rows as the float32 copy has them (int8 × scale), made from the int8 matrix: a quarter
                    # of the bytes to gather (2,600 rows: 1.14 ms instead of 1.45 with the product)
                    matrix_rows = matrix_row_of[columns]
                    if len(columns) < SEMANTIC_PRUNE_MIN_ROWS:  # padded with other rows (each element is its own)
                        used = rows_buffer
                        np.multiply(
                            matrix.vectors[matrix_rows], matrix.scale[matrix_rows][:, None], out=used[: len(columns)]
                        )
                    else:
                        used = matrix.vectors[matrix_rows].astype(np.float32)
                        used *= matrix.scale[matrix_rows][:, None]
                    with encoder.one_blas_thread():
                        cosines = (used @ np.repeat(vectors[j : j + 1], 2, axis=0).T)[: len(columns), 0]
                if bonus.any():
                    cosines += bonus[j] * role_is_pref[columns]
                semantic = (fusion.semantic_score(cosines) * scorer.label_factor[columns]).astype(np.float32)
            semantic_c = fusion.concept_semantic_scores(
                semantic[None, :], local_starts, share[row : row + 1], noisy_or
            )[0]
            if described is not None:
                np.maximum(semantic_c, described[row, concepts], out=semantic_c)
            lexical_c_row = lexical_c[row, concepts]
            values = (1.0 - w[row]) * lexical_c_row + w[row] * semantic_c
            scored = np.flatnonzero((values > 0) & (values >= min_score))
            if len(scored) > top:
                kth = np.partition(values[scored], len(scored) - top)[len(scored) - top]
                scored = scored[values[scored] >= kth]
            labels = np.zeros(len(scored), dtype=np.int64)
            for i, at in enumerate(scored.tolist()):
                lo, hi = int(local_starts[at]), int(local_starts[at] + lengths[at])
                first = int(columns[lo])
                mix = (1.0 - weight) * lexical[row, first : first + hi - lo] + weight * semantic[lo:hi]
                labels[i] = scorer.lo + first + int(np.argmax(mix))
            used = described is not None and described[row].any()
            described_row = described[row, concepts] if used else None
            signals = _hit_signals(semantic_c, lexical_c_row, described_row, weight, scored)
            out.append(_ConceptHits(concepts[scored] + scorer.concept_lo, values[scored], labels, signals))
        return out

    def _batches(
        self, texts: Sequence[list[str]], weights: Sequence[float], langs: Sequence[str | None], scorer: _Scorer
    ):
        """Yield, per batch of texts (each given as its statements), each text's best score per concept of the
        scorer's window, in order.

        Texts are grouped until a batch holds BATCH_STATEMENTS statements; a text with more statements than
        that is scored alone, chunk by chunk, so memory stays bounded whatever the input.
        """
        pending: list[list[_Statement]] = []
        count = 0
        for text, weight, lang in zip(texts, weights, langs, strict=True):
            statements = self._statements(text, weight, lang)
            if len(statements) > BATCH_STATEMENTS:
                if pending:
                    yield self._score_texts(pending, scorer)
                    pending, count = [], 0
                yield [self._score_long_text(statements, scorer)]
                continue
            pending.append(statements)
            count += len(statements)
            if count >= BATCH_STATEMENTS:
                yield self._score_texts(pending, scorer)
                pending, count = [], 0
        if pending:
            yield self._score_texts(pending, scorer)

    def _score_texts(self, texts: list[list[_Statement]], scorer: _Scorer) -> list[np.ndarray]:
        concept_scores = self._fused_concepts([s for statements in texts for s in statements], scorer)
        out, start = [], 0
        for statements in texts:
            end = start + len(statements)
            rows = concept_scores[start:end]
            out.append(rows.max(axis=0) if len(statements) else np.zeros(rows.shape[1], dtype=np.float32))
            start = end
        return out

    def _score_long_text(self, statements: list[_Statement], scorer: _Scorer) -> np.ndarray:
        best = np.zeros(scorer.concept_hi - scorer.concept_lo, dtype=np.float32)
        for first in range(0, len(statements), BATCH_STATEMENTS):
            concept_scores = self._fused_concepts(statements[first : first + BATCH_STATEMENTS], scorer)
            np.maximum(best, concept_scores.max(axis=0), out=best)
        return best

    def _window_starts(self, scorer: _Scorer) -> np.ndarray:
        """Where each concept of the scorer's window starts among the window's labels (one more entry: the end);
        a concept whose labels are all outside the window has an empty range."""
        window = np.asarray(self._a["concept_label_start"][scorer.concept_lo : scorer.concept_hi + 1])
        return np.clip(window - scorer.lo, 0, scorer.width)

    def _concept_scores(
        self, label_scores: np.ndarray, scorer: _Scorer, weights: np.ndarray | None = None
    ) -> np.ndarray:
        """Per statement, the score of the concepts scorer.concept_lo…concept_hi from their labels' scores
        (labels are grouped by concept): the best label's for lexical scores; for semantic ones (``weights``:
        each statement's semantic weight) :func:`fusion.concept_semantic_scores`."""
        starts = self._window_starts(scorer)
        has = starts[1:] > starts[:-1]
        scores = np.zeros((label_scores.shape[0], scorer.concept_hi - scorer.concept_lo), dtype=np.float32)
        if scorer.width and label_scores.shape[0]:
            if weights is not None:
                share = fusion.second_label_share(weights.reshape(-1))
                scores[:, has] = fusion.concept_semantic_scores(label_scores, starts[:-1][has], share)
            else:
                scores[:, has] = np.maximum.reduceat(label_scores, starts[:-1][has], axis=1)
        return scores

    def _scorer(self, kind: str | None, langs: Sequence[str] | None, collection: str | None = None) -> _Scorer:
        if kind is not None and kind not in self._kinds:
            raise SkillmapError(f"the index has no concepts of kind {kind!r}; it has: {', '.join(self._kinds)}")
        if langs:
            unknown = [lang for lang in langs if lang not in self._langs]
            if unknown:  # (plan() has checked already; kept for direct callers)
                raise SkillmapError(
                    f"the index has no labels in {', '.join(unknown)}; it has: {', '.join(self._langs) or 'none'}"
                )
            use_langs = list(dict.fromkeys(langs))
        else:
            use_langs = list(self._langs)
        a = self._a
        mask = np.ones(self.n_labels, dtype=bool)
        if kind is not None:
            mask &= (np.asarray(a["concept_kind"]) == self._kinds.index(kind))[np.asarray(a["label_concept"])]
        if len(use_langs) < len(self._langs):
            wanted = np.array([self._langs.index(lang) for lang in use_langs])
            mask &= np.isin(np.asarray(a["label_lang"]), wanted)
        if collection is not None:
            if collection not in self._collections:
                raise SkillmapError(
                    f"no concept of the index is in the {collection} collection; ESCO collections are read from the "
                    "official ESCO v1.1+ packages — import (or re-import) one",
                    hint="collection",
                )
            bit = 1 << self._collections.index(collection)
            member = (np.asarray(a["concept_collections"]) & bit) != 0
            mask &= member[np.asarray(a["label_concept"])]
        return _Scorer(a, mask, use_langs, None if kind is None else self._kinds.index(kind))

    def _top_hits(self, label_row: np.ndarray, scorer: _Scorer, top: int, min_score: float) -> _ConceptHits:
        """The ``top`` concepts of one statement scoring above 0 and at least ``min_score`` (with every tie of the
        last), each with its best label (the first, i.e. preferred, on ties).

        Found from the best labels without a pass per concept: if the labels scoring at least ``v`` reach
        ``top`` concepts, every concept scoring ``v`` or more is among them with its true (best-label) score.
        """
        scored = np.flatnonzero((label_row > 0) & (label_row >= min_score))
        wanted = 4 * top
        while True:
            if len(scored) > wanted:
                floor = np.partition(label_row[scored], len(scored) - wanted)[len(scored) - wanted]
                labels = scored[label_row[scored] >= floor]
            else:
                labels = scored
            concepts = np.asarray(self._a["label_concept"][scorer.lo + labels])  # ascending: labels are grouped
            starts = np.flatnonzero(np.concatenate(([True], concepts[1:] != concepts[:-1]))) if len(labels) else labels
            if len(starts) >= top or len(labels) == len(scored):
                break
            wanted *= 4
        if not len(labels):
            return _ConceptHits(labels, label_row[labels], labels)
        values = label_row[labels]
        best = np.maximum.reduceat(values, starts)
        group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(labels))))
        at_best = np.flatnonzero(values == best[group])
        first_best = at_best[np.concatenate(([True], group[at_best][1:] != group[at_best][:-1]))]
        keep = np.arange(len(starts))
        if len(starts) > top:
            kth = np.partition(best, len(best) - top)[len(best) - top]
            keep = np.flatnonzero(best >= kth)
        return _ConceptHits(concepts[starts[keep]], best[keep], scorer.lo + labels[first_best[keep]])

    def _matches(self, statements: list[str], hits: list[_ConceptHits], scorer: _Scorer, top: int) -> list[Match]:
        """The ``top`` concepts of one text (best statement per concept), ties by URI, with their best label."""
        if not statements or top <= 0 or not hits:
            return []
        concepts = np.concatenate([h.concepts for h in hits])
        if not len(concepts):
            return []
        scores = np.concatenate([h.scores for h in hits])
        labels = np.concatenate([h.labels for h in hits])
        # every signal any statement has; a statement without one (the description view is for sentences) is NaN
        names = sorted({name for h in hits for name in h.signals or {}})
        signals = (
            np.stack([np.concatenate([_signal(h, n) for h in hits]) for n in names]).astype(np.float64)
            if names
            else None
        )
        statement_of = np.repeat(np.arange(len(hits)), [len(h.concepts) for h in hits])
        # best statement per concept (the first one on ties), then score descending, URI ascending
        order = np.lexsort((statement_of, -scores, concepts))
        first = np.concatenate(([True], concepts[order][1:] != concepts[order][:-1]))
        order = order[first]
        concepts, scores, labels, statement_of = concepts[order], scores[order], labels[order], statement_of[order]
        signals = signals[:, order] if signals is not None else None
        uri_rank = np.asarray(self._a["uri_rank"])
        order = np.lexsort((uri_rank[concepts], -scores))[:top]
        label_lang = np.asarray(self._a["label_lang"])
        kinds = np.asarray(self._a["concept_kind"])
        values = signals[:, order].tolist() if signals is not None else [[] for _ in names]
        matches = []
        for i, (position, score, label, s_index) in enumerate(
            zip(
                concepts[order].tolist(),
                scores[order].tolist(),
                labels[order].tolist(),
                statement_of[order].tolist(),
                strict=True,
            )
        ):
            lang = self._langs[int(label_lang[label])]
            matches.append(
                Match(
                    uri=self._uris[position],
                    label=self._pref_label(position, lang, scorer.langs),
                    matched_label=self._labels[label],
                    score=round(float(score), 6),
                    kind=self._kinds[int(kinds[position])],
                    lang=lang,
                    statement=statements[s_index],
                    collections=self.concept_collections(position),
                    digcomp=self.concept_digcomp(position),
                    signals={
                        name: round(float(values[j][i]), 4)
                        for j, name in enumerate(names)
                        if not math.isnan(values[j][i])
                    },
                )
            )
        return matches

    def _pref_label(self, position: int, lang: str, langs: Sequence[str]) -> str:
        start, end = (int(x) for x in self._a["concept_label_start"][position : position + 2])
        roles = np.asarray(self._a["label_role"][start:end])
        label_langs = [self._langs[int(x)] for x in self._a["label_lang"][start:end]]
        for wanted in (lang, *langs, "en"):
            for offset in range(end - start):
                if roles[offset] == 0 and label_langs[offset] == wanted:
                    return self._labels[start + offset]
        return self._labels[start] if end > start else self._uris[position]


@dataclass(frozen=True)
class _ConceptHits:
    """What one statement scored: the concepts it reaches, their best label score and that label."""

    concepts: np.ndarray  # concept positions, ascending
    scores: np.ndarray  # float32
    labels: np.ndarray  # label giving the score (the first, i.e. preferred, on ties)
    signals: dict[str, np.ndarray] | None = None  # score per signal ("lexical", "semantic"[, "description"])


@dataclass(frozen=True)
class MatchPlan:
    """How a batch of texts is matched (see :meth:`ConceptIndex.plan`)."""

    label_langs: list[str] | None  # languages of the labels used (None: every language of the index)
    method: str  # lexical, semantic or hybrid
    weights: list[float]  # per text: the weight of the semantic score (0: lexical only)
    text_langs: list[str | None]  # per text: its language (given or detected; None when unknown)
    cross_language: list[bool] = field(default_factory=list)  # per text: matched against labels of another language
    label_lang: str | None = None  # the one language of the labels used (None: several)

    def statements(self, texts: Sequence[str], kind: str | None) -> list[list[str]]:
        """The statements of each text as they are scored: :func:`split_statements`, and for occupations each
        statement read as an occupation title (:func:`occupation_title_for_matching`: exclusion clauses dropped,
        plural words put in the singular within a language)."""
        split = [split_statements(text) if text and text.strip() else [] for text in texts]
        if kind != "occupation":
            return split
        out = []
        for position, statements in enumerate(split):
            cross = self.cross_language[position] if position < len(self.cross_language) else False
            lang = self.text_langs[position] if position < len(self.text_langs) else None
            lang = lang or (None if cross else self.label_lang)
            out.append([occupation_title_for_matching(s, lang, same_language=not cross) for s in statements])
        return out


@dataclass(frozen=True)
class _Query:
    """The features of one statement: what the scorer looks up in the inverted lists."""

    char_ids: np.ndarray  # n-gram feature ids to look up
    char_weights: np.ndarray  # their L2-normalised tf-idf weights
    stem_ids: np.ndarray
    stem_mass: float  # idf mass of the statement's stems (unknown stems count as the rarest)
    exact_ids: np.ndarray
    exact_mass: float
    chars: int  # letters in the statement, for the short-label guard


class _Scorer:
    """Scores every label for statements by walking the inverted lists of the statements' features.

    Numpy only (no scipy import on the query path, so the CLI starts fast): for each feature of a statement,
    its inverted list is gathered and summed per label with ``bincount``; the cost follows the postings of
    the statement's features, not the number of labels.
    """

    def __init__(self, arrays: dict[str, np.ndarray], mask: np.ndarray, langs: list[str], kind: int | None) -> None:
        self.a = arrays
        self.langs = langs
        self.n_labels = len(mask)
        self.alphabet = np.asarray(arrays["alphabet"])
        n_labels = max(self.n_labels, 1)
        self.rarest_idf = math.log(1.0 + n_labels) + 1.0
        # Scores are computed for the window of labels [lo, hi) that holds every wanted label: concepts are
        # sorted by URI, so an ESCO kind (…/skill/…, …/occupation/…) is one contiguous block of labels.
        chosen = np.flatnonzero(mask)
        self.lo, self.hi = (int(chosen[0]), int(chosen[-1]) + 1) if len(chosen) else (0, 0)
        window = slice(self.lo, self.hi)
        self.width = self.hi - self.lo
        # per-label factor: zero outside kind/languages, role prior (pref > alt > hidden)
        role = np.asarray(ROLE_FACTORS, dtype=np.float32)[np.asarray(arrays["label_role"][window])]
        self.label_factor = np.where(mask[window], role, 0.0).astype(np.float32)
        self.short_labels = np.flatnonzero(np.asarray(arrays["label_chars"][window]) <= SHORT_LABEL_CHARS)
        # per-label coefficients of the score (see score())
        factor = self.label_factor.astype(np.float64)
        self.label_factor = factor
        self.char_coef = CHAR_WEIGHT * factor
        self.exact_coef = COVERAGE_WEIGHT * EXACT_SHARE * factor / np.asarray(arrays["exact_mass"][window])
        self.stem_coef = COVERAGE_WEIGHT * (1.0 - EXACT_SHARE) * factor / np.asarray(arrays["stem_mass"][window])
        label_concept = np.asarray(arrays["label_concept"])
        self.concept_lo = int(label_concept[self.lo]) if self.width else 0
        self.concept_hi = int(label_concept[self.hi - 1]) + 1 if self.width else 0
        # Where each inverted list enters and leaves the kind's labels (lists are sorted by label and a kind's
        # labels are one block around the window), so postings of other kinds are never read.
        self.bounds = {}
        if kind is None:
            block = np.flatnonzero(np.ones(self.n_labels, dtype=bool))
        else:
            block = np.flatnonzero(np.asarray(arrays["concept_kind"])[label_concept] == kind)
        # the postings read can fall outside the window only when languages narrow it inside the kind's block
        self.clip = (int(block[0]), int(block[-1]) + 1) != (self.lo, self.hi) if len(block) else False
        for prefix in ("char", "stem", "exact"):
            indptr = np.asarray(arrays[f"{prefix}_indptr"])
            if kind is None:
                self.bounds[prefix] = (indptr[:-1], indptr[1:])
            else:
                self.bounds[prefix] = (
                    np.asarray(arrays[f"{prefix}_kind_start"][kind]),
                    np.asarray(arrays[f"{prefix}_kind_end"][kind]),
                )
        indptr = np.asarray(arrays["char_indptr"])
        # Skipping common n-grams is for speed on large indexes (ESCO); a small one (a taxonomy, the bundled
        # sample) is fast anyway and keeps every n-gram, so "électricien" scores 1 against its own label.
        df = np.diff(indptr)
        prune = self.n_labels >= PRUNE_MIN_LABELS
        self.char_common = df > (max(CHAR_MAX_DF * n_labels, CHAR_MIN_DF_CUTOFF) if prune else n_labels)
        self.char_very_common = df > (max(CHAR_MAX_DF_SHORT * n_labels, CHAR_MIN_DF_CUTOFF) if prune else n_labels)

    # features ---------------------------------------------------------------------------------------------

    def prepare(self, statement: str) -> _Query | None:
        """Turn a statement into looked-up features; None when it has no words."""
        tokens = words(statement)
        if not tokens or self.width == 0:
            return None
        a = self.a
        # characters: sublinear tf-idf of word-bounded n-grams, L2-normalised (so the product is a cosine)
        feats, counts = np.unique(_ngram_codes(tokens, self.alphabet), return_counts=True)
        vocab = a["ngram_vocab"]
        ids = np.minimum(np.searchsorted(vocab, feats), len(vocab) - 1)
        known = np.asarray(vocab[ids]) == feats
        weights = (1.0 + np.log(counts)) * np.where(known, np.asarray(a["ngram_idf"])[ids], self.rarest_idf)
        weights /= math.sqrt(float(np.dot(weights, weights))) or 1.0
        # The most common n-grams hold most postings but weigh little: skipping them makes a statement several
        # times faster. Short texts (titles) skip only the very most common, for precision.
        common = self.char_common if len(tokens) > SHORT_STATEMENT_WORDS else self.char_very_common
        use = known & ~common[ids]
        # Several languages: the words are stemmed in each and all stems are looked up; the statement's mass is
        # that of its best-known stemming (its own language, usually), so an exact label still scores 1.
        per_lang = [sorted(set(stem_words(tokens, lang))) for lang in self.langs]
        stem_ids, _ = self._terms("stem", sorted({s for stems in per_lang for s in stems}))
        stem_mass = min(self._terms("stem", stems)[1] for stems in per_lang)
        exact_ids, exact_mass = self._terms("exact", sorted({light_stem(t) for t in tokens}))
        return _Query(ids[use], weights[use], stem_ids, stem_mass, exact_ids, exact_mass, sum(len(t) for t in tokens))

    def _terms(self, prefix: str, terms: list[str]) -> tuple[np.ndarray, float]:
        vocab = self.a[f"{prefix}_vocab"]
        # A term longer than every vocabulary entry cannot be in it; comparing it would first widen the whole
        # vocabulary to its length (a 100,000-letter "word" took gigabytes), so it is simply unknown.
        wanted = np.array(terms)
        if vocab.dtype.kind == "U" and wanted.dtype.itemsize > vocab.dtype.itemsize:
            longest = vocab.dtype.itemsize // np.dtype("U1").itemsize
            wanted = np.array([t if len(t) <= longest else "" for t in terms], dtype=vocab.dtype)
            known_long = np.array([len(t) <= longest for t in terms])
        else:
            known_long = None
        ids = np.minimum(np.searchsorted(vocab, wanted), len(vocab) - 1)
        known = np.asarray(vocab[ids]) == wanted
        if known_long is not None:
            known &= known_long
        mass = float(np.asarray(self.a[f"{prefix}_idf"])[ids[known]].sum()) + self.rarest_idf * int((~known).sum())
        return ids[known], mass

    # scoring ----------------------------------------------------------------------------------------------

    def score(self, queries: Sequence[_Query | None]) -> np.ndarray:
        """Label scores (float32, statements × labels of the window) for prepared statements.

        score = role prior × (CHAR_WEIGHT × char cosine + COVERAGE_WEIGHT × label coverage
        + QUERY_COVERAGE_WEIGHT × query coverage), each coverage mixing exact words (EXACT_SHARE) and stems.
        A label's matched idf mass never exceeds its own mass nor the statement's, so the coverages are at
        most 1 without clipping. Word postings are weighted by their label's coefficients as they are read and
        the n-gram sums are weighted once, so a statement costs two ``bincount`` and a few passes over the window;
        only the postings of the wanted kind are read (see ``_kind_bounds``).
        """
        out = np.zeros((len(queries), self.width), dtype=np.float32)
        multi_lang = len(self.langs) > 1
        for row, q in enumerate(queries):
            if q is None:
                continue
            labels, contributions = [], []
            char_total = None
            char = self._postings("char", q.char_ids)
            if char is not None:
                rel, values, lengths = char
                values = values * np.repeat(q.char_weights.astype(np.float32), lengths)
                char_total = np.bincount(rel, weights=values, minlength=self.width)
            stem_matched = None
            for prefix, ids, query_mass, share, label_coef in (
                ("exact", q.exact_ids, q.exact_mass, EXACT_SHARE, self.exact_coef),
                ("stem", q.stem_ids, q.stem_mass, 1.0 - EXACT_SHARE, self.stem_coef),
            ):
                found = self._postings(prefix, ids)
                if found is None:
                    continue
                rel, values, _ = found
                if prefix == "stem" and multi_lang:  # stems of several languages may exceed the mass: clip below
                    stem_matched = np.bincount(rel, weights=values, minlength=self.width)
                    continue
                query_share = QUERY_COVERAGE_WEIGHT * share / max(query_mass, 1e-9)
                labels.append(rel)
                contributions.append(values * (label_coef[rel] + self.label_factor[rel] * query_share))
            if labels:
                total = np.bincount(np.concatenate(labels), np.concatenate(contributions), minlength=self.width)
            else:
                total = np.zeros(self.width)
            if char_total is not None:  # summed first, then weighted: one pass over the window, not per posting
                char_total *= self.char_coef
                total += char_total
            if stem_matched is not None:
                total += np.minimum(stem_matched * (1.0 / max(q.stem_mass, 1e-9)), 1.0) * (
                    QUERY_COVERAGE_WEIGHT * (1.0 - EXACT_SHARE) * self.label_factor
                )
                total += stem_matched * self.stem_coef
            # One-letter labels ("C", "R") match any lone letter of a long text: trust them only in short texts.
            if q.chars > 2 * SHORT_LABEL_CHARS + 1 and len(self.short_labels):
                total[self.short_labels] *= SHORT_LABEL_FACTOR
            np.minimum(total, 1.0, out=total)  # rounding only
            out[row] = total
        return out

    def _postings(self, prefix: str, features: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The postings of ``features`` inside the window: (label - lo, posting value, postings per feature).

        None when no posting falls in the kind's labels. No Python loop over features: the positions are a
        running sum of steps that are 1 inside a list and jump to the next list's start at each boundary.
        """
        list_start, list_end = self.bounds[prefix]
        starts = list_start[features]
        ends = list_end[features]
        lengths = ends - starts
        nonempty = lengths > 0
        if not nonempty.any():
            return None
        starts, ends, lengths = starts[nonempty], ends[nonempty], lengths[nonempty]
        steps = np.ones(int(lengths.sum()), dtype=np.int64)
        steps[0] = starts[0]
        steps[np.cumsum(lengths)[:-1]] = starts[1:] - ends[:-1] + 1
        offsets = np.cumsum(steps)
        labels = self.a[f"{prefix}_labels"][offsets]
        if self.lo:
            labels -= self.lo
        values = self.a[f"{prefix}_weights"][offsets]
        inside = (labels >= 0) & (labels < self.width) if self.clip else None
        if inside is not None and not inside.all():
            # keep the per-feature counts right for the callers that repeat a weight per posting
            feature_of = np.repeat(np.arange(len(lengths)), lengths)
            lengths = np.bincount(feature_of[inside], minlength=len(lengths))
            labels, values = labels[inside], values[inside]
        full_lengths = np.zeros(len(features), dtype=np.int64)
        full_lengths[np.flatnonzero(nonempty)] = lengths
        return labels, values, full_lengths


# --- building blocks (vectorised) ----------------------------------------------------------------------


def _description_text(concept: Concept) -> str:
    """The text of a concept's description view: its preferred label and the first sentence of its description
    (English when it has one), ``"install inverter: Install power inverters, which convert …"``; "" without one."""
    if not concept.descriptions:
        return ""
    description = next((d for d in concept.descriptions if d.lang == "en"), concept.descriptions[0])
    sentences = split_statements(description.text)
    if not sentences:
        return ""
    return f"{concept.pref_label(description.lang)}: {sentences[0]}"


def _hit_signals(
    semantic: np.ndarray, lexical: np.ndarray, described: np.ndarray | None, weight: float, scored: np.ndarray
) -> dict[str, np.ndarray]:
    """The signals of one statement's hits (``scored`` positions in the per-concept rows): ``semantic``, ``lexical``
    unless the statement was matched semantically alone, ``description`` when it used the description view
    (``described``, else None)."""
    signals = {"semantic": semantic[scored]}
    if weight < 1.0:
        signals["lexical"] = lexical[scored]
    if described is not None:
        signals["description"] = described[scored]
    return signals


def _signal(hits: _ConceptHits, name: str) -> np.ndarray:
    """A statement's scores of signal ``name`` for its concepts, NaN where it has not that signal."""
    values = (hits.signals or {}).get(name)
    return np.full(len(hits.concepts), np.nan) if values is None else np.asarray(values, dtype=np.float64)


def blas_gives_batch_bits(dim: int = 512) -> bool:
    """Whether this machine's BLAS gives one query against gathered rows (``rows @ [q, q].T``, at least
    SEMANTIC_PRUNE_MIN_ROWS rows) and a product with every row (``matrix @ queries.T``) the very bits of the batch
    product ``queries @ matrix.T``: what the pruned hybrid path relies on to return the hits of the full one. Measured
    with OpenBLAS's kernels for this machine's CPU (another CPU may pick other kernels), on random data, once per
    index (about 40 ms); where it does not hold the full path is used."""
    from skillmap.semantic import load_encoder

    rng = np.random.default_rng(7)
    matrix = rng.standard_normal((2 * SEMANTIC_PRUNE_MIN_ROWS, dim)).astype(np.float32)
    queries = rng.standard_normal((BATCH_STATEMENTS, dim)).astype(np.float32)
    with load_encoder().one_blas_thread():
        batch = queries @ matrix.T
        for size in (5, 300, SEMANTIC_PRUNE_MIN_ROWS + 300):
            rows = np.sort(rng.choice(len(matrix), size, replace=False))
            gathered = np.zeros((max(size, SEMANTIC_PRUNE_MIN_ROWS), dim), dtype=np.float32)
            gathered[:size] = matrix[rows]
            one = (gathered @ np.repeat(queries[9:10], 2, axis=0).T)[:size, 0]
            if not np.array_equal(one, batch[9, rows]):
                return False
        return bool(np.array_equal((matrix @ queries[:5].T).T, batch[:5]))


def _shared_product_rows(n_labels: np.ndarray, n_rows: int) -> np.ndarray:
    """Which statements (by their number of reachable labels ``n_labels``) share one product with all ``n_rows``
    matrix rows so that it and the gathering of the others cost least (see SEMANTIC_GATHER_COST): the ``k`` with the
    most labels, ``k`` from 0 up."""
    order = np.argsort(-n_labels, kind="stable")
    gather_rest = SEMANTIC_GATHER_COST * (n_labels.sum() - np.concatenate(([0], np.cumsum(n_labels[order]))))
    k = np.arange(len(n_labels) + 1)
    cost = gather_rest + np.where(k > 0, n_rows * (1.0 + SEMANTIC_PRODUCT_QUERY_COST * k), 0.0)
    return order[: int(np.argmin(cost))]


def _read_semantic(folder: Path, n_labels: int):
    """(matrix or None, note) for the semantic matrix saved in ``folder``; raises :class:`SkillmapError` when
    another model version made it."""
    import skillmap.semantic as semantic

    try:
        matrix = semantic.LabelMatrix.load(folder, n_labels)
        if matrix is None:
            return None, "this index has no semantic matrix (it was imported without one): lexical only"
        semantic.package_folder()  # the matrix is useless without the model that embeds the queries
    except semantic.SemanticUnavailable as exc:
        return None, exc.note
    return matrix, ""


def _bitmasks(members: Sequence[Sequence[str]], names: Sequence[str]) -> np.ndarray:
    """One int64 per concept: bit i set when the concept's names include ``names[i]``."""
    bit = {name: 1 << i for i, name in enumerate(names)}
    if len(names) > 62:
        raise SkillmapError(f"too many collections to index ({len(names)}; at most 62)")
    return np.array([sum(bit[name] for name in set(these)) for these in members], dtype=np.int64)


def _names_of(arrays: dict[str, np.ndarray], key: str, position: int, names: Sequence[str]) -> tuple[str, ...]:
    if not names or key not in arrays:
        return ()
    value = int(arrays[key][position])
    return tuple(name for i, name in enumerate(names) if value >> i & 1)


def _digcomp_touched(classification: Classification) -> list[tuple[str, ...]]:
    """Per concept (in classification order), the preferred labels of the DigComp-collection concepts it is or
    falls under through ``broader`` (transitively). Empty everywhere when nothing is in the DigComp collection."""
    by_uri = {c.uri: c for c in classification.concepts}
    digcomp = {c.uri: c.pref_label("en") for c in classification.concepts if "digcomp" in c.collections}
    if not digcomp:
        return [() for _ in classification.concepts]
    memo: dict[str, frozenset[str]] = {}

    def touched(uri: str, path: frozenset[str]) -> frozenset[str]:
        if uri in memo:
            return memo[uri]
        found = {digcomp[uri]} if uri in digcomp else set()
        concept = by_uri.get(uri)
        for parent in concept.broader if concept else ():
            if parent not in path:  # a cycle in the hierarchy would otherwise recurse for ever
                found |= touched(parent, path | {uri})
        memo[uri] = frozenset(found)
        return memo[uri]

    return [tuple(sorted(touched(c.uri, frozenset()))) for c in classification.concepts]


_MAX_BASE = 6208  # base**5 < 2**63: five character codes fit in one int64


def _char_codes(text: str, alphabet: np.ndarray) -> np.ndarray:
    """Codes 1..len(alphabet) for the characters of ``text`` (0 = separator or unknown character)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(alphabet) == 0:
        return np.zeros(len(points), dtype=np.int64)
    found = np.minimum(np.searchsorted(alphabet, points), len(alphabet) - 1)
    return np.where(alphabet[found] == points, found + 1, 0).astype(np.int64)


def _ngram_codes(tokens: Sequence[str], alphabet: np.ndarray) -> np.ndarray:
    """Integer codes of the word-bounded character n-grams of ``tokens`` (one code per occurrence).

    Each word is folded and padded with spaces (`` word ``); n-grams never cross words and never contain a
    character unknown to the index (such n-grams cannot match anyway).
    """
    text = "\x00".join(f" {fold(token)} " for token in tokens) + "\x00"
    return _ngram_windows(_char_codes(text, alphabet), len(alphabet) + 1)[0]


def _ngram_windows(codes: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """(code of every n-gram window without a 0 character, start position of that window), all sizes."""
    zero = np.concatenate(([0], np.cumsum(codes == 0)))
    values, positions = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for n in NGRAM_SIZES:
        starts = np.arange(max(len(codes) - n + 1, 0))
        valid = starts[zero[starts + n] - zero[starts] == 0]
        value = np.full(len(valid), n, dtype=np.int64)  # the size is part of the code
        for j in range(n):
            value = value * base + codes[valid + j]
        values.append(value)
        positions.append(valid)
    return np.concatenate(values), np.concatenate(positions)


def _build_char_index(
    word_id: dict[str, int], lw_rows: np.ndarray, lw_cols: np.ndarray, n_labels: int
) -> dict[str, np.ndarray]:
    """Char n-gram tf-idf of every label (label = sum of its words' n-grams), as an inverted index."""
    from scipy import sparse

    vocabulary = list(word_id)  # position = word id
    folded = [fold(w) for w in vocabulary]
    # n-grams of every distinct word in one vectorised pass; the word of each character via its separator
    text = "\x00".join(f" {w} " for w in folded) + "\x00"
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    values, counts = np.unique(points[points != 0], return_counts=True)
    alphabet = values
    if len(alphabet) + 1 > _MAX_BASE:  # keep the most frequent characters; the rarest become "unknown"
        alphabet = np.sort(values[np.argsort(-counts, kind="stable")[: _MAX_BASE - 2]])
    codes = _char_codes(text, alphabet)
    word_of_char = np.concatenate(([0], np.cumsum(points[:-1] == 0)))
    all_grams, starts = _ngram_windows(codes, len(alphabet) + 1)
    all_words = word_of_char[starts]
    ngram_vocab, gram_ids = np.unique(all_grams, return_inverse=True)
    n_words, n_feats = len(vocabulary), len(ngram_vocab)
    word_grams = sparse.csr_matrix((np.ones(len(gram_ids)), (all_words, gram_ids)), shape=(n_words, n_feats))
    label_words = sparse.csr_matrix((np.ones(len(lw_rows)), (lw_rows, lw_cols)), shape=(n_labels, n_words))
    tf = (label_words @ word_grams).tocsr()
    tf.sum_duplicates()
    df = np.bincount(tf.indices, minlength=n_feats)
    idf = np.log((1.0 + n_labels) / (1.0 + df)) + 1.0
    tf.data = (1.0 + np.log(tf.data)) * idf[tf.indices]
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    tf = sparse.diags(1.0 / norms) @ tf
    inverted = tf.T.tocsr()
    inverted.sort_indices()
    return {
        "alphabet": alphabet.astype(np.uint32),
        "ngram_vocab": ngram_vocab.astype(np.int64),
        "ngram_idf": idf.astype(np.float32),
        "char_indptr": inverted.indptr.astype(np.int64),
        "char_labels": inverted.indices.astype(np.int32),
        "char_weights": inverted.data.astype(np.float32),
    }


def _kind_bounds(prefix: str, arrays: dict[str, np.ndarray], label_kind: np.ndarray, n_kinds: int) -> dict:
    """Per kind and feature, where the feature's inverted list enters and leaves the block of labels from the
    kind's first label to its last (lists are sorted by label), so scoring one kind reads only its postings."""
    indptr, labels = arrays[f"{prefix}_indptr"], arrays[f"{prefix}_labels"]
    starts = np.tile(indptr[:-1], (n_kinds, 1))
    ends = np.tile(indptr[1:], (n_kinds, 1))
    count_type = np.int32 if len(labels) < 2**31 else np.int64  # half the memory of the running counts
    for kind in range(n_kinds):
        of_kind = np.flatnonzero(label_kind == kind)
        if not len(of_kind):
            ends[kind] = starts[kind]
            continue
        for bound, out in ((int(of_kind[0]), starts), (int(of_kind[-1]) + 1, ends)):
            below = np.concatenate(([0], np.cumsum(labels < bound, dtype=count_type)))
            out[kind] = indptr[:-1] + below[indptr[1:]] - below[indptr[:-1]]
    return {f"{prefix}_kind_start": starts.astype(np.int64), f"{prefix}_kind_end": ends.astype(np.int64)}


def _build_word_index(prefix: str, rows: list[int], terms: list[str], n_labels: int) -> dict[str, np.ndarray]:
    """Distinct words (or stems) of every label with their idf, as an inverted index, plus each label's idf mass."""
    from scipy import sparse

    vocab = np.array(sorted(set(terms)) or [""])
    term_ids = np.searchsorted(vocab, np.array(terms, dtype=vocab.dtype)) if terms else np.zeros(0, dtype=np.int64)
    rows_arr = np.array(rows, dtype=np.int64)
    n_terms = len(vocab)
    df = np.bincount(term_ids, minlength=n_terms)
    idf = np.log((1.0 + n_labels) / (1.0 + df)) + 1.0
    # (Dropping frequent words as stop words was measured: it costs ~0.05 MRR on the Decorte sets.)
    matrix = sparse.csr_matrix((idf[term_ids], (rows_arr, term_ids)), shape=(n_labels, n_terms))
    mass = np.asarray(matrix.sum(axis=1)).ravel()
    mass[mass == 0] = 1.0
    inverted = matrix.T.tocsr()
    inverted.sort_indices()
    return {
        f"{prefix}_vocab": vocab,
        f"{prefix}_idf": idf.astype(np.float32),
        f"{prefix}_indptr": inverted.indptr.astype(np.int64),
        f"{prefix}_labels": inverted.indices.astype(np.int32),
        f"{prefix}_weights": inverted.data.astype(np.float32),
        f"{prefix}_mass": mass.astype(np.float32),
    }


def match_skills(
    index: ConceptIndex, text: str, *, langs: Sequence[str] | None = None, top: int = 10, min_score: float = 0.0
) -> list[Match]:
    """Rank the ESCO skills (kind ``skill``) of ``index`` for ``text``."""
    return index.search(text, kind="skill", langs=langs, top=top, min_score=min_score)


def match_occupations(
    index: ConceptIndex, text: str, *, langs: Sequence[str] | None = None, top: int = 10, min_score: float = 0.0
) -> list[Match]:
    """Rank the occupations (kind ``occupation``) of ``index`` for ``text``."""
    return index.search(text, kind="occupation", langs=langs, top=top, min_score=min_score)
