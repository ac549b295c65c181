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
# Free text → ESCO skills and occupations (here on the bundled sample; ties are broken by URI).
run skillmap skills "install and maintain photovoltaic systems on residential roofs" --top 5
run skillmap skills "A1C1. Install PV modules on roofs. A1C2. Test inverters; communicate with customers" --top 6
run skillmap occupations "électricien" --lang fr --top 3 --format json
# /section:matching

# section:languages
# Certificates written in German and in French (examples/certificates-de-fr.csv, written by
# examples/make_certificates.py), aligned against the English labels only (--lang en): the semantic matcher carries
# the meaning across languages. Matches across languages are weaker, so those rows are flagged for review; the
# skills of each certificate's outcomes follow.
run skillmap align examples/certificates-de-fr.csv --lang en --out demo-out/alignment-de-fr.csv
run skillmap skills "Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen" --lang en --top 4
run skillmap skills "Installer des panneaux solaires photovoltaïques sur les toitures. Raccorder l'onduleur" \
  --lang en --top 4
# /section:languages

# section:frameworks
# A recognition officer's questions: what EQF level is this national level? (bundled data/nqf, no ../shared)
run skillmap level GB-SCT "SCQF 11"
run skillmap level IE "NFQ Level 8"
run skillmap level SI "Level 5"
run skillmap level FR "Niveau IV" --format json
run skillmap level GB-ENG "Entry Level"
run skillmap level GB-ENG "Entry Level" --title "Functional Skills Qualification in English at Entry 3"
run skillmap frameworks compare IE FR
run skillmap frameworks show NO
say "skillmap frameworks list --format csv > demo-out/frameworks.csv"
skillmap frameworks list --format csv > demo-out/frameworks.csv
# /section:frameworks

# section:align
# A policy analyst's register: examples/certificates.xlsx (written by examples/make_certificates.py) has title rows
# above the header, a merged cell, a formula, levels as each country writes them (two ambiguous, one missing).
# --suggest-levels: the Italian AI micro-credential sits outside every framework (no level); it gets an EQF level
# suggested from its learning outcomes, with evidence, labelled a suggestion (never eqf_level) and listed for review.
run skillmap align examples/certificates.xlsx --suggest-levels --out demo-out/alignment.xlsx \
  --out demo-out/alignment.csv --out demo-out/alignment.json --out demo-out/alignment.md --out demo-out/alignment.html
say "the rows whose EQF level is only suggested (demo-out/alignment.json, level_status \"suggested\")"
python - <<'PY'
import json

for row in json.load(open("demo-out/alignment.json", encoding="utf-8")):
    if row["level_status"] == "suggested":
        print(f"{row['Code']} {row['Qualification title']}: suggested EQF {row['suggested_eqf']}, confidence "
              f"{row['suggested_confidence']:.2f} (a suggestion: eqf_level stays empty; the row is to review)")
        for line in row["suggested_evidence"]:
            print(f"  evidence: {line}")
PY
# The same register exported as a semicolon CSV with a BOM, printed for a quick look.
run skillmap align examples/certificates.csv --suggest-levels --quiet
# CI: regenerate the table and compare it with the committed one (exit 1 and a diff when a row changed).
run skillmap align examples/certificates.xlsx --suggest-levels --quiet --out demo-out/alignment-ci.csv \
  --check demo-out/alignment.csv
echo "exit $?: the table is unchanged"
# /section:align

