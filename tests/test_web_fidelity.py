"""Quote fidelity in the web UI, in a real headless Chromium (Debian's, driven by
Playwright): an article whose copy changes words inside a quotation is ingested through
``add_batch`` (so its fidelity is computed as for any ingest); the copy's page marks the
altered quotation in words and in the legend, its details panel lists the renderings with
the changed words as <del>/<ins> and links to the first on record, the home page lists the
newest altered quotes, hostile markup inside a quotation stays inert text, and axe-core
finds no serious violation. The articles are written for these tests.

Screenshots go to test-artifacts/; with ONRECORD_UPDATE_SCREENSHOTS=1 the README's
docs/screenshots/fidelity.png is written too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord.document import Article, Attribution
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store
from tests.test_web_workbench import PAYLOAD, need_chromium, serving, shoot, show
from tests.test_web_workbench import browser as browser  # noqa: F401 - a fixture
from tests.test_web_workbench import page as page  # noqa: F401 - a fixture

PLEDGE = (
    "The new ferry terminal will open in May, and every fare will stay at two pounds for "
    "the whole of the first year."
)
CHANGED = PLEDGE.replace("May", "June").replace("first year", "first summer")
LEAD = "Opening the harbour fair on Saturday, the mayor of Eastport, Maria Okafor, said:"
TAIL = " Traders at the quay said the date suited them."
HOSTILE = f"We will never close {PAYLOAD} the old pier to anglers in March."


def quoting(article_id: str, quote: str, outlet: str, published: str) -> Article:
    """An article quoting ``quote`` (a direct attribution to Maria Okafor)."""
    text = f"{LEAD} “{quote}”{TAIL}\n"
    name = text.index("Okafor")
    cue = text.index("said:")
    return Article(
        article_id,
        text,
        [
            Attribution(
                [(name - 6, name + 6)],
                [(cue, cue + 4)],
                [(text.index("“"), text.index("”") + 1)],
                speaker="Maria Okafor",
                speaker_type="person",
                speaker_role="Mayor",
                speaker_score=0.9,
                kind="direct",
            )
        ],
        outlet=outlet,
        url=f"https://news.example/{article_id}",
        published=published,
    )


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    need_chromium()
    db = str(tmp_path_factory.mktemp("fidelity") / "fidelity.sqlite")
    store = Store(db)
    add_batch(store, [quoting("gazette/ferry", PLEDGE, "Eastport Gazette", "2024-03-02")])
    add_batch(store, [quoting("courier/ferry", CHANGED, "Coast Courier", "2024-03-04")])
    add_batch(store, [quoting("gazette/pier", HOSTILE, "Eastport Gazette", "2024-03-06")])
    spun = HOSTILE.replace("March", "April")
    add_batch(store, [quoting("courier/pier", spun, "Coast Courier", "2024-03-07")])
    store.engine.dispose()
    yield from serving(db)


def test_an_altered_quote_is_marked_and_its_details_show_the_changes(page, base_url) -> None:  # noqa: F811
    show(page, base_url, "#/article/courier%2Fferry")
    mark = page.locator("#article-text .quote-mark")
    assert mark.count() == 1 and mark.inner_text().startswith("≠ altered")
    assert "words changed" in mark.get_attribute("title")
    # Screen readers hear what it means; the tab stop says it too.
    assert mark.text_content() == "≠ altered quote: words changed inside the quotation marks"
    assert "altered quote" in page.locator("#article-text [tabindex='0']").get_attribute(
        "aria-label"
    )
    assert page.locator("#article-text .content.tampered").count() >= 1
    assert "quote whose words differ" in page.locator("#legend").inner_text()
    mark.click()
    fidelity = page.locator("#fidelity")
    assert "altered: words changed inside the quotation marks" in fidelity.inner_text()
    assert fidelity.locator(".changes del").all_inner_texts() == ["May", "year"]
    assert fidelity.locator(".changes ins").all_inner_texts() == ["June", "summer"]
    this, reference = fidelity.locator("#renderings > li").all()
    assert this.locator("ins").all_inner_texts() == ["June", "summer"]
    assert reference.locator("del").all_inner_texts() == ["May", "year"]
    assert "Eastport Gazette" in reference.inner_text() and "2024-03-02" in reference.inner_text()
    assert reference.locator("a").get_attribute("href") == "#/article/gazette%2Fferry?a=0"
    first = page.locator("#first-on-record")
    assert "Eastport Gazette, 2024-03-02" in first.inner_text()
    assert "this one differs from it" in first.inner_text()
    shoot(page, "fidelity")
    page.locator("#first-on-record-link").click()
    page.wait_for_selector("body[data-ready='#/article/gazette%2Fferry?a=0']")
    assert page.locator("#article-text .quote-mark").count() == 0  # the original is verbatim
    assert "verbatim" in page.locator("#fidelity").inner_text()
    assert "this one." in page.locator("#first-on-record").inner_text()


def test_home_lists_the_newest_altered_quotes(page, base_url) -> None:  # noqa: F811
    show(page, base_url, "#/")
    items = page.locator("#altered-quotes li:has(.quote-mark)")
    assert items.count() == 2
    newest = items.first
    assert newest.locator("a").last.get_attribute("href") == "#/article/courier%2Fpier?a=0"
    assert newest.locator(".changes del").inner_text() == "March"
    assert items.nth(1).locator("q ins").all_inner_texts() == ["June", "summer"]
    with page.expect_download() as got:
        page.click("#altered-quotes button[data-export=jsonl]")
    rows = [json.loads(line) for line in Path(got.value.path()).read_text().splitlines()]
    assert [r["article"] for r in rows] == ["courier/pier", "courier/ferry"]
    with page.expect_download() as got:
        page.click("#altered-quotes button[data-export=csv]")
    lines = Path(got.value.path()).read_text().splitlines()
    assert lines[0].startswith("published,outlet,quote,article") and len(lines) == 3


def test_hostile_text_in_a_quote_stays_inert(page, base_url) -> None:  # noqa: F811
    for route in ("#/", "#/article/courier%2Fpier?a=0", "#/article/gazette%2Fpier?a=0"):
        show(page, base_url, route)
        assert page.locator("main img, main script").count() == 0, route
    show(page, base_url, "#/article/courier%2Fpier?a=0")
    assert PAYLOAD in page.locator("#renderings").inner_text()
    show(page, base_url, "#/")
    assert PAYLOAD in page.locator("#altered-quotes").inner_text()


@pytest.mark.parametrize("route", ["#/", "#/article/courier%2Fferry?a=0"])
def test_no_serious_accessibility_violation(page, base_url, route: str) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    show(page, base_url, route)
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious


def test_a_phone_shows_the_details_without_overflow(browser, base_url) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    show(page, base_url, "#/article/courier%2Fferry?a=0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
