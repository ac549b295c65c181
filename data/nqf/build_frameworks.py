"""Build our framework data (frameworks.csv, levels.csv, sources.csv) from the compiled NQF facts.

Inputs: ../shared/nqf/nqf_frameworks.csv and nqf_eqf_levels.csv (facts compiled by hand, with sources),
../shared/elm/vocabularies/nqf.ttl (the EU NQF level vocabulary, for eu_uri) and curation.toml next to this
script (our additions: native names, notations, EU label prefixes, checked doubts, extra sub-levels).
Outputs: the three CSV files next to this script, in our own columns, sorted deterministically.

Run from the repository: .venv/bin/python data/nqf/build_frameworks.py [--shared ../shared] [--check]
``--check`` writes nothing and exits 1 when the committed files differ from what the inputs give.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import tomllib

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from skillmap.sources.frameworks import (  # noqa: E402
    FRAMEWORK_COLUMNS,
    LEVEL_COLUMNS,
    SOURCE_COLUMNS,
    join_list,
    read_eu_level_vocabulary,
)

EU_SOURCE_ID = "eu-qdr-nqf"
CURATION_SOURCE_ID = "skillmap-curation"
ROMAN = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$")


def split_sources(cell: str) -> list[str]:
    """Split the shared `source` column (` ; `-separated, sometimes `; ` before a URL) into citations."""
    parts = re.split(r"\s+;\s+|;\s+(?=https?://|github:)", cell.strip())
    return [p.strip() for p in parts if p.strip()]


def source_id(citation: str, taken: dict[str, str]) -> str:
    """A short, readable, stable id for a citation: `<site>:<last path segment>` (`cedefop:france-2022`)."""
    if citation in taken.values():
        return next(k for k, v in taken.items() if v == citation)
    first = citation.split()[0]
    if first.startswith("github:"):
        base = "github:" + first[len("github:") :].split("@")[0]
    elif first.startswith("http"):
        url = urlparse(first)
        host = url.netloc.lower().removeprefix("www.").split(".")
        site = host[0] if host[0] not in ("en", "english") else host[1]
        segments = [s for s in url.path.split("/") if s and s not in ("en", "fi", "lv", "pt", "it", "cs", "bg")]
        slug = re.sub(r"[^a-z0-9]+", "-", (segments[-1] if segments else "home").lower()).strip("-")
        slug = re.sub(r"-html?$", "", slug)
        while len(slug) > 40 and "-" in slug:  # cut at a word boundary, keep ids short
            slug = slug.rsplit("-", 1)[0]
        base = f"{site}:{slug}"
    else:
        base = re.sub(r"[^a-z0-9]+", "-", " ".join(citation.split()[:3]).lower()).strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken[candidate] = citation
    return candidate


def parse_ref_year(text: str) -> tuple[str, bool, str]:
    """`2012 (unsure)` → ("2012", True, ""); `2010 (as QCF/NQF; update 2019)` → ("2010", False, "as QCF/NQF; …")."""
    text = text.strip()
    unsure = "unsure" in text
    match = re.match(r"^(\d{4}(?:-\d{4})?)\s*(.*)$", text)
    if not match:
        return text, unsure, ""
    rest = match.group(2).strip().strip(",").strip()
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1]
    rest = re.sub(r"\s*-?\s*\bunsure\b", "", rest).strip(" ,;-")
    return match.group(1), unsure, rest


def level_free_text(note: str, ref_year: str) -> str:
    """The level note without its `ref_year=…; n_levels=…;` prefix."""
    note = note.strip()
    prefix = f"ref_year={ref_year}"
    if note.startswith(prefix):
        note = note[len(prefix) :].lstrip("; ")
    note = re.sub(r"^n_levels=\d+;?\s*", "", note)
    return note.strip()


def level_doubt(free_text: str, kind: str) -> bool:
    """Whether a level note doubts this level's mapping or label (not just the framework's referencing year)."""
    for part in _split_top_level(free_text):
        if "unsure" not in part:
            continue
        if "year" in part:
            continue  # a doubt about the referencing year is recorded on the framework
        if "sub-level" in part and kind != "sub_level":
            continue  # a doubt about sub-level labels does not touch the main levels
        return True
    return False


def _split_top_level(text: str) -> list[str]:
    """Split on `;` outside parentheses: `a; b (c; d - unsure)` → [`a`, `b (c; d - unsure)`]."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [p for p in [*parts, current.strip()] if p]


