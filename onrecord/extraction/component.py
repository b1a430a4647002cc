"""The extraction stage's spaCy components.

``onrecord_paragraphs`` (before the parser) starts a sentence at each line break;
``onrecord_attributions`` sets ``doc._.attributions``, a list of :class:`DocAttribution`:
source, cue and content as spaCy ``Span`` lists, and the exact character-offset record in
``.record``. The speakers stage (``onrecord_speakers``) fills the speaker fields after it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from onrecord.document import Attribution, SpanFragments
from onrecord.extraction.tagger import AttributionModel, read_meta

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


class DocAttribution:
    """An attribution seen through its ``Doc``: spans as spaCy ``Span`` objects.

    Every other field (``speaker``, ``via``, ``confidence``, ``kind`` ...) reads through
    to the :class:`~onrecord.document.Attribution` in ``record``, whose character offsets
    are exact where a span does not fall on token boundaries.
    """

    def __init__(self, doc: Doc, record: Attribution) -> None:
        self.doc = doc
        self.record = record

    @property
    def source(self) -> list[Span]:
        return self._spans(self.record.source)

    @property
    def cue(self) -> list[Span]:
        return self._spans(self.record.cue)

    @property
    def content(self) -> list[Span]:
        return self._spans(self.record.content)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)

    def __repr__(self) -> str:
        words = " | ".join(
            " … ".join(s.text for s in spans) for spans in (self.source, self.cue, self.content)
        )
        return f"DocAttribution({self.record.speaker!r}: {words[:80]!r})"

    def _spans(self, fragments: SpanFragments) -> list[Span]:
        spans = (self.doc.char_span(s, e, alignment_mode="expand") for s, e in fragments)
        return [span for span in spans if span is not None]


class AttributionComponent:
    """Finds attributions outside the page boilerplate (``doc._.boilerplate``)."""

    def __init__(self, name: str, model: AttributionModel, model_dir: Path | None) -> None:
        self.name = name
        self.model = model
        self.model_dir = model_dir

    def __call__(self, doc: Doc) -> Doc:
        skip = doc._.boilerplate if doc._.boilerplate is not None else []
        found = self.model.attributions(doc, skip=skip)
        doc._.attributions = [DocAttribution(doc, a) for a in found]
        return doc

    def to_disk(self, path: str | Path, exclude: tuple = ()) -> None:
        """Write the model directory this component runs (weights, lexicon, meta)."""
        source, _ = read_meta(self.model_dir)
        shutil.copytree(source, Path(path), dirs_exist_ok=True)

    def from_disk(self, path: str | Path, exclude: tuple = ()) -> AttributionComponent:
        self.model_dir = Path(path)
        self.model = AttributionModel.load(self.model_dir)
        return self


@Language.component("onrecord_paragraphs")
def start_sentences_at_line_breaks(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start; add before the parser.

    Scraped pages put headlines and teaser lines without final punctuation on their own
    lines; the parser would otherwise run them into the next paragraph's sentence.
    """
    starts = []
    previous = None
    for tok in doc:
        if (
            previous is not None
            and not tok.is_space
            and ("\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text))
        ):
            starts.append(tok.i)
        previous = tok
    if not starts:
        return doc
    # One write for the whole doc: ``Token.is_sent_start = True`` checks the doc for a
    # parse on every call, which made a text of many short lines quadratic.
    if doc.has_annotation("DEP"):
        raise ValueError("onrecord_paragraphs must run before the parser")
    column = doc.to_array([SENT_START])
    column[starts] = 1
    doc.from_array([SENT_START], column)
    return doc


@Language.factory(
    "onrecord_attributions",
    default_config={"model": None},
    assigns=["doc._.attributions"],
    requires=["token.dep", "token.pos", "token.ent_type", "doc._.boilerplate"],
)
def make_attributions(nlp: Language, name: str, model: str | None) -> AttributionComponent:
    """``model``: a directory made by ``onrecord train``; default: the shipped model."""
    model_dir = Path(model) if model else None
    return AttributionComponent(name, AttributionModel.load(model_dir), model_dir)
