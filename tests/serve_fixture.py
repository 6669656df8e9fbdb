"""A small frontlines database built by hand (no model, no gazetteer), for the API, dashboard and
report tests: events of four types over two months in eastern Ukraine, a disputed claim with
both sides' versions, a fused event with two sources, and an article whose text holds markup
(``<script>``, ``<img onerror>``) that must be shown as text everywhere."""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from frontlines.records import Article, Event
from frontlines.store import open_store

PLACES = [  # name, admin1, lat, lon, geonameid
    ("Izium", "Kharkiv Oblast", 49.2128, 37.2569, 707244),
    ("Kupiansk", "Kharkiv Oblast", 49.7106, 37.6159, 704422),
    ("Balakliia", "Kharkiv Oblast", 49.4627, 36.8598, 712886),
    ("Bakhmut", "Donetsk Oblast", 48.5953, 38.0003, 712165),
    ("Lyman", "Donetsk Oblast", 48.9889, 37.8022, 703244),
    ("Kherson", "Kherson Oblast", 46.6354, 32.6169, 706448),
    ("Zaporizhzhia", "Zaporizhzhia Oblast", 47.8229, 35.1903, 687700),
    ("Belgorod", "Belgorod Oblast", 50.5977, 36.5858, 578072),
]
KINDS = [  # event_type, sub_event_type, trigger word
    ("Battles", "Armed clash", "fought"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelled"),
    ("Explosions/Remote violence", "Air/drone strike", "struck"),
    ("Violence against civilians", "Attack", "attacked"),
    ("Strategic developments", "Looting/property destruction", "looted"),
]
ACTORS = ["Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)"]
START = dt.date(2022, 9, 1)
DAYS = 60

SCRIPT_TEXT = ('date 2022-09-20 Strange report\n'
               'Shelling hit Kupiansk <script>window.__pwned = 1; document.title = "pwned"</script> '
               'on Monday, the <b>mayor</b> said. <img src=x onerror="window.__pwned = 2"> Two people were killed.')
SCRIPT_EVENT = "UKRSCRIPT0001"
DISPUTED_EVENT = "UKRDISPUTE001"
FUSED_EVENT = "UKRFUSED00001"


def _event(eid: str, day: dt.date, place, kind, article: Article, sentence: str, *, fatalities=0,
           claimed_by="", claim_status="reported", actor1=ACTORS[0], actor2=ACTORS[1], notes="",
           confidence=0.8) -> Event:
    name, admin1, lat, lon, gid = place
    etype, sub, trig = kind
    start = article.text.index(sentence)
    t = sentence.index(trig) if trig in sentence else 0
    tw = trig if trig in sentence else sentence.split()[0]
    return Event(event_id=eid, event_date=day.isoformat(), time_precision=1, event_type=etype, sub_event_type=sub,
                 disorder_type="Political violence", actor1=actor1, actor2=actor2, inter1=8, inter2=1,
                 country="Russia" if admin1 == "Belgorod Oblast" else "Ukraine", iso=804, admin1=admin1,
                 location=name, latitude=lat, longitude=lon, geo_precision=1, fatalities=fatalities,
                 notes=notes or f"On {day.isoformat()}, {actor1} {trig} in {name} ({admin1}).",
                 source=article.source, geonameid=gid, article_ids=[article.article_id], claimed_by=claimed_by,
                 claim_status=claim_status, confidence=confidence,
                 evidence=[{"article_id": article.article_id, "sentence": sentence, "start": start,
                            "end": start + len(sentence), "trigger": tw, "trigger_start": start + t,
                            "trigger_end": start + t + len(tw)}],
                 reasons=[f"type:trigger={tw}", "geo:named_in_sentence", "time:publication_day"])


def _article(aid: str, day: dt.date, text: str, source: str, ref: str = "") -> Article:
    return Article(article_id=aid, text=text, date=day, title=text.split("\n", 1)[0][16:] or "report",
                   url=f"https://news.example/{aid}", source=source, origin="fixture", date_reason="date:first_line",
                   meta={"id": ref} if ref else {})


def build(path: str | Path, *, n_random: int = 240, seed: int = 7) -> dict:
    """Write the fixture database at ``path``; returns what the tests need to know about it."""
    rng = random.Random(seed)
    store = open_store(path)
    info = {"events": 0, "by_type": {}, "fatalities": 0}

    def add(article: Article, events: list[Event]) -> None:
        store.add_article(article, events)
        for ev in events:
            info["events"] += 1
            info["by_type"][ev.event_type] = info["by_type"].get(ev.event_type, 0) + 1
            info["fatalities"] += ev.fatalities

    for i in range(n_random):
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        place = rng.choice(PLACES)
        kind = rng.choice(KINDS)
        source = rng.choice(["Kyiv Independent", "Reuters", "TASS", "Ukrainska Pravda"])
        sentence = f"Russian forces {kind[2]} positions near {place[0]} on {day.strftime('%A')}."
        text = f"date {day.isoformat()} Report {i}\n{sentence} Officials gave no further detail."
        art = _article(f"A{i:05d}", day, text, source, ref=f"doc-{i}")
        deaths = rng.choice([0, 0, 0, 1, 2, 5])
        add(art, [_event(f"UKR{i:010d}", day, place, kind, art, sentence, fatalities=deaths)])

    # an article whose text and fields carry markup
    day = dt.date(2022, 9, 19)
    art = _article("ASCRIPT", dt.date(2022, 9, 20), SCRIPT_TEXT, "<i>Evil</i> Outlet")
    sentence = SCRIPT_TEXT.split("\n", 1)[1].split(" Two people")[0]
    ev = _event(SCRIPT_EVENT, day, PLACES[1], ("Explosions/Remote violence", "Shelling/artillery/missile attack",
                                               "Shelling"), art, sentence, fatalities=2,
                actor1='<img src=x onerror="window.__pwned=3">Forces', claimed_by="<script>alert(1)</script>",
                claim_status="claimed", notes='Shelling <script>window.__pwned = 4</script> in Kupiansk.')
    add(art, [ev])

    # a disputed claim: each side's version
    day = dt.date(2022, 9, 10)
    ru = _article("ADISPUTE1", day, "date 2022-09-10 Defence ministry\nRussian forces repelled an attack near "
                                    "Balakliia and held the town, the defence ministry said.", "TASS")
    ua = _article("ADISPUTE2", day, "date 2022-09-10 General staff\nUkrainian forces captured Balakliia after "
                                    "fighting, the general staff said.", "Kyiv Independent")
    ev = _event(DISPUTED_EVENT, day, PLACES[2], ("Battles", "Armed clash", "repelled"), ru,
                "Russian forces repelled an attack near Balakliia and held the town, the defence ministry said.",
                claimed_by="Russian Ministry of Defence", claim_status="disputed")
    ev.article_ids.append(ua.article_id)
    s2 = "Ukrainian forces captured Balakliia after fighting, the general staff said."
    st = ua.text.index(s2)
    ev.evidence.append({"article_id": ua.article_id, "sentence": s2, "start": st, "end": st + len(s2),
                        "trigger": "captured", "trigger_start": st + s2.index("captured"),
                        "trigger_end": st + s2.index("captured") + len("captured")})
    ev.source = "TASS; Kyiv Independent"
    store.add_article(ua, [])
    add(ru, [ev])

    # a fused event with two sources (an older version of one report superseded by a newer one)
    day = dt.date(2022, 10, 1)
    a1 = _article("AFUSED1", day, "date 2022-10-01 Lyman\nUkrainian forces fought their way into Lyman on Saturday.",
                  "Reuters")
    a2 = _article("AFUSED2", day, "date 2022-10-01 Lyman falls\nUkrainian troops fought in Lyman and took the town.",
                  "BBC")
    ev = _event(FUSED_EVENT, day, PLACES[4], KINDS[0], a1, "Ukrainian forces fought their way into Lyman on Saturday.",
                actor1=ACTORS[1], actor2=ACTORS[0], fatalities=3)
    ev.article_ids.append(a2.article_id)
    ev.source = "Reuters; BBC"
    store.add_article(a2, [])
    add(a1, [ev])

    _fusion_tables(store)
    store.close()
    info.update(script_event=SCRIPT_EVENT, disputed_event=DISPUTED_EVENT, fused_event=FUSED_EVENT,
                first_day=START.isoformat(), last_day=(START + dt.timedelta(days=DAYS - 1)).isoformat())
    return info


def _fusion_tables(store) -> None:
    """What fusion records for the disputed and the fused event, written by hand."""
    from frontlines.fusion.schema import ensure_schema

    with store.transaction() as db:
        ensure_schema(db)
        db.execute("INSERT INTO fusion_events VALUES (?,?,?,?,?,?,?)",
                   (DISPUTED_EVENT, 2, 2, 2, "TASS; Kyiv Independent", 1, "2022-09-11T00:00:00+00:00"))
        db.execute("INSERT INTO fusion_events VALUES (?,?,?,?,?,?,?)",
                   (FUSED_EVENT, 2, 2, 2, "Reuters; BBC", 0, "2022-10-02T00:00:00+00:00"))
        claims = [
            (DISPUTED_EVENT, "P1", "ADISPUTE1", "Russian Ministry of Defence", "Russia", "claimed", "Armed clash",
             ACTORS[0], ACTORS[1], 0, "[]"),
            (DISPUTED_EVENT, "P2", "ADISPUTE2", "Ukrainian General Staff", "Ukraine", "claimed",
             "Government regains territory", ACTORS[1], ACTORS[0], 0, "[]"),
        ]
        db.executemany("INSERT INTO event_claims VALUES (?,?,?,?,?,?,?,?,?,?,?)", claims)
        for pid, aid, seq in (("P1", "ADISPUTE1", 1), ("P2", "ADISPUTE2", 2)):
            db.execute("INSERT INTO fusion_parts VALUES (?,?,?,?,?,?,?)",
                       (pid, aid, DISPUTED_EVENT, seq, json.dumps({"event_date": "2022-09-10",
                                                                   "location": "Balakliia"}), None, None))
        db.execute("INSERT INTO fusion_parts VALUES (?,?,?,?,?,?,?)",
                   ("P3", "AFUSED1", FUSED_EVENT, 3, json.dumps({"location": "Lyman"}), None, None))
        db.execute("INSERT INTO fusion_parts VALUES (?,?,?,?,?,?,?)",
                   ("P4", "AFUSED2", FUSED_EVENT, 4, json.dumps({"location": "Lyman"}), None, None))
        db.execute("INSERT INTO merges VALUES (?,?,?,?,?)",
                   (FUSED_EVENT, "P4", "join", "fuse:same_place+same_day", "2022-10-02T00:00:00+00:00"))
        db.execute("INSERT INTO event_links VALUES (?,?,?,?,?,?,?)",
                   (DISPUTED_EVENT, FUSED_EVENT, "consequence", "", "link:test", None, None))


if __name__ == "__main__":
    import sys

    print(json.dumps(build(sys.argv[1])))
