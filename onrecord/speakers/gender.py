"""Gender of the people an article names: by honorific and role nouns (read with the
titles), the given-name table, and the first gendered pronoun after a mention that is
the only person in its sentence."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from onrecord.speakers.names import fold, given_names

if TYPE_CHECKING:
    from onrecord.speakers.entities import ArticleEntities

MALE_WORDS = {
    "he",
    "him",
    "his",
    "himself",
    "spokesman",
    "chairman",
    "congressman",
    "husband",
    "father",
    "son",
    "brother",
    "king",
    "prince",
    "businessman",
}
FEMALE_WORDS = {
    "she",
    "her",
    "hers",
    "herself",
    "spokeswoman",
    "chairwoman",
    "congresswoman",
    "wife",
    "mother",
    "daughter",
    "sister",
    "queen",
    "princess",
    "businesswoman",
}


def read_genders(found: ArticleEntities) -> None:
    """Gender by vote of the first gendered pronoun after each mention that is the only
    person in its sentence: an article-internal signal, for names without a title."""
    votes: dict[int, list[int]] = {}
    for mention in found.mentions:
        entity = mention.entity
        if entity.type != "person" or entity.gender:
            continue
        others = [
            m
            for m in found.mentions
            if m.sentence == mention.sentence
            and m.entity.type == "person"
            and m.entity is not entity
        ]
        if others:
            continue
        pronoun = first_pronoun_after(found.doc, mention.end, found.sentence_of)
        tally = votes.setdefault(id(entity), [0, 0])
        tally[0] += pronoun in MALE_WORDS
        tally[1] += pronoun in FEMALE_WORDS
    names = first_name_genders()
    for entity in found.entities:
        if entity.gender is not None or entity.type != "person":
            continue
        first = given_names(entity.name)
        entity.gender = names.get(fold(first[0])) if first else None
        male, female = votes.get(id(entity), (0, 0))
        if entity.gender is None and male != female:
            entity.gender = "male" if male > female else "female"


@cache
def first_name_genders() -> dict[str, str]:
    """First name -> gender: the names that pronouns followed in PolNeAR train
    (``first_names.tsv``, made by ``python -m onrecord.training.learn_names``), then a
    hand-written table of common given names across languages (``given_names.tsv``),
    which wins where they differ."""
    genders: dict[str, str] = {}
    for table in ("first_names.tsv", "given_names.tsv"):
        path = resources.files("onrecord.speakers").joinpath(table)
        if not path.is_file():
            continue
        rows = (line.split("\t") for line in path.read_text("utf-8").splitlines())
        genders.update(
            {row[0]: row[1] for row in rows if len(row) >= 2 and not row[0].startswith("#")}
        )
    return genders


def first_pronoun_after(doc: Doc, token: int, sentence_of: list[int]) -> str | None:
    sentence = sentence_of[token - 1]
    for tok in doc[token:]:
        if sentence_of[tok.i] > sentence + 1:
            return None
        if tok.pos_ == "PRON" and tok.lower_ in MALE_WORDS | FEMALE_WORDS:
            return tok.lower_
        if tok.ent_type_ == "PERSON":
            return None
    return None
