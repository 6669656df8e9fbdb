"""Fusion as a second pass, partitioned by time window, with exactly one process's result.

``frontlines.fusion.engine.recluster`` takes every part in ingestion order and, after each
join, rebuilds the cluster's representative with ``merge_parts`` (the costly step).  Here:

1. The parts are cut into windows of ``window_days`` by their first possible day, each with a
   ``halo_days`` margin on both sides (parts whose days reach into it), and every window is
   clustered on a worker as ``recluster`` would cluster that subset.  Each worker returns the
   representative it computed after every join, keyed by the cluster's members in join order.
2. One pass over all parts, in ingestion order, repeats ``recluster``'s decisions with the same
   ``Fuser`` (blocking by family, day and place: cheap) and takes each representative from the
   windows' answers when a window saw a cluster with exactly those members, else computes it.
   A representative depends only on the members and their order, so the result is
   ``recluster``'s, whatever the windows: the halo only decides how many are computed again
   (``FusionStats.recomputed``).
3. The fused events (``merge_parts`` of each cluster) are built here, or on the workers in chunks
   (``merge_on_workers``: worth it only where merging costs more than sending the parts).

``fuse_partitioned(store, client)`` is ``frontlines.fusion.fuse_all`` with steps 1-3 in place
of its clustering and merging; without a client it is ``fuse_all`` itself.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from frontlines.fusion.engine import FusionReport, _forbidden, _join_reason, recluster, store_refusion
from frontlines.fusion.match import F_D0, F_D1, Fuser, signature
from frontlines.fusion.merge import Merged, Part, merge_parts

log = logging.getLogger(__name__)

WINDOW_DAYS = 92            # a quarter: the margins add (92 + 2 * 16) / 92 of the work to the windows
HALO_DAYS = 16              # a month-precision date spans 15 days either side
MERGE_CHUNK = 2000          # clusters per merge task


@dataclass(slots=True)
class FusionStats:
    parts: int = 0
    windows: int = 0
    joins: int = 0
    reused: int = 0              # representatives taken from a window's answer
    recomputed: int = 0          # computed again in the global pass
    seconds: dict[str, float] = field(default_factory=dict)


def cluster_parts(parts: Sequence[Part], forbidden: dict[str, set[str]] | None,
                  rep_of: Callable[[list[Part]], tuple]) -> list[tuple[list[Part], list[str]]]:
    """``recluster`` with the representative after a join given by ``rep_of(members)`` (members in
    join order); ``rep_of = lambda ps: signature(merge_parts(ps, ps[0].part_id).event, "")`` is
    ``recluster`` itself."""
    fuser = Fuser()
    clusters: list[list[Part]] = []
    reasons: list[list[str]] = []
    for p in sorted(parts, key=lambda p: (p.seq, p.part_id)):
        sig = signature(p.event, p.article_id)
        veto = None
        if forbidden and p.part_id in forbidden:
            bad = forbidden[p.part_id]
            veto = lambda cid: any(q.part_id in bad for q in clusters[cid])  # noqa: E731
        cid, _score, why = fuser.best(sig, veto)
        if cid < 0:
            fuser.new(sig, p.part_id)
            clusters.append([p])
            reasons.append([])
            continue
        fuser.join(cid, sig, p.part_id)
        clusters[cid].append(p)
        reasons[cid].append(_join_reason(p, why))
        reasons[cid].extend(r for r in why if r not in reasons[cid])
        fuser.set_rep(cid, rep_of(clusters[cid]))
    return list(zip(clusters, reasons))


def representative(members: list[Part]) -> tuple:
    return signature(merge_parts(members, members[0].part_id).event, "")


def window_reps(parts: list[Part], forbidden: dict[str, set[str]] | None) -> dict[tuple[str, ...], tuple]:
    """(A worker's task.) Cluster one window's parts; every representative computed, by members."""
    reps: dict[tuple[str, ...], tuple] = {}

    def rep_of(members: list[Part]) -> tuple:
        sig = representative(members)
        reps[tuple(m.part_id for m in members)] = sig
        return sig

    cluster_parts(parts, forbidden, rep_of)
    return reps


def merge_groups(groups: list[tuple[list[Part], list[str]]]) -> list[Merged]:
    """(A worker's task.) The fused event of each cluster, with its first part's id."""
    return [merge_parts(ps, ps[0].part_id, reasons) for ps, reasons in groups]


def windows(parts: Sequence[Part], window_days: int = WINDOW_DAYS, halo_days: int = HALO_DAYS) -> list[list[Part]]:
    """The parts of each time window (by first possible day) with the parts whose days reach
    within ``halo_days`` of it; windows in time order, parts in ingestion order."""
    spans = [(p, *_span(p)) for p in sorted(parts, key=lambda p: (p.seq, p.part_id))]
    if not spans:
        return []
    first = min(d0 for _p, d0, _d1 in spans)
    keys = sorted({(d0 - first) // window_days for _p, d0, _d1 in spans})
    out = []
    for k in keys:
        lo, hi = first + k * window_days - halo_days, first + (k + 1) * window_days + halo_days
        out.append([p for p, d0, d1 in spans if d1 >= lo and d0 < hi])
    return out


def _span(p: Part) -> tuple[int, int]:
    sig = signature(p.event, p.article_id)
    return sig[F_D0], sig[F_D1]


def recluster_partitioned(parts: list[Part], forbidden: dict[str, set[str]] | None, client: Any, *,
                          window_days: int = WINDOW_DAYS, halo_days: int = HALO_DAYS,
                          stats: FusionStats | None = None) -> list[tuple[list[Part], list[str]]]:
    """``recluster(parts, forbidden)``, its costly steps run on the workers of ``client``."""
    stats = stats if stats is not None else FusionStats()
    stats.parts = len(parts)
    t0 = time.perf_counter()
    wins = windows(parts, window_days, halo_days)
    stats.windows = len(wins)
    # each window's parts travel as data of their own (scattered), not inside the task graph
    futures = [client.submit(window_reps, client.scatter([w], hash=False)[0], forbidden, pure=False) for w in wins]
    cache: dict[tuple[str, ...], tuple] = {}
    for fut in futures:
        cache.update(fut.result())
        fut.release()
    t1 = time.perf_counter()

    def rep_of(members: list[Part]) -> tuple:
        stats.joins += 1
        sig = cache.pop(tuple(m.part_id for m in members), None)
        if sig is not None:
            stats.reused += 1
            return sig
        stats.recomputed += 1
        return representative(members)

    groups = cluster_parts(parts, forbidden, rep_of)
    stats.seconds.update(windows=t1 - t0, replay=time.perf_counter() - t1)
    return groups


def merge_partitioned(groups: list[tuple[list[Part], list[str]]], client: Any | None,
                      chunk: int = MERGE_CHUNK) -> list[Merged]:
    """``merge_parts`` of every cluster (on the workers of ``client`` when given), in order."""
    if client is None:
        return merge_groups(groups)
    futures = [client.submit(merge_groups, client.scatter([groups[i:i + chunk]], hash=False)[0], pure=False)
               for i in range(0, len(groups), chunk)]
    out: list[Merged] = []
    for fut in futures:
        out.extend(fut.result())
        fut.release()
    return out


def fuse_partitioned(store: Any, client: Any | None = None, *, window_days: int = WINDOW_DAYS,
                     halo_days: int = HALO_DAYS, merge_on_workers: bool = False,
                     stats: FusionStats | None = None) -> FusionReport:
    """Re-fuse a whole store as ``frontlines.fusion.fuse_all`` does, the clustering and merging
    partitioned over ``client``'s workers (no client: ``fuse_all``).  Same result."""
    from frontlines.fusion import engine
    from frontlines.fusion.links import link_consequences, link_contradictions, link_retaliation
    from frontlines.fusion.store import FusionStore

    if client is None:
        return engine.fuse_all(store)
    stats = stats if stats is not None else FusionStats()
    t0 = time.perf_counter()
    fs = FusionStore(store)
    report = FusionReport()
    # -- parts of articles fusion has not seen, and developing stories (as fuse_all)
    _register_all(fs, report)
    parts = fs.all_active_parts()
    report.events_before = len(parts)
    old_ids = {r[0] for r in fs.query("SELECT event_id FROM fusion_parts WHERE event_id IS NOT NULL")}
    old_ids |= {p.part_id for p in parts}
    t1 = time.perf_counter()
    groups = recluster_partitioned(parts, _forbidden(fs), client, window_days=window_days, halo_days=halo_days,
                                   stats=stats)
    t2 = time.perf_counter()
    merged = merge_partitioned(groups, client if merge_on_workers else None)
    t3 = time.perf_counter()
    store_refusion(fs, groups, merged, old_ids, report)
    stats.seconds.update(register=t1 - t0, cluster=t2 - t1, merge=t3 - t2, write_and_link=time.perf_counter() - t3)
    log.info("fused the store over %d window(s): %d part(s) into %d event(s); %d of %d representatives reused",
             stats.windows, report.events_before, report.events_after, stats.reused, stats.joins)
    return report


def _register_all(fs: Any, report: FusionReport) -> None:
    """fuse_all's first loop (each article not yet known to fusion, in ingestion order: its events
    become parts; versions of one story supersede older ones), with what it reads fetched in a
    few queries instead of a few per article, and registrations written in batches."""
    import json as _json

    from frontlines.fusion import engine
    from frontlines.fusion.store import SEQ_STRIDE, ArticleInfo, now
    from frontlines.fusion.versions import find_versions

    def known() -> tuple[set[str], set[str]]:
        rows = fs.query("SELECT article_id, part_id, event_id FROM fusion_parts")
        return {r[0] for r in rows}, {r[1] for r in rows} | {r[2] for r in rows if r[2] is not None}

    registered, part_ids = known()
    rows = fs.query("SELECT rowid, article_id, url, title, source, date, meta, superseded_by FROM articles"
                    " ORDER BY rowid")
    order = []
    for r in rows:
        info = ArticleInfo(r)
        fs._articles[info.article_id] = info
        order.append(info.article_id)
    linked: dict[str, list[tuple[int, str]]] = {}
    for aid, eid, rowid in fs.query("SELECT ea.article_id, e.event_id, e.rowid FROM event_articles ea"
                                    " JOIN events e ON e.event_id = ea.event_id"):
        linked.setdefault(aid, []).append((rowid, eid))
    pending: list[tuple] = []

    def flush() -> None:
        if pending:
            with fs.transaction() as db:
                db.executemany("INSERT OR IGNORE INTO fusion_parts(part_id, article_id, event_id, seq, record,"
                               " superseded_by, added_at) VALUES (?,?,NULL,?,?,?,?)", pending)
            pending.clear()

    for aid in order:
        if aid in registered:
            continue
        info = fs.article(aid)
        raw = []
        for _rowid, eid in sorted(linked.get(aid, ())):
            if eid not in part_ids:
                ev = fs.store.get_event(eid)
                if ev is not None:
                    raw.append(ev)
        base = (info.rowid if info else 0) * SEQ_STRIDE
        stamp = now()
        superseded = info.superseded_by if info is not None and info.superseded_by else None
        for i, ev in enumerate(raw):
            if ev.event_id not in part_ids:
                pending.append((ev.event_id, aid, base + i, _json.dumps(ev.to_full_dict(), ensure_ascii=False),
                                superseded, stamp))
                part_ids.add(ev.event_id)
        registered.add(aid)
        if superseded:
            if raw:
                flush()
                fs.store.delete_events([e.event_id for e in raw])
            continue
        versions = find_versions(fs, aid)
        if versions:
            flush()
            for v in versions:
                engine._supersede(fs, v.older, v.newer, v.reason, report)
            registered, part_ids = known()
    flush()


__all__ = ["FusionStats", "cluster_parts", "fuse_partitioned", "merge_partitioned", "recluster",
           "recluster_partitioned", "windows"]
