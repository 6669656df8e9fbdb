"""A synthetic backfill corpus: the dev corpus' sentences recombined into new reports.

Each report takes 3 to 6 sentences of the dev corpus at random (from different reports), moves
every town the sentences name to one town chosen for the report (so the same sentence tells of
different places), and gets a publication date in the two years from 2022-02-24 and one of 2,000
outlets; no two reports have the same text, so their content ids differ.  Reports are written in
publication order, as a backfill reads them.

    python bench/synth_corpus.py 100000 -o corpus.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "war_news_dev.jsonl"

#: Settlements the dev corpus names, each replaced by the report's own town.
TOWNS = ("Kherson", "Kharkiv", "Zaporizhzhia", "Lyman", "Odesa", "Izium", "Soledar", "Bakhmut", "Belgorod",
         "Kupiansk", "Sevastopol", "Kramatorsk", "Uman", "Lviv", "Makiivka", "Kremenchuk", "Vinnytsia", "Robotyne",
         "Hroza", "Mariupol", "Lysychansk", "Olenivka", "Chaplino", "Chernihiv", "Mykolaiv", "Vuhledar",
         "Svatove", "Kursk", "Cherkasy", "Sloviansk", "Avdiivka", "Pokrovsk", "Kostiantynivka", "Toretsk",
         "Siversk", "Orikhiv", "Huliaipole", "Nikopol", "Enerhodar", "Balakliia", "Vovchansk", "Kupiansk",
         "Sumy", "Chuhuiv", "Melitopol", "Berdiansk", "Tokmak", "Marinka", "Vuhledar", "Horlivka")
START = dt.date(2022, 2, 24)
DAYS = 730
OUTLETS = 2000
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])")
_TOWN = re.compile(r"\b(" + "|".join(sorted(set(TOWNS), key=len, reverse=True)) + r")\b")


def sentences(path: Path = DEV) -> list[tuple[int, str]]:
    """(report number, sentence) of every dev report with a date, 6 to 60 words a sentence."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        if not rec.get("date"):
            continue
        for para in rec["text"].split("\n"):
            for s in _SENT.split(para.strip()):
                if 6 <= len(s.split()) <= 60:
                    out.append((n, s.strip()))
    return out


def reports(n: int, seed: int = 17, path: Path = DEV):
    """``n`` synthetic reports (dicts with id, date, title, text, source), in date order."""
    rng = random.Random(seed)
    pool = sentences(path)
    towns = sorted(set(TOWNS))
    dates = sorted(START + dt.timedelta(days=rng.randrange(DAYS)) for _ in range(n))
    for i, day in enumerate(dates):
        town = rng.choice(towns)
        picked = rng.sample(pool, rng.randint(3, 6))
        text = "\n\n".join(_TOWN.sub(town, s) for _n, s in picked)
        title = _TOWN.sub(town, picked[0][1])[:90]
        yield {"id": f"syn-{i:07d}", "date": day.isoformat(), "title": title, "text": text,
               "source": f"outlet{rng.randrange(OUTLETS):04d}.example"}


def write(n: int, out: Path, seed: int = 17) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in reports(n, seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    print(write(args.n, Path(args.output), args.seed))


if __name__ == "__main__":
    main()
