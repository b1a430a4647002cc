"""The speakers stage's spaCy component: ``nlp.add_pipe("onrecord_speakers")``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.speakers import enrich
from onrecord.speakers.ranker import SpeakerRanker, default_ranker


@Language.factory(
    "onrecord_speakers",
    assigns=["doc._.attributions"],
    requires=["doc._.attributions", "doc._.boilerplate", "token.ent_type", "token.dep"],
)
def make_speakers(nlp: Language, name: str) -> SpeakersComponent:
    """Resolves each attribution's speaker (the shipped ranker over the rules' candidates,
    with a calibrated ``speaker_score``), who relayed it (via) and its confidence words."""
    # Loaded here, once, so that a broken ranker file fails when the pipeline is built.
    return SpeakersComponent(default_ranker())


class SpeakersComponent:
    """Fills speaker, via and confidence of ``doc._.attributions`` in place."""

    def __init__(self, ranker: SpeakerRanker | None) -> None:
        self.ranker = ranker

    def __call__(self, doc: Doc) -> Doc:
        found = doc._.attributions or []
        enrich(doc, [a.record for a in found], skip=doc._.boilerplate or [], ranker=self.ranker)
        return doc
