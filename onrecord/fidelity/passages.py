"""Quoted passages: the words an attribution puts inside quotation marks.

A direct attribution's content is a quotation (often with its marks, sometimes reopened
on each paragraph); a mixed one quotes some of its words ("the offer was "an
opportunity""). Both give their quoted parts as fragments of the article's text, in
order; an indirect attribution quotes nothing unless its content holds quotation marks.
A single closing mark between two letters is an apostrophe ("Russia’s"), not a quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from onrecord.document import Article, Attribution, Fragment

_OPEN = {"“": "”", "‘": "’", "«": "»", "„": "“", '"': '"', "'": "'"}
_CLOSE = {"”", "’", "»", "“", '"', "'"}
MIN_WORD_CHARS = 2  # a quoted part with fewer letters or digits is not a passage


@dataclass(frozen=True)
class Rendering:
    """One rendering of a quoted passage, as the fidelity index takes it.

    ``key`` names it for the caller (``quote_key(article id, attribution index)``);
    ``segments`` are its separately quoted parts in order; ``published`` is an ISO 8601
    date or date-time (None sorts after every date); ``spans`` are the segments' offsets
    in the article, for showing them; ``copy_of`` is the article this one's article copies,
    where ``onrecord.copies`` found one (a spun copy's quotations are matched to the
    original's more leniently).
    """

    key: str
    speaker: str | None
    segments: tuple[str, ...]
    article: str
    outlet: str | None = None
    published: str | None = None
    spans: tuple[Fragment, ...] = ()
    copy_of: str | None = None


def quote_key(article_id: str, index: int) -> str:
    """The key of the rendering quoted by attribution ``index`` of an article."""
    return f"{article_id}#{index}"


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _opens(text: str, i: int) -> bool:
    """Whether the mark at ``i`` can open a quotation: at the start of a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "'\"’":
        return (before.isspace() or before in "([{—–-:;,“‘") and not after.isspace()
    return not after.isspace() or text[i] == "“"


def quoted_parts(text: str, start: int, end: int) -> list[Fragment]:
    """The quoted parts of ``text[start:end]``: what lies between an opening mark and its
    closing one (or the end of the span: a paragraph of a quote that goes on in the next
    one has no closing mark). Marks nested in a quotation are part of it."""
    parts: list[Fragment] = []
    i = start
    while i < end:
        mark = text[i]
        if mark in _OPEN and not _is_apostrophe(text, i) and _opens(text, i):
            closing = _OPEN[mark]
            j = i + 1
            while j < end and not (text[j] == closing and not _is_apostrophe(text, j)):
                j += 1
            parts.append((i + 1, j))
            i = j + 1
            continue
        i += 1
    return [(s, e) for s, e in parts if sum(c.isalnum() for c in text[s:e]) >= MIN_WORD_CHARS]


def quoted_fragments(text: str, attribution: Attribution) -> list[Fragment]:
    """The quoted parts of an attribution's content. A direct attribution whose content
    shows no marks at all (the extractor left them out) is quoted whole."""
    parts: list[Fragment] = []
    for start, end in attribution.content:
        found = quoted_parts(text, start, end)
        has_marks = any(c in _OPEN or c in _CLOSE for c in text[start:end] if c not in "'’")
        if not found and attribution.kind == "direct" and not has_marks:
            found = [(start, end)]
        parts.extend(found)
    return parts


def renderings_of(article: Article, copy_of: str | None = None) -> list[Rendering]:
    """A rendering for each attribution of ``article`` that quotes words, keyed by
    ``quote_key(article.id, index)``, with the article's outlet and date (and the article
    it copies, if known)."""
    found = []
    for index, attribution in enumerate(article.attributions):
        spans = quoted_fragments(article.text, attribution)
        if not spans:
            continue
        found.append(
            Rendering(
                key=quote_key(article.id, index),
                speaker=attribution.speaker,
                segments=tuple(article.text[s:e] for s, e in spans),
                article=article.id,
                outlet=article.outlet,
                published=article.published,
                spans=tuple(spans),
                copy_of=copy_of,
            )
        )
    return found
