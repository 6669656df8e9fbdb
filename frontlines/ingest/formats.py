"""Parsers: decoded text of one input -> raw records (or problems).

A raw record is not yet an Article: ``reader.finish_record`` checks its text and
language, settles its date and makes its id.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Iterator
from urllib.parse import urlparse

from frontlines.errors import Errors
from frontlines.records import IngestProblem

from .dates import parse_date_value

log = logging.getLogger(__name__)

# Keys of a JSONL/CSV record that map onto Article fields; everything else goes to meta.
TEXT_KEYS = ("text", "body", "content")
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link")
DATE_KEYS = ("date", "published", "pubdate", "date_published")
SOURCE_KEYS = ("source", "outlet", "publisher", "sitename")


@dataclass(slots=True)
class RawRecord:
    text: str
    origin: str
    fmt: str
    title: str = ""
    url: str = ""
    source: str = ""
    date: dt.date | None = None
    date_reason: str = ""
    date_raw: Any = None          # an unparseable date value, reported as E106
    header: bool = False           # plain text that had a "date ..." first line
    meta: dict[str, Any] = field(default_factory=dict)


def problem(code: str, origin: str, **kwargs: Any) -> IngestProblem:
    message = getattr(Errors, code).format(origin=origin, **kwargs)
    log.info("[%s] %s", code, message)
    return IngestProblem(origin=origin, code=code, message=message)


def host_of(url: str) -> str:
    try:
        host = urlparse(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# --------------------------------------------------------------------- plain text
_HEADER = re.compile(r"^[ \t\ufeff]*date:?[ \t]+(\S+)[ \t]*(.*)$", re.IGNORECASE)


def parse_text(text: str, origin: str) -> Iterator[RawRecord | IngestProblem]:
    """Plain text.  A first line ``date YYYY-MM-DD <headline>`` gives date and title;
    the body is everything after that line (surrounding whitespace stripped)."""
    first, _, rest = text.partition("\n")
    m = _HEADER.match(first)
    if m and re.match(r"\d{4}-\d", m.group(1)):
        value, headline = m.group(1), m.group(2).strip()
        day, reason = parse_date_value(value)
        rec = RawRecord(text=rest.strip(), origin=origin, fmt="text", title=headline, header=True)
        if day is None:
            rec.date_raw = value
        else:
            rec.date = day
            rec.date_reason = "date:month_only" if reason == "date:month_only" else "date:first_line"
        yield rec
        return
    yield RawRecord(text=text.strip(), origin=origin, fmt="text")


# --------------------------------------------------------------------- JSONL / JSON / CSV
def _pick(data: dict[str, Any], keys: tuple[str, ...]) -> tuple[str | None, Any]:
    lower = {k.lower(): k for k in data if isinstance(k, str)}
    for key in keys:
        if key in lower:
            return lower[key], data[lower[key]]
    return None, None


def record_from_mapping(data: dict[str, Any], origin: str, fmt: str) -> RawRecord | IngestProblem:
    """One JSON object or CSV row with keys id, url, date, title, text (+ extras -> meta)."""
    used: set[str] = set()
    tkey, text = _pick(data, TEXT_KEYS)
    if tkey is None:
        return problem("E107", origin, detail=f"no 'text' field (keys: {', '.join(map(str, data))})")
    used.add(tkey)
    if text is None:
        text = ""
    if not isinstance(text, str):
        return problem("E107", origin, detail=f"'text' is a {type(text).__name__}, not a string")
    rec = RawRecord(text=text.replace("\r\n", "\n").strip(), origin=origin, fmt=fmt)
    for keys, attr in ((TITLE_KEYS, "title"), (URL_KEYS, "url"), (SOURCE_KEYS, "source")):
        k, v = _pick(data, keys)
        if k is not None:
            used.add(k)
            if isinstance(v, str):
                setattr(rec, attr, v.strip())
            elif v is not None:
                setattr(rec, attr, str(v))
    dkey, dval = _pick(data, DATE_KEYS)
    if dkey is not None:
        used.add(dkey)
        if dval not in (None, ""):
            day, reason = parse_date_value(dval)
            if day is None:
                rec.date_raw = dval
            else:
                rec.date, rec.date_reason = day, reason
    rec.meta = {k: v for k, v in data.items() if k not in used and k is not None}
    return rec


def parse_jsonl(text: str, origin: str) -> Iterator[RawRecord | IngestProblem]:
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        yield parse_json_line(line, f"{origin}:{lineno}")


def parse_json_line(line: str, where: str) -> RawRecord | IngestProblem:
    """One line of JSONL (``where`` is "path:line")."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return problem("E107", where, detail=f"invalid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return problem("E107", where, detail="JSON nested too deeply")
    if not isinstance(data, dict):
        return problem("E107", where, detail=f"a JSON {type(data).__name__}, not an object")
    return record_from_mapping(data, where, "jsonl")


