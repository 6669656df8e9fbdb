"""Ingest: every input format and every bad-input case, on inputs built in tmp_path."""
from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pytest

from frontlines.ingest import make_article_id, read_sources, read_text
from frontlines.ingest.dates import find_dateline, parse_date_value
from frontlines.records import Article, IngestProblem

BODY = (
    "Russian forces shelled the town of Kupiansk on Saturday, killing two civilians and wounding "
    "five others, the regional governor said in a statement on Telegram.\n\n"
    "Ukrainian troops have been pushing east of the river for several days, and officials said "
    "that the situation in the area was difficult but under control."
)
BODY2 = (
    "A drone strike hit an oil depot near the city of Belgorod overnight, the governor of the "
    "region said, adding that there were no casualties and that the fire had been put out by morning."
)


def run(paths, **kw):
    out = list(read_sources([str(p) for p in paths] if not isinstance(paths, str) else [paths], **kw))
    arts = [x for x in out if isinstance(x, Article)]
    probs = [x for x in out if isinstance(x, IngestProblem)]
    return arts, probs


def codes(probs):
    return [p.code for p in probs]


# ----------------------------------------------------------------------------- plain text
def test_text_with_date_header(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"date 2022-09-12 Ukraine pushes on in the east\n\n{BODY}\n", encoding="utf-8")
    arts, probs = run([f])
    assert probs == []
    (a,) = arts
    assert a.date == dt.date(2022, 9, 12)
    assert a.date_reason == "date:first_line"
    assert a.title == "Ukraine pushes on in the east"
    assert a.text == BODY                       # no header line, exact body
    assert a.origin == str(f)
    assert len(a.article_id) == 16 and int(a.article_id, 16) >= 0


