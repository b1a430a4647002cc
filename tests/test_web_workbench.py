"""The analyst's workbench in a real headless Chromium (Debian's, driven by Playwright):
the home dashboard, search with pages, sort and facets kept in the URL, the article page's
details panel and keyboard navigation, the speaker and claim pages, copies both ways,
exports, /docs with the network cut off, a 375 px wide phone, hostile text kept inert on
every page, and axe-core (bundled by axe-playwright-python, so offline) on each page.

Screenshots go to test-artifacts/; with ONRECORD_UPDATE_SCREENSHOTS=1 the README's ones
in docs/screenshots/ are written too."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

from onrecord.document import Article, Attribution, Confidence
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store
from tests.test_claims import original, reprint
from tests.test_copies import ORIGINAL, spin
from tests.test_store import bridge_article, kyiv_article
from tests.test_web_ui import CHROMIUM, hostile_article, need_chromium, serving

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
DOCS = ROOT / "docs" / "screenshots"
PAYLOAD = '<img src=x onerror="window.__pwned = 3"><script>window.__pwned = 4</script>'

# Statements written for the project: one harbour master, six different things, six days.
HARBOUR = [
    "the pier would reopen for fishing boats before the spring tides",
    "dredging of the inner basin was likely to cost more than planned",
    "two cranes on the north quay had failed their safety inspection",
    "the ferry timetable would change when the new pontoon was finished",
    "storm damage to the breakwater was being surveyed by divers",
    "harbour dues for small boats would stay frozen until next year",
]


def harbour_article(i: int, statement: str) -> Article:
    lead = "Harbour master Ann Lee said "
    text = f"{lead}{statement}.\n"
    term = statement.find("likely")
    confidence = []
    if term >= 0:
        start = len(lead) + term
        confidence = [Confidence("likely", (start, start + 6), 0.55, 0.75, "PHIA")]
    return Article(
        f"harbour/{i}",
        text,
        [
            Attribution(
                [(0, 22)],
                [(23, 27)],
                [(len(lead), len(lead) + len(statement))],
                speaker="Ann Lee",
                speaker_type="person",
                speaker_role="Harbour master",
                speaker_score=0.9,
                confidence=confidence,
            )
        ],
        outlet=["Eastport Herald", "Coast News"][i % 2],
        url=f"https://news.example/harbour/{i}",
        published=(date(2024, 4, 26) + timedelta(days=i)).isoformat(),
    )


def hostile_speaker_article() -> Article:
    text = f"{PAYLOAD} said the harbour bridge was {PAYLOAD} safe.\n"
    said = text.index(" said") + 1
    content = said + 5
    return Article(
        "hostile-speaker",
        text,
        [
            Attribution(
                [(0, len(PAYLOAD))],
                [(said, said + 4)],
                [(content, len(text) - 2)],
                speaker=PAYLOAD,
                speaker_type="person",
                speaker_score=0.9,
            )
        ],
        outlet=PAYLOAD,
        published="2024-05-01",
    )


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    need_chromium()
    db = str(tmp_path_factory.mktemp("workbench") / "workbench.sqlite")
    store = Store(db)
    add_batch(store, [kyiv_article(), bridge_article(), hostile_article()])
    add_batch(
        store,
        [
            Article("ferry", ORIGINAL, outlet="eastport-herald", published="2024-03-09"),
            Article("ferry-spun", spin(ORIGINAL), outlet="newsfarm", published="2024-03-10"),
        ],
    )
    add_batch(store, [original(), reprint("wire/bridge", "Coast News")])
    add_batch(store, [harbour_article(i, s) for i, s in enumerate(HARBOUR)])
    add_batch(store, [hostile_speaker_article()])
    yield from serving(db)


@pytest.fixture(scope="module")
def browser(base_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert page.evaluate("window.__pwned") is None
    assert not errors, errors
    context.close()


def show(page, base_url: str, route: str) -> None:
    """Open a page of the UI and wait until the router has drawn it."""
    page.goto(f"{base_url}/{route}")
    page.wait_for_selector(f"body[data-ready='{route}']")


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if os.environ.get("ONRECORD_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def test_home_is_a_dashboard_of_the_store(page, base_url: str) -> None:
    show(page, base_url, "#/")
    counts = page.locator("#counts").inner_text()
    for word in ("articles", "statements", "claims", "speakers", "outlets", "copies"):
        assert word in counts
    assert "Ann Lee — 6 statements" in page.locator("main").inner_text()
    assert page.locator("#top-claims li").count() >= 5
    assert page.locator("svg.days rect").count() == 60  # one bar per day, empty days too
    shoot(page, "home")


def test_search_pages_sorts_and_facets_live_in_the_url(page, base_url: str) -> None:
    show(page, base_url, "#/")
    page.fill("#q", "harbour")
    page.click("button[type=submit]")
    page.wait_for_selector("#total")
    assert "claims" in page.locator("#total").inner_text()
    show(page, base_url, "#/search?q=Lee&per_page=4")
    assert page.locator("#total").inner_text() == "6 claims · page 1 of 2"
    assert page.locator("tr.result").count() == 4
    first_page = page.locator("tr.result").all_inner_texts()
    page.click(".pager a[rel=next]")
    page.wait_for_selector("body[data-ready='#/search?q=Lee&page=2&per_page=4']")
    assert page.locator("tr.result").count() == 2
    page.go_back()  # the back button returns to the first page
    page.wait_for_selector("body[data-ready='#/search?q=Lee&per_page=4']")
    assert page.locator("tr.result").all_inner_texts() == first_page
    # A facet narrows the results, and its filter can be removed.
    page.click(".facet[data-facet=outlet] a:text-is('Coast News')")
    page.wait_for_selector("body[data-ready*='outlet=Coast']")
    assert page.locator("#total").inner_text().startswith("3 claims")
    assert "Outlet: Coast News ×" in page.locator(".active-filters").inner_text()
    assert page.locator("#q").input_value() == "Lee"
    shoot(page, "search")
    page.click(".sort a:text-is('most sources')")
    page.wait_for_selector("body[data-ready*='sort=sources']")
    # Other pages do not keep the search's words in the box.
    show(page, base_url, "#/speaker/Ann%20Lee")
    assert page.locator("#q").input_value() == ""


def test_results_show_the_original_with_its_outlet_first(page, base_url: str) -> None:
    show(page, base_url, "#/search?q=support%20cables")
    [row] = page.locator("tr.result").all_inner_texts()
    assert "2024-03-12" in row  # the original's date, not the reprint's
    outlets = page.locator("tr.result td.outlets")
    assert outlets.inner_text() == "Eastport Herald, Coast News"
    assert outlets.locator("strong").inner_text() == "Eastport Herald"
    assert (
        page.locator("tr.result td:nth-child(3) a")
        .get_attribute("href")
        .startswith("#/article/herald%2Fbridge")
    )


def test_the_details_panel_links_scores_cites_and_marks_terms(page, base_url: str) -> None:
    show(page, base_url, "#/article/harbour%2F1")
    term = page.locator("#article-text .term")
    assert term.inner_text() == "likely" and "55–75% (PHIA)" in term.get_attribute("title")
    assert "estimative term" in page.locator("#legend").inner_text()
    # Keyboard: Tab reaches the statement, Enter opens it.
    page.locator("#article-text [tabindex='0']").first.focus()
    page.keyboard.press("Enter")
    details = page.locator("#details")
    assert "0.90" in details.inner_text() and "score" in details.inner_text()
    assert "likely: 55–75% (PHIA)" in details.inner_text()
    assert details.locator("a[href='#/speaker/Ann%20Lee']").count() == 1
    assert details.locator("#claim-link").get_attribute("href").startswith("#/claim/")
    citation = page.locator("#citation").inner_text()
    assert citation == (
        "Ann Lee, “dredging of the inner basin was likely to cost more than planned”, "
        "Coast News, 2024-04-27, https://news.example/harbour/1"
    )
    outline = page.locator("#article-text [tabindex='0']").first.evaluate(
        "n => getComputedStyle(n).outlineStyle"
    )
    assert outline != "none"  # the focus is visible
    shoot(page, "article")
    details.locator("#claim-link").click()
    page.wait_for_selector("svg.spread")


def test_n_and_p_move_through_the_attributions(page, base_url: str) -> None:
    show(page, base_url, "#/article/kyiv")
    page.locator("#article-text [tabindex='0']").first.focus()
    page.keyboard.press("Enter")
    assert "Attribution 1 of 2" in page.locator("#details h2").inner_text()
    page.keyboard.press("n")
    assert "Attribution 2 of 2" in page.locator("#details h2").inner_text()
    page.keyboard.press("p")
    assert "Attribution 1 of 2" in page.locator("#details h2").inner_text()


def test_speaker_page_has_a_weekly_chart_roles_claims_and_company(page, base_url: str) -> None:
    show(page, base_url, "#/speaker/Ann%20Lee")
    body = page.locator("main").inner_text()
    assert "Harbour master (6)" in body
    assert page.locator("svg.timeline rect").count() >= 2  # weeks by outlet
    assert {"Eastport Herald", "Coast News"} <= set(
        page.locator(".chart-legend li").all_inner_texts()
    )
    assert page.locator("#speaker-claims li").count() == 6
    shoot(page, "speaker")
    show(page, base_url, "#/speaker/John%20Kirby")
    assert "undated" not in page.locator("svg.timeline").inner_html()


def test_claim_page_shows_how_it_spread_and_links_json_ld(page, base_url: str) -> None:
    show(page, base_url, "#/search?q=support%20cables")
    page.click("tr.result td.sources a")
    page.wait_for_selector("svg.spread")
    assert page.locator("svg.spread circle").count() == 1  # the original
    assert page.locator("svg.spread rect").count() == 1  # its copy
    assert page.locator("svg.spread line.copy").count() == 1
    href = page.locator("#jsonld").get_attribute("href")
    linked = page.request.get(base_url + href).json()
    assert linked["@type"] == "Claim" and len(linked["appearance"]) == 2
    assert linked["appearance"][1]["isBasedOn"] == "herald/bridge"
    shoot(page, "claim")


def test_copies_show_both_directions_and_say_what_similarity_is(page, base_url: str) -> None:
    show(page, base_url, "#/article/ferry")
    links = page.locator("#copy-links").inner_text()
    assert "Copies no earlier stored article." in links
    assert "copied by ferry-spun: spun copy" in links and "words swapped" in links
    assert "share of the shorter text's words aligned" in page.locator("#copies").inner_text()
    show(page, base_url, "#/article/ferry-spun")
    assert "copies ferry (eastport-herald): spun copy" in page.locator("#copy-links").inner_text()
    shoot(page, "copies")


def test_every_list_exports_csv_and_jsonl(page, base_url: str) -> None:
    for route, rows in (
        ("#/search?q=Lee", 6),
        ("#/speaker/Ann%20Lee", 6),
        ("#/claim/1", 1),
        ("#/article/kyiv", 2),
    ):
        show(page, base_url, route)
        with page.expect_download() as got:
            page.click("button[data-export=csv]")
        csv_text = Path(got.value.path()).read_text()
        assert len(csv_text.strip().splitlines()) == rows + 1, route
        with page.expect_download() as got:
            page.click("button[data-export=jsonl]")
        lines = Path(got.value.path()).read_text().splitlines()
        assert len([json.loads(line) for line in lines]) == rows, route


def test_hostile_text_stays_inert_on_every_page(page, base_url: str) -> None:
    for route in (
        "#/",
        "#/search?q=harbour%20bridge%20safe",
        "#/article/hostile-speaker?a=0",
        "#/claim/1",
    ):
        show(page, base_url, route)
        assert page.locator("main img, main script").count() == 0, route
    show(page, base_url, "#/search?q=harbour%20bridge%20safe")
    assert PAYLOAD in page.locator("tr.result").first.inner_text()
    assert PAYLOAD in page.locator(".facet[data-facet=speaker]").inner_text()
    page.locator("tr.result td:first-child a").first.click()
    page.wait_for_selector("svg.timeline")
    assert page.locator("main img, main script").count() == 0
    assert PAYLOAD in page.locator("h1").inner_text()
    show(page, base_url, "#/article/hostile-speaker?a=0")
    assert PAYLOAD in page.locator("#citation").inner_text()


def test_docs_work_with_the_network_cut_off(browser, base_url: str) -> None:
    context = browser.new_context()
    outside: list[str] = []

    def local_only(route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    page.goto(base_url + "/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "onrecord" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path[data-path='/api/claims']")
    assert not outside, outside
    shoot(page, "docs-offline")
    context.close()


ROUTES = {
    "home": "#/",
    "search": "#/search?q=Lee",
    "article": "#/article/harbour%2F1?a=0",
    "speaker": "#/speaker/Ann%20Lee",
    "claim": "#/claim/1",
    "copies": "#/article/ferry-spun",
}


def test_every_page_fits_a_375_px_phone(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for name, route in ROUTES.items():
        show(page, base_url, route)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name} is {width} px wide"
        if name in ("search", "article"):
            shoot(page, f"phone-{name}")
    context.close()


@pytest.mark.parametrize("name", list(ROUTES))
def test_no_serious_or_critical_accessibility_violation(page, base_url: str, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    show(page, base_url, ROUTES[name])
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
