"""onrecord: who said what in news text.

The public API::

    from onrecord import Extractor, Article, Attribution, read_inputs, Store, ingest

    extractor = Extractor()                      # the shipped model, loaded once
    article = extractor.extract_one(text, "my-article")
    for attribution in article.attributions:
        print(attribution.speaker, attribution.to_json())

Names are imported on first use, so ``import onrecord`` (and ``onrecord.store``) does not
load spaCy or the model.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC = {
    "Article": "onrecord.document",
    "Attribution": "onrecord.document",
    "Confidence": "onrecord.document",
    "Extractor": "onrecord.pipeline.extractor",
    "add_onrecord": "onrecord.pipeline.components",
    "read_inputs": "onrecord.readers",
    "Store": "onrecord.store",
    "ingest": "onrecord.pipeline.ingest",
    "evaluate": "onrecord.evaluation.metrics",
}

__all__ = [
    "Article",
    "Attribution",
    "Confidence",
    "Extractor",
    "Store",
    "__version__",
    "add_onrecord",
    "evaluate",
    "ingest",
    "read_inputs",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from onrecord.document import Article, Attribution, Confidence
    from onrecord.evaluation.metrics import evaluate
    from onrecord.pipeline.components import add_onrecord
    from onrecord.pipeline.extractor import Extractor
    from onrecord.pipeline.ingest import ingest
    from onrecord.readers import read_inputs
    from onrecord.store import Store


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'onrecord' has no attribute {name!r}")
