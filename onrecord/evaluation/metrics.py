"""Scoring predicted attributions against gold ones.

All measures work on *normalised* spans, micro-averaged over documents.

Normalisation
    Each fragment ``(start, end)`` is trimmed, by moving ``start`` right and ``end``
    left, over whitespace and the characters ``" “ ” ' ‘ ’ , . ; :``. If trimming
    would leave nothing (for instance a cue that is just ``":"``), the original
    fragment is kept untrimmed, so that punctuation-only spans still count. The
    fragments are then sorted and a span is the tuple of them. A span type with no
    fragments is *absent*: it is never counted as a span by the exact, segment and
    overlap measures, and covers no characters.

Measures
    exact (per span type)
        Per document, the set of distinct spans of that type among predicted
        attributions versus among gold attributions; TP is the size of the
        intersection.
    segment (per span type)
        As exact, but every fragment is a span of its own (distinct fragments).
    overlap (per span type)
        Per document, the set of character positions covered by predicted spans of
        that type versus gold ones; TP is the size of the intersection.
    lenient (attributions)
        One-to-one greedy matching per document. A (predicted, gold) pair is a
        candidate when the Jaccard index of their content character sets is at
        least 0.5 (two absent contents: 1; one absent: 0), their cues share at least
        one character (so an attribution without a cue never matches), and the gold
        source is absent or shares a character with the predicted source.
        Candidates are taken by Jaccard descending, ties in document order (the order
        of the predicted, then the gold, attribution lists), when neither side is
        already used. TP is the number of matched pairs.
    strict (attributions)
        One-to-one matching of pairs whose normalised source, cue and content are all
        equal (absent equals absent).

For every measure TP, predicted and gold counts are summed over documents, then
P = TP / predicted, R = TP / gold and F1 is their harmonic mean; each is 0 when its
denominator is 0. Gold and predicted articles are paired by ``Article.id``; a gold
article without a prediction has all its gold missed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from onrecord.document import SPAN_TYPES, Article, Attribution, Fragment

TRIM_CHARS = frozenset("\"“”'‘’,.;:")
LENIENT_THRESHOLD = 0.5

Span = tuple[Fragment, ...]


@dataclass
class PRF:
    """Micro-summed counts with precision, recall and F1 (0 when undefined)."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.n_pred += n_pred
        self.n_gold += n_gold

    def to_json(self) -> dict[str, float | int]:
        return {
            "p": round(self.precision, 4),
            "r": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


def _per_type() -> dict[str, PRF]:
    return {span_type: PRF() for span_type in SPAN_TYPES}


@dataclass
class EvalReport:
    """Scores of a whole evaluation; see the module docstring for definitions."""

    exact: dict[str, PRF] = field(default_factory=_per_type)
    segment: dict[str, PRF] = field(default_factory=_per_type)
    overlap: dict[str, PRF] = field(default_factory=_per_type)
    lenient: PRF = field(default_factory=PRF)
    strict: PRF = field(default_factory=PRF)
    n_documents: int = 0

    def rows(self) -> list[tuple[str, PRF]]:
        """(label, scores) in table order."""
        rows = []
        for name in ("exact", "segment", "overlap"):
            table: dict[str, PRF] = getattr(self, name)
            rows.extend((f"{name} {t}", table[t]) for t in SPAN_TYPES)
        rows.append(("attribution lenient", self.lenient))
        rows.append(("attribution strict", self.strict))
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "exact": {t: prf.to_json() for t, prf in self.exact.items()},
            "segment": {t: prf.to_json() for t, prf in self.segment.items()},
            "overlap": {t: prf.to_json() for t, prf in self.overlap.items()},
            "lenient": self.lenient.to_json(),
            "strict": self.strict.to_json(),
            "n_documents": self.n_documents,
        }

    def format_table(self) -> str:
        """A fixed-width table: one row per measure; P, R, F1, predicted, gold."""
        header = f"{'measure':<22}{'P':>8}{'R':>8}{'F1':>8}{'pred':>8}{'gold':>8}"
        lines = [f"documents: {self.n_documents}", header, "-" * len(header)]
        for label, prf in self.rows():
            lines.append(
                f"{label:<22}{prf.precision:>8.4f}{prf.recall:>8.4f}{prf.f1:>8.4f}"
                f"{prf.n_pred:>8d}{prf.n_gold:>8d}"
            )
        return "\n".join(lines)


# --- normalisation ---------------------------------------------------------------


def _trimmable(char: str) -> bool:
    return char.isspace() or char in TRIM_CHARS


def normalise_fragment(text: str, fragment: Fragment) -> Fragment:
    """Trim whitespace and quote/punctuation characters off both ends of a fragment.

    A fragment that would become empty is returned unchanged.
    """
    start, end = fragment
    while start < end and _trimmable(text[start]):
        start += 1
    while end > start and _trimmable(text[end - 1]):
        end -= 1
    return (start, end) if start < end else (fragment[0], fragment[1])


def normalise_span(text: str, fragments: Iterable[Fragment]) -> Span:
    """The sorted tuple of normalised fragments; ``()`` for an absent span."""
    return tuple(sorted(normalise_fragment(text, f) for f in fragments))


def span_chars(span: Span) -> frozenset[int]:
    """Character positions a span covers."""
    return frozenset(i for start, end in span for i in range(start, end))


# --- per-document scoring --------------------------------------------------------


