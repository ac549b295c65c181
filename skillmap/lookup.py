"""The registers store and what recognition officers ask of it: fuzzy title lookup, equivalents, comparison.

Imported registers live in one SQLite database (``$SKILLMAP_HOME/registers.sqlite``): one row per
qualification (the full :class:`RegisterRecord` as JSON), an FTS5 index over the normalised forms of every
title, and a table of the ESCO skills/occupations each record carries. A lookup retrieves candidates with
FTS5 (prefix terms, so plurals and abbreviations still hit; unknown words are corrected against the index's
vocabulary first) and reranks them with an IDF-weighted token alignment plus rapidfuzz character similarity.
Every import runs in one transaction: a failure rolls back and leaves the previous content.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from skillmap.errors import SkillmapError
from skillmap.model import ProgressCallback, RegisterRecord

SCHEMA_VERSION = 1
IMPORT_HINT = "import one with `skillmap registers import PATH --country CC`"

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

# --- title normalisation ---------------------------------------------------------------------------------

# German and French gender forms written on certificates: "Elektroniker/-in", "Kaufmann/-frau", "ElektronikerIn",
# "Fachkraft*in", "électricien(ne)", "développeur·euse", "Assistant/e". They are dropped so both forms match.
_GENDER_SUFFIXES = "innen|in|frau|frauen|ne|nne|euse|euses|rice|rices|trice|e|es|se|fe|ve|ère"
_GENDER_FORM = re.compile(rf"(?<=\w)(?:\s*/\s*-?|[*:_·.]|\()(?:{_GENDER_SUFFIXES})\)?(?![\w])", re.IGNORECASE)
_BINNEN_I = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")
_DOTTED_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}(?![^\W\d_])")  # "C.A.P." → "CAP"
_TOKEN_PIECE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class TitleWords:
    """Words that say little about which qualification a title is: function words and diploma types."""

    stopwords: frozenset[str]
    diploma_types: dict[str, str]


@lru_cache(maxsize=1)
def title_words() -> TitleWords:
    """Load ``data/registers/title_words.csv`` (stop words and diploma-type abbreviations, several languages)."""
    from skillmap.fileio import bundled_data_dir, read_data_rows
    from skillmap.text import fold

    stopwords: set[str] = set()
    diploma_types: dict[str, str] = {}
    for row in read_data_rows(bundled_data_dir() / "registers" / "title_words.csv"):
        word = fold(row["word"].strip())
        if row["kind"] == "stopword":
            stopwords.add(word)
        elif row["kind"] == "diploma_type":
            diploma_types[word] = row["meaning"].strip()
    return TitleWords(frozenset(stopwords), diploma_types)


def title_tokens(text: str) -> list[str]:
    """Normalise a qualification title into tokens: case, accents, punctuation and gender forms removed.

    ``"Elektroniker/-in Energie- und Gebäudetechnik"`` → ``["elektroniker", "energie", "und", "gebaudetechnik"]``;
    ``"BP ÉLECTRICIEN (BP)"`` → ``["bp", "electricien", "bp"]``. Order is kept; stop words are kept (see
    :func:`content_tokens`).
    """
    from skillmap.text import fold, words

    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _BINNEN_I.sub("", text)
    text = _GENDER_FORM.sub("", text)
    tokens: list[str] = []
    for word in words(text):
        tokens.extend(_TOKEN_PIECE.findall(fold(word)))
    return tokens


def content_tokens(tokens: Sequence[str]) -> list[str]:
    """Drop stop words and repeated tokens, keeping first-seen order (all of them when nothing else is left)."""
    stop = title_words().stopwords
    kept = list(dict.fromkeys(t for t in tokens if t not in stop))
    return kept or list(dict.fromkeys(tokens))


def normalise_title(text: str) -> str:
    """The normalised form of a title that the index stores: :func:`title_tokens` joined by spaces."""
    return " ".join(title_tokens(text))


# --- results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterInfo:
    """An imported register: its name, format, source file (and checksum), size and countries."""

    name: str
    format: str
    source_file: str
    sha256: str
    records: int
    countries: tuple[str, ...]
    skipped_rows: tuple[int, ...] = ()  # set by an import: data rows left out (no title, or no code)


def _scored_record_fields(record: RegisterRecord, score: float) -> dict[str, Any]:
    """The fields every scored result starts with, in the order ``--format json`` prints them."""
    return {
        "code": record.code,
        "title": record.title,
        "country": record.country,
        "score": round(score, 4),
        "eqf_level": record.eqf_level,
        "nqf_level": record.nqf_level,
        "level_status": record.level_status,
    }


@dataclass(frozen=True)
class LookupMatch:
    """A register record that matches a typed title: ``score`` in [0, 1] and ``why`` in words."""

    record: RegisterRecord
    score: float
    matched_title: str
    why: str

    def summary(self) -> dict[str, Any]:
        """The flat fields ``lookup --format json`` prints for this match."""
        r = self.record
        return {
            **_scored_record_fields(r, self.score),
            "level_reason": r.extra.get("level_reason", ""),
            "awarding_body": r.awarding_body,
            "register": r.register,
            "status": r.status,
            "matched_title": self.matched_title,
            "why": self.why,
            "skills": list(r.skills),
            "skill_labels": list(r.skill_labels),
            "occupations": list(r.occupations),
            "occupation_labels": list(r.occupation_labels),
            "competence_blocks": [b for b in r.extra.get("competence_blocks", "").split(" | ") if b],
            "url": r.url,
        }


@dataclass(frozen=True)
class Equivalent:
    """A qualification in the target country comparable to the source one, with the evidence for it."""

    record: RegisterRecord
    score: float
    level_relation: str  # same / higher / lower / unknown
    shared_skills: tuple[str, ...]
    shared_skill_labels: tuple[str, ...]
    shared_occupations: tuple[str, ...]
    title_similarity: float
    evidence: tuple[str, ...]
    thin: bool

    def summary(self) -> dict[str, Any]:
        """The flat fields ``lookup --to --format json`` prints for this candidate."""
        r = self.record
        return {
            **_scored_record_fields(r, self.score),
            "level_relation": self.level_relation,
            "shared_skills": list(self.shared_skills),
            "shared_skill_labels": list(self.shared_skill_labels),
            "shared_occupations": list(self.shared_occupations),
            "title_similarity": round(self.title_similarity, 4),
            "evidence": list(self.evidence),
            "thin_evidence": self.thin,
            "register": r.register,
        }


@dataclass(frozen=True)
class Comparison:
    """Two qualifications side by side: levels, shared and missing skills and occupations."""

    first: RegisterRecord
    second: RegisterRecord
    level_relation: str  # of the second relative to the first: same / higher / lower / unknown
    shared_skills: tuple[tuple[str, str], ...]  # (uri, label)
    only_first: tuple[tuple[str, str], ...]
    only_second: tuple[tuple[str, str], ...]
    shared_occupations: tuple[tuple[str, str], ...]
    title_similarity: float
    notes: tuple[str, ...] = field(default=())


# --- the store -------------------------------------------------------------------------------------------


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
                    (record_id, name, record.country, record.code, record.title, record.eqf_level, _to_json(record))
                )
                for text in dict.fromkeys((record.title, *record.titles)):
                    norm = normalise_title(text)
                    if norm:
                        title_rows.append((norm, text, record.country, record_id))
                for uri, label in _pairs(record.skills, record.skill_labels):
                    concept_rows.append((record_id, "skill", uri, label))
                for uri, label in _pairs(record.occupations, record.occupation_labels):
                    concept_rows.append((record_id, "occupation", uri, label))
            cursor.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", record_rows)
            cursor.executemany("INSERT INTO titles (norm, text, country, record_id) VALUES (?, ?, ?, ?)", title_rows)
            cursor.executemany("INSERT INTO record_concepts VALUES (?, ?, ?, ?)", concept_rows)
        return info

    def remove_register(self, name: str) -> RegisterInfo:
        """Remove register ``name``; raise :class:`SkillmapError` naming the imported ones if it does not exist."""
        found = [info for info in self.registers() if info.name == name]
        if not found:
            raise SkillmapError(f"no register named {name!r}; imported: {self._register_names()}")
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
        except BaseException:
            if self._db.in_transaction:
                cursor.execute("ROLLBACK")
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

    def _register_names(self) -> str:
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
                f"no qualification with code {code!r} in the imported registers ({self._register_names()})"
            )
        if len(rows) > 1:
            choices = ", ".join(f"{r[1]}:{code}" for r in rows)
            raise SkillmapError(f"code {code!r} is in several registers; write one of: {choices}")
        return _from_json(rows[0][0])

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
            f"no register for country {country!r} is imported; imported registers: {self._register_names()}"
        )

    # lookup
    def search(self, query: str, *, countries: Sequence[str] | None = None, top: int = 5) -> list[LookupMatch]:
        """Return the ``top`` records whose titles best match ``query``, best first (ties by country, code, register).

        ``countries`` limits the search (default: every country in the store); see :meth:`resolve_country`.
        """
        if top < 1:
            raise SkillmapError("--top must be at least 1")
        query_tokens = content_tokens(title_tokens(query))
        if not query_tokens:
            raise SkillmapError(f"the title {query!r} has no letters or digits to search for")
        wanted = tuple(countries) if countries else tuple(self.countries())
        candidates = self._candidates(query_tokens, wanted, limit=max(200, top * 20))
        weights = self._weights(set(query_tokens) | {t for _, norm, _ in candidates for t in norm.split()})
        best: dict[int, tuple[float, str, str]] = {}
        for record_id, norm, text in candidates:
            score, why = _title_score(query_tokens, content_tokens(norm.split()), weights)
            previous = best.get(record_id)
            if previous is None or score > previous[0]:
                best[record_id] = (score, text, why)
        keys = self._sort_keys(list(best))
        ranked = sorted(best.items(), key=lambda item: (-round(item[1][0], 6), *keys[item[0]]))[:top]
        records = self._records([record_id for record_id, _ in ranked])
        return [
            LookupMatch(
                records[record_id], score, text, why if text == records[record_id].title else f"{why}; as {text!r}"
            )
            for record_id, (score, text, why) in ranked
        ]

    def _sort_keys(self, ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        """(country, code, register) per record id: the tie-break of equal scores."""
        keys: dict[int, tuple[str, str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for record_id, country, code, register in self._db.execute(
                f"SELECT id, country, code, register FROM records WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                keys[int(record_id)] = (country, code, register)
        return keys

    def search_many(
        self,
        queries: Sequence[str],
        *,
        countries: Sequence[str] | None = None,
        top: int = 5,
        progress: ProgressCallback | None = None,
    ) -> list[list[LookupMatch]]:
        """Run :meth:`search` for each query (empty queries give an empty list), sharing caches."""
        results: list[list[LookupMatch]] = []
        for done, query in enumerate(queries, start=1):
            try:
                results.append(self.search(query, countries=countries, top=top) if query.strip() else [])
            except SkillmapError:
                results.append([])  # a query without letters: no match, the batch goes on
            if progress is not None:
                progress(done, len(queries))
        return results

    def _candidates(self, tokens: Sequence[str], countries: Sequence[str], limit: int) -> list[tuple[int, str, str]]:
        terms = self._expand_unknown(tokens)
        total = self._titles_count()
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
        df = self._document_frequencies(tokens)
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
            return self._document_frequencies([word])[word]
        row = self._db.execute(
            "SELECT coalesce(sum(df), 0) FROM terms WHERE term >= ? AND term < ?", (word, word + "{")
        )
        return int(row.fetchone()[0])

    def _vocabulary_terms(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = [r[0] for r in self._db.execute("SELECT term FROM terms")]
        return self._vocabulary

    def _titles_count(self) -> int:
        if self._total_titles is None:
            self._total_titles = int(self._db.execute("SELECT count(*) FROM titles").fetchone()[0])
        return self._total_titles

    def _document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        missing = [t.strip('"*') for t in terms if t.strip('"*') not in self._df_cache]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            found = dict(
                self._db.execute(f"SELECT term, df FROM terms WHERE term IN ({','.join('?' * len(chunk))})", chunk)
            )
            for term in chunk:
                self._df_cache[term] = int(found.get(term, 0))
        return {t.strip('"*'): self._df_cache[t.strip('"*')] for t in terms}

    def _weights(self, tokens: set[str]) -> dict[str, float]:
        total = max(self._titles_count(), 1)
        df = self._document_frequencies(sorted(tokens))
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

    def _records(self, ids: Sequence[int]) -> dict[int, RegisterRecord]:
        found: dict[int, RegisterRecord] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for record_id, data in self._db.execute(
                f"SELECT id, data FROM records WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                found[int(record_id)] = _from_json(data)
        return found

    # equivalents
    def equivalents(self, source: RegisterRecord, *, to_country: str, top: int = 5) -> list[Equivalent]:
        """Rank qualifications of ``to_country`` comparable to ``source`` (level, shared skills and occupations,
        title similarity), best first, each with the evidence in words."""
        targets = self.resolve_country(to_country)
        placeholders = ",".join("?" * len(targets))
        candidate_ids: set[int] = set()
        shared: dict[int, dict[str, list[tuple[str, str]]]] = {}
        for kind, uris in (("skill", source.skills), ("occupation", source.occupations)):
            for start in range(0, len(uris), 500):
                chunk = list(uris[start : start + 500])
                rows = self._db.execute(
                    f"SELECT c.record_id, c.uri, c.label FROM record_concepts c JOIN records r ON r.id = c.record_id "
                    f"WHERE c.kind = ? AND c.uri IN ({','.join('?' * len(chunk))}) AND r.country IN ({placeholders})",
                    (kind, *chunk, *targets),
                ).fetchall()
                for record_id, uri, label in rows:
                    candidate_ids.add(int(record_id))
                    shared.setdefault(int(record_id), {}).setdefault(kind, []).append((uri, label))
        title_hits = {m.record.code: m for m in self.search(source.title, countries=targets, top=50)}
        candidate_ids.update(self._ids_for(targets, [m.record for m in title_hits.values()]))
        size = self._db.execute(f"SELECT count(*) FROM records WHERE country IN ({placeholders})", targets)
        if size.fetchone()[0] <= 2000:  # a small register: weigh every qualification in it
            rows = self._db.execute(f"SELECT id FROM records WHERE country IN ({placeholders})", targets).fetchall()
            candidate_ids.update(int(r[0]) for r in rows)
        elif source.eqf_level is not None:  # a large one: the same EQF level and the levels next to it
            rows = self._db.execute(
                f"SELECT id, eqf_level, title FROM records WHERE eqf_level BETWEEN ? AND ? AND country IN "
                f"({placeholders})",
                (source.eqf_level - 1, source.eqf_level + 1, *targets),
            ).fetchall()
            candidate_ids.update(_closest_per_level(source.title, rows, per_level=150))
        records = self._records(sorted(candidate_ids))
        source_tokens = content_tokens(title_tokens(source.title))
        weights = self._weights(set(source_tokens) | {t for r in records.values() for t in title_tokens(r.title)})
        results: list[Equivalent] = []
        for record_id, record in records.items():
            if (record.register, record.code) == (source.register, source.code):
                continue  # the source itself, when looking for equivalents at home
            evidence = shared.get(record_id, {})
            results.append(_equivalent(source, record, evidence, source_tokens, weights))
        results.sort(key=lambda e: (-round(e.score, 6), e.record.country, e.record.code, e.record.register))
        return results[:top]

    def _ids_for(self, countries: Sequence[str], records: Sequence[RegisterRecord]) -> list[int]:
        ids: list[int] = []
        for record in records:
            row = self._db.execute(
                "SELECT id FROM records WHERE code = ? AND register = ? AND country = ?",
                (record.code, record.register, record.country),
            ).fetchone()
            if row and record.country in countries:
                ids.append(int(row[0]))
        return ids

    def compare(self, first_code: str, second_code: str) -> Comparison:
        """Compare two qualifications given by code (``REGISTER:CODE`` when a code is in several registers)."""
        first, second = self.record(first_code), self.record(second_code)
        return compare_records(first, second, self._weights(set(title_tokens(first.title + " " + second.title))))


# --- scoring -----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _token_similarity(a: str, b: str) -> float:
    """How well word ``a`` stands for word ``b``: 1 identical, 0.9 a prefix (plural, abbreviation), fuzzy above 0.8."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0  # "Level 2" is not "Level 3"
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) >= 3 and longer.startswith(shorter):
        return 0.9 if len(shorter) >= 4 else 0.75
    similarity = fuzz.ratio(a, b) / 100.0
    if similarity >= 0.8 and len(shorter) >= 4:
        return similarity
    # A shared stem of six letters or more: "developpeur"/"development", "electricien"/"electrical".
    return 0.7 if len(shorter) >= 6 and a[:6] == b[:6] else 0.0


