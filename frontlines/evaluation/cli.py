"""Click commands for the scorers; the main CLI attaches them to its ``eval`` group.

    frontlines eval event-type [--data PATH] [--json] [--limit N]
    frontlines eval ucdp       [--data PATH] [--json] [--limit N]
    frontlines eval plover     [--data PATH] [--json] [--limit N]

``--dump PATH`` writes one JSON line per scored row (gold, prediction, the events) for
error analysis.
"""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Callable, Iterable

import click
from rich.console import Console
from rich.table import Table

from ..errors import FrontlinesError

logger = logging.getLogger(__name__)

console = Console()
err_console = Console(stderr=True)

_STRATEGIES = click.Choice(["confidence", "precedence", "violent"])


def _data_path(value: str | None, default: Callable[[], Path]) -> Path:
    path = Path(value) if value else default()
    if not path.is_file():
        hint = "" if value else " (the gold sets live in ../shared/bench beside the repository, or set FRONTLINES_SHARED)"
        raise click.ClickException(f"{path}: no such data file{hint}.")
    return path


def _run(work: Callable[[], object], what: str, quiet: bool):
    """Run a scorer, with a spinner on stderr for interactive use; model errors become CLI errors."""
    started = time.perf_counter()
    try:
        if quiet or not err_console.is_terminal:
            result = work()
        else:
            with err_console.status(f"coding {what}..."):
                result = work()
    except FrontlinesError as exc:
        raise click.ClickException(str(exc)) from exc
    logger.info("%s scored in %.1fs", what, time.perf_counter() - started)
    return result


def _dump(path: str | None, rows: Iterable[dict]) -> None:
    if not path:
        return
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    err_console.print(f"rows written to {path}")


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def _class_table(title: str, label_header: str, stats: Iterable) -> Table:
    """Per-class precision/recall/F1 (in %), support and predicted counts; unseen classes left out."""
    table = Table(title=title)
    for col in (label_header, "P", "R", "F1", "support", "predicted"):
        table.add_column(col, justify="left" if col == label_header else "right")
    for s in stats:
        if s.support or s.predicted:
            table.add_row(s.label, _pct(s.precision), _pct(s.recall), _pct(s.f1), str(s.support), str(s.predicted))
    return table


def _common_options(f):
    f = click.option("--dump", type=click.Path(dir_okay=False, writable=True),
                     help="Write every scored row (gold, prediction, events) to this JSONL file.")(f)
    f = click.option("--limit", type=click.IntRange(min=1), help="Score N rows spread evenly over the file (a quick, fixed sample).")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")(f)
    f = click.option("--data", type=click.Path(dir_okay=False), help="The gold file (default: ../shared/bench/...).")(f)
    return f


# ---------------------------------------------------------------------------------------
@click.command(name="event-type")
@_common_options
@click.option("--strategy", type=_STRATEGIES, default="confidence", show_default=True,
              help="Which of a snippet's events gives its label.")
def eval_event_type(data: str | None, as_json: bool, limit: int | None, dump: str | None, strategy: str) -> None:
    """Sub-event type of CASE 2021 Task 2 snippets: weighted/macro F1 over the 25 ACLED types."""
    from . import event_type as et

    path = _data_path(data, et.default_path)
    report = _run(lambda: et.evaluate_event_type(path, limit=limit, strategy=strategy), "snippets", as_json)
    _dump(dump, report.rows)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    console.print(_class_table(f"CASE 2021 Task 2 event types — {path.name}, {report.n} snippets", "label",
                               sorted(report.per_class, key=lambda s: (-s.support, s.label))))
    summary = Table(show_header=False, box=None)
    summary.add_row("weighted F1 (25 ACLED types)", f"{report.weighted_f1:.3f}")
    summary.add_row("macro F1", f"{report.macro_f1:.3f}")
    summary.add_row("false-event rate (5 non-ACLED classes)", f"{report.false_event_rate:.3f}")
    summary.add_row("exact label on ACLED snippets", f"{report.accuracy_acled:.3f}")
    summary.add_row("ACLED snippets with any event", f"{report.detection_rate:.3f}")
    console.print(summary)
    conf = Table(title="top errors (gold → predicted)")
    for col in ("gold", "predicted", "n"):
        conf.add_column(col, justify="right" if col == "n" else "left")
    for g, p, n in report.confusions:
        conf.add_row(g, p, str(n))
    console.print(conf)


