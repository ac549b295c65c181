"""Mutation fuzzer for every reader: seeded, reproducible, counts inputs and contract failures (`make fuzz`).

Seeds are valid small files of each reader's kind plus the hostile corpus (``tests/hostile/make_corpus.py``); each
input is a seed with a few random mutations (bit flips, inserted/deleted/duplicated chunks, truncation, spliced
hostile tokens: DOCTYPEs, NULs, markup, CRs, formulas, 5,000-digit numbers, odd encodings). An input is fine when
the reader returns or raises a one-line SkillmapError (:func:`tests.hostile.contract.feed`); a failure is any other
exception or a read that takes more than ``--timeout`` seconds. Failing inputs are saved under
``benchmarks/out/fuzz-failures/`` to reproduce.

    python benchmarks/fuzz_readers.py [--inputs 5000] [--seed 15] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.hostile.contract import READERS, ContractBroken, feed  # noqa: E402
from tests.hostile.make_corpus import RNCP, _rdf_document, _xlsx, build_corpus  # noqa: E402

TOKENS = [
    b"<!DOCTYPE r [<!ENTITY e 'x'>]>",
    b"&e;",
    b"\x00",
    b"[/]",
    b"[bold]",
    b"\r",
    b'"',
    b'=HYPERLINK("http://x")',
    b"9" * 5000,
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"@prefix : <http://x/> .",
    b'{"@context": {}}',
    b"<skos:prefLabel>",
    b",,,,,,,,",
    b"\n" * 50,
    "Elektrikář".encode("cp1250"),
    "Łódź".encode(),
]


def seeds() -> dict[str, list[bytes]]:
    """Valid inputs of every reader's kind, and the hostile corpus, as byte strings by reader."""
    esco = io.BytesIO()
    with zipfile.ZipFile(esco, "w") as archive:
        archive.writestr(
            "skills_en.csv",
            "conceptType,conceptUri,preferredLabel,altLabels\n"
            "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/1,install solar panels,fit PV panels\n",
        )
    turtle = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://example.org/c/1> a skos:Concept ; skos:prefLabel "Electrician"@en .\n'
    )
    jsonld = json.dumps(
        {
            "@id": "http://example.org/c/1",
            "@type": "http://www.w3.org/2004/02/skos/core#Concept",
            "http://www.w3.org/2004/02/skos/core#prefLabel": {"@value": "Electrician", "@language": "en"},
        }
    )
    found: dict[str, list[bytes]] = {
        "csv": [b"Title,Level,Learning outcomes\nElectrician,3,install solar panels\nMason,2,lay bricks\n"],
        "xlsx": [_xlsx([["Title", "Level"], ["Electrician", "3"], ["Mason", "2"]])],
        "taxonomy-csv": [b"uri,label,kind,lang\nhttp://example.org/c/1,Electrician,skill,en\n"],
        "esco-csv-zip": [esco.getvalue()],
        "rdf-xml": [_rdf_document("Electrician").encode()],
        "turtle": [turtle.encode()],
        "json-ld": [jsonld.encode()],
        "register-csv": [b"Code,Title,Level\nD1,Elektriker,3\nD2,Maurer,4\n"],
        "rncp-xml": [RNCP.format(prolog="", title="Technicien").encode()],
    }
    with tempfile.TemporaryDirectory() as folder:
        for case in build_corpus(Path(folder)):
            if not case.path.is_file() or case.path.is_symlink() or case.path.stat().st_size > 1 << 20:
                continue
            kind = {
                "table": "xlsx" if case.path.suffix == ".xlsx" else "csv",
                "register": "rncp-xml" if case.path.suffix == ".xml" else "register-csv",
                "classification": "rdf-xml" if case.path.suffix == ".rdf" else "taxonomy-csv",
            }.get(case.reader)
            if kind and case.path.suffix in (".csv", ".xlsx", ".rdf", ".xml"):
                found[kind].append(case.path.read_bytes())
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random edits of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out) + 1)
        choice = rng.random()
        if choice < 0.25 and out:
            out[min(at, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif choice < 0.45:
            out[at:at] = rng.choice(TOKENS)
        elif choice < 0.6:
            del out[at : at + rng.randint(1, 64)]
        elif choice < 0.75:
            chunk = out[at : at + rng.randint(1, 256)]
            out[at:at] = chunk * rng.randint(1, 20)
        elif choice < 0.85:
            out = out[:at]
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(out)


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Timeout


def fuzz(inputs: int, seed: int = 15, timeout: float = 20.0, failures_dir: Path | None = None) -> dict:
    """Run ``inputs`` mutated inputs spread over every reader; return the counts (the figures the README quotes)."""
    rng = random.Random(seed)
    pool = seeds()
    readers = sorted(READERS)
    counts: Counter[str] = Counter()
    by_reader: Counter[str] = Counter()
    failures: list[dict] = []
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # rdflib warns about every odd URI a mutation makes
    signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="skillmap-fuzz-") as folder:
        for number in range(inputs):
            reader = readers[number % len(readers)]
            data = mutate(rng.choice(pool[reader]), rng)
            by_reader[reader] += 1
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                result = feed(reader, data, Path(folder))
                counts["refused" if isinstance(result, Exception) else "read"] += 1
            except (ContractBroken, _Timeout) as broken:
                kind = "hang" if isinstance(broken, _Timeout) else str(broken).split(":")[1].strip()
                counts["failed"] += 1
                failures.append({"reader": reader, "input": number, "what": kind, "detail": str(broken)[:300]})
                if failures_dir is not None:
                    failures_dir.mkdir(parents=True, exist_ok=True)
                    (failures_dir / f"{number:06d}-{reader}{Path(READERS[reader][0]).suffix}").write_bytes(data)
                    (failures_dir / f"{number:06d}-{reader}.txt").write_text(traceback.format_exc())
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    return {
        "inputs": inputs,
        "seed": seed,
        "read": counts["read"],
        "refused": counts["refused"],
        "failures": counts["failed"],
        "readers": dict(sorted(by_reader.items())),
        "failure_kinds": dict(Counter(f"{f['reader']}: {f['what']}" for f in failures).most_common()),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds one read may take before it is a hang")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    figures = fuzz(args.inputs, args.seed, args.timeout, REPO / "benchmarks" / "out" / "fuzz-failures")
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    sys.exit(1 if figures["failures"] else 0)


if __name__ == "__main__":
    main()
