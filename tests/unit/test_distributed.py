"""The Dask engine's parts that need no cluster and no model: input partitions read back exactly
as ingest reads the files, and fusion partitioned by time window giving one process's clusters."""
from __future__ import annotations

import datetime as dt
import json
import random
from concurrent.futures import Future

import pytest

from frontlines.distributed import inputs
from frontlines.distributed.fusion import (cluster_parts, merge_partitioned, recluster_partitioned, representative,
                                           windows)
from frontlines.fusion.engine import recluster
from frontlines.fusion.merge import Part, merge_parts
from frontlines.ingest import read_sources
from frontlines.records import Article, Event, IngestProblem

TEXT = ("Russian forces shelled {town} on Monday, the regional governor said. Two people were killed and "
        "five wounded in the attack on the town, which lies near the front line in eastern Ukraine.")


def _write_inputs(tmp_path):
    rows = [{"id": f"doc-{i}", "date": f"2022-09-{1 + i % 28:02d}", "title": f"Report {i}",
             "text": TEXT.format(town=f"Town{i}")} for i in range(23)]
    lines = [json.dumps(r) for r in rows]
    lines.insert(5, "")                       # blank lines are skipped ...
    lines.insert(9, "{not json")              # ... a broken one is a problem with its line number
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "b.txt").write_text("date 2022-10-01 A plain report\n" + TEXT.format(town="Izium"), encoding="utf-8")
    (sub / "c.csv").write_text("id,date,title,text\nc1,2022-10-02,CSV one,\"" + TEXT.format(town="Lyman") + "\"\n",
                               encoding="utf-8")
    (sub / "empty.txt").write_text("", encoding="utf-8")
    return [str(tmp_path / "a.jsonl"), str(sub), str(tmp_path / "missing.jsonl")]


def _read_all(parts):
    arts, probs = [], []
    for p in parts:
        a, pr = inputs.read(p)
        arts += a
        probs += pr
    return arts, probs


def test_partitions_read_back_as_ingest_reads_the_files(tmp_path):
    paths = _write_inputs(tmp_path)
    parts = inputs.plan(paths, size=4)
    assert [p.index for p in parts] == list(range(len(parts)))
    assert sum(p.kind == "lines" for p in parts) == 6          # 24 non-blank lines, 4 a partition
    arts, probs = _read_all(parts)
    ref = list(read_sources(paths))
    assert arts == [a for a in ref if isinstance(a, Article)]        # same articles, origins, order
    assert sorted((p.origin, p.code) for p in probs) == sorted(
        (p.origin, p.code) for p in ref if isinstance(p, IngestProblem))
    assert any(p.origin.endswith("a.jsonl:10") and p.code == "E107" for p in probs)


def test_partition_ids_are_stable_and_follow_the_files(tmp_path):
    paths = _write_inputs(tmp_path)
    first = [p.pid for p in inputs.plan(paths, size=4)]
    assert first == [p.pid for p in inputs.plan(paths, size=4)]
    assert len({p for p in first if p}) == len([p for p in first if p])
    with open(tmp_path / "a.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "late", "date": "2022-09-30", "text": TEXT.format(town="Kupiansk")}) + "\n")
    assert [p.pid for p in inputs.plan(paths, size=4)][0] != first[0]


def test_a_file_over_the_limit_is_skipped_whole(tmp_path):
    paths = _write_inputs(tmp_path)
    arts, probs = _read_all(inputs.plan(paths[:1], size=4, max_bytes=100))
    assert arts == [] and [p.code for p in probs] == ["E104"]


def test_parquet_rows_are_read_like_jsonl_records(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"id": ["p1", "p2", "p3"], "date": [dt.date(2022, 9, 1), dt.date(2022, 9, 2), None],
                      "title": ["one", "two", "three"], "text": [TEXT.format(town=t) for t in ("Izium", "Lyman", "X")],
                      "outlet_note": ["a", None, "c"]})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=2)
    parts = inputs.plan([str(tmp_path / "in.parquet")], size=2)
    assert [(p.kind, p.start, p.end) for p in parts] == [("rows", 0, 2), ("rows", 2, 3)]
    arts, probs = _read_all(parts)
    assert [a.meta["id"] for a in arts] == ["p1", "p2"]
    assert arts[0].date == dt.date(2022, 9, 1) and arts[0].origin.endswith("in.parquet:1")
    assert arts[0].meta["outlet_note"] == "a"
    assert [p.code for p in probs] == ["E105"] and probs[0].origin.endswith(":3")


