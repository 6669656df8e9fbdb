"""Click commands for fusion and territorial control (attached to the main CLI by frontlines.cli).

    frontlines fuse [--db DB] [--json]                       re-fuse a whole database
    frontlines control PLACE [--db DB] [--json | --geojson]  control timeline of a settlement (or a region's)
    frontlines control --on DATE [--region R] [--json | --geojson]
    frontlines explain EVENT_ID [--db DB] [--json]           why reports were joined: parts, reasons, claims, links
    frontlines unmerge EVENT_ID PART_ID [--db DB]            undo a join (remembered by later fusion)
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

DEFAULT_DB = "frontlines.db"
console = Console()
err_console = Console(stderr=True)


def _open(db: str):
    """The store at ``db``: a SQLite file that must exist, or a postgresql:// URL."""
    from frontlines.errors import FrontlinesError
    from frontlines.store import is_database_url, open_store

    if not is_database_url(db) and not Path(db).exists():
        raise click.ClickException(f"{db}: no such database; create one with `frontlines run PATH --db {db}`")
    try:
        return open_store(db)
    except FrontlinesError as exc:
        raise click.ClickException(str(exc)) from exc


def _day(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@click.command(name="fuse")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Database to re-fuse (SQLite file or postgresql:// URL).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def fuse(db: str, as_json: bool) -> None:
    """Re-fuse every stored report: one event per happening, across sources."""
    from frontlines.control import save_control
    from frontlines.fusion import fuse_all

    with _open(db) as store:
        # one transaction: a re-fusion stopped midway leaves the previous fusion as it was
        report, n_control = store.atomic(lambda: (fuse_all(store), save_control(store)))
    if as_json:
        click.echo(json.dumps({"events_before": report.events_before, "events_after": report.events_after,
                               "merged_parts": len(report.merged), "superseded": report.superseded,
                               "disputed": len(report.disputed), "links": report.links,
                               "control_changes": n_control}, indent=2))
        return
    err_console.print(f"{report.events_before} coded event(s) fused into {report.events_after}; "
                      f"{len(report.superseded)} superseded version(s); {len(report.disputed)} disputed; "
                      f"{report.links} link(s); {n_control} control change(s)")


@click.command(name="control")
@click.argument("place", required=False)
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--on", "on_day", help="List settlements and their controller on this day (YYYY-MM-DD).")
@click.option("--region", help="With --on: only settlements in this province (admin1) or country.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one record per change (or per settlement with --on).")
@click.option("--geojson", "as_geojson", is_flag=True, help="Print a GeoJSON FeatureCollection.")
@click.option("--include-guessed-dates", is_flag=True,
              help="Also use reports whose publication date was only given by --date (left out by default: "
                   "a date given to a batch of undated reports is a guess).")
def control(place: str | None, db: str, on_day: str | None, region: str | None, as_json: bool,
            as_geojson: bool, include_guessed_dates: bool) -> None:
    """Who controlled a settlement since when (with the evidence), or every settlement on a day.

    PLACE is resolved through the gazetteer as the coder resolves a name: any spelling it knows
    (Izium, Izyum, Ізюм), "Name, Province" to choose among namesakes, or a geonameid; a region
    (e.g. "Kharkiv Oblast") lists the settlements in it."""
    from frontlines import control as ctl

    if not place and not on_day:
        raise click.UsageError("give a PLACE, or --on DATE")
    with _open(db) as store:
        try:
            match = ctl.find_place(store, place, include_guessed_dates=include_guessed_dates) if place else None
        except ctl.ControlError as exc:
            raise click.ClickException(str(exc)) from exc
        if on_day:
            rows = ctl.control_on(store, _day(on_day), region=region, include_guessed_dates=include_guessed_dates)
            if match is not None:
                keys = set(match.keys)
                rows = [r for r in rows if ctl.place_key(_RowPlace(r)) in keys]
            if as_geojson:
                click.echo(json.dumps(ctl.to_geojson(rows), ensure_ascii=False, indent=2))
            elif as_json:
                click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                table = Table(header_style="bold", title=f"control on {_day(on_day)}")
                for col in ("place", "province", "controller", "since", "status", "events"):
                    table.add_column(col)
                for r in rows:
                    table.add_row(escape(r["place"]), escape(r["admin1"]), r["controller"], r["since"],
                                  r["claim_status"], ", ".join(r["event_ids"]))
                console.print(table)
            return
        left_out = 0 if include_guessed_dates else len(ctl.undated_articles(store))
    changes = match.changes
    if as_geojson:
        click.echo(json.dumps(ctl.to_geojson(changes), ensure_ascii=False, indent=2))
    elif as_json:
        click.echo(json.dumps(ctl.changes_json(changes), ensure_ascii=False, indent=2))
    if not changes or not (as_json or as_geojson):
        _explain_match(match, left_out, quiet=as_json or as_geojson)
    if changes and not (as_json or as_geojson):
        table = Table(header_style="bold", title=f"control of {_describe(match)}")
        for col in ("place", "date", "controller", "previous", "status", "events", "reasons"):
            table.add_column(col)
        for c in changes:
            table.add_row(escape(c.place), c.date, c.controller, c.previous or "-", c.claim_status,
                          ", ".join(c.event_ids), " ".join(c.reasons))
        console.print(table)


class _RowPlace:
    """A ``control --on`` row seen as a place (for ``control.place_key``)."""

    def __init__(self, row: dict) -> None:
        self.geonameid, self.location, self.admin1 = row["geonameid"], row["place"], row["admin1"]


def _describe(match) -> str:
    if not match.places:
        return escape(match.query)
    p = match.places[0]
    where = ", ".join(x for x in (p.admin1, p.country) if x)
    what = "the settlements of " if match.status == "control:region" else ""
    gid = f"geonameid {p.geonameid}" if p.geonameid is not None else "no geonameid"
    return escape(f"{what}{p.name} ({p.feature}{', ' + where if where else ''}; {gid})")


def _explain_match(match, guessed: int, *, quiet: bool) -> None:
    """Why a place has no timeline (or what the typed name resolved to), on stderr."""
    if quiet and match.changes:
        return
    if match.status == "control:not_a_settlement":
        err_console.print(f"{_describe(match)} is not a settlement: only settlements have control timelines "
                          f"[dim](control:not_a_settlement)[/]")
    elif not match.changes:
        err_console.print(f"no control changes recorded for {escape(match.query)}: {_describe(match)} "
                          f"[dim]({match.status})[/]")
    for eid, why in match.left_out:
        err_console.print(f"  [dim]{eid} left out ({why})[/]")
    if guessed and not match.changes and match.status != "control:not_a_settlement":
        err_console.print(f"[dim]{guessed} report(s) dated only by --date were left out; "
                          f"see --include-guessed-dates[/]")


@click.command(name="explain")
@click.argument("event_id")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def explain_cmd(event_id: str, db: str, as_json: bool) -> None:
    """Why reports were joined into an event: its parts, the reasons, the claims and links."""
    from frontlines.fusion import explain

    with _open(db) as store:
        info = explain(store, event_id)
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return
    if not info["found"]:
        msg = f"no event {event_id!r}"
        if info.get("now_part_of"):
            msg += f"; it was joined into {info['now_part_of']}"
        raise click.ClickException(msg)
    console.print(render_explanation(info))


def render_explanation(info: dict) -> Table:
    """A table of an event's parts and why each joined (for `frontlines show` too)."""
    fu = info.get("fusion") or {}
    table = Table(header_style="bold", title=f"{info['event_id']}: {len(info['parts'])} report(s), "
                                             f"{fu.get('n_sources', '?')} independent source(s)")
    for col in ("part", "article", "outlet", "date", "type", "place", "actor1", "deaths", "claimed by", "joined because"):
        table.add_column(col)
    for p in info["parts"]:
        table.add_row(p["part_id"], p["article_id"], escape(p["outlet"]), p["event_date"], p["sub_event_type"],
                      escape(p["location"]), escape(p["actor1"]), str(p["fatalities"]), escape(p["claimed_by"]),
                      ", ".join(p["joined_because"]) or ("(first report)" if p is info["parts"][0] else "-"))
    return table


@click.command(name="unmerge")
@click.argument("event_id")
@click.argument("part_id")
@click.option("--db", default=DEFAULT_DB, show_default=True)
def unmerge_cmd(event_id: str, part_id: str, db: str) -> None:
    """Take one report's part out of a fused event (and never join them again)."""
    from frontlines.fusion import unmerge

    with _open(db) as store:
        try:
            report = store.atomic(lambda: unmerge(store, event_id, part_id))
        except KeyError as exc:
            raise click.ClickException(str(exc.args[0])) from None
    err_console.print(f"{part_id} is now its own event; splits: {report.splits}")


#: What frontlines.cli should attach: name -> command.
COMMANDS = {"fuse": fuse, "control": control, "explain": explain_cmd, "unmerge": unmerge_cmd}
