"""The alignment report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no external assets."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from skillmap.align.summary import AlignmentSummary, summarise
from skillmap.model import LEVEL_STATUSES, Alignment

STATUS_COLOURS = {
    "ok": "#3b7d4f",
    "ambiguous": "#d08a1e",
    "not_referenced": "#8c6bb1",
    "unknown": "#c0392b",
    "missing": "#9aa5b1",
}
_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1d2733;max-width:1400px}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid #dde3ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f7;position:sticky;top:0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.facts td:first-child{font-weight:600;width:16rem}
.st{display:inline-block;padding:0 .4rem;border-radius:.6rem;color:#fff;font-size:.85em}
.review{background:#fff6ec}
.score{color:#5b6776;font-size:.85em}
small{color:#5b6776}
"""


def _status(status: str) -> str:
    colour = STATUS_COLOURS.get(status, "#555")
    return f'<span class="st" style="background:{colour}">{escape(status)}</span>'


def level_chart_svg(summary: AlignmentSummary, width: int = 640, height: int = 260) -> str:
    """A stacked bar chart (rows per EQF level, coloured by level status) as inline SVG."""
    levels = list(summary.by_level)
    if not levels:
        return ""
    left, bottom, top, legend = 44, 30, 14, 150
    plot_w, plot_h = width - left - legend, height - top - bottom
    peak = max(sum(counts.values()) for counts in summary.by_level.values())
    step = plot_w / len(levels)
    bar = step * 0.7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="Rows per EQF level and level status" font-size="11">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#889"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, level in enumerate(levels):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for status in LEVEL_STATUSES:
            count = summary.by_level[level].get(status, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{STATUS_COLOURS[status]}">'
                f"<title>EQF {escape(level)}, {status}: {count}</title></rect>"
            )
        label = f"EQF {level}" if level != "none" else "none"
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{label}</text>')
        total = sum(summary.by_level[level].values())
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{total}</text>')
    for i, status in enumerate(LEVEL_STATUSES):
        y = top + 8 + i * 18
        parts.append(
            f'<rect x="{width - legend + 16}" y="{y - 9}" width="11" height="11" fill="{STATUS_COLOURS[status]}"/>'
        )
        parts.append(f'<text x="{width - legend + 32}" y="{y}">{status}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(
    alignments: Sequence[Alignment],
    *,
    code_column: str | None = None,
    title: str = "skillmap alignment report",
    facts: Sequence[tuple[str, str]] = (),
) -> str:
    """The report page: facts, the EQF level chart, review reasons, rows needing review, then every row."""
    summary = summarise(alignments)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        '<table class="facts">',
    ]
    for label, value in [
        ("rows", str(summary.rows)),
        ("rows needing review", str(summary.needs_review)),
        ("rows with an ESCO skill", str(summary.with_skills)),
        ("rows with an ESCO occupation", str(summary.with_occupations)),
        *facts,
    ]:
        out.append(f"<tr><td>{escape(label)}</td><td>{escape(value)}</td></tr>")
    out.append("</table><h2>EQF levels</h2>")
    out.append(level_chart_svg(summary))
    out.append(
        "<table><tr><th>EQF level</th>" + "".join(f"<th>{s}</th>" for s in LEVEL_STATUSES) + "<th>total</th></tr>"
    )
    for level, counts in summary.by_level.items():
        cells = "".join(f'<td class="n">{counts.get(s, 0)}</td>' for s in LEVEL_STATUSES)
        out.append(f"<tr><td>{escape(level)}</td>{cells}<td class='n'>{sum(counts.values())}</td></tr>")
    out.append("</table>")
    if summary.review_reasons:
        out.append("<h2>Why rows need review</h2><table><tr><th>reason</th><th>rows</th></tr>")
        for reason, count in summary.review_reasons.items():
            out.append(f"<tr><td>{escape(reason)}</td><td class='n'>{count}</td></tr>")
        out.append("</table>")
    code_head = "<th>code</th>" if code_column else ""
    out.append(
        f"<h2>Rows</h2><table><tr><th>#</th>{code_head}<th>title</th><th>country</th><th>level as written</th>"
        "<th>EQF</th><th>status</th><th>ESCO skills</th><th>ESCO occupations</th><th>review</th></tr>"
    )
    for a in alignments:
        code = f"<td>{escape(a.row.get(code_column, ''))}</td>" if code_column else ""
        skills = "<br>".join(
            f'<a href="{escape(m.uri)}">{escape(m.label)}</a> <span class="score">{m.score:.2f}</span>'
            for m in a.skills
        )
        occupations = "<br>".join(
            f'<a href="{escape(m.uri)}">{escape(m.label)}</a> <span class="score">{m.score:.2f}</span>'
            for m in a.occupations
        )
        eqf = "" if a.level.eqf_level is None else str(a.level.eqf_level)
        reasons = "<br>".join(escape(r) for r in a.review)
        css = ' class="review"' if a.review else ""
        out.append(
            f"<tr{css}><td class='n'>{a.row_number}</td>{code}<td>{escape(a.title)}</td>"
            f"<td>{escape(a.level.country)}</td><td>{escape(a.level.input or '')}</td><td class='n'>{eqf}</td>"
            f"<td>{_status(a.level.status)}<br><small>{escape(a.level.reason)}</small></td>"
            f"<td>{skills}</td><td>{occupations}</td><td>{reasons}</td></tr>"
        )
    out.append("</table>")
    out.append("<p><small>This service uses the ESCO classification of the European Commission.</small></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
