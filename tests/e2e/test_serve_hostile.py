"""The server against a stranger: loopback by default, writes only with the token (compared in
constant time), reads closed when a read token is set, bounded bodies and pages, no CORS unless
asked, and injection strings in every filter answered with a 4xx or a normal result, never a 500,
with the database unchanged."""
from __future__ import annotations

import base64
import hashlib
import sqlite3

import pytest
from click.testing import CliRunner

import serve_fixture

pytestmark = pytest.mark.e2e

WRITE = "write-token-for-the-tests-0123456789"
READ = "read-token-for-the-tests-9876543210"

INJECTIONS = [
    "' OR 1=1 --", "' OR '1'='1", "\" OR \"\"=\"", "1; DROP TABLE events; --", "Battles'; DELETE FROM events; --",
    "') UNION SELECT sql, 1, 1 FROM sqlite_master --", "1' AND randomblob(1000000000) --",
    "'; ATTACH DATABASE '/tmp/pwned.db' AS p; CREATE TABLE p.t(x); --", "x'||(SELECT name FROM sqlite_master)||'",
    "%", "_", "%' --", "\\", "\\'", "'", "\"", ")", "(", ";", "--", "/*", "*/", "NULL", "null", "-1", "0", "1e309",
    "NaN", "[]", "{}", "$(touch /tmp/pwned)", "{{7*7}}", "${7*7}", "<script>alert(1)</script>", "../../etc/passwd",
    "2022-09-01' OR '1'='1", "2022-09-01; DROP TABLE events", "1,2,3,4) OR (1=1", "🚀", "\u202e", "a" * 300,
    "Battles,Riots' --", "event_date; DROP TABLE events", "-event_date' --",
]
EVENT_FILTERS = ["since", "until", "bbox", "country", "admin1", "event_type", "sub_event_type", "actor",
                 "claimed_by", "claim_status", "min_sources", "q", "sort", "format", "cursor", "limit"]
STATS_FILTERS = ["since", "until", "bbox", "country", "admin1", "event_type", "sub_event_type", "actor",
                 "claimed_by", "claim_status", "min_sources", "q"]
CONTROL_FILTERS = ["on", "region", "include_guessed_dates"]


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile-serve") / "fixture.db"
    info = serve_fixture.build(path, n_random=60)
    return path, info


def _client(path, **kw):
    from fastapi.testclient import TestClient

    from frontlines.serve import create_app

    return TestClient(create_app(path, **kw))


def _fingerprint(path) -> str:
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()


# ------------------------------------------------------------------ injection
def test_injection_strings_in_every_filter_are_text_never_sql(fixture_db):
    path, info = fixture_db
    before = _fingerprint(path)
    tried = 0
    with _client(path, token=WRITE) as c:
        def probe(url: str, params: dict) -> None:
            nonlocal tried
            r = c.get(url, params=params)
            tried += 1
            assert r.status_code < 500, (url, params, r.status_code, r.text[:300])
            assert r.status_code in (200, 400, 404, 409), (url, params, r.status_code)
            if r.status_code >= 400:
                assert r.json().get("error"), (url, params, r.status_code, r.text[:200])

        for payload in INJECTIONS:
            for name in EVENT_FILTERS:
                probe("/api/events", {name: payload})
            for name in STATS_FILTERS:
                probe("/api/stats", {name: payload})
            for name in CONTROL_FILTERS:
                probe("/api/control", {"on": "2022-10-01", name: payload})
            probe("/api/map", {"bbox": "30,44,40,52", "zoom": 6, "actor": payload, "q": payload})
            probe("/api/histogram", {"event_type": payload, "country": payload})
            for url in ("/api/events/", "/api/articles/", "/api/control/"):
                probe(url + payload.replace("/", "%2F"), {})
            # SQL in a text filter matches nothing rather than everything (a comma separates values)
            for name in ("event_type", "actor", "claimed_by", "country", "admin1", "claim_status"):
                r = c.get("/api/events", params={name: payload})
                if (r.status_code == 200 and len(payload) > 3 and "," not in payload
                        and any(k in payload for k in ("'", ";", "--"))):
                    assert r.json()["total"] == 0, (name, payload)
        assert c.get("/api/events").json()["total"] == info["events"]
    assert tried > 1500
    assert _fingerprint(path) == before                  # the database is unchanged


