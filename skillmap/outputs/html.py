"""The alignment report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no external assets."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

from skillmap.align.summary import AlignmentSummary, level_status_legend, summarise
from skillmap.model import ROW_LEVEL_STATUSES, Alignment

FULL_TABLE_MAX_ROWS = 1_000  # above this the page lists only the rows to review (and links the full table)
REVIEW_MAX_ROWS = 2_000  # at most this many rows to review on one page; the csv/xlsx hold them all
_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1rem auto;padding:0 1rem;
color:#1d2733;max-width:1400px}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #dde3ea;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#eef2f7;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}
.facts td:first-child{font-weight:600;width:14rem}
.rows td.level{max-width:13rem;width:13rem}
.rows td.title{min-width:9rem}
.rows td.matches{min-width:12rem}
.st{display:inline-block;padding:0 .4rem;border-radius:.6rem;color:#fff;font-size:.85em;white-space:nowrap}
.review{background:#fff6ec}
.score{color:#5b6776;font-size:.85em}
summary{cursor:pointer;color:#5b6776}
small{color:#5b6776}
svg{max-width:100%;height:auto}
@media (max-width:900px){body{font-size:13px;padding:0 .5rem}td{overflow-wrap:anywhere}.facts td:first-child{width:auto}
.rows td.level{width:auto;max-width:8rem}.rows td.title{min-width:6rem}.rows td.matches{min-width:9.5rem}
th,td{padding:.25rem .3rem}}
"""


def status_colours() -> dict[str, str]:
    """The colour of each level status in the page and its chart (``data/align/level_statuses.csv``)."""
    return {info.status: info.colour for info in level_status_legend(ROW_LEVEL_STATUSES)}


def _status(status: str) -> str:
    colour = status_colours().get(status, "#555")
    return f'<span class="st" style="background:{colour}">{escape(status)}</span>'


def _link(uri: str, label: str) -> str:
    """A link to ``uri`` only when it is an http(s) address; any other scheme (``javascript:``, ``data:``) is text."""
    if urlsplit(uri.strip()).scheme.lower() in ("http", "https"):
        return f'<a href="{escape(uri.strip())}">{escape(label)}</a>'
    return escape(label)


def _level_reason(reason: str) -> str:
    """The level reason in a narrow cell: "DQR 4 → EQF 4 (Germany)", its source folded under "source"."""
    head, marker, source = reason.partition("; source: ")
    if not marker:
        return f"<small>{escape(reason)}</small>"
    return (
        f"<small>{escape(head)})</small><details><summary><small>source</small></summary>"
        f"<small>{escape(source.removesuffix(')'))}</small></details>"
    )


def _suggestion(alignment: Alignment) -> str:
    """The suggested level of a row, labelled a suggestion, with its evidence folded away; "" when none."""
    suggestion = alignment.suggestion
    if suggestion is None or suggestion.eqf_level is None:
        return ""
    evidence = "".join(f"<br><small>{escape(line)}</small>" for line in suggestion.evidence)
    return (
        f" <small>EQF {suggestion.eqf_level}? (suggested, {escape(suggestion.strength)})</small>"
        f"<details><summary><small>evidence</small></summary>{evidence}</details>"
    )


