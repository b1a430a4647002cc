"""The records of the analyst's workbench, typed once like ``onrecord.schema``'s: what the
store's overview, faceted claim search, speaker profile and copy links return, the API
answers (its OpenAPI schema is made from these) and the CLI writes.

    ClaimQuery     a search over claims: words, dates, facet filters, sort and page
    ClaimPage      one page of claims with the total, the pages and the facet counts
    Dashboard      the store at a glance: counts, most-quoted speakers, top claims, days
    SpeakerProfile a speaker's roles, weekly statements by outlet, claims, co-quoted
    CopyLinks      an article's copy relations in both directions
    ArticleClaims  the claim of each statement of an article
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from onrecord.document import Kind, SpeakerType
from onrecord.schema import CopyRelation, Record, Speaker, Statement

Sort = Literal["newest", "sources"]
FACETS = ("speaker", "outlet", "speaker_type", "kind", "anonymous")

__all__ = [
    "FACETS",
    "ArticleClaims",
    "ClaimPage",
    "ClaimQuery",
    "ClaimResult",
    "CoQuoted",
    "CopyLinks",
    "Dashboard",
    "DayCount",
    "FacetCount",
    "Facets",
    "NameCount",
    "SpeakerCount",
    "SpeakerProfile",
    "StatementClaim",
    "StoreCounts",
    "TopClaim",
    "WeekCount",
]


# -- searching claims ------------------------------------------------------------------


class ClaimQuery(Record):
    """A search over claims: every filter narrows the statements that match."""

    q: str = Field(description="words that the content or speaker of a statement all have")
    since: date | None = Field(default=None, description="statements published on or after")
    until: date | None = Field(default=None, description="statements published on or before")
    outlet: str | None = Field(default=None, description="outlets whose name has this")
    speaker: str | None = Field(default=None, description="the speaker's resolved name")
    speaker_type: SpeakerType | None = Field(default=None, description="the kind of speaker")
    kind: Kind | None = Field(default=None, description="direct, indirect or mixed")
    anonymous: bool | None = Field(default=None, description="anonymous sources only, or none")
    sort: Sort = Field(default="newest", description="newest statement, or most sources, first")
    page: int = Field(default=1, ge=1, description="the page, from 1")
    per_page: int = Field(default=20, ge=1, description="claims per page")


class FacetCount(Record):
    """One value of a facet and how many matching claims have it."""

    value: str = Field(description="the value ('yes'/'no' for anonymous)")
    count: int = Field(description="matching claims with a statement of this value")


class Facets(Record):
    """The most frequent values of each facet among the matching claims."""

    speaker: list[FacetCount]
    outlet: list[FacetCount]
    speaker_type: list[FacetCount]
    kind: list[FacetCount]
    anonymous: list[FacetCount]


class ClaimResult(Record):
    """A claim that matched, shown by its original: the first statement of it stored."""

    original: Statement = Field(description="the claim's first statement, where it appeared")
    outlets: list[str] = Field(
        description="outlets carrying it, the original's first, then by first appearance"
    )
    latest: date | None = Field(description="the newest matching statement's date")


class ClaimPage(Record):
    """One page of the claims that match a ``ClaimQuery``."""

    total: int = Field(description="matching claims in all")
    page: int = Field(description="this page, from 1")
    per_page: int = Field(description="claims per page")
    pages: int = Field(description="pages in all")
    sort: Sort = Field(description="the order of the claims")
    results: list[ClaimResult] = Field(description="this page's claims")
    facets: Facets = Field(description="facet counts over every matching claim")


# -- the store at a glance ---------------------------------------------------------------


class StoreCounts(Record):
    """How much the store holds."""

    articles: int
    statements: int
    claims: int
    speakers: int
    outlets: int
    copies: int = Field(description="articles that copy an earlier one")


class SpeakerCount(Record):
    """A speaker and its statements in a period."""

    speaker: str
    speaker_type: SpeakerType
    count: int


class TopClaim(Record):
    """A claim by how widely it is carried."""

    claim: int
    speaker: str | None
    text: str = Field(description="the content of its first statement")
    first_published: date | None
    occurrences: int
    independent_sources: int


class DayCount(Record):
    """Articles published on a day."""

    day: date
    count: int


class Dashboard(Record):
    """The store at a glance. Periods end at ``latest``, the newest publication date
    stored (a store of last year's news still shows its last week).

    Design note, for onrecord.fidelity: the newest altered quotes will be a field
    ``altered_quotes: list[AlteredQuote]`` here (and a section "Newest altered quotes" on
    the home page), each with the claim, the original and altered words and both
    articles; nothing of it exists until that feature stores its findings."""

    counts: StoreCounts
    latest: date | None = Field(description="the newest publication date stored")
    speakers_week: list[SpeakerCount] = Field(description="most quoted, the last 7 days")
    speakers_month: list[SpeakerCount] = Field(description="most quoted, the last 30 days")
    top_claims: list[TopClaim] = Field(description="claims with the most independent sources")
    articles_per_day: list[DayCount] = Field(description="the last 60 days, oldest first")


# -- a speaker ---------------------------------------------------------------------------


class NameCount(Record):
    """A role or organisation and how often it was given."""

    name: str
    count: int


class WeekCount(Record):
    """A speaker's statements in one outlet in one week."""

    week: date = Field(description="the Monday the week starts on")
    outlet: str = Field(description="the outlet ('' when unknown)")
    count: int


class CoQuoted(Record):
    """Another speaker quoted in the same articles."""

    speaker: str
    speaker_type: SpeakerType
    articles: int = Field(description="articles quoting both")


class SpeakerProfile(Record):
    """A speaker's page: names, roles, statements per week and outlet, claims, company."""

    name: str = Field(description="the name asked for")
    speakers: list[Speaker] = Field(description="the stored speakers it names")
    roles: list[NameCount]
    orgs: list[NameCount]
    weeks: list[WeekCount] = Field(description="dated statements per week and outlet")
    undated: int = Field(description="statements without a date")
    top_claims: list[TopClaim] = Field(description="the speaker's most carried claims")
    co_quoted: list[CoQuoted] = Field(description="speakers most often in the same articles")


# -- an article's links ------------------------------------------------------------------


class CopyLinks(Record):
    """What an article copies, and what copies it."""

    article: str
    copy_of: CopyRelation | None = Field(description="the earlier article it copies")
    copied_by: list[CopyRelation] = Field(description="later articles that copy it")


class StatementClaim(Record):
    """The claim a statement of an article belongs to."""

    ordinal: int = Field(description="the statement's index among the article's attributions")
    claim: int | None
    occurrences: int | None
    independent_sources: int | None


class ArticleClaims(Record):
    """The claim of each statement of an article."""

    article: str
    statements: list[StatementClaim]
