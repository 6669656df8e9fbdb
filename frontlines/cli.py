"""The `frontlines` command line."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import FrontlinesError

DEFAULT_DB = "frontlines.db"
EXIT_SKIPPED = 1
PARALLEL_MIN_ARTICLES = 64     # below this, a second spaCy process costs more than it saves

console = Console()
err_console = Console(stderr=True)


def _date_option(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="frontlines")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """frontlines: news reports about armed conflict in, coded conflict events out."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


# ---------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite database to store events in.")
@click.option("--date", "date_", help="Publication date (YYYY-MM-DD) for reports that carry none.")
@click.option("--max-bytes", default=5_000_000, show_default=True, help="Skip files larger than this.")
@click.option("--actors", type=click.Path(exists=True, dir_okay=False), help="Extra actor lexicon (TSV).")
@click.option("--include-background", is_flag=True, help="Keep history, plans and negated events too.")
@click.option("--rows", default=40, show_default=True, help="How many events to print (0: none).")
@click.option("--batch-size", default=64, show_default=True, help="Sentences per spaCy batch.")
def run(paths: tuple[str, ...], db: str, date_: str | None, max_bytes: int, actors: str | None,
        include_background: bool, rows: int, batch_size: int) -> None:
    """Ingest reports (files, directories, globs or - for stdin), code events, store them, print them."""
    from .events.lexicon import default_lexicon
    from .fusion import fuse_article
    from .ingest import read_sources
    from .pipeline import Pipeline, split_results
    from .store import open_store

    default_date = _date_option(date_)
    articles, problems = split_results(read_sources(list(paths), default_date=default_date, max_bytes=max_bytes,
                                                    stdin=sys.stdin))
    for p in problems:
        err_console.print(f"[yellow]skipped[/] [{p.code}] {escape(p.message)}")
    try:
        store = open_store(db)
    except FrontlinesError as exc:
        raise click.ClickException(str(exc)) from exc
    new = [a for a in articles if not store.has_article(a.article_id)]
    already = len(articles) - len(new)
    pipeline = Pipeline(lexicon=default_lexicon(actors), include_background=include_background)
    started = time.perf_counter()
    coded = []
    merged = 0
    with store:
        if new:
            with Progress(TextColumn("[bold]coding reports"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err_console, transient=True, disable=len(new) < 3) as bar:
                task = bar.add_task("code", total=len(new))
                bar.update(task, description="loading models")
                pipeline.warm_up()
                n_process = 2 if len(new) >= PARALLEL_MIN_ARTICLES and (os.cpu_count() or 1) > 1 else 1
                for result in pipeline.process(new, batch_size=batch_size, n_process=n_process):
                    store.add_article(result.article, result.events)
                    fused = fuse_article(store, result.article.article_id)
                    merged += len(fused.merged)
                    coded.extend(result.events)
                    bar.advance(task)
    elapsed = time.perf_counter() - started
    if rows and coded:
        console.print(events_table(coded[:rows]))
        if len(coded) > rows:
            console.print(f"[dim]… {len(coded) - rows} more; see `frontlines export --db {db}`[/]")
    summary = (f"{len(new)} report(s) coded into {len(coded)} event(s) in {elapsed:.1f}s"
               f"; {merged} joined events reported elsewhere; {already} already in {db}; {len(problems)} skipped")
    err_console.print(summary)
    if problems:
        sys.exit(EXIT_SKIPPED)


def events_table(events) -> Table:
    table = Table(show_lines=False, header_style="bold", expand=False)
    for col, kw in (("id", {"no_wrap": True}), ("date", {"no_wrap": True}), ("type / sub-type", {}),
                    ("actors", {}), ("place", {}), ("deaths", {"justify": "right"}), ("claimed by", {}),
                    ("evidence", {"max_width": 48})):
        table.add_column(col, **kw)
    for ev in events:
        actors = ev.actor1 + (f"\nvs {ev.actor2}" if ev.actor2 else "")
        place = ev.location + (f", {ev.admin1}" if ev.admin1 and ev.admin1 != ev.location else "")
        if ev.geo_precision:
            place += f" [dim](p{ev.geo_precision})[/]"
        claim = ev.claimed_by + (f" [dim]({ev.claim_status})[/]" if ev.claim_status != "reported" else "")
        evidence = ev.evidence[0]["sentence"] if ev.evidence else ""
        if len(evidence) > 110:
            evidence = evidence[:107] + "…"
        date = ev.event_date + ("" if ev.time_precision == 1 else f" [dim]~{ev.time_precision}[/]")
        table.add_row(ev.event_id, date, f"{ev.event_type}\n[dim]{ev.sub_event_type}[/]", escape(actors), place,
                      str(ev.fatalities), claim, escape(evidence))
    return table


# ---------------------------------------------------------------------------------------
@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
@click.option("--since", help="Only events on or after this date.")
@click.option("--until", help="Only events on or before this date.")
@click.option("--type", "event_type", help="Only this ACLED event type.")
def export(db: str, fmt: str, output: str | None, since: str | None, until: str | None, event_type: str | None) -> None:
    """Export stored events as JSONL, ACLED-column CSV or GeoJSON (each event with article_refs:
    the ids your JSONL/CSV inputs gave the articles behind it)."""
    from .export import write_events
    from .store import open_store

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such database; create one with `frontlines run PATH --db {db}`")
    with open_store(db) as store:
        events = store.iter_events(since=since, until=until, event_type=event_type)
        refs = store.article_refs()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                n = write_events(events, fmt, fh, article_refs=refs)
            err_console.print(f"wrote {n} event(s) to {output}")
        else:
            write_events(events, fmt, sys.stdout, article_refs=refs)


# ---------------------------------------------------------------------------------------
@main.command()
@click.argument("event_id")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def show(event_id: str, db: str, as_json: bool) -> None:
    """Show one event: its record, its evidence with the supporting words highlighted, and its reasons."""
    from .export import article_refs_of, event_record
    from .store import open_store

    if not Path(db).exists():
        raise click.ClickException(f"{db}: no such database")
    with open_store(db) as store:
        ev = store.get_event(event_id)
        if ev is None:
            raise click.ClickException(f"[E502] No event with id {event_id!r} in {db}.")
        refs = store.article_refs(ev.article_ids)
        if as_json:
            click.echo(json.dumps(event_record(ev, refs), ensure_ascii=False, indent=2))
            return
        render_event(ev, article_refs_of(ev, refs))
        from .fusion import explain
        from .fusion.cli import render_explanation

        explanation = explain(store, event_id)
        if explanation.get("parts") and len(explanation["parts"]) > 1:
            console.print(render_explanation(explanation))


def render_event(ev, article_refs: list[str] = ()) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        ("event", f"{ev.event_type} / {ev.sub_event_type}  [dim]({ev.disorder_type})[/]"),
        ("date", f"{ev.event_date}" + (f" to {ev.date_end}" if ev.date_end else "") + f"  time_precision {ev.time_precision}"),
        ("actor 1", f"{escape(ev.actor1)}  [dim]inter {ev.inter1}[/]" if ev.actor1 else "-"),
        ("actor 2", f"{escape(ev.actor2)}  [dim]inter {ev.inter2}[/]" if ev.actor2 else "-"),
        ("target", f"{ev.target} ({ev.target_category})" if ev.target else "-"),
        ("place", f"{ev.location}, {ev.admin1}, {ev.country}  [dim]{ev.latitude}, {ev.longitude}; geo_precision "
                  f"{ev.geo_precision}; geonameid {ev.geonameid}[/]" if ev.location else "-"),
        ("fatalities", str(ev.fatalities)),
        ("quantities", "; ".join(f"{q['value']:g} {q['unit']} ({q.get('of', '')})" for q in ev.quantities) or "-"),
        ("claimed by", f"{escape(ev.claimed_by) or 'the outlet'}  [dim]{ev.claim_status}[/]"),
        ("PLOVER / CAMEO", f"{ev.plover_event} {ev.plover_mode} / {ev.cameo_root}"),
        ("tags", ev.tags or "-"),
        ("confidence", f"{ev.confidence:.2f}"),
        ("notes", escape(ev.notes)),
        ("sources", f"{ev.source or '-'}  [dim]articles {', '.join(ev.article_ids)}[/]"),
    ]
    if article_refs:
        rows.append(("article refs", escape(", ".join(article_refs))))
    for k, v in rows:
        grid.add_row(k, v)
    console.print(Panel(grid, title=f"[bold]{ev.event_id}[/]", expand=False))
    console.print("[bold]evidence[/]")
    for e in ev.evidence:
        console.print("  " + highlight(e) + f"  [dim]({e.get('article_id', '')}:{e['start']}-{e['end']})[/]")
    console.print("[bold]reasons[/]  " + "  ".join(f"[cyan]{escape(r)}[/]" for r in ev.reasons))