def _coverage(
    tokens: Sequence[str], others: Sequence[str], weights: dict[str, float]
) -> tuple[float, list[str], list[tuple[str, str]]]:
    """Weighted share of ``tokens`` found in ``others``; also the words missing and the fuzzy pairs."""
    total = found = 0.0
    missing: list[str] = []
    fuzzy: list[tuple[str, str]] = []
    for token in tokens:
        weight = weights.get(token, 1.0)
        total += weight
        best, partner = 0.0, ""
        for other in others:
            similarity = _token_similarity(token, other)
            if similarity > best:
                best, partner = similarity, other
                if best == 1.0:
                    break
        found += weight * best
        if best == 0.0:
            missing.append(token)
        elif best < 1.0:
            fuzzy.append((token, partner))
    return (found / total if total else 0.0), missing, fuzzy


def _title_score(query: Sequence[str], title: Sequence[str], weights: dict[str, float]) -> tuple[float, str]:
    """Score a title against a query (both content tokens) in [0, 1] and say why."""
    if list(query) == list(title):
        return 1.0, "same title"
    query_cover, missing, fuzzy = _coverage(query, title, weights)
    title_cover, extra, _ = _coverage(title, query, weights)
    characters = (
        max(fuzz.token_sort_ratio(" ".join(query), " ".join(title)), fuzz.ratio("".join(query), "".join(title))) / 100.0
    )
    score = 0.55 * query_cover + 0.30 * title_cover + 0.15 * characters
    if set(query) == set(title):
        score = max(score, 0.98)
    parts = [f"{len(query) - len(missing)}/{len(query)} words found"]
    query_numbers = {t for t in query if t.isdigit()}
    title_numbers = {t for t in title if t.isdigit()}
    if query_numbers and title_numbers and not query_numbers & title_numbers:
        score *= 0.85  # "Level 3" asked, "Level 1" found: a contradiction, not just a missing word
        parts.append(f"numbers differ ({', '.join(sorted(query_numbers))} vs {', '.join(sorted(title_numbers))})")
    if fuzzy:
        parts.append("close: " + ", ".join(f"{a}~{b}" for a, b in fuzzy))
    if missing:
        parts.append("not in title: " + ", ".join(missing))
    if extra:
        parts.append("title also has: " + ", ".join(extra))
    return min(score, 1.0), "; ".join(parts)


