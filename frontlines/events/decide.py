"""Which drafted events of a report become events: ACLED's rules, applied with the whole report in view.

A draft that passed the sentence-level tests can still be no event for an analyst's database.

1. **Vagueness** (a rule): ACLED codes nothing without a place (at least a named region) and a
   time; a draft placed nowhere, at a whole country, or only at the story's main region because
   its own sentences name no place, is left out (``vague:*``).  When such a draft is a claim (a
   tally of losses, ground taken "in the past five days") about an event the report does place,
   its claimants and figures are kept with that event (:func:`is_claim`, :func:`claim_home`).
2. **Is it the report's event?** (learned): background the report recalls, aggregates, generic
   statements and mentions of a happening the report is not about look like events sentence by
   sentence.  :class:`Decider` scores each remaining draft from :func:`draft_features` (what kind
   of mention, how it was placed and dated, where it stands in the report, what the sentences
   around it say) with a logistic model fitted on the news-events gold by
   :mod:`frontlines.events.fit_decide` and shipped as ``events/data/decide_weights.json``.  A draft
   below the threshold is left out with ``decide:below_threshold``; a kept one carries
   ``decide:p=0.83``.  Without a weights file every non-vague draft is kept (``decide:no_model``).

The extractor drops set-aside drafts, or keeps them with the reason when asked for background
(``include_background``), so the sentence- and headline-level scorers still see what the coder
made of them.
"""
from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..records import place_key

if TYPE_CHECKING:      # pragma: no cover
    from ..nlp import Sentence
    from ..records import Article, Event, Toponym
    from ..temporal import ReferenceDate
    from .extract import Draft

logger = logging.getLogger(__name__)

NO_SCENE_FEATURES = frozenset({"country", "continent"})
TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory"})
VIOLENT_OR_TERRITORY = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "territory"})
WEIGHTS_PATH = Path(__file__).resolve().parent / "data" / "decide_weights.json"
WEIGHTS_FORMAT = "frontlines.decide-weights/1"


# ------------------------------------------------------------------------------ rule 1: vagueness
COARSE_PRECISION = 3        # ACLED's time_precision 3: a month or more


def vagueness_reason(d: "Draft", reference=None) -> str:
    """ACLED's vagueness rule: a place (at least a named region) and a time pinned to a day or, at
    worst, a week.  ``reference`` (a :class:`~frontlines.temporal.ReferenceDate`) tells whether a
    month-level date comes from the text ("in November", "since early October": vague) or from a
    report dated only by its month (then it is the best the report allows)."""
    when = d.time
    if when is not None and reference is not None and reference.known == "day":
        if when.time_precision >= COARSE_PRECISION:
            return "vague:time_coarser_than_a_week"
        if when.reason == "time:since" and (reference.date - (when.start_date or when.date)).days > 7:
            return "vague:ongoing_since"                  # "has been shelled heavily since November"
    topo = d.toponym
    if topo is None or topo.place is None:
        return "vague:no_place"
    if when is not None and when.reason in ("time:article_date_default", "time:paragraph_reference",
                                            "time:inherited_same_kind", "time:day_of_the_reports_lead") and \
            all(_HABITUAL.search(m.sentence.text) for m in d.mentions):
        return "vague:habitual"       # "has come under missile attack almost every day"
    if when is not None and when.reason in UNDATED_TIME_REASONS and topo.geo_precision == 3 and \
            all(m.token.pos_ != "VERB" and m.token.lemma_.lower() in CAMPAIGN_NOUNS for m in d.mentions):
        return "vague:campaign"       # "Ukraine's counteroffensive in Kharkiv Oblast": a campaign, no happening
    borrowed = bool(BORROWED_PLACE_REASONS.intersection(topo.reasons)) or topo.geo_precision == 3
    if borrowed and any(_aggregate_in_clause(m) for m in d.mentions):
        return "vague:aggregate"      # "damaged 400 facilities in 16 regions": a tally, not a happening
    if topo.place.feature in NO_SCENE_FEATURES:
        return "vague:country_only"
    if "geo:document_focus" in topo.reasons:
        return "vague:place_not_stated"
    return ""


