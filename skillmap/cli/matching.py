"""CLI commands: ``skillmap skills``, ``skillmap occupations`` (rank concepts for a text), ``skillmap evaluate``.

Only numpy is imported on the matching path (no pandas, rdflib or scipy), so a query starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skillmap.cli.common import FormatOption, OutputFormat, emit, notice, open_index_with_notice, progress_bar
from skillmap.errors import SkillmapError

if TYPE_CHECKING:
    from collections.abc import Callable

    from skillmap.match import ConceptIndex

TextArgument = Annotated[
    str,
    typer.Argument(
        help="The text to match: a title, a competence statement or a paragraph of learning outcomes "
        "(split into statements at sentences, bullets, semicolons, numbered items and line breaks). "
        "Use - to read it from standard input.",
        show_default=False,
    ),
]
LangOption = Annotated[
    list[str] | None,
    typer.Option(
        "--lang",
        "-l",
        help="Match labels in this language only (repeatable or comma-separated, e.g. --lang en --lang fr or "
        "--lang en,fr); default: every language of the index.",
        show_default=False,
    ),
]
TopOption = Annotated[int, typer.Option("--top", "-n", help="Number of hits to show.", min=1, max=10_000)]
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

MethodOption = Annotated[
    str | None,
    typer.Option(
        "--method",
        help="lexical (labels' words and characters), semantic (the multilingual sentence model) or hybrid (both "
        "fused; a text in a language the labels are not in gets the semantic ranking). Default: hybrid when the "
        "index has its semantic matrix, else lexical.",
        show_default=False,
    ),
]

_HIT_COLUMNS = ("rank", "score", "label", "matched_label", "lang", "uri")


def register(app: typer.Typer) -> None:
    """Add ``skills``, ``occupations`` and ``evaluate`` to ``app``."""

    ties = "Ties are broken by URI, so the same text always gives the same ranking."
    skills_help = "Rank ESCO skills for a text: URI, preferred label, the label that matched, score (0–1)."
    occupations_help = "Rank ESCO occupations for a text (a job or qualification title works best)."
    app.command("skills", help=f"{skills_help}\n\n{ties}")(_ranking_command("skill"))
    app.command("occupations", help=f"{occupations_help}\n\n{ties}")(_ranking_command("occupation"))

    @app.command("evaluate")
    def evaluate_command(
        gold: Annotated[
            Path,
            typer.Argument(
                help="Gold CSV with the header id,text,expected,kind,lang (expected: URIs joined by ' | ').",
                show_default=False,
            ),
        ],
        taxonomy: Annotated[
            Path | None,
            typer.Option(
                "--taxonomy",
                help="Rank the concepts of this taxonomy file (CSV uri,label,kind,lang or SKOS) instead of the "
                "imported index.",
                show_default=False,
            ),
        ] = None,
        lang: LangOption = None,
        method: MethodOption = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        fmt: FormatOption = OutputFormat.table,
    ) -> None:
        """Measure matching quality on a gold file: n, MRR, RP@1, RP@5, RP@10 and seconds.

        Every concept of each row's kind is ranked (ties by URI).

        Without --lang, each row uses the labels in its own language when the target has them.
        """
        from skillmap.evaluate import evaluate

        target = _target(taxonomy, kind=None, purpose="evaluation", method=method, quiet=quiet)
        result = _with_progress(
            quiet, lambda progress: evaluate(gold, target, langs=_langs(lang), method=method, progress=progress)
        )
        for line in result.notes:
            notice(line)
        if result.missing_uris:
            notice(
                f"{result.missing_uris} expected URI(s) are not concepts of the target and can never be found "
                "(another ESCO version, or the wrong taxonomy?)"
            )
        emit(result.to_dict(), fmt, title="Evaluation")


def _ranking_command(kind: str) -> Callable[..., None]:
    """The ``skills`` / ``occupations`` command: the same options, ranking the concepts of one kind."""

    def command(
        text: TextArgument,
        lang: LangOption = None,
        top: TopOption = 10,
        min_score: MinScoreOption = 0.0,
        taxonomy: TaxonomyOption = None,
        method: MethodOption = None,
        fmt: FormatOption = OutputFormat.table,
    ) -> None:
        _match_command(text, kind, lang, top, min_score, taxonomy, method, fmt)

    command.__name__ = f"{kind}s_command"
    return command


def _match_command(
    text: str,
    kind: str,
    langs: list[str] | None,
    top: int,
    min_score: float,
    taxonomy: Path | None,
    method: str | None,
    fmt: OutputFormat,
) -> None:
    if text == "-":
        text = sys.stdin.read()
    if not text.strip() or not any(ch.isalnum() for ch in text):
        raise SkillmapError(f'empty text: give the text to match, e.g. skillmap {kind}s "install solar panels"')
    index = _target(taxonomy, kind=kind, purpose="matching", method=method)
    search_kind: str | None = kind
    if taxonomy is not None and kind not in index.kinds():
        notice(f"{taxonomy} has no {kind} concepts; matching all its concepts ({', '.join(index.kinds())})")
        search_kind = None
    notes: list[str] = []
    hits = index.search(
        text, kind=search_kind, langs=_langs(langs), top=top, min_score=min_score, method=method, notes=notes
    )
    if method is None and index.semantic is None and index.semantic_note:
        notes.insert(0, index.semantic_note)
    for line in notes:
        notice(line)
    rows = [{"rank": rank, **_hit_record(hit)} for rank, hit in enumerate(hits, start=1)]
    columns = list(_HIT_COLUMNS)
    if len({hit.statement for hit in hits}) > 1:  # a paragraph: say which statement produced each hit
        columns.insert(4, "statement")
    if not hits:
        notice("no concept matched; try other words, another --lang or a lower --min-score")
    emit(rows, fmt, columns=columns, title=f"{kind.capitalize()}s for the text")


def _langs(values: list[str] | None) -> list[str] | None:
    """``--lang`` values as the index stores them: ``EN``, ``en,fr`` and ``en-US`` work too (None: every language)."""
    langs = [part.strip().lower() for value in values or () for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(langs)) or None


def _hit_record(hit) -> dict[str, object]:
    return {
        "uri": hit.uri,
        "label": hit.label,
        "matched_label": hit.matched_label,
        "score": hit.score,
        "kind": hit.kind,
        "lang": hit.lang,
        "statement": hit.statement,
        "signals": dict(hit.signals),
    }


def _target(
    taxonomy: Path | None, *, kind: str | None, purpose: str, method: str | None = None, quiet: bool = False
) -> ConceptIndex:
    """The index to match against: a taxonomy file given on the command line (its index and semantic matrix
    cached after the first use), or the live index."""
    if taxonomy is not None:
        from skillmap.store import open_taxonomy

        if quiet or not sys.stderr.isatty():
            return open_taxonomy(taxonomy, semantic=method != "lexical")
        with progress_bar("embedding the taxonomy's labels (first use)", counts=True) as bar:
            return open_taxonomy(
                taxonomy, semantic=method != "lexical", progress=lambda _stage, done, total: bar(done, total)
            )
    loaded = open_index_with_notice()
    if purpose == "evaluation" and loaded.info.origin == "sample":
        notice(
            "[bold red]evaluating against the bundled ESCO SAMPLE: most gold concepts are missing, so these "
            "numbers are MEANINGLESS[/bold red]; import ESCO first (`skillmap esco import ...`)"
        )
    return loaded.index


def _with_progress(quiet: bool, work):
    if quiet or not sys.stderr.isatty():
        return work(None)
    with progress_bar("evaluating", counts=True) as progress:
        return work(progress)
