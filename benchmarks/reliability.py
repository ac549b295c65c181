"""Measure the README's Reliability figures: hostile corpus, fuzzing, kill -9 trials, full disks, no network.

Writes ``benchmarks/reliability.json`` and the table between the ``reliability`` markers in README.md, so the
figures there are always this script's output, never typed in.

    python benchmarks/reliability.py [--fuzz-inputs 3000] [--kill-trials 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.fuzz_readers import fuzz  # noqa: E402
from tests.hostile.faults import COMMANDS, kill_trials  # noqa: E402
from tests.hostile.make_corpus import build_corpus, run_case  # noqa: E402

README = REPO / "README.md"
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"


def corpus_figures() -> dict:
    """Every hostile file through its reader: clean = refused in one line with the expected message, or read right."""
    from skillmap.errors import SkillmapError

    tried = clean = 0
    unclean: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for case in build_corpus(Path(folder)):
            tried += 1
            why = ""
            try:
                result = run_case(case)
                ok = case.outcome == "read" and (case.check is None or bool(case.check(result)))
            except SkillmapError as error:
                ok = case.outcome == "refused" and bool(re.search(case.match, str(error))) and "\n" not in str(error)
                why = str(error)[:120]
            except Exception as exc:
                ok, why = False, f"{type(exc).__name__}: {str(exc)[:120]}"
            clean += ok
            if not ok:
                unclean.append(f"{case.name} ({why or 'unexpected result'})")
    return {"tried": tried, "clean": clean, "unclean": unclean}


def pytest_figures(path: str) -> dict:
    """Run one test file; count its tests and passes (the full-disk and no-network checks)."""
    env = {**os.environ, "SKILLMAP_SLOW_CHECKS": "1"}  # includes the real-tmpfs full-disk check
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", last)) else 0
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", last)) else 0
    skipped = int(m.group(1)) if (m := re.search(r"(\d+) skipped", last)) else 0
    return {"tried": passed + failed, "clean": passed, "skipped": skipped}


def kill_figures(trials: int) -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="skillmap-kill-") as folder:
        for command in COMMANDS:
            done = kill_trials(command, trials, Path(folder) / command.split()[0], max_delay=4.0)
            results[command] = {
                "trials": len(done),
                "killed_mid_run": sum(not t.finished for t in done),
                "losses": sum(t.lost for t in done),
                "lost": [t.state for t in done if t.lost],
            }
    return results


def markdown(figures: dict) -> str:
    corpus, fuzzed, kills = figures["corpus"], figures["fuzz"], figures["kill"]
    disk, network = figures["full_disk"], figures["no_network"]
    kill_total = sum(k["trials"] for k in kills.values())
    kill_mid = sum(k["killed_mid_run"] for k in kills.values())
    kill_lost = sum(k["losses"] for k in kills.values())
    rows = [
        (
            "hostile corpus (entities, bombs, far cells, devices, markup, NULs, encodings)",
            "cases tried / clean",
            f"{corpus['tried']} / {corpus['clean']}",
        ),
        (
            f"mutation fuzzing of {len(fuzzed['readers'])} readers (seed {fuzzed['seed']})",
            "inputs / failures",
            f"{fuzzed['inputs']:,} / {fuzzed['failures']}",
        ),
        (
            "kill -9 at random points: " + ", ".join(f"`{c}`" for c in kills),
            "trials (killed mid-run) / losses",
            f"{kill_total} ({kill_mid}) / {kill_lost}",
        ),
        (
            "full disk: ENOSPC, SQLite full, a real 512 KiB tmpfs",
            "cases / clean",
            f"{disk['tried']} / {disk['clean']}" + (f" ({disk['skipped']} skipped)" if disk["skipped"] else ""),
        ),
        (
            "the 6 main commands in a network namespace, sockets refused",
            "one run of all 6 / clean",
            f"{network['tried']} / {network['clean']}",
        ),
    ]
    lines = [
        START,
        f"Measured by `python benchmarks/reliability.py` ({figures['date']}, Python {figures['python']}; "
        "a 2-core machine shared with other jobs):",
        "",
        "| check | figure | result |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-inputs", type=int, default=3000)
    parser.add_argument("--kill-trials", type=int, default=5, help="per command")
    parser.add_argument("--no-readme", action="store_true", help="only write benchmarks/reliability.json")
    parser.add_argument("--from-json", action="store_true", help="rewrite the README table from the last JSON only")
    args = parser.parse_args()
    results = REPO / "benchmarks" / "reliability.json"
    if args.from_json:
        figures = json.loads(results.read_text(encoding="utf-8"))
    else:
        figures = {
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "python": platform.python_version(),
            "corpus": corpus_figures(),
            "fuzz": fuzz(args.fuzz_inputs, failures_dir=REPO / "benchmarks" / "out" / "fuzz-failures"),
            "kill": kill_figures(args.kill_trials),
            "full_disk": pytest_figures("tests/test_full_disk.py"),
            "no_network": pytest_figures("tests/test_faults.py::test_the_main_commands_run_without_any_network"),
        }
        results.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    table = markdown(figures)
    print(table)
    if not args.no_readme:
        text = README.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            README.write_text(head + table + rest.split(END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    main()
