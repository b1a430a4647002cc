"""One reader per input format. Each turns an open binary stream into Articles and
InputProblems and never raises for bad content."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import BinaryIO, Protocol
from urllib.parse import urlsplit

from onrecord.document import Article
from onrecord.readers.decoding import DecodedStream, lines, normalise_newlines, not_text_reason
from onrecord.readers.problems import InputProblem, error, warning
from onrecord.readers.splitting import split_parts
from onrecord.readers.webpage import MAX_HTML_BYTES, decode_html, extract_page

Item = Article | InputProblem

# JSON can escape half a surrogate pair ("\ud800") and a file name can hold undecodable
# bytes; no UTF-8 writer accepts either.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_META_CHARS = 2_000
# A JSONL record is parsed whole: a longer line is skipped without being held.
MAX_LINE_CHARS = 50_000_000


class Reader(Protocol):
    def __call__(self, name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]: ...


def read_plain(name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]:
    """A text file, streamed, as one Article (or several parts if it is very long)."""
    decoded = DecodedStream(raw)
    if reason := not_text_reason(decoded.head):
        yield error(name, reason)
        return
    yield from articles(name, stem, split_parts(decoded.chunks(), limit), limit)
    if decoded.invalid_at is not None:
        yield _invalid_utf8(name, decoded.invalid_at)


def read_html(name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]:
    """The main text of a web page, found by trafilatura."""
    data = raw.read(MAX_HTML_BYTES + 1)
    if len(data) > MAX_HTML_BYTES:
        yield error(name, f"HTML larger than {MAX_HTML_BYTES:,} bytes; too large to extract")
        return
    if not data.strip():
        yield error(name, "empty")
        return
    if reason := not_text_reason(data):
        yield error(name, reason)
        return
    html, replaced = decode_html(data)
    try:
        text, meta = extract_page(html)
    except Exception as exc:  # a parser bug must not stop the other inputs
        yield error(name, f"HTML extraction failed ({type(exc).__name__}: {exc})")
        return
    if text is None:
        yield error(name, "no article text found in the HTML")
        return
    yield from articles(name, stem, split_parts([text], limit), limit, **meta)
    if replaced:
        yield _invalid_utf8(name, None)


def read_jsonl(name: str, stem: str, raw: BinaryIO, limit: int) -> Iterator[Item]:
    """One Article per JSON object line; a bad line is reported and skipped."""
    decoded = DecodedStream(raw)
    if reason := not_text_reason(decoded.head):
        yield error(name, reason)
        return
    seen_record = False
    for lineno, line in enumerate(lines(decoded.chunks(), MAX_LINE_CHARS), start=1):
        if line is None:
            seen_record = True
            yield error(f"{name}:{lineno}", f"line longer than {MAX_LINE_CHARS:,} characters")
        elif line.strip():
            seen_record = True
            yield from _jsonl_record(f"{name}:{lineno}", f"{stem}:{lineno}", line, limit)
    if not seen_record:
        yield error(name, "empty")
    if decoded.invalid_at is not None:
        yield _invalid_utf8(name, decoded.invalid_at)


def _jsonl_record(where: str, default_id: str, line: str, limit: int) -> Iterator[Item]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        yield error(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
        return
    except RecursionError:
        yield error(where, "not valid JSON (nested too deeply)")
        return
    except ValueError:  # a number of more than 4,300 digits
        yield error(where, "not valid JSON (a number too long to read)")
        return
    if not isinstance(record, dict):
        yield error(where, f"a JSON {type(record).__name__}, not an object")
        return
    text = record.get("text")
    if not isinstance(text, str):
        found = "no 'text' field" if text is None else f"'text' is {type(text).__name__}"
        yield error(where, f"{found}; expected a string")
        return
    article_id = record.get("id")
    if article_id is None or article_id == "":
        article_id = default_id
    elif isinstance(article_id, bool) or not isinstance(article_id, str | int):
        yield warning(where, f"'id' is {type(article_id).__name__}; using {default_id}")
        article_id = default_id
    parts = split_parts([normalise_newlines(text)], limit)
    meta, problems = _metadata(where, record)
    yield from problems
    yield from articles(where, str(article_id), parts, limit, **meta)


def _metadata(where: str, record: dict) -> tuple[dict[str, str], list[Item]]:
    """url, outlet and published date of a JSONL record, where present and well formed."""
    meta: dict[str, str] = {}
    problems: list[Item] = []
    for key, names in (
        ("url", ("url",)),
        ("outlet", ("outlet", "source")),
        ("published", ("published", "date")),
    ):
        value = next((record[n] for n in names if record.get(n) not in (None, "")), None)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > MAX_META_CHARS:
            problems.append(warning(where, f"'{key}' is not a short string; ignored"))
            continue
        if key == "published":
            try:
                value = date.fromisoformat(value[:10]).isoformat()
            except ValueError:
                problems.append(
                    warning(where, f"'{key}' is not an ISO date ({value[:20]!r}); ignored")
                )
                continue
        meta[key] = value
    if "outlet" not in meta and "url" in meta:
        host = hostname(meta["url"])
        if host:
            meta["outlet"] = host.removeprefix("www.")
    return meta, problems


def articles(
    name: str, article_id: str, parts: Iterable[str], limit: int, **meta: str
) -> Iterator[Item]:
    """Articles for the parts of one text: ``id`` if it is one part, ``id#1``, ``id#2``…
    if it had to be split, then a warning saying so. Blank parts carry nothing and are
    dropped; a text with no other part is reported as empty. Lone surrogates, in the text
    or the id and metadata, become U+FFFD (one character for one: offsets hold)."""
    replaced = 0

    def clean(value: str) -> str:
        nonlocal replaced
        value, count = _LONE_SURROGATE.subn("\ufffd", value)
        replaced += count
        return value

    article_id = clean(article_id)
    meta = {key: clean(value) for key, value in meta.items()}
    texts = (clean(part) for part in parts if part.strip())
    first = next(texts, None)
    if first is None:
        yield error(name, "empty")
        return
    second = next(texts, None)
    if second is None:
        yield Article(id=article_id, text=first, **meta)
    else:
        yield Article(id=f"{article_id}#1", text=first, **meta)
        yield Article(id=f"{article_id}#2", text=second, **meta)
        count = 2
        for count, part in enumerate(texts, start=3):  # noqa: B007 - count used below
            yield Article(id=f"{article_id}#{count}", text=part, **meta)
        yield warning(
            name,
            f"longer than {limit:,} characters; split at paragraph breaks into {count} parts "
            f"({article_id}#1 to {article_id}#{count})",
        )
    if replaced:
        yield warning(name, "lone surrogates (half a UTF-16 pair) replaced with U+FFFD")


def hostname(url: str) -> str | None:
    """The URL's host, or None (also where the URL is malformed: "http://[::1")."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _invalid_utf8(name: str, byte_offset: int | None) -> InputProblem:
    where = "" if byte_offset is None else f" (first at byte {byte_offset})"
    return warning(name, f"invalid UTF-8{where}; undecodable bytes replaced with U+FFFD")
