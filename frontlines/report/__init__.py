"""Situation reports: what happened in a period, with the evidence, as HTML, PDF or Markdown.

    frontlines report --from 2022-09-01 --to 2022-09-30 [--region "Kharkiv Oblast"] -o sitrep.html|.pdf|.md

A report holds: headline figures against the previous period of the same length; a map of the
events; plots of events per day by type and of fatalities per day (matplotlib); changes of
control in the period with the evidence that dates them; disputed claims with each side's
version side by side; the deadliest events with their evidence; and what is new since the
previous period (places, actors and kinds of event not seen then).  Every text from an article
is escaped in HTML and Markdown.

Public API::

    build_report(store, since, until, *, region=None, gazetteer=None, control=True) -> SitRep
    render_html(rep, figures) -> str            # figures: {name: PNG bytes}, embedded as data: URIs
    render_markdown(rep, figure_paths) -> str   # figure_paths: {name: relative path}
    figures(rep) -> dict[str, bytes]            # map, per-day and fatalities plots (needs matplotlib)
    write_report(store, since, until, output, *, region=None, gazetteer=None) -> Path
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import json
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontlines.errors import FrontlinesError
from frontlines.records import Event

log = logging.getLogger(__name__)

FORMATS = (".html", ".htm", ".pdf", ".md")
TOP_EVENTS = 10
TYPE_COLOURS = {"Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e", "Violence against civilians": "#9467bd",
                "Protests": "#2ca02c", "Riots": "#8c564b", "Strategic developments": "#1f77b4"}


class ReportError(FrontlinesError):
    """E621 bad period, E622 unknown output format, E623 a missing optional dependency."""

    MESSAGES = {
        "E621": "The period {since} to {until} is empty: --from must be on or before --to.",
        "E622": "Cannot write {path!r}: the report is written as .html, .pdf or .md.",
        "E623": "{what} needs {package}, which is not installed: pip install 'frontlines[report]'.",
    }

    def __init__(self, code: str, **kwargs: object) -> None:
        self.code = code
        self.detail = self.MESSAGES[code].format(**kwargs)
        Exception.__init__(self, f"[{code}] {self.detail}")


@dataclass(slots=True)
class SitRep:
    since: str
    until: str
    region: str | None
    events: list[Event]
    previous: list[Event]
    prev_since: str
    prev_until: str
    control: list[dict[str, Any]] = field(default_factory=list)
    control_note: str = ""
    disputed: list[dict[str, Any]] = field(default_factory=list)
    generated: str = ""

    # ------------------------------------------------------------------ figures
    @property
    def fatalities(self) -> int:
        return sum(e.fatalities or 0 for e in self.events)

    def by_type(self, events: list[Event] | None = None) -> Counter:
        return Counter(e.event_type or "(untyped)" for e in (self.events if events is None else events))

    def by_region(self) -> list[tuple[str, int, int]]:
        n, d = Counter(), Counter()
        for e in self.events:
            key = e.admin1 or e.country or "(unplaced)"
            n[key] += 1
            d[key] += e.fatalities or 0
        return [(k, n[k], d[k]) for k, _ in n.most_common(12)]

    def deadliest(self) -> list[Event]:
        return sorted((e for e in self.events if e.fatalities), key=lambda e: (-e.fatalities, e.event_date))[:TOP_EVENTS]

    def new_since_previous(self) -> dict[str, list[str]]:
        def places(evs):
            return {f"{e.location}, {e.admin1}" if e.admin1 else e.location for e in evs if e.location}

        def actors(evs):
            return {a for e in evs for a in (e.actor1, e.actor2) if a}

        def kinds(evs):
            return {e.sub_event_type for e in evs if e.sub_event_type}

        return {"places": sorted(places(self.events) - places(self.previous)),
                "actors": sorted(actors(self.events) - actors(self.previous)),
                "kinds": sorted(kinds(self.events) - kinds(self.previous))}

    def sources(self) -> int:
        return len({a for e in self.events for a in e.article_ids})


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _in_region(ev: Any, region: str | None) -> bool:
    if not region:
        return True
    r = _unit(region)
    return r in (_unit(getattr(ev, "admin1", "") or ""), _unit(getattr(ev, "country", "") or ""),
                 _unit(getattr(ev, "admin2", "") or ""))


def _unit(name: str) -> str:
    return re.sub(r"\s+(oblast|region|province|krai|raion|district)$", "", name.strip().casefold())


def build_report(store, since: str | dt.date, until: str | dt.date, *, region: str | None = None,
                 gazetteer: Any = None, control: bool = True) -> SitRep:
    """Gather what the report shows.  ``control=False`` leaves out the control section (it needs
    the gazetteer)."""
    start, end = _day(since), _day(until)
    if start > end:
        raise ReportError("E621", since=start, until=end)
    length = (end - start).days + 1
    p_end = start - dt.timedelta(days=1)
    p_start = p_end - dt.timedelta(days=length - 1)
    events = [e for e in store.iter_events(since=start, until=end) if _in_region(e, region)]
    previous = [e for e in store.iter_events(since=p_start, until=p_end) if _in_region(e, region)]
    rep = SitRep(start.isoformat(), end.isoformat(), region, events, previous, p_start.isoformat(),
                 p_end.isoformat(), generated=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    if control:
        rep.control = _control_changes(store, rep, gazetteer)
    else:
        rep.control_note = "Control changes were not computed for this report."
    rep.disputed = _disputed(store, events)
    return rep


def _evidence_of(store, event_ids: list[str], limit: int = 2) -> list[dict[str, Any]]:
    out = []
    for eid in event_ids:
        ev = store.get_event(eid)
        if ev is None:
            continue
        for e in ev.evidence[:limit]:
            a = store.get_article(e.get("article_id", "")) if e.get("article_id") else None
            out.append({**e, "event_id": eid, "outlet": a.source if a else "", "title": a.title if a else ""})
    return out


def _control_changes(store, rep: SitRep, gazetteer: Any) -> list[dict[str, Any]]:
    from frontlines.control import all_timelines

    rows = []
    for changes in all_timelines(store, gazetteer=gazetteer).values():
        for c in changes:
            if rep.since <= c.date <= rep.until and _in_region(c, rep.region):
                d = c.to_full_dict()
                d["evidence"] = _evidence_of(store, c.event_ids)
                rows.append(d)
    rows.sort(key=lambda r: (r["date"], r["place"]))
    return rows


def _disputed(store, events: list[Event]) -> list[dict[str, Any]]:
    db = getattr(store, "connection", None)
    out = []
    for ev in events:
        if ev.claim_status != "disputed":
            continue
        claims: list[dict[str, Any]] = []
        if db is not None and db.execute("SELECT 1 FROM sqlite_master WHERE name='event_claims'").fetchone():
            claims = [dict(r) for r in db.execute(
                "SELECT claimant, side, claim_status, sub_event_type, actor1, actor2, fatalities, article_id "
                "FROM event_claims WHERE event_id=? ORDER BY part_id", (ev.event_id,))]
        by_article = defaultdict(list)
        for e in ev.evidence:
            by_article[e.get("article_id", "")].append(e)
        for c in claims:
            c["evidence"] = by_article.get(c.get("article_id") or "", [])
        if not claims:                          # no fusion record: one column per report
            claims = [{"claimant": ev.claimed_by or "the outlet", "side": "", "claim_status": ev.claim_status,
                       "sub_event_type": ev.sub_event_type, "actor1": ev.actor1, "actor2": ev.actor2,
                       "fatalities": ev.fatalities, "article_id": aid, "evidence": evs}
                      for aid, evs in by_article.items()]
        out.append({"event": ev, "claims": claims})
    return out


# ---------------------------------------------------------------------- figures
def figures(rep: SitRep) -> dict[str, bytes]:
    """PNG images: ``map``, ``per_day`` (events per day by type), ``fatalities`` (per day)."""
    try:
        import matplotlib
    except ImportError:
        raise ReportError("E623", what="The report's plots", package="matplotlib") from None
    matplotlib.use("Agg", force=False)
    import io

    import matplotlib.pyplot as plt

    out: dict[str, bytes] = {}

    def save(fig, name: str) -> None:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        out[name] = buf.getvalue()

    start, end = _day(rep.since), _day(rep.until)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    types = [t for t, _ in rep.by_type().most_common()]
    counts = {t: Counter() for t in types}
    deaths: Counter = Counter()
    for e in rep.events:
        counts[e.event_type or "(untyped)"][e.event_date] += 1
        deaths[e.event_date] += e.fatalities or 0

    fig, ax = plt.subplots(figsize=(8, 2.8))
    bottom = [0] * len(days)
    for t in types:
        heights = [counts[t][d.isoformat()] for d in days]
        ax.bar(days, heights, bottom=bottom, width=0.9, label=t, color=TYPE_COLOURS.get(t, "#6c757d"))
        bottom = [b + h for b, h in zip(bottom, heights)]
    ax.set_title("Events per day by type")
    ax.set_ylabel("events")
    if types:
        ax.legend(fontsize=7, ncols=2, frameon=False)
    fig.autofmt_xdate()
    save(fig, "per_day")

    fig, ax = plt.subplots(figsize=(8, 2.4))
    ax.bar(days, [deaths[d.isoformat()] for d in days], width=0.9, color="#444")
    ax.set_title("Reported fatalities per day")
    ax.set_ylabel("fatalities")
    fig.autofmt_xdate()
    save(fig, "fatalities")

    save(_map_figure(rep, plt), "map")
    return out


def _map_figure(rep: SitRep, plt):
    pts = [e for e in rep.events if e.latitude is not None and e.longitude is not None]
    fig, ax = plt.subplots(figsize=(8, 5.2))
    ax.set_facecolor("#b9d3e6")
    if pts:
        lats = [e.latitude for e in pts]
        lons = [e.longitude for e in pts]
        pad = max(1.0, 0.15 * max(max(lats) - min(lats), max(lons) - min(lons)))
        box = (min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + pad)
    else:
        box = (-180.0, 180.0, -60.0, 85.0)
    for ring in _land_rings(box):
        xs, ys = zip(*ring)
        ax.fill(xs, ys, facecolor="#f2efe9", edgecolor="#8d99a6", linewidth=0.5)
    by_type = defaultdict(list)
    for e in pts:
        by_type[e.event_type].append(e)
    for t, evs in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
        ax.scatter([e.longitude for e in evs], [e.latitude for e in evs], s=[14 + 6 * min(20, e.fatalities or 0)
                                                                              for e in evs],
                   c=TYPE_COLOURS.get(t, "#6c757d"), alpha=0.75, edgecolors="white", linewidths=0.4, label=t)
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_aspect(1 / max(0.2, _cos_mid(box)))
    ax.set_title(f"Events {rep.since} to {rep.until}" + (f" ({rep.region})" if rep.region else ""))
    if by_type:
        ax.legend(fontsize=7, loc="lower left")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(1.0, -0.02, "Borders: Natural Earth (public domain) via world-atlas", transform=ax.transAxes,
            ha="right", va="top", fontsize=6, color="#666")
    return fig


def _cos_mid(box) -> float:
    import math

    return math.cos(math.radians((box[2] + box[3]) / 2))


def _land_rings(box) -> list[list[tuple[float, float]]]:
    """Country outlines (world-atlas, Natural Earth 1:50m) whose extent meets ``box``."""
    from importlib import resources

    path = resources.files("frontlines.serve") / "static" / "vendor" / "world-atlas" / "countries-50m.json"
    topo = json.loads(path.read_text(encoding="utf-8"))
    rings = []
    for ring in topojson_rings(topo, "countries"):
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        if max(xs) >= box[0] and min(xs) <= box[1] and max(ys) >= box[2] and min(ys) <= box[3]:
            rings.append(ring)
    return rings


def topojson_rings(topo: dict[str, Any], name: str) -> list[list[tuple[float, float]]]:
    """Every polygon ring of the object ``name`` of a quantized TopoJSON topology, in degrees."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for p in arc:
            if tr:
                x, y = x + p[0], y + p[1]
                pts.append((x * tr["scale"][0] + tr["translate"][0], y * tr["scale"][1] + tr["translate"][1]))
            else:
                pts.append((p[0], p[1]))
        arcs.append(pts)

    def ring_of(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return out

    rings = []
    for geom in topo["objects"][name].get("geometries", []):
        if geom.get("type") == "Polygon":
            polygons = [geom["arcs"]]
        elif geom.get("type") == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        for polygon in polygons:
            for ring in polygon:
                rings.append(ring_of(ring))
    return rings


# ---------------------------------------------------------------------- HTML
_CSS = """
body { font: 11pt/1.4 "DejaVu Sans", system-ui, sans-serif; color: #1d2329; max-width: 60em; margin: 1.5em auto; }
h1 { font-size: 18pt; margin-bottom: 0; } h2 { font-size: 13pt; border-bottom: 1px solid #ccd; margin-top: 1.4em; }
.sub { color: #5b6570; } table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: 9.5pt; }
th, td { border-bottom: 1px solid #e1e4e8; padding: 3px 6px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.figs { display: flex; flex-wrap: wrap; gap: 1em; } .figs div { flex: 1 1 100%; text-align: center; }
.kpi { display: flex; gap: 1.2em; flex-wrap: wrap; margin: .8em 0; }
.kpi div { border: 1px solid #d7dce1; border-radius: 4px; padding: .4em .8em; min-width: 8em; }
.kpi b { display: block; font-size: 16pt; } .delta { color: #5b6570; font-size: 9pt; }
blockquote { margin: .3em 0; padding: .2em .6em; border-left: 3px solid #8aa; background: #f4f7f8; }
mark { background: #ffe066; font-weight: 600; } .claims { display: flex; gap: .8em; }
.claim { flex: 1; border: 1px solid #d7dce1; border-radius: 4px; padding: .4em; page-break-inside: avoid; }
img { max-width: 100%; } footer { margin-top: 2em; color: #777; font-size: 8.5pt; }
@page { size: A4; margin: 16mm 14mm; }
"""


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _trigger_split(e: dict[str, Any]) -> tuple[str, str, str] | None:
    """An evidence sentence as (before, supporting words, after), or None when the words' offsets
    do not fall inside the sentence."""
    s = e.get("sentence", "") or ""
    start = e.get("start") or 0
    ts, te = e.get("trigger_start", -1), e.get("trigger_end", -1)
    if ts is None or te is None or not (ts >= start and te <= (e.get("end") or 0) and te > ts):
        return None
    a, b = ts - start, te - start
    return s[:a], s[a:b], s[b:]


def _quote_html(e: dict[str, Any]) -> str:
    parts = _trigger_split(e)
    if parts is None:
        return f"<blockquote>{_e(e.get('sentence', ''))}</blockquote>"
    return f"<blockquote>{_e(parts[0])}<mark>{_e(parts[1])}</mark>{_e(parts[2])}</blockquote>"


def _delta(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "none before"
    change = (now - before) / before * 100
    return f"{'+' if change >= 0 else ''}{change:.0f}% vs {before}"


def render_html(rep: SitRep, figs: dict[str, bytes]) -> str:
    def img(name: str, alt: str) -> str:
        if name not in figs:
            return ""
        data = base64.b64encode(figs[name]).decode()
        return f'<div><img alt="{_e(alt)}" src="data:image/png;base64,{data}"></div>'

    prev_types = rep.by_type(rep.previous)
    prev_deaths = sum(e.fatalities or 0 for e in rep.previous)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Situation report {_e(rep.since)} "
             f"to {_e(rep.until)}</title><style>{_CSS}</style></head><body>",
             f"<h1>Situation report: {_e(rep.since)} to {_e(rep.until)}</h1>",
             f"<p class='sub'>{_e(rep.region or 'All regions')} · compared with {_e(rep.prev_since)} to "
             f"{_e(rep.prev_until)} · generated {_e(rep.generated)}</p>",
             "<h2>Headline figures</h2><div class='kpi'>",
             f"<div>events<b>{len(rep.events)}</b><span class='delta'>{_e(_delta(len(rep.events), len(rep.previous)))}"
             "</span></div>",
             f"<div>fatalities<b>{rep.fatalities}</b><span class='delta'>{_e(_delta(rep.fatalities, prev_deaths))}"
             "</span></div>",
             f"<div>reports<b>{rep.sources()}</b></div>",
             f"<div>control changes<b>{len(rep.control)}</b></div>",
             f"<div>disputed<b>{len(rep.disputed)}</b></div></div>",
             "<table><tr><th>event type</th><th class='n'>events</th><th class='n'>previous period</th></tr>"]
    for t, n in rep.by_type().most_common():
        parts.append(f"<tr><td>{_e(t)}</td><td class='n'>{n}</td><td class='n'>{prev_types.get(t, 0)}</td></tr>")
    parts.append("</table><table><tr><th>region</th><th class='n'>events</th><th class='n'>fatalities</th></tr>")
    for name, n, d in rep.by_region():
        parts.append(f"<tr><td>{_e(name)}</td><td class='n'>{n}</td><td class='n'>{d}</td></tr>")
    parts.append("</table>")
    parts.append("<h2>Map</h2><div class='figs'>" + img("map", "map of the period's events") + "</div>")
    parts.append("<h2>Events and fatalities per day</h2><div class='figs'>" + img("per_day", "events per day by type")
                 + img("fatalities", "fatalities per day") + "</div>")

    parts.append("<h2>Changes of control</h2>")
    if rep.control_note:
        parts.append(f"<p class='sub'>{_e(rep.control_note)}</p>")
    elif not rep.control:
        parts.append("<p class='sub'>No settlement changed hands in the period on the evidence stored.</p>")
    for c in rep.control:
        parts.append(f"<h3>{_e(c['place'])}, {_e(c['admin1'])}: {_e(c['previous'] or 'unknown')} → "
                     f"{_e(c['controller'])} on {_e(c['date'])} <span class='sub'>({_e(c['claim_status'])})</span></h3>")
        for e in c["evidence"]:
            said = " — ".join(_e(x) for x in (e["outlet"], e["title"]) if x)
            parts.append(f"<p class='sub'>{said} ({_e(e['event_id'])})</p>" + _quote_html(e))

    parts.append("<h2>Disputed claims</h2>")
    if not rep.disputed:
        parts.append("<p class='sub'>No disputed event in the period.</p>")
    for d in rep.disputed:
        ev = d["event"]
        parts.append(f"<h3>{_e(ev.event_date)} · {_e(ev.sub_event_type)} · {_e(ev.location)} "
                     f"<span class='sub'>({_e(ev.event_id)})</span></h3><div class='claims'>")
        for c in d["claims"]:
            quotes = "".join(_quote_html(e) for e in c["evidence"])
            parts.append(f"<div class='claim'><b>{_e(c['claimant'])}</b>"
                         f"{' (' + _e(c['side']) + ')' if c.get('side') else ''}<br><span class='sub'>"
                         f"{_e(c['claim_status'])} · {_e(c['sub_event_type'])} · {_e(c['actor1'])}"
                         f"{' vs ' + _e(c['actor2']) if c.get('actor2') else ''} · fatalities "
                         f"{_e(c.get('fatalities') or 0)}</span>{quotes}</div>")
        parts.append("</div>")

    parts.append("<h2>Deadliest events</h2>")
    dead = rep.deadliest()
    if not dead:
        parts.append("<p class='sub'>No fatalities reported in the period.</p>")
    for ev in dead:
        parts.append(f"<h3>{_e(ev.event_date)} · {_e(ev.location)}, {_e(ev.admin1)}: {_e(ev.sub_event_type)}, "
                     f"{ev.fatalities} killed <span class='sub'>({_e(ev.event_id)}; {_e(ev.source)})</span></h3>")
        parts.extend(_quote_html(e) for e in ev.evidence[:1])

    new = rep.new_since_previous()
    parts.append("<h2>New since the previous period</h2><ul>")
    for label, key in (("Places with events", "places"), ("Actors", "actors"), ("Kinds of event", "kinds")):
        items = new[key]
        shown = ", ".join(_e(x) for x in items[:40]) + (f" and {len(items) - 40} more" if len(items) > 40 else "")
        parts.append(f"<li><b>{label}:</b> {shown or 'none'}</li>")
    parts.append("</ul><footer>frontlines situation report. Events are coded automatically from news reports; "
                 "each carries its evidence and reasons (frontlines show EVENT_ID).</footer></body></html>")
    return "\n".join(parts)


# ---------------------------------------------------------------------- Markdown
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|>~])")