UNDATED_TIME_REASONS = frozenset({"time:article_date_default", "time:paragraph_reference",
                                  "time:inherited_same_kind", "time:day_of_the_reports_lead"})
CAMPAIGN_NOUNS = frozenset({"offensive", "counteroffensive", "counter-offensive", "campaign", "operation",
                            "invasion", "war"})
_HABITUAL = re.compile(r"\b((almost|nearly)\s+)?(every|each)\s+(day|night|week)\b|\bdaily\b|\bnightly\b|"
                       r"\bday after day\b|\bregularly\b|\brepeatedly\b|\bconstant(ly)?\b|\brelentless(ly)?\b",
                       re.IGNORECASE)
BORROWED_PLACE_REASONS = frozenset({"geo:continues_previous_event", "geo:only_settlement_in_story",
                                    "geo:river_in_story_region", "geo:document_focus",
                                    "geo:only_town_of_region_in_story"})
_AGGREGATE_SCOPE = re.compile(r"\b(\d+|dozens of|scores of|several|many|numerous|multiple)\s+(\w+\s+)?"
                              r"(regions|oblasts|provinces|cities|towns|villages|settlements|communities|"
                              r"facilities|districts)\b", re.IGNORECASE)


_OTHER_CLAUSES = {"conj", "cc", "ccomp", "advcl", "parataxis", "relcl", "csubj"}


def _aggregate_in_clause(m) -> bool:
    """An aggregate scope ("in 16 regions") in the trigger's own clause, not in a consequence told
    beside it ("causing blackouts in several regions")."""
    found = [x.start() for x in _AGGREGATE_SCOPE.finditer(m.sentence.text)]
    if not found:
        return False
    own: set[int] = set()
    tok = m.token
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "obj") and tok.head is not tok:
        tok = tok.head                     # "strikes had damaged 400 facilities in 16 regions"
    stack = [tok]
    while stack:
        t = stack.pop()
        own.add(t.idx)
        stack.extend(c for c in t.children if not (c.dep_ in _OTHER_CLAUSES and c.pos_ in ("VERB", "AUX")))
    return any(start in own for start in found)


def is_claim(d: "Draft") -> bool:
    """A draft that asserts a tally or an outcome on someone's word: losses inflicted, ground taken."""
    if d.family not in VIOLENT_OR_TERRITORY:
        return False
    tally = all(m.cls == "LOSSES" for m in d.mentions) or bool(d.quantities)
    return tally and (bool(d.claimants) or all(m.cls == "LOSSES" for m in d.mentions))


def claim_home(d: "Draft", kept: "list[Draft]") -> "Draft | None":
    """The placed event of the report a claim is about: of a compatible kind, in the claim's area
    when it has one, else the nearest told before it (or after, when none is)."""
    # a claim of killing or losses is about fighting, not about a place changing hands
    kinds = VIOLENT_OR_TERRITORY if d.family == "territory" else VIOLENT_OR_TERRITORY - {"territory"}
    homes = [k for k in kept if k.family in kinds and k.toponym is not None and _near_in_time(k, d)]
    if not homes:
        return None
    area = d.toponym.place if d.toponym is not None else None
    same_area = area is not None and area.feature not in NO_SCENE_FEATURES
    if same_area:
        inside = [k for k in homes if k.toponym.place is not None and (
            k.toponym.place.admin1 == area.admin1 and k.toponym.place.iso2 == area.iso2)]
        homes = inside or homes
    first = min(m.sentence.index for m in d.mentions)
    before = [k for k in homes if min(m.sentence.index for m in k.mentions) <= first]
    pool = before or homes
    return min(pool, key=lambda k: (not (same_area and k.toponym.place is not None and
                                         place_key(k.toponym.place) == place_key(area)),
                                    abs(first - min(m.sentence.index for m in k.mentions))))


