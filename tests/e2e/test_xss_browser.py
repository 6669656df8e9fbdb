"""Article text is escaped everywhere it is shown: a report whose text and fields carry script,
event-handler and javascript: payloads goes into the dashboard's evidence panel and feed and into
the HTML report (`frontlines report -o x.html`), both opened in Debian's headless Chromium; no
payload runs, no dialog opens, and no element with an event handler or a javascript: link exists.
The dashboard page's Content-Security-Policy is bypassed, so the escaping itself is what is tested."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

import serve_fixture
from test_dashboard_browser import CHROMIUM, FLAGS, LiveServer, _need_browser

pytestmark = pytest.mark.e2e

PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "<a href=\"javascript:window.__pwned='link'\">read more</a>",
    "<body onload=\"window.__pwned='body'\">",
    "<details open ontoggle=\"window.__pwned='details'\">",
    "\" onmouseover=\"window.__pwned='attr'\" x=\"",
    "'><script>window.__pwned='quote'</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='mxss'\">",
    "[click](javascript:window.__pwned='md')",
    "javascript:window.__pwned='bare'",
]
HOSTILE = " ".join(PAYLOADS)
EVENT = "UKRXSS0000001"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    from frontlines.records import Article
    from frontlines.store import open_store

    path = tmp_path_factory.mktemp("xss") / "xss.db"
    serve_fixture.build(path, n_random=20)
    day = dt.date(2022, 9, 21)
    sentence = f"Shelling hit Kupiansk on Wednesday {HOSTILE} the mayor said."
    text = f"date {day.isoformat()} {PAYLOADS[0]}\n{sentence} Two people were killed."
    article = Article(article_id="AXSS", text=text, date=day, title=PAYLOADS[1] + PAYLOADS[4],
                      url="javascript:window.__pwned='url'", source=PAYLOADS[2], origin="fixture",
                      date_reason="date:first_line", meta={"id": PAYLOADS[4]})
    ev = serve_fixture._event(EVENT, day, serve_fixture.PLACES[1], serve_fixture.KINDS[1], article, sentence,
                              fatalities=2, actor1=PAYLOADS[1] + "Forces", actor2=PAYLOADS[7],
                              claimed_by=PAYLOADS[0], claim_status="disputed", notes=HOSTILE)
    ev.tags = PAYLOADS[5]
    ev.admin1 = "Kharkiv Oblast" + PAYLOADS[6]
    with open_store(path) as store:
        store.add_article(article, [ev])
    return path


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def _watched_page(browser, allowed_prefix: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.dialogs, page.errors, page.outside = [], [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def only_local(route):
        url = route.request.url
        if url.startswith(allowed_prefix) or url.startswith("data:"):
            route.continue_()
        else:
            page.outside.append(url)
            route.abort()

    page.route("**/*", only_local)
    return context, page


def _assert_nothing_ran(page, scope: str) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    handlers = page.evaluate("""(scope) => {
        const out = [];
        for (const el of document.querySelectorAll(scope + ' *')) {
            for (const a of el.attributes) {
                if (a.name.startsWith('on')) out.push(el.tagName + ' ' + a.name);
                if (/^\\s*javascript:/i.test(a.value) && ['href', 'src', 'action', 'formaction'].includes(a.name))
                    out.push(el.tagName + ' ' + a.name + '=' + a.value);
            }
        }
        return out;
    }""", scope)
    assert handlers == []
    assert page.locator(f"{scope} iframe, {scope} svg[onload], {scope} details[ontoggle]").count() == 0


def test_the_dashboard_shows_every_payload_as_text(browser, hostile_db):
    from frontlines.serve import create_app

    with LiveServer(create_app(hostile_db)) as server:
        context, page = _watched_page(browser, server.base + "/")
        try:
            page.goto(f"{server.base}/#event={EVENT}&view=49.7106,37.6159,9")
            page.wait_for_selector("body[data-ready='1']", timeout=30_000)
            page.wait_for_selector("#evidence:not([hidden]) blockquote.ev", timeout=30_000)
            panel = page.locator("#evidence").inner_text()
            for payload in PAYLOADS:                  # shown, character for character, as text
                assert payload in panel, payload
            assert page.locator("#evidence script").count() == 0
            for link in page.locator("#evidence a").all():        # follow every link there is
                assert link.get_attribute("href").startswith(("http://", "https://", "#"))
                link.click(modifiers=["Control"], no_wait_after=True)
            page.locator("#evidence").hover()
            page.wait_for_timeout(300)
            _assert_nothing_ran(page, "#evidence")
            _assert_nothing_ran(page, "#feed")
            assert page.errors == [] and page.title() == "frontlines"
        finally:
            context.close()


def test_the_html_report_shows_every_payload_as_text(browser, hostile_db, tmp_path):
    from frontlines.cli import main

    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--from", "2022-09-01", "--to", "2022-10-31", "--db",
                                       str(hostile_db), "--no-control", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "onerror=\"window" not in html
    context, page = _watched_page(browser, out.as_uri())
    try:
        page.goto(out.as_uri())
        page.wait_for_load_state("load")
        body = page.locator("body").inner_text()
        assert "<img src=x onerror=\"window.__pwned='img'\">Forces" in body     # the actor, as text
        assert "Shelling hit Kupiansk on Wednesday <script>" in body             # the evidence, as text
        page.locator("body").hover()
        page.wait_for_timeout(300)
        _assert_nothing_ran(page, "body")
        assert page.errors == [] and page.outside == []
    finally:
        context.close()
