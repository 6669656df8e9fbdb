"""Throughput of the whole pipeline (code, store, fuse): ../shared/corpus/war_news_dev.jsonl into a fresh database.

Prints articles/s, words/s and peak memory (resident set), with model loading timed apart.
Usage: .venv/bin/python bench/throughput.py [--corpus PATH] [--repeat N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontlines.ingest import read_sources  # noqa: E402
from frontlines.pipeline import Pipeline, split_results  # noqa: E402
from frontlines.fusion import fuse_article  # noqa: E402
from frontlines.store import open_store  # noqa: E402


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest spaCy worker (0 when none ran)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "war_news_dev.jsonl"))
    ap.add_argument("--repeat", type=int, default=1, help="code the corpus this many times (fresh ids each time)")
    ap.add_argument("--date", default="2023-01-01", help="date for undated reports")
    ap.add_argument("--n-process", type=int, default=2, help="spaCy worker processes (1: parse in this process)")
    ap.add_argument("--batch-size", type=int, default=64, help="sentences per spaCy batch")
    args = ap.parse_args()

    t0 = time.perf_counter()
    articles, problems = split_results(read_sources([args.corpus], default_date=dt.date.fromisoformat(args.date)))
    t_ingest = time.perf_counter() - t0
    pipeline = Pipeline()
    t0 = time.perf_counter()
    pipeline.warm_up()
    t_load = time.perf_counter() - t0
    words = sum(len(a.text.split()) for a in articles) * args.repeat
    n = len(articles) * args.repeat
    n_events = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        for r in range(args.repeat):
            batch = articles
            if r:
                from dataclasses import replace
                batch = [replace(a, article_id=f"{a.article_id}-{r}") for a in articles]
            for result in pipeline.process(batch, n_process=args.n_process, batch_size=args.batch_size):
                store.add_article(result.article, result.events)
                fuse_article(store, result.article.article_id)
                n_events += len(result.events)
        n_fused = store.count_events()
        elapsed = time.perf_counter() - t0
        store.close()
    print(f"corpus            {args.corpus}   (spaCy processes: {args.n_process})")
    print(f"articles          {n} ({len(problems)} skipped at ingest)   words {words:,}   "
          f"events {n_events} coded, {n_fused} after fusion")
    print(f"ingest            {t_ingest:.2f} s")
    print(f"model+gazetteer   {t_load:.2f} s (once per process)")
    print(f"coding+storing+fusing {elapsed:.2f} s")
    print(f"throughput        {n / elapsed:.1f} articles/s   {words / elapsed:,.0f} words/s")
    main_mb, worker_mb = peak_rss_mb()
    workers = args.n_process if args.n_process > 1 else 0
    print(f"peak memory       {main_mb:.0f} MB main process" +
          (f" + {workers} x {worker_mb:.0f} MB spaCy workers (max resident set)" if workers else " (max resident set)"))


if __name__ == "__main__":
    main()
