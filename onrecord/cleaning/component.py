"""The cleaning stage's spaCy component: ``nlp.add_pipe("onrecord_boilerplate")``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.cleaning.boilerplate import detect_boilerplate

if not Doc.has_extension("boilerplate"):
    Doc.set_extension("boilerplate", default=None)


@Language.factory("onrecord_boilerplate", assigns=["doc._.boilerplate"])
def make_boilerplate(nlp: Language, name: str) -> BoilerplateComponent:
    """Marks page furniture (menus, teasers, share lines) that extraction skips."""
    return BoilerplateComponent()


class BoilerplateComponent:
    """Sets ``doc._.boilerplate``: character ranges of lines that are not the article."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.boilerplate = detect_boilerplate(doc.text)
        return doc
