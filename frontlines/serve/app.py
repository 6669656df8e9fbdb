"""The HTTP API and the dashboard (FastAPI).

Every parameter is checked before it is used, and a bad one is a 400 with a message that says
what was wrong; filters never reach SQL as text (they select from the in-memory index, and the
few SQL look-ups bind their values).  Writes (``POST /api/articles``) are off unless a token is
configured, and need it on every request.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import io
import json
import logging
import math
import threading
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Sequence

from fastapi import FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from frontlines import __version__
from frontlines.store.query import (SORTS, Filters, QueryError, article_events, day_number, event_detail,
                                    fetch_events)

from .data import ServeData

log = logging.getLogger(__name__)

STATIC = Path(str(resources.files("frontlines.serve") / "static"))
FORMATS = ("json", "geojson", "csv", "parquet")
MAX_LIMIT = 10_000
MAX_TEXT = 200                      # characters in a text filter
MAX_UPLOAD = 5_000_000              # bytes in a POST body
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: {tiles}; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

TAGS = [
    {"name": "events", "description": "Coded events: filter, page, export; one event with its evidence."},
    {"name": "map", "description": "Aggregates for the map and charts, computed on the server."},
    {"name": "control", "description": "Territorial control: settlements and their controllers."},
    {"name": "articles", "description": "The reports behind the events; adding reports (needs a token)."},
]


class Problem(BaseModel):
    """What every 4xx answer carries: a message that says what was wrong."""

    error: str


def errors(*codes: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error codes, each with the Problem body."""
    text = {400: "A parameter is not valid; the message says which.", 401: "Missing or wrong token.",
            403: "Writes are off: the server has no token configured.", 404: "Not found.",
            409: "Ambiguous: the message lists the choices.", 413: "The body is too large.",
            415: "The body is neither JSON nor a file upload.",
            422: "Nothing was stored: every report was skipped (over its time budget, or the coder failed on it); "
                 "'skipped' says why."}
    return {c: {"model": Problem, "description": described.get(f"e{c}", text[c])} for c in codes}


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# ---------------------------------------------------------------------- parameter checks
def _text(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if len(value) > MAX_TEXT:
        raise BadRequest(f"{name} is longer than {MAX_TEXT} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{name} is not valid text") from None
    if "\x00" in value:
        raise BadRequest(f"{name} contains a NUL character")
    return value.strip() or None


def _many(values: list[str] | None, name: str) -> list[str]:
    out: list[str] = []
    for v in values or []:
        v = _text(v, name) or ""
        out += [p.strip() for p in v.split(",") if p.strip()]
    if len(out) > 50:
        raise BadRequest(f"{name}: at most 50 values")
    return out


def _date(value: str | None, name: str) -> str | None:
    value = _text(value, name)
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name}={value[:40]!r} is not a date in the form YYYY-MM-DD") from None
    if len(value) != 10:
        raise BadRequest(f"{name}={value[:40]!r} is not a date in the form YYYY-MM-DD")
    return day.isoformat()


def _bbox(value: str | None, name: str = "bbox") -> tuple[float, float, float, float] | None:
    value = _text(value, name)
    if value is None:
        return None
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise BadRequest(f"{name} must be four numbers: west,south,east,north (degrees)") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadRequest(f"{name}: coordinates must be finite numbers")
    if not (-90 <= south <= north <= 90):
        raise BadRequest(f"{name}: south and north must be latitudes from -90 to 90, south <= north")
    if not (-540 <= west <= 540 and -540 <= east <= 540):
        raise BadRequest(f"{name}: west and east must be longitudes (-180 to 180; up to 540 for a map "
                         f"panned round the world)")
    if east - west >= 360:
        west, east = -180.0, 180.0
    return _wrap(west), south, _wrap(east), north


def _wrap(lon: float) -> float:
    """A longitude past the antimeridian (a map panned round the world) brought into -180..180."""
    return lon if -180 <= lon <= 180 else ((lon + 180) % 360) - 180


def filters_from(since, until, bbox, country, admin1, event_type, sub_event_type, actor, claimed_by, claim_status,
                 min_sources, q) -> Filters:
    f = Filters(since=_date(since, "since"), until=_date(until, "until"), bbox=_bbox(bbox),
                country=_many(country, "country"), admin1=_many(admin1, "admin1"),
                event_type=_many(event_type, "event_type"), sub_event_type=_many(sub_event_type, "sub_event_type"),
                actor=_text(actor, "actor"), claimed_by=_text(claimed_by, "claimed_by"),
                claim_status=_many(claim_status, "claim_status"), min_sources=min_sources, q=_text(q, "q"))
    if f.since and f.until and f.since > f.until:
        raise BadRequest(f"since ({f.since}) is after until ({f.until})")
    return f


