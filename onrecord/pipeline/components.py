"""``nlp.add_pipe("onrecord")``: the three stages as one component, for convenience.

``add_onrecord`` adds them as separate pipes (the way the CLI runs them):
``onrecord_boilerplate`` → ``onrecord_attributions`` → ``onrecord_speakers``.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

import onrecord.cleaning.component  # noqa: F401  (registers onrecord_boilerplate)
import onrecord.extraction.component  # noqa: F401  (registers onrecord_attributions)
import onrecord.speakers.component  # noqa: F401  (registers onrecord_speakers)
from onrecord.cleaning.component import BoilerplateComponent
from onrecord.extraction.component import AttributionComponent, make_attributions
from onrecord.speakers.component import SpeakersComponent, make_speakers


def add_onrecord(
    nlp: Language, model_dir: str | Path | None = None, speakers: bool = True
) -> Language:
    """Add onrecord's stages to ``nlp``: paragraph breaks before the parser, then
    boilerplate, attributions and (unless ``speakers`` is false) speakers, last."""
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("onrecord_paragraphs", before="parser")
    nlp.add_pipe("onrecord_boilerplate")
    nlp.add_pipe("onrecord_attributions", config={"model": str(model_dir) if model_dir else None})
    if speakers:
        nlp.add_pipe("onrecord_speakers")
    return nlp


class OnrecordComponent:
    """Boilerplate, attributions and speakers in one pipe."""

    def __init__(
        self, attributions: AttributionComponent, speakers: SpeakersComponent | None
    ) -> None:
        self.boilerplate = BoilerplateComponent()
        self.attributions = attributions
        self.speakers = speakers

    def __call__(self, doc: Doc) -> Doc:
        doc = self.attributions(self.boilerplate(doc))
        return self.speakers(doc) if self.speakers is not None else doc


@Language.factory(
    "onrecord",
    default_config={"model": None, "speakers": True},
    assigns=["doc._.attributions", "doc._.boilerplate"],
    requires=["token.dep", "token.pos", "token.ent_type"],
)
def make_onrecord(nlp: Language, name: str, model: str | None, speakers: bool) -> OnrecordComponent:
    """``model``: a directory made by ``onrecord train``; default: the shipped model.
    ``speakers``: resolve speakers, provenance and confidence (false: spans only)."""
    return OnrecordComponent(
        make_attributions(nlp, name, model), make_speakers(nlp, name) if speakers else None
    )
