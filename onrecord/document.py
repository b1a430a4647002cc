"""The typed records every pipeline stage exchanges.

Character offsets into ``Article.text`` are the single truth: a span is a list of
``(start, end)`` fragments, half-open, Python string indices. Nothing downstream copies
text out of an article; it slices ``text`` with these offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Fragment = tuple[int, int]
SpanFragments = list[Fragment]
Kind = Literal["direct", "indirect", "mixed"]

SPAN_TYPES: tuple[str, ...] = ("source", "cue", "content")


@dataclass
class Attribution:
    """One attributed statement: who (source) said (cue) what (content)."""

    source: SpanFragments
    cue: SpanFragments
    content: SpanFragments
    speaker: str | None = None
    kind: Kind = "indirect"
    score: float = 1.0

    def spans(self, span_type: str) -> SpanFragments:
        return getattr(self, span_type)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": [list(f) for f in self.source],
            "cue": [list(f) for f in self.cue],
            "content": [list(f) for f in self.content],
            "speaker": self.speaker,
            "kind": self.kind,
            "score": round(self.score, 4),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attribution:
        return cls(
            source=[tuple(f) for f in data.get("source", [])],
            cue=[tuple(f) for f in data.get("cue", [])],
            content=[tuple(f) for f in data.get("content", [])],
            speaker=data.get("speaker"),
            kind=data.get("kind", "indirect"),
            score=float(data.get("score", 1.0)),
        )


@dataclass
class Article:
    """A document as read from input, plus what the pipeline found in it."""

    id: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    boilerplate: SpanFragments = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "attributions": [a.to_json() for a in self.attributions],
            "boilerplate": [list(f) for f in self.boilerplate],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            text=data["text"],
            attributions=[Attribution.from_json(a) for a in data.get("attributions", [])],
            boilerplate=[tuple(f) for f in data.get("boilerplate", [])],
        )


def fragment_text(text: str, fragments: SpanFragments, sep: str = " … ") -> str:
    """The words a span covers, fragments joined by an ellipsis."""
    return sep.join(text[s:e] for s, e in fragments)
