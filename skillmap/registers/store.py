"""The registers store: one SQLite database of imported registers, read and written in transactions.

Imported registers live in ``$SKILLMAP_HOME/registers.sqlite``: one row per qualification (the full
:class:`RegisterRecord` as JSON), an FTS5 index over the normalised forms of every title, and a table of the
ESCO skills/occupations each record carries. Every import runs in one transaction: a failure rolls back and
leaves the previous content. Searching and ranking live in :mod:`skillmap.registers.search` and
:mod:`skillmap.registers.equivalents`; this module only stores and retrieves.
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from skillmap.errors import SkillmapError
from skillmap.model import RegisterRecord
from skillmap.registers.records import labelled_pairs, record_from_json, record_to_json
from skillmap.registers.results import RegisterInfo
from skillmap.text.titles import normalise_title, title_words

SCHEMA_VERSION = 1
IMPORT_HINT = "import one first (`skillmap registers import PATH`, or import_register() in Python)"

_SCHEMA = """
CREATE TABLE registers (
    name TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    source_file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    records INTEGER NOT NULL,
    countries TEXT NOT NULL
);
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    register TEXT NOT NULL,
    country TEXT NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    eqf_level INTEGER,
    data TEXT NOT NULL
);
CREATE INDEX records_register ON records(register);
CREATE INDEX records_country_level ON records(country, eqf_level);
CREATE INDEX records_code ON records(code);
CREATE VIRTUAL TABLE titles USING fts5(
    norm, text UNINDEXED, country UNINDEXED, record_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE titles_vocab USING fts5vocab(titles, 'row');
CREATE TABLE terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE record_concepts (record_id INTEGER NOT NULL, kind TEXT NOT NULL, uri TEXT NOT NULL, label TEXT NOT NULL);
CREATE INDEX record_concepts_uri ON record_concepts(kind, uri);
CREATE INDEX record_concepts_record ON record_concepts(record_id);
"""

# --- the store -------------------------------------------------------------------------------------------

_WRITE_FAILURES = ("disk is full", "disk i/o error", "readonly database", "unable to open database")


def _is_write_failure(exc: sqlite3.Error) -> bool:
    """True for SQLite errors the user fixes on the machine (a full disk, a quota, a read-only folder)."""
    return any(part in str(exc).lower() for part in _WRITE_FAILURES)


def _prepare_schema(connection: sqlite3.Connection, path: Path) -> None:
    """Create the schema in a new (empty) database; refuse a database that is not a store of this version."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        if connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise SkillmapError(f"{path} is not a skillmap registers store; move it away and import again")
        connection.executescript("BEGIN;" + _SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
    elif version != SCHEMA_VERSION:
        raise SkillmapError(
            f"{path} was written by another skillmap version (store version {version}); "
            "remove it and import the registers again"
        )


class RegisterStore:
    """The SQLite database of imported registers. Open with :meth:`open`; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._df_cache: dict[str, int] = {}
        self._vocabulary: list[str] | None = None
        self._total_titles: int | None = None

    # lifecycle
    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = False) -> RegisterStore:
        """Open the store at ``path`` (default ``$SKILLMAP_HOME/registers.sqlite``).

        Without ``create``, a missing store raises :class:`SkillmapError` saying how to import a register.
        """
        from skillmap.store import registers_db_path

        path = Path(path) if path is not None else registers_db_path(create=create)
        if not create and not path.is_file():
            raise SkillmapError(f"no register imported yet; {IMPORT_HINT}")
        try:
            connection = sqlite3.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            raise SkillmapError(f"cannot open the registers store {path} ({exc})") from exc
        try:
            _prepare_schema(connection, path)
        except sqlite3.DatabaseError as exc:
            connection.close()
            if "fts5" in str(exc).lower():
                raise SkillmapError(
                    f"this Python's SQLite {sqlite3.sqlite_version} has no FTS5 full-text search, which the registers "
                    "store needs; use a Python built with a standard SQLite (python.org, most Linux distributions)"
                ) from exc
            if _is_write_failure(exc):
                raise SkillmapError(f"cannot write the registers store {path}: {exc}; nothing was imported") from exc
            raise SkillmapError(f"cannot open the registers store {path} ({exc}); remove it and import again") from exc
        except BaseException:
            connection.close()
            raise
        return cls(connection, path)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> RegisterStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # registers
    def registers(self) -> list[RegisterInfo]:
        """Return the imported registers, sorted by name."""
        rows = self._db.execute(
            "SELECT name, format, source_file, sha256, records, countries FROM registers ORDER BY name"
        ).fetchall()
        return [RegisterInfo(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5]))) for r in rows]

    def countries(self) -> list[str]:
        """Return the countries that have at least one record, sorted."""
        return [r[0] for r in self._db.execute("SELECT DISTINCT country FROM records ORDER BY country")]

    def replace_register(
        self, name: str, fmt: str, source: Path, records: Sequence[RegisterRecord], *, sha256: str = ""
    ) -> RegisterInfo:
        """Store ``records`` as register ``name``, replacing any earlier import of that name, in one transaction."""
        if not records:
            raise SkillmapError(f"register {name!r} has no records; nothing imported")
        countries = tuple(sorted({r.country for r in records}))
        info = RegisterInfo(name, fmt, source.name, sha256, len(records), countries)
        with self._changing() as cursor:
            self._delete_register(cursor, name)
            cursor.execute(
                "INSERT INTO registers VALUES (?, ?, ?, ?, ?, ?)",
                (name, fmt, info.source_file, sha256, len(records), json.dumps(list(countries))),
            )
            next_id = (cursor.execute("SELECT coalesce(max(id), 0) FROM records").fetchone()[0]) + 1
            record_rows, title_rows, concept_rows = [], [], []
            for offset, record in enumerate(records):
                record_id = next_id + offset
                record_rows.append(
                    (
                        record_id,
                        name,
                        record.country,
                        record.code,
                        record.title,
                        record.eqf_level,
                        record_to_json(record),
                    )
                )
                for text in dict.fromkeys((record.title, *record.titles)):
                    norm = normalise_title(text)
                    if norm:
                        title_rows.append((norm, text, record.country, record_id))
                for uri, label in labelled_pairs(record.skills, record.skill_labels):
                    concept_rows.append((record_id, "skill", uri, label))
                for uri, label in labelled_pairs(record.occupations, record.occupation_labels):
                    concept_rows.append((record_id, "occupation", uri, label))
            cursor.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", record_rows)
            cursor.executemany("INSERT INTO titles (norm, text, country, record_id) VALUES (?, ?, ?, ?)", title_rows)
            cursor.executemany("INSERT INTO record_concepts VALUES (?, ?, ?, ?)", concept_rows)
        return info

    def remove_register(self, name: str) -> RegisterInfo:
        """Remove register ``name``; raise :class:`SkillmapError` naming the imported ones if it does not exist."""
        found = [info for info in self.registers() if info.name == name]
        if not found:
            raise SkillmapError(f"no register named {name!r}; imported: {self.register_names()}")
        with self._changing() as cursor:
            self._delete_register(cursor, name)
        return found[0]

    @contextlib.contextmanager
    def _changing(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction: commit with the term statistics refreshed, or roll back on any error."""
        cursor = self._db.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            yield cursor
            self._refresh_terms(cursor)
            cursor.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                cursor.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and _is_write_failure(exc):
                raise SkillmapError(
                    f"cannot write the registers store {self.path}: {exc}; the store is unchanged"
                ) from exc
            raise
        self._forget_caches()

    @staticmethod
    def _delete_register(cursor: sqlite3.Cursor, name: str) -> None:
        ids = "SELECT id FROM records WHERE register = ?"
        cursor.execute(f"DELETE FROM titles WHERE record_id IN ({ids})", (name,))
        cursor.execute(f"DELETE FROM record_concepts WHERE record_id IN ({ids})", (name,))
        cursor.execute("DELETE FROM records WHERE register = ?", (name,))
        cursor.execute("DELETE FROM registers WHERE name = ?", (name,))

    @staticmethod
    def _refresh_terms(cursor: sqlite3.Cursor) -> None:
        # Document frequencies of title words, for IDF weights at lookup time (one indexed read per query word).
        cursor.execute("DELETE FROM terms")
        cursor.execute("INSERT INTO terms SELECT term, doc FROM titles_vocab")

    def _forget_caches(self) -> None:
        self._df_cache.clear()
        self._vocabulary = None
        self._total_titles = None

    def register_names(self) -> str:
        infos = self.registers()
        if not infos:
            return "none"
        return ", ".join(f"{i.name} ({', '.join(i.countries)})" for i in infos)

    # records
    def record(self, code: str) -> RegisterRecord:
        """Return the record with ``code`` (or ``REGISTER:CODE`` when several registers hold that code)."""
        rows = self._db.execute(
            "SELECT data, register FROM records WHERE code = ? ORDER BY register", (code,)
        ).fetchall()
        if not rows and ":" in code:
            register, _, bare = code.partition(":")
            rows = self._db.execute(
                "SELECT data, register FROM records WHERE code = ? AND register = ?", (bare, register)
            ).fetchall()
        if not rows:
            raise SkillmapError(
                f"no qualification with code {code!r} in the imported registers ({self.register_names()})"
            )
        if len(rows) > 1:
            choices = ", ".join(f"{r[1]}:{code}" for r in rows)
            raise SkillmapError(f"code {code!r} is in several registers; write one of: {choices}")
        return record_from_json(rows[0][0])

    def resolve_country(self, country: str | None) -> tuple[str, ...]:
        """Map a ``--country`` value to the countries present in the store (``GB`` → ``GB-ENG`` …).

        Raises :class:`SkillmapError` naming the imported registers when none matches.
        """
        present = self.countries()
        if not present:
            raise SkillmapError(f"no register imported yet; {IMPORT_HINT}")
        if country is None:
            return tuple(present)
        from skillmap.sources.frameworks import load_frameworks

        wanted = country.strip().upper().replace("_", "-")
        try:  # the same spellings as everywhere ("el", "gb eng")
            wanted = load_frameworks().normalise_country(country)
        except SkillmapError:
            if wanted not in {"UK", *(c.split("-")[0] for c in load_frameworks().countries())}:
                raise  # an unknown code: say so, with the closest codes
            # "GB", "UK", "BE" name several regions: matched below
        if wanted in present:
            return (wanted,)
        regional = tuple(c for c in present if c.split("-")[0] == wanted)
        if regional:
            return regional
        if wanted == "UK":
            regional = tuple(c for c in present if c.split("-")[0] == "GB")
            if regional:
                return regional
        raise SkillmapError(
            f"no register for country {country!r} is imported; imported registers: {self.register_names()}"
        )

    def sort_keys(self, ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        """(country, code, register) per record id: the tie-break of equal scores."""
        keys: dict[int, tuple[str, str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for record_id, country, code, register in self._db.execute(
                f"SELECT id, country, code, register FROM records WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                keys[int(record_id)] = (country, code, register)
        return keys

    def candidates(self, tokens: Sequence[str], countries: Sequence[str], limit: int) -> list[tuple[int, str, str]]:
        terms = self._expand_unknown(tokens)
        total = self.titles_count()
        # Common words ("level", "award", "2") make retrieval slow and add little when rarer words are present:
        # retrieve on the words found in at most 10% of titles, or on the three rarest.
        df = {t: self._retrieval_frequency(t) for t in terms}
        known = sorted((t for t in terms if df[t] > 0), key=lambda t: (df[t], t))
        if not known:
            return []
        selective = known
        if total > 2000:
            selective = [t for t in known if df[t] <= 0.10 * total] or known[:3]
        match = " OR ".join(selective)  # prefix terms ("word"*) also reach longer words with that df or more
        placeholders = ",".join("?" * len(countries))
        rows = self._db.execute(
            f"SELECT record_id, norm, text FROM titles WHERE titles MATCH ? AND country IN ({placeholders}) "
            "ORDER BY rank LIMIT ?",
            (match, *countries, limit),
        ).fetchall()
        return [(int(r[0]), r[1], r[2]) for r in rows]

    def _expand_unknown(self, tokens: Sequence[str]) -> list[str]:
        """FTS5 terms for the query: each word as a prefix (plurals, abbreviations) plus corrections of typos."""
        terms: list[str] = []
        df = self.document_frequencies(tokens)
        for token in tokens:
            terms.append(f'"{token}"*' if len(token) >= 4 else f'"{token}"')
            if df.get(token, 0) == 0 and len(token) >= 4 and not token.isdigit():
                for term, _score, _ in process.extract(
                    token, self._vocabulary_terms(), scorer=fuzz.ratio, limit=3, score_cutoff=75
                ):
                    terms.append(f'"{term}"')
        return list(dict.fromkeys(terms))

    def _retrieval_frequency(self, term: str) -> int:
        """How many titles an FTS5 term reaches: ``"word"`` its document frequency, ``"word"*`` every word
        starting so (summed, so an upper bound)."""
        word = term.strip('"*')
        if not term.endswith("*"):
            return self.document_frequencies([word])[word]
        row = self._db.execute(
            "SELECT coalesce(sum(df), 0) FROM terms WHERE term >= ? AND term < ?", (word, word + "{")
        )
        return int(row.fetchone()[0])

    def _vocabulary_terms(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = [r[0] for r in self._db.execute("SELECT term FROM terms")]
        return self._vocabulary

    def titles_count(self) -> int:
        if self._total_titles is None:
            self._total_titles = int(self._db.execute("SELECT count(*) FROM titles").fetchone()[0])
        return self._total_titles

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        missing = [t.strip('"*') for t in terms if t.strip('"*') not in self._df_cache]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            found = dict(
                self._db.execute(f"SELECT term, df FROM terms WHERE term IN ({','.join('?' * len(chunk))})", chunk)
            )
            for term in chunk:
                self._df_cache[term] = int(found.get(term, 0))
        return {t.strip('"*'): self._df_cache[t.strip('"*')] for t in terms}

    def title_weights(self, tokens: set[str]) -> dict[str, float]:
        total = max(self.titles_count(), 1)
        df = self.document_frequencies(sorted(tokens))
        words = title_words()
        weights = {}
        for token in tokens:
            weight = math.log(1.0 + total / max(df.get(token, 0), 1))
            if token in words.diploma_types:
                weight *= 0.6  # "CAP", "BTS", "Diploma": the kind of paper, not what it is about
            elif token.isdigit():
                weight = max(weight, 3.0)  # "Level 2" vs "Level 3" is a different qualification, however common
            weights[token] = weight
        return weights

    def records_by_id(self, ids: Sequence[int]) -> dict[int, RegisterRecord]:
        found: dict[int, RegisterRecord] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for record_id, data in self._db.execute(
                f"SELECT id, data FROM records WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                found[int(record_id)] = record_from_json(data)
        return found

    def records_in(self, countries: Sequence[str]) -> list[RegisterRecord]:
        """Every record of ``countries``, in store order (register, then file order)."""
        placeholders = ",".join("?" * len(countries))
        rows = self._db.execute(
            f"SELECT data FROM records WHERE country IN ({placeholders}) ORDER BY id", tuple(countries)
        ).fetchall()
        return [record_from_json(r[0]) for r in rows]

    def contents_key(self) -> tuple[tuple[str, str, int], ...]:
        """What identifies the store's contents: (name, sha256, records) of every register."""
        return tuple((i.name, i.sha256, i.records) for i in self.registers())

    def record_ids(self, countries: Sequence[str], records: Sequence[RegisterRecord]) -> list[int]:
        """The store ids of ``records`` that are in ``countries``."""
        ids: list[int] = []
        for record in records:
            row = self._db.execute(
                "SELECT id FROM records WHERE code = ? AND register = ? AND country = ?",
                (record.code, record.register, record.country),
            ).fetchone()
            if row and record.country in countries:
                ids.append(int(row[0]))
        return ids

    def records_sharing(self, kind: str, uris: Sequence[str], countries: Sequence[str]) -> list[tuple[int, str, str]]:
        """``(record id, uri, label)`` of every record in ``countries`` that carries one of ``uris`` (of ``kind``)."""
        found: list[tuple[int, str, str]] = []
        placeholders = ",".join("?" * len(countries))
        for start in range(0, len(uris), 500):
            chunk = list(uris[start : start + 500])
            rows = self._db.execute(
                f"SELECT c.record_id, c.uri, c.label FROM record_concepts c JOIN records r ON r.id = c.record_id "
                f"WHERE c.kind = ? AND c.uri IN ({','.join('?' * len(chunk))}) AND r.country IN ({placeholders})",
                (kind, *chunk, *countries),
            ).fetchall()
            found.extend((int(record_id), uri, label) for record_id, uri, label in rows)
        return found

    def record_count(self, countries: Sequence[str]) -> int:
        """How many records ``countries`` hold."""
        placeholders = ",".join("?" * len(countries))
        return int(
            self._db.execute(f"SELECT count(*) FROM records WHERE country IN ({placeholders})", countries).fetchone()[0]
        )

    def ids_in(self, countries: Sequence[str]) -> list[int]:
        """The ids of every record of ``countries``."""
        placeholders = ",".join("?" * len(countries))
        rows = self._db.execute(f"SELECT id FROM records WHERE country IN ({placeholders})", countries).fetchall()
        return [int(r[0]) for r in rows]

    def titles_at_levels(
        self, lowest: int | None, highest: int | None, countries: Sequence[str]
    ) -> list[tuple[int, int | None, str]]:
        """``(id, eqf_level, title)`` of the records of ``countries`` at EQF levels ``lowest``…``highest``, or of
        every record of ``countries`` (those without a level too) when the bounds are None."""
        placeholders = ",".join("?" * len(countries))
        if lowest is None or highest is None:
            where, bounds = "", ()
        else:
            where, bounds = "eqf_level BETWEEN ? AND ? AND ", (lowest, highest)
        rows = self._db.execute(
            f"SELECT id, eqf_level, title FROM records WHERE {where}country IN ({placeholders})",
            (*bounds, *countries),
        ).fetchall()
        return [(int(r[0]), None if r[1] is None else int(r[1]), r[2]) for r in rows]


@contextlib.contextmanager
def open_store(path: str | Path | None = None, *, create: bool = False) -> Iterator[RegisterStore]:
    """Open the registers store as a context manager (see :meth:`RegisterStore.open`)."""
    store = RegisterStore.open(path, create=create)
    try:
        yield store
    finally:
        store.close()


def list_registers(store_path: str | Path | None = None) -> list[RegisterInfo]:
    """Return the imported registers (empty when nothing was imported)."""
    from skillmap.store import registers_db_path

    path = Path(store_path) if store_path is not None else registers_db_path()
    if not path.is_file():
        return []
    with open_store(path) as store:
        return store.registers()


def remove_register(name: str, store_path: str | Path | None = None) -> RegisterInfo:
    """Remove an imported register by name."""
    with open_store(store_path) as store:
        return store.remove_register(name)
