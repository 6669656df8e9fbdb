"""A situation report on reports coded by the real pipeline (examples/): the changes of control
in the period, each with the sentence that evidences it."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory, pipeline):
    from frontlines.fusion import fuse_article
    from frontlines.ingest import read_sources
    from frontlines.pipeline import split_results
    from frontlines.store import open_store

    db = tmp_path_factory.mktemp("sitrep") / "examples.db"
    articles, _ = split_results(read_sources([str(ROOT / "examples")]))
    with open_store(db) as store:
        for result in pipeline.process(articles):
            store.add_article(result.article, result.events)
            fuse_article(store, result.article.article_id)
    return db


def test_report_lists_changes_of_control_with_evidence(examples_db, tmp_path):
    from frontlines.cli import main

    out = tmp_path / "sitrep.md"
    result = CliRunner().invoke(main, ["report", "--from", "2022-09-01", "--to", "2022-10-15", "--db",
                                       str(examples_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    control = text.split("## Changes of control", 1)[1].split("## Disputed claims", 1)[0]
    assert "### Balakliia, Kharkiv Oblast: unknown → Ukraine on 2022-09-08" in control
    assert "Lyman, Donetsk Oblast" in control and "**withdrew**" in control
    region = tmp_path / "kharkiv.html"
    result = CliRunner().invoke(main, ["report", "--from", "2022-09-01", "--to", "2022-10-15", "--region", "Kharkiv",
                                       "--db", str(examples_db), "-o", str(region)])
    assert result.exit_code == 0, result.output
    page = region.read_text(encoding="utf-8")
    assert "Balakliia" in page and "Lyman, Donetsk Oblast" not in page


def test_report_refuses_a_backwards_period_and_a_bad_format(examples_db, tmp_path):
    from frontlines.cli import main

    r = CliRunner().invoke(main, ["report", "--from", "2022-10-01", "--to", "2022-09-01", "--db", str(examples_db),
                                  "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 1 and "E621" in r.output
    r = CliRunner().invoke(main, ["report", "--from", "2022-09-01", "--to", "2022-09-02", "--db", str(examples_db),
                                  "-o", str(tmp_path / "x.docx")])
    assert r.exit_code == 1 and "E622" in r.output
    r = CliRunner().invoke(main, ["report", "--from", "2022-09-31", "--to", "2022-10-02", "--db", str(examples_db),
                                  "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
