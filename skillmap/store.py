"""Where skillmap keeps what users import: ``$SKILLMAP_HOME`` (default: the platform's user data dir).

Layout (each part is replaced atomically, so a failed import leaves the previous one working)::

    $SKILLMAP_HOME/
      index/CURRENT          name of the live concept-index version folder
      index/<version>/       the imported classification and its match index
      registers.sqlite       imported national registers (see skillmap.registers)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from skillmap.errors import SkillmapError
from skillmap.fileio import atomic_write_text, bundled_data_dir
from skillmap.home import HOME_ENV, cache_dir, skillmap_home
from skillmap.model import Classification, Concept, Label, SkillRelation

if TYPE_CHECKING:  # numpy is imported only by commands that match (lookup/registers need the path only)
    from skillmap.match import ConceptIndex


def __getattr__(name: str) -> object:
    """Keep ``skillmap.store.ConceptIndex`` available without importing the matcher at module load."""
    if name == "ConceptIndex":
        from skillmap.match import ConceptIndex

        return ConceptIndex
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def registers_db_path(create: bool = False) -> Path:
    """Return the path of the registers database under ``$SKILLMAP_HOME``."""
    return skillmap_home(create=create) / "registers.sqlite"


# --- the concept index ---------------------------------------------------------------------------------

FORMAT_VERSION = 2  # bump when the layout of an index folder changes; older folders then ask for a re-import
CURRENT = "CURRENT"
INFO_FILE = "info.json"
CLASSIFICATION_FILE = "classification.json"
_TMP_PREFIX = ".import-"
_ROLE_CODES = {"pref": "p", "alt": "a", "hidden": "h"}
_ROLES_BY_CODE = {code: role for role, code in _ROLE_CODES.items()}

ImportProgress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class IndexInfo:
    """What the live concept index holds: shown by ``skillmap esco info``, used for notices."""

    version: str
    languages: tuple[str, ...]
    counts: dict[str, int]
    origin: str  # "imported", "sample" (the bundled excerpt) or "custom" (an imported taxonomy)
    sources: tuple[str, ...]
    format_version: int = FORMAT_VERSION
    name: str = "ESCO"
    relations: int = 0
    labels: int = 0
    notes: tuple[str, ...] = ()
    location: str = ""  # folder of the index, or of the bundled sample file
    semantic_model: str = ""  # name==version of the model that embedded the labels ("" when lexical only)

    @property
    def concepts(self) -> int:
        """Total number of concepts."""
        return sum(self.counts.values())

    @property
    def notice(self) -> str:
        """The line commands print on stderr when they use the bundled sample or a custom taxonomy ("" for ESCO)."""
        if self.origin == "custom":
            return (
                f"matching against the custom taxonomy {', '.join(self.sources)} ({self.concepts:,} concepts); "
                "`skillmap esco import` ESCO to replace it, or `skillmap esco reset`"
            )
        if self.origin != "sample":
            return ""
        return (
            f"using the bundled ESCO sample ({self.concepts:,} concepts); import the full classification with "
            '`skillmap esco import "ESCO dataset - v1.1.1 - classification - en - csv.zip"`'
        )


class LoadedIndex:
    """The match index and facts of the live classification; the full concept list loads only on demand."""

    def __init__(self, index: ConceptIndex, info: IndexInfo, loader: Callable[[], Classification]) -> None:
        self.index = index
        self.info = info
        self._loader = loader
        self._classification: Classification | None = None

    def classification(self) -> Classification:
        """Return the full Classification (concepts and relations), loading it on first use."""
        if self._classification is None:
            self._classification = self._loader()
        return self._classification


def index_root() -> Path:
    """Folder holding the versioned index folders and the CURRENT pointer."""
    return skillmap_home() / "index"


def current_index_folder() -> Path | None:
    """Return the live index folder, or None when nothing has been imported."""
    root = index_root()
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SkillmapError(f"cannot read {root / CURRENT}: {exc.strerror or exc}") from exc
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise SkillmapError(f"{root / CURRENT} is damaged; run `skillmap esco import ...` again")
    return root / name


def sample_path() -> Path:
    """The bundled ESCO sample (a label table shipped in ``data/esco/``)."""
    folder = bundled_data_dir() / "esco"
    found = sorted(folder.glob("esco-*-sample.csv"))
    if not found:
        raise SkillmapError(f"the bundled ESCO sample is missing from {folder}; reinstall skillmap")
    return found[-1]


def open_index(progress: ImportProgress | None = None) -> LoadedIndex:
    """Open the imported concept index, or the bundled ESCO sample when nothing has been imported.

    Fast: reads the small info file and the saved match index only (the semantic matrix is memory-mapped).
    When ``info.origin == "sample"`` the caller should show ``info.notice`` to the user. The sample's index
    and matrix are built on first use (``progress`` reports the embedding, some seconds) and cached.
    """
    from skillmap.match import ConceptIndex

    for attempt in range(2):
        folder = current_index_folder()
        if folder is None:
            return _open_sample(progress)
        try:
            info = _read_info(folder)
            index = ConceptIndex.load(folder)
        except SkillmapError:
            raise
        except FileNotFoundError:
            if attempt == 0:
                continue  # an import switched CURRENT and removed this folder meanwhile: read CURRENT again
            raise SkillmapError(
                f"the imported index {folder} is incomplete; run `skillmap esco import ...` again"
            ) from None
        except Exception as exc:
            raise SkillmapError(
                f"the imported index {folder} cannot be read ({type(exc).__name__}: {exc}); "
                "run `skillmap esco import ...` again"
            ) from exc
        return LoadedIndex(index, info, lambda folder=folder: _read_classification(folder))
    raise AssertionError("unreachable")


def index_info() -> IndexInfo:
    """Return the facts of the live index (imported or sample) without loading the match index."""
    folder = current_index_folder()
    if folder is None:
        return _sample_info(load_sample())
    return _read_info(folder)


def load_classification() -> Classification:
    """Return the full live Classification (concepts and relations): imported, or the bundled sample."""
    folder = current_index_folder()
    if folder is None:
        return load_sample()
    return _read_classification(folder)


def sample_tag_paths(path: Path) -> tuple[Path, Path]:
    """The tag files beside the bundled sample: its concepts' collections, and its occupation–skill relations."""
    stem = path.name[: -len(".csv")]
    return path.with_name(f"{stem}-collections.csv"), path.with_name(f"{stem}-relations.csv")