def _near_in_time(home: "Draft", claim: "Draft") -> bool:
    """A claim about another period ("between October 10 and 20, strikes damaged 400 facilities") is
    not about an event of a different day."""
    if home.time is None or claim.time is None or claim.time_reason in ("time:article_date_default", ""):
        return True
    a0, a1 = home.time.start_date or home.time.date, home.time.end_date or home.time.date
    b0, b1 = claim.time.start_date or claim.time.date, claim.time.end_date or claim.time.date
    return (b0 - a1).days <= 1 and (a0 - b1).days <= 1


RECENT_LEAD_DAYS = 2       # a lead event this close to publication makes the report a report of the day
RECALLED_DAYS = 5          # an event this many days before such a lead is one the report recalls


def lead_draft(drafts: "Sequence[Draft]") -> "Draft | None":
    """The report's lead: the first violent or territorial event it tells with a stated day."""
    dated = [d for d in drafts if d.family in VIOLENT_OR_TERRITORY and d.time is not None and
             d.time_reason not in ("time:article_date_default", "time:inherited_same_kind",
                                   "time:paragraph_reference", "time:day_of_the_reports_lead")]
    return min(dated, key=lambda d: min(m.start for m in d.mentions), default=None)


def recalled_reason(d: "Draft", lead: "Draft | None", reference=None) -> str:
    """"Russian shelling on December 15 killed two in Kherson", told in a report of the 24th's
    shelling: an earlier attack the report recalls is not its event (ACLED codes it from the report
    that was about it).  Only when the lead is the news of the day and the draft a week or so older."""
    if lead is None or d is lead or d.time is None or lead.time is None or reference is None or \
            reference.known != "day":
        return ""
    if (reference.date - lead.time.date).days > RECENT_LEAD_DAYS:
        return ""
    if (lead.time.date - (d.time.end_date or d.time.date)).days >= RECALLED_DAYS:
        return "background:earlier_event_the_report_recalls"
    return ""


def set_aside_reason(d: "Draft", reference=None) -> str:
    """Why a draft is no event of the report by rule ("" when the rules keep it)."""
    return vagueness_reason(d, reference)


# ------------------------------------------------------------------------------ rule 2: learned
@dataclass(slots=True)
class ReportContext:
    """What the decision sees of the whole report besides the draft itself."""

    article: "Article"
    reference: "ReferenceDate"
    sentences: "Sequence[Sentence]"
    toponyms: "Sequence[Toponym]"
    drafts: "Sequence[Draft]"
    main_country: str = ""
    title_lower: str = field(default="", init=False)
    lead_places: set = field(default_factory=set, init=False)
    place_counts: dict = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.title_lower = (self.article.title or "").lower()
        first_para = min((s.paragraph for s in self.sentences), default=0)
        lead_end = max((s.end for s in self.sentences if s.paragraph == first_para), default=0)
        for t in self.toponyms:
            if t.place is None:
                continue
            k = place_key(t.place)
            self.place_counts[k] = self.place_counts.get(k, 0) + 1
            if t.start < lead_end:
                self.lead_places.add(k)


