"""Inputs cut into partitions that workers read themselves.

``plan(paths)`` walks the inputs in the order ``frontlines.ingest.read_sources`` reads them
(so articles are stored in the same order as a single-process run stores them) and cuts them:

* a JSONL file into ranges of lines (byte offsets found by one scan of the file);
* a Parquet file (columns ``id, url, date, title, text``, as a JSONL or CSV input) into ranges
  of rows;
* other files (text, HTML, CSV, JSON, feeds) into groups of whole files;
* standard input is read here and cut into groups of articles.

A partition's id is a hash of what it covers (path, size, modification time, range), so a
backfill started again over the same files finds the partitions it already stored.
``read(partition)`` gives its articles and ingest problems, with the origins
(``path:line``) a single-process run gives.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Any, Iterator, Sequence

from frontlines.ingest import EXTENSIONS, read_file, read_sources, read_text
from frontlines.records import Article, IngestProblem

log = logging.getLogger(__name__)

PARQUET = ".parquet"
_GLOB = re.compile(r"[*?\[]")
_ORIGIN_LINE = re.compile(r"^(.*):(\d+)$")


@dataclasses.dataclass(slots=True)
class Partition:
    """One unit of work: ``kind`` is "lines" (a JSONL byte range), "rows" (a Parquet row range),
    "files" (whole files) or "articles" (already read, e.g. from standard input)."""

    index: int
    kind: str
    pid: str = ""
    path: str = ""
    start: int = 0                  # byte offset (lines) or first row (rows)
    end: int = 0
    first_line: int = 1             # line number of ``start`` (lines)
    files: tuple[str, ...] = ()
    articles: tuple[Article, ...] = ()
    problems: tuple[IngestProblem, ...] = ()     # found while planning (missing files, E104, ...)
    estimate: int = 0               # articles expected (for the progress bar)


def _walk(directory: Path) -> Iterator[Path]:
    """The files of a directory that ingest reads, plus Parquet files, in read_sources' order."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if not name.startswith(".") and (p.suffix.lower() in EXTENSIONS or p.suffix.lower() == PARQUET):
                yield p


def _expand(paths: Sequence[str]) -> Iterator[Path | str | IngestProblem]:
    """Files in read order (each once), "-" for standard input, problems for what matched nothing."""
    from frontlines.ingest.formats import problem

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
            yield "-"
            continue
        p = Path(os.path.expanduser(spec))
        if p.is_dir():
            found = list(_walk(p))
            if not found:
                yield problem("E111", spec)
            yield from (f for f in found if once(f))
        elif p.exists():
            if once(p):
                yield p
        elif _GLOB.search(str(p)):
            matches = sorted(m for m in glob.glob(str(p), recursive=True) if Path(m).is_file())
            if not matches:
                yield problem("E111", spec)
            yield from (Path(m) for m in matches if once(Path(m)))
        else:
            yield problem("E110", spec)


def _pid(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:20]


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_size, st.st_mtime_ns


def _line_ranges(path: Path, per: int) -> Iterator[tuple[int, int, int, int]]:
    """(start byte, end byte, first line number, non-empty lines) of chunks of ``per`` non-empty lines."""
    start, line, first, count = 0, 1, 1, 0
    offset = 0
    with open(path, "rb") as fh:
        for raw in fh:
            if raw.strip():
                count += 1
            offset += len(raw)
            line += 1
            if count >= per:
                yield start, offset, first, count
                start, first, count = offset, line, 0
    if count or start == 0:
        yield start, offset, first, count


