"""Roles and titles read around a person's name: "Pentagon spokesman John Kirby",
"John Kirby, the Pentagon spokesman,", "X, leader of the regional militia", and the
titles that hold a description's head ("Justice" for "the judge")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from onrecord.speakers.gender import FEMALE_WORDS, MALE_WORDS
from onrecord.speakers.names import HONORIFICS, fold, honorific_gender

if TYPE_CHECKING:
    from onrecord.speakers.entities import Entity

ROLE_SKIP_POS = {"DET", "PRON", "PUNCT", "SPACE", "CCONJ", "ADP", "PART"}

# Description heads and the titles that hold them: "the judge" is "Justice Frank Nervo",
# "Lawmaker" is "Rep. Adam Schiff".
ROLE_TITLES = {
    "lawmaker": {
        "rep",
        "representative",
        "sen",
        "senator",
        "congressman",
        "congresswoman",
        "legislator",
        "assemblyman",
        "assemblywoman",
        "lawmaker",
    },
    "legislator": {"rep", "representative", "sen", "senator", "legislator", "lawmaker"},
    "senator": {"sen", "senator", "senators"},
    "congressman": {"rep", "representative", "congressman"},
    "congresswoman": {"rep", "representative", "congresswoman"},
    "judge": {"judge", "justice", "magistrate"},
    "governor": {"gov", "governor"},
}


def has_role(entity: Entity, head: str, titles: bool = True) -> bool:
    """Whether the entity holds the role a description's head noun names (by its title
    too, "Justice" for "judge", unless ``titles`` is off)."""
    if head in entity.role_heads:
        return True
    titles = ROLE_TITLES.get(head) if titles else None
    return bool(titles and titles & (entity.role_words | entity.titles))


def read_titles(entity: Entity, span: Span) -> None:
    """Titles before the name ("Pentagon spokesman John Kirby") and appositions
    ("John Kirby, the Pentagon spokesman,") become roles."""
    doc = span.doc
    if span.start > 0:
        previous = doc[span.start - 1].lower_.rstrip(".")
        gender = honorific_gender(previous)
        entity.gender = entity.gender or gender
        if doc[span.start - 1].text[:1].isupper():
            entity.titles.add(previous)
    role_tokens = [
        t
        for t in doc[span.root.left_edge.i : span.start]
        if t.pos_ not in ROLE_SKIP_POS and t.dep_ != "poss" and t.tag_ != "POS"
    ]
    role_tokens = _contiguous_tail(role_tokens, span.start)
    appos = [c for c in span.root.children if c.dep_ == "appos" and c.i >= span.end]
    if span.root.dep_ == "appos" and span.root.head.i < span.start:
        appos.append(span.root.head)
    for tokens in [role_tokens, *(_apposition_tokens(a, span) for a in appos)]:
        add_role(entity, tokens)


def add_role(entity: Entity, tokens: list[Token]) -> None:
    tokens = [
        t
        for t in tokens
        if t.text.strip()
        and t.pos_ not in {"PRON", "DET"}
        and t.dep_ != "poss"
        and fold(t.text) not in HONORIFICS
    ]
    if not tokens or not any(t.pos_ in {"NOUN", "PROPN"} for t in tokens):
        return
    if all(t.ent_type_ == "PERSON" for t in tokens):
        return
    # A place leading the title is where, not what: "Moscow Deputy Defense Minister".
    org = None
    if tokens[0].ent_type_ == "GPE" and len(tokens) > 1:
        place = _entity_tokens(tokens)
        org, tokens = " ".join(t.text for t in place), tokens[len(place) :]
    orgs = [t for t in tokens if t.ent_type_ in {"ORG", "GPE"}]
    if org is None and orgs:
        org = " ".join(t.text for t in _entity_tokens(orgs))
    of = next((i for i, t in enumerate(tokens) if t.lower_ == "of" and t.pos_ == "ADP"), None)
    if of is not None and tokens[0].text.islower() and len(tokens) - of > 2:
        # "leader of the regional militia": the role is the leader, the body what it leads
        org = org or " ".join(t.text for t in tokens[of + 1 :])
        tokens = tokens[:of]
    role = " ".join(t.text for t in tokens)
    if role and role not in entity.roles:
        entity.roles.append(role)
    if org and org not in entity.orgs:
        entity.orgs.append(org)
    nouns = [t for t in tokens if t.pos_ == "NOUN"] or [
        t for t in tokens if t.pos_ == "PROPN" and t.ent_type_ not in {"GPE", "ORG", "NORP"}
    ]  # "Foreign Secretary Jane Doe": a capitalised title is still a role
    if nouns:
        entity.role_heads.add(nouns[-1].lemma_.lower())
    entity.role_words.update(fold(t.text) for t in tokens)
    for tok in tokens:
        if tok.pos_ == "NOUN":
            if tok.lower_ in MALE_WORDS:
                entity.gender = entity.gender or "male"
            elif tok.lower_ in FEMALE_WORDS:
                entity.gender = entity.gender or "female"


def _contiguous_tail(tokens: list[Token], end: int) -> list[Token]:
    """The run of tokens that reaches up to ``end`` without a gap."""
    run: list[Token] = []
    for tok in reversed(tokens):
        if tok.i != (run[-1].i - 1 if run else end - 1):
            break
        run.append(tok)
    return list(reversed(run))


def _apposition_tokens(head: Token, name: Span) -> list[Token]:
    tokens = [t for t in head.subtree if not (name.start <= t.i < name.end)]
    tokens = [t for t in tokens if t.pos_ not in {"DET", "PUNCT", "SPACE"} and t.dep_ != "relcl"]
    # Stop at a relative clause or a second apposition.
    cut = next(
        (i for i, t in enumerate(tokens) if t.dep_ in {"relcl", "acl"} or t.tag_ == "WDT"),
        len(tokens),
    )
    return tokens[:cut]


def _entity_tokens(tokens: list[Token]) -> list[Token]:
    """The leading tokens that belong to the first token's entity."""
    first = tokens[0]
    run = [first]
    for tok in tokens[1:]:
        if tok.ent_iob_ != "I" or tok.i != run[-1].i + 1:
            break
        run.append(tok)
    return run