def title_similarity(first: str, second: str, weights: dict[str, float] | None = None) -> float:
    """Symmetric similarity of two titles in [0, 1] (the lookup score, averaged both ways)."""
    a, b = content_tokens(title_tokens(first)), content_tokens(title_tokens(second))
    if not a or not b:
        return 0.0
    weights = weights or {}
    return (_title_score(a, b, weights)[0] + _title_score(b, a, weights)[0]) / 2


def _level_relation(source: RegisterRecord, other: RegisterRecord) -> str:
    if source.eqf_level is None or other.eqf_level is None:
        return "unknown"
    if source.eqf_level == other.eqf_level:
        return "same"
    return "higher" if other.eqf_level > source.eqf_level else "lower"


def _closest_per_level(title: str, rows: Sequence[tuple[int, int, str]], per_level: int) -> list[int]:
    """Record ids of the ``per_level`` titles closest to ``title`` (a quick character measure) at each EQF level:
    the full evidence is then weighed for a few hundred candidates, not thousands."""
    wanted = normalise_title(title)
    by_level: dict[int, list[tuple[float, int]]] = {}
    for record_id, level, other in rows:
        quick = fuzz.token_set_ratio(wanted, normalise_title(other))
        by_level.setdefault(int(level), []).append((-quick, int(record_id)))
    return [record_id for scored in by_level.values() for _, record_id in sorted(scored)[:per_level]]


