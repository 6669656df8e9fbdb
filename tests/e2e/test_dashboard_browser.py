"""The dashboard in headless Chromium (Debian's, driven by playwright with executable_path; no
browser is downloaded).  The page must work with no network: every request that leaves the
test server is refused and recorded.  Screenshots are kept in build/test-artifacts/ (or
$FRONTLINES_ARTIFACTS)."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import serve_fixture

pytestmark = pytest.mark.e2e
# the first control or stats query builds the server's index: on a busy CI machine that can take longer
# than httpx's 5-second default
SLOW_CALL = 60

CHROMIUM = os.environ.get("FRONTLINES_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(os.environ.get("FRONTLINES_ARTIFACTS", Path(__file__).resolve().parents[2] / "build" /
                                "test-artifacts"))


def _need_browser() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")


class LiveServer:
    """The app on a loopback port, in a thread of this process."""

    def __init__(self, app) -> None:
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def fixture_info(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash") / "fixture.db"
    info = serve_fixture.build(path)
    info["path"] = path
    return info


@pytest.fixture(scope="module")
def server(fixture_info):
    _need_browser()
    from frontlines.serve import create_app

    with LiveServer(create_app(fixture_info["path"])) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server, request):
    """A page that may reach the test server only; what else it asked for is in page.outside.
    The page's Content-Security-Policy is bypassed: playwright's waits evaluate script, and the
    escaping of article text must hold without the policy's help."""
    context = browser.new_context(viewport={"width": 1280, "height": 820}, bypass_csp=True)
    pg = context.new_page()
    pg.outside, pg.errors = [], []

    def only_local(route):
        if route.request.url.startswith(server.base + "/") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            pg.outside.append(route.request.url)
            route.abort()

    pg.route("**/*", only_local)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()


def _open(page, server, fragment: str = "") -> None:
    page.goto(f"{server.base}/{fragment}")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.wait_for_function("document.body.dataset.loading === '0'", timeout=30_000)


def _hash(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).fragment).items()}


def test_loads_offline_and_shows_every_fixture_event(page, server, fixture_info):
    _open(page, server, "#view=48.5,35.5,5")
    assert page.outside == [], page.outside              # nothing fetched from outside the server
    assert page.errors == []
    assert page.locator("body").get_attribute("data-map-mode") == "clusters"
    assert int(page.locator("body").get_attribute("data-map-total")) == fixture_info["events"]
    labels = page.locator(".ev-cluster .cluster").all_inner_texts()
    assert sum(int(t) for t in labels) == fixture_info["events"]
    assert page.locator("#feed-list li").count() == 50
    assert page.locator("path.leaflet-interactive, svg path").count() > 50        # the basemap's countries


def test_points_when_zoomed_in_are_coloured_by_type(page, server, fixture_info):
    _open(page, server, "#view=49.7106,37.6159,11")
    assert page.locator("body").get_attribute("data-map-mode") == "points"
    points = page.locator("path.ev-point")
    assert points.count() >= 1
    colours = {points.nth(i).get_attribute("fill") for i in range(points.count())}
    assert colours <= {"#d62728", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#1f77b4"}
    assert len(colours) > 1


def test_time_brush_filters_the_map_and_the_feed(page, server, fixture_info):
    import httpx

    _open(page, server, "#view=48.5,35.5,5")
    box = page.locator("#hist").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=5)
    page.mouse.up()
    page.wait_for_function("location.hash.includes('since=')")
    page.wait_for_function("document.body.dataset.loading === '0'")
    state = _hash(page)
    since, until = state["since"], state["until"]
    assert fixture_info["first_day"] < since <= until < fixture_info["last_day"]
    assert page.locator("#f-since").input_value() == since
    shown = int(page.locator("body").get_attribute("data-map-total"))
    want = httpx.get(f"{server.base}/api/stats", params={"since": since, "until": until}, timeout=SLOW_CALL).json()["events"]
    assert 0 < shown == want < fixture_info["events"]
    dates = [li.split(" · ")[0].strip() for li in page.locator("#feed-list li > div:first-child").all_inner_texts()]
    assert dates and all(since <= d <= until for d in dates)
    assert page.locator("#hist rect.brush").get_attribute("width") not in (None, "0")


def test_clicking_an_event_shows_highlighted_evidence_and_both_claims(page, server, fixture_info):
    _open(page, server, "#view=49.46,36.86,10")
    page.select_option("#f-claim", "disputed")
    page.wait_for_function("document.body.dataset.mapTotal === '1'")
    page.locator(f"#feed-list li[data-id='{fixture_info['disputed_event']}']").click()
    page.wait_for_selector("#evidence:not([hidden]) mark")
    marks = page.locator("#evidence blockquote.ev mark").all_inner_texts()
    assert marks[:2] == ["repelled", "captured"]
    assert page.locator("#evidence .claim").count() == 2
    claims = page.locator("#evidence .claim h4").all_inner_texts()
    assert claims == ["Russian Ministry of Defence (Russia)", "Ukrainian General Staff (Ukraine)"]
    assert "disputed" in page.locator("#evidence .disputed").inner_text()
    assert _hash(page)["event"] == fixture_info["disputed_event"]
    assert _hash(page)["claim"] == "disputed"


def test_clicking_a_point_on_the_map_opens_it(page, server, fixture_info):
    _open(page, server, "#view=49.7106,37.6159,12")
    page.locator("path.ev-point").first.click(force=True)
    page.wait_for_selector("#evidence:not([hidden]) mark")
    assert page.locator("#evidence").get_attribute("data-event") == _hash(page)["event"]


