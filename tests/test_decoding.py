"""The encoder's decoder never returns an illegal BIO sequence."""

from __future__ import annotations

import numpy
import pytest

from onrecord.extraction.decoding import is_legal, label_spans, repaired, viterbi
from onrecord.extraction.encoder_inputs import LABEL_IDS, LABELS


def scores_for(labels: list[str], confidence: float = 4.0) -> numpy.ndarray:
    scores = numpy.zeros((len(labels), len(LABELS)), dtype=numpy.float32)
    for k, label in enumerate(labels):
        scores[k, LABEL_IDS[label]] = confidence
    return scores


def test_a_legal_favourite_path_is_kept() -> None:
    wanted = ["B-SRC", "I-SRC", "B-CUE", "B-CNT", "I-CNT", "O"]
    assert [LABELS[i] for i in viterbi(scores_for(wanted))] == wanted


def test_an_inside_label_after_another_type_is_repaired() -> None:
    # The per-word favourites say SRC then I-CUE: no cue was begun, so that is illegal.
    path = viterbi(scores_for(["B-SRC", "I-CUE", "I-CUE", "O"]))
    assert is_legal(path)
    assert [LABELS[i] for i in path][:1] == ["B-SRC"]


def test_no_sequence_starts_inside_a_span() -> None:
    path = viterbi(scores_for(["I-CNT", "I-CNT", "O"]))
    assert is_legal(path)
    assert LABELS[path[0]] != "I-CNT"


@pytest.mark.parametrize("seed", range(25))
def test_random_scores_always_decode_to_legal_sequences(seed: int) -> None:
    rng = numpy.random.default_rng(seed)
    scores = rng.normal(size=(int(rng.integers(1, 60)), len(LABELS))).astype(numpy.float32)
    transitions = rng.normal(size=(len(LABELS), len(LABELS))).astype(numpy.float32)
    assert is_legal(viterbi(scores))
    assert is_legal(viterbi(scores, transitions, numpy.zeros(len(LABELS), numpy.float32)))


def test_transition_scores_change_the_best_path() -> None:
    scores = scores_for(["B-CUE", "B-CUE"], confidence=1.0)
    scores[1, LABEL_IDS["I-CUE"]] = 0.9
    assert [LABELS[i] for i in viterbi(scores)] == ["B-CUE", "B-CUE"]
    prefer_continuing = numpy.zeros((len(LABELS), len(LABELS)), dtype=numpy.float32)
    prefer_continuing[LABEL_IDS["B-CUE"], LABEL_IDS["I-CUE"]] = 1.0
    assert [LABELS[i] for i in viterbi(scores, prefer_continuing)] == ["B-CUE", "I-CUE"]


def test_empty_input_decodes_to_nothing() -> None:
    assert len(viterbi(numpy.zeros((0, len(LABELS)), dtype=numpy.float32))) == 0


def test_label_spans_are_maximal_runs() -> None:
    ids = [LABEL_IDS[x] for x in ["B-SRC", "I-SRC", "B-CUE", "B-CNT", "I-CNT", "O", "B-CNT"]]
    assert label_spans(ids) == [("SRC", 0, 2), ("CUE", 2, 3), ("CNT", 3, 5), ("CNT", 6, 7)]
    assert not is_legal([LABEL_IDS["O"], LABEL_IDS["I-SRC"]])


def test_gold_labels_with_an_illegal_inside_are_repaired() -> None:
    ids = [LABEL_IDS[x] for x in ["B-SRC", "I-CNT", "I-CNT", "O", "I-CUE"]]
    fixed = [LABELS[i] for i in repaired(ids)]
    assert fixed == ["B-SRC", "B-CNT", "I-CNT", "O", "B-CUE"]
    assert is_legal(repaired(ids))