# ------------------------------------------------------------------ tokens
def _basic(secret: str, user: str = "analyst") -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def test_writes_need_the_write_token_and_nothing_else(fixture_db, monkeypatch):
    path, _ = fixture_db
    import hmac

    from frontlines.serve import app as app_module

    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(app_module.hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    before = _fingerprint(path)
    body = {"text": "Shelling hit Izium on Monday.", "date": "2022-09-12"}
    with _client(path, token=WRITE, read_token=READ) as c:
        for header in (None, "", "Bearer", "Bearer ", f"Bearer {WRITE[:-1]}", f"Bearer {WRITE}x", f"Bearer {WRITE.upper()}",
                       f"bearer  {WRITE[1:]}", f"Token {WRITE}", f"Bearer {READ}", _basic(READ), "Basic !!!",
                       f"Bearer {WRITE}\x00", b"Bearer " + "é".encode() * 40):
            headers = {} if header is None else {"Authorization": header}
            r = c.post("/api/articles", json=body, headers=headers)
            assert r.status_code == 401, (header, r.status_code)
        assert compared                                  # the comparison is hmac's constant-time one
        ok = c.post("/api/articles", content=b"{", headers={"Authorization": f"Bearer {WRITE}",
                                                             "Content-Type": "application/json"})
        assert ok.status_code == 400                     # past the token: the body is what is wrong
    assert _fingerprint(path) == before


def test_reads_can_be_closed_with_a_read_token(fixture_db):
    path, info = fixture_db
    with _client(path, token=WRITE, read_token=READ) as c:
        for url in ("/", "/api/events", "/api/stats", "/api/config", "/static/app.js", "/openapi.json", "/docs"):
            r = c.get(url)
            assert r.status_code == 401, url
            assert r.headers["WWW-Authenticate"].startswith("Basic realm=")     # the browser asks for it
            assert c.get(url, headers={"Authorization": "Bearer nope-nope-nope-nope"}).status_code == 401
        assert c.get("/api/events", headers={"Authorization": f"Bearer {READ}"}).json()["total"] == info["events"]
        assert c.get("/api/events", headers={"Authorization": _basic(READ)}).status_code == 200
        assert c.get("/", headers={"Authorization": _basic(READ, user="")}).status_code == 200
        assert c.get("/api/stats", headers={"Authorization": f"Bearer {WRITE}"}).status_code == 200
    with _client(path) as open_reads:                     # without a read token, reads are open
        assert open_reads.get("/api/events").status_code == 200


# ------------------------------------------------------------------ sizes
def test_bodies_and_pages_are_bounded(fixture_db):
    path, _ = fixture_db
    auth = {"Authorization": f"Bearer {WRITE}"}
    with _client(path, token=WRITE, max_body=10_000) as c:
        big = b'{"text": "' + b"x" * 20_000 + b'", "date": "2022-09-12"}'
        r = c.post("/api/articles", content=big, headers={**auth, "Content-Type": "application/json"})
        assert r.status_code == 413 and "10000 bytes" in r.json()["error"]

        sent = []

        def chunks():                                     # no Content-Length: sent chunked
            for _ in range(1000):
                sent.append(1)
                yield b"x" * 1000

        r = c.post("/api/articles", content=chunks(), headers={**auth, "Content-Type": "application/json"})
        assert r.status_code == 413
        files = {"file": ("big.txt", b"date 2022-09-12 x\n" + b"word " * 5000, "text/plain")}
        assert c.post("/api/articles", files=files, headers=auth).status_code == 413
        for limit in (0, -1, 10_001, 10**12):
            assert c.get("/api/events", params={"limit": limit}).status_code == 400
        assert c.get("/api/events", params={"limit": 10_000}).status_code == 200
        assert c.get("/api/events", params={"country": ",".join(["x"] * 51)}).status_code == 400


# ------------------------------------------------------------------ CORS
def test_cors_is_off_unless_an_origin_is_allowed(fixture_db):
    path, _ = fixture_db
    evil = {"Origin": "https://evil.example"}
    preflight = {**evil, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    with _client(path, token=WRITE) as c:
        assert "access-control-allow-origin" not in c.get("/api/events", headers=evil).headers
        r = c.options("/api/articles", headers=preflight)
        assert "access-control-allow-origin" not in r.headers and r.status_code >= 400
    with _client(path, token=WRITE, cors_origins=["https://analysts.example"]) as c:
        ok = c.get("/api/events", headers={"Origin": "https://analysts.example"})
        assert ok.headers["access-control-allow-origin"] == "https://analysts.example"
        assert "access-control-allow-origin" not in c.get("/api/events", headers=evil).headers
        assert "access-control-allow-origin" not in c.options("/api/articles", headers=preflight).headers


# ------------------------------------------------------------------ binding
def test_serve_binds_to_loopback_unless_host_says_otherwise(fixture_db, monkeypatch, tmp_path):
    import frontlines.serve as serve_pkg
    from frontlines.cli import main

    calls = []
    monkeypatch.setattr(serve_pkg, "run", lambda path, **kw: calls.append(kw))
    token_file = tmp_path / "read.token"
    token_file.write_text(READ + "\n")
    assert CliRunner().invoke(main, ["serve", "--db", str(fixture_db[0])]).exit_code == 0
    assert CliRunner().invoke(main, ["serve", "--db", str(fixture_db[0]), "--host", "0.0.0.0",
                                     "--read-token-file", str(token_file), "--cors-origin", "https://a.example",
                                     "--max-body", "20000"]).exit_code == 0
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["read_token"] is None and calls[0]["cors_origins"] == ()
    assert calls[1]["host"] == "0.0.0.0" and calls[1]["read_token"] == READ
    assert calls[1]["cors_origins"] == ("https://a.example",) and calls[1]["max_body"] == 20_000
    short = tmp_path / "short.token"
    short.write_text("short")
    bad = CliRunner().invoke(main, ["serve", "--db", str(fixture_db[0]), "--read-token-file", str(short)])
    assert bad.exit_code != 0 and "shorter than 16" in bad.output
    assert serve_pkg.is_loopback("127.0.0.1") and serve_pkg.is_loopback("::1") and not serve_pkg.is_loopback("0.0.0.0")
