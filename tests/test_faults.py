"""Faults: kill -9 at random points during `esco import`, `registers import` and `align --out` leaves the previous
state (or the finished new one), and the main commands run with no network at all.

The kill trials are seeded and bounded (``FAULT_TRIALS``, default 1 per command here; ``benchmarks/reliability.py``
runs more and reports the figures in the README).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.faults import COMMANDS, kill_trials

REPO = Path(__file__).resolve().parents[1]
TRIALS = int(os.environ.get("FAULT_TRIALS", "1"))


@pytest.mark.parametrize("command", COMMANDS)
def test_kill_9_at_a_random_point_leaves_the_previous_or_the_finished_state(command: str, tmp_path: Path) -> None:
    trials = kill_trials(command, TRIALS, tmp_path, max_delay=2.5)
    assert [t.state for t in trials if t.lost] == [], trials


def _no_network_prefix() -> list[str]:
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-rn"]  # a fresh network namespace: not even loopback is up
    return []


GUARD = """
import json, socket, sys
def refuse(*args, **kwargs):
    raise SystemExit("skillmap tried to use the network: " + repr(args[:2]))
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from skillmap.cli import main
for args in json.loads(sys.argv[1]):
    try:
        main(args)
    except SystemExit as stopped:
        if stopped.code not in (0, None):
            sys.exit(f"skillmap {' '.join(args)} exited with {stopped.code}")
"""


def test_the_main_commands_run_without_any_network(tmp_path: Path) -> None:
    # In a network namespace when the system allows it, and always with every socket call refused in-process.
    sheet = tmp_path / "quals.csv"
    sheet.write_text("Title,Level,Learning outcomes\nElectrician,3,install solar panels\n", encoding="utf-8")
    register = tmp_path / "de.csv"
    register.write_text("Code,Title,Level\nD1,Elektriker,3\n", encoding="utf-8")
    commands = [
        ["esco", "import", str(REPO / "data" / "esco" / "esco-v1.1.1-sample.csv")],
        ["skills", "install solar panels", "--format", "json"],
        ["level", "GB-ENG", "Level 3"],
        ["align", str(sheet), "--country", "GB-ENG", "--out", str(tmp_path / "out.html"), "--quiet"],
        ["registers", "import", str(register), "--country", "DE"],
        ["lookup", "Elektriker", "--country", "DE", "--format", "json"],
    ]
    guard = tmp_path / "guarded_skillmap.py"
    guard.write_text(GUARD, encoding="utf-8")
    script = shlex.join([sys.executable, str(guard), json.dumps(commands)])
    env = {**os.environ, "SKILLMAP_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    done = subprocess.run(
        [*_no_network_prefix(), "sh", "-c", script], capture_output=True, text=True, env=env, cwd=REPO, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "network" not in done.stderr and (tmp_path / "out.html").is_file()
