"""The ``onrecord`` spaCy component: ``nlp.add_pipe("onrecord")``.

Sets ``doc._.attributions``, a list of :class:`DocAttribution`: source, cue and content
as spaCy ``Span`` lists, plus speaker, provenance and confidence fields, and the exact
character-offset record in ``.record``; and ``doc._.boilerplate`` (character ranges of
page furniture that extraction skipped). The CLI runs this same component, so there is
one code path.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from onrecord.cleaning.boilerplate import detect_boilerplate
from onrecord.document import Attribution, SpanFragments
from onrecord.extraction.tagger import AttributionModel
from onrecord.speakers import enrich

for _name in ("attributions", "boilerplate"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


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
    """Finds attributions outside the page boilerplate, then resolves their speakers."""

    def __init__(self, name: str, model: AttributionModel, speakers: bool = True) -> None:
        self.name = name
        self.model = model
        self.speakers = speakers

    def __call__(self, doc: Doc) -> Doc:
        boilerplate = detect_boilerplate(doc.text)
        found = self.model.attributions(doc, skip=boilerplate)
        if self.speakers:
            enrich(doc, found, skip=boilerplate)
        doc._.attributions = [DocAttribution(doc, a) for a in found]
        doc._.boilerplate = boilerplate
        return doc


@Language.component("onrecord_paragraphs")
def start_sentences_at_line_breaks(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start; add before the parser.

    Scraped pages put headlines and teaser lines without final punctuation on their own
    lines; the parser would otherwise run them into the next paragraph's sentence.
    """
    for tok in doc[1:]:
        previous = doc[tok.i - 1]
        if not tok.is_space and (
            "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text)
        ):
            tok.is_sent_start = True
    return doc


@Language.factory("onrecord", default_config={"model": None, "speakers": True})
def make_onrecord(
    nlp: Language, name: str, model: str | None, speakers: bool
) -> AttributionComponent:
    """``model``: a directory made by ``onrecord train``; default: the shipped model.
    ``speakers``: resolve speakers, provenance and confidence (false: spans only, with
    ``speaker`` left as the source's words unresolved)."""
    return AttributionComponent(name, AttributionModel.load(model), speakers)
