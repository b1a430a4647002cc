"""Speaker accuracy on labelled sources: PolNeAR dev (``speaker-dev.tsv``) or the styles
set, whose gold attributions name their speakers.

Each label names the canonical speaker behind one gold source. A label counts when the
gold attribution is leniently matched by a prediction; it is right when the predicted
speaker has the label's surname (persons) or shares its name words (other bodies), or, for
an anonymous or unresolvable label, when the prediction names nobody. Scores are broken
down by the source's form (pronoun, description, partial name, full name) and by the
pattern it belongs to (:func:`pattern_of`), and calibration is read off ``speaker_score``.
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
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "who"}
# Words that make a label a body rather than a person ("Pernambuco State Health Department").
BODY_WORDS = {
    "ministry",
    "department",
    "agency",
    "office",
    "council",
    "committee",
    "commission",
    "court",
    "police",
    "force",
    "army",
    "navy",
    "government",
    "administration",
    "bank",
    "company",
    "group",
    "party",
    "campaign",
    "union",
    "association",
    "institute",
    "university",
    "service",
    "board",
    "authority",
    "bureau",
    "network",
    "news",
    "times",
    "post",
    "press",
    "report",
    "poll",
    "statement",
    "inc",
    "ltd",
    "corp",
    "foundation",
    "federation",
    "club",
    "school",
    "hospital",
    "fund",
    "centre",
    "center",
    "team",
    "ministers",
    "residents",
    "workers",
    "officials",
    "league",
    "coalition",
    "organisation",
    "organization",
    "secretariat",
    "parliament",
    "assembly",
    "senate",
    "congress",
}
CONFIDENT = 0.8  # the calibration target: speakers scored at least this should be right


@dataclass(frozen=True)
class SpeakerLabel:
    doc: str
    start: int
    end: int
    form: str  # pronoun | description | partial-name | full-name
    speaker: str | None
    type: str  # person | organisation | group | document | country | anonymous | unresolved
    pattern: str = ""  # see pattern_of; filled when scored


@dataclass
class SpeakerReport:
    labels: int = 0
    matched: int = 0
    correct: int = 0
    unresolved: int = 0  # matched, a name expected, none predicted
    by_form: dict[str, Counter] = field(default_factory=dict)
    by_pattern: dict[str, Counter] = field(default_factory=dict)
    confident: Counter = field(default_factory=Counter)  # speaker_score >= CONFIDENT
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
            "by_pattern": {
                name: {
                    **counts,
                    "accuracy": round(counts["correct"] / counts["matched"], 4)
                    if counts["matched"]
                    else 0.0,
                }
                for name, counts in sorted(self.by_pattern.items())
            },
            "confident": {
                "threshold": CONFIDENT,
                "matched": self.confident["matched"],
                "correct": self.confident["correct"],
                "accuracy": round(self.confident_accuracy, 4),
            },
        }

    @property
    def confident_accuracy(self) -> float:
        matched = self.confident["matched"]
        return self.confident["correct"] / matched if matched else 0.0

    def format_table(self) -> str:
        lines = [f"{'speaker set':<14}{'labels':>8}{'matched':>9}{'correct':>9}{'accuracy':>10}"]
        rows = [("all", Counter(labels=self.labels, matched=self.matched, correct=self.correct))]
        rows += sorted(self.by_form.items())
        rows += [(f"~{name}", c) for name, c in sorted(self.by_pattern.items())]
        for name, c in rows:
            accuracy = c["correct"] / c["matched"] if c["matched"] else 0.0
            lines.append(
                f"{name:<14}{c['labels']:>8}{c['matched']:>9}{c['correct']:>9}{accuracy:>10.3f}"
            )
        lines.append(f"unresolved (a name was expected, none given): {self.unresolved}")
        lines.append(
            f"speaker_score >= {CONFIDENT}: {self.confident['correct']}/"
            f"{self.confident['matched']} right ({self.confident_accuracy:.3f}); "
            "~rows are patterns (evaluation/speakers.py, pattern_of)"
        )
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
    if _acronym_of(predicted, label.speaker) or _acronym_of(label.speaker, predicted):
        return True
    if label.type == "any" and not looks_like_body(label.speaker):  # a person, by its looks
        return surname_key(predicted) == surname_key(label.speaker) or ours == theirs
    return bool(ours) and bool(theirs) and (ours <= theirs or theirs <= ours)


def _acronym_of(short: str, name: str) -> bool:
    """ "PTI" for "Press Trust of India", "DMRCL" for "Deccan Metro Rail Corporation Ltd"."""
    short = short.removeprefix("the ").strip()
    if not (short.isupper() and 2 <= len(short) <= 8 and " " not in short):
        return False
    initials = "".join(w[0] for w in name.replace("-", " ").split() if w[:1].isupper())
    return initials.upper() == short


def looks_like_body(name: str) -> bool:
    words = fold(name).split()
    return bool(set(words) & BODY_WORDS) or len(words) == 1 and name.isupper()


def form_of(source: str, speaker: str | None) -> str:
    """How a source names its speaker: a pronoun, a description (no capital word past
    the first), a partial name, or the full name (every word of the speaker's name)."""
    words = source.split()
    if source.strip().lower() in PRONOUNS:
        return "pronoun"
    capitals = [w for i, w in enumerate(words) if w[:1].isupper() and (i or len(words) == 1)]
    if (
        words
        and words[0][:1].isupper()
        and words[0].lower() not in {"the", "a", "an", "his", "her", "its", "their"}
    ):
        capitals.insert(0, words[0])
    if not capitals:
        return "description"
    if speaker is not None and set(fold(speaker).split()) <= set(fold(source).split()):
        return "full-name"
    return "partial-name"


def labels_from_gold(articles: Iterable[Article]) -> list[SpeakerLabel]:
    """One label per gold attribution with a source, from a set whose gold attributions
    carry their canonical speaker (the styles set)."""
    labels = []
    for article in articles:
        for attribution in article.attributions:
            if not attribution.source:
                continue
            start, end = attribution.source[0]
            source, speaker = article.text[start:end], attribution.speaker
            kind = "any" if speaker is not None else "anonymous"
            labels.append(
                SpeakerLabel(article.id, start, end, form_of(source, speaker), speaker, kind)
            )
    return labels


def pattern_of(label: SpeakerLabel, text: str) -> str:
    """The issue-12 pattern a label belongs to, read off its form and text:
    pronoun; title (a person described by role: "the foreign secretary"); lede (a
    description in the opening paragraph whose speaker is named only later); body (a body
    described: "the ministry", "the air force"); described name (a name with a
    description before or after it: "Ivan Petrov, leader of the militia"); name; nobody."""
    source = text[label.start : label.end]
    if label.speaker is None:
        return "nobody"
    if label.form == "pronoun":
        return "pronoun"
    if label.form == "description":
        first_break = text.find("\n\n", 200)
        surname = label.speaker.split()[-1]
        named_at = text.find(surname)
        if label.start < (first_break if first_break > 0 else 400) and named_at > label.end:
            return "lede description"
        body = label.type in {"organisation", "group", "country", "document"} or (
            label.type == "any" and looks_like_body(label.speaker)
        )
        return "body description" if body else "title"
    extra = [w for w in source.replace(",", " ").split() if w[:1].islower()]
    return "described name" if len(extra) >= 2 else "name"


def _proper_words(name: str) -> set[str]:
    """The capitalised words of a name (all its words if none is), folded, without a
    plural s: "Republicans" ~ "Republican", "major companies" ~ "Major Companies"."""
    capitalised = " ".join(w for w in name.split() if w[:1].isupper()) or name
    return {w.removesuffix("s") for w in fold(capitalised).split()} - FUNCTION_WORDS


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
        for label in by_doc.get(article.id, []):
            pattern = pattern_of(label, article.text)
            report.by_pattern.setdefault(pattern, Counter())["labels"] += 1
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
    pattern = report.by_pattern[pattern_of(label, article.text)]
    confident = predicted.speaker_score is not None and predicted.speaker_score >= CONFIDENT
    tallies = [report.by_form[label.form], pattern] + ([report.confident] if confident else [])
    report.matched += 1
    for counts in tallies:
        counts["matched"] += 1
    if names_match(predicted.speaker, label):
        report.correct += 1
        for counts in tallies:
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
            "pattern": pattern_of(label, article.text),
            "score": predicted.speaker_score,
        }
    )
