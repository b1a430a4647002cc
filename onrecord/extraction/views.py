"""Per-document views every stage reads, computed once and kept on ``Doc._``.

``quote_depths`` (1 inside quotation marks), ``sentence_index`` (sentence number per
token, a line break also ending a sentence) and ``paragraph_index`` (paragraph number per
token) were computed by extraction, linking and the speakers stage each on their own;
now the first reader computes a view and the rest read it from the ``Doc``.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

OPEN_QUOTES = frozenset("“‘«")
CLOSE_QUOTES = frozenset("”’»")
STRAIGHT_QUOTES = frozenset("\"'")

VIEWS = ("onrecord_quote_depth", "onrecord_sentence", "onrecord_paragraph")
for _name in VIEWS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _cached(doc: Doc, name: str, compute: Callable[[Doc], list[int]]) -> list[int]:
    value = doc._.get(name)
    if value is None or len(value) != len(doc):
        value = compute(doc)
        doc._.set(name, value)
    return value


def quote_depths(doc: Doc) -> list[int]:
    """1 for tokens inside quotation marks, else 0 (see ``_quote_depths``)."""
    return _cached(doc, "onrecord_quote_depth", _quote_depths)


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number per token, where a line break also ends a sentence."""
    return _cached(doc, "onrecord_sentence", _sentence_index)


def paragraph_index(doc: Doc) -> list[int]:
    """Paragraph number per token (a line break starts a paragraph)."""
    return _cached(doc, "onrecord_paragraph", _paragraph_index)


def _quote_depths(doc: Doc) -> list[int]:
    """1 for tokens inside quotation marks, else 0.

    Tracks curly quotes by direction and straight quotes by parity; a paragraph break
    closes an open quote, since UK papers reopen the mark on each quoted paragraph.
    """
    inside = [0] * len(doc)
    state = False
    for tok in doc:
        text = tok.text
        # A blank line: "\n\n" in one token, or "\n" followed by more line-break space.
        if "\n\n" in text or (tok.is_space and "\n" in text and "\n" in tok.whitespace_):
            state = False
        if text in OPEN_QUOTES or text == "``":
            state = True
            inside[tok.i] = 1
            continue
        if text in CLOSE_QUOTES or text == "''":
            inside[tok.i] = 1
            state = False
            continue
        if text == '"':
            inside[tok.i] = 1
            state = not state
            continue
        inside[tok.i] = int(state)
    return inside


def _sentence_index(doc: Doc) -> list[int]:
    """Sentence number per token, where a line break also ends a sentence.

    The parser sometimes runs a sentence over a paragraph break (a closing quote, then a
    new paragraph); spans there must not be linked across the break.
    """
    index, n = [0] * len(doc), 0
    for tok in doc:
        if tok.i > 0 and (tok.is_sent_start or "\n" in doc[tok.i - 1].text):
            n += 1
        index[tok.i] = n
    return index


def _paragraph_index(doc: Doc) -> list[int]:
    index, n = [0] * len(doc), 0
    for tok in doc:
        index[tok.i] = n
        if "\n" in tok.text or "\n" in tok.whitespace_:
            n += 1
    return index
