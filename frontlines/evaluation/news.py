"""Whole-report event scoring against the news-events gold (``bench/news-events``).

The matching rule is the one ``ANNOTATION.md`` of that set defines.  A system event matches a
gold event of the same report when

1. the types agree: same ``sub_event_type``, or same ``event_type``, or both are one of the
   three territory sub-types;
2. the dates agree: exactly when the gold ``date_precision`` is 1, within 3 days otherwise,
   not checked when the gold ``event_date`` is null;
3. the places agree: the gold ``location`` equals the system's ``location``, ``admin2`` or
   ``admin1`` after normalising (case, letters only, "oblast" / "region" / "city" dropped,
   transliterations folded), or the gold location is a region and the system names the
   same province.

Precision is the share of system events that match some gold event of their report; recall the
share of gold events matched by some system event.  Field agreement (fatalities, claimed or
not, actor1) is measured on a one-to-one pairing of matched events, and the same pairing gives
a stricter one-to-one precision in which a second system event for one gold event counts as
false (``strict_precision``).

Every miss and every false event gets a reason (see :data:`FALSE_REASONS`, :data:`MISS_REASONS`)
so that the error table says why, not only how many.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .common import bench_path, shared_dir

logger = logging.getLogger(__name__)

TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory"})
DATE_TOLERANCE_DAYS = 3      # for gold events whose day is inferred (date_precision 2 or 3)

# Why a system event matched nothing, and why a gold event was missed: the error table's rows.
FALSE_REASONS = {
    "negative_report": "the report has no gold event at all",
    "duplicate": "duplicate: the gold event it would be is matched by another system event (split by place or date)",
    "no_gold_of_type": "no gold event of that type in the report",
    "wrong_place": "right type and date, wrong place",
    "no_place": "right type, but the event has no place (or only a country)",
    "wrong_date": "right type and place, wrong date",
    "background": "dated well before the report: history the report recalls",
    "wrong_place_and_date": "right type, wrong place and date",
}
MISS_REASONS = {
    "no_events_in_report": "the system coded nothing in the report",
    "mistyped": "an event at the right place and date, of another type",
    "no_event_of_type": "no system event of that type in the report",
    "wrong_place": "right type and date, wrong place",
    "no_place": "right type, but the system's event has no place",
    "wrong_date": "right type and place, wrong date",
    "wrong_place_and_date": "right type, wrong place and date",
}
BACKGROUND_DAYS = 10          # a false event dated this much before publication is called background


# ------------------------------------------------------------------------------ place names
_DROP_WORDS = {"oblast", "oblasti", "region", "regions", "province", "city", "municipality", "governorate",
               "krai", "kray", "raion", "district", "the", "of"}
_DIRECTION_WORDS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
                    "northeastern", "northwestern", "southeastern", "southwestern"}
# Names that differ by more than spelling (Russian and Ukrainian forms, old and new names).
_SAME_NAMES = {"kiev": "kyiv", "kharkov": "kharkiv", "odessa": "odesa", "nikolaev": "mykolaiv",
               "nikolayev": "mykolaiv", "lugansk": "luhansk", "dnepr": "dnipro", "dnipropetrovsk": "dnipro",
               "zaporozhye": "zaporizhzhia", "zaporozhe": "zaporizhzhia", "chernigov": "chernihiv",
               "artemovsk": "bakhmut", "artyomovsk": "bakhmut", "krasny liman": "lyman", "krasnyi lyman": "lyman",
               "rovno": "rivne", "lvov": "lviv", "nikopol": "nikopol", "kirovograd": "kropyvnytskyi",
               "kirovohrad": "kropyvnytskyi", "gorlovka": "horlivka", "makeyevka": "makiivka",
               "severodonetsk": "sievierodonetsk", "lisichansk": "lysychansk", "melitopol": "melitopol",
               "energodar": "enerhodar", "kramatorsk": "kramatorsk", "slavyansk": "sloviansk",
               "slovyansk": "sloviansk", "kupyansk": "kupiansk", "izyum": "izium", "balakleya": "balakliia",
               "vinnitsa": "vinnytsia", "zhitomir": "zhytomyr", "cherkassy": "cherkasy", "sumy": "sumy",
               "khmelnitsky": "khmelnytskyi", "ivano frankovsk": "ivano frankivsk", "kherson": "kherson"}


def _ascii_words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'", "").replace("’", "").replace("ʼ", "")
    return [w for w in re.split(r"[^a-z]+", text) if w]


def _skeleton(word: str) -> str:
    """A transliteration-blind form: Izyum/Izium, Kupyansk/Kupiansk, Balakleya/Balakliia,
    Enerhodar/Energodar, Avdiivka/Avdiyivka, Zaporozhye/Zaporizhzhia all fold together."""
    w = word
    for a, b in (("kh", "h"), ("zh", "j"), ("ts", "c"), ("tch", "c"), ("ch", "c"), ("shch", "s"), ("sch", "s"),
                 ("sh", "s"), ("g", "h"), ("w", "v"), ("x", "ks"), ("q", "k")):
        w = w.replace(a, b)
    head, rest = w[:1], w[1:]
    rest = re.sub(r"[aeiouy]", "", rest)
    w = head if head not in "aeiouy" else ""
    w += rest
    return re.sub(r"(.)\1+", r"\1", w)


def place_forms(name: str) -> set[str]:
    """The normalised forms a place name is compared by (any shared form is a match)."""
    words = [w for w in _ascii_words(name) if w not in _DROP_WORDS]
    if not words:
        return set()
    joined = " ".join(words)
    joined = _SAME_NAMES.get(joined, joined)
    forms = {joined.replace(" ", ""), "".join(_skeleton(w) for w in joined.split())}
    plain = [w for w in words if w not in _DIRECTION_WORDS]
    if plain and plain != words:
        j = _SAME_NAMES.get(" ".join(plain), " ".join(plain))
        forms |= {j.replace(" ", ""), "".join(_skeleton(w) for w in j.split())}
    return {f for f in forms if f}


def same_place(a: str, b: str) -> bool:
    fa, fb = place_forms(a), place_forms(b)
    return bool(fa and fb and fa & fb)


def is_region_name(location: str, admin1: str) -> bool:
    """A gold location that is a named region rather than a settlement ("Kherson region", "Donbas")."""
    words = set(_ascii_words(location))
    if words & {"region", "oblast", "province", "krai", "governorate", "strip", "peninsula", "sea", "donbas", "donbass"}:
        return True
    return bool(admin1) and _ascii_words(location) == _ascii_words(admin1)


# ------------------------------------------------------------------------------ records
@dataclass(slots=True)
class GoldEvent:
    article_id: str
    index: int
    event_type: str
    sub_event_type: str
    event_date: str | None
    date_precision: int | None
    location: str
    admin1: str
    country: str
    actor1: str = ""
    actor2: str = ""
    target: str = ""
    fatalities: int = 0
    claimed_by: str = ""
    confidence: str = ""
    note: str = ""

    @classmethod
    def from_dict(cls, index: int, d: Mapping[str, Any]) -> "GoldEvent":
        return cls(article_id=d["article_id"], index=index, event_type=d.get("event_type") or "",
                   sub_event_type=d.get("sub_event_type") or "", event_date=d.get("event_date"),
                   date_precision=d.get("date_precision"), location=d.get("location") or "",
                   admin1=d.get("admin1") or "", country=d.get("country") or "", actor1=d.get("actor1") or "",
                   actor2=d.get("actor2") or "", target=d.get("target") or "", fatalities=int(d.get("fatalities") or 0),
                   claimed_by=d.get("claimed_by") or "", confidence=d.get("confidence") or "", note=d.get("note") or "")

    def brief(self) -> str:
        return f"{self.sub_event_type} @ {self.location or '-'} {self.event_date or 'undated'}"


@dataclass(slots=True)
class GoldSet:
    events: dict[str, list[GoldEvent]]          # by article id (the corpus' own ids)
    articles: dict[str, dict[str, Any]]         # dev_gold_articles rows by article id

    @property
    def n_events(self) -> int:
        return sum(len(v) for v in self.events.values())


def default_gold_dir() -> Path:
    return bench_path("news-events")


def default_articles_path() -> Path:
    return shared_dir() / "corpus" / "war_news_dev.jsonl"


def load_gold(gold_dir: str | Path) -> GoldSet:
    """Read ``*gold_events.jsonl`` and ``*gold_articles.jsonl`` from a gold folder."""
    gold_dir = Path(gold_dir)
    ev_files = sorted(gold_dir.glob("*gold_events.jsonl"))
    art_files = sorted(gold_dir.glob("*gold_articles.jsonl"))
    if not ev_files or not art_files:
        raise FileNotFoundError(f"{gold_dir}: no *gold_events.jsonl and *gold_articles.jsonl files")
    events: dict[str, list[GoldEvent]] = defaultdict(list)
    articles: dict[str, dict[str, Any]] = {}
    for path in art_files:
        for row in _jsonl(path):
            articles[row["article_id"]] = row
            events.setdefault(row["article_id"], [])
    n = 0
    for path in ev_files:
        for row in _jsonl(path):
            events[row["article_id"]].append(GoldEvent.from_dict(n, row))
            articles.setdefault(row["article_id"], {"article_id": row["article_id"]})
            n += 1
    return GoldSet(dict(events), articles)


def _jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# ------------------------------------------------------------------------------ matching
def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def types_agree(sys_ev: Mapping[str, Any], gold: GoldEvent) -> bool:
    s_sub, s_type = sys_ev.get("sub_event_type") or "", sys_ev.get("event_type") or ""
    if s_sub == gold.sub_event_type or (s_type and s_type == gold.event_type):
        return True
    return s_sub in TERRITORY and gold.sub_event_type in TERRITORY


def dates_agree(sys_ev: Mapping[str, Any], gold: GoldEvent) -> bool:
    g = _day(gold.event_date)
    if g is None:
        return True
    s = _day(sys_ev.get("event_date"))
    if s is None:
        return False
    if gold.date_precision == 1:
        return s == g
    return abs((s - g).days) <= DATE_TOLERANCE_DAYS


def places_agree(sys_ev: Mapping[str, Any], gold: GoldEvent) -> bool:
    names = [sys_ev.get(k) or "" for k in ("location", "admin2", "admin1")]
    if any(same_place(gold.location, n) for n in names if n):
        return True
    if is_region_name(gold.location, gold.admin1) and gold.admin1 and sys_ev.get("admin1"):
        return same_place(gold.admin1, sys_ev["admin1"])
    return False


def matches(sys_ev: Mapping[str, Any], gold: GoldEvent) -> bool:
    return types_agree(sys_ev, gold) and dates_agree(sys_ev, gold) and places_agree(sys_ev, gold)


def actor_key(name: str) -> str:
    """ACLED names compared without their year spans: "Military Forces of Russia (2000-)"."""
    return re.sub(r"\s*\([^)]*\d[^)]*\)", "", name or "").strip().lower()


# ------------------------------------------------------------------------------ scoring
@dataclass(slots=True)
class NewsReport:
    reports: int
    gold_events: int
    system_events: int
    matched_system: int
    matched_gold: int
    pairs: int
    fatalities_agree: float | None
    claims_agree: float | None
    actor1_agree: float | None
    strict_precision: float
    false_reasons: Counter
    miss_reasons: Counter
    by_type: dict[str, dict[str, int]]
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_system / self.system_events if self.system_events else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold_events if self.gold_events else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "fatalities_agree": _r(self.fatalities_agree), "claims_agree": _r(self.claims_agree),
                "actor1_agree": _r(self.actor1_agree), "reports": self.reports, "gold_events": self.gold_events,
                "system_events": self.system_events, "matched_system_events": self.matched_system,
                "matched_gold_events": self.matched_gold, "strict_precision": round(self.strict_precision, 4),
                "false_events": dict(self.false_reasons.most_common()),
                "missed_events": dict(self.miss_reasons.most_common()), "by_type": self.by_type}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _pair_score(sys_ev: Mapping[str, Any], gold: GoldEvent) -> tuple:
    """How well a matching pair agrees, for choosing the one-to-one pairing."""
    return (sys_ev.get("sub_event_type") == gold.sub_event_type,
            (sys_ev.get("event_date") or None) == gold.event_date,
            same_place(gold.location, sys_ev.get("location") or ""))


def score_report(system: Sequence[Mapping[str, Any]], gold: Sequence[GoldEvent], pub_date: str | None,
                 article_id: str = "") -> dict[str, Any]:
    """Match one report's system events to its gold events; every unmatched one gets a reason."""
    match_of = [[g.index for g in gold if matches(s, g)] for s in system]
    gold_hit = {gi for m in match_of for gi in m}
    # one-to-one pairing: best-agreeing pairs first
    candidates = sorted(((_pair_score(s, g), -si, si, g.index) for si, s in enumerate(system) for g in gold
                         if g.index in match_of[si]), reverse=True)
    paired_s, paired_g, pairs = set(), set(), []
    by_index = {g.index: g for g in gold}
    for _score, _neg, si, gi in candidates:
        if si in paired_s or gi in paired_g:
            continue
        paired_s.add(si)
        paired_g.add(gi)
        pairs.append((si, gi))
    false_rows = []
    for si, s in enumerate(system):
        if match_of[si]:
            continue
        false_rows.append({"event": _brief_sys(s), "reason": _false_reason(s, gold, gold_hit, pub_date)})
    miss_rows = []
    for g in gold:
        if g.index in gold_hit:
            continue
        miss_rows.append({"gold": g.brief(), "reason": _miss_reason(g, system)})
    return {"article_id": article_id, "match_of": match_of, "pairs": pairs, "false": false_rows, "missed": miss_rows,
            "gold_hit": gold_hit, "by_index": by_index}


