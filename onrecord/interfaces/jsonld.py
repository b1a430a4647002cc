"""A claim as schema.org ``Claim`` JSON-LD, so that a fact-check (a ``ClaimReview``) can
start from it: the speaker as its ``author``, the first statement's article as its
``firstAppearance`` and every article carrying it as an ``appearance``.

``claim_jsonld(claim).model_dump(by_alias=True, mode="json")`` is the JSON object that
``onrecord claim KEY --format jsonld`` prints and ``GET /api/claims/{key}/jsonld`` sends.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from onrecord.schema import Claim, ClaimStatement

PERSON_TYPES = {"person", "anonymous", "unresolved"}


class LinkedData(BaseModel):
    model_config = ConfigDict(populate_by_name=True, frozen=True)


class Party(LinkedData):
    """The speaker or an outlet: a schema.org ``Person`` or ``Organization``."""

    type: Literal["Person", "Organization"] = Field(
        alias="@type", description="a person (or an unnamed source), or an organisation"
    )
    name: str = Field(description="the speaker's resolved name, or the outlet's")


class Appearance(LinkedData):
    """An article that carries the claim: a schema.org ``NewsArticle``."""

    type: Literal["NewsArticle"] = Field(
        default="NewsArticle", alias="@type", description="always NewsArticle"
    )
    identifier: str = Field(description="the article's id in the store")
    url: str | None = Field(default=None, description="where the article was published")
    datePublished: date | None = Field(default=None, description="the article's date")
    publisher: Party | None = Field(default=None, description="the article's outlet")
    text: str = Field(description="the statement's words in this article")
    isBasedOn: str | None = Field(
        default=None, description="the id of the article this one copies, when it is a copy"
    )


class ClaimJsonLd(LinkedData):
    """A schema.org ``Claim``."""

    context: Literal["https://schema.org"] = Field(
        default="https://schema.org", alias="@context", description="the vocabulary"
    )
    type: Literal["Claim"] = Field(default="Claim", alias="@type", description="always Claim")
    identifier: str = Field(description="onrecord:claim:KEY")
    text: str = Field(description="the content of the claim's first statement")
    author: Party | None = Field(default=None, description="who made it; null when unnamed")
    datePublished: date | None = Field(default=None, description="when it was first published")
    firstAppearance: Appearance | None = Field(
        default=None, description="the article it first appeared in"
    )
    appearance: list[Appearance] = Field(description="every article carrying it, oldest first")


def claim_jsonld(claim: Claim) -> ClaimJsonLd:
    appearances = [_appearance(s) for s in claim.statements]
    first = claim.statements[0] if claim.statements else None
    author = None
    if claim.speaker:
        kind = "Person" if first is None or first.speaker_type in PERSON_TYPES else "Organization"
        author = Party(type=kind, name=claim.speaker)
    return ClaimJsonLd(
        identifier=f"onrecord:claim:{claim.claim}",
        text=claim.text,
        author=author,
        datePublished=claim.first_published,
        firstAppearance=appearances[0] if appearances else None,
        appearance=appearances,
    )


def _appearance(statement: ClaimStatement) -> Appearance:
    publisher = Party(type="Organization", name=statement.outlet) if statement.outlet else None
    return Appearance(
        identifier=statement.article,
        url=statement.url,
        datePublished=statement.published,
        publisher=publisher,
        text=statement.content,
        isBasedOn=statement.copy_of,
    )
