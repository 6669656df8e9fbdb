"""``frontlines run --engine dask``: code a backfill on a Dask cluster.

The driver (this process) plans the partitions (``inputs.plan``), leaves out those the store
records as finished for this backfill, and keeps a few partitions per worker in flight.  Each
worker loads the model, the gazetteer and the lexicons once (``CoderPlugin``), reads its
partitions itself and returns the coded articles.  The driver writes each partition's
articles and events through the store in one transaction together with the record that the
partition is done, in input order (so articles are stored in the order a single-process run
stores them, which fusion's ingestion order follows); a backfill killed at any moment and
started again codes only what was not recorded, and stores nothing twice.  Fusion then runs
as a second pass over the whole store, partitioned over the same workers
(``fusion.fuse_partitioned``: the same result as ``frontlines fuse`` in one process).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import resource
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from distributed.diagnostics.plugin import WorkerPlugin

from frontlines.records import Article, Event, IngestProblem

from . import inputs

log = logging.getLogger(__name__)

PLUGIN = "frontlines-coder"
IN_FLIGHT_PER_WORKER = 3


class CoderPlugin(WorkerPlugin):
    """Loads the pipeline once per worker process; tasks find it as ``worker.plugins[PLUGIN]``.
    The actors lexicon travels as text (a remote worker may not see the driver's files)."""

    name = PLUGIN

    def __init__(self, *, actors_text: str | None = None, include_background: bool = False,
                 batch_size: int = 64, cache_dir: str | None = None,
                 article_seconds: float | None = None) -> None:
        self.actors_text = actors_text
        self.article_seconds = article_seconds
        self.include_background = include_background
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self.pipeline = None

    def setup(self, worker: Any) -> None:
        import tempfile

        from frontlines.events.lexicon import default_lexicon
        from frontlines.pipeline import Pipeline

        if self.cache_dir and not os.environ.get("FRONTLINES_CACHE"):
            os.environ["FRONTLINES_CACHE"] = self.cache_dir
        actors = None
        if self.actors_text is not None:
            fd, actors = tempfile.mkstemp(prefix="frontlines-actors-", suffix=".tsv")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(self.actors_text)
        started = time.perf_counter()
        self.pipeline = Pipeline(lexicon=default_lexicon(actors), include_background=self.include_background,
                                 article_seconds=self.article_seconds)
        self.pipeline.warm_up()
        log.info("worker %s: model and gazetteer loaded in %.1fs", getattr(worker, "address", "?"),
                 time.perf_counter() - started)


@dataclasses.dataclass(slots=True)
class PartitionResult:
    index: int
    items: list[tuple[Article, list[Event]]]
    problems: list[IngestProblem]
    seconds: float
    worker: str
    peak_rss_mb: float


def code_partition(part: inputs.Partition, default_date: dt.date | None, max_bytes: int) -> PartitionResult:
    """(A worker's task.) Read one partition and code its articles."""
    from distributed import get_worker

    worker = get_worker()
    plugin = worker.plugins[PLUGIN]
    started = time.perf_counter()
    articles, problems = inputs.read(part, default_date=default_date, max_bytes=max_bytes)
    # an article past its time budget or breaking the coder is reported with the partition's problems
    # (E701/E702) and nothing of it is stored, as in a single-process run
    items = [(r.article, r.events) for r in plugin.pipeline.process(articles, batch_size=plugin.batch_size,
                                                                     n_process=1, on_skip=problems.append)]
    return PartitionResult(part.index, items, problems, time.perf_counter() - started, worker.address,
                           resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


@dataclasses.dataclass(slots=True)
class BackfillReport:
    run_key: str = ""
    partitions: int = 0
    skipped_partitions: int = 0          # finished by an earlier run of this backfill
    articles: int = 0                    # articles read and coded in this run
    stored: int = 0                      # of which new to the store
    already: int = 0
    events: int = 0                      # events coded (before fusion)
    problems: list[IngestProblem] = dataclasses.field(default_factory=list)
    coded: list[Event] = dataclasses.field(default_factory=list)
    workers: int = 0
    peak_rss_mb: dict[str, float] = dataclasses.field(default_factory=dict)
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)
    fusion: Any = None                   # FusionReport
    fusion_stats: Any = None


def run_key(*, include_background: bool, actors_text: str | None, size: int, default_date: dt.date | None) -> str:
    """What makes two backfills of the same inputs the same: the options that change the coding."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("frontlines")
    except PackageNotFoundError:          # pragma: no cover - running from a source tree
        ver = "dev"
    raw = json.dumps({"v": ver, "background": include_background, "size": size,
                      "actors": hashlib.sha1((actors_text or "").encode()).hexdigest(),
                      "date": default_date.isoformat() if default_date else None}, sort_keys=True)
    return "code-" + hashlib.sha1(raw.encode()).hexdigest()[:16]


def make_client(scheduler: str | None, workers: int, *, memory_limit: str | None = None):
    """A client of the cluster at ``scheduler``, else of a new LocalCluster of ``workers`` processes
    with one thread each.  Returns (client, cluster or None)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    # on loopback only: the scheduler, the workers and the scheduler's HTTP endpoint (any free port)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", memory_limit=memory_limit or "auto",
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def run_backfill(paths: Sequence[str], store: Any, *, client: Any, default_date: dt.date | None = None,
                 max_bytes: int = 5_000_000, actors: str | None = None, include_background: bool = False,
                 partition_size: int = 200, batch_size: int = 64, stdin: Any = None, keep_coded: int = 0,
                 fuse: bool = True, progress: Callable[[str, int, int], None] | None = None,
                 article_seconds: float | None = None) -> BackfillReport:
    """Code ``paths`` on ``client``'s workers into ``store`` (see the module's doc).

    ``keep_coded``: how many coded events to keep in the report (-1: all) for printing.
    ``progress(kind, done, total)`` is called with kind "partitions" and "articles"."""
    from distributed import as_completed

    report = BackfillReport()
    t0 = time.perf_counter()
    actors_text = Path(actors).read_text(encoding="utf-8") if actors else None
    report.run_key = key = run_key(include_background=include_background, actors_text=actors_text,
                                   size=partition_size, default_date=default_date)
    parts = inputs.plan(paths, size=partition_size, max_bytes=max_bytes, stdin=stdin, default_date=default_date)
    done = store.finished_partitions(key)
    todo = [p for p in parts if not p.pid or p.pid not in done]
    report.partitions = len(parts)
    report.skipped_partitions = len(parts) - len(todo)
    total_articles = sum(p.estimate for p in todo)
    report.workers = len(client.scheduler_info().get("workers", {})) or 1
    plugin = CoderPlugin(actors_text=actors_text, include_background=include_background, batch_size=batch_size,
                         article_seconds=article_seconds,
                         cache_dir=os.environ.get("FRONTLINES_CACHE"))
    client.register_plugin(plugin, name=PLUGIN)
    report.seconds["plan_and_load"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    if progress:
        progress("partitions", 0, len(todo))
        progress("articles", 0, total_articles)
    window = max(2, IN_FLIGHT_PER_WORKER * report.workers)
    queue = list(todo)
    ac = as_completed()
    submitted = 0

    def submit_more() -> None:
        nonlocal submitted
        while submitted < len(queue) and submitted < written + window:
            ac.add(client.submit(code_partition, queue[submitted], default_date, max_bytes, pure=False,
                                 key=f"code-{key}-{queue[submitted].index}"))
            submitted += 1

    ready: dict[int, PartitionResult] = {}
    written = 0
    submit_more()
    for fut in ac:
        res: PartitionResult = fut.result()
        fut.release()
        ready[res.index] = res
        while written < len(queue) and queue[written].index in ready:
            part = queue[written]
            r = ready.pop(part.index)
            _store_partition(store, key, part, r, report, keep_coded)
            written += 1
            if progress:
                progress("partitions", written, len(queue))
                progress("articles", report.articles, max(total_articles, report.articles))
        submit_more()
    report.seconds["code_and_store"] = time.perf_counter() - t1
    if fuse:
        from .fusion import FusionStats, fuse_partitioned

        t2 = time.perf_counter()
        report.fusion_stats = FusionStats()
        # one transaction: a backfill killed while it fuses keeps its stored partitions, and the next
        # run (which finds them all done) fuses from the same state again
        report.fusion = store.atomic(lambda: fuse_partitioned(store, client, stats=report.fusion_stats))
        report.seconds["fuse"] = time.perf_counter() - t2
    report.seconds["total"] = time.perf_counter() - t0
    return report


def _store_partition(store: Any, key: str, part: inputs.Partition, r: PartitionResult, report: BackfillReport,
                     keep_coded: int) -> None:
    info = {"articles": len(r.items), "events": sum(len(e) for _a, e in r.items), "problems": len(r.problems),
            "seconds": round(r.seconds, 3), "worker": r.worker}
    flags = store.add_partition(key, part.pid, r.items, info) if part.pid else store.add_articles(r.items)
    report.articles += len(r.items)
    report.stored += sum(flags)
    report.already += len(flags) - sum(flags)
    report.events += info["events"]
    report.problems.extend(r.problems)
    report.peak_rss_mb[r.worker] = max(report.peak_rss_mb.get(r.worker, 0.0), r.peak_rss_mb)
    if keep_coded:
        for (_a, evs), new in zip(r.items, flags):
            if new and (keep_coded < 0 or len(report.coded) < keep_coded):
                report.coded.extend(evs if keep_coded < 0 else evs[:keep_coded - len(report.coded)])
