"""France's full RNCP open-data register: import time, lookup accuracy on messy titles, batch speed, weak lines.

* Import: ``import_register(rncp_info.csv)`` with no options (wall and CPU seconds; target ≤ 5 s).
* Accuracy: ``evaluate_lookup(fr-rncp-lookup-dev.csv, country="FR")`` (521 titles; targets top-1 ≥ 0.80,
  top-5 ≥ 0.92).
* Batch: ``batch_lookup`` of 2,000 distinct titles — the 521 dev titles, then register titles written in upper case,
  without accents and with their type in brackets (target ≤ 10 s). The first lookup builds the in-memory index;
  both figures include it.
* Weak lines (``skillmap/registers/search.py``): the best match's score of the dev titles, of England's messy titles
  (against their own register) and of each against the other country's register, which holds none of them.

Prints a markdown table. Skips with a message when ../shared is absent. The machine is shared: CPU seconds are the
figure to compare, wall seconds depend on the load (printed).
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REGISTER = SHARED / "registers" / "fr_rncp_2021" / "rncp_info.csv"
GOLD = SHARED / "eval" / "fr-rncp-lookup-dev.csv"
ENGLAND_LIST = SHARED / "registers" / "uk_dfe" / "approved.csv"
BATCH = 2_000

sys.path.insert(0, str(REPO / "benchmarks"))


def _timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).upper()


def _batch_titles(records: list, gold_queries: list[str]) -> list[str]:
    titles = list(dict.fromkeys(gold_queries))
    for record in records:
        if len(titles) >= BATCH:
            break
        kind = record.extra.get("type_code", "")
        title = _plain(record.title) + (f" ({kind})" if kind else "")
        if title not in titles:
            titles.append(title)
    return titles[:BATCH]


def _percentiles(values: list[float]) -> str:
    import numpy as np

    if not values:
        return "—"
    low, median, high = np.percentile(values, [1, 50, 99])
    return f"{low:.3f} / {median:.3f} / {high:.3f}"


def main() -> None:
    if not REGISTER.is_file() or not GOLD.is_file():
        print(f"skipped: {REGISTER} or {GOLD} not found (needs ../shared next to the repository)")
        return
    from skillmap.registers import batch_lookup, evaluate_lookup, import_register
    from skillmap.registers.lookup_evaluation import read_lookup_gold
    from skillmap.registers.search import search_many_titles
    from skillmap.registers.store import RegisterStore

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = folder / "registers.sqlite"
        info, import_wall, import_cpu = _timed(import_register, REGISTER, store_path=store)
        result = evaluate_lookup(GOLD, country="FR", store_path=store)
        gold = read_lookup_gold(GOLD)
        with RegisterStore.open(store) as opened:
            records = opened.records_in(("FR",))
        titles = _batch_titles(records, [q for q, _ in gold])
        batch_in = folder / "titles.csv"
        with batch_in.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["query"])
            writer.writerows([t] for t in titles)
        import skillmap.registers.search as search

        search._INDEXES.clear()  # the batch builds its index, as a new process would
        _, batch_wall, batch_cpu = _timed(
            batch_lookup, batch_in, out=folder / "out.csv", country="FR", store_path=store
        )
        lines = _weak_lines(store, [q for q, _ in gold], folder, search_many_titles, RegisterStore)
    load = os.getloadavg()[0]
    print("### France's RNCP register (`benchmarks/bench_rncp_lookup.py`)\n")
    print(f"Machine: {os.cpu_count()} CPUs, 1-min load average {load:.1f} at the end (shared; wall times vary).\n")
    print("| measure | figure | target |")
    print("|---|---|---|")
    print(f"| import `rncp_info.csv` ({info.records:,} records), wall / CPU | {import_wall:.1f} s / {import_cpu:.1f} s"
          " | ≤ 5 s |")  # fmt: skip
    print(f"| dev titles ({result.n}): top-1 | **{result.top1:.3f}** | ≥ 0.80 |")
    print(f"| dev titles: top-5 | **{result.top5:.3f}** | ≥ 0.92 |")
    print(f"| dev titles: MRR | {result.mrr:.3f} | |")
    print(f"| `lookup --batch` {len(titles):,} titles, wall / CPU (index build included) | "
          f"{batch_wall:.1f} s / {batch_cpu:.1f} s | ≤ 10 s |")  # fmt: skip
    print()
    print("Best-match scores, 1st / 50th / 99th percentile (a best match below 0.6 is shown as a suggestion):\n")
    print("| titles | register | score of the best match |")
    print("|---|---|---|")
    for label, register, values in lines:
        print(f"| {label} | {register} | {_percentiles(values)} |")


def _weak_lines(store: Path, french: list[str], folder: Path, search_many_titles, RegisterStore) -> list:  # type: ignore[no-untyped-def]
    """(titles, register, best-match title evidence) for the right register and the wrong one."""
    from skillmap.registers import import_register

    with RegisterStore.open(store) as opened:
        own = [m[0].score for m in search_many_titles(opened, french, countries=("FR",), top=1) if m]
    lines = [("521 French dev titles", "RNCP (typed)", own)]
    if not ENGLAND_LIST.is_file():
        return lines
    from messy_titles import build_messy_titles

    english = [c["query"] for c in build_messy_titles(ENGLAND_LIST, n=600, seed=7)]
    england_store = folder / "england.sqlite"
    import_register(ENGLAND_LIST, name="dfe", store_path=england_store)
    with RegisterStore.open(england_store) as opened:
        lines.append(
            (
                "600 messy England titles",
                "England (words)",
                [m[0].score for m in search_many_titles(opened, english, countries=("GB-ENG",), top=1) if m],
            )
        )
        lines.append(
            (
                "521 French dev titles",
                "England (words)",
                [m[0].score for m in search_many_titles(opened, french, countries=("GB-ENG",), top=1) if m],
            )
        )
    with RegisterStore.open(store) as opened:
        lines.append(
            (
                "600 messy England titles",
                "RNCP (typed)",
                [m[0].score for m in search_many_titles(opened, english, countries=("FR",), top=1) if m],
            )
        )
    return lines  # fmt: skip


if __name__ == "__main__":
    main()
