"""WARC and RSS/Atom inputs, written by the tests: articles with URL, outlet and date, and
clear problems for broken records and malformed feeds."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.document import Article
from onrecord.readers import InputProblem, read_inputs

PAGE = """<html><head><title>Ferry news</title></head><body><nav>Home | Local</nav>
<article><h1>Ferry timetable doubled</h1>
<p>The harbour master of Eastport said on Monday that the ferry would run every half hour
while the bridge is closed for repairs to its corroded cables.</p>
<p>"We are ready for the winter," she told reporters at the quay, adding that two more boats
had been hired from Westhaven for the six weeks of the closure.</p></article></body></html>"""


def write_warc(path: Path, pages: dict[str, str], gz: bool = False) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for url, html in pages.items():
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
        )
    data = buffer.getvalue()
    path.write_bytes(gzip.compress(data) if gz else data)


def read(path: Path) -> tuple[list[Article], list[InputProblem]]:
    items = list(read_inputs([str(path)]))
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputProblem)],
    )


def test_warc_responses_become_articles_with_their_urls(tmp_path: Path) -> None:
    for gz in (False, True):
        path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
        write_warc(path, {"https://www.eastport-herald.example/ferry": PAGE}, gz=gz)
        [article], problems = read(path)
        assert problems == []
        assert article.url == "https://www.eastport-herald.example/ferry"
        assert article.outlet == "eastport-herald.example"
        assert "ferry would run every half hour" in article.text
        assert "Home | Local" not in article.text


def test_a_corrupt_warc_record_is_reported_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    write_warc(path, {"https://a.example/1": PAGE, "https://a.example/2": PAGE})
    data = path.read_bytes()
    second = data.index(b"WARC/1.0", 10)
    path.write_bytes(data[:second] + b"GARBAGE-NOT-A-RECORD\r\n" + data[second + 40 :])
    found, problems = read(path)
    assert len(found) == 1
    [problem] = problems
    assert "broken.warc: record 2" in str(problem) and "unreadable WARC record" in str(problem)


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Eastport Herald</title>
<item><title>Bridge</title><link>https://eastport-herald.example/bridge</link>
<guid>bridge-1</guid><pubDate>Thu, 02 Nov 2023 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Council leader Maria Okafor said the bridge would reopen in May.&lt;/p&gt;
&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;Shopkeepers warned that trade would suffer.&lt;/p&gt;
</description></item>
<item><title>Empty</title><link>https://eastport-herald.example/empty</link></item>
</channel></rss>"""


def test_feed_entries_become_articles_with_outlet_and_date(tmp_path: Path) -> None:
    path = tmp_path / "herald.rss"
    path.write_text(FEED, encoding="utf-8")
    [article], problems = read(path)
    assert article.id == "bridge-1" and article.outlet == "Eastport Herald"
    assert article.published == "2023-11-02"
    assert article.text == (
        "Council leader Maria Okafor said the bridge would reopen in May.\n\n"
        "Shopkeepers warned that trade would suffer."
    )
    [skipped] = problems
    assert "entry 2" in str(skipped) and "no text" in str(skipped)


def test_a_feed_with_broken_xml_is_read_as_far_as_possible_and_said_so(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(
        "<rss><channel><title>Oops</title><item><guid>a</guid><description>The mayor said "
        "the pier was safe.</description></item><item><description>unclosed",
        encoding="utf-8",
    )
    found, problems = read(path)
    assert found and found[0].text == "The mayor said the pier was safe."
    assert any("malformed feed" in str(p) and str(path) in str(p) for p in problems)


def test_a_file_that_is_no_feed_at_all_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("just some notes, no markup", encoding="utf-8")
    found, problems = read(path)
    assert found == []
    [problem] = problems
    assert str(path) in str(problem) and "not a readable RSS/Atom feed" in str(problem)


def test_a_web_page_brings_its_site_name_canonical_url_and_date(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="Eastport Herald">'
        '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
        '<link rel="canonical" href="https://eastport-herald.example/ferry">'
    )
    path = tmp_path / "ferry.html"
    path.write_text(PAGE.replace("<title>", head + "<title>"), encoding="utf-8")
    [article], problems = read(path)
    assert problems == []
    assert (article.url, article.outlet, article.published) == (
        "https://eastport-herald.example/ferry",
        "Eastport Herald",
        "2024-03-05",
    )
    write_warc(
        tmp_path / "crawl.warc",
        {"https://mirror.example/ferry": PAGE.replace("<title>", head + "<title>")},
    )
    [archived], _ = read(tmp_path / "crawl.warc")
    assert archived.url == "https://mirror.example/ferry"
    assert (archived.outlet, archived.published) == ("Eastport Herald", "2024-03-05")
