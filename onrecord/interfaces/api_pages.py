"""The API behind the web UI's workbench pages: the home dashboard, claims with facets
and pages, a speaker's profile, a claim as JSON-LD, an article's copy links both ways and
the claims of its statements. Every answer is a typed record of ``onrecord.workbench``
(its OpenAPI schema); bad input is a 4xx with ``{"detail": "one line"}``."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from onrecord.document import Kind, SpeakerType
from onrecord.interfaces.api_models import NO_NUL, Plain, errors, text_field
from onrecord.interfaces.jsonld import ClaimJsonLd, claim_jsonld
from onrecord.settings import Settings
from onrecord.store import QueryError, Store
from onrecord.workbench import (
    ArticleClaims,
    ClaimPage,
    ClaimQuery,
    CopyLinks,
    Dashboard,
    Sort,
    SpeakerProfile,
)

# SQLite's (and PostgreSQL's bigint) largest integer: a larger claim key is a 422.
MAX_KEY = 2**63 - 1
MAX_PAGES = 100_000


def workbench_routes(store: Store, settings: Settings) -> APIRouter:
    """The routes, reading ``store`` within the bounds of ``settings``."""
    router = APIRouter()
    Words = Annotated[
        str,
        Query(min_length=1, max_length=settings.max_query_chars, json_schema_extra=NO_NUL),
        Plain,
    ]
    Name = Annotated[Annotated[str, text_field(500), Plain] | None, Query()]
    Outlet = Annotated[Annotated[str, text_field(settings.max_outlet_chars), Plain] | None, Query()]
    ArticleId = Annotated[
        str, Path(max_length=settings.max_id_chars, json_schema_extra=NO_NUL), Plain
    ]

    @router.get(
        "/api/dashboard",
        response_model=Dashboard,
        summary="The store at a glance: counts, most quoted speakers, top claims, articles per day",
        responses=errors(),
    )
    def dashboard() -> Dashboard:
        return store.dashboard()

    @router.get(
        "/api/claims",
        response_model=ClaimPage,
        summary="Claims with a statement matching the words and filters: a page, the total "
        "and facet counts; each claim shown by its original statement",
        responses=errors(),
    )
    def claims(
        q: Words,
        since: date | None = None,
        until: date | None = None,
        outlet: Outlet = None,
        speaker: Name = None,
        speaker_type: SpeakerType | None = None,
        kind: Kind | None = None,
        anonymous: bool | None = None,
        sort: Sort = "newest",
        page: Annotated[int, Query(ge=1, le=MAX_PAGES)] = 1,
        per_page: Annotated[int, Query(ge=1, le=settings.max_page)] = settings.page_size,
    ) -> ClaimPage:
        query = ClaimQuery(
            q=q,
            since=since,
            until=until,
            outlet=outlet,
            speaker=speaker,
            speaker_type=speaker_type,
            kind=kind,
            anonymous=anonymous,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        return store.search_claims(query)

    @router.get(
        "/api/claims/{claim}/jsonld",
        response_model=ClaimJsonLd,
        summary="A claim as schema.org Claim JSON-LD, with every appearance",
        responses=errors(404),
    )
    def claim_linked_data(claim: Annotated[int, Path(ge=1, le=MAX_KEY)]) -> ClaimJsonLd:
        try:
            return claim_jsonld(store.claim(claim))
        except QueryError as exc:
            raise HTTPException(404, str(exc)) from exc

    @router.get(
        "/api/speaker-profile",
        response_model=SpeakerProfile,
        summary="A speaker's roles, statements per week and outlet, claims, co-quoted speakers",
        responses=errors(),
    )
    def speaker_profile(name: Words) -> SpeakerProfile:
        return store.speaker_profile(name)

    @router.get(
        "/api/copy-links/{article_id:path}",
        response_model=CopyLinks,
        summary="What an article copies, and the later articles that copy it",
        responses=errors(404),
    )
    def copy_links(article_id: ArticleId) -> CopyLinks:
        try:
            return store.copy_links(article_id)
        except QueryError as exc:
            raise HTTPException(404, str(exc)[:200]) from exc

    @router.get(
        "/api/article-claims/{article_id:path}",
        response_model=ArticleClaims,
        summary="The claim of each statement of an article",
        responses=errors(404),
    )
    def article_claims(article_id: ArticleId) -> ArticleClaims:
        found = store.article_claims(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id[:100]!r}")
        return found

    return router
