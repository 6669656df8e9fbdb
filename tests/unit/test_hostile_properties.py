"""Property-based tests (hypothesis) on generated text: ingest, date resolution, quantities and
the geoparser never let an exception escape, and what they return stays inside the text.

Generated text mixes news-like words (places, triggers, dates, numbers) with arbitrary Unicode,
control characters, right-to-left marks and markup, so that the rules' regular expressions meet
both what they expect and what they do not.  In CI (``CI`` set) the examples are derandomized,
so a run is reproducible; elsewhere each run tries new ones.  ``HYPOTHESIS_EXAMPLES`` raises the
number of examples for a longer campaign.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.ingest import parse_date_value, read_file, read_text
from frontlines.ingest.dates import find_dateline
from frontlines.ingest.decode import decode_bytes
from frontlines.records import Article, IngestProblem

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "150"))
PROFILE = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WORDS = [
    "Russian", "Ukrainian", "forces", "shelled", "struck", "captured", "liberated", "killed", "wounded", "civilians",
    "soldiers", "Izium", "Kharkiv", "Bakhmut", "Kupiansk", "Donetsk Oblast", "near", "north of", "km", "miles",
    "square kilometres", "on Monday", "last week", "yesterday", "on September 12", "12 September 2022", "2022-09-12",
    "in March", "since 2014", "three days ago", "at least", "dozens", "1,200", "3.5", "two", "a hundred", "½", "-5",
    "10,000,000,000,000,000,000", "1e308", "drones", "missiles", "Shahed", "(Reuters)", "KYIV —", "said", "—", ".",
    ",", "!", "?", "\n", "\n\n", "\t", "\"", "'", "“", "”", "(", ")", "[", "]", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "&amp;", "&#0;", "\u202e", "\u200f", "\u061c", "\ufeff", "\x00", "\x1b[31m", "\x07",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "Ізюм", "Харків", "日本", "🚀", "\U0010ffff", "Mr.", "U.S.", "No.",
]

news_text = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=80).map(" ".join)
any_text = st.one_of(news_text, st.text(max_size=400))
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
CODE = re.compile(r"^E1\d\d$")


def _check_ingest(items: list, origin: str) -> None:
    for item in items:
        assert isinstance(item, (Article, IngestProblem)), item
        if isinstance(item, IngestProblem):
            assert CODE.match(item.code), item
            assert item.message.startswith(item.origin) and item.origin.startswith(origin)
        else:
            assert item.text.strip()
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", item.text + item.title)   # controls dropped
            assert re.fullmatch(r"[0-9a-f]{16}", item.article_id)


# ------------------------------------------------------------------ ingest
@PROFILE
@given(st.binary(max_size=3000))
def test_decode_never_raises(data):
    decoded = decode_bytes(data)
    assert (decoded.text is None) == bool(decoded.code)
    assert decoded.code in ("", "E102", "E103")


@PROFILE
@given(any_text, st.sampled_from([None, "text", "jsonl", "json", "csv", "tsv", "html", "feed", "xml"]),
       st.booleans())
def test_read_text_never_raises(text, fmt, undated):
    items = list(read_text(text, "gen", fmt=fmt, default_date=None if undated else dt.date(2022, 9, 12),
                           allow_undated=undated))
    assert items
    _check_ingest(items, "gen")


def _wrap(kind: str, text: str) -> str:
    """``text`` put into the shape of a file of ``kind`` (so the parsers get past their first checks)."""
    import json

    if kind == "jsonl":
        return "\n".join([json.dumps({"text": text, "date": "2022-09-12"}), text, json.dumps({"text": text})])
    if kind == "csv":
        return "text,date\n" + "\n".join(f"{text},2022-09-12" for _ in range(3))
    if kind == "html":
        return f"<html><head><title>{text[:30]}</title></head><body><article><p>{text}</p></article></body></html>"
    if kind == "rss":
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>{text[:40]}</title>'
                f"<description>{text}</description><pubDate>{text[:20]}</pubDate></item></channel></rss>")
    return f"date 2022-09-12 {text[:30]}\n{text}"


@PROFILE
@given(any_text, st.sampled_from(["jsonl", "csv", "html", "rss", "txt"]),
       st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "koi8_u", "mixed"]))
def test_read_file_never_raises(text, kind, encoding):
    body = _wrap(kind, text)
    if encoding == "mixed":
        half = len(body) // 2
        data = body[:half].encode("utf-8", "replace") + body[half:].encode("cp1252", "replace")
    else:
        data = body.encode(encoding, "replace")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"gen.{kind}"
        path.write_bytes(data)
        items = list(read_file(path, max_bytes=200_000))
    assert items
    _check_ingest(items, str(path))


@PROFILE
@given(st.one_of(any_text, st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))
def test_date_values_never_raise(value):
    day, reason = parse_date_value(value)
    assert day is None or isinstance(day, dt.date)
    assert isinstance(reason, str)


@PROFILE
@given(any_text)
def test_datelines_never_raise(text):
    found = find_dateline(text)
    if found is not None:
        day, start, end = found
        assert isinstance(day, dt.date) and 0 <= start <= end <= len(text)


# ------------------------------------------------------------------ time expressions
@PROFILE
@given(any_text, dates, st.lists(st.tuples(st.integers(0, 400), st.integers(0, 40)), max_size=4))
def test_time_expressions_never_raise_and_point_into_the_text(text, day, raw_spans):
    from frontlines.temporal import find_time_expressions, reference_date

    spans = [(min(a, len(text)), min(a + n, len(text))) for a, n in raw_spans]
    started = time.monotonic()
    found = find_time_expressions(text, day, spans)
    assert time.monotonic() - started < 10
    for t in found:
        assert 0 <= t.start <= t.end <= len(text) and text[t.start:t.end] == t.text
        assert isinstance(t.date, dt.date) and t.time_precision in (1, 2, 3)
    ref = reference_date(text, day if len(text) % 2 else None, "")
    assert ref is not None


# ------------------------------------------------------------------ quantities
@PROFILE
@given(any_text)
def test_quantities_never_raise_and_point_into_the_text(text):
    from frontlines import quantities as qn

    for q in qn.find_quantities(text):
        assert q.start < 0 or text[q.start:q.end] == q.text
        assert q.value == q.value and q.unit           # not NaN
    for n in qn.find_numbers(text):
        assert n is not None
    qn.parse_number(text[:60])
    for found in (qn.find_fatalities(text), qn.find_injuries(text)):
        assert found is None or (isinstance(found[0], int) and found[0] >= 0)
    qn.count_at_place(text, len(text) // 2)


# ------------------------------------------------------------------ the geoparser
@pytest.fixture(scope="module")
def geoparser():
    from frontlines.geo import MemoryGazetteer
    from frontlines.geo.geoparse import Geoparser
    from frontlines.records import Place

    g = MemoryGazetteer()
    g.add(Place(690791, "Ukraine", 49.0, 32.0, "country", "Ukraine", "UA", 804, population=40_000_000))
    for gid, name, lat, lon, pop, alt in [(706483, "Kharkiv", 49.98, 36.25, 1_421_125, ["Харків", "Kharkov"]),
                                           (707292, "Izyum", 49.207, 37.277, 45_884, ["Izium", "Ізюм"]),
                                           (703656, "Kupyansk", 49.71, 37.616, 27_169, ["Kupiansk"]),
                                           (712165, "Bakhmut", 48.595, 38.0, 73_212, ["Artemivsk"])]:
        g.add(Place(gid, name, lat, lon, "settlement", "Ukraine", "UA", 804, admin1="Kharkiv", population=pop), alt)
    return Geoparser(g)


@PROFILE
@given(text=any_text, raw=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 30),
                                             st.sampled_from(["GPE", "LOC", "FAC", "ORG", "DATE"])), max_size=6))
def test_geoparser_never_raises_and_points_into_the_text(geoparser, text, raw):
    ents = [(min(a, len(text)), min(a + n, len(text)), label) for a, n, label in raw]
    for t in geoparser.parse(text, ents):
        assert 0 <= t.start <= t.end <= len(text) and text[t.start:t.end] == t.text
        if t.place is not None:
            assert -90 <= t.place.latitude <= 90 and -180 <= t.place.longitude <= 180