FEATURES: tuple[str, ...] = (
    "bias",
    # what kind of happening
    "type_battles", "type_remote", "type_vac", "type_strategic", "type_protest_riot",
    "sub_clash", "sub_territory", "sub_disrupted", "sub_change", "sub_air",
    "generic", "cls_clash", "cls_capture", "cls_withdraw", "cls_remote", "cls_kill",
    # how it is told
    "n_sentences", "max_weight", "verb_trigger", "first_sentence", "position", "first_paragraph",
    "tense_present", "cue_quote", "cue_past_perfect", "cue_earlier", "cue_aggregate", "cue_plural_places",
    "cue_ongoing", "cue_casualties",
    # where
    "place_alternative", "place_continued", "place_only_settlement", "place_antecedent", "place_only_town_of_region",
    "place_region", "place_water", "place_facility", "place_near", "place_count", "place_in_title",
    "place_in_lead", "place_foreign", "places_in_sentence",
    # when
    "time_explicit", "time_weekday", "time_relative_day", "time_default", "time_inherited", "time_span",
    "undated", "days_0", "days_1", "days_2_3", "days_4_7", "days_8_14", "days_15_plus",
    # who and how many
    "actor1_known", "actor1_state", "civilians_targeted", "claimed", "fatalities", "quantities",
    # the rest of the report
    "n_drafts", "rank", "same_place_other_kind", "merged", "is_lead", "lead_gap_1_3", "lead_gap_4_plus",
)

_EXPLICIT = {"time:explicit_date", "time:explicit_date_no_year", "time:explicit_range", "time:month_year",
             "time:holiday"}
_WEEKDAY = {"time:weekday_before_article", "time:weekday_is_article_day", "time:last_weekday",
            "time:by_weekday", "time:weekday_range"}
_RELATIVE_DAY = {"time:yesterday", "time:today", "time:last_night", "time:overnight", "time:days_ago",
                 "time:hours_ago", "time:day_before_yesterday", "time:past_n_hours"}
_DEFAULT = {"time:article_date_default"}
_INHERITED = {"time:inherited_same_kind", "time:paragraph_reference", "time:day_of_the_reports_lead"}
_AGGREGATE = re.compile(r"\b(\d[\d,]* (of|out of) \d[\d,]*|across the (country|region|front)|nationwide|in total|"
                        r"all over|throughout the|several regions|\d+ regions|dozens of (towns|villages|settlements)|"
                        r"(towns|villages|settlements|regions|cities) (across|in)\b|since the (start|beginning))",
                        re.IGNORECASE)
_EARLIER = re.compile(r"\b(previously|earlier (this|last|in)|had earlier|before that|last (week|month|year)|"
                      r"in recent (days|weeks|months)|over the past|in the past (week|month|year)|"
                      r"(weeks|months|years) ago|at the (start|beginning) of)\b", re.IGNORECASE)
_ONGOING = re.compile(r"\b(continu\w+|still|keep\w*|ongoing|under way|underway|daily|every day|almost every|"
                      r"constant\w*|regularly|repeatedly)\b", re.IGNORECASE)
_CASUALTIES = re.compile(r"\b(killed|killing|dead|died|wounded|injured|injuring|casualt\w+|toll)\b", re.IGNORECASE)
_PLURAL_PLACES = re.compile(r"\b(cities|towns|villages|settlements|regions|areas|oblasts|provinces)\b", re.IGNORECASE)


def _days_before(ref, event_date: str) -> int | None:
    import datetime as dt
    if not event_date:
        return None
    try:
        return (ref.date - dt.date.fromisoformat(event_date)).days
    except ValueError:
        return None