def _skill_words(record: RegisterRecord) -> set[str]:
    """The content words of a record's ESCO skill labels (words of four letters or more)."""
    return {t for label in record.skill_labels for t in content_tokens(title_tokens(label)) if len(t) >= 4}


def _related_skill_words(source: RegisterRecord, record: RegisterRecord) -> tuple[float, list[str]]:
    """How far two records' skills are alike by their label words, when they share no skill exactly.

    Two `align` outputs often pick neighbouring ESCO skills ("electrical wiring plans" / "repair wiring"): the
    share of label words in common (same word or same six-letter stem) is weaker evidence than a shared URI.
    """
    mine, theirs = _skill_words(source), _skill_words(record)
    if not mine or not theirs:
        return 0.0, []
    common = sorted(w for w in mine if any(w == o or (len(w) >= 6 and o[:6] == w[:6]) for o in theirs))
    return len(common) / min(len(mine), len(theirs)), common


def _equivalent(
    source: RegisterRecord,
    record: RegisterRecord,
    shared: dict[str, list[tuple[str, str]]],
    source_tokens: Sequence[str],
    weights: dict[str, float],
) -> Equivalent:
    relation = _level_relation(source, record)
    skills = sorted(set(shared.get("skill", [])))
    occupations = sorted(set(shared.get("occupation", [])))
    related, common_words = _related_skill_words(source, record)
    target_tokens = content_tokens(title_tokens(record.title))
    similarity = (
        (
            _title_score(source_tokens, target_tokens, weights)[0]
            + _title_score(target_tokens, source_tokens, weights)[0]
        )
        / 2
        if source_tokens and target_tokens
        else 0.0
    )
    # Content evidence, over the kinds both records carry (two registers without ESCO skills are compared on
    # occupations and titles only, rather than being marked down for what neither has).
    parts: list[tuple[float, float]] = [(0.35, similarity)]
    if source.skills and record.skills:
        exact = len(skills) / min(len(source.skills), len(record.skills))
        parts.append((0.45, max(exact, 0.6 * related)))
    if source.occupations and record.occupations:
        parts.append((0.20, len(occupations) / min(len(source.occupations), len(record.occupations))))
    content = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    # Same EQF level first, then one level apart, then unknown levels, then the rest; content orders within.
    gap = abs((record.eqf_level or 0) - (source.eqf_level or 0)) if relation != "unknown" else None
    if gap == 0:
        score = 0.5 + 0.5 * content
    elif gap == 1:
        score = 0.25 + 0.25 * content
    elif gap is None:
        score = 0.2 * content
    else:
        score = 0.1 * content
    evidence: list[str] = []
    if relation == "same":
        evidence.append(f"same EQF level ({record.eqf_level})")
    elif relation == "unknown":
        missing = source if source.eqf_level is None else record
        evidence.append(f"EQF level unknown for {missing.code} ({missing.level_status})")
    else:
        evidence.append(f"EQF {record.eqf_level}, {relation} than EQF {source.eqf_level}")
    if skills:
        labels = ", ".join(label or uri for uri, label in skills[:5])
        evidence.append(f"{len(skills)} shared ESCO skill(s): {labels}{' …' if len(skills) > 5 else ''}")
    elif related >= 0.2:
        evidence.append(f"related ESCO skills, no skill in common (label words shared: {', '.join(common_words[:6])})")
    if occupations:
        labels = ", ".join(label or uri for uri, label in occupations[:3])
        evidence.append(f"{len(occupations)} shared occupation(s): {labels}")
    if similarity >= 0.5:
        evidence.append(f"similar title ({similarity:.2f})")
    thin = not skills and not occupations and similarity < 0.5 and related < 0.3
    if thin:
        evidence.append("thin evidence")
    return Equivalent(
        record=record,
        score=score,
        level_relation=relation,
        shared_skills=tuple(uri for uri, _ in skills),
        shared_skill_labels=tuple(label for _, label in skills),
        shared_occupations=tuple(uri for uri, _ in occupations),
        title_similarity=similarity,
        evidence=tuple(evidence),
        thin=thin,
    )