def load_sample() -> Classification:
    """Read the bundled ESCO sample, with the collections and relations of its tag files (when present)."""
    from skillmap.fileio import read_data_rows
    from skillmap.sources.builder import ClassificationBuilder
    from skillmap.sources.esco_csv import esco_version_from_name
    from skillmap.sources.taxonomy import read_label_table

    path = sample_path()
    version = esco_version_from_name(path) or "sample"
    sample = read_label_table(path, name="ESCO sample", version=version, origin="sample")
    collections_path, relations_path = sample_tag_paths(path)
    if not collections_path.is_file() and not relations_path.is_file():
        return sample
    builder = ClassificationBuilder()
    builder.add_classification(sample)
    if collections_path.is_file():
        for row in read_data_rows(collections_path):
            builder.add_collection(row["uri"], row["collection"])
    if relations_path.is_file():
        for row in read_data_rows(relations_path):
            builder.add_relation(row["occupation_uri"], row["skill_uri"], row["relation"])
    return builder.build(name=sample.name, version=sample.version, origin="sample", sources=sample.sources)


def import_esco(
    paths: Sequence[str | Path],
    *,
    taxonomy: bool = False,
    semantic: bool = True,
    progress: ImportProgress | None = None,
) -> IndexInfo:
    """Read ESCO (CSV/RDF) or a custom taxonomy, build its match index and make it the live index.

    With ``semantic`` (the default) the label embedding matrix of the semantic matcher is computed too (stage
    ``embedding``); when the model cannot be used the index is lexical and a note says why.

    Everything is written into a new version folder, then ``index/CURRENT`` is switched with one atomic
    rename; the previous index stays live until then and is deleted after. A failed or interrupted import
    leaves the previous index working. ``progress(stage, done, total)`` reports reading, indexing, saving.
    """
    from skillmap.match import ConceptIndex
    from skillmap.sources import esco_csv
    from skillmap.sources.taxonomy import read_classification

    paths = [Path(p) for p in paths]
    home = skillmap_home(create=True)  # fail early, before the long read, when the home is unwritable
    notes: list[str] = []

    def stage(name: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(name, done, total)) if progress else None

    current = current_index_folder_or_none(home / "index")  # a damaged CURRENT must not block a fresh import
    if not taxonomy and current is not None and esco_csv.holds_only_relations(paths):
        # the relations zip on its own: add its links to the ESCO already imported (same concepts)
        base = _read_classification(current)
        if base.origin != "imported":
            raise SkillmapError("ESCO relations can only be added to an imported ESCO classification")
        classification = esco_csv.read_esco_csv(paths, progress=stage("reading"), notes=notes, base=base)
    else:
        classification = read_classification(paths, taxonomy=taxonomy, progress=stage("reading"), notes=notes)
    if not classification.concepts:
        raise SkillmapError(f"no concepts found in {', '.join(str(p) for p in paths)}")
    index = ConceptIndex.build(classification, progress=stage("indexing"))
    if semantic and not index.embed(progress=stage("embedding")):
        notes.append(index.semantic_note)
    root = home / "index"
    try:
        root.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(root)
        work = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=root))
        lock = _ImportLock(work)
    except OSError as exc:
        raise SkillmapError(
            f"cannot write to {root} ({exc.strerror or exc}); set {HOME_ENV} to a writable folder"
        ) from exc
    final: Path | None = None
    old: Path | None = None
    try:
        if progress:
            progress("saving", 0, 3)
        index.save(work)
        if progress:
            progress("saving", 1, 3)
        _write_classification(work / CLASSIFICATION_FILE, classification)
        if progress:
            progress("saving", 2, 3)
        info = IndexInfo(
            version=classification.version,
            languages=classification.languages,
            counts=classification.counts(),
            origin=classification.origin,
            sources=classification.sources,
            name=classification.name,
            relations=len(classification.relations),
            labels=sum(len(c.labels) for c in classification.concepts),
            notes=tuple(notes),
            semantic_model=index.semantic.model if index.semantic is not None else "",
        )
        _write_info(work / INFO_FILE, info)
        final = root / f"v{FORMAT_VERSION}-{work.name[len(_TMP_PREFIX) :]}"
        os.rename(work, final)
        old = current_index_folder_or_none(root)
        atomic_write_text(root / CURRENT, final.name + "\n")
        if progress:
            progress("saving", 3, 3)
    except BaseException as exc:
        for leftover in (work, final):
            if leftover is not None and leftover.exists() and _pointer(root) != leftover.name:
                shutil.rmtree(leftover, ignore_errors=True)
        if isinstance(exc, OSError):
            raise SkillmapError(
                f"cannot write the index under {root}: {exc.strerror or exc}; the previous index is still in use"
            ) from exc
        raise
    finally:
        lock.release()
    if old is not None and old != final:
        shutil.rmtree(old, ignore_errors=True)
    return replace(info, location=str(final))


