"""Who a source could be: candidate referents and the features a ranker scores them by.

Candidates are the rule resolver's own reading (``resolve.py``), every registry entity
mentioned near the source (12 sentences back, 3 ahead) or already heard as a speaker, and
"nobody". Each candidate is described by the same fixed list of numbers
(:data:`FEATURES`): how the source is worded, how far back and how prominently the
candidate was mentioned, whether it agrees in gender and number, whether it holds the
role the description names, whether it is only mentioned inside this very quotation, and
whether the rules chose it. The ranker (``ranker.py``) learns what matters from labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from onrecord.speakers.entities import FEMALE_WORDS, MALE_WORDS, ArticleEntities, Entity, has_role
from onrecord.speakers.feature_names import FEATURES, TYPES
from onrecord.speakers.names import fold, surname_key
from onrecord.speakers.vocabulary import (
    ANONYMOUS_HEADS,
    COUNTRY_HEADS,
    DEMONSTRATIVE_DETS,
    DOCUMENT_HEADS,
    FIRST_PERSON,
    NEUTER,
    ORG_HEADS,
    OUTLET_HEADS,
    PERSONAL,
    PLURAL,
    QUANTIFIERS,
)

BACK_SENTENCES, AHEAD_SENTENCES = 12, 3
MAX_CANDIDATES = 16
MAIN_PERSONS = 3  # the article's most mentioned people are candidates wherever they are
QA_MARKERS = {"q", "a", "question", "answer"}
FAR = 30  # the distance given to "never", so trees can split on it


@dataclass
class Candidate:
    """One possible referent: an entity, the rules' own (maybe entity-less) reading, or
    nobody (``entity`` and ``name`` None)."""

    entity: Entity | None
    name: str | None
    from_rules: bool = False
    type: str | None = None  # for a reading without an entity: group, document, ...
    values: dict[str, float] = field(default_factory=dict)

    def vector(self) -> list[float]:
        return [self.values.get(name, 0.0) for name in FEATURES]


@dataclass
class ArticleIndex:
    """Per-article lookups the features need for every source, built once."""

    mentions_of: dict[int, list]  # id(entity) -> its mentions in text order
    first_of_type: dict[str, int]  # type -> id of the first entity of that type mentioned
    main_persons: list[Entity]  # people, most mentioned first

    @classmethod
    def of(cls, entities: ArticleEntities) -> ArticleIndex:
        cached = getattr(entities, "_article_index", None)
        if cached is not None:
            return cached
        mentions_of: dict[int, list] = {}
        first_of_type: dict[str, int] = {}
        for mention in entities.mentions:
            mentions_of.setdefault(id(mention.entity), []).append(mention)
            first_of_type.setdefault(mention.entity.type, id(mention.entity))
        people = [e for e in entities.entities if e.type == "person" and id(e) in mentions_of]
        people.sort(key=lambda e: -len(mentions_of[id(e)]))
        index = cls(mentions_of, first_of_type, people)
        entities._article_index = index  # type: ignore[attr-defined]
        return index


@dataclass
class SourceContext:
    """What the resolver knows when it reaches one source."""

    span: Span
    head: Token
    content_tokens: set[int]  # tokens of this attribution's content
    spoken: list[tuple[int, Entity]]  # (token, entity) of earlier speakers, in order
    lede_end: int
    author: Entity | None


def candidates_for(
    entities: ArticleEntities,
    context: SourceContext,
    rule_name: str | None,
    rule_entity: Entity | None,
    paragraph_of: list[int],
    rule_type: str | None = None,
) -> list[Candidate]:
    """The candidates for one source, with their features filled in."""
    at = context.span.start
    here = entities.sentence_of[at]
    near: dict[int, Entity] = {}
    for mention in entities.mentions:
        distance = here - mention.sentence
        if -AHEAD_SENTENCES <= distance <= BACK_SENTENCES:
            near.setdefault(id(mention.entity), mention.entity)
    for _, entity in context.spoken:
        near.setdefault(id(entity), entity)
    index = ArticleIndex.of(entities)
    for entity in index.main_persons[:MAIN_PERSONS] + ([context.author] if context.author else []):
        near.setdefault(id(entity), entity)
    if rule_entity is not None:
        near.setdefault(id(rule_entity), rule_entity)
    pool = sorted(near.values(), key=lambda e: _last_before(index, e, at), reverse=True)
    pool = pool[:MAX_CANDIDATES]
    if rule_entity is not None and all(e is not rule_entity for e in pool):
        pool.append(rule_entity)
    found = [Candidate(e, e.name, from_rules=e is rule_entity) for e in pool]
    if rule_name is not None and rule_entity is None:
        found.append(Candidate(None, rule_name, from_rules=True, type=rule_type))
    own = own_words(context.head, context.span)
    if own is not None and all(c.name != own[0] for c in found):
        found.append(Candidate(None, own[0], type=own[1]))
    found.append(Candidate(None, None, from_rules=rule_name is None))
    shared = _source_features(entities, context, rule_name, rule_entity, len(found))
    ranks = {id(e): i for i, e in enumerate(index.main_persons)}
    salience = {id(e): _salience(entities, context, e) for e in pool}
    ranked = sorted(salience, key=lambda k: salience[k], reverse=True)
    recency = [id(e) for e in pool]
    for candidate in found:
        candidate.values.update(shared)
        candidate.values["is_rule"] = float(candidate.from_rules)
        if candidate.entity is not None:
            key = id(candidate.entity)
            candidate.values.update(
                _entity_features(entities, context, candidate.entity, paragraph_of)
            )
            candidate.values["salience"] = salience[key]
            candidate.values["salience_rank"] = float(ranked.index(key))
            candidate.values["recency_rank"] = float(recency.index(key))
            candidate.values["article_rank"] = float(min(ranks.get(key, FAR), FAR))
        elif candidate.name is not None:
            candidate.values.update(_name_features(context, candidate.name))
            candidate.values["is_own_words"] = float(not candidate.from_rules)
            if candidate.type in TYPES:
                candidate.values[f"type_{candidate.type}"] = 1.0
        else:
            candidate.values["is_none"] = 1.0
    _compare_fitting(found, context.head)
    return found


def _compare_fitting(found: list[Candidate], head: Token) -> None:
    """Each candidate against the best of those that fit the source's pronoun or head
    (type, gender): how far behind it is in salience, distance and time since it spoke.
    Trees score one candidate at a time; these let them compare."""
    fitting = [c for c in found if c.entity is not None and _fits(c, head)]
    if not fitting:
        return
    best_salience = max(c.values["salience"] for c in fitting)
    nearest = min(c.values["dist_back"] for c in fitting)
    latest = min(c.values["spoken_back"] for c in fitting)
    order = sorted(fitting, key=lambda c: -c.values["salience"])
    for candidate in fitting:
        values = candidate.values
        values["fits"] = 1.0
        values["fit_salience_gap"] = best_salience - values["salience"]
        values["fit_distance_gap"] = values["dist_back"] - nearest
        values["fit_spoken_gap"] = values["spoken_back"] - latest
        values["fit_salience_rank"] = float(order.index(candidate))


def _fits(candidate: Candidate, head: Token) -> bool:
    entity, word = candidate.entity, head.lower_
    if head.pos_ == "PRON" and word in PERSONAL | FIRST_PERSON:
        return entity.type == "person" and not candidate.values.get("gender_clashes")
    if head.pos_ == "PRON" and word in PLURAL:
        return entity.type in {"group", "organisation"}
    if head.pos_ == "PRON" and word in NEUTER:
        return entity.type in {"organisation", "country", "document"}
    return True


def own_words(head: Token, span: Span) -> tuple[str, str] | None:
    """The source's own words as a group's name ("Democratic voters", "local traders");
    None for pronouns and singular heads. (Documents and bodies named by their own words
    — "the new poll", "the regional council" — were tried too: no better on the training
    folds, and they outvoted the named author.)"""
    if head.pos_ == "PRON" or head.tag_ not in {"NNS", "NNPS"}:
        return None
    words = [t for t in span if t.dep_ != "det" and not t.is_space and t.pos_ != "PUNCT"]
    while words and words[0].lower_ in QUANTIFIERS:
        words = words[1:]
    return (" ".join(t.text for t in words), "group") if words else None


def _source_features(
    entities: ArticleEntities,
    context: SourceContext,
    rule_name: str | None,
    rule_entity: Entity | None,
    n_candidates: int,
) -> dict[str, float]:
    span, head = context.span, context.head
    word, lemma = head.lower_, head.lemma_.lower()
    pronoun = head.pos_ == "PRON"
    first = span[0].lower_
    capitals = [t for t in span if t.text[:1].isupper() and t.pos_ in {"PROPN", "NOUN", "ADJ"}]
    inside = entities.entity_in(span.start, span.end)
    return {
        "src_pron_personal": float(pronoun and word in PERSONAL),
        "src_pron_plural": float(pronoun and word in PLURAL),
        "src_pron_neuter": float(pronoun and word in NEUTER),
        "src_pron_first": float(pronoun and word in FIRST_PERSON),
        "src_description": float(not pronoun and not capitals),
        "src_name": float(bool(capitals)),
        "src_name_words": float(len(capitals)),
        "src_quoted": float(bool(entities.quoted[span.start])),
        "src_sentence": float(min(entities.sentence_of[span.start], FAR)),
        "src_in_lede": float(entities.sentence_of[span.start] <= context.lede_end),
        "src_definite": float(first in DEMONSTRATIVE_DETS),
        "src_indefinite": float(first in QUANTIFIERS),
        "src_plural": float(head.tag_ in {"NNS", "NNPS"}),
        "src_head_anonymous": float(lemma in ANONYMOUS_HEADS),
        "src_head_org": float(lemma in ORG_HEADS),
        "src_head_document": float(lemma in DOCUMENT_HEADS),
        "src_head_outlet": float(lemma in OUTLET_HEADS),
        "src_head_country": float(lemma in COUNTRY_HEADS),
        "src_gendered": float(word in MALE_WORDS or word in FEMALE_WORDS),
        "src_entity_inside": float(inside is not None),
        "src_qa_marker": float(span.text.strip().rstrip(":.").lower() in QA_MARKERS),
        "src_relative": float(_relative_antecedent(head) is not None),
        "n_candidates": float(n_candidates),
        "rule_named": float(rule_name is not None),
        "rule_has_entity": float(rule_entity is not None),
    }


def _entity_features(
    entities: ArticleEntities, context: SourceContext, entity: Entity, paragraph_of: list[int]
) -> dict[str, float]:
    span, head = context.span, context.head
    at, here = span.start, entities.sentence_of[span.start]
    index = ArticleIndex.of(entities)
    mine = index.mentions_of.get(id(entity), [])
    before = [m for m in mine if m.end <= at]
    after = [m for m in mine if m.start >= span.end]
    last = before[-1] if before else None
    spoken_at = [t for t, e in context.spoken if e is entity and t < at]
    gender = _gender_of(head)
    word = head.lower_
    plural_pronoun = head.pos_ == "PRON" and word in PLURAL
    modifiers = {fold(t.text) for t in span if t.i != head.i and t.dep_ != "det"}
    source_words = set(fold(" ".join(t.text for t in span if t.text[:1].isupper())).split())
    name_words = set(fold(entity.name).split())

    outside_content = [m for m in before if m.start not in context.content_tokens]
    in_content = any(m.start in context.content_tokens for m in mine)
    return {
        f"type_{entity.type}": 1.0,
        "gender_agrees": float(gender is not None and entity.gender == gender),
        "gender_clashes": float(
            gender is not None and entity.gender is not None and entity.gender != gender
        ),
        "number_fits": float(plural_pronoun and entity.type in {"group", "organisation"}),
        "dist_back": float(min(here - last.sentence, FAR)) if last else FAR,
        "dist_ahead": float(min(after[0].sentence - here, FAR)) if after else FAR,
        "paragraphs_back": float(min(paragraph_of[at] - paragraph_of[last.start], FAR))
        if last
        else FAR,
        "mentions_before": float(len(before)),
        "mentions_all": float(len(mine)),
        "first_sentence": float(min(mine[0].sentence, FAR)) if mine else FAR,
        "first_of_type": float(index.first_of_type.get(entity.type) == id(entity)),
        "last_subject": float(last is not None and last.is_subject),
        "last_quoted": float(last is not None and last.quoted),
        "spoken": float(len(spoken_at)),
        "spoken_back": float(min(here - entities.sentence_of[spoken_at[-1]], FAR))
        if spoken_at
        else FAR,
        "last_speaker": float(bool(context.spoken) and context.spoken[-1][1] is entity),
        "in_source": float(any(span.start <= m.start and m.end <= span.end for m in mine)),
        "in_content": float(in_content),
        "only_in_content": float(in_content and not outside_content),
        "same_sentence": float(any(m.sentence == here for m in mine)),
        "role_match": float(has_role(entity, head.lemma_.lower())),
        "role_modifiers": float(len(modifiers & entity.role_words)),
        "name_overlap": float(len(source_words & name_words)),
        "head_in_name": float(head.lemma_.lower() in name_words or head.lower_ in name_words),
        "surname_match": float(
            bool(source_words)
            and surname_key(entity.name) in {surname_key(w) for w in source_words}
        ),
        "is_author": float(entity is context.author),
        "relative_antecedent": float(_covers(mine, _relative_antecedent(head))),
        "same_paragraph": float(
            any(paragraph_of[m.start] == paragraph_of[at] and m.end <= at for m in mine)
        ),
    }


def _name_features(context: SourceContext, name: str) -> dict[str, float]:
    """A reading the rules made without a registry entity ("Trump campaign", a group)."""
    source_words = set(fold(context.span.text).split())
    proper = sum(w[:1].isupper() for w in name.split())
    return {
        "proper_words": float(proper),
        # "Ruth Ames and Paul Dorsey": the rules joined people named together
        "names_joined": float(" and " in name and proper >= 2),
        "dist_back": 0.0,
        "in_source": float(bool(set(fold(name).split()) & source_words)),
        "name_overlap": float(len(set(fold(name).split()) & source_words)),
        "dist_ahead": FAR,
        "paragraphs_back": 0.0,
        "first_sentence": FAR,
        "spoken_back": FAR,
    }


def _salience(entities: ArticleEntities, context: SourceContext, entity: Entity) -> float:
    """The rules' salience, as in ``SpeakerResolver._antecedent``: minus sentences back,
    plus one for a subject, plus 1.5 for having spoken, minus 1.5 for a name quoted in
    someone's words when the source is outside quotes."""
    at = context.span.start
    here = entities.sentence_of[at]
    outside = not entities.quoted[at]
    best = -float(FAR)
    for mention in ArticleIndex.of(entities).mentions_of.get(id(entity), []):
        if mention.end <= at:
            bonus = (1.0 if mention.is_subject else 0.0) - (
                1.5 if outside and mention.quoted else 0
            )
            best = max(best, bonus - (here - mention.sentence))
    for token, spoken in context.spoken:
        if spoken is entity and token < at:
            best = max(best, 1.5 - (here - entities.sentence_of[token]))
    return best


def _relative_antecedent(head: Token) -> Token | None:
    """The noun a relative pronoun stands for: "Petrov, who said …" -> Petrov."""
    if head.lower_ not in {"who", "which", "that"} or head.head.dep_ != "relcl":
        return None
    return head.head.head


def _covers(mentions: list, token: Token | None) -> bool:
    return token is not None and any(m.start <= token.i < m.end for m in mentions)


def _last_before(index: ArticleIndex, entity: Entity, at: int) -> int:
    starts = [m.start for m in index.mentions_of.get(id(entity), []) if m.start < at]
    return max(starts, default=-1)


def _gender_of(head: Token) -> str | None:
    word = head.lower_
    if word in MALE_WORDS:
        return "male"
    if word in FEMALE_WORDS:
        return "female"
    return None