def compare_records(
    first: RegisterRecord, second: RegisterRecord, weights: dict[str, float] | None = None
) -> Comparison:
    """Put two records side by side: level relation, shared/missing ESCO skills, shared occupations."""
    first_skills = dict(_pairs(first.skills, first.skill_labels))
    second_skills = dict(_pairs(second.skills, second.skill_labels))
    first_occupations = dict(_pairs(first.occupations, first.occupation_labels))
    second_occupations = dict(_pairs(second.occupations, second.occupation_labels))
    notes: list[str] = []
    if not first_skills or not second_skills:
        without = [r.code for r, s in ((first, first_skills), (second, second_skills)) if not s]
        notes.append(
            f"{' and '.join(without)} carr{'y' if len(without) > 1 else 'ies'} no ESCO skills; "
            "import an `align` output of the register to compare skills"
        )
    return Comparison(
        first=first,
        second=second,
        level_relation=_level_relation(first, second),
        shared_skills=tuple(sorted((u, first_skills[u]) for u in first_skills if u in second_skills)),
        only_first=tuple(sorted((u, first_skills[u]) for u in first_skills if u not in second_skills)),
        only_second=tuple(sorted((u, second_skills[u]) for u in second_skills if u not in first_skills)),
        shared_occupations=tuple(
            sorted((u, first_occupations[u]) for u in first_occupations if u in second_occupations)
        ),
        title_similarity=title_similarity(first.title, second.title, weights),
        notes=tuple(notes),
    )


