"""The web UI in a real headless Chromium (Debian's, driven by Playwright): search, open an
article, check the highlighted spans and the marks on uncertain speakers, and check that
hostile markup in an article stays inert text. Screenshots are saved to test-artifacts/."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from onrecord.document import Article, Attribution
from onrecord.interfaces.api import create_app
from onrecord.pipeline.ingest import add_batch
from onrecord.settings import LOW_SPEAKER_SCORE
from onrecord.store import Store
from tests.test_claims import original, reprint
from tests.test_copies import ORIGINAL, spin
from tests.test_store import bridge_article, kyiv_article

CHROMIUM = "/usr/bin/chromium"
APP_JS = Path(__file__).resolve().parents[1] / "onrecord" / "interfaces" / "web" / "dom.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOSTILE = (
    "Menu | Subscribe\n\n"
    "The mayor said <script>window.__pwned = 1</script> the pier "
    '<img src=x onerror="window.__pwned = 2"> was safe.\n'
)


def hostile_article() -> Article:
    source, cue = HOSTILE.index("The mayor"), HOSTILE.index("said")
    content = HOSTILE.index("<script>")
    end = HOSTILE.index(" was safe") + len(" was safe")
    return Article(
        "hostile",
        HOSTILE,
        [
            Attribution(
                [(source, source + 9)],
                [(cue, cue + 4)],
                [(content, end)],
                speaker="The mayor",
                speaker_type="person",
            )
        ],
        boilerplate=[(0, 16)],
        outlet="westhaven-post",
        published="2024-05-02",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_chromium() -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("ONRECORD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} not installed")
        pytest.skip("Debian chromium not installed")


def serving(db: str) -> Iterator[str]:
    """The API and web UI on ``db``, on a free local port, until the generator is closed."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    need_chromium()
    db = str(tmp_path_factory.mktemp("ui") / "ui.sqlite")
    store = Store(db)
    add_batch(store, [kyiv_article(), bridge_article(), hostile_article()])
    add_batch(
        store,
        [
            Article("ferry", ORIGINAL, outlet="eastport-herald"),
            Article("ferry-spun", spin(ORIGINAL), outlet="newsfarm"),
        ],
    )
    add_batch(store, [original(), reprint("wire/bridge", "Coast News")])
    yield from serving(db)