# Query parameters shared by the event, map and chart endpoints.
Since = Annotated[str | None, Query(description="Events on or after this day (YYYY-MM-DD).", max_length=MAX_TEXT)]
Until = Annotated[str | None, Query(description="Events on or before this day (YYYY-MM-DD).", max_length=MAX_TEXT)]
BBox = Annotated[str | None, Query(description="west,south,east,north in degrees.", max_length=MAX_TEXT)]
Many = Annotated[list[str] | None, Query(description="One or more values (repeat, or separate with commas); "
                                                     "case-insensitive.")]
Text = Annotated[str | None, Query(max_length=MAX_TEXT)]
MinSources = Annotated[int | None, Query(ge=1, le=10_000, description="At least this many independent sources.")]


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _record(ev, refs: dict[str, str]) -> dict[str, Any]:
    from frontlines.export import event_record

    rec = event_record(ev, refs)
    rec["date_end"] = ev.date_end
    rec["admin3"] = ev.admin3
    rec["region"] = ev.region
    return rec


def presented_secret(authorization: str | None) -> str:
    """The secret in an Authorization header: ``Bearer SECRET``, or ``Basic`` with SECRET as the
    password (what a browser sends once its user has answered the login prompt); else ""."""
    import base64
    import binascii

    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return ""
        return decoded.partition(":")[2]
    return ""


def token_matches(given: str, *tokens: str | None) -> bool:
    """Constant-time comparison of ``given`` with each configured token (every one is compared, so
    the time says nothing of which, if any, matched)."""
    given_bytes = given.encode("utf-8", "replace")
    matched = False
    for t in tokens:
        if t:
            matched |= hmac.compare_digest(given_bytes, t.encode("utf-8"))
    return bool(given) and matched