# ---------------------------------------------------------------------------- partitioned fusion
KINDS = ("Shelling/artillery/missile attack", "Armed clash", "Air/drone strike", "Government regains territory")
ACTORS = ("Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)")


def _parts(n: int, seed: int = 3) -> list[Part]:
    """Reports of overlapping happenings over ~4 months in 40 towns, with shifted days, region-level
    tellings, month-precision dates and missing actors (as bench/fusion.py makes them)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        town = rng.randrange(40)
        day = dt.date(2022, 6, 1) + dt.timedelta(days=rng.randrange(120))
        prec = rng.choice((1, 1, 1, 1, 2, 3))
        region = rng.random() < 0.1
        e = Event(event_id=f"P{i:05d}", event_date=day.isoformat(), time_precision=prec,
                  sub_event_type=rng.choice(KINDS), actor1=rng.choice(ACTORS + ("",)),
                  location=f"Region {town % 4}" if region else f"Town {town}", admin1=f"Region {town % 4}",
                  geonameid=None if region else 1000 + town, latitude=None if region else 48 + town / 20,
                  longitude=None if region else 36 + (town % 7) / 10, geo_precision=3 if region else 1,
                  country="Ukraine", fatalities=rng.choice((0, 0, 1, 2)), confidence=0.5 + rng.random() / 3,
                  article_ids=[f"A{i // 2:05d}"])
        out.append(Part(e, f"A{i // 2:05d}", outlet=f"outlet{i % 9}", source_key=f"outlet{i % 9}",
                        article_date=day.isoformat(), seq=(i // 2) * 10_000 + i % 2))
    return out


class InlineClient:
    """Enough of a Dask client to run the partitioned code in this process."""

    def __init__(self) -> None:
        self.tasks = 0

    @staticmethod
    def _done(value) -> Future:
        f: Future = Future()
        f.set_result(value)
        f.release = lambda: None
        return f

    def scatter(self, data, hash=True):
        return [self._done(x) for x in data]

    def submit(self, fn, *args, pure=True, **kw):
        self.tasks += 1
        return self._done(fn(*(a.result() if isinstance(a, Future) else a for a in args)))


def _dump(groups):
    return [([p.part_id for p in ps], reasons) for ps, reasons in groups]


def test_cluster_parts_with_merged_representatives_is_recluster():
    parts = _parts(400)
    assert _dump(cluster_parts(parts, None, representative)) == _dump(recluster(parts))


@pytest.mark.parametrize("window,halo", [(31, 16), (7, 2), (1, 0), (400, 0)])
def test_partitioned_clusters_equal_one_process_whatever_the_windows(window, halo):
    parts = _parts(600)
    forbidden = {"P00010": {"P00011"}, "P00011": {"P00010"}}
    client = InlineClient()
    from frontlines.distributed.fusion import FusionStats

    stats = FusionStats()
    got = recluster_partitioned(parts, forbidden, client, window_days=window, halo_days=halo, stats=stats)
    assert _dump(got) == _dump(recluster(parts, forbidden))
    assert stats.reused + stats.recomputed == stats.joins > 0
    if (window, halo) == (400, 0):
        assert stats.recomputed == 0           # one window holds everything: nothing to redo
    if halo == 0 and window == 1:
        assert stats.recomputed > 0            # no margin: clusters across days are redone, still exact


def test_windows_cover_every_part_with_its_margin():
    parts = _parts(300)
    wins = windows(parts, 10, 3)
    covered = {p.part_id for w in wins for p in w}
    assert covered == {p.part_id for p in parts}
    assert all([p.seq for p in w] == sorted(p.seq for p in w) for w in wins)


def test_merges_on_workers_equal_merges_here():
    parts = _parts(200)
    groups = recluster(parts)
    here = [merge_parts(ps, ps[0].part_id, r).event.to_full_dict() for ps, r in groups]
    there = [m.event.to_full_dict() for m in merge_partitioned(groups, InlineClient(), chunk=7)]
    assert there == here


# ---------------------------------------------------------------------------- the whole second pass
def _stored_backfill(path):
    """Articles stored as a dask run stores them (no incremental fusion): shared coder event ids,
    a newer version of a story by URL, one by text from the same outlet, an unmerge to respect."""
    from frontlines.store import SQLiteStore

    store = SQLiteStore(path)
    rng = random.Random(9)
    parts = _parts(160, seed=5)
    text = "Russian forces shelled the town overnight, officials said, and two people were wounded there."
    for k in range(80):
        a, b = parts[2 * k].event, parts[2 * k + 1].event
        day = dt.date.fromisoformat(a.event_date)
        url = "https://example.org/story-1" if k in (3, 40) else ""
        body = text + f" Report {k}." if k in (10, 11) else f"Report {k}: " + " ".join(
            rng.choice(("shelling", "strike", "attack", "town", "front")) for _ in range(30))
        art = Article(article_id=f"A{k:05d}", text=body, date=day + dt.timedelta(days=1 if k == 40 else 0),
                      url=url, source="same-outlet.example" if k in (10, 11) else f"outlet{k % 7}.example")
        events = [a, b] if k % 9 else [a, parts[0].event]          # every ninth shares an event id with A00000
        for e in events:
            e.article_ids = [art.article_id]
            e.evidence = [{"article_id": art.article_id, "sentence": body[:40], "start": 0, "end": 40,
                           "trigger": "", "trigger_start": -1, "trigger_end": -1}]
        store.add_article(art, events)
    return store


def _tables(store):
    con = store.connection
    return {
        "events": [e.to_full_dict() for e in store.iter_events()],
        "parts": [tuple(r) for r in con.execute("SELECT part_id, article_id, event_id, seq, record, superseded_by"
                                                " FROM fusion_parts ORDER BY part_id")],
        "merges": [tuple(r) for r in con.execute("SELECT kept_id, merged_id, action, reason FROM merges"
                                                 " ORDER BY rowid")],
        "claims": [tuple(r) for r in con.execute("SELECT * FROM event_claims ORDER BY event_id, part_id, claimant")],
        "links": [tuple(r)[:6] for r in con.execute("SELECT * FROM event_links ORDER BY event_id, related_id")],
        "fusion_events": [tuple(r)[:6] for r in con.execute("SELECT * FROM fusion_events ORDER BY event_id")],
        "articles": [tuple(r) for r in con.execute("SELECT article_id, superseded_by FROM articles ORDER BY rowid")],
    }


def test_second_pass_equals_fuse_all(tmp_path):
    from frontlines.distributed.fusion import FusionStats, fuse_partitioned
    from frontlines.fusion import fuse_all

    one = _stored_backfill(tmp_path / "one.db")
    many = _stored_backfill(tmp_path / "many.db")
    r1 = fuse_all(one)
    stats = FusionStats()
    r2 = fuse_partitioned(many, InlineClient(), window_days=10, halo_days=2, stats=stats)
    assert r1.superseded and r1.superseded == r2.superseded
    assert (r1.events_before, r1.events_after, r1.links) == (r2.events_before, r2.events_after, r2.links)
    assert sorted(r1.disputed) == sorted(r2.disputed)
    assert _tables(one) == _tables(many)
    assert stats.windows > 3 and stats.joins > 0
    # fusing again changes nothing, either way
    fuse_partitioned(many, InlineClient())
    assert _tables(one) == _tables(many)
    one.close()
    many.close()
