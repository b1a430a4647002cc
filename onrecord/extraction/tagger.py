"""The learned part: a linear-chain CRF over token features (python-crfsuite)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.tokens import Doc

from onrecord.extraction.features import CueLexicon, doc_features

MODEL_FILE = "crf.model"
LEXICON_FILE = "cue_lexicon.json"
META_FILE = "meta.json"

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution-crf"


class ModelNotFoundError(FileNotFoundError):
    """The model directory lacks a trained model."""


@dataclass
class AttributionTagger:
    """Tags each token O / B-X / I-X for X in SRC, CUE, CNT."""

    tagger: pycrfsuite.Tagger
    lexicon: CueLexicon
    meta: dict[str, Any]

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> AttributionTagger:
        model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        model_path = model_dir / MODEL_FILE
        if not model_path.is_file():
            raise ModelNotFoundError(
                f"{model_dir}: no trained model ({MODEL_FILE}); run `onrecord train` first"
            )
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        meta_path = model_dir / META_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        return cls(tagger, CueLexicon.load(model_dir / LEXICON_FILE), meta)

    def tag(self, doc: Doc) -> tuple[list[str], list[float]]:
        """Labels and the marginal probability of each chosen label."""
        if len(doc) == 0:
            return [], []
        labels = self.tagger.tag(doc_features(doc, self.lexicon))
        scores = [self.tagger.marginal(label, i) for i, label in enumerate(labels)]
        return labels, scores
