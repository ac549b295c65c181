"""CLI commands: ``skillmap skills``, ``skillmap occupations`` (rank concepts for a text), ``skillmap evaluate``.

Only numpy is imported on the matching path (no pandas, rdflib or scipy), so a query starts fast. To add an
option to both ranking commands, add it to :func:`ranking_command` and pass it on to the library call.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skillmap.cli.common import emit, lazy_progress_bar, notice, progress_bar
from skillmap.cli.options import FormatOption, LangOption, MethodOption, OutputFormat, QuietOption, TopOption

if TYPE_CHECKING:
    from skillmap.ranking import Ranking

TextArgument = Annotated[
    str,
    typer.Argument(
        help="The text to match: a title, a competence statement or a paragraph of learning outcomes "
        "(split into statements at sentences, bullets, semicolons, numbered items and line breaks). "
        "Use - to read it from standard input.",
        show_default=False,
    ),
]
MinScoreOption = Annotated[
    float, typer.Option("--min-score", help="Drop hits scoring below this (0–1).", min=0.0, max=1.0)
]
TaxonomyOption = Annotated[
    Path | None,
    typer.Option(
        "--taxonomy",
        help="Match against this taxonomy file (CSV uri,label,kind,lang[,role] or SKOS) instead of the imported index.",
        show_default=False,
    ),
]
UriOption = Annotated[
    bool, typer.Option("--uri", help="Show the concept URI in the table (json and csv always carry it).")
]
CollectionOption = Annotated[
    str | None,
    typer.Option(
        "--collection",
        help="Keep only concepts of this ESCO collection: digital, green, transversal, language, digcomp, research.",
        show_default=False,
    ),
]
GoldArgument = Annotated[
    Path,
    typer.Argument(
        help="Gold CSV with the header id,text,expected,kind,lang (expected: URIs joined by ' | ').",
        show_default=False,
    ),
]

TIES = "Ties are broken by URI, so the same text always gives the same ranking."
RANKING_HELP = {
    "skills": "Rank ESCO skills for a text: URI, preferred label, the label that matched, score (0–1).",
    "occupations": "Rank ESCO occupations for a text (a job or qualification title works best).",
}
HIT_COLUMNS = ("rank", "score", "label", "matched_label", "lang", "uri")


def ranking_command(
    ctx: typer.Context,
    text: TextArgument,
    lang: LangOption = None,
    top: TopOption = 10,
    min_score: MinScoreOption = 0.0,
    taxonomy: TaxonomyOption = None,
    uri: UriOption = False,
    collection: CollectionOption = None,
    method: MethodOption = None,
    quiet: QuietOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """``skillmap skills`` and ``skillmap occupations``: the command name says which kind is ranked."""
    from skillmap.ranking import match_occupations, match_skills

    match = match_skills if ctx.info_name == "skills" else match_occupations
    text = sys.stdin.read() if text == "-" else text
    with lazy_progress_bar("embedding the labels (first use)", quiet=quiet) as progress:
        ranking = match(
            text,
            lang=lang,
            top=top,
            min_score=min_score,
            taxonomy=taxonomy,
            method=method,
            progress=progress,
            collection=collection,
        )
    print_ranking(ranking, fmt, uri=uri)


def evaluate_command(
    gold: GoldArgument,
    taxonomy: TaxonomyOption = None,
    lang: LangOption = None,
    method: MethodOption = None,
    quiet: QuietOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Measure matching quality on a gold file: n, MRR, RP@1, RP@5, RP@10 and seconds.

    Every concept of each row's kind is ranked (ties by URI).

    Without --lang, each row uses the labels in its own language when the target has them.
    """
    from skillmap.evaluation import SAMPLE_WARNING, evaluate

    with (
        lazy_progress_bar("embedding the taxonomy's labels (first use)", quiet=quiet) as embed_progress,
        progress_bar("evaluating", counts=True, quiet=quiet) as progress,
    ):
        result = evaluate(
            gold, taxonomy=taxonomy, lang=lang, method=method, progress=progress, embed_progress=embed_progress
        )
    for line in result.notes:
        notice(line, style="bold red" if line == SAMPLE_WARNING else None)
    if result.missing_uris:
        notice(
            f"{result.missing_uris:,} expected URI(s) are not concepts of the target and can never be found "
            "(another ESCO version, or the wrong taxonomy?)"
        )
    emit(result.to_dict(), fmt, title="Evaluation")


def register(app: typer.Typer) -> None:
    """Add ``skills``, ``occupations`` and ``evaluate`` to ``app``."""
    for name, summary in RANKING_HELP.items():
        app.command(name, help=f"{summary}\n\n{TIES}")(ranking_command)
    app.command("evaluate")(evaluate_command)


def print_ranking(ranking: Ranking, fmt: OutputFormat, *, uri: bool = False) -> None:
    """Print the hits (with the statement of each hit when the text was a paragraph) and the ranking's notes.

    The terminal table leaves the URI out unless ``uri`` (it would take half of an 80-column terminal).
    """
    for line in ranking.notes:
        notice(line)
    rows = [{"rank": rank, **hit_record(hit)} for rank, hit in enumerate(ranking.hits, start=1)]
    columns = list(HIT_COLUMNS)
    if len(ranking.statements) > 1:  # a paragraph: say which statement produced each hit
        columns.insert(4, "statement")
    if fmt == OutputFormat.table and not uri:
        columns.remove("uri")
    if not ranking.hits:
        notice("no concept matched; try other words, another --lang or a lower --min-score")
    emit(rows, fmt, columns=columns, title=f"{ranking.kind.capitalize()}s for the text", droppable=["lang"])


def hit_record(hit) -> dict[str, object]:
    """One hit as the JSON object and CSV row users see."""
    return {
        "uri": hit.uri,
        "label": hit.label,
        "matched_label": hit.matched_label,
        "score": hit.score,
        "kind": hit.kind,
        "lang": hit.lang,
        "statement": hit.statement,
        "collections": list(hit.collections),
        "digcomp": list(hit.digcomp),
        "signals": dict(hit.signals),
    }