# --- helpers -------------------------------------------------------------------------------------------------


def _pairs(uris: Sequence[str], labels: Sequence[str]) -> list[tuple[str, str]]:
    return [(uri, labels[i] if i < len(labels) else "") for i, uri in enumerate(uris)]


def _to_json(record: RegisterRecord) -> str:
    return json.dumps(asdict(record), ensure_ascii=False, sort_keys=True)


_TUPLE_FIELDS = ("titles", "skills", "skill_labels", "occupations", "occupation_labels")


def _from_json(data: str) -> RegisterRecord:
    values = json.loads(data)
    for name in _TUPLE_FIELDS:
        values[name] = tuple(values.get(name) or ())
    known = RegisterRecord.__dataclass_fields__
    return RegisterRecord(**{k: v for k, v in values.items() if k in known})


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (recorded with each import so users can tell versions apart)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- the library surface the CLI mirrors -------------------------------------------------------------------


@contextlib.contextmanager
def open_store(path: str | Path | None = None, *, create: bool = False) -> Iterator[RegisterStore]:
    """Open the registers store as a context manager (see :meth:`RegisterStore.open`)."""
    store = RegisterStore.open(path, create=create)
    try:
        yield store
    finally:
        store.close()


def import_register(
    path: str | Path,
    *,
    country: str | None = None,
    fmt: str | None = None,
    name: str | None = None,
    sheet: str | None = None,
    store_path: str | Path | None = None,
    skills_index: Any = None,
    progress: ProgressCallback | None = None,
) -> RegisterInfo:
    """Read a register file and store it (replacing an earlier import with the same name) in one transaction.

    The file is read and checked completely before the store is touched, so bad input leaves it unchanged.
    With ``skills_index`` (a concept index), records without ESCO skills get them matched first
    (:func:`match_register_skills`; ``progress`` reports that step).
    """
    from skillmap.sources.registers import default_register_name, detect_format, read_register

    path = Path(path)
    if not path.is_file():
        raise SkillmapError(f"register file not found: {path}")
    fmt = fmt or detect_format(path)
    name = name or default_register_name(path)
    if not re.fullmatch(r"[\w.\-]+", name):
        raise SkillmapError(f"register name {name!r} may only hold letters, digits, '.', '-' and '_'; pass --name")
    skipped: list[int] = []
    records = read_register(path, country=country, fmt=fmt, name=name, sheet=sheet, skipped=skipped)
    _check_unique_codes(records, path)
    if skills_index is not None:
        records = match_register_skills(records, index=skills_index, progress=progress)
    with open_store(store_path, create=True) as store:
        info = store.replace_register(name, fmt, path, records, sha256=file_sha256(path))
    return replace(info, skipped_rows=tuple(skipped))