@pytest.fixture(scope="module")
def page(base_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        yield page
        browser.close()


def test_search_lists_results_and_opens_the_article(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("#q", "troops Kyiv")
    page.click("button[type=submit]")
    page.wait_for_selector("tr.result")
    row = page.locator("tr.result").first
    assert "John Kirby" in row.inner_text() and "news.example" in row.inner_text()
    row.locator("td:nth-child(3) a").click()
    page.wait_for_selector("#article-text")
    sources = page.locator("#article-text .source").all_inner_texts()
    assert sources == ["Pentagon spokesman John Kirby", "He"]
    assert page.locator("#article-text .cue").all_inner_texts() == ["said", "said"]
    contents = page.locator("#article-text .content").all_inner_texts()
    assert contents == [
        "troops were moving away from Kyiv",
        "the convoy had stopped north of the city",
    ]
    colours = {
        kind: page.locator(f"#article-text .{kind}").first.evaluate(
            "n => getComputedStyle(n).backgroundColor"
        )
        for kind in ("source", "cue", "content")
    }
    assert len(set(colours.values())) == 3  # three distinct highlight colours
    page.locator("#article-text .cue").first.click()
    details = page.locator("#details").inner_text()
    assert "John Kirby" in details and "Pentagon spokesman" in details


def test_hostile_markup_in_an_article_is_inert_text(page, base_url: str) -> None:
    page.goto(base_url + "/#/article/hostile")
    # A hash change does not reload the page: wait for this article, not the last one.
    page.wait_for_selector("h1:text-is('hostile')")
    page.wait_for_selector("#article-text .content")
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#article-text script, #article-text img").count() == 0
    boilerplate = page.locator("#article-text .boilerplate").first
    assert boilerplate.inner_text().startswith("Menu")
    grey = boilerplate.evaluate("n => getComputedStyle(n).color")
    assert grey == "rgb(107, 107, 107)"  # grey, with the contrast WCAG AA asks for
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-article-hostile.png"), full_page=True)


def test_speaker_page_shows_variants_and_a_timeline(page, base_url: str) -> None:
    page.goto(base_url + "/#/speaker/John%20Kirby")
    page.wait_for_selector("svg.timeline rect")
    body = page.locator("main").inner_text()
    assert "Pentagon spokesman John Kirby" in body and "Pentagon spokesman" in body
    assert page.locator("svg.timeline rect").count() == 1
    page.screenshot(path=str(ARTIFACTS / "ui-speaker.png"), full_page=True)


def test_article_page_shows_the_copy_panel(base_url: str, page) -> None:
    page.goto(base_url + "/#/article/kyiv")
    page.wait_for_selector("h1:text-is('kyiv')")
    page.wait_for_selector("#copies")
    assert "Copies no earlier stored article" in page.locator("#copies").inner_text()
    page.goto(base_url + "/#/article/ferry-spun")
    page.wait_for_selector("#copies table.swaps")
    panel = page.locator("#copies").inner_text()
    assert "spun copy" in panel and "ferry" in panel
    rows = page.locator("#copies table.swaps tbody tr").all_inner_texts()
    assert "corrosion\trusting" in rows
    page.screenshot(path=str(ARTIFACTS / "ui-copies.png"), full_page=True)


def test_search_shows_a_claim_once_with_its_sources_and_opens_its_statements(
    base_url: str, page
) -> None:
    page.goto(base_url + "/#/search?q=support%20cables")
    page.wait_for_selector("tr.result")
    assert page.locator("tr.result").count() == 1
    sources = page.locator("tr.result td.sources a")
    assert sources.inner_text() == "1 source · 2 seen"
    sources.click()
    page.wait_for_selector("tr.statement")
    counts = page.locator("#claim-counts").inner_text()
    assert "1 independent source" in counts and "2 statements" in counts
    assert "Eastport Herald" in counts
    rows = page.locator("tr.statement").all_inner_texts()
    assert "exact copy of herald/bridge" in rows[1] and "Coast News" in rows[1]
    page.screenshot(path=str(ARTIFACTS / "ui-claim.png"), full_page=True)


def test_the_web_ui_marks_below_the_same_score_as_the_cli() -> None:
    [number] = re.findall(r"^const LOW_SPEAKER_SCORE = ([0-9.]+);$", APP_JS.read_text(), re.M)
    assert float(number) == LOW_SPEAKER_SCORE


def test_an_uncertain_speaker_is_marked_where_it_is_shown(base_url: str, page) -> None:
    """kyiv_article's "He" is John Kirby scored 0.42, below LOW_SPEAKER_SCORE; the named
    "Pentagon spokesman John Kirby" is scored 0.93."""
    note = "speaker uncertain (score 0.42): check the text"
    page.goto(base_url + "/#/article/kyiv?a=1")
    page.wait_for_selector("h1:text-is('kyiv')")
    page.wait_for_selector("#details dl")
    assert page.locator("#article-text .source.uncertain").all_inner_texts() == ["He"]
    marked = page.locator("#article-text .source.uncertain")
    assert marked.get_attribute("title") == note
    style = marked.evaluate("n => getComputedStyle(n).textDecorationStyle")
    assert style == "dashed"
    assert page.locator(".legend .uncertain").inner_text() == "uncertain speaker"
    details = page.locator("#details").inner_text()
    assert "0.42 (uncertain: check the text)" in details
    assert page.locator("#details dd.uncertain").get_attribute("title") == note
    page.screenshot(path=str(ARTIFACTS / "ui-uncertain-speaker.png"), full_page=True)
    page.locator("#article-text .source").first.click()
    assert "0.93" in page.locator("#details").inner_text()
    assert page.locator("#details dd.uncertain").count() == 0

    page.goto(base_url + "/#/speaker/John%20Kirby")
    page.wait_for_selector("h1:text-is('John Kirby')")
    page.wait_for_selector("tr.result")
    links = page.locator("tr.result td:first-child a")
    assert links.count() == 2
    assert [links.nth(i).get_attribute("class") for i in range(2)] == [None, "uncertain"]
    assert links.nth(1).get_attribute("title") == note
    page.goto(base_url + "/#/search?q=convoy")
    page.wait_for_selector("h1:text-is('Results for “convoy”')")
    assert page.locator("tr.result td:first-child a.uncertain").get_attribute("title") == note


def test_the_ui_runs_under_its_policy_and_cannot_be_framed(base_url: str, page) -> None:
    """The server's Content-Security-Policy (and X-Frame-Options) leave the UI working,
    with nothing refused, and keep it out of other sites' frames."""
    browser = page.context.browser
    fresh = browser.new_page()
    messages: list[str] = []
    fresh.on("console", lambda message: messages.append(message.text))
    fresh.goto(base_url + "/#/search?q=troops%20Kyiv")
    fresh.wait_for_selector("tr.result")
    fresh.locator("tr.result td:nth-child(3) a").first.click()
    fresh.wait_for_selector("#article-text .source")
    assert not [m for m in messages if "Content Security Policy" in m], messages
    framing = browser.new_page()
    framing.set_content(f'<iframe src="{base_url}/"></iframe>')
    framing.wait_for_timeout(1000)
    [framed] = framing.frames[1:]
    assert not framed.url.startswith(base_url)  # Chromium's error page, not the UI
    fresh.close()
    framing.close()