# ---------------------------------------------------------------------------------------
@click.command(name="ucdp")
@_common_options
def eval_ucdp(data: str | None, as_json: bool, limit: int | None, dump: str | None) -> None:
    """Date, place and deaths coded from UCDP GED source headlines, against GED's coding."""
    from . import ucdp

    path = _data_path(data, ucdp.default_path)
    report = _run(lambda: ucdp.evaluate_ucdp(path, limit=limit), "headlines", as_json)
    _dump(dump, (s.to_dict() for s in report.rows))
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"UCDP GED — {path.name}, {report.n} rows with headlines")
    table.add_column("measure")
    table.add_column("all rows", justify="right")
    table.add_column("rows with an event", justify="right")
    cov = report.covered
    table.add_row("coverage (any event)", _pct(report.coverage), str(cov["n"]))
    table.add_row("date within date_start..date_end", _pct(report.date_exact), _pct(cov["date_exact"]))
    table.add_row(f"within 25 km (where_prec ≤ 3, n={report.n_geo})", _pct(report.within_25km), _pct(cov["within_25km"]))
    table.add_row("median km error (located events)",
                  "-" if report.median_km is None else f"{report.median_km:.1f}", str(report.n_located))
    table.add_row("fatalities = best or within low..high", _pct(report.fatalities_exact), _pct(cov["fatalities_exact"]))
    console.print(table)
    prec = Table(title="by UCDP where_prec")
    for col in ("where_prec", "n", "coverage %", "median km", "within 25 km %"):
        prec.add_column(col, justify="right")
    for p, d in report.by_where_prec.items():
        prec.add_row(p, str(d["n"]), _pct(d["coverage"]), "-" if d["median_km"] is None else f"{d['median_km']:.1f}",
                     _pct(d["within_25km"]))
    console.print(prec)
    if report.skipped_no_headline:
        console.print(f"{report.skipped_no_headline} rows without headline text were skipped.")


# ---------------------------------------------------------------------------------------
@click.command(name="plover")
@_common_options
@click.option("--table", "table_path", type=click.Path(dir_okay=False),
              help="CAMEO-to-PLOVER table to check the taxonomy against (default: ../shared/bench/plover/).")
def eval_plover(data: str | None, as_json: bool, limit: int | None, dump: str | None, table_path: str | None) -> None:
    """PLOVER category accuracy on the PLOVER gold records, and a check of our CAMEO→PLOVER mapping."""
    from . import plover

    path = _data_path(data, plover.default_path)
    report = _run(lambda: plover.evaluate_plover(path, table=table_path, limit=limit), "sentences", as_json)
    _dump(dump, report.rows)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    console.print(_class_table(f"PLOVER categories — {path.name}, {report.n} sentences "
                               "(gold mapped to PLOVER 0.8)", "category", report.per_category))
    summary = Table(show_header=False, box=None)
    summary.add_row("accuracy (all records; no event = 'none')", f"{report.accuracy:.3f}")
    summary.add_row(f"accuracy on categories we code (n={report.n_reachable})", f"{report.accuracy_reachable:.3f}")
    summary.add_row("false-event rate on the other categories", f"{report.false_event_rate:.3f}")
    console.print(summary)
    mapping = Table(title="taxonomy CAMEO root → PLOVER vs CAMEO2PLOVER table")
    for col in ("sub-event type", "CAMEO", "ours", "status", "note"):
        mapping.add_column(col)
    for d in report.mapping:
        if d["status"] != "agree" or d["mode_in_table"] is False:
            note = d["note"] or (f"mode {d['plover_mode']!r} not among the table's modes for CAMEO {d['cameo_root']}"
                                 if d["mode_in_table"] is False else "")
            mapping.add_row(d["sub_event_type"], d["cameo_root"], f"{d['plover_event']}/{d['plover_mode']}",
                            d["status"], note)
    console.print(mapping)


