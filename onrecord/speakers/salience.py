"""Salience: which earlier entity a pronoun or a description can refer to.

Salience falls by one per sentence back; having spoken or being a subject raises it, and
a name inside someone's quotation lowers it for a pronoun outside one. ``Salience`` reads
the article's mentions and the resolver's running state (who has spoken, the chain of
resolved subject pronouns), which the resolver appends to as it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Doc

from onrecord.speakers.entities import ArticleEntities, Entity, Mention

WINDOW_SENTENCES = 4
LONG_WINDOW_SENTENCES = 12  # when nothing fits nearer
SPOKEN_BONUS, SUBJECT_BONUS, QUOTED_PENALTY = 1.5, 1.0, 1.5


class Salience:
    """Earlier entities of one article, ranked for a token that refers back."""

    def __init__(
        self,
        doc: Doc,
        entities: ArticleEntities,
        spoken: list[tuple[int, Entity]],
        chain: list[Mention],
    ) -> None:
        self.doc = doc
        self.entities = entities
        self.sentence_of = entities.sentence_of
        self.spoken = spoken  # (token, entity) of earlier speakers, appended by the resolver
        self.chain = chain  # subject pronouns resolved so far, appended by the resolver

    def last_mention(self, entity: Entity | None, token: int) -> int:
        """Where ``entity`` was last mentioned before ``token`` (-1: nowhere)."""
        starts = [m.start for m in self.entities.mentions if m.entity is entity and m.end <= token]
        return max(starts, default=-1)

    def named_together(self, token: int, window: int) -> Iterator[list[Mention]]:
        """Groups of two or more people named together ("Obama and Clinton"), the latest
        first, from ``window`` sentences before ``token``."""
        here = self.sentence_of[token]
        persons = [
            m
            for m in self.entities.mentions
            if m.entity.type == "person" and m.end <= token and here - m.sentence <= window
        ]
        for mention in reversed(persons):
            root = self.doc[mention.start : mention.end].root
            partners = [
                m
                for m in persons
                if m is not mention
                and self.doc[m.start : m.end].root.head.i == root.i
                and self.doc[m.start : m.end].root.dep_ == "conj"
            ]
            joined_by_and = any(c.dep_ == "cc" and c.lower_ == "and" for c in root.children)
            if joined_by_and and len({id(m.entity) for m in [mention, *partners]}) > 1:
                yield [mention, *partners]

    def latest(
        self, token: int, wanted: Callable[[Entity], bool], window: int | None = None
    ) -> Entity | None:
        here = self.sentence_of[token]
        earlier = [
            m.entity
            for m in self.entities.mentions
            if m.end <= token
            and wanted(m.entity)
            and (window is None or here - m.sentence <= window)
        ]
        return earlier[-1] if earlier else None

    def antecedent(
        self, token: int, types: set[str], gender: str | None, window: int = WINDOW_SENTENCES
    ) -> Entity | None:
        """The most salient earlier entity of the right type and gender.

        Salience falls by one per sentence back; having spoken or being a subject raises
        it, and a name inside someone's quotation lowers it for a pronoun outside one.
        """
        here = self.sentence_of[token]
        outside = not self.entities.quoted[token]
        scores: dict[int, tuple[float, int, Entity]] = {}

        def consider(entity: Entity, at: int, bonus: float) -> None:
            if entity.type not in types or (gender and entity.gender not in (None, gender)):
                return
            distance = here - self.sentence_of[at]
            if distance > window:
                return
            score = bonus - distance
            best = scores.get(id(entity))
            if best is None or (score, at) > best[:2]:
                scores[id(entity)] = (score, at, entity)

        for mention in [*self.entities.mentions, *self.chain]:
            if mention.end <= token:
                bonus = SUBJECT_BONUS if mention.is_subject else 0.0
                if outside and mention.quoted:
                    bonus -= QUOTED_PENALTY
                consider(mention.entity, mention.start, bonus)
        for at, entity in self.spoken:
            if at < token:
                consider(entity, at, SPOKEN_BONUS)
        if not scores:
            if window == WINDOW_SENTENCES:
                return self.antecedent(token, types, gender, LONG_WINDOW_SENTENCES)
            return None
        return max(scores.values(), key=lambda s: (s[0], s[1]))[2]
