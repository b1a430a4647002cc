"""Speaker accuracy on a labelled set of PolNeAR dev sources.

Each label names the canonical speaker behind one gold source (a pronoun, a description
or a partial name). A label counts when the gold attribution is leniently matched by a
prediction; it is right when the predicted speaker has the label's surname (persons) or
shares its name words (other bodies), or, for an anonymous or unresolvable label, when
the prediction names nobody.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onrecord.document import Article
from onrecord.evaluation.metrics import lenient_pairs
from onrecord.speakers.names import fold, surname_key

NOBODY = {"anonymous", "unresolved"}
FUNCTION_WORDS = {"the", "of", "and", "for", "a", "an", "s", "u", "us", "to", "in", "on"}


@dataclass(frozen=True)
class SpeakerLabel:
    doc: str
    start: int
    end: int
    form: str  # pronoun | description | partial-name
    speaker: str | None
    type: str


@dataclass
class SpeakerReport:
    labels: int = 0
    matched: int = 0
    correct: int = 0
    unresolved: int = 0  # matched, a name expected, none predicted
    by_form: dict[str, Counter] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.matched if self.matched else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "matched": self.matched,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "unresolved": self.unresolved,
            "by_form": {
                form: {
                    **counts,
                    "accuracy": round(counts["correct"] / counts["matched"], 4)
                    if counts["matched"]
                    else 0.0,
                }
                for form, counts in sorted(self.by_form.items())
            },
        }

    def format_table(self) -> str:
        lines = [f"{'speaker set':<14}{'labels':>8}{'matched':>9}{'correct':>9}{'accuracy':>10}"]
        rows = [("all", Counter(labels=self.labels, matched=self.matched, correct=self.correct))]
        rows += sorted(self.by_form.items())
        for name, c in rows:
            accuracy = c["correct"] / c["matched"] if c["matched"] else 0.0
            lines.append(
                f"{name:<14}{c['labels']:>8}{c['matched']:>9}{c['correct']:>9}{accuracy:>10.3f}"
            )
        lines.append(f"unresolved (a name was expected, none given): {self.unresolved}")
        return "\n".join(lines)


def read_labels(path: str | Path) -> list[SpeakerLabel]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [
            SpeakerLabel(doc, int(start), int(end), form, None if name == "-" else name, kind)
            for doc, start, end, form, name, kind in rows
        ]


def names_match(predicted: str | None, label: SpeakerLabel) -> bool:
    """People: same surname. Bodies, groups, documents: the proper names in one are all
    in the other ("Trump team" ~ "Trump campaign"); a generic "report" names nobody."""
    if label.speaker is None or label.type in NOBODY:
        return predicted is None
    if predicted is None:
        return False
    if label.type == "person":
        return surname_key(predicted) == surname_key(label.speaker)
    ours, theirs = _proper_words(predicted), _proper_words(label.speaker)
    return bool(ours) and bool(theirs) and (ours <= theirs or theirs <= ours)


def _proper_words(name: str) -> set[str]:
    capitalised = " ".join(w for w in name.split() if w[:1].isupper())
    return set(fold(capitalised).split()) - FUNCTION_WORDS


def evaluate_speakers(
    gold: Iterable[Article], predicted: Iterable[Article], labels: list[SpeakerLabel]
) -> SpeakerReport:
    by_doc: dict[str, list[SpeakerLabel]] = {}
    for label in labels:
        by_doc.setdefault(label.doc, []).append(label)
    predictions = {a.id: a for a in predicted}
    report = SpeakerReport(labels=len(labels))
    for label in labels:
        report.by_form.setdefault(label.form, Counter())["labels"] += 1
    for article in gold:
        wanted = by_doc.get(article.id)
        if not wanted or article.id not in predictions:
            continue
        pairs = lenient_pairs(article, predictions[article.id])
        for label in wanted:
            _score(report, label, article, pairs)
    return report


def _score(report: SpeakerReport, label: SpeakerLabel, article: Article, pairs: list) -> None:
    predicted = next(
        (p for p, g in pairs if g.source and g.source[0] == (label.start, label.end)), None
    )
    if predicted is None:
        return
    counts = report.by_form[label.form]
    report.matched += 1
    counts["matched"] += 1
    if names_match(predicted.speaker, label):
        report.correct += 1
        counts["correct"] += 1
        return
    if predicted.speaker is None and label.speaker is not None:
        report.unresolved += 1
    report.errors.append(
        {
            "doc": label.doc,
            "source": article.text[label.start : label.end],
            "expected": label.speaker,
            "predicted": predicted.speaker,
            "predicted_type": predicted.speaker_type,
            "form": label.form,
        }
    )