def create_app(db: str | Path, *, token: str | None = None, tile_url: str | None = None,
               tile_attribution: str = "", gazetteer: Any = None, pipeline: Any = None,
               read_token: str | None = None, cors_origins: Sequence[str] = (),
               max_body: int = MAX_UPLOAD) -> FastAPI:
    """The application serving ``db``.  ``token``: writes are allowed with it (and only then).
    ``read_token``: when given, every request (the dashboard too) needs it or the write token, as
    ``Authorization: Bearer TOKEN`` or as the password of the browser's login prompt (HTTP Basic,
    any user name); without it reads are open.  ``cors_origins``: origins whose pages may call the
    API from a browser (none by default).  ``max_body``: the largest request body, in bytes.
    ``tile_url``: an XYZ tile template for users who have a tile server (the built-in basemap
    is the world's countries, from the package).  ``gazetteer``/``pipeline``: for tests."""
    data = ServeData(db, gazetteer=gazetteer)
    state: dict[str, Any] = {"pipeline": pipeline}
    write_lock = threading.Lock()
    tiles_host = ""
    if tile_url:
        from urllib.parse import urlsplit

        parts = urlsplit(tile_url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"tile URL {tile_url!r} is not an http(s) URL template")
        tiles_host = f"{parts.scheme}://{parts.netloc.split('@')[-1]}".replace("a.", "*.", 1) if "{s}" in tile_url \
            else f"{parts.scheme}://{parts.netloc.split('@')[-1]}"
    csp = CSP.format(tiles=tiles_host).replace("  ", " ")

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        data.index()                    # build the index before the first request
        yield                           # (the store stays open: an app may be started again, as in tests)

    app = FastAPI(title="frontlines", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  openapi_tags=TAGS,
                  description="Coded conflict events with the evidence behind each: filter and page them, "
                              "aggregate them for maps and charts, see territorial control, read the reports.")
    app.state.data = data

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        if read_token and request.method != "OPTIONS" and not token_matches(
                presented_secret(request.headers.get("authorization")), read_token, token):
            response = _error(401, "this server's reads are closed: send 'Authorization: Bearer TOKEN' "
                                   "(or log in with the token as the password)")
            response.headers["WWW-Authenticate"] = 'Basic realm="frontlines", charset="UTF-8"'
        else:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["X-Total-Count", "X-Next-Cursor"], max_age=600)

    @app.exception_handler(BadRequest)
    async def bad_request(_request: Request, exc: BadRequest):
        return _error(exc.status, exc.message)

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        # an unknown path or method: the same {"error": ...} body as every other 4xx
        response = _error(exc.status_code, str(exc.detail))
        for k, v in (getattr(exc, "headers", None) or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(QueryError)
    async def bad_query(_request: Request, exc: QueryError):
        return _error(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return _error(400, "; ".join(problems) or "invalid request")

    # ------------------------------------------------------------------ pages
    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/config", tags=["map"], summary="What the dashboard needs to know about this server",
             responses=errors(400))
    def config() -> dict[str, Any]:
        index = data.index()
        return {"version": __version__, "events": index.size, "tile_url": tile_url or "",
                "tile_attribution": tile_attribution, "writes": bool(token),
                "first_day": None if index.first_day is None else _day_text(index.first_day),
                "last_day": None if index.last_day is None else _day_text(index.last_day),
                "types": [t for t in index.types.values if t]}

    # ------------------------------------------------------------------ events
    @app.get("/api/events", tags=["events"], summary="Events matching filters, a page at a time",
             responses={200: {"content": {"application/json": {}, "application/geo+json": {}, "text/csv": {},
                                          "application/vnd.apache.parquet": {}}}, **errors(400)})
    def events(since: Since = None, until: Until = None, bbox: BBox = None, country: Many = None,
               admin1: Many = None, event_type: Many = None, sub_event_type: Many = None, actor: Text = None,
               claimed_by: Text = None, claim_status: Many = None, min_sources: MinSources = None,
               q: Annotated[str | None, Query(max_length=MAX_TEXT, description="Words in the notes or the evidence "
                                                                               "(all of them).")] = None,
               sort: Annotated[str, Query(description="One of " + ", ".join(SORTS) + ".")] = "-event_date",
               cursor: Annotated[str | None, Query(max_length=1000, description="next_cursor of the previous page")]
               = None,
               limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
               format: Annotated[str, Query(description="json, geojson, csv or parquet")] = "json") -> Response:
        """Filters combine with AND; a list filter matches any of its values. Pages follow each other
        through `next_cursor` (also in the `X-Next-Cursor` header), stable while events are added."""
        if format not in FORMATS:
            raise BadRequest(f"format must be one of {', '.join(FORMATS)}")
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        f = filters_from(since, until, bbox, country, admin1, event_type, sub_event_type, actor, claimed_by,
                         claim_status, min_sources, q)
        index = data.index()
        page = index.page(f, sort=sort, cursor=_text(cursor, "cursor"), limit=limit, text_source=data.text)
        evs = fetch_events(data.db, page.rowids, lock=data.lock)
        refs = data.store.article_refs({a for ev in evs for a in ev.article_ids})
        headers = {"X-Total-Count": str(page.total)}
        if page.next_cursor:
            headers["X-Next-Cursor"] = page.next_cursor
        if format == "json":
            return JSONResponse({"total": page.total, "count": len(evs), "next_cursor": page.next_cursor,
                                 "events": [_record(ev, refs) for ev in evs]}, headers=headers)
        if format == "parquet":
            from frontlines.export import ExportError, parquet_bytes

            try:
                body = parquet_bytes(evs, article_refs=refs)
            except ExportError as exc:
                raise BadRequest(str(exc), 501) from None
            return Response(body, media_type="application/vnd.apache.parquet", headers=headers)
        from frontlines.export import write_events

        out = io.StringIO()
        write_events(evs, format, out, article_refs=refs)
        if format == "csv":
            return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
        body = json.loads(out.getvalue())
        body.setdefault("properties", {}).update({"total": page.total, "next_cursor": page.next_cursor})
        return JSONResponse(body, media_type="application/geo+json", headers=headers)

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with everything behind it",
             responses=errors(400, 404, e404="No such event (or it was joined into another)."))
    def event(event_id: str) -> JSONResponse:
        """The record, its evidence sentences with character offsets and the supporting words, the
        reasons, every source article, the claims of each side, linked events, the merge history,
        and older versions of its reports that newer ones superseded."""
        eid = _text(event_id, "event_id") or ""
        ev = data.store.get_event(eid)
        if ev is None:
            with data.lock:
                row = None
                if _has_table(data, "fusion_parts"):
                    row = data.db.execute("SELECT event_id FROM fusion_parts WHERE part_id=? AND event_id IS NOT NULL",
                                          (eid,)).fetchone()
            if row:
                return _error(404, f"no event {eid!r}: it was joined into {row[0]}", now_part_of=row[0])
            return _error(404, f"no event {eid!r}")
        detail = event_detail(data.db, ev, lock=data.lock)
        refs = data.store.article_refs(ev.article_ids)
        sources = {s["article_id"]: s for s in detail.sources}
        rec = _record(ev, refs)
        for e in rec["evidence"]:
            s = sources.get(e.get("article_id", ""))
            e["source"] = s["source"] if s else ""
            e["title"] = s["title"] if s else ""
        versions = [s for s in detail.sources if s.get("superseded_by")]
        superseded_parts = [p for p in detail.parts if p.get("superseded_by")]
        return JSONResponse({"event": rec, "sources": detail.sources, "fusion": detail.fusion,
                             "parts": detail.parts, "claims": detail.claims, "links": detail.links,
                             "merge_history": detail.history,
                             "versions": versions + superseded_parts})

    # ------------------------------------------------------------------ map and charts
    @app.get("/api/map", tags=["map"], summary="Events in a map view: clusters, or points when few",
             responses=errors(400))
    def map_view(bbox: Annotated[str, Query(description="The view: west,south,east,north in degrees.",
                                            max_length=MAX_TEXT)],
                 zoom: Annotated[int, Query(ge=0, le=22)],
                 since: Since = None, until: Until = None, country: Many = None,
                 admin1: Many = None, event_type: Many = None, sub_event_type: Many = None, actor: Text = None,
                 claimed_by: Text = None, claim_status: Many = None, min_sources: MinSources = None,
                 q: Text = None) -> JSONResponse:
        """Aggregated on the server by view and zoom, so the browser never receives more than a
        few thousand features: clusters `[lat, lon, count, fatalities, {type code: count}]`, or
        points `[event_id, lat, lon, type code, fatalities, day number, claim_status]`; type codes
        index `types`."""
        view = _bbox(bbox)
        if view is None:
            raise BadRequest("bbox is required")
        f = filters_from(since, until, None, country, admin1, event_type, sub_event_type, actor, claimed_by,
                         claim_status, min_sources, q)
        return JSONResponse(data.index().grid(f, view, zoom, text_source=data.text))

    @app.get("/api/histogram", tags=["map"], summary="Events per day and type, for the time brush",
             responses=errors(400))
    def histogram(bbox: BBox = None, country: Many = None, admin1: Many = None, event_type: Many = None,
                  sub_event_type: Many = None, actor: Text = None, claimed_by: Text = None, claim_status: Many = None,
                  min_sources: MinSources = None, q: Text = None) -> JSONResponse:
        """Over the whole time range (no date filter), with the other filters applied."""
        f = filters_from(None, None, bbox, country, admin1, event_type, sub_event_type, actor, claimed_by,
                         claim_status, min_sources, q)
        return JSONResponse(data.index().histogram(f, text_source=data.text))

    @app.get("/api/stats", tags=["map"], summary="Counts and fatalities by day, type, province and country",
             responses=errors(400))
    def stats(since: Since = None, until: Until = None, bbox: BBox = None, country: Many = None,
              admin1: Many = None, event_type: Many = None, sub_event_type: Many = None, actor: Text = None,
              claimed_by: Text = None, claim_status: Many = None, min_sources: MinSources = None,
              q: Text = None) -> JSONResponse:
        f = filters_from(since, until, bbox, country, admin1, event_type, sub_event_type, actor, claimed_by,
                         claim_status, min_sources, q)
        return JSONResponse(data.index().stats(f, text_source=data.text))

    # ------------------------------------------------------------------ control
    @app.get("/api/control", tags=["control"], summary="Settlements and their controller on a day",
             responses=errors(400))
    def control_on(on: Annotated[str, Query(description="The day (YYYY-MM-DD).", max_length=MAX_TEXT)],
                   region: Annotated[str | None, Query(max_length=MAX_TEXT,
                                                       description="A province (admin1) or country.")] = None,
                   include_guessed_dates: bool = False) -> JSONResponse:
        """Each settlement's last change of control on or before the day, with its date, the
        events that evidence it and their reasons (as `frontlines control --on`)."""
        from frontlines import control as ctl

        day = _date(on, "on")
        if day is None:
            raise BadRequest("on is required")
        reg = _text(region, "region")
        rows = data.cached(("on", day, reg, include_guessed_dates), lambda: ctl.control_on(
            data.store, day, region=reg, include_guessed_dates=include_guessed_dates, gazetteer=data.gazetteer))
        return JSONResponse({"on": day, "region": reg, "settlements": rows})

    @app.get("/api/control/{place}", tags=["control"], summary="Who controlled a settlement since when",
             responses=errors(400, 404, 409, e404="No place has that name.",
                              e409="The name is shared by several settlements; the message lists them."))
    def control_place(place: str, include_guessed_dates: bool = False) -> JSONResponse:
        """Any spelling the gazetteer knows (Izium, Izyum, Ізюм), "Name, Province", or a geonameid;
        a province lists the changes of its settlements."""
        from frontlines import control as ctl

        name = _text(place, "place")
        if not name:
            raise BadRequest("place is empty")
        try:
            match = data.cached(("place", name, include_guessed_dates), lambda: ctl.find_place(
                data.store, name, include_guessed_dates=include_guessed_dates, gazetteer=data.gazetteer))
        except ctl.ControlError as exc:
            return _error(404 if exc.code == "E611" else 409, str(exc), code=exc.code)
        places = [{"name": p.name, "feature": p.feature, "admin1": p.admin1, "country": p.country,
                   "geonameid": p.geonameid, "latitude": p.latitude, "longitude": p.longitude}
                  for p in match.places]
        return JSONResponse({"query": match.query, "status": match.status, "places": places,
                             "changes": [c.to_full_dict() for c in match.changes],
                             "left_out": [{"event_id": e, "reason": r} for e, r in match.left_out]})

    # ------------------------------------------------------------------ articles
    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One report: its text and its events",
             responses=errors(400, 404, e404="No such article."))
    def article(article_id: str) -> JSONResponse:
        aid = _text(article_id, "article_id") or ""
        a = data.store.get_article(aid)
        if a is None:
            return _error(404, f"no article {aid!r}")
        from frontlines.store import user_ref

        with data.lock:
            row = data.db.execute("SELECT superseded_by FROM articles WHERE article_id=?", (aid,)).fetchone()
        return JSONResponse({"article_id": a.article_id, "ref": user_ref(a.meta), "title": a.title, "url": a.url,
                             "source": a.source, "date": a.date.isoformat() if a.date else None,
                             "date_reason": a.date_reason, "superseded_by": row[0] if row else None,
                             "text": a.text, "events": article_events(data.db, aid, lock=data.lock)})

    @app.post("/api/articles", tags=["articles"], status_code=201, summary="Add reports (needs the token)",
              responses={200: {"description": "Every report was already stored."},
                         201: {"description": "Reports coded and stored."},
                         **errors(400, 401, 403, 413, 415, 422, e400="Nothing in the body could be read as a report.")},
              openapi_extra={"requestBody": {"content": {
                  "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                      "text": {"type": "string"}, "date": {"type": "string", "format": "date"},
                      "title": {"type": "string"}, "url": {"type": "string"}, "source": {"type": "string"},
                      "id": {"type": "string"}}}},
                  "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                      "file": {"type": "string", "format": "binary"},
                      "date": {"type": "string", "format": "date"}}}}}}})
    async def add_articles(request: Request,
                           authorization: Annotated[str | None, Header(max_length=MAX_TEXT)] = None) -> JSONResponse:
        """A JSON report `{text, date, title, url, source, id}` or a file upload (`file`, in any
        format `frontlines run` reads; `date` for reports without one). Each report is coded,
        stored and fused as `frontlines run` does. Send `Authorization: Bearer TOKEN`."""
        if not token:
            return _error(403, "writes are off: start the server with a token (--token-file or "
                               "FRONTLINES_TOKEN) to add reports")
        if not token_matches(presented_secret(authorization), token):
            return _error(401, "a valid token is required: send 'Authorization: Bearer TOKEN'")
        size = request.headers.get("content-length")
        if size and (not size.isdigit() or int(size) > max_body):
            return _error(413, f"the body is over {max_body} bytes")
        text, origin, default_date, extra = await _read_body(request, max_body)
        import anyio

        return await anyio.to_thread.run_sync(lambda: _ingest(data, state, write_lock, text, origin, default_date,
                                                              extra))

    return app


