"""Train the speaker ranker: boosted trees over the candidates of labelled sources.

Labels come from PolNeAR train (``benchmarks/data/speaker-train.tsv``, written under
``benchmarks/data/SPEAKERS-GUIDE.md``) and from the speakers of the styles set's train
half. Each labelled gold source is read by the rule resolver as at run time; every
candidate it offers becomes one row, positive when its name matches the label. The
number of trees is chosen by 5-fold cross-validation grouped by article, on the training
labels only; the out-of-fold scores fit the calibration. The dev speaker set and the
styles eval half are scored once at the end, for the model card, and choose nothing.

    onrecord train --engine speakers --polnear ../shared/data/polnear \
        --labels benchmarks/data/speaker-train.tsv --styles benchmarks/data/styles \
        --dev-labels benchmarks/data/speaker-dev.tsv --out onrecord/models/speaker-ranker
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from onrecord.document import Article
from onrecord.evaluation.speakers import SpeakerLabel, labels_from_gold, names_match, read_labels
from onrecord.speakers.candidates import FEATURES, Candidate
from onrecord.speakers.ranker import SpeakerRanker, export_trees
from onrecord.speakers.resolve import SpeakerResolver

TREE_CHOICES = (150, 300)
SETTINGS = {
    "learning_rate": 0.05,
    "early_stopping": False,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 8,
    "l2_regularization": 1.0,
    "random_state": 0,
}
FOLDS = 5


@dataclass
class Sample:
    """One labelled source: its candidates' features and which are right."""

    doc: str
    label: SpeakerLabel
    rows: np.ndarray
    right: np.ndarray  # bool per candidate
    rule: int  # index of the rules' own choice
    names: list[str | None]  # each candidate's name, for error analysis


def collect(nlp, articles: Iterable[Article], labels: list[SpeakerLabel]) -> list[Sample]:
    """Samples for every label whose gold source is in ``articles``."""
    wanted: dict[str, dict[tuple[int, int], SpeakerLabel]] = {}
    for label in labels:
        wanted.setdefault(label.doc, {})[(label.start, label.end)] = label
    chosen = [a for a in articles if a.id in wanted]
    samples: list[Sample] = []
    for doc, article in zip(nlp.pipe(a.text for a in chosen), chosen, strict=True):
        here = wanted[article.id]

        def capture(attribution, found: list[Candidate], doc_id=article.id, here=here) -> None:
            label = here.get(tuple(attribution.source[0]))
            if label is None:
                return
            right = np.array([names_match(c.name, label) for c in found])
            rule = next(i for i, c in enumerate(found) if c.from_rules)
            rows = np.array([c.vector() for c in found], dtype=np.float64)
            names = [c.name for c in found]
            samples.append(Sample(doc_id, label, rows, right, rule, names))

        gold = [replace(a, speaker=None) for a in article.attributions]
        resolver = SpeakerResolver(doc, doc._.boilerplate or [], on_candidates=capture)
        resolver.resolve_all(gold)
    return samples


def fit(samples: list[Sample], trees: int):
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.concatenate([s.rows for s in samples])
    y = np.concatenate([s.right for s in samples]).astype(int)
    model = HistGradientBoostingClassifier(max_iter=trees, **SETTINGS)
    model.fit(x, y)
    return model


def _margins(model, samples: list[Sample]) -> list[tuple[float, float, bool, bool]]:
    """(best log-odds, margin over the runner-up, chosen right, rules right) per sample."""
    if not samples:
        return []
    scores = model.decision_function(np.concatenate([s.rows for s in samples]))
    out, at = [], 0
    for s in samples:
        mine = scores[at : at + len(s.rows)]
        at += len(s.rows)
        order = np.argsort(-mine, kind="stable")
        best = float(mine[order[0]])
        second = float(mine[order[1]]) if len(order) > 1 else best - 10.0
        out.append((best, best - second, bool(s.right[order[0]]), bool(s.right[s.rule])))
    return out


def cross_validate(samples: list[Sample], trees: int) -> list[tuple[float, float, bool, bool]]:
    docs = sorted({s.doc for s in samples})
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    out: list = [None] * len(samples)
    for fold in range(FOLDS):
        train = [s for s in samples if fold_of[s.doc] != fold]
        model = fit(train, trees)
        held = [i for i, s in enumerate(samples) if fold_of[s.doc] == fold]
        for i, row in zip(held, _margins(model, [samples[i] for i in held]), strict=True):
            out[i] = row
    return out


def calibrate(margins: list[tuple[float, float, bool, bool]]) -> list[float]:
    from sklearn.linear_model import LogisticRegression

    x = np.array([[m[0], m[1]] for m in margins])
    y = np.array([m[2] for m in margins]).astype(int)
    fitted = LogisticRegression(C=1.0).fit(x, y)
    a, b = fitted.coef_[0]
    return [float(a), float(b), float(fitted.intercept_[0])]


def accuracy(margins) -> tuple[float, float]:
    n = len(margins) or 1
    return sum(m[2] for m in margins) / n, sum(m[3] for m in margins) / n


def score_with(ranker: SpeakerRanker, samples: list[Sample]) -> dict:
    """Accuracy on held-out labels with gold sources, and of the rules on the same."""
    chosen_right = rules_right = confident = confident_right = 0
    for s in samples:
        scores = ranker.raw_scores(s.rows)
        order = np.argsort(-scores, kind="stable")
        second = scores[order[1]] if len(order) > 1 else scores[order[0]] - 10.0
        p = ranker.calibrated(float(scores[order[0]]), float(second))
        right = bool(s.right[order[0]])
        chosen_right += right
        rules_right += bool(s.right[s.rule])
        if p >= 0.8:
            confident += 1
            confident_right += right
    n = len(samples) or 1
    return {
        "labels": len(samples),
        "ranker": round(chosen_right / n, 4),
        "rules": round(rules_right / n, 4),
        "score>=0.8": confident,
        "score>=0.8 accuracy": round(confident_right / (confident or 1), 4),
    }


