"""Who an article mentions: named entities gathered into one record per referent.

Every PERSON, ORG, GPE and plural NORP mention outside the boilerplate joins an
:class:`Entity`. Person mentions join by surname (spelling-folded) and compatible first
names, so "Kirby" joins "John Kirby"; organisations join by canonical name, acronym in
brackets ("British Ministry of Defense (MOD)") or a shorter form of the name. Titles and
appositions around a person's mention become roles ("Pentagon spokesman"), which is what
descriptions such as "the spokesman" are resolved against (``titles.py``); gender comes
from honorifics, role nouns, given names and pronouns (``gender.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from onrecord.document import Fragment
from onrecord.extraction.views import quote_depths, sentence_index
from onrecord.speakers import gazetteer
from onrecord.speakers.bodies import described_bodies
from onrecord.speakers.gender import FEMALE_WORDS, MALE_WORDS, first_pronoun_after, read_genders
from onrecord.speakers.names import (
    first_names_compatible,
    fold,
    fuller,
    given_names,
    name_words,
    spelling_key,
    surname_key,
)
from onrecord.speakers.titles import ROLE_TITLES, has_role, read_titles

ENTITY_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "country", "NORP": "group"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}


@dataclass
class Entity:
    name: str
    type: str
    roles: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    role_heads: set[str] = field(default_factory=set)  # "spokesman" of "Pentagon spokesman"
    role_words: set[str] = field(default_factory=set)  # every word of every role, folded
    titles: set[str] = field(default_factory=set)  # "rep" of "Rep. Adam Schiff", folded
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    kind: str | None = None  # outlet | government | international (gazetteer)
    country: str | None = None

    @property
    def role(self) -> str | None:
        return self.roles[0] if self.roles else None

    @property
    def org(self) -> str | None:
        return self.orgs[0] if self.orgs else None


@dataclass
class Mention:
    entity: Entity
    start: int  # token offsets
    end: int
    sentence: int
    is_subject: bool
    quoted: bool = False  # inside quotation marks


class ArticleEntities:
    """The entities of one parsed article, with their mentions in text order."""

    def __init__(self, doc: Doc, skip: list[Fragment] = ()) -> None:
        self.doc = doc
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.sentence_of = sentence_index(doc)
        self.quoted = quote_depths(doc)
        for ent in doc.ents:
            label = ENTITY_TYPES.get(ent.label_)
            if label is None or "\n" in ent.text or _inside(ent, skip):
                continue
            if label == "group" and not ent.text.endswith("s"):
                continue  # "Russian" modifies; "Republicans" can speak
            self._add(ent, label)
        self._add_described_bodies(skip)
        self._add_missed_surnames(skip)
        read_genders(self)

    def _add_missed_surnames(self, skip: list[Fragment]) -> None:
        """A known person's surname the recogniser did not tag ("Oz has been ...") is
        still a mention of that person."""
        surnames = {surname_key(e.name): e for e in self.entities if e.type == "person"}
        tagged = {i for m in self.mentions for i in range(m.start, m.end)}
        added = False
        for tok in self.doc:
            if tok.i in tagged or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
                continue
            entity = surnames.get(spelling_key(tok.text))
            if entity is None or any(s <= tok.idx < e for s, e in skip):
                continue
            sentence = self.sentence_of[tok.i]
            subject = tok.dep_ in SUBJECT_DEPS
            self.mentions.append(
                Mention(entity, tok.i, tok.i + 1, sentence, subject, bool(self.quoted[tok.i]))
            )
            added = True
        if added:
            self.mentions.sort(key=lambda m: m.start)

    def _add_described_bodies(self, skip: list[Fragment]) -> None:
        """ "Ukraine's air force" is the body "Ukrainian Air Force" (bodies.py)."""
        for span, name in described_bodies(self.doc):
            if _inside(span, skip) or self.entity_in(span.start, span.end, {"organisation"}):
                continue
            key = fold(name)
            entity = next((e for e in self.entities if key in e.aliases), None)
            if entity is None:
                entity = Entity(name, "organisation", aliases={key})
                self.entities.append(entity)
            root = span.root
            self.mentions.append(
                Mention(
                    entity,
                    span.start,
                    span.end,
                    self.sentence_of[span.start],
                    root.dep_ in SUBJECT_DEPS,
                    bool(self.quoted[span.start]),
                )
            )
        self.mentions.sort(key=lambda m: m.start)

    # -- lookups -------------------------------------------------------------

    def entity_at(self, token: int, types: set[str] | None = None) -> Mention | None:
        """The mention that covers token ``token``, optionally of given types."""
        return next(
            (
                m
                for m in self.mentions
                if m.start <= token < m.end and (types is None or m.entity.type in types)
            ),
            None,
        )

    def entity_in(self, start: int, end: int, types: set[str] | None = None) -> Mention | None:
        """The first mention inside tokens [start, end), optionally of given types."""
        inside = (m for m in self.mentions if start <= m.start and m.end <= end)
        return next((m for m in inside if types is None or m.entity.type in types), None)

    def by_name(self, text: str) -> Entity | None:
        """The entity a bare name ("Kirby", "MOD", "the Pentagon") refers to, if any."""
        key = fold(text)
        for entity in self.entities:
            if key in entity.aliases:
                return entity
        surname = surname_key(text)
        persons = [
            e for e in self.entities if e.type == "person" and surname_key(e.name) == surname
        ]
        if surname and persons:
            return persons[0]
        known = gazetteer.lookup(text)
        return next((e for e in self.entities if known and e.name == known.name), None)

    def author(self) -> Entity | None:
        """The writer, where the article names one: a "By NAME" line among the first
        lines, or a closing author line "NAME is a playwright ..."."""
        doc = self.doc
        persons = [m for m in self.mentions if m.entity.type == "person"]
        for mention in persons:
            before = doc[mention.start - 1] if mention.start else None
            if before is not None and before.lower_ == "by" and self.sentence_of[mention.start] < 3:
                return mention.entity
        last_paragraph = doc.text.rstrip().rfind("\n") + 1
        for mention in persons:
            if doc[mention.start].idx != last_paragraph or mention.end >= len(doc):
                continue
            if doc[mention.end].lemma_ == "be":
                return mention.entity
        return None

    def with_role(
        self,
        head: str,
        modifiers: set[str],
        token: int,
        only_after: int | None = None,
        titles: bool = True,
    ) -> Entity | None:
        """The entity a description names by role: "the spokesman" -> the entity titled
        "Pentagon spokesman", "the judge" -> "Justice Frank Nervo". Modifiers ("Republican
        nominee") must not contradict the title; among fits, more shared modifiers, then
        the last before ``token``. With ``only_after``, only the first mentions in that many
        sentences after ``token`` (a lede's "A New York judge", named further on)."""
        best: tuple[int, int, int] | None = None
        chosen = None
        here = self.sentence_of[token]
        for m in self.mentions:
            entity = m.entity
            if only_after is not None and not (token < m.start and m.sentence - here <= only_after):
                continue
            if not has_role(entity, head, titles):
                continue
            shared = len(modifiers & entity.role_words)
            key = (shared, 1 if m.start < token else 0, m.start if m.start < token else -m.start)
            if best is None or key > best:
                best, chosen = key, entity
        return chosen

    # -- building ------------------------------------------------------------

    def _add(self, ent: Span, label: str) -> None:
        start, end = ent.start, ent.end
        # Trailing possessives and headline verbs ("Obama Says") are not part of a name.
        while end > start and (
            self.doc[end - 1].is_punct
            or self.doc[end - 1].tag_ == "POS"
            or self.doc[end - 1].pos_ in {"VERB", "AUX"}
        ):
            end -= 1
        if end <= start:
            return
        span = self.doc[start:end]
        text = span.text
        if label != "person" and end - start == 1 and self._match_person(text):
            label = "person"  # "Christie" mistagged as an organisation after "Chris Christie"
        entity = self._match(text, label, start) or self._new(text, label)
        self._update(entity, span)
        root = span.root
        self.mentions.append(
            Mention(
                entity,
                start,
                end,
                self.sentence_of[start],
                root.dep_ in SUBJECT_DEPS,
                bool(self.quoted[start]),
            )
        )

    def _match(self, text: str, label: str, token: int) -> Entity | None:
        if label == "person":
            return self._match_person(text)
        key = fold(text).removeprefix("the ")
        known = gazetteer.lookup(text)
        for entity in reversed(self.entities):
            if entity.type == "person":
                continue
            if key in entity.aliases or (known and known.name == entity.name):
                return entity
            words = set(key.split())
            # "the Ministry" / "Defense Ministry" against "British Ministry of Defense"
            if (
                label == "organisation"
                and entity.type == "organisation"
                and len(words) > 1
                and words <= set(fold(entity.name).split())
            ):
                return entity
        return None

    def _match_person(self, text: str) -> Entity | None:
        surname = surname_key(text)
        first = given_names(text)
        words = name_words(text)
        # A bare surname means the first person introduced with it: news introduces the
        # main "Hillary Clinton" first and names a later "Bill Clinton" in full.
        for entity in self.entities if not first else reversed(self.entities):
            if entity.type != "person":
                continue
            if surname_key(entity.name) == surname and first_names_compatible(
                first, given_names(entity.name)
            ):
                return entity
            # A first name on its own ("Hillary") after the full name.
            entity_first = given_names(entity.name)
            if len(words) == 1 and entity_first and spelling_key(entity_first[0]) == surname:
                return entity
        return None

    def _new(self, text: str, label: str) -> Entity:
        known = gazetteer.lookup(text) if label != "person" else None
        if known:
            entity = Entity(known.name, known.type, kind=known.kind, country=known.country)
        else:
            name = text[4:] if label != "person" and text.lower().startswith("the ") else text
            entity = Entity(" ".join(name.split()), label)
        self.entities.append(entity)
        return entity

    def _update(self, entity: Entity, span: Span) -> None:
        text = " ".join(span.text.split())
        entity.aliases.add(fold(text).removeprefix("the "))
        if entity.type == "person":
            entity.name = fuller(entity.name, " ".join(name_words(text)) or text)
            read_titles(entity, span)
        elif entity.type == "organisation":
            self._read_bracketed_acronym(entity, span)

    def _read_bracketed_acronym(self, entity: Entity, span: Span) -> None:
        doc = self.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            short = doc[span.end + 1].text
            if short.isupper() and 1 < len(short) <= 8:
                entity.aliases.add(fold(short))


def _inside(ent: Span, skip: list[Fragment]) -> bool:
    return any(ent.start_char < e and s < ent.end_char for s, e in skip)


__all__ = [
    "FEMALE_WORDS",
    "MALE_WORDS",
    "ROLE_TITLES",
    "ArticleEntities",
    "Entity",
    "Mention",
    "first_pronoun_after",
    "has_role",
]
