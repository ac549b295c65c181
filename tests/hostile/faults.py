"""kill -9 at random points: a command killed mid-write must leave the previous state (or the finished new one).

Each :func:`kill_trials` run prepares a home with a completed earlier run of the command ("before"), then starts the
command again on a different input in a subprocess and kills it with SIGKILL after a random delay (seeded, so a
run is reproducible), and checks what is left: the index / registers store / report must read back as exactly
"before" or exactly the finished new result, and stay usable. Used by ``tests/test_faults.py`` (a few trials) and
``benchmarks/reliability.py`` (more).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ("esco import", "registers import", "align --out")


@dataclass
class Trial:
    command: str
    delay: float  # seconds after start when SIGKILL was sent
    finished: bool  # the command ended before the kill
    state: str  # "previous", "new" or "lost: <what>"

    @property
    def lost(self) -> bool:
        return self.state.startswith("lost")


def _cli(args: list[str], home: Path) -> None:
    """Run ``skillmap ARGS`` in-process (the runs that are not killed: setting up, and the finished reference)."""
    from skillmap.cli import main

    with _home(home), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(args)
        except SystemExit as stopped:
            if stopped.code not in (0, None):
                raise RuntimeError(f"skillmap {' '.join(args)} exited with {stopped.code}") from None


def _killed(args: list[str], home: Path, delay: float) -> bool:
    """Start ``skillmap ARGS`` and SIGKILL it after ``delay`` seconds; True when it had already finished."""
    env = {**os.environ, "SKILLMAP_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "skillmap", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
    )
    try:
        process.wait(timeout=delay)
        return True
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return False


def _inputs(work: Path) -> dict[str, Path]:
    work.mkdir(parents=True, exist_ok=True)
    taxonomy = work / "small-taxonomy.csv"
    taxonomy.write_text(
        "uri,label,kind,lang\nurn:s:1,install solar panels,skill,en\nurn:s:2,weld steel pipes,skill,en\n",
        encoding="utf-8",
    )
    small = work / "small.csv"
    small.write_text("Code,Title,Level\nS1,Elektriker,3\nS2,Maurer,3\n", encoding="utf-8")
    big = work / "big.csv"
    big.write_text(
        "Code,Title,Level\n"
        + "".join(
            f"B{i},Qualification {i} in welding and electrical work{' with pipes' * 20},4\n" for i in range(4000)
        ),
        encoding="utf-8",
    )
    old_sheet = work / "old.csv"
    old_sheet.write_text("Title,Level\nElectrician,3\n", encoding="utf-8")
    new_sheet = work / "new.csv"
    new_sheet.write_text(
        "Title,Level,Learning outcomes\n"
        + "".join(f"Installer {i},3,install solar panels and weld steel pipes number {i}\n" for i in range(400)),
        encoding="utf-8",
    )
    return {"taxonomy": taxonomy, "small": small, "big": big, "old": old_sheet, "new": new_sheet}


@contextlib.contextmanager
def _home(home: Path) -> Iterator[None]:
    """Point SKILLMAP_HOME at ``home`` for in-process library calls (setting up and checking, not the kill)."""
    previous = os.environ.get("SKILLMAP_HOME")
    os.environ["SKILLMAP_HOME"] = str(home)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SKILLMAP_HOME", None)
        else:
            os.environ["SKILLMAP_HOME"] = previous


def _import_esco(home: Path, path: Path) -> None:
    from skillmap.store import import_esco

    with _home(home):
        import_esco([path])


def _finished_import_state(work: Path, path: Path) -> str:
    """What an import of ``path`` that runs to its end leaves (imported once, unkilled, into a home of its own)."""
    home = work / "home-esco-finished"
    if not (home / "index").is_dir():
        with _home(home):
            from skillmap.store import import_esco

            import_esco([path], semantic=False)  # the state read is name and concepts: the matrix does not change it
    return _index_state(home)


def _import_register(home: Path, path: Path) -> None:
    from skillmap.registers import import_register

    with _home(home):
        import_register(path, country="DE")


def _index_state(home: Path) -> str:
    from skillmap.errors import SkillmapError
    from skillmap.store import index_info, open_index

    with _home(home):
        try:
            info = index_info()
            hits = open_index().index.search("install solar panels", top=3)
        except (SkillmapError, OSError, ValueError) as exc:
            return f"lost: the index does not open: {exc}"
    if not hits:
        return "lost: the index finds nothing"
    return f"{info.name}:{info.concepts}"


def _store_state(home: Path) -> str:
    from skillmap.registers import list_registers

    db = home / "registers.sqlite"
    try:
        connection = sqlite3.connect(str(db))
        try:
            check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            connection.close()
        with _home(home):
            listed = list_registers()
    except Exception as exc:
        return f"lost: {exc}"
    if check != "ok":
        return f"lost: integrity_check {check}"
    return json.dumps(sorted([r.name, r.records] for r in listed))


def kill_trials(command: str, trials: int, work: Path, *, seed: int = 15, max_delay: float = 4.0) -> list[Trial]:
    """Kill ``command`` (one of :data:`COMMANDS`) ``trials`` times at random points; return what each left."""
    rng = random.Random(f"{seed}:{command}")
    files = _inputs(work / "inputs")
    results: list[Trial] = []
    for number in range(trials):
        home = work / f"home-{command.split()[0]}-{number}"
        delay = round(rng.uniform(0.3, max_delay), 2)
        if command == "esco import":
            _import_esco(home, files["taxonomy"])
            before = _index_state(home)
            sample = REPO / "data" / "esco" / "esco-v1.1.1-sample.csv"
            finished = _killed(["esco", "import", str(sample)], home, delay)
            after = _index_state(home)
            new = _finished_import_state(work, sample)
            leftovers = list((home / "index").glob(".import-*"))
            if after not in (before, new) and not after.startswith("lost"):
                after = f"lost: index reads as {after}"
            if not after.startswith("lost") and leftovers:
                # a later import must clean what the killed one left (issue 15.8)
                _import_esco(home, files["taxonomy"])
                if list((home / "index").glob(".import-*")):
                    after = "lost: a later import left the killed import's .import-* folder"
        elif command == "registers import":
            _import_register(home, files["small"])
            before = _store_state(home)
            finished = _killed(["registers", "import", str(files["big"]), "--country", "DE"], home, delay)
            after = _store_state(home)
            new = json.dumps([["big", 4000], ["small", 2]])
            if after not in (before, new) and not after.startswith("lost"):
                after = f"lost: store reads as {after}"
        elif command == "align --out":
            report = home / "report.csv"
            home.mkdir(parents=True, exist_ok=True)
            _cli(["align", str(files["old"]), "--country", "GB-ENG", "--out", str(report), "--quiet"], home)
            before = report.read_bytes()
            fresh = home / "fresh.csv"
            args = ["align", str(files["new"]), "--country", "GB-ENG", "--quiet", "--out"]
            if number == 0 or not (work / "align-new.csv").exists():
                _cli([*args, str(fresh)], home)
                (work / "align-new.csv").write_bytes(fresh.read_bytes())
            expected_new = (work / "align-new.csv").read_bytes()
            finished = _killed([*args, str(report)], home, delay)
            now = report.read_bytes() if report.exists() else b""
            after = "previous" if now == before else "new" if now == expected_new else "lost: a half-written report"
            before, new = "previous", "new"
        else:
            raise ValueError(f"unknown command {command!r}")
        state = "previous" if after == before else "new" if after == new else after
        results.append(Trial(command, delay, finished, state))
    return results
