"""Between character spans and per-token BIO labels.

Labels are ``O`` or ``B-``/``I-`` + ``SRC``/``CUE``/``CNT``. PolNeAR is univocal (a token
carries at most one label), so one label layer covers source, cue and content.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from onrecord.document import Attribution, Fragment

SPAN_LABELS = {"source": "SRC", "cue": "CUE", "content": "CNT"}
LABEL_SPANS = {v: k for k, v in SPAN_LABELS.items()}


@dataclass(frozen=True)
class TypedSpan:
    """A contiguous run of tokens tagged as one span type."""

    type: str  # "source" | "cue" | "content"
    start_token: int
    end_token: int  # exclusive
    start_char: int
    end_char: int
    score: float = 1.0

    @property
    def fragment(self) -> Fragment:
        return (self.start_char, self.end_char)


def bio_labels(doc: Doc, attributions: list[Attribution]) -> list[str]:
    """Gold labels for the tokens of ``doc`` from character-offset attributions."""
    labels = ["O"] * len(doc)
    for attribution in attributions:
        for span_type, code in SPAN_LABELS.items():
            for start, end in attribution.spans(span_type):
                _label_fragment(doc, start, end, code, labels)
    return labels


def _label_fragment(doc: Doc, start: int, end: int, code: str, labels: list[str]) -> None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return
    first = True
    for tok in span:
        if tok.is_space and "\n" in tok.text:
            first = True
            continue
        if labels[tok.i] != "O":
            continue
        labels[tok.i] = ("B-" if first else "I-") + code
        first = False


def decode(doc: Doc, labels: list[str], scores: list[float] | None = None) -> list[TypedSpan]:
    """Maximal runs of one span type; ``B-`` starts a new run, a stray ``I-`` does too."""
    spans: list[TypedSpan] = []
    run_type: str | None = None
    run_start = 0
    for i, label in enumerate([*labels, "O"]):
        code = label[2:] if label != "O" else None
        continues = code is not None and code == run_type and label.startswith("I-")
        if continues:
            continue
        if run_type is not None:
            spans.append(_make_span(doc, LABEL_SPANS[run_type], run_start, i, scores))
        run_type, run_start = code, i
    return spans


def _make_span(
    doc: Doc, span_type: str, start: int, end: int, scores: list[float] | None
) -> TypedSpan:
    # Trailing whitespace tokens are never part of a span.
    while end > start + 1 and doc[end - 1].is_space:
        end -= 1
    score = sum(scores[start:end]) / (end - start) if scores else 1.0
    return TypedSpan(
        type=span_type,
        start_token=start,
        end_token=end,
        start_char=doc[start].idx,
        end_char=doc[end - 1].idx + len(doc[end - 1].text),
        score=score,
    )