# ---------------------------------------------------------------------------------------
@click.command(name="news")
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False), help="Gold folder (default: ../shared/bench/news-events).")
@click.option("--articles", type=click.Path(dir_okay=False), help="The reports the gold codes (default: ../shared/corpus/war_news_dev.jsonl).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--dump", type=click.Path(dir_okay=False, writable=True),
              help="Write one JSON line per report (gold, system, pairs, misses, false events and why).")
@click.option("--errors", "show_errors", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also list this many false and missed events, with their reasons.")
def eval_news(gold_dir: str | None, articles: str | None, as_json: bool, dump: str | None, show_errors: int) -> None:
    """Whole-report events against hand-coded gold: precision, recall, field agreement and why each error happened."""
    from . import news

    gold_path = Path(gold_dir) if gold_dir else news.default_gold_dir()
    if not gold_path.is_dir():
        raise click.ClickException(f"{gold_path}: no such gold folder (the gold sets live in ../shared/bench "
                                   "beside the repository, or set FRONTLINES_SHARED).")
    articles_path = _data_path(articles, news.default_articles_path)
    report = _run(lambda: news.evaluate_news(gold_path, articles_path), "reports", as_json)
    _dump(dump, report.rows)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    summary = Table(title=f"Whole-report events — {articles_path.name} against {gold_path.name}", show_header=False)
    summary.add_row("reports", str(report.reports))
    summary.add_row("gold events / system events", f"{report.gold_events} / {report.system_events}")
    summary.add_row("precision", f"{report.precision:.3f}")
    summary.add_row("recall", f"{report.recall:.3f}")
    summary.add_row("F1", f"{report.f1:.3f}")
    summary.add_row("one-to-one precision (a second event for one gold event is false)", f"{report.strict_precision:.3f}")
    for label, value in (("fatalities agree", report.fatalities_agree), ("claimed or not agree", report.claims_agree),
                         ("actor1 agrees", report.actor1_agree)):
        summary.add_row(f"{label} (on {report.pairs} matched pairs)", "-" if value is None else f"{value:.3f}")
    console.print(summary)
    errors = Table(title="why: false events and missed events")
    for col in ("kind", "reason", "n"):
        errors.add_column(col, justify="right" if col == "n" else "left")
    for reason, n in report.false_reasons.most_common():
        errors.add_row("false", news.FALSE_REASONS.get(reason, reason), str(n))
    for reason, n in report.miss_reasons.most_common():
        errors.add_row("missed", news.MISS_REASONS.get(reason, reason), str(n))
    console.print(errors)
    types = Table(title="by sub-event type")
    for col in ("sub-event type", "gold", "recalled", "system", "correct"):
        types.add_column(col, justify="left" if col == "sub-event type" else "right")
    for name, t in sorted(report.by_type.items(), key=lambda kv: -(kv[1]["gold"] + kv[1]["system"])):
        types.add_row(name, str(t["gold"]), str(t["matched_gold"]), str(t["system"]), str(t["matched_system"]))
    console.print(types)
    if show_errors:
        listing = Table(title="errors by report")
        for col in ("report", "kind", "event", "reason"):
            listing.add_column(col)
        shown = 0
        for row in report.rows:
            for f in row["false"]:
                if shown < show_errors:
                    listing.add_row(row["article_id"], "false", f["event"], f["reason"])
                    shown += 1
            for m in row["missed"]:
                if shown < show_errors:
                    listing.add_row(row["article_id"], "missed", m["gold"], m["reason"])
                    shown += 1
        console.print(listing)