def _brief_sys(s: Mapping[str, Any]) -> str:
    return f"{s.get('sub_event_type')} @ {s.get('location') or '-'} {s.get('event_date') or 'undated'}"


def _false_reason(s: Mapping[str, Any], gold: Sequence[GoldEvent], gold_hit: set[int], pub_date: str | None) -> str:
    if not gold:
        return "negative_report"
    pub, day = _day(pub_date), _day(s.get("event_date"))
    same_type = [g for g in gold if types_agree(s, g)]
    if not same_type:
        if pub and day and (pub - day).days > BACKGROUND_DAYS:
            return "background"
        return "no_gold_of_type"
    if any(g.index in gold_hit and (places_agree(s, g) or dates_agree(s, g) and _same_province(s, g))
           for g in same_type):
        return "duplicate"
    if pub and day and (pub - day).days > BACKGROUND_DAYS and not any(dates_agree(s, g) for g in same_type):
        return "background"
    if not (s.get("location") or "") or s.get("location") == s.get("country"):
        return "no_place"
    place_ok = any(places_agree(s, g) for g in same_type)
    date_ok = any(dates_agree(s, g) for g in same_type)
    if place_ok and not date_ok:
        return "wrong_date"
    if date_ok and not place_ok:
        return "wrong_place"
    return "wrong_place_and_date"


