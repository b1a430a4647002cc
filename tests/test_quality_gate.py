"""The quality gate: the shipped model must stay at or above pinned floors.

Like trafilatura's evaluation gate, accuracy is protected like behaviour: a change that
lowers a score below its floor fails CI. Floors are the measured figures of the shipped
model (BENCHMARKS.md) less about a point, for int8 kernels that differ slightly between
processors; raise them when a change improves them. PolNeAR is
read from ``../shared`` (not bundled); without it these tests skip and say so.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from onrecord.corpora.polnear import read_split
from onrecord.corpora.styles import read_styles
from onrecord.document import Article
from onrecord.evaluation.metrics import evaluate
from onrecord.evaluation.speakers import evaluate_speakers, labels_from_gold, read_labels
from onrecord.pipeline.extractor import Extractor

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
STYLES = ROOT / "benchmarks" / "data" / "styles"
SPEAKER_LABELS = ROOT / "benchmarks" / "data" / "speaker-dev.tsv"

# PolNeAR dev, nested attributions left out (PolNeAR annotates one layer).
POLNEAR_FLOORS = {
    ("exact", "source"): 0.73,  # measured 0.7443
    ("exact", "cue"): 0.67,  # 0.6849
    ("exact", "content"): 0.52,  # 0.5352
    ("segment", "source"): 0.73,  # 0.7443
    ("segment", "cue"): 0.67,  # 0.6849
    ("segment", "content"): 0.58,  # 0.5958
    ("overlap", "content"): 0.83,  # 0.8423
    ("lenient", None): 0.63,  # 0.6405
}
# Speakers: the dev speaker set and the styles eval half chose nothing (BENCHMARKS.md).
SPEAKER_ACCURACY_FLOOR = 0.85  # 0.863 on speaker-dev.tsv (the rules, tuned on it: 0.884)
STYLES_SPEAKER_FLOOR = 0.71  # 0.725 on the styles eval half (the rules: 0.670)
CONFIDENT_SPEAKER_FLOOR = 0.945  # where speaker_score >= 0.8, both sets: 0.959 (212 of 221)
STYLES_LENIENT_FLOOR = 0.68  # 0.6983 on the styles eval half
STYLE_LENIENT_FLOOR = 0.39  # the weakest single style: qa, 0.4058


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def polnear_dev(extractor: Extractor) -> tuple[list[Article], list[Article]]:
    if not POLNEAR.is_dir():
        pytest.skip(f"{POLNEAR} absent: the quality gate needs PolNeAR dev (CI has it)")
    gold = list(read_split(POLNEAR, "dev"))
    predicted = list(extractor.extract(Article(a.id, a.text) for a in gold))
    return gold, predicted


def test_polnear_dev_scores_stay_above_their_floors(polnear_dev) -> None:
    gold, predicted = polnear_dev
    outer = [
        replace(a, attributions=[x for x in a.attributions if x.parent is None]) for a in predicted
    ]
    report = evaluate(gold, outer)
    for (measure, span_type), floor in POLNEAR_FLOORS.items():
        table = getattr(report, measure)
        score = table.f1 if span_type is None else table[span_type].f1
        assert score >= floor, f"{measure} {span_type or ''} F1 {score:.4f} < floor {floor}"


@pytest.fixture(scope="module")
def styles_eval(extractor: Extractor) -> tuple[list, dict[str, Article]]:
    styled = list(read_styles(STYLES, "eval"))
    predicted = {
        a.id: a for a in extractor.extract(Article(s.article.id, s.article.text) for s in styled)
    }
    return styled, predicted


def test_speaker_accuracy_and_calibration_stay_above_their_floors(polnear_dev, styles_eval) -> None:
    gold, predicted = polnear_dev
    dev = evaluate_speakers(gold, predicted, read_labels(SPEAKER_LABELS))
    assert dev.accuracy >= SPEAKER_ACCURACY_FLOOR, dev.format_table()
    styled, by_id = styles_eval
    styles_gold = [s.article for s in styled]
    styles = evaluate_speakers(styles_gold, by_id.values(), labels_from_gold(styles_gold))
    assert styles.accuracy >= STYLES_SPEAKER_FLOOR, styles.format_table()
    confident = dev.confident + styles.confident
    assert confident["matched"] >= 100
    assert confident["correct"] / confident["matched"] >= CONFIDENT_SPEAKER_FLOOR


def test_styles_eval_scores_stay_above_their_floors(styles_eval) -> None:
    styled, predicted = styles_eval
    report = evaluate([s.article for s in styled], predicted.values())
    assert report.lenient.f1 >= STYLES_LENIENT_FLOOR
    for style in {s.style for s in styled}:
        gold = [s.article for s in styled if s.style == style]
        score = evaluate(gold, [predicted[a.id] for a in gold]).lenient.f1
        assert score >= STYLE_LENIENT_FLOOR, f"{style}: lenient F1 {score:.4f}"
