"""Build data/levels_suggest/level_model.gz, the learned model of `skillmap suggest-level`.

    .venv/bin/python data/levels_suggest/build_model.py [../shared/eval/fr-rncp-levels-dev.csv]

Source: France compétences (data.gouv.fr), RNCP open data (rncp_blocs_competences, rncp_info), Licence Ouverte 2.0,
as joined in the skillmap dev set fr-rncp-levels-dev.csv (652 levelled RNCP qualifications: title, competence
blocks, EQF level 3–8). Only learned weights are written, never the rows. Deterministic: the same file gives a
byte-identical model (sorted features, a fixed-iteration L-BFGS from zeros, rounded weights, gzip without mtime).

Every qualification is used twice, with and without its title, so the one model serves outcomes alone and
outcomes with a title. Beside the n-grams the model reads the multilingual sentence vector of each qualification
(skillmap.levels_suggest.embedding; the semantic matcher's pinned, offline encoder must be installed). Three parts
are trained and mixed in equal shares: a multinomial and an ordinal (Frank & Hall thresholds) logistic regression
over n-grams and sentence vectors, and a multinomial over the n-grams alone (skillmap.levels_suggest.training).
Settings (REGULARISATION, MIN_DF, VECTOR_SCALE, ORDINAL_SHARE, NGRAM_SHARE, ORDINAL_REGULARISATION) are the ones
benchmarks/bench_suggest_level.py measures.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from skillmap.fileio import atomic_write_bytes  # noqa: E402
from skillmap.levels_suggest.embedding import qualification_vectors  # noqa: E402
from skillmap.levels_suggest.evaluation import read_level_gold  # noqa: E402
from skillmap.levels_suggest.learned import MODEL_FILE, model_to_json  # noqa: E402
from skillmap.levels_suggest.training import MIN_DF, REGULARISATION, fit_with_and_without_titles  # noqa: E402

CREDIT = "Trained on RNCP qualifications. Source : France compétences (data.gouv.fr), Licence Ouverte 2.0."
DEFAULT_SOURCE = HERE.parent.parent.parent / "shared" / "eval" / "fr-rncp-levels-dev.csv"


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    rows, skipped = read_level_gold(source)
    vectors, note = qualification_vectors([(r.title, r.outcomes) for r in rows])
    if vectors is None:
        print(f"cannot build the model: {note}", file=sys.stderr)
        return 2
    model = fit_with_and_without_titles(rows, regularisation=REGULARISATION, min_df=MIN_DF, vectors=vectors)
    checksum = hashlib.sha256(source.read_bytes()).hexdigest()
    atomic_write_bytes(HERE / MODEL_FILE, model_to_json(model, CREDIT, checksum))
    print(f"{len(rows)} qualifications ({skipped} without a level skipped), {len(model.vocabulary)} features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