def _day_text(n: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=n)).isoformat()


def _has_table(data: ServeData, name: str) -> bool:
    return data.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


async def _bounded_body(request: Request, limit: int) -> bytes:
    """The request body, read a chunk at a time and refused (413) as soon as it passes ``limit``
    bytes: a body sent without a Content-Length (chunked) cannot fill the server's memory."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadRequest(f"the body is over {limit} bytes", 413)
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body                 # (Starlette reads a form from here once the stream is consumed)
    return body


async def _read_body(request: Request, limit: int = MAX_UPLOAD) -> tuple[str, str, dt.date | None, dict[str, Any]]:
    """(text, origin, default date, fields) of a JSON report or an uploaded file."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _bounded_body(request, limit)
    if kind == "application/json":
        try:
            doc = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("the body is not valid JSON") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str) or not doc["text"].strip():
            raise BadRequest("send a JSON object with a non-empty 'text' (and 'date', 'title', 'url', 'source')")
        extra = {k: doc[k] for k in ("title", "url", "source", "id") if isinstance(doc.get(k), (str, int))}
        return doc["text"], "<api>", _body_date(doc.get("date")), {**extra, "date": doc.get("date")}
    if kind == "multipart/form-data":
        from starlette.datastructures import UploadFile

        try:
            form = await request.form(max_files=1, max_fields=10)
        except Exception:                      # malformed multipart: the parser's own errors vary
            raise BadRequest("the multipart body could not be read") from None
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequest("send the report as a file field named 'file'")
        raw = await upload.read()
        from frontlines.ingest.decode import decode_bytes

        decoded = decode_bytes(raw)
        text = getattr(decoded, "text", None)
        if not text:
            raise BadRequest(f"{upload.filename or 'the file'} could not be read as text")
        date_field = form.get("date")
        return text, Path(upload.filename or "upload").name, _body_date(
            date_field if isinstance(date_field, str) else None), {}
    raise BadRequest("send application/json or multipart/form-data", 415)