def plan(paths: Sequence[str], *, size: int = 200, max_bytes: int = 5_000_000, stdin: Any = None,
         default_date: dt.date | None = None) -> list[Partition]:
    """The partitions of ``paths``, in read order, about ``size`` articles each."""
    from frontlines.ingest.formats import problem

    out: list[Partition] = []
    loose: list[str] = []              # consecutive small files, grouped

    def add(**kw: Any) -> None:
        out.append(Partition(index=len(out), **kw))

    def flush_loose() -> None:
        if loose:
            stamps = [_stamp(Path(f)) for f in loose]
            add(kind="files", files=tuple(loose), pid=_pid("files", *stamps), estimate=len(loose))
            loose.clear()

    for item in _expand(paths):
        if isinstance(item, IngestProblem):
            flush_loose()
            add(kind="articles", problems=(item,), pid="")
            continue
        if item == "-":
            flush_loose()
            found = list(read_sources(["-"], default_date=default_date, max_bytes=max_bytes, stdin=stdin))
            arts = [a for a in found if isinstance(a, Article)]
            probs = tuple(a for a in found if isinstance(a, IngestProblem))
            for i in range(0, max(len(arts), 1), size):
                chunk = tuple(arts[i:i + size])
                add(kind="articles", articles=chunk, problems=probs if i == 0 else (),
                    pid=_pid("stdin", *(a.article_id for a in chunk)), estimate=len(chunk))
            continue
        path = Path(item)
        suffix = path.suffix.lower()
        if suffix not in (".jsonl", ".ndjson", PARQUET):
            loose.append(str(path))
            if len(loose) >= max(1, size // 10):
                flush_loose()
            continue
        flush_loose()
        try:
            stamp = _stamp(path)
        except OSError as exc:
            add(kind="articles", problems=(problem("E113", str(path), detail=exc.strerror or str(exc)),))
            continue
        if suffix == PARQUET:
            for start, end in _row_ranges(path, size):
                add(kind="rows", path=str(path), start=start, end=end, pid=_pid("rows", *stamp, start, end),
                    estimate=end - start)
            continue
        if stamp[1] > max_bytes:            # as read_file: a file over the limit is skipped whole
            add(kind="articles", problems=(problem("E104", str(path), size=stamp[1], limit=max_bytes),))
            continue
        for start, end, first, n in _line_ranges(path, size):
            add(kind="lines", path=str(path), start=start, end=end, first_line=first,
                pid=_pid("lines", *stamp, start, end), estimate=n)
    flush_loose()
    return out


def _row_ranges(path: Path, per: int) -> list[tuple[int, int]]:
    import pyarrow.parquet as pq

    n = pq.ParquetFile(path).metadata.num_rows
    return [(i, min(n, i + per)) for i in range(0, n, per)] or [(0, 0)]


# ---------------------------------------------------------------------- reading a partition
def read(part: Partition, *, default_date: dt.date | None = None,
         max_bytes: int = 5_000_000) -> tuple[list[Article], list[IngestProblem]]:
    """The articles of one partition, and the problems of its inputs."""
    items: list[Article | IngestProblem] = list(part.problems)
    if part.kind == "articles":
        items += list(part.articles)
    elif part.kind == "files":
        for f in part.files:
            if Path(f).suffix.lower() == PARQUET:
                items += _read_rows(Path(f), 0, None, default_date)
            else:
                items += read_file(f, default_date=default_date, max_bytes=max_bytes)
    elif part.kind == "lines":
        items += _read_lines(part, default_date)
    elif part.kind == "rows":
        items += _read_rows(Path(part.path), part.start, part.end, default_date)
    else:
        raise ValueError(f"unknown partition kind {part.kind!r}")
    return [a for a in items if isinstance(a, Article)], [p for p in items if isinstance(p, IngestProblem)]


def _renumber(origin: str, path: str, offset: int) -> str:
    m = _ORIGIN_LINE.match(origin)
    if m and m.group(1) == path:
        return f"{path}:{int(m.group(2)) + offset}"
    return origin


def _read_lines(part: Partition, default_date: dt.date | None) -> Iterator[Article | IngestProblem]:
    from frontlines.ingest.decode import decode_bytes
    from frontlines.ingest.formats import problem

    with open(part.path, "rb") as fh:
        fh.seek(part.start)
        data = fh.read(part.end - part.start)
    if not data.strip():
        if part.start == 0:
            yield problem("E101", part.path)
        return
    decoded = decode_bytes(data)
    if decoded.text is None:
        yield problem(decoded.code, part.path)
        return
    offset = part.first_line - 1
    for item in read_text(decoded.text, part.path, fmt="jsonl", default_date=default_date):
        if offset:
            new = _renumber(item.origin, part.path, offset)
            if isinstance(item, IngestProblem):
                item = IngestProblem(origin=new, code=item.code, message=item.message.replace(item.origin, new, 1))
            else:
                item.origin = new
        if isinstance(item, Article) and decoded.encoding not in ("utf-8", "utf-8-sig"):
            item.meta.setdefault("encoding", decoded.encoding)
        yield item


def _read_rows(path: Path, start: int, end: int | None,
               default_date: dt.date | None) -> Iterator[Article | IngestProblem]:
    """Rows of a Parquet file read as JSONL records are (``id, url, date, title, text``; other
    columns go to the article's meta)."""
    import pyarrow.parquet as pq

    from frontlines.ingest.formats import problem, record_from_mapping
    from frontlines.ingest.reader import finish_record

    try:
        table = pq.read_table(path)
    except Exception as exc:          # pyarrow raises several kinds for a damaged file
        yield problem("E113", str(path), detail=str(exc).splitlines()[0])
        return
    end = table.num_rows if end is None else end
    for i, row in enumerate(table.slice(start, end - start).to_pylist(), start=start + 1):
        origin = f"{path}:{i}"
        for k, v in list(row.items()):
            if isinstance(v, (dt.datetime, dt.date)):
                row[k] = v.isoformat()[:10] if k.lower() in ("date", "published", "pubdate", "date_published") \
                    else v.isoformat()
        rec = record_from_mapping({k: v for k, v in row.items() if v is not None or k == "text"}, origin, "jsonl")
        yield rec if isinstance(rec, IngestProblem) else finish_record(rec, default_date)
