"""Stage one on the fine-tuned encoder: an int8 ONNX model run with onnxruntime.

No torch at run time. The model reads each paragraph window of a parsed ``Doc`` (see
``encoder_inputs``), gives log-probabilities per word, and one Viterbi pass over the whole
document picks the best legal BIO sequence, with the CRF head's transition scores when the
model directory has them and the settings ask for them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy
from spacy.tokens import Doc
from tokenizers import Tokenizer

from onrecord.extraction.decoding import viterbi
from onrecord.extraction.encoder_inputs import (
    LABELS,
    Vocabulary,
    Window,
    batch_arrays,
    make_windows,
    piece_ids,
    words_of,
)

ENCODER_FILE = "encoder.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
TRANSITIONS_FILE = "crf_head.json"
BATCH_WINDOWS = 16


def onnx_session(path: Path, threads: int | None = None):
    """An onnxruntime session on the CPU, set up for onrecord's processes."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # As many threads as cores this process may use (one per worker with --jobs, one
    # when pinned): onnxruntime's default counts the machine's cores and oversubscribes.
    threads = threads or int(os.environ.get("ONRECORD_THREADS", "0"))
    options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
    options.inter_op_num_threads = 1
    # Inputs vary in length; an arena keeps the largest allocation for good.
    options.enable_cpu_mem_arena = False
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class EncoderTagger:
    """Per-token BIO labels and scores for a parsed ``Doc``."""

    def __init__(self, model_dir: Path, meta: dict, threads: int | None = None) -> None:
        self.session = onnx_session(model_dir / ENCODER_FILE, threads)
        self.tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
        self.vocabulary = Vocabulary(meta["dep_labels"])
        settings = meta.get("settings", {})
        self.core_pieces = settings.get("core_pieces", 200)
        self.context_pieces = settings.get("context_pieces", 54)
        self.transitions = self.start = None
        head_path = model_dir / TRANSITIONS_FILE
        if settings.get("decoder") == "crf" and head_path.is_file():
            head = json.loads(head_path.read_text())
            self.transitions = numpy.array(head["transitions"], dtype=numpy.float32)
            self.start = numpy.array(head["start"], dtype=numpy.float32)

    def log_probs(self, doc: Doc, quote: list[int]) -> tuple[list[int], numpy.ndarray]:
        """The words of ``doc`` (token indices) and their label log-probabilities."""
        words = words_of(doc)
        if not words:
            return [], numpy.zeros((0, len(LABELS)), dtype=numpy.float32)
        pieces = piece_ids(self.tokenizer, doc, words)
        side = self.vocabulary.word_ids(doc, quote)
        windows = make_windows(doc, words, pieces, side, self.core_pieces, self.context_pieces)
        scores = numpy.zeros((len(doc), len(LABELS)), dtype=numpy.float32)
        for batch in _batches(windows):
            output = self.session.run(None, batch_arrays(batch))[0]
            for row, window in enumerate(batch):
                scores[window.words] = output[row, window.first_piece]
        return words, scores[words]

    def tag(
        self, doc: Doc, quote: list[int], blend: Callable | None = None
    ) -> tuple[list[str], list[float], numpy.ndarray]:
        """Labels and the probability of each chosen label, per token of ``doc``; and the
        per-word log-probabilities (words x labels). ``blend(doc, words, log_probs)`` may
        replace the log-probabilities before decoding (an ensemble)."""
        words, scores = self.log_probs(doc, quote)
        if blend is not None and words:
            scores = blend(doc, words, scores)
        path = viterbi(scores, self.transitions, self.start)
        labels = ["O"] * len(doc)
        confidence = [1.0] * len(doc)
        for k, i in enumerate(words):
            labels[i] = LABELS[path[k]]
            confidence[i] = float(numpy.exp(scores[k, path[k]]))
        _bridge_spaces(doc, labels)
        return labels, confidence, scores


def _batches(windows: list[Window]) -> list[list[Window]]:
    """Windows of similar length together, so padding stays small."""
    ranked = sorted(windows, key=lambda w: len(w.input_ids))
    return [ranked[k : k + BATCH_WINDOWS] for k in range(0, len(ranked), BATCH_WINDOWS)]


def _bridge_spaces(doc: Doc, labels: list[str]) -> None:
    """A whitespace token without a line break inside a run continues that run."""
    for tok in doc:
        if not tok.is_space or "\n" in tok.text or tok.i == 0 or tok.i + 1 >= len(doc):
            continue
        before, after = labels[tok.i - 1], labels[tok.i + 1]
        if before != "O" and after.startswith("I-") and before[2:] == after[2:]:
            labels[tok.i] = after