def match_register_skills(
    records: Sequence[RegisterRecord], *, index: Any, progress: ProgressCallback | None = None
) -> list[RegisterRecord]:
    """Attach ESCO skills and occupations to records that have none, matching their titles and learning
    outcomes exactly as ``skillmap align`` does (``index`` is the live concept index, see
    :func:`skillmap.store.open_index`). Occupations given by the register (ROME codes) are kept first."""

    from skillmap.align import align_table
    from skillmap.sources.frameworks import load_frameworks
    from skillmap.sources.spreadsheets import ColumnMap, InputTable

    pending = [r for r in records if not r.skills]
    if not pending:
        return list(records)
    rows = tuple((r.code, r.country, r.title, r.learning_outcomes) for r in pending)
    table = InputTable(path="register", format="csv", headers=("code", "country", "title", "text"), rows=rows)
    columns = ColumnMap(title="title", text=("text",), code="code", country="country")
    alignments = align_table(table, columns, country=None, frameworks=load_frameworks(), index=index, progress=progress)
    matched = {}
    for record, alignment in zip(pending, alignments, strict=True):
        new_occupations = [m for m in alignment.occupations if m.uri not in record.occupations]
        labels = list(record.occupation_labels) + [""] * (len(record.occupations) - len(record.occupation_labels))
        matched[id(record)] = replace(
            record,
            skills=tuple(m.uri for m in alignment.skills),
            skill_labels=tuple(m.label for m in alignment.skills),
            occupations=(*record.occupations, *(m.uri for m in new_occupations)),
            occupation_labels=(*labels[: len(record.occupations)], *(m.label for m in new_occupations)),
            extra={**record.extra, "skills_source": "matched at import from the title and learning outcomes"},
        )
    return [matched.get(id(r), r) for r in records]


