"""Hostile and broken files (tests/hostile_corpus.py, written into a temporary folder): each gives
its coded problem, the good reports in it still come out, and the rest of the batch goes on.
A JSONL feed far larger than memory should allow is read in constant memory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import hostile_corpus
from frontlines.ingest import read_sources
from frontlines.records import Article, IngestProblem

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, hostile_corpus.write(folder)


@pytest.mark.parametrize("case", hostile_corpus.cases(line_mb=0), ids=lambda c: c.name)
def test_each_hostile_file_gives_its_coded_problem_and_keeps_its_good_reports(corpus, case):
    folder, _ = corpus
    path = folder / case.name
    started = time.monotonic()
    items = list(read_sources([str(path)]))
    assert time.monotonic() - started < 20
    problems = [i for i in items if isinstance(i, IngestProblem)]
    articles = [i for i in items if isinstance(i, Article)]
    assert [p.code for p in problems] == case.codes, [p.message for p in problems]
    assert len(articles) == case.good
    for p in problems:                   # each message names the file (and the line or item, where it has one)
        assert p.origin.startswith(str(path)) and p.message.startswith(p.origin)
    for a in articles:
        assert hostile_corpus.GOOD in a.text


def test_the_whole_folder_in_one_batch_loses_nothing(corpus):
    folder, cases = corpus
    items = list(read_sources([str(folder)]))
    articles = [i for i in items if isinstance(i, Article)]
    problems = [i for i in items if isinstance(i, IngestProblem)]
    assert len(articles) == sum(c.good for c in cases)
    assert sorted(p.code for p in problems) == sorted(code for c in cases for code in c.codes)
    by_file = {Path(a.origin.split(":")[0]).name for a in articles}
    assert by_file == {c.name for c in cases if c.good}


def test_what_survives_is_the_text_that_was_meant(corpus):
    folder, _ = corpus

    def text(name: str) -> str:
        (a,) = [i for i in read_sources([str(folder / name)]) if isinstance(i, Article)]
        return a.text

    assert text("mixed.txt").endswith("Café Zelensky’s naïve “quote”")
    assert text("lying-utf8.html").endswith("Café naïve — “quoted”.")
    assert text("lying-1251.html").endswith("Café — ok.")
    rtl = text("rtl-controls.txt")
    assert "\x1b" not in rtl and "\x07" not in rtl and "\x08" not in rtl and "\x7f" not in rtl
    assert "\u202eevil\u202c" in rtl and "العربية" in rtl          # bidi marks and Arabic are text: kept
    (row,) = [i for i in read_sources([str(folder / "broken.csv")]) if isinstance(i, IngestProblem)
              and "stray" not in i.message][:1]
    assert row.origin.endswith("broken.csv:3")                      # the unclosed quote's own line


def test_a_line_of_50_megabytes_is_skipped_in_constant_memory(tmp_path):
    path = tmp_path / "long.jsonl"
    (case,) = [c for c in hostile_corpus.cases(line_mb=50) if c.name == "long-line.jsonl"]
    path.write_bytes(case.data)
    assert path.stat().st_size > 50_000_000
    out = _measure(path, max_bytes=5_000_000)
    assert out["articles"] == 2 and out["problems"] == ["E114"]
    assert out["peak_mb"] - _baseline_mb() < 40          # a 50 MB line read whole would add 50 MB and more


# ------------------------------------------------------------------ a feed larger than memory should allow
def _write_feed(path: Path, megabytes: int) -> int:
    """JSONL of ``megabytes`` MB: 8 KB reports, with a hostile line every 97 records."""
    records = []
    for i in range(97):
        records.append(json.dumps({"id": i, "text": f"{hostile_corpus.GOOD} " * 50 + f"Report {i}.",
                                   "date": hostile_corpus.DATE}))
    records.append('{"text": "not closed"')
    chunk = ("\n".join(records) + "\n").encode()
    n = 0
    with open(path, "wb") as fh:
        while fh.tell() < megabytes * 1_000_000:
            fh.write(chunk)
            n += 1
    return n


_READER = """
import json, resource, sys
from frontlines.ingest import read_sources
from frontlines.records import Article
articles, problems = 0, []
for item in read_sources([sys.argv[1]], max_bytes=int(sys.argv[2])):
    if isinstance(item, Article):
        articles += 1
    elif len(problems) < 1000:
        problems.append(item.code)
print(json.dumps({"articles": articles, "problems": problems,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _measure(path: Path, max_bytes: int = 5_000_000) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", _READER, str(path), str(max_bytes)], capture_output=True, text=True,
                          env=env, timeout=3600, check=True)
    return json.loads(done.stdout)


_BASELINE: list[float] = []


def _baseline_mb() -> float:
    """Peak memory of the same reader on a one-record file: the interpreter and the modules."""
    if not _BASELINE:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            small = Path(tmp) / "one.jsonl"
            small.write_text(json.dumps({"text": hostile_corpus.GOOD, "date": "2022-09-12"}) + "\n")
            _BASELINE.append(_measure(small)["peak_mb"])
    return _BASELINE[0]


def _check_constant_memory(tmp_path: Path, megabytes: int) -> None:
    path = tmp_path / "feed.jsonl"
    chunks = _write_feed(path, megabytes)
    out = _measure(path)
    assert out["articles"] == chunks * 97                     # every good record, none lost
    assert out["problems"][:3] == ["E107"] * 3
    grown = out["peak_mb"] - _baseline_mb()
    assert grown < 40, f"reading {megabytes} MB raised peak memory by {grown:.0f} MB"


def test_a_large_jsonl_feed_is_read_in_constant_memory(tmp_path):
    _check_constant_memory(tmp_path, int(os.environ.get("FRONTLINES_JSONL_MB", "50")))


@pytest.mark.slow
def test_a_multi_gigabyte_jsonl_feed_is_read_in_constant_memory(tmp_path):
    _check_constant_memory(tmp_path, int(os.environ.get("FRONTLINES_BIG_JSONL_MB", "2500")))
