"""Attributions inside another attribution's content ("the ministry said Moscow's
statements about X may indicate its acceptance that Y").

PolNeAR labels one layer (a token carries at most one label), so the first pass finds the
outer attribution only. The second pass runs stage one again over each content that could
hold a cue, as a document of its own, and links what it finds there; each attribution so
found records the outer one as its ``parent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc

from onrecord.document import Attribution, Fragment

MIN_CONTENT_WORDS = 5
# A content is searched again only if one of its lemmas is used as a cue at least this
# share of the time in training (skips the encoder where no cue can be).
NESTED_CUE_RATIO = 0.05


class DocArray:
    """``doc.to_array`` of every attribute ``Span.as_doc`` copies, made once per doc.

    ``as_doc`` otherwise converts the whole doc for each span it copies (quadratic over
    the contents of a long doc). It slices the array it is given and rewires heads in
    that slice in place, so each slice handed out here is a copy.
    """

    def __init__(self, doc: Doc) -> None:
        self.head = Doc._get_array_attrs()
        self.array = doc.to_array(self.head)

    def __getitem__(self, rows: slice) -> Any:
        return self.array[rows].copy()


def content_doc(
    doc: Doc, attribution: Attribution, array: DocArray | None = None
) -> tuple[Doc, int] | None:
    """The attribution's (first, longest) content as a ``Doc`` and its character offset
    (``array``: the doc's, when several contents of one doc are copied)."""
    if not attribution.content:
        return None
    start, end = max(attribution.content, key=lambda f: f[1] - f[0])
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or sum(not t.is_punct for t in span) < MIN_CONTENT_WORDS:
        return None
    if array is None:
        return span.as_doc(), span.start_char
    return span.as_doc(array_head=array.head, array=array), span.start_char


def may_hold_cue(sub: Doc, cue_ratio: Callable[[str], float]) -> bool:
    return any(cue_ratio(tok.lemma_.lower()) >= NESTED_CUE_RATIO for tok in sub)


def nested_attributions(
    doc: Doc,
    outer: list[Attribution],
    find: Callable[[Doc], list[Attribution]],
    cue_ratio: Callable[[str], float],
) -> list[Attribution]:
    """``outer`` followed by the attributions found inside their contents."""
    found = list(outer)
    array = DocArray(doc) if outer else None
    for index, attribution in enumerate(outer):
        located = content_doc(doc, attribution, array)
        if located is None or not may_hold_cue(located[0], cue_ratio):
            continue
        sub, offset = located
        for inner in find(sub):
            moved = inner.shifted(offset)
            if _inside(moved.cue, attribution.content) and not _same(moved, attribution):
                found.append(replace(moved, parent=index))
    return found


def _inside(cue: list[Fragment], content: list[Fragment]) -> bool:
    return bool(cue) and all(any(s <= cs and ce <= e for s, e in content) for cs, ce in cue)


def _same(a: Attribution, b: Attribution) -> bool:
    return a.cue == b.cue