def highlight(e: dict) -> str:
    sentence = e["sentence"]
    ts, te = e.get("trigger_start", -1), e.get("trigger_end", -1)
    if ts is not None and ts >= e["start"] and te <= e["end"]:
        a, b = ts - e["start"], te - e["start"]
        return escape(sentence[:a]) + "[bold reverse]" + escape(sentence[a:b]) + "[/]" + escape(sentence[b:])
    return escape(sentence)


# ---------------------------------------------------------------------------------------
@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Database to serve (a path or sqlite:///PATH).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False),
              help="A file holding the token that writes (POST /api/articles) need; FRONTLINES_TOKEN also works. "
                   "Without one, the server is read-only.")
@click.option("--tile-url", envvar="FRONTLINES_TILE_URL",
              help="An XYZ tile URL template ({z}/{x}/{y}) for a tile server you have; the built-in basemap "
                   "(the world's countries) needs none.")
@click.option("--tile-attribution", envvar="FRONTLINES_TILE_ATTRIBUTION", default="", help="Credit for those tiles.")
def serve(db: str, host: str, port: int, token_file: str | None, tile_url: str | None, tile_attribution: str) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) and the map dashboard (at /)."""
    from .serve import run

    token = os.environ.get("FRONTLINES_TOKEN") or None
    if token_file:
        token = Path(token_file).read_text(encoding="utf-8").strip() or None
    path = db[len("sqlite:///"):] if db.startswith("sqlite:///") else db
    if not Path(path).exists() and not token:
        raise click.ClickException(f"{path}: no such database; create one with `frontlines run PATH --db {path}` "
                                   "(or give a token to start an empty one and add reports over the API)")
    if token is not None and len(token) < 16:
        raise click.ClickException("the token is shorter than 16 characters; use a long random one")
    try:
        err_console.print(f"serving {escape(path)} on http://{host}:{port}/  (API docs: /docs; "
                          f"writes {'need the token' if token else 'off'})")
        run(path, host=host, port=port, token=token, tile_url=tile_url, tile_attribution=tile_attribution)
    except (FrontlinesError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


# ---------------------------------------------------------------------------------------
@main.group(name="eval")
def eval_group() -> None:
    """Score frontlines against gold data sets."""


def _attach_stage_commands() -> None:
    """Commands that live beside their stage attach here (geo, evaluation, fusion)."""
    from .evaluation import cli as eval_cli
    from .fusion import cli as fusion_cli
    from .geo import cli as geo_cli

    main.add_command(geo_cli.gazetteer)
    eval_group.add_command(geo_cli.eval_geoparse, name="geoparse")
    eval_group.add_command(geo_cli.eval_event_location, name="event-location")
    eval_group.add_command(eval_cli.eval_event_type, name="event-type")
    eval_group.add_command(eval_cli.eval_ucdp, name="ucdp")
    eval_group.add_command(eval_cli.eval_plover, name="plover")
    eval_group.add_command(eval_cli.eval_news, name="news")
    for name, command in fusion_cli.COMMANDS.items():
        main.add_command(command, name=name)


_attach_stage_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
