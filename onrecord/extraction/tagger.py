"""The learned model: linear-chain CRFs (python-crfsuite) over token features.

Two architectures share the first stage, a CRF that tags every token ``O`` / ``B-X`` /
``I-X`` for X in SRC, CUE, CNT:

- ``joint``: its source and content spans are grouped under cues by rules (``linking``);
- ``cue-anchored`` (shipped): only its cues are kept; a second CRF then tags, for each cue
  in turn, that cue's own source and content (``roles``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.tokens import Doc

from onrecord.document import Attribution, Fragment
from onrecord.extraction.features import CueLexicon, doc_features, model_items, quote_depths
from onrecord.extraction.linking import link, quote_kind_of_fragments
from onrecord.extraction.roles import SentenceIndex, spans_to_attribution, window_features
from onrecord.extraction.spans import TypedSpan, decode

SPANS_MODEL_FILE = "spans.crf"
ROLES_MODEL_FILE = "roles.crf"
LEXICON_FILE = "cue_lexicon.json"
META_FILE = "meta.json"

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution-crf"


class ModelNotFoundError(FileNotFoundError):
    """The model directory lacks a trained model."""


def open_crf(path: Path) -> pycrfsuite.Tagger:
    if not path.is_file():
        raise ModelNotFoundError(f"{path}: no trained model; run `onrecord train` first")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def tag_with_scores(
    tagger: pycrfsuite.Tagger, features: list[list[str]]
) -> tuple[list[str], list[float]]:
    """Best label sequence and the marginal probability of each chosen label."""
    if not features:
        return [], []
    labels = tagger.tag(features)
    return labels, [tagger.marginal(label, i) for i, label in enumerate(labels)]


@dataclass
class AttributionModel:
    spans: pycrfsuite.Tagger
    roles: pycrfsuite.Tagger | None
    lexicon: CueLexicon
    meta: dict[str, Any]

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> AttributionModel:
        model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
        meta_path = model_dir / META_FILE
        if not meta_path.is_file():
            raise ModelNotFoundError(f"{model_dir}: not an onrecord model (no {META_FILE})")
        meta = json.loads(meta_path.read_text())
        roles_path = model_dir / ROLES_MODEL_FILE
        return cls(
            spans=open_crf(model_dir / SPANS_MODEL_FILE),
            roles=open_crf(roles_path) if meta.get("architecture_id") == "cue-anchored" else None,
            lexicon=CueLexicon.load(model_dir / LEXICON_FILE),
            meta=meta,
        )

    @property
    def vectors(self) -> bool:
        return bool(self.meta.get("settings", {}).get("vectors", False))

    def attributions(self, doc: Doc, skip: list[Fragment] = ()) -> list[Attribution]:
        """Attributions in ``doc``, ignoring spans that touch the ``skip`` ranges."""
        if len(doc) == 0:
            return []
        base = doc_features(doc, self.lexicon)
        labels, scores = tag_with_scores(self.spans, model_items(doc, base, 0, self.vectors))
        spans = [s for s in decode(doc, labels, scores) if not _touches(s, skip)]
        if self.roles is None:
            return link(doc, spans)
        cues = [s for s in self._cue_spans(doc) if not _touches(s, skip)]
        return self._anchored(doc, base, cues)

    def _cue_spans(self, doc: Doc) -> list[TypedSpan]:
        """Runs of tokens whose cue probability reaches the threshold.

        Taking cues by marginal probability rather than from the best sequence trades
        cue precision for recall; stage two drops cues for which it finds no content.
        """
        threshold = self.meta.get("settings", {}).get("cue_threshold", 0.5)
        begin = [self.spans.marginal("B-CUE", i) for i in range(len(doc))]
        inside = [self.spans.marginal("I-CUE", i) for i in range(len(doc))]
        labels, scores = [], []
        for i, tok in enumerate(doc):
            p = begin[i] + inside[i]
            if p < threshold or tok.is_space:
                labels.append("O")
            elif labels and labels[-1] != "O" and inside[i] >= begin[i]:
                labels.append("I-CUE")
            else:
                labels.append("B-CUE")
            scores.append(p)
        return decode(doc, labels, scores)

    def _anchored(
        self, doc: Doc, base: list[list[str]], cues: list[TypedSpan]
    ) -> list[Attribution]:
        sentences = SentenceIndex(doc)
        in_quote = quote_depths(doc)
        cue_tokens = {i for c in cues for i in range(c.start_token, c.end_token)}
        found = []
        for cue in cues:
            window = sentences.window(cue.start_token, cue.end_token)
            others = cue_tokens.difference(range(cue.start_token, cue.end_token))
            feats = window_features(doc, base, sentences, window, others, in_quote)
            items = model_items(doc, feats, window.start, self.vectors)
            labels, scores = tag_with_scores(self.roles, items)
            attribution = spans_to_attribution(doc, window, labels, scores)
            if attribution is None:
                continue
            attribution.score = round((attribution.score + cue.score) / 2, 4)
            attribution.speaker = _text(doc, attribution.source)
            attribution.kind = quote_kind_of_fragments(doc.text, attribution.content)
            found.append(attribution)
        return found


def _text(doc: Doc, fragments: list[Fragment]) -> str | None:
    return " ".join(doc.text[s:e] for s, e in fragments) if fragments else None


def _touches(span: TypedSpan, ranges: list[Fragment]) -> bool:
    return any(span.start_char < end and start < span.end_char for start, end in ranges)
