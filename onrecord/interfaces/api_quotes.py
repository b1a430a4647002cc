"""The API of quote fidelity: quotations across the store filtered by relation, date,
outlet and speaker (``GET /api/quotes``, as ``onrecord quotes``), and one article's
quotations each with every other rendering of its passage (``GET
/api/article-quotes/{id}``, as ``onrecord quote``): what the web UI marks on an article
page and lists in a quotation's details. Every answer is a typed record of
``onrecord.schema``; bad input is a 4xx with ``{"detail": "one line"}``."""

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BeforeValidator

from onrecord.interfaces.api_models import NO_NUL, Plain, errors, text_field
from onrecord.schema import ArticleQuotes, QuotePage, Relation
from onrecord.settings import Settings
from onrecord.store import Store

ALTERED = ("altered", "spliced")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value: object) -> object:
    """A date parameter is YYYY-MM-DD (pydantic would read "0" as 1970-01-01)."""
    if isinstance(value, str) and not _DAY.fullmatch(value):
        raise ValueError("must be a date, YYYY-MM-DD")
    return value


Day = Annotated[date | None, BeforeValidator(iso_day), Query()]


def quote_routes(store: Store, settings: Settings) -> APIRouter:
    """The routes, reading ``store`` within the bounds of ``settings``."""
    router = APIRouter()
    Name = Annotated[Annotated[str, text_field(500), Plain] | None, Query()]
    Outlet = Annotated[Annotated[str, text_field(settings.max_outlet_chars), Plain] | None, Query()]
    ArticleId = Annotated[
        str, Path(max_length=settings.max_id_chars, json_schema_extra=NO_NUL), Plain
    ]

    @router.get(
        "/api/quotes",
        response_model=QuotePage,
        summary="Quotations across the store, newest first, each with its relation to the "
        "other renderings of its passage, the changed words and the first on record",
        responses=errors(),
    )
    def quotes(
        altered: Annotated[
            bool, Query(description="only altered and spliced quotations (with `relation`: both)")
        ] = False,
        relation: Annotated[Relation | None, Query(description="only this relation")] = None,
        since: Day = None,
        until: Day = None,
        outlet: Outlet = None,
        speaker: Name = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_page)] = settings.page_size,
        offset: Annotated[int, Query(ge=0, le=settings.max_offset)] = 0,
    ) -> QuotePage:
        wanted = set(ALTERED) if altered else None
        if relation is not None:
            wanted = {relation} & wanted if wanted is not None else {relation}
        return store.quotes(
            relations=sorted(wanted) if wanted is not None else None,
            since=since,
            until=until,
            outlet=outlet,
            speaker=speaker,
            limit=limit,
            offset=offset,
        )

    @router.get(
        "/api/article-quotes/{article_id:path}",
        response_model=ArticleQuotes,
        summary="An article's quotations, each with every other rendering of its passage "
        "(article, outlet, date, words, relation, changed words) and the first on record",
        responses=errors(404),
    )
    def article_quotes(article_id: ArticleId) -> ArticleQuotes:
        found = store.article_quotes(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id[:100]!r}")
        return found

    return router
