"""Web archives and feeds: WARC files (warcio) and RSS/Atom feeds (feedparser).

A WARC's HTML responses become articles (main text by trafilatura, URL from the record);
a feed's entries become articles (text from the entry's content or summary, URL, outlet
from the feed title or host, published date). A broken record or a malformed feed is
reported with its place in the file, on one line; what could be read is still yielded. A
WARC cut short (a truncated download) is reported at the record it cuts, which is not
read; gzipped WARCs may be compressed per record or as a whole.
"""

from __future__ import annotations

import gzip
import io
import re
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, suppress
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from onrecord.document import Article
from onrecord.readers.formats import Item, articles, hostname
from onrecord.readers.problems import error, warning
from onrecord.readers.webpage import decode_html, extract_page, fragment_text, quiet_loggers

MAX_FEED_BYTES = 50_000_000
MAX_RECORD_BYTES = 20_000_000

if TYPE_CHECKING:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.recordloader import ArcWarcRecord


def read_warc(name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]:
    """HTML responses of a WARC, plain or gzipped (per record or as a whole), a record at a
    time. A record cut short (a truncated download) is an error naming it and is not read
    as an article; the complete records before it are. warcio's own messages are
    silenced: every problem is one line here."""
    from warcio.archiveiterator import ArchiveIterator

    stream = _ArchiveStream(raw)
    archive = ArchiveIterator(stream)
    records = iter(archive)
    found = 0
    number = 0
    while True:
        number += 1
        # Nothing is yielded inside: the consumer's own lines must reach stderr.
        with _quiet_warcio():
            try:
                record = next(records)
                items, last = _warc_record(name, stem, number, record, stream, limit)
            except StopIteration:
                break
            except Exception as exc:  # warcio raises more than ArchiveLoadFailed on junk
                items, last = [_broken_record(name, number, stream, archive, exc)], True
        yield from items
        if last:
            return
        found += any(isinstance(item, Article) for item in items)
    # warcio takes a file that ends inside a record's headers for a file that ends.
    if stream.delivered > archive.offset:
        yield _truncated(f"{name}: record {number}")
    elif stream.cut:  # in the gzip framing after the record
        yield _truncated(f"{name}: after record {number - 1}")
    elif not stream.delivered:
        yield error(name, "empty")
    elif not found:
        yield error(name, "no HTML responses with article text in the WARC")


def _truncated(where: str) -> Item:
    return error(where, "truncated (the archive ends inside it); not read")