def test_markup_in_an_article_is_shown_as_text_and_never_run(page, server, fixture_info):
    _open(page, server, f"#event={fixture_info['script_event']}&view=49.7106,37.6159,9")
    page.wait_for_selector("#evidence:not([hidden]) blockquote.ev")
    quote = page.locator("#evidence blockquote.ev").first.inner_text()
    assert '<script>window.__pwned = 1; document.title = "pwned"</script>' in quote
    assert '<img src=x onerror="window.__pwned = 2">' in quote
    assert page.locator("#evidence mark").first.inner_text() == "Shelling"
    panel = page.locator("#evidence").inner_text()
    assert '<img src=x onerror="window.__pwned=3">Forces' in panel          # actor1
    assert "<script>alert(1)</script>" in panel                              # claimed by
    assert "<i>Evil</i> Outlet" in panel                                     # the outlet
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "frontlines"
    assert page.locator("#evidence script, #evidence img, #feed script, #feed img").count() == 0
    assert page.errors == []


def test_the_url_reproduces_the_view(page, server, fixture_info):
    import httpx

    fragment = "#view=48.6,36.5,6&types=Battles&since=2022-09-05&until=2022-09-25&sources=1"
    _open(page, server, fragment)
    assert page.locator("#types input[value='Battles']").is_checked()
    assert not page.locator("#types input[value='Strategic developments']").is_checked()
    assert page.locator("#f-since").input_value() == "2022-09-05"
    total = int(page.locator("body").get_attribute("data-map-total"))
    want = httpx.get(f"{server.base}/api/stats", params={"since": "2022-09-05", "until": "2022-09-25",
                                                         "event_type": "Battles"}, timeout=SLOW_CALL).json()["events"]
    assert total == want > 0
    state = _hash(page)
    assert state["types"] == "Battles" and state["since"] == "2022-09-05" and state["until"] == "2022-09-25"
    zoom = int(state["view"].split(",")[2])
    assert zoom == 6


def test_control_layer_colours_settlements_by_controller(browser, tmp_path, pipeline):
    """On reports coded by the real pipeline (examples/): Balakliia and Lyman change hands."""
    _need_browser()
    from frontlines.fusion import fuse_article
    from frontlines.ingest import read_sources
    from frontlines.pipeline import split_results
    from frontlines.serve import create_app
    from frontlines.store import open_store

    root = Path(__file__).resolve().parents[2]
    db = tmp_path / "examples.db"
    articles, _problems = split_results(read_sources([str(root / "examples")]))
    with open_store(db) as store:
        for result in pipeline.process(articles):
            store.add_article(result.article, result.events)
            fuse_article(store, result.article.article_id)
    with LiveServer(create_app(db)) as live:
        import httpx

        api = httpx.get(f"{live.base}/api/control", params={"on": "2022-10-05"}, timeout=SLOW_CALL).json()["settlements"]
        assert {(s["place"], s["controller"]) for s in api} >= {("Balakliia", "Ukraine"), ("Lyman", "Ukraine")}
        timeline = httpx.get(f"{live.base}/api/control/Balakliya", timeout=SLOW_CALL).json()      # another spelling
        assert timeline["status"] == "control:place_resolved" and timeline["changes"][0]["controller"] == "Ukraine"
        assert httpx.get(f"{live.base}/api/control/Nowhereville-on-Sea", timeout=SLOW_CALL).status_code == 404
        context = browser.new_context(viewport={"width": 1280, "height": 820}, bypass_csp=True)
        pg = context.new_page()
        pg.goto(f"{live.base}/#control=1&control_day=2022-10-05&view=49.2,37.3,8")
        pg.wait_for_selector("body[data-ready='1']", timeout=30_000)
        pg.wait_for_function("document.body.dataset.loading === '0'")
        points = pg.locator("path.ctl-point")
        assert points.count() == len([s for s in api if s["latitude"] is not None])
        assert {points.nth(i).get_attribute("stroke") for i in range(points.count())} == {"#1f5fbf"}
        # dispatched to the marker itself: a click at its screen point can land on an event cluster
        # drawn over it while the event layer is still settling (that made this test flaky)
        points.first.dispatch_event("click")
        popup = pg.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "controlled by Ukraine since" in popup.inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "test_control_layer.png"))
        before = pg.url
        pg.goto(f"{live.base}/#control=1&control_day=2022-09-01&view=49.2,37.3,8")
        pg.reload()
        pg.wait_for_selector("body[data-ready='1']")
        pg.wait_for_function("document.body.dataset.loading === '0'")
        assert pg.locator("path.ctl-point").count() == 0 and before != pg.url     # nobody had changed hands yet
        context.close()


def test_the_page_keeps_its_content_security_policy(browser, server, fixture_info):
    """With the policy enforced (no inline script, nothing from elsewhere), the page still works
    and the browser reports no violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 820})
    pg = context.new_page()
    messages: list[str] = []
    pg.on("console", lambda m: messages.append(m.text))
    pg.goto(f"{server.base}/#event={fixture_info['script_event']}&view=49.7106,37.6159,9")
    pg.wait_for_selector("body[data-ready='1']", timeout=30_000)
    pg.wait_for_selector("#evidence:not([hidden]) mark")
    assert not [m for m in messages if "Content Security Policy" in m], messages
    assert pg.title() == "frontlines"
    context.close()


def test_api_docs_render_from_the_package(page, server):
    page.goto(f"{server.base}/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.outside == []
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/events" in paths and "/api/control/{place}" in paths
