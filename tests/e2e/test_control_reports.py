"""Control timelines from reports written for these tests, through the real coder and fusion."""
from __future__ import annotations

import datetime as dt

import pytest

from frontlines.records import Article

pytestmark = pytest.mark.e2e

# Reports about the province's advances in October, and the city's own return in November.
REPORTS = [
    ("2022-10-03", "Ukraine pushes south",
     "Ukrainian forces have broken through Russian lines in the Kherson region and retaken several "
     "villages, officials said on Monday. The advance brings Ukrainian units closer to the city of "
     "Kherson, which Russian forces seized in March."),
    ("2022-10-04", "Southern front",
     "Ukrainian troops liberated settlements in Kherson Oblast on Tuesday, the general staff said. "
     "Russia's defence ministry acknowledged that its forces had withdrawn from positions in the Kherson "
     "region. Kherson residents said Russian soldiers remained in the city."),
    ("2022-10-05", "Gains in the south",
     "Ukraine regained control of 400 square kilometres in the Kherson region on Wednesday, the "
     "president said."),
    ("2022-11-11", "Ukrainian troops enter Kherson",
     "Ukrainian troops entered the city of Kherson on Friday after Russian forces withdrew across the "
     "river, officials said."),
]


@pytest.fixture(scope="module")
def store(pipeline, tmp_path_factory):
    from frontlines.fusion import fuse_article
    from frontlines.store import open_store

    s = open_store(tmp_path_factory.mktemp("control") / "k.db")
    for i, (day, title, text) in enumerate(REPORTS):
        article = Article(article_id=f"k{i}", text=text, date=dt.date.fromisoformat(day), title=title,
                          origin="test", date_reason="date:field")
        s.add_article(article, pipeline.code_article(article).events)
        fuse_article(s, article.article_id)
    yield s
    s.close()


def test_the_city_changes_hands_on_its_own_reports_not_its_provinces(store):
    from frontlines.control import find_place

    match = find_place(store, "Kherson")
    assert match.status == "control:place_resolved" and match.places[0].feature in ("settlement", "capital")
    assert [(c.date, c.controller) for c in match.changes] == [("2022-11-11", "Ukraine")]
    assert find_place(store, "Херсон").changes == match.changes
