#!/usr/bin/env bash
# Runs every benchmark script (benchmarks/bench_*.py) and collects their tables in benchmarks/out/.
# Needs ../shared (the full ESCO download, registers, gold sets); scripts skip with a message when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/out
for script in benchmarks/bench_*.py; do
  printf '\n== %s\n' "$script"
  python "$script" | tee "benchmarks/out/$(basename "$script" .py).md"
done
