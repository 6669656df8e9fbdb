"""read_sources: paths, directories, globs or "-" -> Articles and IngestProblems.

Nothing here raises on bad input: each bad file, line or row becomes an
``IngestProblem`` (code E1xx) and the batch goes on.
"""
from __future__ import annotations

import codecs
import datetime as dt
import glob
import logging
import os
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator, Sequence, TextIO

from frontlines.records import Article, IngestProblem

from .dates import find_dateline
from .decode import decode_bytes
from .formats import (RawRecord, host_of, looks_like_feed, parse_csv, parse_feed, parse_html,
                      parse_json, parse_json_line, parse_jsonl, parse_text, problem)
from .ids import make_article_id
from .lang import detect_non_english

log = logging.getLogger(__name__)

#: File extensions picked up when a directory is given (other files are skipped).
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".xml": "xml", ".rss": "feed", ".atom": "feed",
}

_GLOB_CHARS = re.compile(r"[*?\[]")

# "KYIV (Reuters) —", "(CN) —", "MOSCOW, March 3 (AFP) -": the agency behind a report.
_AGENCIES = {"reuters": "Reuters", "ap": "Associated Press", "afp": "AFP", "cn": "Courthouse News",
             "tass": "TASS", "ria novosti": "RIA Novosti", "interfax": "Interfax", "ukrinform": "Ukrinform",
             "upi": "UPI", "dpa": "dpa", "efe": "EFE", "xinhua": "Xinhua", "anadolu": "Anadolu"}
_AGENCY_RE = re.compile(r"\((%s)\)\s*[,—–-]" % "|".join(re.escape(a) for a in _AGENCIES), re.IGNORECASE)


# Control characters carry no words, and in a terminal some of them are commands (ESC starts the
# sequences that recolour, retitle or rewrite the screen): they are dropped from what is ingested.
# Tab and newline stay; a carriage return, form feed or vertical tab becomes a newline.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("\r\n?|[\x0b\x0c]")


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and newline kept; a carriage return, form feed or
    vertical tab becomes a newline)."""
    if not text:
        return text
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def agency_of(text: str) -> str:
    """The news agency named in the dateline in the first 200 characters, else ""."""
    m = _AGENCY_RE.search(text[:200])
    return _AGENCIES[m.group(1).lower()] if m else ""


def sniff_format(text: str) -> str:
    """Guess the format of decoded text: "jsonl", "json", "feed", "html" or "text" (CSV only by extension)."""
    head = text.lstrip()[:2000]
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    if head.startswith("<"):
        if looks_like_feed(text.lstrip()):
            return "feed"
        return "html"
    return "text"


def _parse(text: str, origin: str, fmt: str) -> Iterator[RawRecord | IngestProblem]:
    if fmt == "xml":
        fmt = "feed" if looks_like_feed(text) else "html"
    if fmt == "text":
        sniffed = sniff_format(text)
        if sniffed != "text":
            fmt = sniffed
    if fmt == "jsonl":
        # A .jsonl whose content is one pretty-printed object or an array.
        stripped = text.lstrip()
        if stripped.startswith("[") or (stripped.startswith("{") and "\n" in stripped.rstrip()
                                        and not stripped.split("\n", 1)[0].rstrip().endswith("}")):
            fmt = "json"
    parser = {"text": parse_text, "jsonl": parse_jsonl, "json": parse_json, "csv": parse_csv,
              "html": parse_html, "feed": parse_feed}.get(fmt)
    if fmt == "tsv":
        yield from parse_csv(text, origin, delimiter="\t")
        return
    assert parser is not None, fmt
    yield from parser(text, origin)


def finish_record(rec: RawRecord, default_date: dt.date | None, allow_undated: bool = False) -> Article | IngestProblem:
    """Check text and language, settle the date and source, make the id.

    With ``allow_undated`` a report with no date at all becomes an Article whose ``date`` is
    None (reason "date:unknown"): its events carry only the dates its text pins."""
    rec.text = clean_text(rec.text)
    rec.title, rec.source, rec.url = clean_text(rec.title), clean_text(rec.source), clean_text(rec.url)
    if not rec.text.strip():
        return problem("E109" if rec.fmt == "html" else "E112", rec.origin)
    lang = detect_non_english(rec.text if not rec.title else f"{rec.title}\n{rec.text}")
    if lang:
        return problem("E108", rec.origin, lang=lang)
    date, reason = rec.date, rec.date_reason
    if date is None:
        found = find_dateline(rec.text)
        if found is not None:
            date, reason = found[0], "date:dateline"
            rec.meta["dateline"] = rec.text[found[1]:found[2]].strip()
        elif rec.date_raw is not None:
            return problem("E106", rec.origin, value=rec.date_raw)
        elif default_date is not None:
            date, reason = default_date, "date:cli"
        elif allow_undated:
            reason = "date:unknown"
        else:
            return problem("E105", rec.origin)
    agency = agency_of(rec.text)
    if agency:
        rec.meta.setdefault("agency", agency)
    source = rec.source or host_of(rec.url) or agency
    rec.meta.setdefault("format", rec.fmt)
    return Article(article_id=make_article_id(rec.text, rec.url), text=rec.text, date=date,
                   title=rec.title, url=rec.url, source=source, origin=rec.origin,
                   date_reason=reason, meta=rec.meta)


def read_text(text: str, origin: str = "-", *, fmt: str | None = None,
              default_date: dt.date | None = None, allow_undated: bool = False) -> Iterator[Article | IngestProblem]:
    """Ingest already-decoded text (format sniffed unless ``fmt`` is given)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        yield problem("E101", origin)
        return
    for rec in _parse(text.replace("\r\n", "\n").replace("\r", "\n"), origin, fmt or sniff_format(text)):
        yield rec if isinstance(rec, IngestProblem) else finish_record(rec, default_date, allow_undated)


