"""Searching claims the way an analyst does: a total, pages, a sort, and facet counts
(speaker, outlet, speaker type, kind, anonymous) over every matching claim, each claim
shown by its original (its first statement stored) with the outlets carrying it.

Read-only SQLAlchemy Core over the existing tables, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import distinct, func, select
from sqlalchemy.engine import Connection

from onrecord.schema import Statement
from onrecord.store.errors import QueryError
from onrecord.store.queries import Queries, _filters, _rows
from onrecord.store.schema import articles, attributions, claims
from onrecord.workbench import ClaimPage, ClaimQuery, ClaimResult, FacetCount, Facets

FACET_VALUES = 10  # values shown per facet, most frequent first
MAX_OUTLETS = 12  # outlets listed per claim

_FACET_COLUMNS = {
    "speaker": attributions.c.speaker,
    "outlet": articles.c.outlet,
    "speaker_type": attributions.c.speaker_type,
    "kind": attributions.c.kind,
    "anonymous": attributions.c.anonymous,
}


def search_claims(queries: Queries, query: ClaimQuery, offset: int | None = None) -> ClaimPage:
    """One page of the claims with a statement matching ``query``, with the total and the
    facet counts; bounded by the store's settings (page size, query length). ``offset``
    (claims to skip) replaces the query's page where given (``onrecord search --offset``)."""
    words = queries._query_words(query.q)
    per_page = queries._page_size(query.per_page)
    offset = (query.page - 1) * per_page if offset is None else max(0, offset)
    if offset > queries.settings.max_offset:
        raise QueryError(f"the page skips more than {queries.settings.max_offset} rows")
    conditions = _conditions(queries, words, query)
    with queries.engine.connect() as connection:
        grouped = _grouped(conditions)
        total = connection.execute(select(func.count()).select_from(grouped)).scalar() or 0
        page = connection.execute(
            select(grouped.c.claim, grouped.c.latest, claims.c.first_attribution_key)
            .join(claims, claims.c.key == grouped.c.claim)
            .order_by(*_order(query, grouped))
            .limit(per_page)
            .offset(offset)
        ).all()
        facets = Facets(**{name: _facet(connection, name, conditions) for name in _FACET_COLUMNS})
        results = _results(connection, page)
    return ClaimPage(
        total=total,
        page=offset // per_page + 1,
        per_page=per_page,
        pages=max(1, math.ceil(total / per_page)),
        sort=query.sort,
        results=results,
        facets=facets,
    )


def _conditions(queries: Queries, words: list[str], query: ClaimQuery) -> list:
    conditions = [
        queries.dialect.matching(queries.engine, words),
        *_filters(query.since, query.until, query.outlet),
    ]
    for name in ("speaker", "speaker_type", "kind", "anonymous"):
        value = getattr(query, name)
        if value is not None:
            conditions.append(_FACET_COLUMNS[name] == value)
    return conditions


def _matching(*columns):
    return select(*columns).select_from(
        attributions.join(articles, attributions.c.article_key == articles.c.key)
    )


def _grouped(conditions: list):
    """The matching claims, with their newest matching statement's date."""
    return (
        _matching(
            attributions.c.claim_key.label("claim"),
            func.max(attributions.c.published).label("latest"),
        )
        .where(*conditions, attributions.c.claim_key.is_not(None))
        .group_by(attributions.c.claim_key)
        .subquery()
    )


def _order(query: ClaimQuery, grouped) -> list:
    newest = [grouped.c.latest.desc().nulls_last(), grouped.c.claim.desc()]
    if query.sort == "sources":
        return [claims.c.independent_sources.desc(), claims.c.occurrences.desc(), *newest]
    return newest


def _facet(connection: Connection, name: str, conditions: list) -> list[FacetCount]:
    column = _FACET_COLUMNS[name]
    count = func.count(distinct(attributions.c.claim_key)).label("claims")
    rows = connection.execute(
        _matching(column.label("value"), count)
        .where(*conditions, column.is_not(None))
        .group_by(column)
        .order_by(count.desc(), column)
        .limit(FACET_VALUES)
    ).all()
    return [FacetCount(value=_facet_value(row.value), count=row.claims) for row in rows]


def _facet_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _results(connection: Connection, page: list) -> list[ClaimResult]:
    """Each claim of the page by its original statement, with the outlets carrying it."""
    if not page:
        return []
    keys = [row.claim for row in page]
    originals = {
        s.claim: s
        for s in (
            Statement.model_validate(dict(found))
            for found in connection.execute(
                _rows().where(attributions.c.key.in_([row.first_attribution_key for row in page]))
            ).mappings()
        )
    }
    missing = [k for k in keys if k not in originals]
    if missing:  # a claim whose first statement is not recorded: its earliest
        originals.update(_earliest(connection, missing))
    outlets = _outlets(connection, keys)
    return [
        ClaimResult(
            original=originals[row.claim],
            outlets=_original_first(originals[row.claim].outlet, outlets[row.claim]),
            latest=row.latest,
        )
        for row in page
        if row.claim in originals
    ]


def _earliest(connection: Connection, keys: list[int]) -> dict[int, Statement]:
    found: dict[int, Statement] = {}
    rows = connection.execute(
        _rows()
        .where(attributions.c.claim_key.in_(keys))
        .order_by(attributions.c.published.asc().nulls_last(), attributions.c.key)
    ).mappings()
    for row in rows:
        statement = Statement.model_validate(dict(row))
        found.setdefault(statement.claim, statement)
    return found


def _outlets(connection: Connection, keys: list[int]) -> dict[int, list[str]]:
    """Each claim's outlets in the order they first carried it."""
    first = func.min(attributions.c.key).label("first")
    rows = connection.execute(
        _matching(attributions.c.claim_key, articles.c.outlet, first)
        .where(attributions.c.claim_key.in_(keys), articles.c.outlet.is_not(None))
        .group_by(attributions.c.claim_key, articles.c.outlet)
        .order_by(attributions.c.claim_key, first)
    ).all()
    outlets: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        outlets[row.claim_key].append(row.outlet)
    return outlets


def _original_first(original: str | None, outlets: list[str]) -> list[str]:
    ordered = ([original] if original else []) + [o for o in outlets if o != original]
    return ordered[:MAX_OUTLETS]