def parse_json(text: str, origin: str) -> Iterator[RawRecord | IngestProblem]:
    """A .json file: one object, a list of objects, or (despite the name) JSON lines."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        yield from parse_jsonl(text, origin)
        return
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "records"):
            if isinstance(data.get(key), list) and not any(k in data for k in TEXT_KEYS):
                data = data[key]
                break
    if isinstance(data, dict):
        yield record_from_mapping(data, origin, "json")
    elif isinstance(data, list):
        for i, item in enumerate(data, start=1):
            where = f"{origin}#{i}"
            if isinstance(item, dict):
                yield record_from_mapping(item, where, "json")
            else:
                yield problem("E107", where, detail=f"a JSON {type(item).__name__}, not an object")
    else:
        yield problem("E107", origin, detail=f"a JSON {type(data).__name__}, not an object or a list")


def parse_csv(text: str, origin: str, delimiter: str | None = None) -> Iterator[RawRecord | IngestProblem]:
    """A CSV/TSV with a header row naming a text column.

    Quoting is read strictly, and a broken record (an unclosed quote that would swallow the rows
    after it, a stray quote, the wrong number of fields) is reported (E107, with its line) and
    reading starts again on the line after the one it began on, so the rows after it are kept."""
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    def reader_from(i: int):
        return csv.reader((lines[j] + "\n" for j in range(i, len(lines))), delimiter=delimiter, strict=True)

    reader = reader_from(0)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        yield problem("E107", f"{origin}:1", detail=f"no CSV header ({exc or 'empty'})")
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    if not any(h.lower() in TEXT_KEYS for h in header):
        yield problem("E107", f"{origin}:1", detail=f"no 'text' column in the CSV header {header!r}")
        return
    base = 0                                  # lines before the current reader's first line
    rows = 0
    while True:
        start = base + reader.line_num + 1    # the (1-based) line this record starts on
        try:
            row = next(reader)
        except StopIteration:
            if not rows:
                yield problem("E107", origin, detail="a CSV header and no rows")
            return
        except csv.Error as exc:
            yield problem("E107", f"{origin}:{start}", detail=f"CSV error: {exc}")
            base = start
            reader = reader_from(base)
            continue
        rows += 1
        if not row or not any(cell.strip() for cell in row):
            continue
        where = f"{origin}:{start}"
        if len(row) != len(header):
            yield problem("E107", where, detail=f"{len(row)} fields where the header has {len(header)}")
            if base + reader.line_num > start:    # it ran over several lines: read them again as rows
                base = start
                reader = reader_from(base)
            continue
        yield record_from_mapping(dict(zip(header, row)), where, "csv")


# --------------------------------------------------------------------- HTML
def strip_title(text: str, title: str) -> str:
    """Drop a first line that repeats the headline (trafilatura keeps the <h1>)."""
    first, sep, rest = text.partition("\n")
    if title and sep and first.strip().casefold() == title.strip().casefold():
        return rest.lstrip("\n")
    return text


#: Fewer words than this extracted from a page means it had no article text (E109).
MIN_HTML_WORDS = 8


def parse_html(text: str, origin: str) -> Iterator[RawRecord | IngestProblem]:
    """A saved web page: main text, title, date, site name and URL via trafilatura (offline)."""
    try:
        import trafilatura
        doc = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # trafilatura/lxml on broken markup: never let it crash a batch
        log.debug("trafilatura failed on %s: %r", origin, exc)
        doc = None
    if doc is None:
        yield problem("E109", origin)
        return
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    body = (get("text") or "").strip()
    if len(body.split()) < MIN_HTML_WORDS:
        # Menus and footers are what trafilatura falls back on when a page has no article.
        log.debug("%s: only %d word(s) of text extracted", origin, len(body.split()))
        yield problem("E109", origin)
        return
    title = (get("title") or "").strip()
    rec = RawRecord(text=strip_title(body, title), origin=origin, fmt="html", title=title,
                    url=(get("url") or "").strip(), source=(get("sitename") or "").strip())
    date_value = get("date")
    if date_value:
        day, _reason = parse_date_value(date_value)
        if day is not None:
            rec.date, rec.date_reason = day, "date:html"
    for key in ("author", "description", "hostname"):
        if get(key):
            rec.meta[key] = get(key)
    yield rec


# --------------------------------------------------------------------- RSS / Atom
class _TextOfHTML(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
    _SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skip:
            self.skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML snippet (feed descriptions), paragraphs kept as blank lines."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    parser = _TextOfHTML()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # pragma: no cover - HTMLParser is lenient
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child(el: ET.Element, *names: str) -> ET.Element | None:
    for name in names:
        for c in el:
            if _local(c.tag) == name:
                return c
    return None


def _child_text(el: ET.Element, *names: str) -> str:
    c = _child(el, *names)
    if c is None:
        return ""
    return ("".join(c.itertext()) if len(c) else (c.text or "")).strip()


# What may come before a feed's root element: the XML declaration, processing instructions,
# comments and a document type.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S | re.I)


def looks_like_feed(text: str) -> bool:
    pos = 0
    for _ in range(50):               # past the prolog, however long its comments are
        m = _PROLOG.match(text, pos)
        if not m:
            break
        pos = m.end()
    head = text[:2000].lower() if pos < 2000 else text[pos:pos + 2000].lower()
    return bool(re.search(r"<(?:rss|feed|rdf:rdf)[\s>]", head))


def _feed_root(text: str, origin: str) -> Any:
    """The feed's root element, from a hardened parser: entities are never expanded, no DTD is
    loaded and nothing is fetched (``no_network``), and libxml2's limits on depth and node size
    stay on (``huge_tree=False``). A feed that declares entities is refused (E115); one that is
    not well-formed is E107. Returns the root or an IngestProblem."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        root = etree.fromstring(text.lstrip().encode("utf-8", "surrogatepass"), parser)
    except etree.XMLSyntaxError as exc:
        if "entit" in str(exc).lower() and "<!ENTITY" in text:
            return problem("E115", origin, detail="entity declarations")
        return problem("E107", origin, detail=f"not well-formed XML ({str(exc)[:160]})")
    except (ValueError, UnicodeError) as exc:
        return problem("E107", origin, detail=f"not readable as XML ({str(exc)[:160]})")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or list(dtd.iterelements())):
        return problem("E115", origin, detail="an internal DTD subset that declares entities or elements")
    return root