def _body_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise BadRequest("date must be a string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise BadRequest(f"date {value[:40]!r} is not in the form YYYY-MM-DD") from None


def _ingest(data: ServeData, state: dict[str, Any], lock: threading.Lock, text: str, origin: str,
            default_date: dt.date | None, extra: dict[str, Any]) -> JSONResponse:
    from frontlines.fusion import store_and_fuse
    from frontlines.ingest import read_text
    from frontlines.pipeline import CodingError, split_results

    if origin == "<api>":
        from frontlines.ingest import make_article_id
        from frontlines.records import Article

        if default_date is None:
            raise BadRequest("a JSON report needs its publication 'date' (YYYY-MM-DD)")
        meta = {"id": extra["id"]} if "id" in extra else {}
        url = str(extra.get("url", ""))
        articles = [Article(article_id=make_article_id(text, url), text=text, date=default_date,
                            title=str(extra.get("title", "")), url=url, source=str(extra.get("source", "")),
                            origin="<api>", date_reason="date:api", meta=meta)]
        problems = []
    else:
        from frontlines.ingest import EXTENSIONS

        fmt = EXTENSIONS.get(Path(origin).suffix.lower(), "text")
        articles, problems = split_results(read_text(text, origin, fmt=fmt, default_date=default_date))
    if not articles:
        raise BadRequest("; ".join(f"[{p.code}] {p.message}" for p in problems) or "no report found in the body")
    with lock:
        if state["pipeline"] is None:
            from frontlines.pipeline import Pipeline

            state["pipeline"] = Pipeline()
        pipeline = state["pipeline"]
        stored, already = [], []
        for a in articles:
            if data.store.has_article(a.article_id):
                already.append(a.article_id)
                continue
            try:
                result = pipeline.code_article(a)
            except CodingError as exc:         # over its time budget, or the coder failed on it
                problems.append(exc.problem())
                continue
            # stored and fused in one transaction (as `frontlines run` does): a server killed midway
            # leaves the report stored and fused, or not stored
            if store_and_fuse(data.store, result.article, result.events) is None:
                already.append(a.article_id)       # stored meanwhile by another writer
                continue
            stored.append({"article_id": a.article_id,
                           "events": article_events(data.db, a.article_id, lock=data.lock)})
        data.refresh_now()
    status = 201 if stored else 200 if already else 422
    return JSONResponse({"stored": stored, "already_stored": already,
                         "skipped": [{"code": p.code, "message": p.message} for p in problems]}, status_code=status)
