"""The learned speaker ranker: gradient-boosted trees that score each candidate referent
of a source, and a calibration that turns the winner's margin into ``speaker_score``.

The trees are trained by ``onrecord train --engine speakers`` (scikit-learn, a training
extra) and shipped as plain arrays in JSON, so that running them needs only numpy: every
tree is walked for every candidate at once, one level per step.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from onrecord.speakers.candidates import FEATURES, Candidate

DEFAULT_RANKER = (
    Path(__file__).resolve().parent.parent / "models" / "speaker-ranker" / "ranker.json"
)


class RankerError(ValueError):
    """A ranker file that cannot be used."""


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    score: float  # calibrated probability that the choice is right


class SpeakerRanker:
    """Scores candidates with boosted trees; picks the best and says how sure it is."""

    def __init__(self, model: dict) -> None:
        if tuple(model.get("features", ())) != FEATURES:
            raise RankerError("the ranker was trained on other features: retrain it")
        trees = model["trees"]
        width = max(len(t["feature"]) for t in trees)

        def table(key: str, dtype, fill) -> np.ndarray:
            out = np.full((len(trees), width), fill, dtype=dtype)
            for i, tree in enumerate(trees):
                out[i, : len(tree[key])] = tree[key]
            return out

        self.feature = table("feature", np.int64, 0)
        self.threshold = table("threshold", np.float64, 0.0)
        self.left = table("left", np.int64, 0)
        self.right = table("right", np.int64, 0)
        self.value = table("value", np.float64, 0.0)
        self.leaf = table("leaf", bool, True)
        self.depth = int(model["depth"])
        self.baseline = float(model["baseline"])
        self.calibration = [float(c) for c in model["calibration"]]

    @classmethod
    def load(cls, path: str | Path = DEFAULT_RANKER) -> SpeakerRanker:
        try:
            return cls(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise RankerError(f"{path}: not a speaker ranker ({exc})") from exc

    def raw_scores(self, rows: np.ndarray) -> np.ndarray:
        """The trees' summed log-odds for each row of features."""
        n_trees = self.feature.shape[0]
        trees = np.arange(n_trees)[None, :]
        node = np.zeros((rows.shape[0], n_trees), dtype=np.int64)
        for _ in range(self.depth + 1):
            leaf = self.leaf[trees, node]
            if leaf.all():
                break
            feature = self.feature[trees, node]
            values = np.take_along_axis(rows, feature, axis=1)
            step = np.where(
                values <= self.threshold[trees, node],
                self.left[trees, node],
                self.right[trees, node],
            )
            node = np.where(leaf, node, step)
        return self.baseline + self.value[trees, node].sum(axis=1)

    def choose(self, candidates: list[Candidate]) -> Choice:
        rows = np.array([c.vector() for c in candidates], dtype=np.float64)
        scores = self.raw_scores(rows)
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        second = float(scores[order[1]]) if len(order) > 1 else best - 10.0
        return Choice(candidates[int(order[0])], self.calibrated(best, second))

    def calibrated(self, best: float, second: float) -> float:
        """P(right) from the winner's log-odds and its margin over the runner-up (a
        logistic fit on out-of-fold training predictions)."""
        a, b, c = self.calibration
        return 1.0 / (1.0 + math.exp(-(a * best + b * (best - second) + c)))


@cache
def default_ranker() -> SpeakerRanker | None:
    """The shipped ranker, loaded once; None where none is shipped (the rules decide)."""
    return SpeakerRanker.load() if DEFAULT_RANKER.is_file() else None


def export_trees(predictors: list, baseline: float) -> dict:
    """scikit-learn ``HistGradientBoostingClassifier._predictors`` as plain arrays."""
    trees, depth = [], 0
    for (predictor,) in predictors:
        nodes = predictor.nodes
        depth = max(depth, int(nodes["depth"].max()))
        trees.append(
            {
                "feature": nodes["feature_idx"].astype(int).tolist(),
                "threshold": nodes["num_threshold"].astype(float).tolist(),
                "left": nodes["left"].astype(int).tolist(),
                "right": nodes["right"].astype(int).tolist(),
                "value": nodes["value"].astype(float).tolist(),
                "leaf": nodes["is_leaf"].astype(bool).tolist(),
            }
        )
    return {"features": list(FEATURES), "baseline": baseline, "depth": depth, "trees": trees}