import_classification = import_esco  # the name internal callers and older tests use


def remove_index() -> bool:
    """Remove the imported index (commands then use the bundled sample); returns False when there was none."""
    root = index_root()
    folder = current_index_folder_or_none(root)
    pointer = root / CURRENT
    if not pointer.exists():
        return False
    try:
        pointer.unlink()  # one step: from here on every command sees "nothing imported"
    except OSError as exc:
        raise SkillmapError(f"cannot remove {pointer}: {exc.strerror or exc}") from exc
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    return True


def current_index_folder_or_none(root: Path) -> Path | None:
    """The folder CURRENT names under ``root``, or None (no CURRENT, or a damaged one)."""
    name = _pointer(root)
    return root / name if name else None


def _pointer(root: Path) -> str | None:
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return name if name and "/" not in name and "\\" not in name and not name.startswith(".") else None


_LOCK_FILE = ".lock"
_STALE_AFTER_SECONDS = 3600  # for folders without a lock file (older skillmap, or killed before it was made)


class _ImportLock:
    """An exclusive ``flock`` on ``<work folder>/.lock``, held while an import runs.

    The kernel drops it when the process ends, however it ends (kill -9 included), so a later import can tell a
    folder left by a dead import (its lock can be taken) from one being written right now (it cannot).
    """

    def __init__(self, folder: Path) -> None:
        self.handle = None
        try:
            import fcntl
        except ImportError:  # Windows: stale folders are recognised by age only
            return
        self.handle = open(folder / _LOCK_FILE, "wb")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX)
        except OSError:  # a file system without locks: the folder's age decides instead
            self.release()
            (folder / _LOCK_FILE).unlink(missing_ok=True)

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def _is_abandoned(folder: Path) -> bool:
    """True when ``folder`` was left by an import that is no longer running."""
    import time

    lock = folder / _LOCK_FILE
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None and lock.is_file():
        try:
            with open(lock, "rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True  # nobody holds it: its import is over (finished or killed)
        except OSError:
            return False  # a running import holds it
    try:
        return folder.stat().st_mtime < time.time() - _STALE_AFTER_SECONDS
    except OSError:
        return False


def _remove_stale_temporaries(root: Path) -> None:
    """Remove what killed or failed imports left under ``root``: ``.import-*`` work folders and version folders
    that ``CURRENT`` does not name, once no running import holds them (see :class:`_ImportLock`)."""
    live = _pointer(root)
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name == live or not entry.name.startswith((_TMP_PREFIX, "v", "sample-")) or not entry.is_dir():
            continue
        if entry.name.startswith("sample-") and not (entry / _LOCK_FILE).exists():
            continue  # a finished sample cache (kept until the sample or the matcher changes)
        if _is_abandoned(entry):
            shutil.rmtree(entry, ignore_errors=True)


def _write_info(path: Path, info: IndexInfo) -> None:
    payload = {
        name: getattr(info, name)
        for name in (
            "format_version",
            "name",
            "version",
            "origin",
            "languages",
            "counts",
            "relations",
            "labels",
            "sources",
            "notes",
            "semantic_model",
        )
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _read_info(folder: Path) -> IndexInfo:
    try:
        payload = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise SkillmapError(
            f"the imported index {folder} is damaged ({exc}); run `skillmap esco import ...` again"
        ) from exc
    return _info_from_payload(payload, folder)


def _info_from_payload(payload: dict, folder: Path) -> IndexInfo:
    if payload.get("format_version") != FORMAT_VERSION:
        raise SkillmapError(
            f"the imported index {folder} was written by another skillmap version (format "
            f"{payload.get('format_version')}, this one reads {FORMAT_VERSION}); run `skillmap esco import ...` again"
        )
    return IndexInfo(
        version=str(payload["version"]),
        languages=tuple(payload["languages"]),
        counts={str(k): int(v) for k, v in payload["counts"].items()},
        origin=str(payload["origin"]),
        sources=tuple(payload["sources"]),
        format_version=int(payload["format_version"]),
        name=str(payload.get("name", "ESCO")),
        relations=int(payload.get("relations", 0)),
        labels=int(payload.get("labels", 0)),
        notes=tuple(payload.get("notes", ())),
        location=str(folder),
        semantic_model=str(payload.get("semantic_model", "")),
    )


# Labels and broader URIs of a concept are packed into one string each: JSON decodes a few long strings much
# faster than many small lists. The separators are ASCII unit/record separators, which never occur in labels
# (readers collapse all whitespace, and str.split() counts these characters as whitespace).
_UNIT, _RECORD = "\x1f", "\x1e"


def _write_classification(path: Path, classification: Classification) -> None:
    """Compact JSON: one array per concept, relations as flat (occupation, skill, essential?) positions."""
    position = {concept.uri: i for i, concept in enumerate(classification.concepts)}
    relations: list[int] = []
    for r in classification.relations:
        relations += (position[r.occupation_uri], position[r.skill_uri], int(r.relation == "essential"))
    payload = {
        "format_version": FORMAT_VERSION,
        "name": classification.name,
        "version": classification.version,
        "languages": list(classification.languages),
        "origin": classification.origin,
        "sources": list(classification.sources),
        "concepts": [
            [
                c.uri,
                c.kind,
                c.skill_type,
                c.reuse_level,
                c.code,
                _UNIT.join(c.broader),
                _RECORD.join(f"{_ROLE_CODES[label.role]}{label.lang}{_UNIT}{label.text}" for label in c.labels),
                _UNIT.join(c.collections),
                _RECORD.join(f"{d.lang}{_UNIT}{d.text}" for d in c.descriptions),
            ]
            for c in classification.concepts
        ],
        "relations": relations,
    }
    # json.dumps runs in C; json.dump to a file would encode chunk by chunk in Python (several times slower)
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read_classification(folder: Path) -> Classification:
    try:
        payload = json.loads((folder / CLASSIFICATION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SkillmapError(
            f"the imported index {folder} is damaged ({exc}); run `skillmap esco import ...` again"
        ) from exc
    labels_cache: dict[str, Label] = {}
    concepts = []
    for uri, kind, skill_type, reuse_level, code, broader, labels, *rest in payload["concepts"]:
        collections = rest[0] if rest else ""  # stores written before collections were read have none
        described = rest[1] if len(rest) > 1 else ""  # nor descriptions, before they were read
        built = []
        for packed in labels.split(_RECORD) if labels else ():
            label = labels_cache.get(packed)
            if label is None:
                head, _sep, text = packed.partition(_UNIT)
                label = labels_cache[packed] = Label(text=text, lang=head[1:], role=_ROLES_BY_CODE[head[0]])  # type: ignore[arg-type]
            built.append(label)
        concepts.append(
            Concept(
                uri=uri,
                kind=kind,
                labels=tuple(built),
                skill_type=skill_type,
                reuse_level=reuse_level,
                code=code,
                broader=tuple(broader.split(_UNIT)) if broader else (),
                collections=tuple(collections.split(_UNIT)) if collections else (),
                descriptions=tuple(
                    Label(text=text, lang=lang)
                    for lang, _sep, text in (packed.partition(_UNIT) for packed in described.split(_RECORD))
                )
                if described
                else (),
            )
        )
    flat = payload["relations"]
    relations = tuple(
        SkillRelation(
            occupation_uri=concepts[flat[i]].uri,
            skill_uri=concepts[flat[i + 1]].uri,
            relation="essential" if flat[i + 2] else "optional",
        )
        for i in range(0, len(flat), 3)
    )
    return Classification(
        name=payload["name"],
        version=payload["version"],
        languages=tuple(payload["languages"]),
        concepts=tuple(concepts),
        relations=relations,
        origin=payload["origin"],
        sources=tuple(payload["sources"]),
    )


def _sample_info(sample: Classification) -> IndexInfo:
    return IndexInfo(
        version=sample.version,
        languages=sample.languages,
        counts=sample.counts(),
        origin="sample",
        sources=sample.sources,
        name=sample.name,
        relations=len(sample.relations),
        labels=sum(len(c.labels) for c in sample.concepts),
        location=str(sample_path()),
    )


def _open_sample(progress: ImportProgress | None = None) -> LoadedIndex:
    """Open the bundled sample, reusing its match index (and semantic matrix) from :func:`cache_dir` when they
    were built before; the first use builds and embeds them (``progress("embedding", done, total)``).

    The cache key covers the sample file, the matching code and the semantic model, so a new release never
    reads a stale index. Without a writable cache the index is simply built in memory.
    """
    import hashlib

    from skillmap.match import ConceptIndex

    path = sample_path()
    digest = hashlib.sha256(path.read_bytes())
    for tags in sample_tag_paths(path):
        if tags.is_file():
            digest.update(tags.read_bytes())
    digest.update(_matching_code_key(semantic=True))
    digest.update(str(FORMAT_VERSION).encode())
    folder = cache_dir() / f"sample-{digest.hexdigest()[:16]}"
    info_path = folder / INFO_FILE
    if info_path.is_file():
        try:
            payload = json.loads(info_path.read_text(encoding="utf-8"))
            info = replace(_info_from_payload(payload, folder), location=str(path))
            return LoadedIndex(ConceptIndex.load(folder), info, load_sample)
        except Exception:  # a damaged cache is rebuilt below
            pass
    sample = load_sample()
    index = ConceptIndex.build(sample)
    index.embed(progress=(lambda done, total: progress("embedding", done, total)) if progress else None)
    info = replace(_sample_info(sample), semantic_model=index.semantic.model if index.semantic is not None else "")
    _cache_sample_index(folder, index, info)
    return LoadedIndex(index, info, lambda: sample)


def _cache_sample_index(folder: Path, index: ConceptIndex, info: IndexInfo) -> None:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(folder.parent)
        work = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=folder.parent))
        lock = _ImportLock(work)
    except OSError:
        return  # read-only home: fine, the sample is used from memory
    try:
        index.save(work)
        _write_info(work / INFO_FILE, info)
        lock.release()
        (work / _LOCK_FILE).unlink()
        os.rename(work, folder)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)  # another process won the race, or the disk is full
    finally:
        lock.release()
    for stale in folder.parent.glob("sample-*"):
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)


