"""The speakers stage's spaCy component: ``nlp.add_pipe("onrecord_speakers")``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.speakers import enrich


@Language.factory(
    "onrecord_speakers",
    assigns=["doc._.attributions"],
    requires=["doc._.attributions", "doc._.boilerplate", "token.ent_type", "token.dep"],
)
def make_speakers(nlp: Language, name: str) -> SpeakersComponent:
    """Resolves each attribution's speaker, who relayed it (via) and its confidence words."""
    return SpeakersComponent()


class SpeakersComponent:
    """Fills speaker, via and confidence of ``doc._.attributions`` in place."""

    def __call__(self, doc: Doc) -> Doc:
        found = doc._.attributions or []
        enrich(doc, [a.record for a in found], skip=doc._.boilerplate or [])
        return doc
