"""Every endpoint against its OpenAPI description, with generated and hostile parameters
(schemathesis): answers are documented statuses, and never a server error."""
from __future__ import annotations

import pytest

import serve_fixture

pytestmark = pytest.mark.e2e

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

TOKEN = "schema-test-token-0123456789abcdef"


class _NoModel:
    """Stands in for the coder in this test only: what matters here is what the API does with
    the request (the coder itself is tested with the real model in test_serve_api)."""

    def code_article(self, article):
        from frontlines.pipeline import ArticleResult

        return ArticleResult(article, [])


def _app():
    import tempfile
    from pathlib import Path

    from frontlines.serve import create_app

    path = Path(tempfile.mkdtemp(prefix="frontlines-schema-")) / "fixture.db"
    serve_fixture.build(path, n_random=60)
    return create_app(path, token=TOKEN, pipeline=_NoModel())


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance]


@pytest.fixture(scope="module", autouse=True)
def _index_built():
    APP.state.data.index()
    yield


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_as_documented(case):
    case.call_and_validate(checks=CHECKS)


@schema.include(method="POST").parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_writes_with_the_token_never_fail_on_the_server(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)


HOSTILE = [
    "' OR '1'='1", "1; DROP TABLE events; --", "\" UNION SELECT * FROM articles --", "%00", "\u202e", "𝔘𝔨𝔯",
    "../../etc/passwd", "<script>alert(1)</script>", "a" * 200, "-1e308", "NaN", "Infinity", "{}", "[]",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("path, name", [
    ("/api/events", "since"), ("/api/events", "bbox"), ("/api/events", "country"), ("/api/events", "actor"),
    ("/api/events", "q"), ("/api/events", "cursor"), ("/api/events", "sort"), ("/api/events", "min_sources"),
    ("/api/map", "bbox"), ("/api/stats", "until"), ("/api/histogram", "claim_status"), ("/api/control", "on"),
])
def test_hostile_values_are_answered_not_crashed(value, path, name):
    from fastapi.testclient import TestClient

    params = {name: value}
    if path == "/api/map" and name != "bbox":
        params.update(bbox="-180,-85,180,85", zoom=3)
    if path == "/api/map":
        params.setdefault("zoom", 3)
    with TestClient(APP) as c:
        r = c.get(path, params=params)
    assert r.status_code < 500, (path, params, r.text)
    if r.status_code >= 400:
        assert r.json()["error"]


@pytest.mark.parametrize("value", ["Izium", "' OR 1=1 --", "<script>", "%2e%2e", "99999999999999999999", " , "])
def test_hostile_ids_and_places(value):
    from fastapi.testclient import TestClient

    with TestClient(APP) as c:
        for path in (f"/api/events/{value}", f"/api/articles/{value}", f"/api/control/{value}"):
            r = c.get(path)
            assert r.status_code < 500, (path, r.text)
            assert r.status_code in (200, 400, 404, 409)