def level_kind_and_parent(nqf_level: str, free_text: str) -> tuple[str, str]:
    if "register value" in free_text:
        return "register_value", ""
    for pattern in (r"^(\d+)[A-Za-z]$", r"^(\d+)\.\d+$", r"^([IVX]+)-[A-B]$", r"^(Entry) \d$"):
        match = re.match(pattern, nqf_level)
        if match:
            return "sub_level", match.group(1)
    return "level", ""


def split_name(name: str) -> tuple[str, str]:
    """`Native / English` → (native, English); a name without ` / ` is English only."""
    if " / " in name:
        native, english = name.split(" / ", 1)
        return native.strip(), english.strip()
    return "", name.strip()


def build(shared: Path) -> dict[str, str]:
    """Return {file name: CSV text} for frameworks.csv, levels.csv and sources.csv."""
    curation = tomllib.loads((HERE / "curation.toml").read_text(encoding="utf-8"))
    cur_by_key = {(f["country"], f["acronym"]): f for f in curation["framework"]}
    vocabulary = read_eu_level_vocabulary(shared / "elm" / "vocabularies" / "nqf.ttl")
    eu_levels = {c.label: c.uri for c in vocabulary if c.kind == "level"}
    eu_frameworks = {c.label: c.uri for c in vocabulary if c.kind == "framework"}

    sources: dict[str, str] = {}
    sources[EU_SOURCE_ID] = curation["eu_vocabulary_source"]
    sources[CURATION_SOURCE_ID] = curation["curation_source"]

    with open(shared / "nqf" / "nqf_frameworks.csv", encoding="utf-8", newline="") as handle:
        shared_frameworks = list(csv.DictReader(handle))
    with open(shared / "nqf" / "nqf_eqf_levels.csv", encoding="utf-8", newline="") as handle:
        shared_levels = list(csv.DictReader(handle))

    framework_rows: list[dict[str, str]] = []
    level_rows: list[dict[str, str]] = []
    used_eu: dict[str, str] = {}
    for fw in shared_frameworks:
        key = (fw["country_code"], fw["framework_acronym"])
        cur = cur_by_key.get(key)
        if cur is None:
            raise SystemExit(f"curation.toml has no entry for {key}")
        native, english = split_name(fw["framework_name"])
        english = re.sub(r"\s*\(name unsure\)", "", english)
        ref_year, ref_unsure, ref_note = parse_ref_year(fw["ref_year"])
        fw_source_ids = [source_id(c, sources) for c in split_sources(fw["source"])]
        extra_ids = []
        if "name_native" in cur or "notations" in cur or "name_en" in cur:
            extra_ids.append(CURATION_SOURCE_ID)
        eu_uri = ""
        if cur.get("eu_framework_label"):
            eu_uri = eu_frameworks.get(cur["eu_framework_label"], "")
            if not eu_uri:
                raise SystemExit(f"{key}: no EU framework concept labelled {cur['eu_framework_label']!r}")
            extra_ids.append(EU_SOURCE_ID)
        own_levels = [r for r in shared_levels if (r["country_code"], r["framework_acronym"]) == key]
        # Facts every level of the framework repeats ("1:1", "sub-levels map to parent") belong to the framework.
        segment_lists = [
            _split_top_level(level_free_text(r["note"], fw["ref_year"]))
            for r in own_levels
            if "register value" not in r["note"]
        ]
        common = [seg for seg in segment_lists[0] if all(seg in other for other in segment_lists[1:])]
        fw_note = "; ".join([*common, *([cur["note"]] if cur.get("note") else [])])
        acronym_parts = [p.strip() for p in re.split(r"\s*/\s*", fw["framework_acronym"]) if p.strip()]
        notations = list(dict.fromkeys([*acronym_parts, *cur.get("notations", [])]))
        framework_rows.append(
            {
                "country": key[0],
                "acronym": key[1],
                "country_name": cur.get("country_name", key[0]),
                "name_en": cur.get("name_en", english),
                "name_native": cur.get("name_native", native),
                "ref_year": ref_year,
                "ref_year_unsure": "yes" if ref_unsure else "no",
                "ref_year_note": ref_note,
                "n_levels": fw["n_levels"],
                "notations": join_list(notations),
                "eu_uri": eu_uri,
                "eu_label": cur.get("eu_framework_label", ""),
                "sources": join_list(dict.fromkeys(fw_source_ids + extra_ids)),
                "note": fw_note,
            }
        )

        overrides = {lv["nqf_level"]: lv for lv in cur.get("level", [])}
        rows: list[dict[str, str]] = []
        for lv in own_levels:
            full = level_free_text(lv["note"], fw["ref_year"])
            free = "; ".join(seg for seg in _split_top_level(full) if seg not in common)
            kind, parent = level_kind_and_parent(lv["nqf_level"], full)
            over = overrides.pop(lv["nqf_level"], {})
            kind = over.get("kind", kind)
            unsure = level_doubt(full, kind) and not over.get("checked", False)
            ids = [source_id(c, sources) for c in split_sources(lv["source"])]
            eqf = str(over["eqf_level"]) if "eqf_level" in over else lv["eqf_level"]
            note = free
            if over.get("replace_note"):
                note = over["note"]
            elif over.get("note"):
                note = f"{note}; {over['note']}" if note else over["note"]
            if over.get("checked") or "eqf_level" in over:
                ids.append(EU_SOURCE_ID)
            rows.append(
                {
                    "country": key[0],
                    "acronym": key[1],
                    "nqf_level": lv["nqf_level"],
                    "label": over.get("label", ""),
                    "kind": kind,
                    "parent": over.get("parent", parent),
                    "candidates": join_list(over.get("candidates", [])),
                    "eqf_level": eqf,
                    "unsure": "yes" if unsure else "no",
                    "note": note,
                    "aliases": join_list(over.get("aliases", [])),
                    "sources": join_list(dict.fromkeys(ids)),
                    "_eu_label": over.get("eu_label", ""),
                }
            )
        if overrides:
            raise SystemExit(f"{key}: curation overrides for unknown levels {sorted(overrides)}")
        for extra in cur.get("extra_level", []):
            ids = extra.get("sources", [EU_SOURCE_ID])
            unknown = [i for i in ids if i not in sources]
            if unknown:
                raise SystemExit(f"{key} {extra['nqf_level']}: unknown source ids {unknown}; known: {sorted(sources)}")
            row = {
                "country": key[0],
                "acronym": key[1],
                "nqf_level": extra["nqf_level"],
                "label": extra.get("label", ""),
                "kind": extra.get("kind", "sub_level" if extra.get("parent") else "level"),
                "parent": extra.get("parent", ""),
                "candidates": join_list(extra.get("candidates", [])),
                "eqf_level": str(extra.get("eqf_level", "")),
                "unsure": "yes" if extra.get("unsure") else "no",
                "note": extra.get("note", ""),
                "aliases": join_list(extra.get("aliases", [])),
                "sources": join_list(ids),
                "_eu_label": extra.get("eu_label", ""),
            }
            rows.insert(_insert_position(rows, row), row)

        prefix = cur.get("eu_level_prefix", "")
        for row in rows:
            explicit = row.pop("_eu_label")
            bare = re.sub(rf"^{re.escape(key[1])}\s+", "", row["nqf_level"])  # "SCQF 11" → "11"
            label = explicit or (f"{prefix} Level {bare}" if prefix else "")
            uri = eu_levels.get(label, "") if label else ""
            if explicit and not uri:
                raise SystemExit(f"{key} {row['nqf_level']}: no EU level concept labelled {label!r}")
            row["eu_uri"] = uri
            row["eu_label"] = label if uri else ""
            row["eu_source"] = EU_SOURCE_ID if uri else ""
            if uri:
                used_eu.setdefault(uri, f"{key[0]} {key[1]} {row['nqf_level']}")
        level_rows.extend(rows)

    def to_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
        return buffer.getvalue()

    source_rows = [{"id": k, "citation": v} for k, v in sorted(sources.items())]
    return {
        "frameworks.csv": to_csv(FRAMEWORK_COLUMNS, framework_rows),
        "levels.csv": to_csv(LEVEL_COLUMNS, level_rows),
        "sources.csv": to_csv(SOURCE_COLUMNS, source_rows),
    }


def _insert_position(rows: list[dict[str, str]], extra: dict[str, str]) -> int:
    """Put an extra level after its parent and siblings, or before its own sub-levels, else at the end."""
    parent = extra["parent"]
    if parent:
        positions = [i for i, r in enumerate(rows) if parent in (r["nqf_level"], r["parent"])]
        if positions:
            return positions[-1] + 1
    children = [i for i, r in enumerate(rows) if r["parent"] == extra["nqf_level"]]
    if children:
        return children[0]
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the reference data folder")
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args(argv)
    outputs = build(args.shared)
    if args.check:
        stale = [name for name, text in outputs.items() if (HERE / name).read_text(encoding="utf-8") != text]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("data/nqf is up to date")
        return 0
    for name, text in outputs.items():
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