def draft_features(d: "Draft", ev: "Event", ctx: ReportContext) -> dict[str, float]:
    """The numbers :class:`Decider` weighs for one draft (names in :data:`FEATURES`)."""
    from . import taxonomy as tx
    from .mentions import in_quotes

    f: dict[str, float] = {"bias": 1.0}
    et, sub = ev.event_type, ev.sub_event_type
    f["type_battles"] = et == tx.BATTLES
    f["type_remote"] = et == tx.REMOTE
    f["type_vac"] = et == tx.VAC
    f["type_strategic"] = et == tx.STRATEGIC
    f["type_protest_riot"] = et in (tx.PROTESTS, tx.RIOTS)
    f["sub_clash"] = sub == "Armed clash"
    f["sub_territory"] = sub in TERRITORY
    f["sub_disrupted"] = sub == "Disrupted weapons use"
    f["sub_change"] = sub == "Change to group/activity"
    f["sub_air"] = sub == "Air/drone strike"
    classes = {m.cls for m in d.mentions}
    f["generic"] = bool(classes) and classes <= {"KILL", "ATTACK", "LOSSES"} and not any(
        r.startswith("type:weapon=") for m in d.mentions for r in m.reasons)
    f["cls_clash"] = "CLASH" in classes
    f["cls_capture"] = "CAPTURE" in classes
    f["cls_withdraw"] = "WITHDRAW" in classes
    f["cls_remote"] = bool(classes & {"REMOTE", "AIR", "EXPLOSION"})
    f["cls_kill"] = "KILL" in classes

    sents = {m.sentence.index: m.sentence for m in d.mentions}
    n_doc = max(1, len(ctx.sentences))
    first = min(sents)
    f["n_sentences"] = math.log1p(len(sents))
    f["max_weight"] = max(m.trigger.weight for m in d.mentions)
    f["verb_trigger"] = any(m.token.pos_ == "VERB" for m in d.mentions)
    f["first_sentence"] = first == 0
    f["position"] = first / n_doc
    first_para = min((s.paragraph for s in ctx.sentences), default=0)
    f["first_paragraph"] = min(s.paragraph for s in sents.values()) == first_para
    f["tense_present"] = d.tense == "present"
    text = " ".join(s.text for s in sents.values())
    f["cue_quote"] = any(in_quotes(m.sentence.text, m.token.idx) for m in d.mentions)
    f["cue_past_perfect"] = any(any(c.dep_ == "aux" and c.lower_ == "had" for c in m.token.children)
                                for m in d.mentions)
    f["cue_earlier"] = bool(_EARLIER.search(text))
    f["cue_aggregate"] = bool(_AGGREGATE.search(text))
    f["cue_plural_places"] = bool(_PLURAL_PLACES.search(text))
    f["cue_ongoing"] = bool(_ONGOING.search(text))
    f["cue_casualties"] = bool(_CASUALTIES.search(text))

    reasons = set(ev.reasons)
    topo = d.toponym
    place = topo.place if topo is not None else None
    f["place_alternative"] = d.alternative
    f["place_continued"] = "geo:continues_previous_event" in reasons
    f["place_only_settlement"] = "geo:only_settlement_in_story" in reasons
    f["place_antecedent"] = "geo:antecedent_of_definite_place_noun" in reasons
    f["place_only_town_of_region"] = "geo:only_town_of_region_in_story" in reasons
    feature = place.feature if place is not None else ""
    f["place_region"] = ev.geo_precision == 3 or feature in ("admin1", "admin2", "region")
    f["place_water"] = feature in ("river", "sea", "water", "reservoir", "lake", "island")
    f["place_facility"] = feature == "facility"
    f["place_near"] = ev.geo_precision == 2
    key = place_key(place) if place is not None else None
    f["place_count"] = math.log1p(ctx.place_counts.get(key, 0)) if key is not None else 0.0
    names = {n.lower() for n in ((place.name if place else ""), (topo.text if topo else "")) if n}
    f["place_in_title"] = any(n and n in ctx.title_lower for n in names)
    f["place_in_lead"] = key in ctx.lead_places if key is not None else False
    f["place_foreign"] = bool(place is not None and ctx.main_country and place.country != ctx.main_country)
    in_sentence = {place_key(t.place) for s in sents.values() for t in ctx.toponyms
                   if t.place is not None and s.start <= t.start < s.end and t.place.feature not in NO_SCENE_FEATURES}
    f["places_in_sentence"] = math.log1p(len(in_sentence))

    why = d.time_reason or (d.time.reason if d.time is not None else "")
    whys = {why, d.time.reason if d.time is not None else ""}
    f["time_explicit"] = bool(whys & _EXPLICIT)
    f["time_weekday"] = bool(whys & _WEEKDAY)
    f["time_relative_day"] = bool(whys & _RELATIVE_DAY)
    f["time_default"] = bool(whys & _DEFAULT)
    f["time_inherited"] = bool(whys & _INHERITED)
    f["time_span"] = (ev.time_precision or 1) > 1 and not f["time_default"]
    days = _days_before(ctx.reference, ev.event_date)
    f["undated"] = days is None
    if days is not None:
        f["days_0"] = days <= 0
        f["days_1"] = days == 1
        f["days_2_3"] = 2 <= days <= 3
        f["days_4_7"] = 4 <= days <= 7
        f["days_8_14"] = 8 <= days <= 14
        f["days_15_plus"] = days >= 15

    f["actor1_known"] = bool(ev.actor1)
    f["actor1_state"] = ev.inter1 == tx.INTER_STATE
    f["civilians_targeted"] = bool(ev.civilian_targeting)
    f["claimed"] = bool(ev.claimed_by)
    f["fatalities"] = ev.fatalities > 0
    f["quantities"] = math.log1p(len(ev.quantities))

    f["n_drafts"] = math.log1p(len(ctx.drafts))
    order = sorted(ctx.drafts, key=lambda x: min(m.sentence.index for m in x.mentions))
    f["rank"] = order.index(d) / max(1, len(order)) if d in order else 0.0
    f["same_place_other_kind"] = any(
        o is not d and o.toponym is not None and o.toponym.place is not None and key is not None and
        place_key(o.toponym.place) == key and o.family != d.family for o in ctx.drafts)
    f["merged"] = any(r.startswith("merge:") for r in reasons)
    # the report's lead event (told first) and how far this one's day is from it: "an attack earlier
    # this month" that the report recalls lies days before the happening it is about
    lead = order[0] if order else None
    f["is_lead"] = lead is d
    if lead is not None and lead is not d and lead.time is not None and d.time is not None and ev.event_date:
        gap = abs((lead.time.date - d.time.date).days)
        f["lead_gap_1_3"] = 1 <= gap <= 3
        f["lead_gap_4_plus"] = gap >= 4
    return {k: float(v) for k, v in f.items()}


