"""The shipped sentence encoder (all-MiniLM-L6-v2, int8 ONNX, mean pooling): what claims
and quote renderings are compared with. Sentences written for the project."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord.claims.sentences import SENTENCE_MODEL_DIR, sentence_encoder
from onrecord.interfaces import cli


@pytest.fixture(scope="module")
def encoder():
    return sentence_encoder()


def test_vectors_are_unit_length_and_an_empty_text_has_none(encoder) -> None:
    vectors = encoder.embed(["The ferry will run every hour, the mayor said.", "", "   "])
    assert vectors.shape == (3, 384)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-3)
    assert not vectors[1].any() and not vectors[2].any()


def test_rewordings_are_nearer_than_other_topics(encoder) -> None:
    taxes, reworded, troops = encoder.embed(
        [
            "taxes will go up for the middle class next year",
            "middle-class families would pay higher taxes from next year",
            "he would not rule out sending troops to the border",
        ]
    )
    assert taxes @ reworded > 0.7
    assert taxes @ troops < 0.3


def test_a_batch_gives_what_each_text_gives_alone(encoder) -> None:
    texts = ["short one", "a much longer statement about the harbour bridge repairs", "mid"]
    together = encoder.embed(texts)
    alone = np.vstack([encoder.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_the_model_card_says_how_it_was_made() -> None:
    card = (SENTENCE_MODEL_DIR / "README.md").read_text(encoding="utf-8")
    assert "onrecord train --engine sentences" in card and "all-MiniLM-L6-v2" in card


def test_engines_that_read_polnear_ask_for_it(capsys) -> None:
    assert cli.main(["train", "--engine", "crf", "--out", "x"]) == cli.EXIT_USAGE
    assert "--engine crf needs --polnear" in capsys.readouterr().err