def _check_unique_codes(records: Sequence[RegisterRecord], path: Path) -> None:
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.country, record.code)
        if key in seen:
            raise SkillmapError(
                f"{path.name}: code {record.code!r} ({record.country}) appears twice; a register needs unique codes"
            )
        seen.add(key)


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


def lookup(
    query: str, *, country: str | None = None, top: int = 5, store_path: str | Path | None = None
) -> list[LookupMatch]:
    """Find the qualifications whose titles best match ``query`` (typed as written on the certificate)."""
    with open_store(store_path) as store:
        return store.search(query, countries=store.resolve_country(country), top=top)


def find_equivalents(
    query: str, *, country: str | None, to_country: str, top: int = 5, store_path: str | Path | None = None
) -> tuple[LookupMatch, list[Equivalent]]:
    """Look ``query`` up in ``country`` and rank comparable qualifications in ``to_country``."""
    with open_store(store_path) as store:
        matches = store.search(query, countries=store.resolve_country(country), top=1)
        if not matches:
            raise SkillmapError(f"no qualification matches {query!r}; check the title or the --country")
        return matches[0], store.equivalents(matches[0].record, to_country=to_country, top=top)


def compare(first_code: str, second_code: str, *, store_path: str | Path | None = None) -> Comparison:
    """Compare two imported qualifications by code."""
    with open_store(store_path) as store:
        return store.compare(first_code, second_code)


BATCH_COLUMNS = (
    "query", "code", "title", "country", "score", "eqf_level", "nqf_level", "level_status", "register",
    "next_codes", "next_titles", "next_scores",
)  # fmt: skip


def batch_lookup(
    titles_path: str | Path,
    out_path: str | Path,
    *,
    query_col: str | None = None,
    country: str | None = None,
    top: int = 5,
    store_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Look up every title of a CSV/XLSX file and write the best match and the next candidates per title.

    The titles are in the column ``query`` (or ``query_col``; a one-column file needs no name). The output is a
    CSV (or JSON for ``.json``) with :data:`BATCH_COLUMNS`, one row per input row in input order, written
    atomically. Returns counts: ``queries``, ``matched``, ``unmatched``.
    """
    from skillmap.fileio import atomic_write_rows
    from skillmap.sources.spreadsheets import read_table

    titles_path, out_path = Path(titles_path), Path(out_path)
    if out_path.resolve() == titles_path.resolve():
        raise SkillmapError("--out must not be the --batch input file")
    if out_path.suffix.lower() not in (".csv", ".json"):
        raise SkillmapError(f"--out {out_path.name}: use a .csv or .json file name")
    table = read_table(titles_path)
    column = query_col or ("query" if "query" in table.headers else None)
    if column is None and len(table.headers) == 1:
        column = table.headers[0]
    if column is None or column not in table.headers:
        raise SkillmapError(
            f"{titles_path.name} has no column {column or 'query'!r} (columns: {', '.join(table.headers)}); "
            "name the titles column with --query-col"
        )
    queries = table.column(column)
    with open_store(store_path) as store:
        countries = store.resolve_country(country)
        results = store.search_many(queries, countries=countries, top=top, progress=progress)
    rows = [_batch_row(query, matches) for query, matches in zip(queries, results, strict=False)]
    atomic_write_rows(out_path, rows, BATCH_COLUMNS)
    matched = sum(1 for r in results if r)
    return {"queries": len(queries), "matched": matched, "unmatched": len(queries) - matched}


def _batch_row(query: str, matches: Sequence[LookupMatch]) -> dict[str, Any]:
    best = matches[0] if matches else None
    rest = matches[1:]
    record = best.record if best else None
    return {
        "query": query,
        "code": record.code if record else "",
        "title": record.title if record else "",
        "country": record.country if record else "",
        "score": f"{best.score:.4f}" if best else "",
        "eqf_level": record.eqf_level if record else None,
        "nqf_level": record.nqf_level if record else "",
        "level_status": record.level_status if record else "",
        "register": record.register if record else "",
        "next_codes": " | ".join(m.record.code for m in rest),
        "next_titles": " | ".join(m.record.title for m in rest),
        "next_scores": " | ".join(f"{m.score:.4f}" for m in rest),
    }
