"""The scorers' metric helpers and parsers, on hand-made rows (no model, no ../shared)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from frontlines.evaluation import common, event_type as et, metrics as m, plover, ucdp
from frontlines.events import taxonomy as tx
from frontlines.records import Event
from frontlines.geo.distance import haversine_km


# ---------------------------------------------------------------------------------------- metrics
def test_prf_counts_and_zero_division():
    assert m.prf(2, 1, 1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert m.prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert m.prf(1, 0, 3) == pytest.approx((1.0, 0.25, 0.4))


def test_per_class_weighted_and_macro_f1_match_hand_computation():
    gold = ["A", "A", "A", "B", "B", "X", "X"]
    pred = ["A", "A", "B", "B", "none", "A", "none"]
    scores = {s.label: s for s in m.per_class_scores(gold, pred, ["A", "B", "C"])}
    # A: tp 2, fp 1 (the X row), fn 1 -> P 2/3, R 2/3; B: tp 1, fp 1, fn 1 -> 1/2, 1/2
    assert scores["A"].precision == pytest.approx(2 / 3) and scores["A"].recall == pytest.approx(2 / 3)
    assert scores["B"].f1 == pytest.approx(0.5)
    assert scores["C"].support == 0 and scores["C"].predicted == 0
    ws = list(scores.values())
    assert m.weighted_f1(ws) == pytest.approx((3 * 2 / 3 + 2 * 0.5) / 5)
    assert m.macro_f1(ws) == pytest.approx((2 / 3 + 0.5) / 2)     # C has no rows: left out


def test_per_class_rejects_length_mismatch():
    with pytest.raises(ValueError):
        m.per_class_scores(["A"], [], ["A"])


def test_confusions_ranked_and_accuracy():
    gold = ["A", "A", "A", "B", "B"]
    pred = ["B", "B", "A", "A", "C"]
    assert m.confusions(gold, pred) == [("A", "B", 2), ("B", "A", 1), ("B", "C", 1)]
    assert m.confusions(gold, pred, top=1) == [("A", "B", 2)]
    assert m.micro_accuracy(gold, pred) == pytest.approx(0.2)


def test_haversine_and_median():
    assert haversine_km(50.45, 30.52, 50.45, 30.52) == 0.0
    # Kyiv - Kharkiv is about 410 km
    assert 400 < haversine_km(50.4501, 30.5234, 49.9935, 36.2304) < 420
    # one degree of latitude is about 111 km
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.2, abs=0.2)
    assert m.median([]) is None
    assert m.median([3, 1, 2]) == 2
    assert m.median([4, 1, 2, 3]) == 2.5


def test_stratified_folds_balance_each_label():
    labels = ["a"] * 10 + ["b"] * 5 + ["c"] * 3
    folds = m.stratified_folds(labels, k=5, seed=1)
    assert len(folds) == len(labels) and set(folds) <= set(range(5))
    for lab in "abc":
        counts = [sum(1 for f, y in zip(folds, labels) if y == lab and f == k) for k in range(5)]
        assert max(counts) - min(counts) <= 1
    assert folds == m.stratified_folds(labels, k=5, seed=1)


# ---------------------------------------------------------------------------------------- common
def _ev(sub: str, conf: float = 0.5, **kw) -> Event:
    st = tx.BY_NAME[sub]
    return Event(sub_event_type=sub, event_type=st.event_type, plover_event=st.plover_event, confidence=conf, **kw)


def test_pick_event_strategies():
    evs = [_ev("Arrests", 0.9), _ev("Armed clash", 0.6), _ev("Attack", 0.6)]
    assert common.pick_event([], "confidence") is None
    assert common.pick_event(evs, "confidence").sub_event_type == "Arrests"
    assert common.pick_event(evs, "precedence").sub_event_type == "Armed clash"
    assert common.pick_event(evs, "violent").sub_event_type == "Armed clash"
    with pytest.raises(ValueError):
        common.pick_event(evs, "random")


def test_is_asserted_keeps_date_background_only():
    assert common.is_asserted(_ev("Attack", reasons=["time:x", "mode:dated_background"]))
    assert not common.is_asserted(_ev("Attack", reasons=["mode:will"]))
    assert not common.is_asserted(_ev("Attack", reasons=["mode:negated"]))
    assert common.is_asserted(_ev("Attack", reasons=[]))


def test_spread_is_even_and_stable():
    assert common.spread(range(10), 5) == [0, 2, 4, 6, 8]
    assert common.spread([1, 2], 5) == [1, 2]
    assert common.spread([1, 2, 3], None) == [1, 2, 3]


# ---------------------------------------------------------------------------------------- event type
def test_case_codes_cover_the_taxonomy_and_the_task():
    assert set(et.CASE_CODES) == {s.name for s in tx.SUB_EVENT_TYPES}
    assert len(set(et.ACLED_LABELS)) == 25
    assert not set(et.ACLED_LABELS) & set(et.NON_ACLED_LABELS)
    assert et.case_label(None) == et.NO_EVENT
    assert et.case_label(_ev("Shelling/artillery/missile attack")) == "ART_MISS_ATTACK"


def test_read_case_tsv_handles_quotes_and_limit(tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text('id\tEventSnippet\tSubType\n'
                    '1\tPolice arrested ten people.\tARREST\n'
                    '2\t"They said ""no"" to the deal; talks\tended"\tDIPLO\n'
                    '3\tTroops clashed.\tARMED_CLASH\n'
                    '\n', encoding="utf-8")
    rows = et.read_case_tsv(path)
    assert [(r.id, r.label) for r in rows] == [("1", "ARREST"), ("2", "DIPLO"), ("3", "ARMED_CLASH")]
    assert rows[1].text == 'They said "no" to the deal; talks\tended'
    assert [r.id for r in et.read_case_tsv(path, limit=2)] == ["1", "2"]


def test_read_case_tsv_without_header(tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text("7\tRebels seized the town.\tNON_STATE_ACTOR_OVERTAKES_TER\n", encoding="utf-8")
    assert [(r.id, r.label) for r in et.read_case_tsv(path)] == [("7", "NON_STATE_ACTOR_OVERTAKES_TER")]


def test_score_predictions_counts_false_events_against_precision():
    gold = ["ARREST", "ARREST", "ARMED_CLASH", "DIPLO", "NATURAL_DISASTER"]
    pred = ["ARREST", et.NO_EVENT, "ARMED_CLASH", "ARREST", et.NO_EVENT]
    r = et.score_predictions(gold, pred)
    arrest = next(s for s in r.per_class if s.label == "ARREST")
    assert (arrest.precision, arrest.recall) == pytest.approx((0.5, 0.5))
    assert r.weighted_f1 == pytest.approx((2 * 0.5 + 1 * 1.0) / 3)
    assert r.macro_f1 == pytest.approx(0.75)
    assert r.false_event_rate == pytest.approx(0.5)
    assert r.false_event_by_class["DIPLO"] == {"n": 1, "false_events": 1, "as": {"ARREST": 1}}
    assert r.detection_rate == pytest.approx(2 / 3)
    d = r.to_dict()
    assert {"weighted_f1", "macro_f1", "false_event_rate"} <= set(d)
    json.dumps(d)


# ---------------------------------------------------------------------------------------- ucdp
def test_ucdp_date_parsers():
    assert ucdp.parse_source_date("27/01/2014") == dt.date(2014, 1, 27)
    assert ucdp.parse_source_date("2014-01-22") == dt.date(2014, 1, 22)
    assert ucdp.parse_source_date("nonsense") is None
    assert ucdp.parse_ged_date("1/22/2014 12:00:00 AM") == dt.date(2014, 1, 22)
    assert ucdp.parse_ged_date("09/05/2022 00:00") == dt.date(2022, 9, 5)
    assert ucdp.parse_ged_date("2022-09-05") == dt.date(2022, 9, 5)


def test_ucdp_headlines_split_dedupe_and_placeholders():
    assert ucdp.split_headlines("Two killed in Donetsk;  Two killed in Donetsk ; - ;Shelling hits Avdiivka") == [
        "Two killed in Donetsk", "Shelling hits Avdiivka"]
    assert ucdp.split_headlines("-") == []


def test_ucdp_decode_mixed_encodings():
    raw = "id,h\n1,caf\u00e9\n".encode("utf-8") + b"2,it\x92s\n"
    text = ucdp.decode_bytes(raw)
    assert "caf\u00e9" in text and "it\u2019s" in text


def _rec(**kw) -> dict:
    base = {"id": "1", "source_headline": "Shelling kills two in Donetsk;Two dead in Donetsk shelling",
            "source_date": "2015-02-03;2015-02-04", "date_start": "2/2/2015 12:00:00 AM",
            "date_end": "2/3/2015 12:00:00 AM", "latitude": "48.0", "longitude": "37.8", "where_prec": "1",
            "best": "2", "low": "2", "high": "3", "where_description": "Donetsk city"}
    base.update(kw)
    return base


def test_ucdp_parse_row_and_text():
    row = ucdp.parse_row(_rec())
    assert row.report_date == dt.date(2015, 2, 3)
    assert (row.date_start, row.date_end) == (dt.date(2015, 2, 2), dt.date(2015, 2, 3))
    assert row.text == "Shelling kills two in Donetsk.\n\nTwo dead in Donetsk shelling."
    assert (row.best, row.low, row.high, row.where_prec) == (2, 2, 3, 1)
    assert ucdp.parse_row(_rec(date_start="")) is None


def test_ucdp_score_row_and_summary():
    row = ucdp.parse_row(_rec())
    hit = ucdp.score_row(row, [_ev("Arrests", 0.9), _ev("Shelling/artillery/missile attack", 0.6, event_date="2015-02-03",
                                                       latitude=48.05, longitude=37.8, fatalities=3)])
    assert hit.event.sub_event_type.startswith("Shelling")        # violent events first
    assert hit.date_ok and hit.fatalities_ok and hit.km < 25
    far = ucdp.score_row(ucdp.parse_row(_rec(where_prec="4")), [_ev("Attack", event_date="2015-02-05",
                                                                      latitude=50.45, longitude=30.52)])
    assert not far.date_ok and not far.fatalities_ok and far.km > 400 and not far.geo_scored
    miss = ucdp.score_row(row, [])
    rep = ucdp.summarise([hit, far, miss], skipped=2)
    assert rep.n == 3 and rep.n_geo == 2 and rep.skipped_no_headline == 2
    assert rep.coverage == pytest.approx(2 / 3)
    assert rep.date_exact == pytest.approx(1 / 3)
    assert rep.within_25km == pytest.approx(1 / 2)      # the miss counts, the where_prec 4 row does not
    assert rep.median_km == pytest.approx(hit.km)
    d = rep.to_dict()
    assert {"n", "date_exact", "within_25km", "median_km", "fatalities_exact"} <= set(d)
    json.dumps(d)


def test_read_ucdp_skips_rows_without_headlines(tmp_path):
    path = tmp_path / "ged.csv"
    cols = list(_rec())
    lines = [",".join(cols)]
    for rec in (_rec(), _rec(id="2", source_headline="-")):
        lines.append(",".join('"' + rec[c].replace('"', '""') + '"' for c in cols))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, skipped = ucdp.read_ucdp(path)
    assert [r.id for r in rows] == ["1"] and skipped == 1


# ---------------------------------------------------------------------------------------- plover
def test_plover_records_and_legacy_categories():
    recs = [{"id": "d", "event": "DOCUMENT", "eventText": "doc"},
            {"id": "a", "event": "FIGHT", "text": "Troops fought rebels."},
            {"id": "b", "event": "DISAPPROVE", "text": "X criticised Y."},
            {"id": "c", "event": "AGREE", "text": ""}]
    items = plover.parse_records(recs)
    assert [(i.id, i.event, i.raw_event) for i in items] == [("a", "ASSAULT", "FIGHT"), ("b", "ACCUSE", "DISAPPROVE")]
    assert plover.normalise_category("demand") == "REQUEST"


def test_plover_scores():
    gold = ["ASSAULT", "PROTEST", "REQUEST", "ACCUSE"]
    pred = ["ASSAULT", plover.NONE, plover.NONE, "ASSAULT"]
    r = plover.score_plover(gold, pred)
    assert r.accuracy == pytest.approx(0.25)          # "none" is never a gold category
    assert r.accuracy_reachable == pytest.approx(0.5) and r.n_reachable == 2
    assert r.false_event_rate == pytest.approx(0.5)
    assert "accuracy" in r.to_dict()


TABLE = """# comment line
03: AGREE
030: AGREE,  , diplomatic # Express intent to cooperate
05: SUPPORT
057: SUPPORT,  , diplomatic # Sign formal agreement
14: PROTEST
141: PROTEST, demo,               # Demonstrate or rally
17: COERCE
173: COERCE, arrest, legal            # Arrest
192: COERCE, seize, military          # Occupy territory
19: ASSAULT
190: ASSAULT, , military # Use conventional military force
193: ASSAULT, firearms, military # Fight with small arms
~~~~~
999: NOTHING, , # ignored
"""


def test_parse_cameo_table():
    entries = plover.parse_cameo_table(TABLE)
    codes = {e.code: e for e in entries}
    assert "999" not in codes
    assert codes["173"].category == "COERCE" and codes["173"].mode == "arrest" and codes["173"].context == "legal"
    assert codes["141"].mode == "demo" and codes["141"].description == "Demonstrate or rally"
    assert codes["19"].category == "ASSAULT"


def test_check_mapping_flags_disagreements():
    result = {d["sub_event_type"]: d for d in plover.check_mapping(plover.parse_cameo_table(TABLE))}
    assert len(result) == len(tx.SUB_EVENT_TYPES)
    assert result["Armed clash"]["status"] == "agree" and result["Armed clash"]["mode_in_table"] is True
    assert result["Arrests"]["status"] == "agree"
    assert result["Peaceful protest"]["status"] == "agree"
    assert result["Other"]["status"] == "unmapped"
    # our Agreement is AGREE with CAMEO root 05, which this table maps to SUPPORT
    agreement = tx.BY_NAME["Agreement"]
    if agreement.cameo_root == "05" and agreement.plover_event == "AGREE":
        assert result["Agreement"]["status"] == "disagree"


# ---------------------------------------------------------------------------------------- cli
@pytest.mark.parametrize("name", ["eval_event_type", "eval_ucdp", "eval_plover"])
def test_cli_reports_a_missing_data_file(name, tmp_path):
    from frontlines.evaluation import cli

    result = CliRunner().invoke(getattr(cli, name), ["--data", str(tmp_path / "nope.txt"), "--json"])
    assert result.exit_code != 0
    assert "no such data file" in result.output


def test_confusions_leave_out_correct_no_events():
    r = et.score_predictions(["DIPLO", "ARREST", "ATTRIB"], [et.NO_EVENT, et.NO_EVENT, "ATTACK"])
    assert [(g, p) for g, p, _n in r.confusions] == [("ARREST", et.NO_EVENT), ("ATTRIB", "ATTACK")]


def test_linear_classifier_learns_a_toy_task():
    from frontlines.evaluation.classifier import LinearTextClassifier, as_coder_label

    texts = ["police arrested protesters in the city", "police detained two activists", "officers arrested a man",
             "troops clashed with rebels near the town", "fighting between army and militants", "rebels clashed with soldiers",
             "an earthquake struck the coast", "a strong earthquake hit the island", "the quake killed people"] * 2
    labels = ["ARREST"] * 3 + ["ARMED_CLASH"] * 3 + ["NATURAL_DISASTER"] * 3
    clf = LinearTextClassifier().fit(texts, labels * 2)
    assert clf.predict(["police arrested activists", "soldiers clashed with militants", "earthquake hit"]) == [
        "ARREST", "ARMED_CLASH", "NATURAL_DISASTER"]
    assert as_coder_label("NATURAL_DISASTER") == et.NO_EVENT and as_coder_label("ARREST") == "ARREST"
