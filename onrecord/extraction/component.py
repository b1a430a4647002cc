"""The ``onrecord`` spaCy component: ``nlp.add_pipe("onrecord")``.

Sets ``doc._.attributions`` (a list of :class:`onrecord.document.Attribution`, character
offsets into ``doc.text``) and ``doc._.boilerplate`` (character ranges of page furniture
that extraction skipped). The CLI runs this same component, so there is one code path.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.cleaning.boilerplate import detect_boilerplate
from onrecord.extraction.tagger import AttributionModel

for _name in ("attributions", "boilerplate"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class AttributionComponent:
    """Finds attributions outside the page boilerplate."""

    def __init__(self, name: str, model: AttributionModel) -> None:
        self.name = name
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        boilerplate = detect_boilerplate(doc.text)
        doc._.attributions = self.model.attributions(doc, skip=boilerplate)
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


@Language.factory("onrecord", default_config={"model": None})
def make_onrecord(nlp: Language, name: str, model: str | None) -> AttributionComponent:
    """``model``: a directory made by ``onrecord train``; default: the shipped model."""
    return AttributionComponent(name, AttributionModel.load(model))