def read_file(path: str | Path, *, default_date: dt.date | None = None, max_bytes: int = 5_000_000,
              origin: str | None = None, allow_undated: bool = False) -> Iterator[Article | IngestProblem]:
    """Ingest one file; never raises for bad content."""
    path = Path(path)
    origin = origin or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield problem("E110", origin)
        return
    except OSError as exc:
        yield problem("E113", origin, detail=exc.strerror or str(exc))
        return
    fmt = EXTENSIONS.get(path.suffix.lower(), "text")
    if fmt == "jsonl" and _streamable(path):
        yield from _read_jsonl_lines(path, origin, default_date=default_date, max_bytes=max_bytes,
                                     allow_undated=allow_undated)
        return
    if size > max_bytes:
        yield problem("E104", origin, size=size, limit=max_bytes)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield problem("E113", origin, detail=exc.strerror or str(exc))
        return
    if len(data) > max_bytes:   # grew since stat, or a special file
        yield problem("E104", origin, size=len(data), limit=max_bytes)
        return
    if not data.strip():
        yield problem("E101", origin)
        return
    decoded = decode_bytes(data)
    if decoded.text is None:
        log.debug("%s: %s", origin, decoded.detail)
        yield problem(decoded.code, origin)
        return
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        log.info("%s: read as %s", origin, decoded.encoding)
    for item in read_text(decoded.text, origin, fmt=fmt, default_date=default_date, allow_undated=allow_undated):
        if isinstance(item, Article) and decoded.encoding not in ("utf-8", "utf-8-sig"):
            item.meta.setdefault("encoding", decoded.encoding)
        yield item


_UNICODE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _streamable(path: Path) -> bool:
    """A .jsonl that is JSON lines in an ASCII-compatible encoding (read a line at a time), rather than
    UTF-16/32, one pretty-printed object or an array (read whole, as other files are)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return False                     # read_file's own read reports it
    if head.startswith(_UNICODE_BOMS):
        return False
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    stripped = head.lstrip()
    if stripped.startswith(b"["):
        return False
    first = stripped.split(b"\n", 1)
    if stripped.startswith(b"{") and len(first) > 1 and not first[0].rstrip().endswith(b"}"):
        return False                     # "{" alone on its line: one pretty-printed object
    return True


def _read_jsonl_lines(path: Path, origin: str, *, default_date: dt.date | None, max_bytes: int,
                      allow_undated: bool) -> Iterator[Article | IngestProblem]:
    """JSON lines, one at a time: memory stays that of one line (at most ``max_bytes``) whatever the
    file's size, and a bad line (too long, binary, undecodable, not JSON) costs only itself."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield problem("E113", origin, detail=exc.strerror or str(exc))
        return
    records = 0
    with fh:
        lineno = 0
        while True:
            try:
                line = fh.readline(max_bytes + 1)
            except OSError as exc:
                yield problem("E113", f"{origin}:{lineno + 1}", detail=exc.strerror or str(exc))
                return
            if not line:
                break
            lineno += 1
            where = f"{origin}:{lineno}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while True:              # pass over the rest of the line, a megabyte at a time
                    chunk = fh.readline(1 << 20)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                yield problem("E114", where, limit=max_bytes)
                continue
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if not line.strip():
                continue
            records += 1
            decoded = decode_bytes(line)
            if decoded.text is None:
                detail = {"E102": "binary data (NUL or control bytes)",
                          "E103": "not valid UTF-8, and no other encoding fitted"}.get(decoded.code, decoded.detail)
                yield problem("E107", where, detail=detail)
                continue
            rec = parse_json_line(decoded.text.rstrip("\n"), where)
            if isinstance(rec, IngestProblem):
                yield rec
                continue
            item = finish_record(rec, default_date, allow_undated)
            if isinstance(item, Article) and decoded.encoding not in ("utf-8", "utf-8-sig"):
                item.meta.setdefault("encoding", decoded.encoding)
            yield item
    if not records:
        yield problem("E101", origin)