def train_ranker(
    polnear: Path,
    labels_path: Path,
    out: Path,
    styles: Path | None = None,
    dev_labels: Path | None = None,
    log=print,
) -> dict:
    """Train, export and describe the ranker; returns the model card's figures."""
    from onrecord.corpora.polnear import read_split
    from onrecord.corpora.styles import read_styles
    from onrecord.pipeline.extractor import load_pipeline

    started = time.time()
    labels = read_labels(labels_path)
    nlp = load_pipeline(speakers=False)  # the shipped ranker may predate these features
    nlp.select_pipes(disable=["onrecord_attributions"])
    samples = collect(nlp, read_split(polnear, "train"), labels)
    log(f"PolNeAR train: {len(labels)} labels, {len(samples)} gold attributions")
    if styles:
        styled = [s.article for s in read_styles(styles, "train")]
        samples += collect(nlp, styled, labels_from_gold(styled))
    log(f"training samples: {len(samples)}, candidates: {sum(len(s.rows) for s in samples)}")
    by_trees = {}
    for trees in TREE_CHOICES:
        by_trees[trees] = cross_validate(samples, trees)
        ranker_acc, rules_acc = accuracy(by_trees[trees])
        log(f"{trees} trees: cross-validated accuracy {ranker_acc:.4f} (rules {rules_acc:.4f})")
    trees = max(TREE_CHOICES, key=lambda t: (accuracy(by_trees[t])[0], -t))
    model = fit(samples, trees)
    exported = export_trees(model._predictors, float(np.ravel(model._baseline_prediction)[0]))
    exported["calibration"] = calibrate(by_trees[trees])
    ranker = SpeakerRanker(exported)
    ranker_acc, rules_acc = accuracy(by_trees[trees])
    card = {
        "trees": trees,
        "settings": SETTINGS,
        "features": len(FEATURES),
        "training_labels": {"polnear_train": len(labels), "samples": len(samples)},
        "cross_validated": {"ranker": round(ranker_acc, 4), "rules": round(rules_acc, 4)},
        "cross_validated_by_trees": {t: round(accuracy(m)[0], 4) for t, m in by_trees.items()},
        "calibration": exported["calibration"],
    }
    if dev_labels:
        dev = read_labels(dev_labels)
        card["dev_gold_sources"] = score_with(ranker, collect(nlp, read_split(polnear, "dev"), dev))
    if styles:
        styled = [s.article for s in read_styles(styles, "eval")]
        card["styles_eval_gold_sources"] = score_with(
            ranker, collect(nlp, styled, labels_from_gold(styled))
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "ranker.json").write_text(json.dumps(exported, separators=(",", ":")), encoding="utf-8")
    (out / "training.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(model_card(card), encoding="utf-8")
    log(f"wrote {out} in {time.time() - started:.0f} s")
    return card


def model_card(card: dict) -> str:
    def row(name: str, figures: dict | None) -> str:
        if not figures:
            return f"| {name} | - | - | - | - |"
        confident = (
            f"{figures['score>=0.8 accuracy']:.3f} ({figures['score>=0.8']})"
            if "score>=0.8" in figures
            else "-"
        )
        return (
            f"| {name} | {figures['labels']} | {figures['ranker']:.3f} | {figures['rules']:.3f} "
            f"| {confident} |"
        )

    cv = card["cross_validated"]
    cv_row = {"labels": card["training_labels"]["samples"], **cv}
    return f"""# Speaker ranker

Gradient-boosted trees (scikit-learn `HistGradientBoostingClassifier`, exported to plain
arrays and run with numpy) that score each candidate referent of an attribution's source:
the rule resolver's reading, the registry's entities near the source or already heard,
the article's main people, the source's own words for a group or body, and "nobody".
The best candidate becomes the speaker; a logistic calibration of its log-odds and its
margin over the runner-up becomes `speaker_score`.

## Data
- {card["training_labels"]["polnear_train"]} labelled PolNeAR v1.0.0 *train* sources
  (`benchmarks/data/speaker-train.tsv`, pronouns, descriptions and partial names,
  labelled under `benchmarks/data/SPEAKERS-GUIDE.md`), and the speakers of the styles
  set's train half (every source): {card["training_labels"]["samples"]} samples in all.
- The dev speaker set and the styles eval half are scored below and chose nothing.

## Settings
{card["features"]} features (`onrecord/speakers/candidates.py`); {card["trees"]} trees chosen
among {list(card["cross_validated_by_trees"])} by 5-fold cross-validation grouped by article
on the training labels; settings {card["settings"]}.

## Figures (gold sources: the resolver alone, on the gold attribution spans)
| set | labels | ranker | rules alone | accuracy at score >= 0.8 (n) |
|---|---|---|---|---|
{row("training, 5-fold cross-validated", cv_row)}
{row("PolNeAR dev speaker set", card.get("dev_gold_sources"))}
{row("styles eval half", card.get("styles_eval_gold_sources"))}

End-to-end figures (on the engine's own spans) are in BENCHMARKS.md.

Reproduce: `onrecord train --engine speakers --polnear ../shared/data/polnear
--labels benchmarks/data/speaker-train.tsv --styles benchmarks/data/styles
--dev-labels benchmarks/data/speaker-dev.tsv --out onrecord/models/speaker-ranker`
"""
