"""Situation reports on a hand-built database: figures, escaping, and the three output formats."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import serve_fixture  # noqa: E402

from frontlines.report import ReportError, build_report, render_markdown, topojson_rings, write_report  # noqa: E402
from frontlines.store import open_store  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "r.db"
    serve_fixture.build(path, n_random=120)
    with open_store(path) as s:
        yield s


def test_figures_compare_with_the_previous_period(store):
    rep = build_report(store, "2022-09-16", "2022-09-30", control=False)
    assert rep.prev_since == "2022-09-01" and rep.prev_until == "2022-09-15"
    assert all("2022-09-16" <= e.event_date <= "2022-09-30" for e in rep.events)
    assert all("2022-09-01" <= e.event_date <= "2022-09-15" for e in rep.previous)
    assert rep.fatalities == sum(e.fatalities for e in rep.events)
    assert sum(rep.by_type().values()) == len(rep.events)
    assert rep.deadliest()[0].fatalities == max(e.fatalities for e in rep.events)
    assert "Strange report" not in str(rep.new_since_previous())


def test_region_and_disputed(store):
    rep = build_report(store, "2022-09-01", "2022-09-30", region="Kharkiv", control=False)
    assert rep.events and {e.admin1 for e in rep.events} == {"Kharkiv Oblast"}
    disputed = [d["event"].event_id for d in rep.disputed]
    assert disputed == [serve_fixture.DISPUTED_EVENT]
    claims = rep.disputed[0]["claims"]
    assert [c["claimant"] for c in claims] == ["Russian Ministry of Defence", "Ukrainian General Staff"]
    assert [c["evidence"][0]["trigger"] for c in claims] == ["repelled", "captured"]


def test_a_period_that_ends_before_it_starts_is_refused(store):
    with pytest.raises(ReportError) as err:
        build_report(store, "2022-10-01", "2022-09-01", control=False)
    assert err.value.code == "E621"
    with pytest.raises(ReportError) as err:
        write_report(store, "2022-09-01", "2022-09-02", "out.docx", control=False)
    assert err.value.code == "E622"


def test_html_escapes_article_text_and_embeds_its_images(store, tmp_path):
    path = write_report(store, "2022-09-05", "2022-09-25", tmp_path / "sit.html", control=False)
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;window.__pwned=3&quot;&gt;Forces" in page       # an actor, escaped
    assert page.count("data:image/png;base64,") == 3
    assert "<mark>repelled</mark>" in page and "<mark>captured</mark>" in page


def test_markdown_escapes_and_writes_its_images_beside_it(store, tmp_path):
    path = write_report(store, "2022-09-05", "2022-09-25", tmp_path / "sit.md", control=False)
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    assert "&lt;img src=x onerror=" in text
    for name in ("map", "per_day", "fatalities"):
        png = tmp_path / "sit_files" / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"](sit_files/{name}.png)" in text
    assert "**repelled**" in text


def test_pdf(store, tmp_path):
    pytest.importorskip("weasyprint")
    path = write_report(store, "2022-09-01", "2022-09-30", tmp_path / "sit.pdf", control=False)
    data = path.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20_000


def test_markdown_of_an_empty_period(store):
    rep = build_report(store, "2021-01-01", "2021-01-07", control=False)
    text = render_markdown(rep, {})
    assert "**events:** 0" in text and "No disputed event" in text


def test_topojson_rings_decode_quantized_arcs():
    topo = {"type": "Topology", "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
            "arcs": [[[0, 0], [2, 0], [0, 4], [-2, -4]]],
            "objects": {"countries": {"type": "GeometryCollection",
                                      "geometries": [{"type": "Polygon", "arcs": [[0]]},
                                                     {"type": "MultiPolygon", "arcs": [[[~0]]]}]}}}
    rings = topojson_rings(topo, "countries")
    assert rings[0] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0), (10.0, 20.0)]
    assert rings[1] == rings[0][::-1]