def _matching_code_key(*, semantic: bool) -> bytes:
    """What a cached index depends on besides its data: the matching code, and the semantic model when it is
    installed at the pinned version and wanted (checked without importing :mod:`importlib.metadata`)."""
    import skillmap.match
    import skillmap.semantic as semantic_model

    code = Path(skillmap.match.__file__).read_bytes()
    spec = semantic_model.model_spec()
    model = spec.ident if semantic and semantic_model.installed_version(spec) == spec.version else "lexical"
    return code + model.encode()


TAXONOMY_CACHE_KEEP = 4  # taxonomy indexes kept in the cache (the most recently built)


def open_taxonomy(path: str | Path, *, semantic: bool = True, progress: ImportProgress | None = None) -> ConceptIndex:
    """The match index of a taxonomy file (``skills --taxonomy``, ``evaluate --taxonomy``), with its semantic
    matrix unless ``semantic`` is False; built on first use (``progress("embedding", done, total)``) and cached
    in :func:`cache_dir` by the file's content, so a second run starts at once."""
    import hashlib

    from skillmap.match import ConceptIndex
    from skillmap.sources.taxonomy import read_taxonomy

    path = Path(path)
    if not path.exists():
        raise SkillmapError(f"taxonomy file not found: {path}")
    try:
        digest = hashlib.sha256(path.read_bytes())
    except OSError as exc:
        raise SkillmapError(f"cannot read the taxonomy {path}: {exc.strerror or exc}") from exc
    digest.update(_matching_code_key(semantic=semantic))
    folder = cache_dir() / f"taxonomy-{digest.hexdigest()[:16]}"
    if (folder / "match-meta.json").is_file():
        try:
            return ConceptIndex.load(folder)
        except Exception:  # a damaged cache is rebuilt below
            shutil.rmtree(folder, ignore_errors=True)
    index = ConceptIndex.build(read_taxonomy(path))
    if semantic:
        index.embed(progress=(lambda done, total: progress("embedding", done, total)) if progress else None)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=folder.parent))
        index.save(work)
        os.rename(work, folder)
        os.utime(folder)
    except OSError:
        return index  # read-only or full cache: fine, the index is used from memory
    built = sorted(folder.parent.glob("taxonomy-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in built[TAXONOMY_CACHE_KEEP:]:
        shutil.rmtree(stale, ignore_errors=True)
    return ConceptIndex.load(folder)
