"""The learned model: how spans are found (stage one) and grouped (stage two).

Stage one, ``cues``:
- ``crf`` (shipped): a linear-chain CRF (python-crfsuite) over token features, tagging
  every token ``O`` / ``B-X`` / ``I-X`` for X in SRC, CUE, CNT;
- ``ner``: a spaCy NER fine-tuned from en_core_web_sm's tok2vec (``cue_tagger``).

Stage two, ``linking``:
- ``rules`` (shipped): stage one's source and content spans are grouped under cues by
  dependency and proximity rules (``linking``);
- ``roles``: a second CRF tags, for each cue in turn, that cue's own source and content in
  a window of sentences around it (``roles``).

BENCHMARKS.md compares the four combinations on PolNeAR dev.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy
import pycrfsuite
from spacy.tokens import Doc

from onrecord.document import Attribution, Fragment
from onrecord.extraction.cue_tagger import CueTagger
from onrecord.extraction.encoder_inputs import LABELS
from onrecord.extraction.encoder_tagger import EncoderTagger
from onrecord.extraction.features import (
    CueLexicon,
    doc_features,
    model_items,
    quote_depths,
    with_encoder_scores,
)
from onrecord.extraction.linking import agentless_passives, link, quote_kind_of_fragments
from onrecord.extraction.nested import nested_attributions
from onrecord.extraction.roles import SentenceIndex, spans_to_attribution, window_features
from onrecord.extraction.spans import TypedSpan, decode

SPANS_MODEL_FILE = "spans.crf"
ROLES_MODEL_FILE = "roles.crf"
LEXICON_FILE = "cue_lexicon.json"
META_FILE = "meta.json"

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
# Engine v2 (the fine-tuned encoder); v1, the feature CRF: MODELS_DIR / "attribution-crf"
DEFAULT_MODEL_DIR = MODELS_DIR / "attribution-encoder"


class ModelNotFoundError(FileNotFoundError):
    """The model directory lacks a trained model."""


def read_meta(model_dir: str | Path | None) -> tuple[Path, dict[str, Any]]:
    """The model directory (default: the shipped one) and its ``meta.json``."""
    model_dir = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
    meta_path = model_dir / META_FILE
    if not meta_path.is_file():
        raise ModelNotFoundError(f"{model_dir}: not an onrecord model (no {META_FILE})")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["stages"]["cues"] not in STAGES["cues"]:
            raise ValueError(f"unknown stage {meta['stages']['cues']!r}")
        if meta["stages"]["linking"] not in STAGES["linking"]:
            raise ValueError(f"unknown stage {meta['stages']['linking']!r}")
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelNotFoundError(
            f"{meta_path}: not a valid onrecord model description ({exc})"
        ) from exc
    return model_dir, meta


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


CUE_TAGGER_DIR = "cue-tagger"
# A lemma counts as a reporting word for the agentless-passive rule above this share of
# cue uses in training.
CUE_WORD_RATIO = 0.2
STAGES = {"cues": ("ner", "crf", "encoder", "ensemble"), "linking": ("roles", "rules")}


@dataclass
class AttributionModel:
    lexicon: CueLexicon
    meta: dict[str, Any]
    spans: pycrfsuite.Tagger | None = None  # stage one, crf
    cue_tagger: CueTagger | None = None  # stage one, ner
    roles: pycrfsuite.Tagger | None = None  # stage two, roles
    encoder: EncoderTagger | None = None  # stage one, encoder

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> AttributionModel:
        model_dir, meta = read_meta(model_dir)
        stages = meta["stages"]
        model = cls(CueLexicon.load(model_dir / LEXICON_FILE), meta)
        if stages["cues"] == "crf":
            model.spans = open_crf(model_dir / SPANS_MODEL_FILE)
            model.encoder = stacked_encoder(meta["settings"].get("encoder_features", ""))
        elif stages["cues"] in ("encoder", "ensemble"):
            model.encoder = EncoderTagger(model_dir, meta)
            if stages["cues"] == "ensemble":  # (d): the v1 CRF's probabilities averaged in
                model.spans = open_crf(model_dir / SPANS_MODEL_FILE)
        else:
            model.cue_tagger = CueTagger.load(model_dir / CUE_TAGGER_DIR)
        if stages["linking"] == "roles":
            model.roles = open_crf(model_dir / ROLES_MODEL_FILE)
        return model

    @property
    def vectors(self) -> bool:
        return bool(self.meta.get("settings", {}).get("vectors", False))

    def attributions(self, doc: Doc, skip: list[Fragment] = ()) -> list[Attribution]:
        """Attributions in ``doc``, ignoring spans that touch the ``skip`` ranges."""
        if len(doc) == 0:
            return []
        if self.encoder is not None and self.meta["stages"]["cues"] != "crf":
            outer = self._encoder_pass(doc, skip)
            if not self.meta.get("settings", {}).get("nested", True):
                return outer
            return nested_attributions(
                doc, outer, lambda sub: self._encoder_pass(sub, []), self.lexicon.ratio
            )
        base = doc_features(doc, self.lexicon)
        if self.cue_tagger is not None:
            spans = self.cue_tagger.spans(doc)
            cues = [s for s in spans if s.type == "cue"]
        else:
            items = model_items(doc, base, 0, self.vectors)
            if self.encoder is not None:  # stacked: the encoder's scores are features
                items = with_encoder_scores(items, *self.encoder.log_probs(doc, quote_depths(doc)))
            labels, scores = tag_with_scores(self.spans, items)
            spans = decode(doc, labels, scores)
            # Lowering the cue threshold in rules mode was tried: it cost precision for no recall.
            cues = self._cue_spans(doc) if self.roles is not None else []
        if self.roles is None:
            spans = _merge(spans, agentless_passives(doc, self._is_cue_word))
            return link(doc, [s for s in spans if not _touches(s, skip)])
        return self._anchored(doc, base, [c for c in cues if not _touches(c, skip)])

    def _encoder_pass(self, doc: Doc, skip: list[Fragment]) -> list[Attribution]:
        blend = self._with_crf if self.spans is not None else None
        labels, scores, _ = self.encoder.tag(doc, quote_depths(doc), blend)
        spans = decode(doc, labels, scores)
        if self.meta.get("settings", {}).get("agentless_rule", True):
            spans = _merge(spans, agentless_passives(doc, self._is_cue_word))
        return link(doc, [s for s in spans if not _touches(s, skip)])

    def _with_crf(self, doc: Doc, words: list[int], log_probs: Any) -> Any:
        """Log of the mean of the encoder's and the CRF's label probabilities per word."""
        self.spans.set(model_items(doc, doc_features(doc, self.lexicon), 0, self.vectors))
        known = set(self.spans.labels())
        crf = numpy.array(
            [
                [self.spans.marginal(label, i) if label in known else 0.0 for label in LABELS]
                for i in words
            ],
            dtype=numpy.float32,
        ).reshape(len(words), len(LABELS))
        return numpy.log((numpy.exp(log_probs) + crf) / 2 + 1e-9)

    def _is_cue_word(self, lemma: str) -> bool:
        return self.lexicon.ratio(lemma) >= CUE_WORD_RATIO

    def _cue_spans(self, doc: Doc) -> list[TypedSpan]:
        """Runs of tokens whose cue probability reaches the threshold (stage one crf).

        Taking cues by marginal probability rather than from the best sequence trades
        cue precision for recall; stage two drops cues for which it finds no content.
        """
        threshold = self.meta.get("settings", {}).get("cue_threshold", 0.5)
        # Marginals refer to the sequence the CRF tagged last: this doc, in ``attributions``.
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
        text = doc.text  # joined from the tokens on each read: once, not per cue
        found = []
        for cue in cues:
            window = sentences.window(cue.start_token, cue.end_token)
            others = cue_tokens.difference(range(cue.start_token, cue.end_token))
            feats = window_features(doc, base, sentences, window, others, in_quote)
            labels, scores = tag_with_scores(self.roles, feats)
            attribution = spans_to_attribution(doc, window, labels, scores)
            if attribution is None:
                continue
            attribution.score = round((attribution.score + cue.score) / 2, 4)
            attribution.kind = quote_kind_of_fragments(text, attribution.content)
            found.append(attribution)
        return found


def stacked_encoder(model_dir: str) -> EncoderTagger | None:
    """The encoder whose scores a stacked CRF reads as features (none: a plain CRF)."""
    if not model_dir:
        return None
    encoder_dir, meta = read_meta(model_dir)
    return EncoderTagger(encoder_dir, meta)


def _merge(spans: list[TypedSpan], extra: list[TypedSpan]) -> list[TypedSpan]:
    """``extra`` spans replace the tagged spans they overlap."""
    if not extra:
        return spans
    kept = [s for s in spans if not any(_overlap(s, e) for e in extra)]
    return sorted(kept + extra, key=lambda s: s.start_token)


def _overlap(a: TypedSpan, b: TypedSpan) -> bool:
    return a.start_token < b.end_token and b.start_token < a.end_token


def _touches(span: TypedSpan, ranges: list[Fragment]) -> bool:
    return any(span.start_char < end and start < span.end_char for start, end in ranges)
