"""The whole-report scorer (``frontlines eval news``) on hand-made gold and system events."""
from __future__ import annotations

import json

import pytest

from frontlines.evaluation import news


def gold(**kw):
    base = dict(article_id="a1", event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack", event_date="2022-09-10", date_precision=1,
                location="Izium", admin1="Kharkiv Oblast", country="Ukraine", actor1="Military Forces of Russia (2000-)",
                fatalities=0, claimed_by="")
    base.update(kw)
    return news.GoldEvent.from_dict(kw.pop("index", 0), base)


def sys_event(**kw):
    base = dict(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                event_date="2022-09-10", location="Izyum", admin1="Kharkiv", admin2="", country="Ukraine",
                actor1="Military Forces of Russia (2000-)", fatalities=0, claimed_by="")
    base.update(kw)
    return base


@pytest.mark.parametrize("a,b", [("Izyum", "Izium"), ("Kupyansk", "Kupiansk"), ("Balakleya", "Balakliia"),
                                 ("Kiev", "Kyiv"), ("Kharkov", "Kharkiv"), ("Zaporozhye", "Zaporizhzhia"),
                                 ("Energodar", "Enerhodar"), ("Avdiyivka", "Avdiivka"), ("Przewodów", "Przewodow"),
                                 ("Kherson region", "Kherson Oblast"), ("Zaporizhzhya", "Zaporizhzhia")])
def test_transliterations_are_one_place(a, b):
    assert news.same_place(a, b)


@pytest.mark.parametrize("a,b", [("Kherson", "Kharkiv"), ("Lviv", "Lutsk"), ("Izium", "Kupiansk"), ("", "Kyiv")])
def test_different_places_stay_apart(a, b):
    assert not news.same_place(a, b)


def test_exact_day_needed_only_when_the_gold_states_the_day():
    assert news.matches(sys_event(), gold())
    assert not news.matches(sys_event(event_date="2022-09-11"), gold())
    assert news.matches(sys_event(event_date="2022-09-13"), gold(date_precision=2))
    assert not news.matches(sys_event(event_date="2022-09-14"), gold(date_precision=2))
    assert news.matches(sys_event(event_date=""), gold(event_date=None, date_precision=None))


def test_types_agree_by_sub_type_event_type_or_territory():
    air = sys_event(sub_event_type="Air/drone strike")
    assert news.matches(air, gold())                                    # same event type
    clash = sys_event(event_type="Battles", sub_event_type="Armed clash")
    assert not news.matches(clash, gold())
    transfer = sys_event(event_type="Strategic developments", sub_event_type="Non-violent transfer of territory")
    regain = gold(event_type="Battles", sub_event_type="Government regains territory")
    assert news.matches(transfer, regain)                               # both territory sub-types


def test_place_by_location_admin2_or_admin1_and_regions_by_province():
    assert news.matches(sys_event(location="Kharkiv", admin1="Kharkiv"), gold(location="Kharkiv"))
    assert news.matches(sys_event(location="Chuhuiv", admin1="Kharkiv"), gold(location="Kharkiv"))   # admin1 "Kharkiv"
    assert news.matches(sys_event(location="Kherson", admin1="Kherson"),
                        gold(location="Kherson region", admin1="Kherson Oblast"))
    assert not news.matches(sys_event(location="Kupyansk"), gold())


def test_report_reasons_for_misses_and_false_events():
    g = [gold(), gold(index=1, location="Kupiansk")]
    system = [sys_event(),                                         # matches Izium
              sys_event(event_date="2022-09-11"),                   # Izium again, wrong day: a duplicate
              sys_event(location="Lviv", admin1="Lviv"),              # right type and day, wrong place
              sys_event(event_type="Battles", sub_event_type="Armed clash")]
    res = news.score_report(system, g, "2022-09-12")
    assert [m != [] for m in res["match_of"]] == [True, False, False, False]
    assert [f["reason"] for f in res["false"]] == ["duplicate", "wrong_place", "no_gold_of_type"]
    assert [m["reason"] for m in res["missed"]] == ["wrong_place"]
    assert news.score_report([sys_event()], [], "2022-09-12")["false"][0]["reason"] == "negative_report"
    old = sys_event(event_date="2022-08-01", location="Kupyansk")
    assert news.score_report([old], [gold()], "2022-09-12")["false"][0]["reason"] == "background"


def test_score_counts_precision_recall_and_field_agreement():
    g = news.GoldSet({"a1": [gold(fatalities=3, claimed_by="the governor")], "a2": []},
                     {"a1": {"article_id": "a1", "pub_date": "2022-09-12"}, "a2": {"article_id": "a2"}})
    system = {"a1": [sys_event(fatalities=3, claimed_by="Governor"), sys_event(event_date="2022-09-09")],
              "a2": [sys_event()]}
    rep = news.score(system, g)
    assert (rep.system_events, rep.gold_events, rep.matched_system, rep.matched_gold) == (3, 1, 1, 1)
    assert rep.precision == pytest.approx(1 / 3) and rep.recall == 1.0
    assert rep.fatalities_agree == 1.0 and rep.claims_agree == 1.0 and rep.actor1_agree == 1.0
    d = rep.to_dict()
    for key in ("precision", "recall", "f1", "fatalities_agree", "claims_agree", "actor1_agree", "reports",
                "gold_events", "system_events"):
        assert key in d
    assert d["false_events"] == {"duplicate": 1, "negative_report": 1}   # Izium again on another day


def test_load_gold_reads_a_folder(tmp_path):
    (tmp_path / "x_gold_articles.jsonl").write_text(
        json.dumps({"article_id": "r1", "n_events": 1, "pub_date": "2022-03-01"}) + "\n"
        + json.dumps({"article_id": "r2", "n_events": 0, "pub_date": None}) + "\n", encoding="utf-8")
    (tmp_path / "x_gold_events.jsonl").write_text(json.dumps(dict(
        article_id="r1", event_type="Battles", sub_event_type="Armed clash", event_date="2022-03-01",
        date_precision=2, location="Irpin", admin1="Kyiv Oblast", country="Ukraine")) + "\n", encoding="utf-8")
    gs = news.load_gold(tmp_path)
    assert gs.n_events == 1 and set(gs.articles) == {"r1", "r2"} and gs.events["r2"] == []
    with pytest.raises(FileNotFoundError):
        news.load_gold(tmp_path / "nothing")
