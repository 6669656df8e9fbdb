"""The `frontlines` command line."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
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

log = logging.getLogger(__name__)

console = Console()
err_console = Console(stderr=True)


def _db_missing(db: str) -> bool:
    """A database file that does not exist (a server URL, ``postgresql://...``, is never missing here:
    opening it says whether it can be reached)."""
    from .store import is_database_url

    if is_database_url(db):
        return False
    return not Path(db[len("sqlite:///"):] if db.startswith("sqlite:///") else db).exists()


def _open_store(db: str):
    from .store import open_store

    try:
        return open_store(db)
    except FrontlinesError as exc:
        raise click.ClickException(str(exc)) from exc


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
@click.option("--db", default=DEFAULT_DB, show_default=True,
              help="Database to store events in: a SQLite file, or a postgresql://user@host/dbname URL.")
@click.option("--date", "date_", help="Publication date (YYYY-MM-DD) for reports that carry none.")
@click.option("--max-bytes", default=5_000_000, show_default=True,
              help="Skip files larger than this (in .jsonl files, which are read a line at a time: lines).")
@click.option("--actors", type=click.Path(exists=True, dir_okay=False), help="Extra actor lexicon (TSV).")
@click.option("--include-background", is_flag=True, help="Keep history, plans and negated events too.")
@click.option("--rows", default=40, show_default=True, help="How many events to print (0: none).")
@click.option("--batch-size", default=64, show_default=True, help="Sentences per spaCy batch.")
@click.option("--format", "out_format", type=click.Choice(["table", "wide", "compact", "jsonl", "csv", "tsv"]),
              default="table", show_default=True,
              help="How to print the coded events: a table fitted to the terminal (compact under 120 columns), "
                   "always wide or compact, or machine output (jsonl, ACLED csv, tsv) with every event.")
@click.option("--article-seconds", default=30.0, show_default=True, type=click.FloatRange(min=0),
              help="Time budget for coding one report; one that takes longer is skipped (E701) and the rest go "
                   "on. 0: no budget.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this process (and a second spaCy process for large batches); dask: partitions coded on "
                   "a Dask cluster, stored in batches, resumable, then fused in a second pass (the 'dask' extra).")
@click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: the address of a running Dask scheduler "
              "(tcp://host:8786); without it, a LocalCluster on this machine.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="With --engine dask and no --scheduler: worker processes, one thread each (default: the cores).")
@click.option("--partition-size", type=click.IntRange(1, 1_000_000), default=200, show_default=True,
              help="With --engine dask: articles per partition (a JSONL or Parquet file is cut by lines or rows).")
def run(paths: tuple[str, ...], db: str, date_: str | None, max_bytes: int, actors: str | None,
        include_background: bool, rows: int, batch_size: int, out_format: str, engine: str,
        scheduler: str | None, workers: int | None, partition_size: int, article_seconds: float) -> None:
    """Ingest reports (files, directories, globs, Parquet with --engine dask, or - for stdin), code events,
    store them, print them."""
    if engine == "dask":
        _run_dask(paths, db=db, date_=date_, max_bytes=max_bytes, actors=actors, include_background=include_background,
                  rows=rows, batch_size=batch_size, out_format=out_format, scheduler=scheduler, workers=workers,
                  partition_size=partition_size, article_seconds=article_seconds)
        return
    if scheduler or workers:
        raise click.UsageError("--scheduler and --workers go with --engine dask")
    from .events.lexicon import default_lexicon
    from .fusion import fuse_article, store_and_fuse, unfused_articles
    from .ingest import read_sources
    from .pipeline import Pipeline, split_results

    default_date = _date_option(date_)
    articles, problems = split_results(read_sources(list(paths), default_date=default_date, max_bytes=max_bytes,
                                                    stdin=sys.stdin))
    for p in problems:
        err_console.print(f"[yellow]skipped[/] [{p.code}] {escape(p.message)}")
    store = _open_store(db)
    new = [a for a in articles if not store.has_article(a.article_id)]
    already = len(articles) - len(new)
    pipeline = Pipeline(lexicon=default_lexicon(actors), include_background=include_background,
                        article_seconds=article_seconds or None)

    def skipped(p) -> None:               # an article the coder gave up on: reported, nothing of it stored
        problems.append(p)
        err_console.print(f"[yellow]skipped[/] [{p.code}] {escape(p.message)}")

    started = time.perf_counter()
    coded = []
    merged = 0
    reports = 0
    with store:
        # stored by an earlier run that died before fusing them (runs before this one stored and fused
        # in two transactions): fused now, in the order they were stored, before anything new
        stored = {a.article_id for a in articles} - {a.article_id for a in new}
        for article_id in unfused_articles(store, stored) if stored else ():
            log.warning("%s: fusing article %s, stored unfused by an interrupted run", db, article_id)
            merged += len(store.atomic(lambda aid=article_id: fuse_article(store, aid)).merged)
        if new:
            with Progress(TextColumn("[bold]coding reports"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err_console, transient=True, disable=len(new) < 3) as bar:
                task = bar.add_task("code", total=len(new))
                bar.update(task, description="loading models")
                pipeline.warm_up()
                n_process = 2 if len(new) >= PARALLEL_MIN_ARTICLES and (os.cpu_count() or 1) > 1 else 1
                for result in pipeline.process(new, batch_size=batch_size, n_process=n_process, on_skip=skipped):
                    # stored and fused in one transaction: killed at any moment, a re-run finds the
                    # article either done or not there (and codes it again)
                    fused = store_and_fuse(store, result.article, result.events)
                    reports += 1
                    merged += len(fused.merged) if fused is not None else 0
                    coded.extend(result.events)
                    bar.advance(task)
    elapsed = time.perf_counter() - started
    if out_format in ("jsonl", "csv", "tsv"):
        print_machine(coded, out_format, db)
    elif rows and coded:
        console.print(events_table(coded[:rows], layout=out_format))
        if len(coded) > rows:
            console.print(f"[dim]… {len(coded) - rows} more; see `frontlines export --db {db}`[/]")
    summary = (f"{reports} report(s) coded into {len(coded)} event(s) in {elapsed:.1f}s"
               f"; {merged} joined events reported elsewhere; {already} already in {db}; {len(problems)} skipped")
    err_console.print(summary)
    if problems:
        sys.exit(EXIT_SKIPPED)


def _run_dask(paths, *, db: str, date_: str | None, max_bytes: int, actors: str | None, include_background: bool,
              rows: int, batch_size: int, out_format: str, scheduler: str | None, workers: int | None,
              partition_size: int, article_seconds: float = 0.0) -> None:
    """`run --engine dask`: see frontlines.distributed.engine."""
    try:
        from .distributed import make_client, run_backfill
    except ImportError:
        raise click.ClickException("[E605] --engine dask needs dask and distributed: "
                                   "pip install 'frontlines[dask]'") from None
    if scheduler and workers:
        raise click.UsageError("--workers starts a local cluster; a --scheduler's cluster has its own workers")
    default_date = _date_option(date_)
    store = _open_store(db)
    started = time.perf_counter()
    keep = -1 if out_format in ("jsonl", "csv", "tsv") else rows
    with store:
        try:
            client, cluster = make_client(scheduler, workers or os.cpu_count() or 1)
        except (OSError, TimeoutError, ValueError) as exc:
            raise click.ClickException(f"[E606] could not reach the Dask scheduler {scheduler}: {exc}") from None
        try:
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=err_console, transient=True) as bar:
                tasks = {"partitions": bar.add_task("partitions", total=None),
                         "articles": bar.add_task("articles", total=None)}

                def progress(kind: str, done: int, total: int) -> None:
                    bar.update(tasks[kind], completed=done, total=total)

                report = run_backfill(list(paths), store, client=client, default_date=default_date,
                                      max_bytes=max_bytes, actors=actors, include_background=include_background,
                                      partition_size=partition_size, batch_size=batch_size, stdin=sys.stdin,
                                      keep_coded=keep, progress=progress, article_seconds=article_seconds or None)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    for p in report.problems:
        err_console.print(f"[yellow]skipped[/] [{p.code}] {escape(p.message)}")
    coded = report.coded
    if out_format in ("jsonl", "csv", "tsv"):
        print_machine(coded, out_format, db)
    elif rows and coded:
        console.print(events_table(coded[:rows], layout=out_format))
        if report.events > rows:
            console.print(f"[dim]… {report.events - rows} more; see `frontlines export --db {db}`[/]")
    fused = report.fusion
    shown = db
    if db.startswith(("postgresql://", "postgres://")):
        from .store.postgres import redact

        shown = redact(db)
    err_console.print(
        f"{report.stored} report(s) coded into {report.events} event(s) on {report.workers} Dask worker(s) in "
        f"{time.perf_counter() - started:.1f}s; {report.partitions - report.skipped_partitions} of "
        f"{report.partitions} partition(s) coded ({report.skipped_partitions} finished before); "
        + (f"fused into {fused.events_after} event(s); " if fused is not None else "")
        + f"{report.already} already in {shown}; {len(report.problems)} skipped")
    if report.problems:
        sys.exit(EXIT_SKIPPED)


#: Below this many terminal columns, `events_table` uses the compact layout.
WIDE_TABLE_MIN = 120

_SUB_SHORT = {
    "Armed clash": "Clash", "Government regains territory": "Gov regains", "Non-state actor overtakes territory":
    "Takes ground", "Shelling/artillery/missile attack": "Shelling", "Air/drone strike": "Air/drone",
    "Remote explosive/landmine/IED": "IED/mine", "Suicide bomb": "Suicide bomb", "Grenade": "Grenade",
    "Chemical weapon": "Chemical", "Attack": "Attack", "Abduction/forced disappearance": "Abduction",
    "Sexual violence": "Sexual viol.", "Non-violent transfer of territory": "Transfer",
    "Looting/property destruction": "Looting", "Disrupted weapons use": "Disrupted", "Headquarters or base "
    "established": "Base set up", "Peaceful protest": "Protest", "Protest with intervention": "Protest+int.",
    "Excessive force against protesters": "Force vs prot", "Violent demonstration": "Violent demo",
    "Mob violence": "Mob", "Agreement": "Agreement", "Arrests": "Arrests", "Change to group/activity": "Group change",
    "Other": "Other",
}
_FORCES = re.compile(r"^(Military|Police|Rebel) Forces of (?P<who>.+?)(?: \(\d{4}-\d{0,4}\))?(?: .*)?$")


def short_actor(name: str) -> str:
    """"Military Forces of Russia (2000-)" -> "Russia"; "Police Forces of Ukraine (2019-)" -> "Ukraine pol."."""
    if not name:
        return ""
    m = _FORCES.match(name)
    if m:
        who = m.group("who")
        return who if m.group(1) == "Military" else f"{who} {m.group(1).lower()[:3]}."
    name = re.sub(r"\s*\(\d{4}-\d{0,4}\)$", "", name)
    return "civilians" if name.startswith("Civilians") else name


def events_table(events, layout: str = "table", width: int | None = None) -> Table:
    """The coded events as a table: ``wide`` (every field, wrapped), ``compact`` (one line an
    event: id, date, type, place, actors, deaths; fits 80 columns), or ``table``: compact when the
    terminal is narrower than WIDE_TABLE_MIN."""
    if layout == "table":
        layout = "compact" if (width or console.width) < WIDE_TABLE_MIN else "wide"
    if layout == "compact":
        return _compact_table(events, width)
    return _wide_table(events)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(0, width - 1)] + "…"


def _compact_table(events, width: int | None = None) -> Table:
    """One line an event, every column a fixed width so the table is exactly as wide as the terminal
    (at least 80 columns): id, date, type, place, actors, deaths."""
    from rich import box

    total = max(80, width or console.width)
    fixed = {"id": 13, "date": 11, "type": 12, "dead": 4}
    free = total - sum(fixed.values()) - 6          # a space between columns (5), and a margin
    place_w = free * 11 // 20
    widths = {**fixed, "place": place_w, "actors": free - place_w}
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False, pad_edge=False, padding=0,
                  expand=False)
    for col in ("id", "date", "type", "place", "actors", "dead"):
        table.add_column(col, no_wrap=True, width=widths[col], justify="right" if col == "dead" else "left")
    for ev in events:
        place = ev.location + (f", {ev.admin1.replace(' Oblast', '')}" if ev.admin1 and ev.admin1 != ev.location else "")
        actors = short_actor(ev.actor1) + (f" v {short_actor(ev.actor2)}" if ev.actor2 else "")
        kind = _SUB_SHORT.get(ev.sub_event_type, ev.sub_event_type or ev.event_type)
        if ev.claim_status == "disputed":
            kind += "?"
        date = ev.event_date + ("" if ev.time_precision == 1 else "~")
        table.add_row(_clip(ev.event_id, widths["id"]), date, escape(_clip(kind, widths["type"])),
                      escape(_clip(place, widths["place"])), escape(_clip(actors, widths["actors"])),
                      _clip(str(ev.fatalities), widths["dead"]))
    return table


def print_machine(events, fmt: str, db: str) -> None:
    """Every coded event on standard output as JSONL, ACLED CSV or a plain TSV."""
    if fmt == "tsv":
        cols = ("event_id", "event_date", "event_type", "sub_event_type", "location", "admin1", "country", "actor1",
                "actor2", "fatalities", "claimed_by", "claim_status")
        click.echo("\t".join(cols))
        for ev in events:
            click.echo("\t".join(str(getattr(ev, c) if getattr(ev, c) is not None else "").replace("\t", " ")
                                 .replace("\n", " ") for c in cols))
        return
    from .export import write_events
    from .store import open_store

    with open_store(db) as store:
        refs = store.article_refs({a for ev in events for a in ev.article_ids})
    write_events(events, fmt, sys.stdout, article_refs=refs)


def _wide_table(events) -> Table:
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
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "parquet"]), default="jsonl",
              show_default=True, help="parquet needs pyarrow (the 'parquet' extra) and -o.")
@click.option("-o", "--output", type=click.Path(), help="Write here instead of standard output (a folder with "
              "--partition).")
@click.option("--partition", type=click.Choice(["month", "year"]),
              help="With --format parquet: a Parquet lake, one Hive-style folder per month (year=YYYY/month=MM) "
                   "or year, in the folder -o names (replaced whole when it is an earlier lake).")
@click.option("--since", help="Only events on or after this date.")
@click.option("--until", help="Only events on or before this date.")
@click.option("--type", "event_type", help="Only this ACLED event type.")
def export(db: str, fmt: str, output: str | None, partition: str | None, since: str | None, until: str | None,
           event_type: str | None) -> None:
    """Export stored events as JSONL, ACLED-column CSV, GeoJSON or Parquet (each event with
    article_refs: the ids your JSONL/CSV inputs gave the articles behind it)."""
    from .export import write_events

    if _db_missing(db):
        raise click.ClickException(f"{db}: no such database; create one with `frontlines run PATH --db {db}`")
    if fmt == "parquet" and not output:
        raise click.UsageError("--format parquet writes binary files: give -o FILE.parquet (or -o DIR with "
                               "--partition)")
    if partition and fmt != "parquet":
        raise click.UsageError("--partition makes a Parquet lake: use it with --format parquet")
    if output and not partition and Path(output).is_dir():
        raise click.UsageError(f"{output} is a folder: give a file, or --partition month for a Parquet lake")
    with _open_store(db) as store:
        events = store.iter_events(since=since, until=until, event_type=event_type)
        refs = store.article_refs()
        if fmt == "parquet":
            from .export import ExportError, write_lake, write_parquet

            try:
                if partition:
                    manifest = write_lake(events, output, partition=partition, article_refs=refs)
                    n = manifest["rows"]
                    err_console.print(f"wrote {n} event(s) to {output} in {len(manifest['partitions'])} "
                                      f"partition(s) by {partition}")
                    return
                n = write_parquet(events, output, article_refs=refs)
            except ExportError as exc:
                raise click.ClickException(str(exc)) from exc
            err_console.print(f"wrote {n} event(s) to {output}")
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                n = write_events(events, fmt, fh, article_refs=refs)
            err_console.print(f"wrote {n} event(s) to {output}")
        else:
            write_events(events, fmt, sys.stdout, article_refs=refs)


# ---------------------------------------------------------------------------------------
@main.command()
@click.argument("event_id")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="SQLite file or postgresql:// URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
def show(event_id: str, db: str, as_json: bool) -> None:
    """Show one event: its record, its evidence with the supporting words highlighted, and its reasons."""
    from .export import article_refs_of, event_record

    if _db_missing(db):
        raise click.ClickException(f"{db}: no such database")
    with _open_store(db) as store:
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
@click.option("--db", default=DEFAULT_DB, show_default=True,
              help="Database to serve (a path, sqlite:///PATH, or a postgresql:// URL).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False),
              help="A file holding the token that writes (POST /api/articles) need; FRONTLINES_TOKEN also works. "
                   "Without one, the server is read-only.")
@click.option("--tile-url", envvar="FRONTLINES_TILE_URL",
              help="An XYZ tile URL template ({z}/{x}/{y}) for a tile server you have; the built-in basemap "
                   "(the world's countries) needs none.")
@click.option("--tile-attribution", envvar="FRONTLINES_TILE_ATTRIBUTION", default="", help="Credit for those tiles.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes, each with its own copy of the event index (memory times as many).")
@click.option("--read-token-file", type=click.Path(exists=True, dir_okay=False),
              help="A file holding a token that reads need too (FRONTLINES_READ_TOKEN also works): send it as "
                   "'Authorization: Bearer TOKEN', or as the password when the browser asks. Without one, reads "
                   "are open.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Let pages from this origin (https://host:port) call the API from a browser; repeat for more. "
                   "None by default.")
@click.option("--max-body", default=5_000_000, show_default=True, type=click.IntRange(1_000),
              help="The largest request body (a POSTed report), in bytes.")
def serve(db: str, host: str, port: int, token_file: str | None, tile_url: str | None, tile_attribution: str,
          workers: int, read_token_file: str | None, cors_origins: tuple[str, ...], max_body: int) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) and the map dashboard (at /)."""
    from .serve import run

    token = os.environ.get("FRONTLINES_TOKEN") or None
    if token_file:
        token = Path(token_file).read_text(encoding="utf-8").strip() or None
    read_token = os.environ.get("FRONTLINES_READ_TOKEN") or None
    if read_token_file:
        read_token = Path(read_token_file).read_text(encoding="utf-8").strip() or None
    if read_token is not None and len(read_token) < 16:
        raise click.ClickException("the read token is shorter than 16 characters; use a long random one")
    from .store import is_database_url

    path = db if is_database_url(db) else db[len("sqlite:///"):] if db.startswith("sqlite:///") else db
    if _db_missing(db) and not token:
        raise click.ClickException(f"{path}: no such database; create one with `frontlines run PATH --db {path}` "
                                   "(or give a token to start an empty one and add reports over the API)")
    if token is not None and len(token) < 16:
        raise click.ClickException("the token is shorter than 16 characters; use a long random one")
    try:
        shown = path
        if is_database_url(path):
            from .store.postgres import redact

            shown = redact(path)
        err_console.print(f"serving {escape(shown)} on http://{host}:{port}/  (API docs: /docs; "
                          f"writes {'need the token' if token else 'off'}; "
                          f"reads {'need a token' if read_token else 'open'})")
        run(path, host=host, port=port, token=token, tile_url=tile_url, tile_attribution=tile_attribution,
            workers=workers, read_token=read_token, cors_origins=cors_origins, max_body=max_body)
    except (FrontlinesError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


# ---------------------------------------------------------------------------------------
@main.command()
@click.option("--from", "since", required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "until", required=True, help="Last day of the period (YYYY-MM-DD).")
@click.option("--region", help="Only this province (admin1), district or country.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="FILE.html, FILE.pdf (WeasyPrint) or FILE.md (images in FILE_files/).")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--no-control", is_flag=True, help="Leave out changes of control (they need the gazetteer).")
def report(since: str, until: str, region: str | None, output: str, db: str, no_control: bool) -> None:
    """A situation report for a period: headline figures, a map, events and fatalities per day,
    changes of control with evidence, disputed claims side by side, and what is new."""
    from .report import write_report

    start, end = _date_option(since), _date_option(until)
    if _db_missing(db):
        raise click.ClickException(f"{db}: no such database; create one with `frontlines run PATH --db {db}`")
    try:
        with _open_store(db) as store:
            path = write_report(store, start, end, output, region=region, control=not no_control)
    except FrontlinesError as exc:
        raise click.ClickException(str(exc)) from exc
    err_console.print(f"wrote {path}")


@main.command(name="datasette-metadata")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The database datasette will open.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
def datasette_metadata(db: str, output: str | None) -> None:
    """Metadata for `datasette DB -m metadata.json`: facets, column descriptions, canned queries,
    and the map (with the datasette-cluster-map plugin: pip install 'frontlines[datasette]')."""
    from .serve.datasette import write_metadata

    write_metadata(db, output or sys.stdout)
    if output:
        err_console.print(f"wrote {output}; now: datasette {db} -m {output}")


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
