"""Web archives and feeds: WARC files (warcio) and RSS/Atom feeds (feedparser).

A WARC's HTML responses become articles (main text by trafilatura, URL from the record);
a feed's entries become articles (text from the entry's content or summary, URL, outlet
from the feed title or host, published date). A broken record or a malformed feed is
reported with its place in the file; what could be read is still yielded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import BinaryIO
from urllib.parse import urlsplit

from onrecord.readers.formats import Item, articles
from onrecord.readers.problems import error, warning
from onrecord.readers.webpage import decode_html, extract_page, fragment_text

MAX_FEED_BYTES = 50_000_000
MAX_RECORD_BYTES = 20_000_000


def read_warc(name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = 0
    number = 0
    try:
        for number, record in enumerate(ArchiveIterator(raw), start=1):  # noqa: B007
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if "html" not in (record.http_headers.get_header("Content-Type") or ""):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read(MAX_RECORD_BYTES + 1)
            where = f"{name}: record {number}" + (f" ({url})" if url else "")
            if len(body) > MAX_RECORD_BYTES:
                yield error(where, f"larger than {MAX_RECORD_BYTES:,} bytes; skipped")
                continue
            text, page = extract_page(decode_html(body)[0]) if body.strip() else (None, {})
            if text is None:
                yield warning(where, "no article text found in the HTML; skipped")
                continue
            found += 1
            # The record's URL is where the page was; the page may name its site and date.
            meta = {**_origin(url), **{k: v for k, v in page.items() if k != "url"}}
            yield from articles(where, url or f"{stem}:{number}", [text], limit, **meta)
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
        yield error(
            f"{name}: record {number + 1}",
            f"unreadable WARC record ({exc}); the records after it were not read",
        )
        return
    if not found:
        yield error(name, "no HTML responses with article text in the WARC")


def read_feed(name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]:
    import feedparser

    data = raw.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        yield error(name, f"feed larger than {MAX_FEED_BYTES:,} bytes")
        return
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = feed.get("bozo_exception") or "no entries"
        yield error(name, f"not a readable RSS/Atom feed ({reason})")
        return
    outlet = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{name}: entry {number}"
        html = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        text = fragment_text(html)
        if not text:
            yield warning(where, "no text in the entry; skipped")
            continue
        link = entry.get("link") or None
        meta = _origin(link)
        if outlet:
            meta["outlet"] = outlet[:300]
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        if published:
            meta["published"] = date(*published[:3]).isoformat()
        yield from articles(
            where, entry.get("id") or link or f"{stem}:{number}", [text], limit, **meta
        )
    if feed.get("bozo"):
        yield warning(name, f"malformed feed, read as far as possible ({feed.bozo_exception})")


def _origin(url: str | None) -> dict[str, str]:
    if not url:
        return {}
    host = urlsplit(url).hostname
    return {"url": url, **({"outlet": host.removeprefix("www.")} if host else {})}
