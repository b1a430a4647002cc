"""Bytes to text, a chunk at a time: UTF-8 with replacement, BOM dropped, newlines unified.

Every reader goes through here so that the text an Article carries, and therefore every
offset into it, is the same normalised string whatever the input looked like: ``\\r\\n``
and a lone ``\\r`` both become ``\\n`` and a leading byte-order mark is dropped.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

CHUNK_BYTES = 1 << 16
SNIFF_BYTES = 8192
# Share of control or undecodable characters above which a "text" is really binary.
_MAX_JUNK_SHARE = 0.3
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_UTF16_32_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


def not_text_reason(head: bytes) -> str | None:
    """Why the first bytes of an input say it is not UTF-8 text, or None if they look fine."""
    head = head[:SNIFF_BYTES]
    if head.startswith(_UTF16_32_BOMS):
        return "UTF-16/32 text is not supported; convert it to UTF-8"
    if b"\x00" in head:
        return "binary file, not text"
    sample = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(head)
    junk = sum(1 for ch in sample if ch == "\ufffd" or (ch < " " and ch not in _TEXT_CONTROLS))
    if sample and junk / len(sample) > _MAX_JUNK_SHARE:
        return "binary file, not text"
    return None


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class DecodedStream:
    """UTF-8 text of a binary stream, read lazily in chunks of ``CHUNK_BYTES``.

    ``head`` holds the first chunk, read at once, for sniffing. After ``chunks()`` is
    exhausted, ``invalid_at`` is the byte offset of the first invalid UTF-8 sequence
    (replaced by U+FFFD in the text), or None if there was none.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.head = raw.read(CHUNK_BYTES)
        self.invalid_at: int | None = None

    def chunks(self) -> Iterator[str]:
        lenient = codecs.getincrementaldecoder("utf-8")(errors="replace")
        strict = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        carry = ""  # a trailing "\r" waits: the next chunk may start with its "\n"
        at_start = True
        data = self.head
        while True:
            final = not data
            self._check(strict, data, offset, final)
            offset += len(data)
            text = carry + lenient.decode(data, final=final)
            if at_start and text:
                text = text.removeprefix("\ufeff")
                at_start = False
            carry = "" if final or not text.endswith("\r") else "\r"
            text = text[: len(text) - len(carry)]
            if text:
                yield normalise_newlines(text)
            if final:
                return
            data = self._raw.read(CHUNK_BYTES)

    def _check(
        self, strict: codecs.IncrementalDecoder, data: bytes, offset: int, final: bool
    ) -> None:
        """Feed the strict twin decoder until it first fails, to report where."""
        if self.invalid_at is not None:
            return
        buffered = len(strict.getstate()[0])
        try:
            strict.decode(data, final=final)
        except UnicodeDecodeError as exc:
            self.invalid_at = offset - buffered + exc.start


def lines(chunks: Iterator[str], max_chars: int | None = None) -> Iterator[str | None]:
    """The lines of chunked text, without their newlines; a long line is built only once.
    A line longer than ``max_chars`` is None, and is never held whole."""
    partial: list[str] = []
    size = 0
    for chunk in chunks:
        pieces = chunk.split("\n")
        partial.append(pieces[0])
        size += len(pieces[0])
        if len(pieces) > 1:
            yield _line(partial, size, max_chars)
            for piece in pieces[1:-1]:
                yield _line([piece], len(piece), max_chars)
            partial, size = [pieces[-1]], len(pieces[-1])
        elif max_chars is not None and size > max_chars:
            partial = [""]  # too long already: keep counting, stop holding
    if size:
        yield _line(partial, size, max_chars)


def _line(pieces: list[str], size: int, max_chars: int | None) -> str | None:
    return None if max_chars is not None and size > max_chars else "".join(pieces)