def _m(text: Any) -> str:
    """Text for Markdown: HTML escaped (renderers pass HTML through), Markdown syntax escaped."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape("" if text is None else str(text), quote=False)).replace("\n", " ")


def _quote_md(e: dict[str, Any]) -> str:
    parts = _trigger_split(e)
    if parts is None:
        return f"> {_m(e.get('sentence', ''))}"
    return f"> {_m(parts[0])}**{_m(parts[1])}**{_m(parts[2])}"


def render_markdown(rep: SitRep, figure_paths: dict[str, str]) -> str:
    prev_types = rep.by_type(rep.previous)
    prev_deaths = sum(e.fatalities or 0 for e in rep.previous)
    out = [f"# Situation report: {rep.since} to {rep.until}", "",
           f"{_m(rep.region or 'All regions')} · compared with {rep.prev_since} to {rep.prev_until} · "
           f"generated {rep.generated}", "", "## Headline figures", "",
           f"- **events:** {len(rep.events)} ({_m(_delta(len(rep.events), len(rep.previous)))})",
           f"- **fatalities:** {rep.fatalities} ({_m(_delta(rep.fatalities, prev_deaths))})",
           f"- **reports:** {rep.sources()}", f"- **control changes:** {len(rep.control)}",
           f"- **disputed:** {len(rep.disputed)}", "", "| event type | events | previous period |", "|---|--:|--:|"]
    out += [f"| {_m(t)} | {n} | {prev_types.get(t, 0)} |" for t, n in rep.by_type().most_common()]
    out += ["", "| region | events | fatalities |", "|---|--:|--:|"]
    out += [f"| {_m(name)} | {n} | {d} |" for name, n, d in rep.by_region()]
    out += ["", "## Map", ""]
    if "map" in figure_paths:
        out.append(f"![map of the period's events]({figure_paths['map']})")
    out += ["", "## Events and fatalities per day", ""]
    for name, alt in (("per_day", "events per day by type"), ("fatalities", "fatalities per day")):
        if name in figure_paths:
            out += [f"![{alt}]({figure_paths[name]})", ""]
    out += ["## Changes of control", ""]
    if rep.control_note:
        out.append(_m(rep.control_note))
    elif not rep.control:
        out.append("No settlement changed hands in the period on the evidence stored.")
    for c in rep.control:
        out += [f"### {_m(c['place'])}, {_m(c['admin1'])}: {_m(c['previous'] or 'unknown')} → {_m(c['controller'])} "
                f"on {c['date']} ({_m(c['claim_status'])})", ""]
        for e in c["evidence"]:
            said = ", ".join(_m(x) for x in (e["outlet"], e["title"]) if x)
            out += [f"{said} ({_m(e['event_id'])}):", "", _quote_md(e), ""]
    out += ["", "## Disputed claims", ""]
    if not rep.disputed:
        out.append("No disputed event in the period.")
    for d in rep.disputed:
        ev = d["event"]
        claims = d["claims"]
        out += [f"### {ev.event_date} · {_m(ev.sub_event_type)} · {_m(ev.location)} ({_m(ev.event_id)})", "",
                "| " + " | ".join(_m(c["claimant"]) + (f" ({_m(c['side'])})" if c.get("side") else "")
                                  for c in claims) + " |",
                "|" + "---|" * len(claims),
                "| " + " | ".join(f"{_m(c['claim_status'])}: {_m(c['sub_event_type'])}, fatalities "
                                  f"{c.get('fatalities') or 0}" for c in claims) + " |",
                "| " + " | ".join(" / ".join(_quote_md(e)[2:] for e in c["evidence"]) or "-" for c in claims) + " |",
                ""]
    out += ["", "## Deadliest events", ""]
    dead = rep.deadliest()
    if not dead:
        out.append("No fatalities reported in the period.")
    for ev in dead:
        out += [f"- **{ev.event_date}**, {_m(ev.location)}, {_m(ev.admin1)}: {_m(ev.sub_event_type)}, "
                f"{ev.fatalities} killed ({_m(ev.event_id)})", ""]
        out += ["  " + _quote_md(e) for e in ev.evidence[:1]]
        out.append("")
    new = rep.new_since_previous()
    out += ["", "## New since the previous period", ""]
    for label, key in (("Places with events", "places"), ("Actors", "actors"), ("Kinds of event", "kinds")):
        items = new[key]
        out.append(f"- **{label}:** " + (", ".join(_m(x) for x in items[:40]) or "none")
                   + (f" and {len(items) - 40} more" if len(items) > 40 else ""))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------- writing
def write_report(store, since, until, output: str | Path, *, region: str | None = None, gazetteer: Any = None,
                 control: bool = True) -> Path:
    """Build the report and write it to ``output`` (.html, .pdf or .md; a Markdown report's images
    go into ``<name>_files/`` beside it)."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ReportError("E622", path=str(output))
    rep = build_report(store, since, until, region=region, gazetteer=gazetteer, control=control)
    figs = figures(rep)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".md":
        folder = path.with_name(path.stem + "_files")
        folder.mkdir(exist_ok=True)
        rel = {}
        for name, data in figs.items():
            (folder / f"{name}.png").write_bytes(data)
            rel[name] = f"{folder.name}/{name}.png"
        path.write_text(render_markdown(rep, rel), encoding="utf-8")
        return path
    page = render_html(rep, figs)
    if suffix == ".pdf":
        try:
            from weasyprint import HTML
        except (ImportError, OSError):
            raise ReportError("E623", what="A PDF report", package="weasyprint") from None
        HTML(string=page).write_pdf(str(path))
        return path
    path.write_text(page, encoding="utf-8")
    return path