def _same_province(s: Mapping[str, Any], g: GoldEvent) -> bool:
    return bool(g.admin1 and s.get("admin1")) and same_place(g.admin1, s["admin1"])


def _miss_reason(g: GoldEvent, system: Sequence[Mapping[str, Any]]) -> str:
    if not system:
        return "no_events_in_report"
    same_type = [s for s in system if types_agree(s, g)]
    if not same_type:
        if any(dates_agree(s, g) and places_agree(s, g) for s in system):
            return "mistyped"
        return "no_event_of_type"
    place_ok = any(places_agree(s, g) for s in same_type)
    date_ok = any(dates_agree(s, g) for s in same_type)
    if place_ok and not date_ok:
        return "wrong_date"
    if date_ok and not place_ok:
        if all(not (s.get("location") or "") for s in same_type):
            return "no_place"
        return "wrong_place"
    if any(dates_agree(s, g) and places_agree(s, g) for s in system):
        return "mistyped"
    return "wrong_place_and_date"


def score(system_by_article: Mapping[str, Sequence[Mapping[str, Any]]], gold: GoldSet,
          article_ids: Iterable[str] | None = None) -> NewsReport:
    """Score system events (dicts with the export's field names) grouped by the corpus' article ids."""
    ids = list(article_ids) if article_ids is not None else sorted(gold.articles)
    n_sys = n_gold = m_sys = m_gold = 0
    fat = claims = actors = n_pairs = 0
    false_reasons: Counter = Counter()
    miss_reasons: Counter = Counter()
    by_type: dict[str, dict[str, int]] = defaultdict(lambda: {"gold": 0, "system": 0, "matched_gold": 0,
                                                               "matched_system": 0})
    rows = []
    for aid in ids:
        system = list(system_by_article.get(aid, []))
        gold_events = gold.events.get(aid, [])
        pub = (gold.articles.get(aid) or {}).get("pub_date")
        res = score_report(system, gold_events, pub, aid)
        n_sys += len(system)
        n_gold += len(gold_events)
        m_sys += sum(1 for m in res["match_of"] if m)
        m_gold += len(res["gold_hit"])
        for s, m in zip(system, res["match_of"]):
            t = by_type[s.get("sub_event_type") or "?"]
            t["system"] += 1
            t["matched_system"] += bool(m)
        for g in gold_events:
            t = by_type[g.sub_event_type]
            t["gold"] += 1
            t["matched_gold"] += g.index in res["gold_hit"]
        for si, gi in res["pairs"]:
            s, g = system[si], res["by_index"][gi]
            n_pairs += 1
            fat += int(s.get("fatalities") or 0) == g.fatalities
            claims += bool((s.get("claimed_by") or "").strip()) == bool(g.claimed_by.strip())
            actors += actor_key(s.get("actor1") or "") == actor_key(g.actor1)
        false_reasons.update(r["reason"] for r in res["false"])
        miss_reasons.update(r["reason"] for r in res["missed"])
        rows.append({"article_id": aid, "pub_date": pub, "gold": [g.brief() for g in gold_events],
                     "system": [_brief_sys(s) for s in system], "false": res["false"], "missed": res["missed"],
                     "pairs": [[_brief_sys(system[si]), res["by_index"][gi].brief()] for si, gi in res["pairs"]]})
    strict = n_pairs / n_sys if n_sys else 0.0
    return NewsReport(reports=len(ids), gold_events=n_gold, system_events=n_sys, matched_system=m_sys,
                      matched_gold=m_gold, pairs=n_pairs,
                      fatalities_agree=fat / n_pairs if n_pairs else None,
                      claims_agree=claims / n_pairs if n_pairs else None,
                      actor1_agree=actors / n_pairs if n_pairs else None,
                      strict_precision=strict, false_reasons=false_reasons, miss_reasons=miss_reasons,
                      by_type=dict(by_type), rows=rows)