def level_chart_svg(summary: AlignmentSummary, width: int = 640, height: int = 260) -> str:
    """A stacked bar chart (rows per EQF level, coloured by level status) as inline SVG."""
    levels = list(summary.by_level)
    if not levels:
        return ""
    colours = status_colours()
    left, bottom, top, legend = 44, 30, 14, 150
    plot_w, plot_h = width - left - legend, height - top - bottom
    peak = max(sum(counts.values()) for counts in summary.by_level.values())
    step = plot_w / len(levels)
    bar = step * 0.7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" '
        f'aria-label="Rows per EQF level and level status" font-size="11">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#889"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, level in enumerate(levels):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for status in summary.statuses:
            count = summary.by_level[level].get(status, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colours[status]}">'
                f"<title>EQF {escape(level)}, {status}: {count}</title></rect>"
            )
        label = f"EQF {level}" if level != "none" else "none"
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{label}</text>')
        total = sum(summary.by_level[level].values())
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{total}</text>')
    for i, status in enumerate(summary.statuses):
        y = top + 8 + i * 18
        parts.append(f'<rect x="{width - legend + 16}" y="{y - 9}" width="11" height="11" fill="{colours[status]}"/>')
        parts.append(f'<text x="{width - legend + 32}" y="{y}">{status}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(
    alignments: Sequence[Alignment],
    *,
    code_column: str | None = None,
    title: str = "skillmap alignment report",
    facts: Sequence[tuple[str, object]] = (),
    full_table: str | None = None,
) -> str:
    """The report page: facts (run date, versions, reading notes), the EQF level chart and a status legend, review
    reasons, then the rows — every row up to :data:`FULL_TABLE_MAX_ROWS`, else only the rows to review (at most
    :data:`REVIEW_MAX_ROWS`), with ``full_table`` (a relative link to the csv/xlsx written alongside) for the rest."""
    summary = summarise(alignments)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        '<table class="facts">',
    ]
    counts = [(label, f"{count:,}") for label, count in summary.counts]
    for label, value in [*counts, *facts]:
        out.append(f"<tr><td>{escape(label)}</td><td>{escape(str(value))}</td></tr>")
    out.append("</table><h2>EQF levels</h2>")
    out.append(level_chart_svg(summary))
    out.append(
        "<table><tr><th>EQF level</th>"
        + "".join(f'<th class="n">{s}</th>' for s in summary.statuses)
        + '<th class="n">total</th></tr>'
    )
    for level, level_counts in summary.by_level.items():
        cells = "".join(f'<td class="n">{level_counts.get(s, 0):,}</td>' for s in summary.statuses)
        out.append(f"<tr><td>{escape(level)}</td>{cells}<td class='n'>{sum(level_counts.values()):,}</td></tr>")
    out.append("</table>")
    out.append('<h2>Level statuses</h2><table class="facts">')
    for info in level_status_legend(summary.statuses):
        out.append(f"<tr><td>{_status(info.status)}</td><td>{escape(info.meaning)}</td></tr>")
    out.append("</table>")
    if summary.has_digital_or_green:
        out.append(
            "<h2>Digital and green skills per EQF level</h2><table><tr><th>EQF level</th><th>matched skills</th>"
            "<th>digital</th><th>green</th><th>digital share</th><th>green share</th></tr>"
        )
        for level, counts in summary.collections_by_level.items():
            shares = "".join(f"<td class='n'>{counts[name]}</td>" for name in ("skills", "digital", "green")) + "".join(
                f"<td class='n'>{counts[name] / counts['skills']:.0%}</td>" for name in ("digital", "green")
            )
            out.append(f"<tr><td>{escape(level)}</td>{shares}</tr>")
        out.append("</table>")
    if summary.review_reasons:
        out.append("<h2>Why rows need review</h2><table><tr><th>reason</th><th class='n'>rows</th></tr>")
        for reason, count in summary.review_reasons.items():
            out.append(f"<tr><td>{escape(reason)}</td><td class='n'>{count:,}</td></tr>")
        out.append("</table>")
    out.extend(_rows_section(alignments, code_column, full_table))
    out.append("<p><small>This service uses the ESCO classification of the European Commission.</small></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _rows_section(alignments: Sequence[Alignment], code_column: str | None, full_table: str | None) -> list[str]:
    """The heading, a line on what is shown, and the rows table."""
    if len(alignments) <= FULL_TABLE_MAX_ROWS:
        shown, heading, line = list(alignments), "Rows", ""
    else:
        to_review = [a for a in alignments if a.review]
        shown, heading = to_review[:REVIEW_MAX_ROWS], "Rows to review"
        where = f'<a href="{escape(full_table)}">{escape(full_table)}</a>' if full_table else "the csv or xlsx report"
        line = (
            f"<p>{len(shown):,} of the {len(to_review):,} rows to review are listed here (the page stays light for "
            f"a register of {len(alignments):,} rows); every row is in {where}.</p>"
        )
    code_head = "<th>code</th>" if code_column else ""
    out = [
        f"<h2>{heading}</h2>",
        *([line] if line else []),
        f'<table class="rows"><tr><th class="n">#</th>{code_head}<th>title</th><th>country</th>'
        "<th>level as written</th><th class='n'>EQF</th><th>level status</th><th>ESCO skills</th>"
        "<th>ESCO occupations</th><th>review</th></tr>",
    ]
    for a in shown:
        code = f"<td>{escape(a.row.get(code_column, ''))}</td>" if code_column else ""
        skills = "<br>".join(f'{_link(m.uri, m.label)} <span class="score">{m.score:.2f}</span>' for m in a.skills)
        occupations = "<br>".join(
            f'{_link(m.uri, m.label)} <span class="score">{m.score:.2f}</span>' for m in a.occupations
        )
        eqf = "" if a.level.eqf_level is None else str(a.level.eqf_level)
        suggested = _suggestion(a)
        reasons = "<br>".join(escape(r) for r in a.review)
        css = ' class="review"' if a.review else ""
        out.append(
            f"<tr{css}><td class='n'>{a.row_number}</td>{code}<td class='title'>{escape(a.title)}</td>"
            f"<td>{escape(a.level.country)}</td><td>{escape(a.level.input or '')}</td><td class='n'>{eqf}</td>"
            f"<td class='level'>{_status(a.level.status)}{suggested}<br>{_level_reason(a.level.reason)}</td>"
            f"<td class='matches'>{skills}</td><td class='matches'>{occupations}</td><td>{reasons}</td></tr>"
        )
    out.append("</table>")
    return out
