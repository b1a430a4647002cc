"""The typed records every pipeline stage exchanges.

Character offsets into ``Article.text`` are the single truth: a span is a list of
``(start, end)`` fragments, half-open, Python string indices. Nothing downstream copies
text out of an article; it slices ``text`` with these offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Fragment = tuple[int, int]
SpanFragments = list[Fragment]
Kind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal[
    "person", "organisation", "country", "group", "document", "anonymous", "unresolved"
]

SPAN_TYPES: tuple[str, ...] = ("source", "cue", "content")


@dataclass
class Confidence:
    """An estimative expression ("almost certain", "may") in a claim's words.

    ``low``/``high`` are the probability range the ``yardstick`` (PHIA or ICD 203) gives
    the term; hedges and negated terms carry no number and ``hedged`` is true.
    """

    term: str
    span: Fragment
    low: float | None = None
    high: float | None = None
    yardstick: str | None = None
    hedged: bool = False
    negated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "low": self.low,
            "high": self.high,
            "yardstick": self.yardstick,
            "hedged": self.hedged,
            "negated": self.negated,
            "span": list(self.span),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Confidence:
        return cls(
            term=data["term"],
            span=tuple(data["span"]),
            low=data.get("low"),
            high=data.get("high"),
            yardstick=data.get("yardstick"),
            hedged=bool(data.get("hedged", False)),
            negated=bool(data.get("negated", False)),
        )


@dataclass
class Attribution:
    """One attributed statement: who (source) said (cue) what (content).

    The extraction stage fills the spans, ``kind`` and ``score``; the speakers stage
    resolves ``speaker`` (a canonical name, None only when anonymous or unresolved) and
    the fields after it.
    """

    source: SpanFragments
    cue: SpanFragments
    content: SpanFragments
    speaker: str | None = None
    kind: Kind = "indirect"
    score: float = 1.0
    speaker_type: SpeakerType = "unresolved"
    speaker_role: str | None = None
    speaker_org: str | None = None
    # How likely the speaker is right (0-1, calibrated); None where no resolver ran.
    speaker_score: float | None = None
    anonymous: bool = False
    anonymity: str | None = None
    via: list[str] = field(default_factory=list)
    confidence: list[Confidence] = field(default_factory=list)
    # Index (in the article's list) of the attribution whose content holds this one.
    parent: int | None = None
    # How its quoted words relate to other renderings of them in a store
    # (``onrecord.schema.Fidelity``'s JSON); None outside a store.
    fidelity: dict[str, Any] | None = None

    def spans(self, span_type: str) -> SpanFragments:
        return getattr(self, span_type)

    def shifted(self, offset: int, length: int | None = None) -> Attribution:
        """A copy with every offset moved by ``offset`` (and, given ``length``, clipped to
        ``[0, length)``, dropping fragments left empty): from a window or a content back
        to the whole text, or the other way."""

        def move(fragments: SpanFragments) -> SpanFragments:
            moved = [(s + offset, e + offset) for s, e in fragments]
            if length is not None:
                moved = [(max(0, s), min(length, e)) for s, e in moved]
            return [(s, e) for s, e in moved if s < e]

        confidence = [
            replace(c, span=(c.span[0] + offset, c.span[1] + offset)) for c in self.confidence
        ]
        return replace(
            self,
            source=move(self.source),
            cue=move(self.cue),
            content=move(self.content),
            confidence=confidence,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "source": [list(f) for f in self.source],
            "cue": [list(f) for f in self.cue],
            "content": [list(f) for f in self.content],
            "speaker": self.speaker,
            "speaker_type": self.speaker_type,
            "speaker_role": self.speaker_role,
            "speaker_org": self.speaker_org,
            "speaker_score": None if self.speaker_score is None else round(self.speaker_score, 4),
            "anonymous": self.anonymous,
            "anonymity": self.anonymity,
            "via": list(self.via),
            "confidence": [c.to_json() for c in self.confidence],
            "kind": self.kind,
            "score": round(self.score, 4),
            "parent": self.parent,
            "fidelity": self.fidelity,
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
            speaker_type=data.get("speaker_type", "unresolved"),
            speaker_role=data.get("speaker_role"),
            speaker_org=data.get("speaker_org"),
            speaker_score=data.get("speaker_score"),
            anonymous=bool(data.get("anonymous", False)),
            anonymity=data.get("anonymity"),
            via=list(data.get("via", [])),
            confidence=[Confidence.from_json(c) for c in data.get("confidence", [])],
            parent=data.get("parent"),
            fidelity=data.get("fidelity"),
        )


@dataclass
class Article:
    """A document as read from input, plus what the pipeline found in it."""

    id: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    boilerplate: SpanFragments = field(default_factory=list)
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date, when the input says

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
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
            url=data.get("url"),
            outlet=data.get("outlet"),
            published=data.get("published"),
        )


# Half a UTF-16 pair ("\ud800", from a JSON escape or a surrogateescape'd file name) is no
# character: no UTF-8 encoder (a database driver's, the tokenizer's) accepts it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(article: Article) -> Article:
    """``article`` with every lone surrogate, in its text and in any field, replaced by
    U+FFFD: one character for one, so offsets hold. The article itself when it has none
    (checked field by field: the text is searched, never copied, on the common path)."""
    if not any(_LONE_SURROGATE.search(s) for s in _strings(article)):
        return article
    fixed = Article.from_json(_without_surrogates(article.to_json()))
    # Scores went through to_json's rounding: keep the originals.
    for new, old in zip(fixed.attributions, article.attributions, strict=True):
        new.score, new.speaker_score = old.score, old.speaker_score
    return fixed


def _strings(article: Article) -> Iterator[str]:
    yield from (article.text, article.id, article.url or "", article.outlet or "")
    yield article.published or ""
    for a in article.attributions:
        yield from (a.speaker or "", a.speaker_role or "", a.speaker_org or "")
        yield from (a.anonymity or "", a.speaker_type, a.kind, *a.via)
        yield from (s for c in a.confidence for s in (c.term, c.yardstick or ""))


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {k: _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def fragment_text(text: str, fragments: SpanFragments, sep: str = " … ") -> str:
    """The words a span covers, fragments joined by an ellipsis."""
    return sep.join(text[s:e] for s, e in fragments)