def _read_stdin(stdin: TextIO | None, *, default_date: dt.date | None,
                max_bytes: int, allow_undated: bool = False) -> Iterator[Article | IngestProblem]:
    """``-``: bytes from ``sys.stdin.buffer`` (decoded like a file) or text from ``stdin``."""
    stream = stdin if stdin is not None else sys.stdin
    buffer = getattr(stream, "buffer", None)
    try:
        raw = buffer.read(max_bytes + 1) if buffer is not None else stream.read(max_bytes + 1)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        yield problem("E113", "-", detail=str(exc))
        return
    if isinstance(raw, str):
        if "\x00" in raw:
            yield problem("E102", "-")
            return
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > max_bytes:
        yield problem("E104", "-", size=f"more than {max_bytes}", limit=max_bytes)
        return
    if not raw.strip():
        yield problem("E101", "-")
        return
    decoded = decode_bytes(raw)
    if decoded.text is None:
        yield problem(decoded.code, "-")
        return
    yield from read_text(decoded.text, "-", default_date=default_date, allow_undated=allow_undated)


def _walk(directory: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if name.startswith("."):
                continue
            if p.suffix.lower() in EXTENSIONS:
                yield p
            else:
                log.debug("skipping %s: extension not read", p)


def read_sources(paths: Sequence[str] | str, *, default_date: dt.date | None = None,
                 max_bytes: int = 5_000_000, stdin: TextIO | None = None,
                 allow_undated: bool = False) -> Iterator[Article | IngestProblem]:
    """Yield an Article for every report found in ``paths`` and an IngestProblem for
    every input that could not become one.

    ``paths`` items may be files (any extension; format by extension, then sniffing),
    directories (walked recursively, hidden entries skipped, only files whose
    extension is in ``EXTENSIONS``), glob patterns (``**`` allowed) or ``-`` for
    ``stdin`` (default ``sys.stdin``).  A file reached twice in one call is read once.

    .jsonl and .ndjson files are read a line at a time, in constant memory whatever their size;
    ``max_bytes`` then limits each line (a longer one is E114 and the lines after it are read).

    Dates: the record's own date (first line ``date YYYY-MM-DD``, a date field, HTML
    metadata, a feed's pubDate) wins; else a dateline at the start of a paragraph in the
    first 300 characters; else ``default_date``; else E105, unless ``allow_undated``, which
    lets the report through with no date.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [os.fspath(paths)]
    seen: set[str] = set()

    def once(p: Path) -> bool:
        try:
            key = str(p.resolve())
        except OSError:
            key = str(p)
        if key in seen:
            return False
        seen.add(key)
        return True

    for spec in paths:
        spec = os.fspath(spec)
        if spec == "-":
            yield from _read_stdin(stdin, default_date=default_date, max_bytes=max_bytes,
                                   allow_undated=allow_undated)
            continue
        expanded = os.path.expanduser(spec)
        p = Path(expanded)
        if p.is_dir():
            found = False
            for f in _walk(p):
                found = True
                if once(f):
                    yield from read_file(f, default_date=default_date, max_bytes=max_bytes,
                                         allow_undated=allow_undated)
            if not found:
                yield problem("E111", spec)     # a directory with no file we read
            continue
        if p.exists():
            if once(p):
                yield from read_file(p, default_date=default_date, max_bytes=max_bytes, allow_undated=allow_undated)
            continue
        if _GLOB_CHARS.search(expanded):
            matches = sorted(m for m in glob.glob(expanded, recursive=True) if Path(m).is_file())
            if not matches:
                yield problem("E111", spec)
            for m in matches:
                if once(Path(m)):
                    yield from read_file(m, default_date=default_date, max_bytes=max_bytes, allow_undated=allow_undated)
            continue
        yield problem("E110", spec)