def parse_feed(text: str, origin: str) -> Iterator[RawRecord | IngestProblem]:
    """RSS 2.0, RSS 1.0 (RDF) and Atom; one record per item/entry."""
    root = _feed_root(text, origin)
    if isinstance(root, IngestProblem):
        yield root
        return
    kind = _local(root.tag)
    if kind not in ("feed", "rss", "rdf"):
        yield problem("E107", origin, detail=f"not a feed: its root element is <{kind[:40] or '?'}>, "
                                             "not <rss>, <feed> or <rdf:RDF>")
        return
    if kind == "feed":
        channel, items = root, [c for c in root if _local(c.tag) == "entry"]
    else:
        channel = _child(root, "channel")
        items = list(root.iter())
        items = [c for c in items if _local(c.tag) == "item"]
        if channel is None:
            channel = root
    feed_title = _child_text(channel, "title")
    if not items:
        yield problem("E107", origin, detail="the feed has no items")
        return
    for n, item in enumerate(items, start=1):
        where = f"{origin}#{n}"
        title = html_fragment_to_text(_child_text(item, "title"))
        link = ""
        if kind == "feed":
            for c in item:
                if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate" and c.get("href"):
                    link = c.get("href", "")
                    break
        else:
            link = _child_text(item, "link") or ""
            guid = _child(item, "guid")
            if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
                link = (guid.text or "").strip()
        body_el = _child(item, "encoded", "content", "description", "summary")
        body = ""
        if body_el is not None:
            if len(body_el) and body_el.get("type") == "xhtml":
                from lxml import etree

                body = etree.tostring(body_el, encoding="unicode", method="html")
            else:
                body = body_el.text or ""
        # The longest of content/description/summary wins.
        for name in ("encoded", "content", "description", "summary"):
            c = _child(item, name)
            if c is not None and c.text and len(c.text) > len(body):
                body = c.text
        source = _child_text(item, "source") or feed_title
        rec = RawRecord(text=html_fragment_to_text(body), origin=where, fmt="feed",
                        title=title, url=link.strip(), source=source.strip())
        date_value = _child_text(item, "pubdate", "published", "updated", "date", "issued", "modified")
        if date_value:
            day, _reason = parse_date_value(date_value)
            if day is None:
                rec.date_raw = date_value
            else:
                rec.date, rec.date_reason = day, "date:feed"
        guid_text = _child_text(item, "guid", "id")
        if guid_text:
            rec.meta["guid"] = guid_text
        if feed_title:
            rec.meta["feed"] = feed_title
        yield rec