@dataclass(frozen=True)
class _NormAttribution:
    """An attribution's normalised spans and character sets."""

    spans: dict[str, Span]
    chars: dict[str, frozenset[int]]

    @classmethod
    def build(cls, text: str, attribution: Attribution) -> _NormAttribution:
        spans = {t: normalise_span(text, attribution.spans(t)) for t in SPAN_TYPES}
        return cls(spans=spans, chars={t: span_chars(s) for t, s in spans.items()})

    def key(self) -> tuple[Span, ...]:
        return tuple(self.spans[t] for t in SPAN_TYPES)


def _set_counts(pred: set[Any], gold: set[Any]) -> tuple[int, int, int]:
    return len(pred & gold), len(pred), len(gold)


def _spans_of(attrs: list[_NormAttribution], span_type: str) -> set[Span]:
    return {a.spans[span_type] for a in attrs if a.spans[span_type]}


def _fragments_of(attrs: list[_NormAttribution], span_type: str) -> set[Fragment]:
    return {f for a in attrs for f in a.spans[span_type]}


def _chars_of(attrs: list[_NormAttribution], span_type: str) -> set[int]:
    return set().union(*(a.chars[span_type] for a in attrs))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|a ∩ b| / |a ∪ b|, 1 for two empty sets."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _lenient_score(pred: _NormAttribution, gold: _NormAttribution) -> float | None:
    """Content Jaccard when the pair is a lenient candidate, else None."""
    if pred.chars["cue"].isdisjoint(gold.chars["cue"]):
        return None
    if gold.chars["source"] and pred.chars["source"].isdisjoint(gold.chars["source"]):
        return None
    score = jaccard(pred.chars["content"], gold.chars["content"])
    return score if score >= LENIENT_THRESHOLD else None


def _lenient_matches(
    pred: list[_NormAttribution], gold: list[_NormAttribution]
) -> list[tuple[int, int]]:
    """Greedy one-to-one (pred index, gold index) pairs, best content Jaccard first."""
    candidates = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            score = _lenient_score(p, g)
            if score is not None:
                candidates.append((score, i, j))
    candidates.sort(key=lambda c: -c[0])  # stable: ties stay in document order
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    matches = []
    for _score, i, j in candidates:
        if i not in used_pred and j not in used_gold:
            used_pred.add(i)
            used_gold.add(j)
            matches.append((i, j))
    return matches


def lenient_pairs(gold: Article, predicted: Article) -> list[tuple[Attribution, Attribution]]:
    """(predicted, gold) attributions of one article paired one-to-one by the lenient rule."""
    pred_norm, gold_norm = _normalised(predicted), _normalised(gold)
    return [
        (predicted.attributions[i], gold.attributions[j])
        for i, j in _lenient_matches(pred_norm, gold_norm)
    ]


def _strict_tp(pred: list[_NormAttribution], gold: list[_NormAttribution]) -> int:
    """One-to-one matches of identical (source, cue, content) triples."""
    common = Counter(a.key() for a in pred) & Counter(a.key() for a in gold)
    return sum(common.values())


def _score_document(
    report: EvalReport, pred: list[_NormAttribution], gold: list[_NormAttribution]
) -> None:
    for t in SPAN_TYPES:
        report.exact[t].add(*_set_counts(_spans_of(pred, t), _spans_of(gold, t)))
        report.segment[t].add(*_set_counts(_fragments_of(pred, t), _fragments_of(gold, t)))
        report.overlap[t].add(*_set_counts(_chars_of(pred, t), _chars_of(gold, t)))
    report.lenient.add(len(_lenient_matches(pred, gold)), len(pred), len(gold))
    report.strict.add(_strict_tp(pred, gold), len(pred), len(gold))


# --- driver ----------------------------------------------------------------------


def _index_predictions(predicted: Iterable[Article], gold_ids: set[str]) -> dict[str, Article]:
    by_id: dict[str, Article] = {}
    for article in predicted:
        if article.id not in gold_ids:
            raise ValueError(f"predicted document {article.id!r} is not in the gold data")
        if article.id in by_id:
            raise ValueError(f"predicted document {article.id!r} appears more than once")
        by_id[article.id] = article
    return by_id


def _normalised(article: Article) -> list[_NormAttribution]:
    return [_NormAttribution.build(article.text, a) for a in article.attributions]


def evaluate(gold: Iterable[Article], predicted: Iterable[Article]) -> EvalReport:
    """Score predicted articles against gold ones, paired by ``Article.id``.

    Raises ValueError for a predicted id absent from gold, a duplicated id, or a
    predicted text that differs from the gold text (its offsets would be meaningless).
    """
    gold_docs = list(gold)
    gold_ids = {doc.id for doc in gold_docs}
    if len(gold_ids) != len(gold_docs):
        dupes = sorted(i for i, n in Counter(d.id for d in gold_docs).items() if n > 1)
        raise ValueError(f"gold documents appear more than once: {dupes}")
    predictions = _index_predictions(predicted, gold_ids)
    report = EvalReport(n_documents=len(gold_docs))
    for doc in gold_docs:
        pred_doc = predictions.get(doc.id)
        if pred_doc is not None and pred_doc.text != doc.text:
            raise ValueError(f"predicted document {doc.id!r}: text differs from the gold text")
        pred = _normalised(pred_doc) if pred_doc is not None else []
        _score_document(report, pred, _normalised(doc))
    return report
