"""Speakers and provenance: who each attribution's source is, who relayed the words, and
how confident the claim is worded. Runs on a parsed ``Doc`` after extraction."""

from __future__ import annotations

from spacy.tokens import Doc

from onrecord.document import Attribution, Fragment
from onrecord.speakers.confidence import find_confidence
from onrecord.speakers.provenance import find_via
from onrecord.speakers.ranker import SpeakerRanker, default_ranker
from onrecord.speakers.resolve import SpeakerResolver


def enrich(
    doc: Doc,
    attributions: list[Attribution],
    skip: list[Fragment] = (),
    ranker: SpeakerRanker | None | str = "default",
) -> None:
    """Fill speaker, via and confidence fields of ``attributions`` in place. The shipped
    ranker picks each speaker unless ``ranker`` is another one or None (the rules alone)."""
    chosen = default_ranker() if ranker == "default" else ranker
    resolver = SpeakerResolver(doc, skip, ranker=chosen)
    resolver.resolve_all(attributions)
    find_via(doc, attributions, resolver.entities)
    for attribution in attributions:
        attribution.confidence = find_confidence(doc, attribution)


__all__ = ["enrich"]