# section:registers
# A recognition officer's desk: the alignment above becomes a register; titles are typed as written on the paper.
aligned=$(grep -l '"level_status"' demo-out/*.json 2>/dev/null | head -n 1 || true)
if [ -z "$aligned" ]; then  # or its CSV table (the alignment header has eqf_level,level_status)
  aligned=$(grep -l '^.*eqf_level,level_status,' demo-out/*.csv 2>/dev/null | head -n 1 || true)
fi
if [ -z "$aligned" ]; then  # the align section wrote no table: make one for the registers demo
  aligned=demo-out/certificates-aligned.json
  run skillmap align examples/certificates.xlsx --out "$aligned"
fi
run skillmap registers import "$aligned" --name certificates
run skillmap registers list
run skillmap lookup "C.A.P. ÉLECTRICIEN(NE)" --country FR
run skillmap lookup "ELEKTRONIKER/IN ENERGIE UND GEBAEUDETECHNIK (m/w/d)" --country DE --to GB-ENG --top 3
run skillmap compare DE-EGT-4 GB-L3-ELEC
printf 'query\nlevel 3 diploma electrical installations\nSOLAR PV INSTALLATION AWARD\nelektrotechnik gebaeudetechnik\n' \
  > demo-out/titles.csv
run skillmap lookup --batch demo-out/titles.csv --out demo-out/lookup-results.csv --top 2
# /section:registers

# section:export
# A national coordination point hands the alignment to the Europass QDR: ELM 3.1 records in three formats.
# Rows that cannot make a valid record (ambiguous or missing level, no QDR level concept, no language) are listed;
# a suggested level is never exported as an EQF level: the AI micro-credential is left out, "suggested level only".
# Each certificate's field of education comes from the sheet's ISCED-F column, carried through the alignment table.
run skillmap export europass demo-out/alignment.csv --out demo-out/qualifications.ttl \
  --base-uri https://qualifications.example.org --language en --report demo-out/export-report.csv
run skillmap export europass demo-out/alignment.csv --out demo-out/qualifications.jsonld \
  --base-uri https://qualifications.example.org --language en
run skillmap export europass demo-out/alignment.csv --out demo-out/qualifications.xml \
  --base-uri https://qualifications.example.org --language en
if [ -d ../shared/elm ]; then  # with the official shapes/XSD at hand: validate before writing
  run skillmap export europass demo-out/alignment.csv --out demo-out/qualifications-checked.xml \
    --base-uri https://qualifications.example.org --language en --validate ../shared/elm
fi
# /section:export

# section:microcredentials
# A provider's micro-credentials (examples/microcredentials.xlsx, written by examples/make_microcredentials.py) checked
# against the 16 standard elements of the Council Recommendation of 16 June 2022 (Annex I): exit 1, each lacks one.
say "skillmap check microcredential examples/microcredentials.xlsx"
if skillmap check microcredential examples/microcredentials.xlsx; then echo "exit 0"; else echo "exit $?: a mandatory element is missing"; fi
skillmap check microcredential examples/microcredentials.xlsx --format csv > demo-out/microcredentials-check.csv || true
# Aligned, the levelled ones become ELM records carrying every element ELM 3.1 holds (credits, workload, mode,
# setting, assessment and supervision, entry requirements, stackability, accreditation).
run skillmap align examples/microcredentials.xlsx --quiet --out demo-out/microcredentials-aligned.csv
run skillmap export europass demo-out/microcredentials-aligned.csv --out demo-out/microcredentials.ttl \
  --base-uri https://qualifications.example.org --report demo-out/microcredentials-report.csv
# /section:microcredentials

# section:gap
# Recognition of prior learning: the PV-installer certificate (its registered skills and learning outcomes) against
# the ESCO occupation "solar energy technician", whose 88 essential/optional skills ship with the bundled sample.
run skillmap registers import demo-out/microcredentials-aligned.csv --name microcredentials
run skillmap gap --code DE-PV-INST --occupation "solar energy technician" --top 3 --html demo-out/gap.html
say 'skillmap gap --text "I install PV panels on roofs; I install circuit breakers" --occupation "solar energy technician" --format csv > demo-out/gap.csv'
skillmap gap --text "I install PV panels on roofs; I install circuit breakers" --occupation "solar energy technician" \
  --format csv > demo-out/gap.csv
# /section:gap

printf '\nDemo outputs are in demo-out/.\n'
