"""Cutting very long texts into Article-sized parts without holding the whole text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

MAX_ARTICLE_CHARS = 1_000_000

# Preferred cut places, best first: after a blank line, after a line, after a word.
_SEPARATORS = ("\n\n", "\n", " ")


def cut_point(text: str, limit: int) -> int:
    """Where to end a part of ``text``: the last paragraph, line or word break within
    ``limit`` characters, else ``limit`` itself."""
    for separator in _SEPARATORS:
        found = text.rfind(separator, 0, limit)
        if found != -1:
            cut = found + len(separator)
            # Blank lines stay with the paragraph they end, so parts start on text.
            while separator != " " and cut < limit and text[cut] == "\n":
                cut += 1
            return cut
    return limit


def split_parts(chunks: Iterable[str], limit: int = MAX_ARTICLE_CHARS) -> Iterator[str]:
    """Parts of at most ``limit`` characters whose concatenation is the input text.

    Holds at most about ``limit`` plus one chunk of characters at a time.
    """
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size <= limit:
            continue
        text = "".join(pending)
        while len(text) > limit:
            cut = cut_point(text, limit)
            yield text[:cut]
            text = text[cut:]
        pending, size = [text], len(text)
    rest = "".join(pending)
    if rest:
        yield rest