# ------------------------------------------------------------------------------ running
def corpus_id(article) -> str:
    """The corpus' own id of an ingested article (kept in ``meta['id']``), else frontlines' id."""
    return str(article.meta.get("id") or article.article_id)


def code_corpus(articles_path: str | Path, *, pipeline=None, n_process: int = 1,
                progress=None) -> tuple[dict[str, list[dict[str, Any]]], list[str], list]:
    """Run the pipeline over a corpus file; returns events by corpus id, the ids coded, problems."""
    from ..ingest import read_sources
    from ..pipeline import Pipeline, split_results

    articles, problems = split_results(read_sources([str(articles_path)], allow_undated=True))
    pipe = pipeline or Pipeline()
    out: dict[str, list[dict[str, Any]]] = {}
    ids = []
    for result in pipe.process(articles, n_process=n_process):
        aid = corpus_id(result.article)
        ids.append(aid)
        out[aid] = [e.to_dict() for e in result.events]
        if progress is not None:
            progress()
    return out, ids, problems


def evaluate_news(gold_dir: str | Path | None = None, articles_path: str | Path | None = None, *,
                  n_process: int = 1, pipeline=None) -> NewsReport:
    gold = load_gold(gold_dir or default_gold_dir())
    events, ids, problems = code_corpus(articles_path or default_articles_path(), pipeline=pipeline,
                                        n_process=n_process)
    for p in problems:
        logger.warning("not coded: %s", p.message)
    scored = [i for i in gold.articles]             # every gold report counts, coded or not
    missing = [i for i in scored if i not in events]
    if missing:
        logger.warning("%d gold reports were not coded (not in the corpus or skipped)", len(missing))
    return score(events, gold, scored)
