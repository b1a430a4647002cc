"""Best legal BIO sequence from per-word label scores (numpy only, no torch).

Legal means an ``I-X`` only ever follows ``B-X`` or ``I-X``, and no sequence starts with
``I-X``. ``transitions`` (a CRF head's learned scores, labels x labels) are added to the
constraint; without them every legal step costs nothing, so the decoder is the encoder
alone with illegal sequences ruled out.
"""

from __future__ import annotations

import numpy

from onrecord.extraction.encoder_inputs import LABELS

FORBIDDEN = -1e4


def allowed_transitions(labels: tuple[str, ...] = LABELS) -> numpy.ndarray:
    """(previous, next) -> 0 where legal, FORBIDDEN where not."""
    n = len(labels)
    mask = numpy.zeros((n, n), dtype=numpy.float32)
    for j, nxt in enumerate(labels):
        if not nxt.startswith("I-"):
            continue
        for i, prev in enumerate(labels):
            if prev[2:] != nxt[2:]:
                mask[i, j] = FORBIDDEN
    return mask


def allowed_starts(labels: tuple[str, ...] = LABELS) -> numpy.ndarray:
    return numpy.array(
        [FORBIDDEN if label.startswith("I-") else 0.0 for label in labels], dtype=numpy.float32
    )


_MASK = allowed_transitions()
_START = allowed_starts()


def viterbi(
    scores: numpy.ndarray,
    transitions: numpy.ndarray | None = None,
    start: numpy.ndarray | None = None,
) -> numpy.ndarray:
    """Label ids (one per row of ``scores``, words x labels) of the best legal path."""
    n_words = scores.shape[0]
    if n_words == 0:
        return numpy.zeros(0, dtype=numpy.int64)
    step = _MASK if transitions is None else _MASK + transitions
    best = scores[0] + _START + (0.0 if start is None else start)
    back = numpy.zeros((n_words, scores.shape[1]), dtype=numpy.int64)
    for t in range(1, n_words):
        candidates = best[:, None] + step
        back[t] = candidates.argmax(axis=0)
        best = candidates.max(axis=0) + scores[t]
    path = numpy.zeros(n_words, dtype=numpy.int64)
    path[-1] = int(best.argmax())
    for t in range(n_words - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def is_legal(label_ids: list[int] | numpy.ndarray) -> bool:
    """True when no ``I-X`` starts the sequence or follows anything but ``X``."""
    previous = None
    for label_id in label_ids:
        label = LABELS[int(label_id)]
        if label.startswith("I-") and (previous is None or previous[2:] != label[2:]):
            return False
        previous = label
    return True


def repaired(label_ids: list[int]) -> list[int]:
    """The sequence with each illegal ``I-X`` turned into ``B-X`` (gold labels can hold
    them where two attributions' spans touch)."""
    out = []
    previous = None
    for label_id in label_ids:
        label = LABELS[label_id]
        if label.startswith("I-") and (previous is None or previous[2:] != label[2:]):
            label_id = LABELS.index("B-" + label[2:])
            label = LABELS[label_id]
        out.append(label_id)
        previous = label
    return out


def label_spans(label_ids: list[int] | numpy.ndarray) -> list[tuple[str, int, int]]:
    """(type code, first word, end word) runs of a legal label sequence."""
    spans = []
    current: list = []
    for k, label_id in enumerate([*list(label_ids), 0]):
        label = LABELS[int(label_id)]
        if current and not (label.startswith("I-") and label[2:] == current[0]):
            spans.append((current[0], current[1], k))
            current = []
        if label.startswith("B-") or (label.startswith("I-") and not current):
            current = [label[2:], k]
    return spans
