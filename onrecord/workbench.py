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
from onrecord.schema import CopyRelation, Quote, Record, Speaker, Statement

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

    speaker: list[FacetCount] = Field(description="the speakers' resolved names")
    outlet: list[FacetCount] = Field(description="the articles' outlets")
    speaker_type: list[FacetCount] = Field(
        description="the kinds of speaker (person, organisation, ...)"
    )
    kind: list[FacetCount] = Field(description="direct, indirect or mixed")
    anonymous: list[FacetCount] = Field(
        description="whether the source is anonymous: 'yes' or 'no'"
    )


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

    articles: int = Field(description="articles stored (every version)")
    statements: int = Field(description="attributed statements stored")
    claims: int = Field(description="claims: one speaker saying one thing, however often carried")
    speakers: int = Field(description="distinct resolved speakers")
    outlets: int = Field(description="distinct outlets (case ignored)")
    copies: int = Field(description="articles that copy an earlier one")


class SpeakerCount(Record):
    """A speaker and its statements in a period."""

    speaker: str = Field(description="the speaker's resolved name")
    speaker_type: SpeakerType = Field(description="what kind of speaker this is")
    count: int = Field(description="its statements in the period")


class TopClaim(Record):
    """A claim by how widely it is carried."""

    claim: int = Field(description="the claim's key (`onrecord claim KEY`)")
    speaker: str | None = Field(description="who made it (the speaker of its first statement)")
    text: str = Field(description="the content of its first statement")
    first_published: date | None = Field(description="the date it was first published")
    occurrences: int = Field(description="statements of it stored")
    independent_sources: int = Field(
        description="distinct outlets it comes from, copies followed back"
    )


class DayCount(Record):
    """Articles published on a day."""

    day: date = Field(description="the day of publication")
    count: int = Field(description="articles published that day")


class Dashboard(Record):
    """The store at a glance. Periods end at ``latest``, the newest publication date
    stored (a store of last year's news still shows its last week). ``altered_quotes``
    are the newest quotations whose words differ from another rendering of the same
    passage (altered or spliced), each with its words, the reference's words, the
    changed words and the first on record (the home page's "Newest altered quotes")."""

    counts: StoreCounts = Field(description="how much the store holds")
    latest: date | None = Field(description="the newest publication date stored")
    speakers_week: list[SpeakerCount] = Field(description="most quoted, the last 7 days")
    speakers_month: list[SpeakerCount] = Field(description="most quoted, the last 30 days")
    top_claims: list[TopClaim] = Field(description="claims with the most independent sources")
    articles_per_day: list[DayCount] = Field(description="the last 60 days, oldest first")
    altered_quotes: list[Quote] = Field(
        default=[],
        description="the newest altered and spliced quotations, newest first (as `GET "
        "/api/quotes?altered=true`)",
    )


# -- a speaker ---------------------------------------------------------------------------


class NameCount(Record):
    """A role or organisation and how often it was given."""

    name: str = Field(description="the role or organisation, as given")
    count: int = Field(description="statements that gave it")


class WeekCount(Record):
    """A speaker's statements in one outlet in one week."""

    week: date = Field(description="the Monday the week starts on")
    outlet: str = Field(description="the outlet ('' when unknown)")
    count: int = Field(description="the speaker's statements in that outlet that week")


class CoQuoted(Record):
    """Another speaker quoted in the same articles."""

    speaker: str = Field(description="the other speaker's resolved name")
    speaker_type: SpeakerType = Field(description="what kind of speaker this is")
    articles: int = Field(description="articles quoting both")


class SpeakerProfile(Record):
    """A speaker's page: names, roles, statements per week and outlet, claims, company."""

    name: str = Field(description="the name asked for")
    speakers: list[Speaker] = Field(description="the stored speakers it names")
    roles: list[NameCount] = Field(description="roles or titles given to it, most often first")
    orgs: list[NameCount] = Field(description="organisations it spoke for, most often first")
    weeks: list[WeekCount] = Field(description="dated statements per week and outlet")
    undated: int = Field(description="statements without a date")
    top_claims: list[TopClaim] = Field(description="the speaker's most carried claims")
    co_quoted: list[CoQuoted] = Field(description="speakers most often in the same articles")


# -- an article's links ------------------------------------------------------------------


class CopyLinks(Record):
    """What an article copies, and what copies it."""

    article: str = Field(description="the id of the article")
    copy_of: CopyRelation | None = Field(description="the earlier article it copies")
    copied_by: list[CopyRelation] = Field(description="later articles that copy it")


class StatementClaim(Record):
    """The claim a statement of an article belongs to."""

    ordinal: int = Field(description="the statement's index among the article's attributions")
    claim: int | None = Field(description="the key of its claim; null when it has none")
    occurrences: int | None = Field(description="statements of that claim stored")
    independent_sources: int | None = Field(description="distinct outlets that claim comes from")


class ArticleClaims(Record):
    """The claim of each statement of an article."""

    article: str = Field(description="the id of the article (its latest version)")
    statements: list[StatementClaim] = Field(description="its statements, in text order")
