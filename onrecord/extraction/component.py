"""The ``onrecord`` spaCy component: ``nlp.add_pipe("onrecord")``.

Sets ``doc._.attributions`` (a list of :class:`onrecord.document.Attribution`, character
offsets into ``doc.text``) and ``doc._.boilerplate`` (character ranges of page furniture
that extraction skipped). The CLI runs this same component, so there is one code path.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.document import Fragment
from onrecord.extraction.linking import link
from onrecord.extraction.spans import TypedSpan, decode
from onrecord.extraction.tagger import AttributionTagger

for _name in ("attributions", "boilerplate"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class AttributionComponent:
    """Tags source/cue/content tokens, drops boilerplate, links spans into attributions."""

    def __init__(self, name: str, tagger: AttributionTagger) -> None:
        self.name = name
        self.tagger = tagger

    def __call__(self, doc: Doc) -> Doc:
        # spaCy imports this module at every spacy.load (entry point): keep it light.
        from onrecord.cleaning.boilerplate import detect_boilerplate

        boilerplate = detect_boilerplate(doc.text)
        labels, scores = self.tagger.tag(doc)
        spans = [s for s in decode(doc, labels, scores) if not _overlaps(s, boilerplate)]
        doc._.attributions = link(doc, spans)
        doc._.boilerplate = boilerplate
        return doc


def _overlaps(span: TypedSpan, ranges: list[Fragment]) -> bool:
    return any(span.start_char < end and start < span.end_char for start, end in ranges)


@Language.factory("onrecord", default_config={"model": None})
def make_onrecord(nlp: Language, name: str, model: str | None) -> AttributionComponent:
    """``model``: a directory made by ``onrecord train``; default: the shipped model."""
    return AttributionComponent(name, AttributionTagger.load(model))
