"""Quote fidelity: how one rendering of a quoted passage relates to the other renderings
of the same passage by the same speaker (verbatim, trimmed, spliced, altered,
paraphrased), and which rendering was first on record::

    from onrecord.fidelity import FidelityIndex, renderings_of

    index = FidelityIndex()
    for article in articles:                       # extracted, with outlet and date
        for rendering in renderings_of(article):
            for key, fidelity in index.add(rendering).items():
                print(key, fidelity.to_json())     # the new one and earlier ones it changed
"""

from onrecord.fidelity.index import Fidelity, FidelityIndex, FirstOnRecord
from onrecord.fidelity.passages import Rendering, quote_key, quoted_fragments, renderings_of
from onrecord.fidelity.relate import RELATIONS, Change, Comparison, Relation, compare
from onrecord.fidelity.settings import DEFAULTS, FidelitySettings
from onrecord.fidelity.words import Words, words_of

__all__ = [
    "DEFAULTS",
    "RELATIONS",
    "Change",
    "Comparison",
    "Fidelity",
    "FidelityIndex",
    "FidelitySettings",
    "FirstOnRecord",
    "Relation",
    "Rendering",
    "Words",
    "compare",
    "quote_key",
    "quoted_fragments",
    "renderings_of",
    "words_of",
]