def test_text_header_with_leading_space_and_crlf(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes((" date 2022-09-12 Headline here\r\n\r\n" + BODY.replace("\n", "\r\n")).encode())
    (a,), probs = run([f])
    assert a.date == dt.date(2022, 9, 12) and a.title == "Headline here"
    assert "\r" not in a.text and a.text == BODY


def test_text_header_month_only(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"date 2022-09 Headline\n{BODY}")
    (a,), _ = run([f])
    assert a.date == dt.date(2022, 9, 1) and a.date_reason == "date:month_only"


def test_text_header_bad_date_is_E106(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"date 2022-13-45 Headline\n{BODY}")
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E106"]


def test_text_header_without_body_is_E112(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("date 2022-09-12 Only a headline\n\n   \n")
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E112"]
    assert str(f) in probs[0].message


def test_text_without_header_undated_is_E105(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(BODY)
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E105"]
    assert str(f) in probs[0].origin


def test_text_without_header_uses_default_date(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(BODY)
    (a,), probs = run([f], default_date=dt.date(2022, 10, 1))
    assert probs == [] and a.date == dt.date(2022, 10, 1) and a.date_reason == "date:cli"
    assert a.text == BODY and a.title == ""


def test_text_dateline_dates_undated_text(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Tuesday, 1 March 2022, 07:44\n\n" + BODY)
    (a,), probs = run([f])
    assert a.date == dt.date(2022, 3, 1) and a.date_reason == "date:dateline"
    # A dateline beats the CLI default; a header beats both.
    (a,), _ = run([f], default_date=dt.date(2023, 1, 1))
    assert a.date == dt.date(2022, 3, 1)


@pytest.mark.parametrize("head, expected", [
    ("Tuesday, 1 March 2022, 07:44\n\n", dt.date(2022, 3, 1)),
    ("March 3, 2022\n\n", dt.date(2022, 3, 3)),
    ("Published: Friday, 15 July 2022\n\n", dt.date(2022, 7, 15)),
    ("Kyiv, 17 November 2023 — ", dt.date(2023, 11, 17)),
    ("Berlin, June 24, 2023 — ", dt.date(2023, 6, 24)),
    ("Kyiv (Reuters), 13-03-2022\n\n", dt.date(2022, 3, 13)),
    ("KYIV, March 3 (Reuters) - ", None),           # no year: not used
    ("Shelling resumed on December 29, 2023, officials said. ", None),  # in a sentence: an event date
])
def test_find_dateline(head, expected):
    found = find_dateline(head + BODY)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize("value, expected, reason", [
    ("2022-03-01", dt.date(2022, 3, 1), "date:field"),
    ("2022-09", dt.date(2022, 9, 1), "date:month_only"),
    ("2022-03-01T07:44:00Z", dt.date(2022, 3, 1), "date:field"),
    ("2022-03-01T23:44:00+02:00", dt.date(2022, 3, 1), "date:field"),
    ("Tue, 01 Mar 2022 07:44:00 GMT", dt.date(2022, 3, 1), "date:field"),
    ("1 March 2022", dt.date(2022, 3, 1), "date:field"),
    (None, None, ""),
    ("", None, ""),
    ("soon", None, ""),
    ("2022-02-30", None, ""),
])
def test_parse_date_value(value, expected, reason):
    assert parse_date_value(value) == (expected, reason)


# ----------------------------------------------------------------------------- JSONL / JSON / CSV
def _jsonl(path, records):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def test_jsonl_records_and_meta(tmp_path):
    f = _jsonl(tmp_path / "a.jsonl", [
        {"id": "x1", "url": "https://www.example.com/news/1", "date": "2022-09-12", "title": "T1",
         "text": BODY, "kind": "war"},
        {"id": "x2", "date": "2022-09", "title": "T2", "text": BODY2, "outlet": "Kyiv Independent"},
        {"id": "x3", "date": "2022-09-12T10:00:00Z", "title": "T3", "text": BODY2 + " More."},
    ])
    arts, probs = run([f])
    assert probs == [] and len(arts) == 3
    a1, a2, a3 = arts
    assert a1.origin == f"{f}:1" and a2.origin == f"{f}:2"
    assert a1.url == "https://www.example.com/news/1" and a1.source == "example.com"
    assert a1.meta["id"] == "x1" and a1.meta["kind"] == "war"
    assert a1.text == BODY and a1.title == "T1" and a1.date_reason == "date:field"
    assert a2.date == dt.date(2022, 9, 1) and a2.date_reason == "date:month_only"
    assert a2.source == "Kyiv Independent"
    assert a3.date == dt.date(2022, 9, 12)


def test_jsonl_malformed_line_in_the_middle(tmp_path):
    f = _jsonl(tmp_path / "a.jsonl", [
        {"date": "2022-09-12", "text": BODY},
        '{"date": "2022-09-12", "text": "unterminated',
        "[1, 2]",
        {"date": "2022-09-13", "text": BODY2},
    ])
    arts, probs = run([f])
    assert len(arts) == 2
    assert codes(probs) == ["E107", "E107"]
    assert [p.origin for p in probs] == [f"{f}:2", f"{f}:3"]
    assert arts[1].origin == f"{f}:4"


def test_jsonl_undated_with_line_numbers_and_default(tmp_path):
    f = _jsonl(tmp_path / "a.jsonl", [
        {"date": None, "text": BODY},
        {"date": None, "text": "March 23, 2023\n\n" + BODY2},
        {"text": BODY2 + " Again."},
    ])
    arts, probs = run([f])
    assert [p.origin for p in probs] == [f"{f}:1", f"{f}:3"] and codes(probs) == ["E105", "E105"]
    assert arts[0].date == dt.date(2023, 3, 23) and arts[0].date_reason == "date:dateline"
    arts, probs = run([f], default_date=dt.date(2022, 1, 5))
    assert probs == [] and [a.date_reason for a in arts] == ["date:cli", "date:dateline", "date:cli"]


def test_jsonl_bad_date_and_missing_text(tmp_path):
    f = _jsonl(tmp_path / "a.jsonl", [
        {"date": "next week", "text": BODY},
        {"date": "2022-09-12", "title": "no text key"},
        {"date": "2022-09-12", "text": "   "},
    ])
    arts, probs = run([f], default_date=dt.date(2022, 1, 1))
    assert arts == [] and codes(probs) == ["E106", "E107", "E112"]


def test_json_array(tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps([{"date": "2022-09-12", "text": BODY}, {"date": "2022-09-13", "text": BODY2}]))
    arts, probs = run([f])
    assert len(arts) == 2 and probs == [] and arts[1].origin == f"{f}#2"


def test_csv(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(
        "id,url,date,title,text,lang\n"
        f'c1,https://news.example.org/a,2022-09-12,"Title, with comma","{BODY.replace(chr(34), chr(34) * 2)}",en\n'
        f"c2,,2022-09-13,Title 2,{BODY2.replace(',', '')},en\n"
        "c3,,2022-09-14,too,many,fields,here\n"
        f"c4,,,Undated,{BODY2.replace(',', '')} Undated.,en\n",
        encoding="utf-8")
    arts, probs = run([f])
    assert [a.meta["id"] for a in arts] == ["c1", "c2"]
    assert arts[0].title == "Title, with comma" and arts[0].text == BODY and arts[0].source == "news.example.org"
    assert arts[0].meta["lang"] == "en"
    assert codes(probs) == ["E107", "E105"]
    assert probs[0].origin == f"{f}:6"            # the row starts on line 6 (row 1 spans 3 lines)
    assert probs[1].origin == f"{f}:7"


def test_csv_with_broken_quoting_loses_only_the_broken_rows(tmp_path):
    # Regression: an unclosed quote swallowed the row after it (the reader ran on to the next quote),
    # so that row was lost without being named.
    f = tmp_path / "broken.csv"
    body = BODY.replace("\n\n", " ")
    rows = [f'"{body} row {i}",2022-09-12' for i in range(6)]
    rows[2] = f'"unclosed {body},2022-09-12'             # never closed
    rows[4] = f'"{body} stray" quote,2022-09-12'          # text after a closing quote
    f.write_text("text,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    arts, probs = run([f])
    assert [a.text.rsplit(" ", 2)[-2:] for a in arts] == [["row", "0"], ["row", "1"], ["row", "3"], ["row", "5"]]
    assert [a.origin for a in arts] == [f"{f}:2", f"{f}:3", f"{f}:5", f"{f}:7"]
    assert [(p.code, p.origin) for p in probs] == [("E107", f"{f}:4"), ("E107", f"{f}:6")]


def test_csv_keeps_quoted_text_over_several_lines(tmp_path):
    f = tmp_path / "multi.csv"
    f.write_text(f'text,date\n"{BODY}\n\nSecond paragraph, with a comma.",2022-09-12\n"{BODY} next",2022-09-13\n',
                 encoding="utf-8")
    arts, probs = run([f])
    assert probs == [] and len(arts) == 2
    assert arts[0].text.endswith("Second paragraph, with a comma.") and arts[1].origin == f"{f}:7"


def test_csv_without_text_column(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("id,date,title\n1,2022-09-12,x\n")
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E107"]


# ----------------------------------------------------------------------------- HTML
PAGE = """<!DOCTYPE html><html><head><title>Missiles hit Kharkiv square | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="og:title" content="Missiles hit Kharkiv square">
<meta property="article:published_time" content="2022-03-01T07:44:00+02:00">
<link rel="canonical" href="https://www.dailyexample.com/world/kharkiv-square"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Missiles hit Kharkiv square</h1>
<p>Missiles fired by Russian forces have hit central Kharkiv, striking the city's main square and the regional administration building, officials said.</p>
<p>Video footage from the scene shows a huge blast on the square. Many people and vehicles were at the junction beside the square when the explosion happened, the mayor said.</p>
</article><footer>Copyright The Daily Example. All rights reserved.</footer></body></html>"""


def test_html_page(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(PAGE)
    (a,), probs = run([f])
    assert probs == []
    assert a.title == "Missiles hit Kharkiv square"
    assert a.date == dt.date(2022, 3, 1) and a.date_reason == "date:html"
    assert a.source == "The Daily Example"
    assert a.url == "https://www.dailyexample.com/world/kharkiv-square"
    assert a.text.startswith("Missiles fired by Russian forces")
    assert "Copyright" not in a.text and "Home" not in a.text


def test_html_undated_page_and_default(tmp_path):
    f = tmp_path / "page.htm"
    f.write_text("<html><body><article><p>" + BODY.replace("\n\n", "</p><p>") + "</p></article></body></html>")
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E105"]
    (a,), _ = run([f], default_date=dt.date(2022, 9, 12))
    assert a.date_reason == "date:cli" and "Kupiansk" in a.text


@pytest.mark.parametrize("markup", [
    "<html><body><div><p>unclosed <b>bold <p>" + BODY + "<table><tr><td>x</div></span></html",
    "<<<>>><html><head><title>x</head><body><p>" + BODY2 + "<script>var x = '<p>';",
    "<html><body></body></html>",
    "<html><head><title>Just a title</title></head></html>",
    "<\x01\x02html>" + "&#xFFFFFFF;" * 10 + "<p>" + BODY,
])
def test_malformed_html_never_crashes(tmp_path, markup):
    f = tmp_path / "bad.html"
    f.write_text(markup)
    out = list(read_sources([str(f)], default_date=dt.date(2022, 9, 12)))
    assert out and all(isinstance(x, (Article, IngestProblem)) for x in out)
    for p in out:
        if isinstance(p, IngestProblem):
            assert p.code in {"E102", "E109", "E112", "E108"}


def test_html_without_text_is_E109(tmp_path):
    f = tmp_path / "empty.html"
    f.write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    arts, probs = run([f], default_date=dt.date(2022, 9, 12))
    assert arts == [] and codes(probs) == ["E109"]


# ----------------------------------------------------------------------------- RSS / Atom
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire</title><link>https://wire.example.net/</link>
<item><title>Strike on Kupiansk</title><link>https://wire.example.net/a/1</link>
<pubDate>Sat, 10 Sep 2022 14:00:00 +0000</pubDate>
<description>&lt;p&gt;{BODY.split(chr(10))[0]}&lt;/p&gt;&lt;p&gt;{BODY.split(chr(10))[2]}&lt;/p&gt;</description></item>
<item><title>Depot hit</title><link>https://wire.example.net/a/2</link>
<description>short</description>
<content:encoded><![CDATA[<p>{BODY2}</p>]]></content:encoded></item>
<item><title>Nothing here</title><link>https://wire.example.net/a/3</link><pubDate>Sat, 10 Sep 2022 14:00:00 +0000</pubDate></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Example</title>
<entry><title>Entry one</title><link rel="alternate" href="https://atom.example.com/1"/>
<id>tag:atom.example.com,2022:1</id><published>2022-09-11T08:00:00Z</published>
<summary>short</summary><content type="html">&lt;p&gt;{BODY2}&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_feed(tmp_path):
    f = tmp_path / "feed.rss"
    f.write_text(RSS)
    arts, probs = run([f])
    assert len(arts) == 1 and codes(probs) == ["E105", "E112"]
    a = arts[0]
    assert a.title == "Strike on Kupiansk" and a.url == "https://wire.example.net/a/1"
    assert a.date == dt.date(2022, 9, 10) and a.date_reason == "date:feed"
    assert a.source == "Example Wire" and a.origin == f"{f}#1"
    assert a.text.startswith("Russian forces shelled") and "<p>" not in a.text
    arts, probs = run([f], default_date=dt.date(2022, 9, 11))
    assert len(arts) == 2 and arts[1].text == BODY2       # content:encoded preferred to description


def test_atom_feed_in_xml_file(tmp_path):
    f = tmp_path / "feed.xml"
    f.write_text(ATOM)
    (a,), probs = run([f])
    assert probs == []
    assert a.url == "https://atom.example.com/1" and a.date == dt.date(2022, 9, 11) and a.text == BODY2
    assert a.source == "Atom Example" and a.meta["guid"] == "tag:atom.example.com,2022:1"


def test_malformed_feed_is_E107(tmp_path):
    f = tmp_path / "feed.rss"
    f.write_text("<rss><channel><item><title>x</title></channel>")
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E107"]


def test_feed_with_entity_expansion_refused(tmp_path):
    f = tmp_path / "feed.rss"
    f.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel>'
                 "<item><title>&a;</title></item></channel></rss>")
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E115"]


# ----------------------------------------------------------------------------- bad input
def test_empty_file_E101(tmp_path):
    (tmp_path / "e.txt").write_text("")
    (tmp_path / "w.txt").write_text("  \n\n\t ")
    arts, probs = run([tmp_path / "e.txt", tmp_path / "w.txt"])
    assert arts == [] and codes(probs) == ["E101", "E101"]


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03binary\x00\xff\xfe" * 50,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    bytes(range(1, 32)) * 40,
])
def test_binary_E102(tmp_path, data):
    f = tmp_path / "b.txt"
    f.write_bytes(data)
    arts, probs = run([f], default_date=dt.date(2022, 1, 1))
    assert arts == [] and codes(probs) == ["E102"]


def test_wrong_encoding_E103(tmp_path):
    # Ukrainian in KOI8-U: not UTF-8, and as cp1252/latin-1 it is not English-looking text.
    f = tmp_path / "koi.txt"
    f.write_bytes(("Російські війська обстріляли Харків у вівторок. " * 5).encode("koi8_u"))
    arts, probs = run([f], default_date=dt.date(2022, 1, 1))
    assert arts == [] and codes(probs) == ["E103"]


def test_cp1252_fallback_and_utf16_and_bom(tmp_path):
    text = "date 2022-09-12 Headline\n" + BODY.replace("the regional", "the région’s")
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(text.replace("Kupiansk", "Kharkiv").encode("utf-16"))
    (tmp_path / "c.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("Kupiansk", "Izium").encode("utf-8"))
    (tmp_path / "d.txt").write_bytes(text.replace("Kupiansk", "Lyman").encode("utf-16-le"))
    arts, probs = run([tmp_path])
    assert probs == [] and len(arts) == 4
    assert all(a.date == dt.date(2022, 9, 12) and a.title == "Headline" for a in arts)
    assert "région’s" in arts[0].text and arts[0].meta["encoding"] == "cp1252"
    assert "encoding" not in arts[2].meta            # UTF-8 with BOM is plain UTF-8


def test_oversized_E104(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("date 2022-09-12 Big\n" + BODY * 50)
    arts, probs = run([f], max_bytes=1000)
    assert arts == [] and codes(probs) == ["E104"] and "1000" in probs[0].message


@pytest.mark.parametrize("text, lang", [
    ("Die russischen Truppen haben am Dienstag die Stadt Charkiw beschossen. Dabei wurden nach Angaben "
     "des Gouverneurs mindestens zehn Menschen getötet, und es gibt auch viele Verletzte in der Stadt.", "German"),
    ("Російські війська обстріляли Харків у вівторок, загинули щонайменше десять людей, повідомив "
     "губернатор області в телеграмі. Рятувальники працюють на місці.", "Cyrillic"),
])
def test_non_english_E108(tmp_path, text, lang):
    f = tmp_path / "x.txt"
    f.write_text("date 2022-03-01 Headline\n" + text)
    arts, probs = run([f])
    assert arts == [] and codes(probs) == ["E108"] and lang in probs[0].message


def test_missing_path_E110_and_empty_glob_E111(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("date 2022-09-12 H\n" + BODY)
    arts, probs = run([tmp_path / "nope.txt", str(tmp_path / "*.nothing"), good])
    assert codes(probs) == ["E110", "E111"] and len(arts) == 1   # the batch goes on


def test_empty_directory_is_E111(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "notes.docx").write_bytes(b"PK\x03\x04")
    arts, probs = run([tmp_path / "d"])
    assert arts == [] and codes(probs) == ["E111"]


def test_directory_and_glob(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("date 2022-09-12 H\n" + BODY)
    (tmp_path / "b.jsonl").write_text(json.dumps({"date": "2022-09-13", "text": BODY2}) + "\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")       # skipped in a directory walk
    (tmp_path / ".hidden.txt").write_text("date 2022-09-12 H\n" + BODY2)
    arts, probs = run([tmp_path])
    assert probs == [] and len(arts) == 2
    arts, probs = run([str(tmp_path / "**" / "*.txt")])
    assert probs == [] and [a.title for a in arts] == ["H"]
    # The same file reached twice in one call is read once.
    arts, _ = run([tmp_path / "sub" / "a.txt", str(tmp_path / "sub" / "*.txt")])
    assert len(arts) == 1


def test_stdin():
    stream = io.StringIO("date 2022-09-12 From a pipe\n" + BODY)
    (a,) = list(read_sources(["-"], stdin=stream))
    assert a.origin == "-" and a.date == dt.date(2022, 9, 12) and a.text == BODY
    stream = io.StringIO(json.dumps({"date": "2022-09-13", "text": BODY2}) + "\n" + "{bad\n")
    out = list(read_sources(["-"], stdin=stream))
    assert isinstance(out[0], Article) and isinstance(out[1], IngestProblem) and out[1].origin == "-:2"


def test_ingest_never_raises_and_does_not_configure_logging(tmp_path, caplog):
    root_handlers = list(logging.getLogger().handlers)
    for i, data in enumerate([b"", b"\x00" * 10, b"\xff\xfe\x00", b"{", b"<rss>", b"<html>", b"\xc3\x28" * 9]):
        (tmp_path / f"f{i}.txt").write_bytes(data)
    out = list(read_sources([str(tmp_path)]))
    assert all(isinstance(x, IngestProblem) for x in out) and len(out) == 7
    assert logging.getLogger().handlers == root_handlers


# ----------------------------------------------------------------------------- ids
def test_article_id_is_stable_and_normalised(tmp_path):
    assert make_article_id("A  b\n\nc") == make_article_id("A b c ")
    assert make_article_id("Cafe\u0301 x") == make_article_id("Café x")      # NFC
    assert make_article_id("A b") != make_article_id("a b")                   # case kept
    assert make_article_id("A b") != make_article_id("A b", "https://x.org/1")
    # The same article as .txt and as a JSONL line gets the same id; re-ingesting too.
    (tmp_path / "a.txt").write_text("date 2022-09-12 Headline\n\n" + BODY.replace("\n\n", "\n  \n"))
    (tmp_path / "b.jsonl").write_text(json.dumps({"date": "2022-09-12", "title": "Other", "text": BODY}) + "\n")
    first, _ = run([tmp_path])
    again, _ = run([tmp_path])
    assert len({a.article_id for a in first}) == 1
    assert [a.article_id for a in first] == [a.article_id for a in again]


def test_stdin_bytes_are_decoded_like_a_file():
    raw = io.BytesIO(("date 2022-09-12 Piped\n" + BODY).encode("utf-16"))
    (a,) = list(read_sources(["-"], stdin=io.TextIOWrapper(raw, encoding="utf-8")))
    assert a.title == "Piped" and a.text == BODY
    raw = io.BytesIO(b"\x00\x01\x02" * 100)
    (p,) = list(read_sources(["-"], stdin=io.TextIOWrapper(raw, encoding="utf-8")))
    assert p.code == "E102"
    (p,) = list(read_sources(["-"], stdin=io.StringIO("  \n")))
    assert p.code == "E101"


def test_utf8_with_a_stray_byte_is_kept_as_utf8(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(("date 2022-09-12 “Quoted” headline\n" + BODY + " — “yes”.").encode() + b" \x92end")
    (a,), probs = run([f])
    # the stray byte is read as cp1252 (a closing quote), not dropped for U+FFFD
    assert a.title == "“Quoted” headline" and a.text.endswith("— “yes”. ’end") and "\ufffd" not in a.text
    assert a.meta["encoding"] == "utf-8 (1 byte(s) read as cp1252)"


def test_a_file_of_utf8_and_cp1252_parts_keeps_every_character(tmp_path):
    # Regression: two UTF-8 characters and three cp1252 bytes in one file: the whole file was read
    # as cp1252, so the UTF-8 part came out as mojibake ("CafÃ©", "Zelenskyâ€™s").
    f = tmp_path / "mixed.txt"
    f.write_bytes(("date 2022-09-12 Mixed\n" + BODY + " Café Zelensky’s ").encode("utf-8")
                  + " naïve “quote”".encode("cp1252"))
    (a,), probs = run([f])
    assert a.text.endswith("Café Zelensky’s  naïve “quote”")
    assert a.meta["encoding"] == "utf-8 (3 byte(s) read as cp1252)"


def test_html_declared_charset_then_language(tmp_path):
    f = tmp_path / "ru.html"
    page = ("<html><head><meta charset='windows-1251'><title>Новости</title></head><body><article><p>"
            + "Российские войска обстреляли Харьков во вторник, погибли по меньшей мере десять человек. " * 3
            + "</p></article></body></html>")
    f.write_bytes(page.encode("cp1251"))
    arts, probs = run([f], default_date=dt.date(2022, 3, 1))
    assert arts == [] and codes(probs) == ["E108"]


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root can read anything")
def test_unreadable_file_E113(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text("date 2022-09-12 H\n" + BODY)
    f.chmod(0)
    arts, probs = run([f])
    assert codes(probs) == ["E113"]


# ------------------------------------------------------------- found by tests/unit/test_hostile_properties.py
def test_inputs_that_yielded_nothing_at_all_now_say_why():
    # Each of these once produced neither an article nor a problem: the input vanished unreported.
    assert codes(read_text("\ufeff", "a.jsonl", fmt="jsonl")) == ["E101"]           # a BOM alone
    assert codes(read_text("CONTENT\n", "a.tsv", fmt="tsv")) == ["E107"]            # a header, no rows
    (p,) = read_text("<script>alert(1)</script>", "a.rss", fmt="feed")
    assert p.code == "E107" and "not a feed" in p.message
    (p,) = read_text('<rss version="2.0"><channel><title>t</title></channel></rss>', "b.rss", fmt="feed")
    assert p.code == "E107" and "no items" in p.message


def test_a_carriage_return_inside_a_json_string_is_a_line_break():
    (a,) = read_text('{"text": "Shelling hit Izium.\\rTwo people died.", "date": "2022-09-12"}', "a.jsonl")
    assert a.text == "Shelling hit Izium.\nTwo people died."
