#!/usr/bin/env bash
# The main job on the bundled data: runs with no import and no ../shared. Called by `make demo`.
# It uses its own SKILLMAP_HOME under demo-out/, so it never touches your imported data.
set -euo pipefail
cd "$(dirname "$0")/.."
export SKILLMAP_HOME="$PWD/demo-out/home"
rm -rf demo-out && mkdir -p demo-out
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

# section:esco
# Nothing is imported here, so every command uses the bundled ESCO sample (and says so on stderr).
run skillmap esco info
# /section:esco

# section:matching
# /section:matching

# section:frameworks
# /section:frameworks

# section:align
# /section:align

# section:registers
# /section:registers

# section:export
# /section:export

printf '\nDemo outputs are in demo-out/.\n'
