"""Input readers: files and standard input to Articles, with problems reported, not raised.

``read_inputs`` yields an ``Article`` per document and an ``InputProblem`` per thing wrong
with an input, in input order, and always goes on to the next input. Formats by extension:
``.html``/``.htm`` (main text found by trafilatura, paragraphs separated by a blank line),
``.jsonl`` (one ``{"text": ..., "id": ...}`` object per line), anything else plain UTF-8
text. ``-`` is standard input, its format sniffed from the first non-blank character.

Text is normalised before anything sees it: a UTF-8 byte-order mark is dropped and
``\\r\\n`` (and a lone ``\\r``) become ``\\n``. Offsets refer to that normalised text,
which is the ``text`` the Article carries. A text longer than ``max_chars`` is streamed
and split at paragraph breaks into parts ``ID#1``, ``ID#2``…, each its own Article, whose
texts concatenate back to the whole.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, cast

from onrecord.document import Article
from onrecord.readers.archives import read_feed, read_warc
from onrecord.readers.decoding import CHUNK_BYTES
from onrecord.readers.formats import Item, Reader, read_html, read_jsonl, read_plain
from onrecord.readers.problems import InputProblem, error
from onrecord.readers.splitting import MAX_ARTICLE_CHARS

__all__ = ["MAX_ARTICLE_CHARS", "InputProblem", "Item", "read_file", "read_inputs"]

STDIN = "-"
_READERS: dict[str, Reader] = {
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".warc": read_warc,
    ".warc.gz": read_warc,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}


INPUT_SUFFIXES = (".txt", *_READERS)


def _suffix(path: Path) -> str:
    """ ".warc.gz" for a gzipped WARC, else the last suffix, lower case."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def _walk(directory: Path) -> Iterator[tuple[Path, str]]:
    """Input files under a directory (recursively, sorted; other kinds and hidden ones
    skipped), each with its id: the path below the directory without the extension, so
    "eastport/mayor.txt" and "westhaven/mayor.txt" stay two articles."""
    for found in sorted(directory.rglob("*")):
        relative = found.relative_to(directory)
        hidden = any(part.startswith(".") for part in relative.parts)
        if found.is_file() and _suffix(found) in INPUT_SUFFIXES and not hidden:
            yield found, relative.with_suffix("").as_posix()


def read_inputs(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    *,
    max_chars: int = MAX_ARTICLE_CHARS,
    walk: bool = False,
) -> Iterator[Article | InputProblem]:
    """Articles from each named file (``"-"``: ``stdin``, default ``sys.stdin``), in order.

    An Article's id is the file name without extension (``stdin`` for standard input);
    a JSONL record's is its ``id`` field, else ``NAME:LINE``. Warnings about an input
    (invalid UTF-8, split into parts) come after its Articles: they are known only once
    the input has been streamed to its end. With ``walk``, a directory stands for the
    input files under it, each with its path below the directory as id.
    """
    for name in paths:
        if name == STDIN:
            yield from _read_stdin(stdin, max_chars)
        elif walk and Path(name).is_dir():
            for path, article_id in _walk(Path(name)):
                yield from _read_path(str(path), max_chars, article_id)
        else:
            yield from _read_path(name, max_chars)


def read_file(
    name: str,
    raw: BinaryIO | None = None,
    *,
    article_id: str | None = None,
    max_chars: int = MAX_ARTICLE_CHARS,
) -> Iterator[Item]:
    """One input file's items, read as ``read_inputs`` reads it, its format by the name's
    extension. ``raw``: the file's bytes when the caller opened it (a file on another file
    system, streamed); ``article_id``: the id to give it (default: the name's stem)."""
    if raw is None:
        yield from _read_path(name, max_chars, article_id)
        return
    reader = _READERS.get(_suffix(Path(name)), read_plain)
    yield from _guarded(name, reader(name, article_id or Path(name).stem, raw, max_chars))


def _read_path(name: str, limit: int, article_id: str | None = None) -> Iterator[Item]:
    path = Path(name)
    reader = _READERS.get(_suffix(path), read_plain)
    try:
        if path.is_dir():
            yield error(name, "is a directory; pass files")
            return
        with path.open("rb") as raw:
            yield from _guarded(name, reader(name, article_id or path.stem, raw, limit))
    except FileNotFoundError:
        yield error(name, "no such file")
    except PermissionError:
        yield error(name, "permission denied")
    except OSError as exc:
        yield error(name, exc.strerror or str(exc))


def _guarded(name: str, items: Iterator[Item]) -> Iterator[Item]:
    """A reader's items; should it still raise on some input nobody foresaw, one line and
    on to the next input (read errors of the file itself are the caller's)."""
    try:
        yield from items
    except OSError:
        raise
    except Exception as exc:
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:160]
        yield error(name, f"could not be read ({reason}); the rest of it was skipped")


def _read_stdin(stdin: BinaryIO | None, limit: int) -> Iterator[Item]:
    stream = stdin if stdin is not None else sys.stdin
    # A text stream (sys.stdin) wraps the binary one we want.
    raw = getattr(stream, "buffer", stream)
    if raw is None:
        yield error(STDIN, "no standard input")
        return
    try:
        head = raw.read(CHUNK_BYTES)
        reader = _sniff(head)
        stream = cast(BinaryIO, _Prefixed(head, raw))
        yield from _guarded(STDIN, reader(STDIN, "stdin", stream, limit))
    except OSError as exc:
        yield error(STDIN, exc.strerror or str(exc))


def _sniff(head: bytes) -> Reader:
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    return {b"{": read_jsonl, b"<": read_html}.get(start, read_plain)


class _Prefixed:
    """A binary stream whose first bytes were already read (for sniffing)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        if len(data) < size:
            data += self._rest.read(size - len(data))
        return data
