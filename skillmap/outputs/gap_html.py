"""The html view of a skills gap (``skillmap gap --out FILE.html``): one self-contained page, no scripts."""

from __future__ import annotations

from html import escape

from skillmap.gap_analysis import GapResult
from skillmap.outputs.html import _CSS

STATUS_COLOURS = {"covered": "#3b7d4f", "partly covered": "#d08a1e", "missing": "#c0392b"}


def render_gap_html(result: GapResult) -> str:
    """The gap as a page: the shares, then each skill with its status, score and evidence statement."""
    title = f"Skills gap: {result.target}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        '<table class="facts">',
    ]
    for name, value in result.summary().items():
        shown = f"{value:.0%}" if isinstance(value, float) else "" if value is None else str(value)
        out.append(f"<tr><td>{escape(name.replace('_', ' '))}</td><td>{escape(shown)}</td></tr>")
    out.append("</table>")
    out.append("<p><small>partly covered: a suggestion for a counsellor to check, not a finding.</small></p>")
    out.append(
        "<h2>Skills</h2><table><tr><th>status</th><th>score</th><th>relation</th><th>skill</th>"
        "<th>evidence statement</th></tr>"
    )
    for skill in result.skills:
        badge = f'<span class="st" style="background:{STATUS_COLOURS[skill.status]}">{escape(skill.status)}</span>'
        out.append(
            f"<tr><td>{badge}</td><td class='n'>{skill.score:.2f}</td><td>{escape(skill.relation)}</td>"
            f'<td><a href="{escape(skill.uri)}">{escape(skill.label)}</a></td><td>{escape(skill.statement)}</td></tr>'
        )
    out.append("</table>")
    if result.qualifications:
        out.append(
            "<h2>Registered qualifications carrying the missing skills</h2><table><tr><th>code</th><th>title</th>"
            "<th>country</th><th>skills it carries</th></tr>"
        )
        for q in result.qualifications:
            out.append(
                f"<tr><td>{escape(q.code)}</td><td>{escape(q.title)}</td><td>{escape(q.country)}</td>"
                f"<td>{escape(', '.join(q.skills))}</td></tr>"
            )
        out.append("</table>")
    out.append("<h2>Evidence</h2><ul>" + "".join(f"<li>{escape(s)}</li>" for s in result.evidence) + "</ul>")
    out.append("<p><small>This service uses the ESCO classification of the European Commission.</small></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