def _warc_record(
    name: str, stem: str, number: int, record: ArcWarcRecord, stream: _ArchiveStream, limit: int
) -> tuple[list[Item], bool]:
    """What one record gives: an article (or its parts), or a line on why not; and whether
    the archive cannot be read past it."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    where = f"{name}: record {number}" + (f" ({_short(url, 200)})" if url else "")
    wanted = (
        record.rec_type == "response"
        and record.http_headers is not None
        and "html" in (record.http_headers.get_header("Content-Type") or "")
    )
    body = record.content_stream().read(MAX_RECORD_BYTES + 1) if wanted else b""
    # Read the record to its end, to learn whether the archive holds all of it.
    while record.raw_stream.read(1 << 16):
        pass
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if record.format == "warc" and not length.isdigit():  # also: the cut is in the headers
        if stream.ended:
            return [_truncated(f"{name}: record {number}")], True
        return [error(where, "unreadable WARC record (no valid Content-Length)")], True
    if stream.cut or getattr(record.raw_stream, "limit", 0) > 0:
        return [_truncated(f"{name}: record {number}")], True
    if not wanted:
        return [], False
    if len(body) > MAX_RECORD_BYTES:
        return [error(where, f"larger than {MAX_RECORD_BYTES:,} bytes; skipped")], False
    try:
        text, page = extract_page(decode_html(body)[0]) if body.strip() else (None, {})
    except Exception as exc:  # a parser bug must not cost the other records
        return [error(where, f"HTML extraction failed ({_short(exc, 120)}); skipped")], False
    if text is None:
        return [warning(where, "no article text found in the HTML; skipped")], False
    # The record's URL is where the page was; the page may name its site and date.
    meta = {**_origin(url), **{k: v for k, v in page.items() if k != "url"}}
    return list(articles(where, url or f"{stem}:{number}", [text], limit, **meta)), False


def _broken_record(
    name: str, number: int, stream: _ArchiveStream, archive: ArchiveIterator, exc: Exception
) -> Item:
    """The line for a record warcio could not parse: a file that is no WARC at all, one that
    ends inside the record (the parser failed on the file's last bytes), or a corrupt one."""
    no_warc = number == 1 and "Unknown archive format" in str(exc)
    reader = archive.reader
    at_end = stream.ended and (reader is None or reader.rem_length() == 0)
    if stream.cut or (at_end and not no_warc):
        return _truncated(f"{name}: record {number}")
    if no_warc:
        return error(name, "not a WARC archive (no WARC record at its start)")
    if isinstance(exc, OSError | zlib.error):
        reason = "corrupt gzip data"
    elif type(exc).__module__.startswith("warcio"):
        reason = _short(exc, 120)
    else:  # warcio tripping over headers it did not expect
        reason = f"malformed record headers: {type(exc).__name__}"
    return error(
        f"{name}: record {number}",
        f"unreadable WARC record ({reason}); the records after it were not read",
    )


def _short(value: object, width: int) -> str:
    """An exception or header value on one short line (warcio's messages run to pages)."""
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _ArchiveStream:
    """The archive's bytes, gunzipped when they are gzip (one member per record, or one for
    the whole file, which warcio alone would not read past its first record). ``cut``:
    the gzip data stops short (read as an early end of file); ``ended``: the end was
    reached; ``delivered``: how many bytes were read."""

    def __init__(self, raw: BinaryIO) -> None:
        head = raw.read(2)
        rest = _Prefixed(head, raw)
        # read1: a read that stops at the cut still returns what came before it.
        self._read = gzip.GzipFile(fileobj=rest).read1 if head == b"\x1f\x8b" else rest.read
        self.cut = False
        self.ended = False
        self.delivered = 0

    def read(self, size: int = -1) -> bytes:
        if self.cut or self.ended:
            return b""
        try:
            data = self._read(size)
        except EOFError:  # "Compressed file ended before the end-of-stream marker"
            self.cut = True
            data = b""
        self.delivered += len(data)
        self.ended = not data and size != 0
        return data

    def tell(self) -> int:
        return self.delivered


class _Prefixed:
    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        head, self._head = self._head, b""
        if not head:
            return self._rest.read(size)
        if size < 0:
            return head + self._rest.read()
        return head + self._rest.read(max(0, size - len(head)))


@contextmanager
def _quiet_warcio() -> Iterator[None]:
    """warcio writes warnings straight to stderr (and logs some): not while we read."""
    with quiet_loggers("warcio"), warnings.catch_warnings(), redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def read_feed(name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]:
    import feedparser

    data = raw.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        yield error(name, f"feed larger than {MAX_FEED_BYTES:,} bytes")
        return
    data, bad_references = _without_bad_references(data)
    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # feedparser's loose parser has raised on odd input before
        yield error(name, f"not a readable RSS/Atom feed ({_short(exc, 120)})")
        return
    if not feed.entries:
        reason = feed.get("bozo_exception") or "no entries"
        yield error(name, f"not a readable RSS/Atom feed ({_short(reason, 120)})")
        return
    outlet = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{name}: entry {number}"
        try:
            yield from _feed_entry(where, f"{stem}:{number}", entry, outlet, limit)
        except Exception as exc:  # one odd entry must not cost the others
            yield error(where, f"unreadable entry ({_short(exc, 120)}); skipped")
    if bad_references:
        yield warning(name, "numeric character references to no character replaced with U+FFFD")
    if feed.get("bozo"):
        reason = _short(feed.bozo_exception, 120)
        yield warning(name, f"malformed feed, read as far as possible ({reason})")


def _feed_entry(
    where: str, default_id: str, entry: dict, outlet: str | None, limit: int
) -> Iterator[Item]:
    html = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
    text = fragment_text(html)
    if not text:
        yield warning(where, "no text in the entry; skipped")
        return
    link = entry.get("link") or None
    meta = _origin(link)
    if outlet:
        meta["outlet"] = outlet[:300]
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    if published:
        with suppress(ValueError):  # year 0 and the like
            meta["published"] = date(*published[:3]).isoformat()
    yield from articles(where, entry.get("id") or link or default_id, [text], limit, **meta)


# &#55296; (a surrogate half) or &#1114112; (past U+10FFFF) name no character: feedparser's
# loose parser raises on them, so they become U+FFFD before it sees the feed.
_CHAR_REFERENCE = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]+)|0*([0-9]+));")


def _without_bad_references(data: bytes) -> tuple[bytes, int]:
    """The feed with references to no character made ``&#xFFFD;``, and how many."""
    bad = 0

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal bad
        hex_digits, digits = match.groups()
        # More than 8 digits is past U+10FFFF, and may be too long for int() to take.
        long = len(hex_digits or digits) > 8
        code = 0 if long else int(hex_digits, 16) if hex_digits else int(digits)
        if long or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            bad += 1
            return b"&#xFFFD;"
        return match.group(0)

    return _CHAR_REFERENCE.sub(replace, data), bad


def _origin(url: str | None) -> dict[str, str]:
    if not url:
        return {}
    host = hostname(url)
    return {"url": url, **({"outlet": host.removeprefix("www.")} if host else {})}
