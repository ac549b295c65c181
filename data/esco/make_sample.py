"""Write the bundled ESCO sample (data/esco/esco-v1.1.1-sample.csv) from the official ESCO files in ../shared.

Usage: python data/esco/make_sample.py [SHARED_ESCO_FOLDER [OUTPUT_CSV]]

The sample lets the demo and first-time users work without importing ESCO. It keeps only what identifies a
concept — URI, kind and its preferred/alternative labels (English from v1.1.1, French and Spanish from the
v1.0.x files where the URI exists there) — for skills and occupations around electrical installation,
photovoltaics, digital/AI/robotics and coaching. No descriptions or definitions. The output is deterministic:
the same input files always give the same bytes.

Beside it go two tag files: ``esco-v1.1.1-sample-collections.csv`` (``uri,collection``: the ESCO collections —
digital, green, transversal… — of the sample's concepts, read from the v1.1.1 collection files) and
``esco-v1.1.1-sample-relations.csv`` (``occupation_uri,relation,skill_uri``) holding every essential and optional
skill of the occupations in :data:`GAP_OCCUPATIONS` (their skills are added to the sample, so a ``skillmap gap``
against them is complete). Other sample occupations have no relations: a gap against them asks for the import.
Needs the relations zip (``ESCO dataset - v1.1.1 - classification -  - csv.zip``) beside the language zip.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from skillmap.sources.esco_csv import read_esco_csv  # noqa: E402

OUTPUT = HERE / "esco-v1.1.1-sample.csv"
EN_ZIP = "ESCO dataset - v1.1.1 - classification - en - csv.zip"
RELATIONS_ZIP = "ESCO dataset - v1.1.1 - classification -  - csv.zip"
COLLECTIONS_OUTPUT = HERE / "esco-v1.1.1-sample-collections.csv"
RELATIONS_OUTPUT = HERE / "esco-v1.1.1-sample-relations.csv"
# occupations whose whole skill profile ships with the sample (the demo's `skillmap gap` target)
GAP_OCCUPATIONS = ("solar energy technician",)
OTHER_LANGS = ("fr", "es")

# A concept is kept when its English preferred label matches one of these (word-bounded, case-insensitive).
SKILL_TOPICS = (
    r"electric(al|ity)? (install|wir|circuit|system|equipment|safety|engineering|test|cable|power|drawing|"
    r"regulation|schematic|supply|grid|vehicle)",
    r"\bwiring\b",
    r"\belectrical\b",
    r"\bcircuit breaker",
    r"\bswitchboard",
    r"\bfuse",
    r"\bearthing\b",
    r"\bphotovoltaic",
    r"\bsolar\b",
    r"\brenewable energy",
    r"\binverter",
    r"\bheat pump",
    r"\bmachine learning",
    r"\bartificial intelligence",
    r"\bneural network",
    r"\bdeep learning",
    r"\brobot",
    r"\bdata mining",
    r"\bdata science",
    r"\bdata analytics",
    r"\bbig data",
    r"\bstatistic",
    r"\bpython\b",
    r"\bprogramming\b",
    r"\bsoftware develop",
    r"\bcloud",
    r"\bcybersecurity|\bICT security",
    r"\bdigital (literacy|content|competenc|communication|device|tool|marketing)",
    r"\bdatabase",
    r"\bautomation\b",
    r"\bsensors?\b",
    r"\bsmart grid",
    r"\benergy (storage|efficien|performance|consumption)",
    r"\bbatter(y|ies)\b",
    r"\binternet of things",
    r"\balgorithm",
    r"\bcomputer vision",
    r"\bdata (model|quality|protection|privacy|analysis|visuali)",
    r"\bcoach",
    r"\bmentor",
    r"\bmotivate (others|clients|people|trainees)",
    r"\bgive constructive feedback",
    r"\bcounsel",
    r"\bprovide (training|guidance|feedback)",
    r"\bpersonal development",
    r"\bcareer\b",
)
OCCUPATION_TOPICS = (
    r"\belectrician\b",
    r"\belectrical (engineer|installer|technician|mechanic|inspector)",
    r"\bsolar\b",
    r"\bphotovoltaic",
    r"\brenewable energy",
    r"\bwind turbine technician",
    r"\bcoach\b",
    r"\blife coach",
    r"\bcareer guidance",
    r"\bmentor",
    r"\bdata scientist",
    r"\bdata analyst",
    r"\bmachine learning",
    r"\bartificial intelligence",
    r"\brobotics (engineer|technician)",
    r"\bcomputer vision engineer",
    r"\bICT intelligent systems designer",
    r"\bknowledge engineer",
    r"\bcomputer scientist",
    r"\bindustrial robot controller",
    r"\bmechatronics engineer",
    r"\bsoftware developer",
    r"\bICT (system|security|network) (engineer|"
    r"administrator|architect)",
    r"\bdatabase (administrator|designer)",
    r"\bchief data officer",
)
MAX_SKILLS = 450
# enough surface forms to match, few enough to keep the file well under 1 MB (occupations have many synonyms)
MAX_ALT_PER_LANGUAGE = {"skill": 8, "occupation": 30}


def _selected(label: str, patterns: tuple[str, ...]) -> bool:
    return any(re.search(p, label, re.IGNORECASE) for p in patterns)


def main(shared: Path, output: Path = OUTPUT) -> int:
    english = read_esco_csv([shared / EN_ZIP, shared / RELATIONS_ZIP])
    others = read_esco_csv(sorted(p for p in (shared / "v1.0.x").glob("*.csv") if p.stem.split("_")[1] in OTHER_LANGS))
    other_labels = {c.uri: c.labels for c in others.concepts}
    skills = [c for c in english.concepts if c.kind == "skill" and _selected(c.pref_label("en"), SKILL_TOPICS)]
    occupations = [
        c for c in english.concepts if c.kind == "occupation" and _selected(c.pref_label("en"), OCCUPATION_TOPICS)
    ]
    # keep the shortest (most general) skill labels when the topics match too many: sorted by label length, then URI
    skills = sorted(sorted(skills, key=lambda c: (len(c.pref_label("en")), c.uri))[:MAX_SKILLS], key=lambda c: c.uri)
    gap_uris = {c.uri for c in occupations if c.pref_label("en") in GAP_OCCUPATIONS}
    gap_relations = sorted(
        (r.occupation_uri, r.relation, r.skill_uri) for r in english.relations if r.occupation_uri in gap_uris
    )
    chosen = {c.uri for c in skills}
    by_uri = {c.uri: c for c in english.concepts}
    skills += [by_uri[uri] for uri in sorted({s for _o, _r, s in gap_relations} - chosen)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["uri", "kind", "role", "lang", "label"])
    for concept in sorted(skills + occupations, key=lambda c: c.uri):
        labels = [label for label in concept.labels if label.role in ("pref", "alt")]
        labels += [lab for lab in other_labels.get(concept.uri, ()) if lab.role in ("pref", "alt")]
        prefs = [label for label in labels if label.role == "pref"]
        # the shortest alternatives per language are the most general surface forms ("solar panel installer")
        alts: list = []
        for lang in sorted({label.lang for label in labels}):
            same = sorted(
                (lab for lab in labels if lab.role == "alt" and lab.lang == lang), key=lambda x: (len(x.text), x.text)
            )
            alts += same[: MAX_ALT_PER_LANGUAGE[concept.kind]]
        for label in prefs + sorted(alts, key=lambda x: (x.lang, x.text)):
            writer.writerow([concept.uri, concept.kind, label.role, label.lang, label.text])
    output.write_bytes(buffer.getvalue().encode("utf-8"))
    _write_rows(
        output.with_name(COLLECTIONS_OUTPUT.name),
        ["uri", "collection"],
        [[c.uri, name] for c in sorted(skills + occupations, key=lambda c: c.uri) for name in c.collections],
    )
    _write_rows(output.with_name(RELATIONS_OUTPUT.name), ["occupation_uri", "relation", "skill_uri"], gap_relations)
    print(
        f"wrote {output}: {len(skills)} skills, {len(occupations)} occupations, {output.stat().st_size:,} bytes",
        file=sys.stderr,
    )
    return 0


def _write_rows(path: Path, header: list[str], rows) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(
        main(
            Path(arguments[0]) if arguments else REPO.parent / "shared" / "esco",
            Path(arguments[1]) if len(arguments) > 1 else OUTPUT,
        )
    )