def vector(feats: dict[str, float], names: Sequence[str] = FEATURES) -> list[float]:
    return [float(feats.get(n, 0.0)) for n in names]


class Decider:
    """The fitted decision: ``p = sigmoid(w . features)``; a draft is kept when ``p >= threshold``."""

    def __init__(self, record: dict[str, Any] | None) -> None:
        self.record = record
        if record is None:
            self.weights: dict[str, float] = {}
            self.threshold = 0.0
            return
        if record.get("format") != WEIGHTS_FORMAT:
            raise ValueError(f"decide weights: unknown format {record.get('format')!r}")
        unknown = set(record["weights"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"decide weights name features this code does not compute: {sorted(unknown)}")
        self.weights = {k: float(v) for k, v in record["weights"].items()}
        self.threshold = float(record["threshold"])

    @property
    def fitted(self) -> bool:
        return self.record is not None

    def probability(self, feats: dict[str, float]) -> float:
        z = sum(w * feats.get(k, 0.0) for k, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, feats: dict[str, float]) -> tuple[bool, str]:
        if not self.fitted:
            return True, "decide:no_model"
        p = self.probability(feats)
        return p >= self.threshold, (f"decide:p={p:.2f}" if p >= self.threshold else "decide:below_threshold")


@lru_cache(maxsize=4)
def load_decider(path: str | None = None) -> Decider:
    """The shipped decision weights (or ``path``); a missing file gives the rule-only decision."""
    p = Path(path) if path else WEIGHTS_PATH
    if not p.is_file():
        logger.info("no decision weights at %s: keeping every non-vague draft", p)
        return Decider(None)
    with open(p, encoding="utf-8") as fh:
        return Decider(json.load(fh))
