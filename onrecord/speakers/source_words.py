"""How a source's words are read: the ``Speaker`` a reading gives, the source's head word,
its determiner, the names and roles written in it.

Functions of a source span alone (no article state): the resolver (``resolve.py``) and
the ranker's candidates read sources with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from onrecord.document import Attribution
from onrecord.speakers.entities import Entity, Mention
from onrecord.speakers.vocabulary import DOCUMENT_HEADS, QUANTIFIERS


@dataclass
class Speaker:
    name: str | None
    type: str
    role: str | None = None
    org: str | None = None
    anonymity: str | None = None
    entity: Entity | None = None
    score: float | None = None

    @property
    def anonymous(self) -> bool:
        return self.type == "anonymous"

    @classmethod
    def of(cls, entity: Entity, role: str | None = None, org: str | None = None) -> Speaker:
        """The entity as speaker, with the role and organisation stated where it is named."""
        return cls(entity.name, entity.type, role or entity.role, org or entity.org, entity=entity)


def source_start(attribution: Attribution) -> int:
    return (attribution.source or attribution.cue or attribution.content or [(0, 0)])[0][0]


def apply_speaker(attribution: Attribution, speaker: Speaker) -> None:
    attribution.speaker = speaker.name
    attribution.speaker_type = speaker.type  # type: ignore[assignment]
    attribution.speaker_role = speaker.role
    attribution.speaker_org = speaker.org
    attribution.speaker_score = speaker.score
    attribution.anonymous = speaker.anonymous
    attribution.anonymity = speaker.anonymity


def head_of(span: Span) -> Token:
    """The source's head word: the root, or for "X of Y" the X."""
    words = [t for t in span if not (t.is_punct or t.is_space)]
    if not words:
        return span.root
    inside = [t for t in words if t.head.i < span.start or t.head.i >= span.end or t.head is t]
    return inside[0] if inside else span.root


def apposed(mention: Mention, head: Token) -> bool:
    """ "The bridge's operator, Harbour Crossings Ltd,": the name stands beside the head."""
    root = head.doc[mention.start : mention.end].root
    return root.dep_ == "appos" and root.head.i == head.i


def determiner_of(span: Span) -> str | None:
    first = span[0]
    if first.pos_ in {"DET", "PRON", "NUM"} or first.dep_ in {"det", "poss", "nummod"}:
        return first.lower_
    if first.lower_ in QUANTIFIERS:
        return first.lower_
    return None


def group_of(mentions: list[Mention]) -> Speaker:
    names = list(dict.fromkeys(m.entity.name for m in mentions))
    return Speaker(" and ".join(names), "group")


def naming_tokens(noun: Token) -> Span | None:
    """The noun phrase around ``noun`` when a proper name says whose it is: "Trump
    campaign ad", "ad from Donald Trump's campaign", "Reuters/Ipsos opinion poll"."""
    left = [t for c in noun.lefts if c.dep_ != "det" for t in c.subtree]
    right = []
    for prep in (c for c in noun.rights if c.dep_ == "prep" and c.lower_ in {"from", "by"}):
        # "by political journalist Joe Conason", not the clause that follows his name
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            right += [prep, *noun.doc[pobj.left_edge.i : pobj.i + 1]]
    if not any(t.pos_ == "PROPN" for t in left + right):
        return None
    tokens = sorted([*left, noun, *right], key=lambda t: t.i)
    return noun.doc[tokens[0].i : tokens[-1].i + 1]


def is_document(head: Token) -> bool:
    return head.lemma_.lower() in DOCUMENT_HEADS


def words_of(span: Span) -> str:
    tokens = [t for t in span if t.dep_ not in {"det"} and not t.is_space]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    return " ".join(t.text for t in tokens) or span.text


def name_text(span: Span) -> str:
    return " ".join(t.text for t in span if t.text[:1].isupper() and t.pos_ != "DET")


def role_in_span(span: Span, entity: Entity) -> str | None:
    """The role stated in this very source ("Pentagon spokesman John Kirby"), if any."""
    return next((role for role in entity.roles if role in span.text), None)
