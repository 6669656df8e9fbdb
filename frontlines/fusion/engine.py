"""Incremental fusion against a store, re-fusion of a whole store, supersession, unmerging.

``fuse_article(store, article_id)`` is called after an article and its events are
stored: each of the article's events (its *parts*) is compared with the fused events in
its block (same family, dates within a day, same place or a place inside it) and joins
the best compatible one, else stands alone.  Fused events are always rebuilt from their
parts, so merges can be explained (``explain``), undone (``unmerge``), and redone when a
newer version of an article supersedes an older one.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from frontlines.records import Event

from .links import link_consequences, link_contradictions, link_retaliation
from .match import Fuser, compatible, signature
from .merge import Merged, Part, merge_parts, order_parts
from .store import FusionStore
from .versions import find_versions

log = logging.getLogger(__name__)


@dataclass(slots=True)
class FusionReport:
    """What fusing one article (or a whole store) did."""

    article_id: str = ""
    parts: int = 0                       # events coded from the article
    new_events: list[str] = field(default_factory=list)
    merged: list[tuple[str, str, list[str]]] = field(default_factory=list)   # (part id, into event id, reasons)
    superseded: list[tuple[str, str, str]] = field(default_factory=list)    # (older article, newer article, reason)
    splits: list[tuple[str, str]] = field(default_factory=list)             # (kept event id, new event id)
    removed: list[str] = field(default_factory=list)                        # fused events left with no parts
    disputed: list[str] = field(default_factory=list)
    links: int = 0
    already: bool = False
    events_before: int = 0               # fuse_all: parts
    events_after: int = 0                # fuse_all: fused events

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _codes(reasons: list[str]) -> str:
    return "+".join(r.split(":", 1)[1] for r in reasons if r.startswith("fuse:"))


def _join_reason(part: Part, reasons: list[str]) -> str:
    return f"fuse:joined:{part.part_id}:{_codes(reasons)}"


# ---------------------------------------------------------------------------- clustering of a part list
def recluster(parts: list[Part], forbidden: dict[str, set[str]] | None = None) -> list[tuple[list[Part], list[str]]]:
    """Cluster parts in seq order as incremental fusion would (representative: the fused
    record so far).  Returns [(parts, fuse reason codes)]."""
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
            cid = fuser.new(sig, p.part_id)
            clusters.append([p])
            reasons.append([])
            continue
        fuser.join(cid, sig, p.part_id)
        clusters[cid].append(p)
        reasons[cid].append(_join_reason(p, why))
        reasons[cid].extend(r for r in why if r not in reasons[cid])
        rep = merge_parts(clusters[cid], clusters[cid][0].part_id).event
        fuser.set_rep(cid, signature(rep, ""))
    return list(zip(clusters, reasons))


def _forbidden(fs: FusionStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in fs.query("SELECT merged_id, reason FROM merges WHERE action='unmerge'"):
        others = (r["reason"] or "").split(":", 1)[-1].split(",")
        for o in others:
            if o:
                out.setdefault(r["merged_id"], set()).add(o)
                out.setdefault(o, set()).add(r["merged_id"])
    return out


def _stored_fuse_reasons(fs: FusionStore, event_id: str) -> list[str]:
    ev = fs.store.get_event(event_id)
    return [r for r in (ev.reasons if ev else []) if r.startswith("fuse:")]


def _rebuild(fs: FusionStore, event_id: str, report: FusionReport, action: str, why: str) -> None:
    """Rebuild a fused event from its active parts after some left it; split it if the
    remaining parts no longer hang together; drop it if none remain."""
    parts = fs.parts_of_event(event_id)
    if not parts:
        fs.drop_event(event_id)
        fs.log([(event_id, event_id, "drop", f"{action}:{why}")])
        report.removed.append(event_id)
        return
    groups = recluster(parts, _forbidden(fs))
    merged, members, log_rows = [], {}, []
    for i, (ps, reasons) in enumerate(groups):
        eid = event_id if i == 0 else ps[0].part_id
        m = merge_parts(ps, eid, reasons)
        merged.append(m)
        members[eid] = ps
        if i:
            log_rows.append((event_id, eid, "split", f"{action}:{why}"))
            report.splits.append((event_id, eid))
    fs.write(merged, members, log_rows=log_rows)


# ---------------------------------------------------------------------------- the entry points
def fuse_article(store: Any, article_id: str) -> FusionReport:
    """Fuse a stored article's events into the store's fused events (idempotent)."""
    fs = FusionStore(store)
    report = FusionReport(article_id)
    if fs.is_registered(article_id):
        report.already = True
        return report
    info = fs.article(article_id)
    if info is None:
        raise KeyError(f"article {article_id!r} is not in the store")
    raw = fs.raw_events_of(article_id)
    parts = fs.register(article_id, raw)
    report.parts = len(parts)
    # -- developing stories: supersede older versions, or be superseded by a newer one
    newer_than_me = None
    for v in find_versions(fs, article_id):
        if v.newer == article_id:
            _supersede(fs, v.older, v.newer, v.reason, report)
        elif newer_than_me is None:
            newer_than_me = v
    if newer_than_me is not None:
        _supersede(fs, article_id, newer_than_me.newer, newer_than_me.reason, report)
        return report
    touched: list[Event] = []
    for part in parts:
        ev = _fuse_part(fs, part, report)
        touched.append(ev)
    for ev in touched:
        cur = fs.store.get_event(ev.event_id)
        if cur is None:
            continue
        report.links += link_consequences(fs, cur)
        report.links += link_retaliation(fs, cur, article_id)
        report.disputed.extend(link_contradictions(fs, cur))
        if cur.claim_status == "disputed" and cur.event_id not in report.disputed:
            report.disputed.append(cur.event_id)
    log.info("fused %s: %d part(s), %d merged, %d new", article_id, len(parts), len(report.merged),
             len(report.new_events))
    return report


def store_and_fuse(store: Any, article: Any, events: Any) -> FusionReport | None:
    """Store an article with its events and fuse them, in one transaction: a process killed at any
    moment leaves the article either stored and fused, or not stored at all (to be coded again).
    None when the article was stored already (by an earlier or a concurrent run): nothing changes."""

    def work() -> FusionReport | None:
        if not store.add_article(article, events):
            return None
        return fuse_article(store, article.article_id)

    return store.atomic(work)


def unfused_articles(store: Any, article_ids: Any = None) -> list[str]:
    """Stored articles with events fusion has not seen (left so by a run killed between storing
    an article and fusing it, before the two were one transaction), in the order they were
    stored; only those among ``article_ids`` when given."""
    fs = FusionStore(store)
    rows = fs.query("SELECT DISTINCT a.article_id, a.rowid FROM event_articles ea"
                    " JOIN articles a ON a.article_id = ea.article_id"
                    " WHERE ea.event_id NOT IN (SELECT part_id FROM fusion_parts)"
                    " AND ea.event_id NOT IN (SELECT event_id FROM fusion_parts WHERE event_id IS NOT NULL)"
                    " AND a.article_id NOT IN (SELECT article_id FROM fusion_parts)"
                    " ORDER BY a.rowid")
    wanted = None if article_ids is None else set(article_ids)
    return [r[0] for r in rows if wanted is None or r[0] in wanted]


def _fuse_part(fs: FusionStore, part: Part, report: FusionReport) -> Event:
    sig = signature(part.event, part.article_id)
    best, best_score, best_reasons, best_seq = None, 0, [], 1 << 62
    forbidden = _forbidden(fs).get(part.part_id, set())
    for cand in fs.candidates(sig):
        if cand.event_id == part.part_id or part.article_id in cand.article_ids:
            continue
        score, reasons = compatible(signature(cand, ""), sig)
        if not score:
            continue
        if forbidden and forbidden & {p.part_id for p in fs.parts_of_event(cand.event_id)}:
            continue
        seq = fs.first_seq(cand.event_id)
        if score > best_score or (score == best_score and seq < best_seq):
            best, best_score, best_reasons, best_seq = cand, score, reasons, seq
    if best is None:
        m = merge_parts([part], part.part_id)
        fs.write([m], {part.part_id: [part]})
        report.new_events.append(part.part_id)
        return m.event
    members = fs.parts_of_event(best.event_id) + [part]
    reasons = _stored_fuse_reasons(fs, best.event_id) + [_join_reason(part, best_reasons)] + best_reasons
    m = merge_parts(members, best.event_id, reasons)
    fs.write([m], {best.event_id: members}, remove=[part.part_id],
             log_rows=[(best.event_id, part.part_id, "merge", _codes(best_reasons))])
    report.merged.append((part.part_id, best.event_id, best_reasons))
    return m.event


def _supersede(fs: FusionStore, older: str, newer: str, reason: str, report: FusionReport) -> None:
    """``older`` is an earlier version of ``newer``: its parts leave their fused events
    (kept in fusion_parts for history) and those events are rebuilt."""
    fs.store.mark_superseded(older, newer)
    fs.forget_article(older)
    unfused = [r[0] for r in fs.query("SELECT part_id FROM fusion_parts WHERE article_id=? AND event_id IS NULL"
                                      " AND superseded_by IS NULL", (older,))]
    events = fs.supersede_parts(older, newer)
    # events of the older version not (yet) fused, or never seen by fusion, leave the events table
    leftovers = unfused + [e.event_id for e in fs.raw_events_of(older)]
    if leftovers:
        fs.store.delete_events(leftovers)
    fs.log([(newer, older, "supersede", reason)])
    report.superseded.append((older, newer, reason))
    for eid in events:
        _rebuild(fs, eid, report, "supersede", older)


def supersede(store: Any, older: str, newer: str, reason: str = "version:manual") -> FusionReport:
    """Declare ``older`` an earlier version of ``newer`` by hand."""
    fs = FusionStore(store)
    report = FusionReport(newer)
    _supersede(fs, older, newer, reason, report)
    return report


def unmerge(store: Any, event_id: str, part_id: str) -> FusionReport:
    """Take one part out of a fused event (it becomes its own event) and remember not to
    join them again."""
    fs = FusionStore(store)
    report = FusionReport()
    parts = fs.parts_of_event(event_id)
    mine = [p for p in parts if p.part_id == part_id]
    if not mine:
        raise KeyError(f"{part_id!r} is not a part of {event_id!r}")
    rest = [p for p in parts if p.part_id != part_id]
    fs.log([(event_id, part_id, "unmerge", "unmerge:" + ",".join(p.part_id for p in rest))])
    m = merge_parts(mine, part_id)
    fs.write([m], {part_id: mine})
    report.new_events.append(part_id)
    report.splits.append((event_id, part_id))
    if rest:
        _rebuild(fs, event_id, report, "unmerge", part_id)
    else:
        fs.drop_event(event_id)
    return report


def fuse_all(store: Any) -> FusionReport:
    """Re-fuse a whole store from its parts (registering events fusion has not seen yet).
    Deterministic: parts are taken in ingestion order, as ``fuse_article`` would see them."""
    fs = FusionStore(store)
    report = FusionReport()
    for aid in fs.articles_in_order():
        info = fs.article(aid)
        if fs.is_registered(aid):
            continue
        raw = fs.raw_events_of(aid)
        if info is not None and info.superseded_by:
            fs.register(aid, raw)
            with fs.transaction() as db:
                db.execute("UPDATE fusion_parts SET superseded_by=? WHERE article_id=?", (info.superseded_by, aid))
            if raw:
                fs.store.delete_events([e.event_id for e in raw])
            continue
        fs.register(aid, raw)
        for v in find_versions(fs, aid):
            _supersede(fs, v.older, v.newer, v.reason, report)
    parts = fs.all_active_parts()
    report.events_before = len(parts)
    old_ids = {r[0] for r in fs.query("SELECT event_id FROM fusion_parts WHERE event_id IS NOT NULL")}
    old_ids |= {p.part_id for p in parts}
    groups = recluster(parts, _forbidden(fs))
    merged = [merge_parts(ps, ps[0].part_id, reasons) for ps, reasons in groups]
    store_refusion(fs, groups, merged, old_ids, report)
    log.info("fused the store: %d part(s) into %d event(s)", report.events_before, report.events_after)
    return report


def store_refusion(fs: FusionStore, groups: Sequence[tuple[list[Part], list[str]]], merged: Sequence[Merged],
                   old_ids: Iterable[str], report: FusionReport) -> None:
    """Replace every fused event of the store by ``merged`` (one per group of parts, in order), log the
    joins, and link consequences, retaliations and contradictions anew (``fuse_all`` and the
    partitioned pass of :mod:`frontlines.distributed.fusion` share it)."""
    members: dict[str, list[Part]] = {}
    log_rows = []
    for m, (ps, reasons) in zip(merged, groups):
        eid = ps[0].part_id
        members[m.event.event_id] = ps
        for p in ps[1:]:
            codes = next((r.split(":", 3)[3] for r in reasons if r.startswith(f"fuse:joined:{p.part_id}:")), "")
            log_rows.append((eid, p.part_id, "merge", codes))
            report.merged.append((p.part_id, eid, []))
    with fs.transaction() as db:
        db.execute("DELETE FROM merges WHERE action IN ('merge', 'split', 'drop')")
        db.execute("DELETE FROM event_links")
        db.execute("DELETE FROM fusion_events")
        db.execute("DELETE FROM event_claims")
        db.execute("UPDATE fusion_parts SET event_id=NULL")
    fs.write(merged, members, remove=old_ids, log_rows=log_rows)
    report.events_after = len(merged)
    report.new_events = [m.event.event_id for m in merged]
    for m in merged:
        ev = fs.store.get_event(m.event.event_id)
        if ev is None:
            continue
        report.links += link_consequences(fs, ev)
        for aid in ev.article_ids:
            report.links += link_retaliation(fs, ev, aid)
        report.disputed.extend(link_contradictions(fs, ev))
        if ev.claim_status == "disputed":
            report.disputed.append(ev.event_id)
    report.disputed = list(dict.fromkeys(report.disputed))


# ---------------------------------------------------------------------------- explanations
def explain(store: Any, event_id: str) -> dict[str, Any]:
    """Why an event is what it is: its parts (one per article), the join reasons, the
    claims, the links and the merge log."""
    fs = FusionStore(store)
    ev = store.get_event(event_id)
    if ev is None:
        pid = fs.event_of_part(event_id)
        return {"event_id": event_id, "found": False, "now_part_of": pid}
    parts = order_parts(fs.parts_of_event(event_id))
    joined = {}
    for r in ev.reasons:
        if r.startswith("fuse:joined:"):
            _f, _j, pid, codes = r.split(":", 3)
            joined[pid] = codes.split("+") if codes else []
    return {
        "event_id": event_id, "found": True,
        "fusion": fs.fusion_row(event_id),
        "parts": [{"part_id": p.part_id, "article_id": p.article_id, "outlet": p.outlet, "source_key": p.source_key,
                   "event_date": p.event.event_date, "sub_event_type": p.event.sub_event_type,
                   "location": p.event.location, "actor1": p.event.actor1, "fatalities": p.event.fatalities,
                   "claimed_by": p.event.claimed_by, "joined_because": joined.get(p.part_id, [])} for p in parts],
        "claims": fs.claims_of(event_id),
        "links": fs.links_of(event_id),
        "log": fs.merges_of(event_id),
    }


def explain_pair(a: Event, b: Event) -> tuple[int, list[str]]:
    """Would two events be fused, and why (or why not)?"""
    return compatible(signature(a, ""), signature(b, ""))
