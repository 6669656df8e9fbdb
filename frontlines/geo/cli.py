"""Click commands for the gazetteer and the geo scorers (attached by frontlines/cli.py).

* ``gazetteer`` group: ``build``, ``find NAME``, ``import FILE``;
* ``eval_geoparse``: ``frontlines eval geoparse --corpus lgl|trnews|geovirus|PATH``;
* ``eval_event_location``: ``frontlines eval event-location [--data PATH] [--rows odd]
  [--weights FILE]``; with ``--fit [--rows even] [--out FILE] [--check]`` it refits the
  chooser's weights instead (:mod:`frontlines.geo.fit_eventloc`).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click


@click.group("gazetteer")
def gazetteer() -> None:
    """Build, query and extend the offline gazetteer index."""


@gazetteer.command("build")
@click.option("--path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the index (default: the versioned file in the cache dir).")
@click.option("--force", is_flag=True, help="Rebuild even when an up-to-date index exists.")
def build_cmd(path: str | None, force: bool) -> None:
    """Build the SQLite gazetteer index from the installed packages and project data (once)."""
    from frontlines.geo.build import build_index, default_index_path

    target = Path(path) if path else default_index_path()
    if target.exists() and not force:
        click.echo(f"gazetteer index up to date: {target} ({target.stat().st_size / 1e6:.0f} MB)")
        return
    t0 = time.perf_counter()
    target = build_index(path)
    click.echo(f"built {target} in {time.perf_counter() - t0:.1f}s "
               f"({target.stat().st_size / 1e6:.0f} MB)")


@gazetteer.command("find")
@click.argument("name")
@click.option("--limit", default=15, show_default=True)
@click.option("--context", default="", help="Text around the name, e.g. the article: the "
              "other places in it are scored in, as when the geoparser reads it.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def find_cmd(name: str, limit: int, context: str, as_json: bool) -> None:
    """List the places NAME can refer to, best first, with the score and reasons the geoparser
    gives each; the first row is the one it would choose."""
    from frontlines.geo.geoparse import Geoparser

    gp = Geoparser()
    text = context or name
    start = text.find(name)
    if start < 0:
        text, start = f"{context} {name}", len(context) + 1
    ranked = gp.explain(text, start, start + len(name))[:limit]
    rows = [{"chosen": i == 0, "score": round(s, 2), "name": c.place.name, "site": c.place.site,
             "feature": c.place.feature,
             "country": c.place.iso2, "admin1": c.place.admin1, "admin2": c.place.admin2,
             "lat": c.place.latitude, "lon": c.place.longitude,
             "population": c.place.population, "geonameid": c.place.geonameid,
             "note": c.note, "reasons": why} for i, (c, s, why) in enumerate(ranked)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        click.echo(f"no candidates for {name!r}", err=True)
        return
    from rich.console import Console
    from rich.table import Table

    cols = ["score", "name", "site", "feature", "country", "admin1", "admin2", "lat", "lon", "population",
            "geonameid", "note", "reasons"]
    cols = [c for c in cols if c in ("score", "name") or any(r[c] not in ("", None, []) for r in rows)]
    table = Table(title=f"candidates for {name!r} (first: the geoparser's choice)")
    for col in cols:
        table.add_column(col, justify="right" if col in ("score", "lat", "lon", "population") else "left",
                         overflow="fold")
    for r in rows:
        cells = {**r, "lat": f"{r['lat']:.3f}", "lon": f"{r['lon']:.3f}", "population": f"{r['population']:,}",
                 "reasons": " ".join(x.removeprefix("geo:") for x in r["reasons"])}
        table.add_row(*(str(cells[c]) if cells[c] is not None else "" for c in cols),
                      style="bold" if r["chosen"] else None)
    # a pipe or file gets the full width a table of this many columns needs
    Console(width=None if sys.stdout.isatty() else 180).print(table)


@gazetteer.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--path", type=click.Path(dir_okay=False), default=None, help="Index to extend.")
def import_cmd(file: str, path: str | None) -> None:
    """Add a GeoNames dump (allCountries.txt, UA.txt: tab-separated) to the index."""
    from frontlines.geo.build import default_index_path, import_geonames_dump
    from frontlines.geo.gazetteer import open_gazetteer

    target = path or str(default_index_path())
    open_gazetteer(path)  # builds the default index first when missing
    t0 = time.perf_counter()
    n = import_geonames_dump(target, file)
    click.echo(f"imported {n} rows from {file} into {target} in {time.perf_counter() - t0:.1f}s")


def _print_metrics(result: dict, as_json: bool, keys: tuple[str, ...]) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for k in keys + tuple(k for k in result if k not in keys):
        v = result.get(k)
        if v is None:
            continue
        table.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
    Console().print(table)


@click.command("geoparse")
@click.option("--corpus", default="lgl", show_default=True,
              help="lgl, trnews, geovirus, or a path to a file in one of their formats.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=int, default=None, help="Score only the first N articles.")
@click.option("--no-recognition", is_flag=True, help="Skip the spaCy end-to-end recognition part.")
def eval_geoparse(corpus: str, as_json: bool, limit: int | None, no_recognition: bool) -> None:
    """Toponym recognition P/R/F1 and resolution Acc@161km, exact id, median km, AUC."""
    from frontlines.geo.evaluate import evaluate_geoparse

    result = evaluate_geoparse(corpus, limit=limit, recognition=not no_recognition)
    _print_metrics(result, as_json, ("toponym_p", "toponym_r", "toponym_f1", "acc161",
                                     "exact_id", "median_km", "auc", "candidate_coverage"))


@click.command("event-location")
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default=None,
              help="event_location_dev.jsonl (default: ../shared/bench/event-location/).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=int, default=None, help="Score only the first N sentences.")
@click.option("--rows", "rows_subset", type=click.Choice(["all", "even", "odd"]), default=None,
              help="Rows to score (default all); odd = the rows held out when the weights were "
                   "fitted.  With --fit: the training rows (default even).")
@click.option("--legacy", is_flag=True, help="Score the character-based pick_event_location.")
@click.option("--no-realign", is_flag=True, help="Score gold spans as written (token-indexed rows too).")
@click.option("--weights", "weights_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Score with this weights file (as written by --fit) instead of the shipped one.")
@click.option("--fit", is_flag=True,
              help="Refit the weights (python -m frontlines.geo.fit_eventloc) and write them.")
@click.option("--check", is_flag=True, help="With --fit: compare the refit with the weights file, write nothing.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="With --fit: weights file to write (default: the packaged one).")
@click.option("--l2", type=float, default=None, help="With --fit: L2 penalty.")
def eval_event_location(data: str | None, as_json: bool, limit: int | None, rows_subset: str | None,
                        legacy: bool, no_realign: bool, weights_path: str | None, fit: bool,
                        check: bool, out: str | None, l2: float | None) -> None:
    """Precision/recall/F1 of the chosen event location (Halterman 2019 annotations).

    With --fit, refit the chooser's weights on the training rows instead and print the
    training and held-out figures of the shipped and refitted weights."""
    if fit or check:
        from frontlines.geo import fit_eventloc

        kw = {} if l2 is None else {"l2": l2}
        code = fit_eventloc.run(data, rows=rows_subset or "even", out=out, check=check,
                                echo=click.echo, **kw)
        if code:
            raise SystemExit(code)
        return
    from frontlines.geo.evaluate import evaluate_event_location
    from frontlines.geo.eventloc import load_weights
    from frontlines.geo.geoparse import pick_event_location

    weights = threshold = None
    if weights_path:
        weights, threshold, _ = load_weights(weights_path)
    result = evaluate_event_location(data, limit=limit, rows_subset=rows_subset or "all",
                                     picker=pick_event_location if legacy else None,
                                     realign=not no_realign, weights=weights, threshold=threshold)
    if weights_path:
        result["weights"] = weights_path
    _print_metrics(result, as_json, ("precision", "recall", "f1"))
