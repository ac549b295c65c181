"""The html report: what a reader sees — run date and versions, safe links, a light page for a large register,
and (in headless Chromium, where installed) no horizontal scrolling at 1,280 px and a visible chart."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from skillmap.outputs.html import FULL_TABLE_MAX_ROWS, render_html
from tests.conftest import REPO, run_skillmap
from tests.test_outputs_tables import ALIGNMENTS, SKILL, _alignment

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (Debian: apt-get install chromium)"
)
FACTS = [("run date", "2026-01-01 00:00 UTC"), ("skillmap version", "0.1.0"), ("concept index", "ESCO 1.1.1")]


def test_the_page_states_the_run_date_and_versions() -> None:
    page = render_html(ALIGNMENTS, code_column="Code", facts=FACTS)
    assert "2026-01-01 00:00 UTC" in page and "skillmap version" in page and "ESCO 1.1.1" in page


@pytest.mark.parametrize("uri", ["javascript:alert(1)", "data:text/html,<b>x</b>", " JavaScript:alert(1)", "ftp://x"])
def test_only_http_uris_become_links(uri: str) -> None:
    alignment = _alignment(1, "Q1", "t")
    hostile = replace(alignment, skills=(replace(alignment.skills[0], uri=uri, label="click me"),))
    page = render_html([hostile])
    assert "click me" in page
    assert not re.search(r'href="\s*(javascript|data|ftp):', page, flags=re.IGNORECASE)
    assert f'href="{SKILL}"' not in page  # the hostile one replaced it; the occupation link is still http
    assert 'href="http://data.europa.eu/esco/occupation/o1"' in page


def test_a_large_register_lists_the_rows_to_review_and_links_the_full_table() -> None:
    many = [
        _alignment(i, f"Q{i}", f"Title {i}", review=("ambiguous level",) if i % 10 == 0 else ())
        for i in range(1, 8_001)
    ]
    page = render_html(many, code_column="Code", full_table="table.csv")
    assert len(many) > FULL_TABLE_MAX_ROWS
    assert page.count('<tr class="review">') == 800 and ">Title 11<" not in page
    assert '<a href="table.csv">table.csv</a>' in page and "8,000 rows" in page
    assert len(page.encode()) < 1_500_000  # was 9.5 MB for the 8,092-row England list


def test_a_small_register_lists_every_row() -> None:
    page = render_html(ALIGNMENTS, code_column="Code")
    assert ">Electrical installation<" in page and "<h2>Rows</h2>" in page


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    args = ["align", str(REPO / "examples" / "certificates.xlsx"), "--quiet"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")
        run_skillmap([*args, "--out", str(out / "report.html"), "--out", str(out / "table.csv")], out / "home")
    return out / "report.html"


def _measure_in_chromium(page: Path, width: int) -> dict[str, float]:
    """Open a copy of the page with a measuring script in headless Chromium; return what it measured."""
    probe = page.with_name("probe.html")
    script = (
        "<script>window.addEventListener('load',()=>{const s=document.querySelector('svg').getBoundingClientRect();"
        "document.body.setAttribute('data-probe',[document.documentElement.scrollWidth,window.innerWidth,"
        "s.width,s.height,document.querySelectorAll('svg rect').length].join(','))});</script>"
    )
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--window-size={width},900",
                "--hide-scrollbars",
                "--virtual-time-budget=3000",
                "--dump-dom",
                probe.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    found = re.search(r'data-probe="([^"]+)"', done.stdout)
    assert found, done.stderr[-2000:]
    scroll, inner, chart_w, chart_h, bars = (float(v) for v in found.group(1).split(","))
    return {"scroll": scroll, "inner": inner, "chart_w": chart_w, "chart_h": chart_h, "bars": bars}


@needs_chromium
@pytest.mark.parametrize("width", [1280, 800])
def test_the_report_fits_the_window_and_shows_the_chart_in_chromium(demo_report: Path, width: int) -> None:
    seen = _measure_in_chromium(demo_report, width)
    assert seen["scroll"] <= seen["inner"], seen  # no horizontal scrolling
    assert seen["chart_w"] > 200 and seen["chart_h"] > 100 and seen["bars"] >= 5, seen
