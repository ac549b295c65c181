"""Read our national qualification framework data (``data/nqf/``) and the EU NQF/EQF SKOS vocabularies.

``data/nqf/`` holds three CSV files we generate with ``data/nqf/build_frameworks.py`` (from the compiled facts in
``../shared/nqf``, the EU vocabulary and our own ``curation.toml``) and commit, so the program works without
``../shared``:

* ``frameworks.csv`` — one row per framework (country or region + acronym);
* ``levels.csv`` — one row per national level, sub-level or register value, with its EQF level (empty = not
  referenced), an ``unsure`` flag, its sources and its EU NQF level concept (``eu_uri``);
* ``sources.csv`` — the citations the other two files refer to by id.

Multi-valued cells are joined with `` | ``. Nothing here caches globally: callers keep the registry they load.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir
from skillmap.model import LIST_SEPARATOR, Framework, FrameworkLevel

LEVEL_KINDS = ("level", "sub_level", "register_value")
FRAMEWORK_COLUMNS = (
    "country",
    "acronym",
    "country_name",
    "name_en",
    "name_native",
    "ref_year",
    "ref_year_unsure",
    "ref_year_note",
    "n_levels",
    "notations",
    "eu_uri",
    "eu_label",
    "sources",
    "note",
)
LEVEL_COLUMNS = (
    "country",
    "acronym",
    "nqf_level",
    "label",
    "kind",
    "parent",
    "candidates",
    "eqf_level",
    "unsure",
    "note",
    "aliases",
    "sources",
    "eu_uri",
    "eu_label",
    "eu_source",
)
SOURCE_COLUMNS = ("id", "citation")
WORD_COLUMNS = ("word", "role", "note")
WORD_ROLES = ("level", "eqf", "generic", "entry")

# Countries that are split into regions with their own frameworks: the bare code is a question, not an answer.
REGION_PARENTS = {"UK": "GB", "GB": "GB", "BE": "BE"}
# Codes users write for a country whose code in our data differs (EU interinstitutional style).
COUNTRY_ALIASES = {"EL": "GR"}

EQF_SCHEME = "http://data.europa.eu/snb/eqf/25831c2"
NQF_SCHEME = "http://data.europa.eu/snb/qdr/25831c2"


def split_list(cell: str) -> tuple[str, ...]:
    """Split a multi-valued cell (`` | ``-joined) into its non-empty, stripped parts."""
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def join_list(values: Iterable[str]) -> str:
    """Join values into one multi-valued cell."""
    return LIST_SEPARATOR.join(values)


@dataclass(frozen=True, slots=True)
class EuConcept:
    """One concept of an EU SKOS vocabulary (NQF list or EQF levels).

    ``kind`` is ``level`` for a level concept ("DQR Level 4", "RQF Entry Level 3", EQF "Level 4") and ``framework``
    for a concept naming a whole framework ("German National Qualifications Framework"), which must never be used
    where a level is expected.
    """

    uri: str
    label: str
    kind: str
    scheme: str = ""


_EU_LEVEL_LABEL = re.compile(r"\b(level|levels|entry)\b", re.IGNORECASE)


def read_eu_level_vocabulary(path: str | Path) -> list[EuConcept]:
    """Read an EU NQF or EQF level vocabulary (SKOS, any RDF syntax rdflib knows) into concepts sorted by URI.

    Works offline: the file is parsed as it is, nothing is fetched. Raises :class:`SkillmapError` when the file is
    missing or is not valid RDF, naming the file.
    """
    import rdflib
    from rdflib.namespace import RDF, SKOS

    path = Path(path)
    if not path.is_file():
        raise SkillmapError(f"EU vocabulary not found: {path} (expected a SKOS file such as nqf.ttl or eqf.ttl)")
    from skillmap.fileio import read_input_bytes
    from skillmap.sources.xmlguard import refuse_doctype

    graph = rdflib.Graph()
    rdf_format = rdflib.util.guess_format(str(path)) or "turtle"
    data = read_input_bytes(path)
    if rdf_format == "xml":
        refuse_doctype(data, str(path))  # no DTD, so no entity can expand or reach another file
    try:
        graph.parse(data=data, format=rdf_format, publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises many parser-specific types
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SkillmapError(f"{path}: not a readable RDF file ({first_line})") from exc
    concepts: list[EuConcept] = []
    for subject in set(graph.subjects(RDF.type, SKOS.Concept)):
        labels = {
            str(o) for o in graph.objects(subject, SKOS.prefLabel) if getattr(o, "language", None) in ("en", None)
        }
        if not labels:
            continue
        label = sorted(labels)[0]
        scheme = next((str(s) for s in graph.objects(subject, SKOS.inScheme)), "")
        kind = "level" if _EU_LEVEL_LABEL.search(label) else "framework"
        concepts.append(EuConcept(uri=str(subject), label=label, kind=kind, scheme=scheme))
    if not concepts:
        raise SkillmapError(f"{path}: no skos:Concept with an English skos:prefLabel found")
    return sorted(concepts, key=lambda c: c.uri)


class FrameworkRegistry:
    """Every national framework we know, with lookups by country, acronym and level.

    Built by :func:`load_frameworks`; immutable once built. Countries keep the codes of our data (ISO 3166-1
    alpha-2 plus ``GB-ENG``, ``GB-NIR``, ``GB-WLS``, ``GB-SCT``, ``BE-VLG``, ``BE-WAL``, ``BE-DE``, ``XK``).
    """

    def __init__(
        self,
        frameworks: Iterable[Framework],
        country_names: dict[str, str] | None = None,
        sources: dict[str, str] | None = None,
        words: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._frameworks: tuple[Framework, ...] = tuple(frameworks)
        self._by_country: dict[str, list[Framework]] = {}
        for framework in self._frameworks:
            self._by_country.setdefault(framework.country, []).append(framework)
        self.country_names: dict[str, str] = dict(country_names or {})
        self.sources: dict[str, str] = dict(sources or {})
        # Words that level strings use around a level ("Niveau", "Stufe"), for the EQF ("EQR", "CEC"), generic
        # framework words ("NQF") and "Entry": read from level_words.csv, by role.
        self.words: dict[str, tuple[str, ...]] = {role: tuple((words or {}).get(role, ())) for role in WORD_ROLES}
        # Derived lookup tables (level keys, notation maps) built on first use by skillmap.levels; they belong to
        # this registry object, so nothing is shared between registries.
        self.memo: dict[object, object] = {}

    def __len__(self) -> int:
        return len(self._frameworks)

    def all(self) -> list[Framework]:
        """Every framework, in data order (by country, then the country's main framework first)."""
        return list(self._frameworks)

    def countries(self) -> list[str]:
        """The country/region codes that have at least one framework, sorted."""
        return sorted(self._by_country)

    def country_name(self, country: str) -> str:
        """English name of a country or region code (the code itself when unknown)."""
        return self.country_names.get(country, country)

    def normalise_country(self, code: str) -> str:
        """Return the code as our data writes it (case-insensitive; ``gb_eng`` → ``GB-ENG``, ``EL`` → ``GR``).

        Raises :class:`SkillmapError` for an unknown code, listing the regions for ``UK``/``GB``/``BE`` and the
        closest codes otherwise.
        """
        raw = (code or "").strip()
        wanted = re.sub(r"[\s_.]+", "-", raw.upper())
        wanted = COUNTRY_ALIASES.get(wanted, wanted)
        if wanted not in self._by_country and raw:  # a name in an EU language ("England", "Deutschland", "UK")?
            named = country_names_index().get(fold_country_name(raw))
            wanted = named.code if named is not None else wanted
        if wanted in self._by_country:
            return wanted
        if not wanted:
            raise SkillmapError("no country code given; use one of: " + ", ".join(self.countries()))
        parent = REGION_PARENTS.get(wanted)
        if parent:
            regions = [c for c in self.countries() if c.startswith(parent + "-")]
            described = ", ".join(f"{c} ({self.country_name(c)})" for c in regions)
            raise SkillmapError(f"{raw!r} has several frameworks by region; choose one of: {described}")
        close = difflib.get_close_matches(wanted, self.countries(), n=3, cutoff=0.5)
        close += [c for c in self.countries() if c.startswith(wanted + "-") and c not in close]
        if len(raw) > 3 and "-" not in raw:  # reads like a name: suggest the names it is close to
            close = [f"{n.name} ({n.code})" for n in close_country_names(raw)] or close
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise SkillmapError(
            f"unknown country code {raw!r}{hint} (`skillmap frameworks list` shows all {len(self.countries())} codes)"
        )

    def frameworks(self, country: str) -> list[Framework]:
        """The frameworks of one country or region, main framework first."""
        return list(self._by_country[self.normalise_country(country)])

    def get(self, country: str, acronym: str | None = None) -> Framework:
        """Return one framework: the country's only (or main) one, or the one named by ``acronym``.

        ``acronym`` matches the acronym or any notation of a framework, case-insensitively. Raises
        :class:`SkillmapError` for an unknown country or an acronym the country does not have.
        """
        candidates = self.frameworks(country)
        if acronym is None or not acronym.strip():
            return candidates[0]
        found = self.find_framework(candidates[0].country, acronym)
        if found is None:
            names = ", ".join(f.acronym for f in candidates)
            raise SkillmapError(
                f"{candidates[0].country} has no framework {acronym.strip()!r}; its frameworks are: {names}"
            )
        return found

    def find_framework(self, country: str, acronym: str) -> Framework | None:
        """The framework of ``country`` whose acronym or notation equals ``acronym`` (case-insensitive), or None."""
        wanted = _fold(acronym)
        frameworks = self.frameworks(country)
        for framework in frameworks:
            if _fold(framework.acronym) == wanted:
                return framework
        for framework in frameworks:
            parts = {_fold(p) for p in re.split(r"\s*/\s*", framework.acronym)} | {
                _fold(n) for n in framework.notations
            }
            if wanted in parts:
                return framework
        return None

    def level(self, country: str, nqf_level: str, acronym: str | None = None) -> FrameworkLevel | None:
        """The level of a framework as our data writes it (case-insensitive), or None.

        A level our data writes with the acronym (``SCQF 11``) is also found without it (``11``). To read the
        messier strings of registers (``SCQF level 11``, ``Niveau IV``) use :func:`skillmap.levels.resolve_level`.
        """
        framework = self.get(country, acronym)
        for wanted in (_fold(nqf_level), _fold(f"{framework.acronym} {nqf_level}")):
            for level in framework.levels:
                if _fold(level.nqf_level) == wanted:
                    return level
        return None


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


# --- country and region names (data/countries/names.csv) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountryName:
    """One way of writing a country or region: ``name`` (as written in the data) stands for ``code``."""

    code: str
    name: str


def fold_country_name(text: str) -> str:
    """A name as compared: no accents, no case, dashes and dots as spaces (``Österreich`` → ``osterreich``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"^the\s+", "", re.sub(r"[\s\-–—_.'’]+", " ", plain).strip())
    return plain


@lru_cache(maxsize=1)
def country_names_index() -> dict[str, CountryName]:
    """Every name of every country and region code, folded (:func:`fold_country_name`) → :class:`CountryName`.

    Read from ``data/countries/names.csv``: one row per code with its name in English, French, German, Spanish,
    Italian, Dutch, Portuguese and Polish, its names in its own languages and other usual spellings (``UK``,
    ``Holland``); several names in one cell are joined by `` | ``. A name that would stand for two codes is an
    error in the data.
    """
    path = bundled_data_dir() / "countries" / "names.csv"
    index: dict[str, CountryName] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.pop("code") or "").strip()
            for cell in row.values():
                for name in split_list(cell or ""):
                    key = fold_country_name(name)
                    if key in index and index[key].code != code:
                        raise SkillmapError(f"{path}:{line}: {name!r} is already a name of {index[key].code}")
                    index.setdefault(key, CountryName(code, name))
    return index


def close_country_names(text: str, n: int = 3) -> list[CountryName]:
    """The country names closest to ``text`` (for "did you mean"), best first, one per code."""
    index = country_names_index()
    found: dict[str, CountryName] = {}
    for key in difflib.get_close_matches(fold_country_name(text), list(index), n=n * 3, cutoff=0.75):
        found.setdefault(index[key].code, index[key])
    return list(found.values())[:n]


# --- reading data/nqf ----------------------------------------------------------------------------------


def nqf_data_dir() -> Path:
    """The folder holding our framework data (``data/nqf`` in a checkout, ``skillmap/_data/nqf`` in a wheel)."""
    return bundled_data_dir() / "nqf"


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Read a UTF-8 CSV with a header; return (line number, row) pairs. Names file and line on any problem."""
    if not path.is_file():
        raise SkillmapError(f"framework data file missing: {path} (reinstall skillmap or rebuild data/nqf)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SkillmapError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise SkillmapError(f"cannot read {path}: {exc.strerror or exc}") from exc
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        raise SkillmapError(f"{path}: empty file, expected a header row with {', '.join(columns)}") from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise SkillmapError(f"{path}:1: missing column(s) {', '.join(missing)}")
    rows: list[tuple[int, dict[str, str]]] = []
    while True:
        line = reader.line_num + 1  # where the row starts: a stray quote makes it run over later lines
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SkillmapError(f"{path}:{line}: broken CSV row ({exc})") from exc
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            spans = f" (the row runs to line {reader.line_num}: check its quotes)" if reader.line_num > line else ""
            raise SkillmapError(f"{path}:{line}: expected {len(header)} fields, found {len(cells)}{spans}")
        rows.append((line, dict(zip(header, cells, strict=True))))
    return rows


def _yes_no(value: str, path: Path, line: int, column: str) -> bool:
    value = value.strip().lower()
    if value in ("yes", "no", ""):
        return value == "yes"
    raise SkillmapError(f"{path}:{line}: column {column} must be yes or no, found {value!r}")


def _eqf(value: str, path: Path, line: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and 1 <= int(value) <= 8:
        return int(value)
    raise SkillmapError(f"{path}:{line}: eqf_level must be 1..8 or empty (not referenced), found {value!r}")


def _citations(ids: tuple[str, ...], sources: dict[str, str], path: Path, line: int) -> tuple[str, ...]:
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise SkillmapError(f"{path}:{line}: unknown source id(s) {', '.join(unknown)} (not in sources.csv)")
    return tuple(sources[i] for i in ids)


def load_frameworks(data_dir: str | Path | None = None) -> FrameworkRegistry:
    """Load every framework from ``data_dir`` (default: the bundled ``data/nqf``) into a :class:`FrameworkRegistry`.

    Raises :class:`SkillmapError` naming the file and line of a broken row (bad EQF level, unknown source id,
    a level of an unknown framework, a duplicate level, a register value whose candidates do not exist).
    """
    folder = Path(data_dir) if data_dir is not None else nqf_data_dir()
    sources_path, frameworks_path, levels_path = (
        folder / "sources.csv",
        folder / "frameworks.csv",
        folder / "levels.csv",
    )
    sources: dict[str, str] = {}
    for line, row in _read_rows(sources_path, SOURCE_COLUMNS):
        source_id = row["id"].strip()
        if not source_id or not row["citation"].strip():
            raise SkillmapError(f"{sources_path}:{line}: a source needs an id and a citation")
        if source_id in sources:
            raise SkillmapError(f"{sources_path}:{line}: duplicate source id {source_id!r}")
        sources[source_id] = row["citation"].strip()

    frameworks: dict[tuple[str, str], Framework] = {}
    country_names: dict[str, str] = {}
    for line, row in _read_rows(frameworks_path, FRAMEWORK_COLUMNS):
        country, acronym = row["country"].strip(), row["acronym"].strip()
        if not country or not acronym or not row["name_en"].strip():
            raise SkillmapError(f"{frameworks_path}:{line}: country, acronym and name_en must not be empty")
        if (country, acronym) in frameworks:
            raise SkillmapError(f"{frameworks_path}:{line}: duplicate framework {country} {acronym}")
        ref_unsure = _yes_no(row["ref_year_unsure"], frameworks_path, line, "ref_year_unsure")
        country_names.setdefault(country, row["country_name"].strip() or country)
        frameworks[(country, acronym)] = Framework(
            country=country,
            acronym=acronym,
            name=row["name_en"].strip(),
            name_native=row["name_native"].strip(),
            ref_year=row["ref_year"].strip(),
            sources=_citations(split_list(row["sources"]), sources, frameworks_path, line),
            unsure=ref_unsure,
            eu_uri=row["eu_uri"].strip() or None,
            eu_label=row["eu_label"].strip(),
            notations=split_list(row["notations"]),
            ref_year_note=row["ref_year_note"].strip(),
            note=row["note"].strip(),
            country_name=row["country_name"].strip(),
        )

    levels: dict[tuple[str, str], list[FrameworkLevel]] = {key: [] for key in frameworks}
    for line, row in _read_rows(levels_path, LEVEL_COLUMNS):
        key = (row["country"].strip(), row["acronym"].strip())
        if key not in frameworks:
            raise SkillmapError(
                f"{levels_path}:{line}: level of unknown framework {key[0]} {key[1]} (not in frameworks.csv)"
            )
        nqf_level = row["nqf_level"].strip()
        if not nqf_level:
            raise SkillmapError(f"{levels_path}:{line}: nqf_level must not be empty")
        kind = row["kind"].strip() or "level"
        if kind not in LEVEL_KINDS:
            raise SkillmapError(f"{levels_path}:{line}: kind must be one of {', '.join(LEVEL_KINDS)}, found {kind!r}")
        if any(_fold(existing.nqf_level) == _fold(nqf_level) for existing in levels[key]):
            raise SkillmapError(f"{levels_path}:{line}: duplicate level {nqf_level!r} in {key[0]} {key[1]}")
        eu_uri = row["eu_uri"].strip() or None
        eu_source = row["eu_source"].strip()
        if eu_uri and eu_source:
            _citations((eu_source,), sources, levels_path, line)
        levels[key].append(
            FrameworkLevel(
                nqf_level=nqf_level,
                eqf_level=_eqf(row["eqf_level"], levels_path, line),
                label=row["label"].strip(),
                unsure=_yes_no(row["unsure"], levels_path, line, "unsure"),
                note=row["note"].strip(),
                sources=_citations(split_list(row["sources"]), sources, levels_path, line),
                eu_uri=eu_uri,
                is_register_value=kind == "register_value",
                kind=kind,
                parent=row["parent"].strip(),
                candidates=split_list(row["candidates"]),
                aliases=split_list(row["aliases"]),
                eu_label=row["eu_label"].strip(),
                eu_source=sources.get(eu_source, "") if eu_uri else "",
            )
        )
        if kind == "register_value" and not split_list(row["candidates"]):
            raise SkillmapError(f"{levels_path}:{line}: register value {nqf_level!r} needs its candidate levels")

    words_path = folder / "level_words.csv"
    words: dict[str, list[str]] = {role: [] for role in WORD_ROLES}
    for line, row in _read_rows(words_path, WORD_COLUMNS):
        word, role = row["word"].strip().casefold(), row["role"].strip()
        if not word or role not in WORD_ROLES:
            raise SkillmapError(f"{words_path}:{line}: need a word and a role ({', '.join(WORD_ROLES)})")
        words[role].append(word)

    result: list[Framework] = []
    for key, framework in frameworks.items():
        framework_levels = levels[key]
        if not framework_levels:
            raise SkillmapError(f"{levels_path}: framework {key[0]} {key[1]} has no levels")
        names = {_fold(level.nqf_level) for level in framework_levels}
        for level in framework_levels:
            missing = [c for c in level.candidates if _fold(c) not in names]
            if missing:
                raise SkillmapError(
                    f"{levels_path}: {key[0]} {key[1]} {level.nqf_level!r} names unknown candidate level(s) "
                    + ", ".join(missing)
                )
        result.append(replace(framework, levels=tuple(framework_levels)))
    return FrameworkRegistry(
        result,
        country_names=country_names,
        sources=sources,
        words={role: tuple(values) for role, values in words.items()},
    )
