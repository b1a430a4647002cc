"""Reading quotations: the renderings table (what ``onrecord.fidelity`` decided, written
by the ingest) read back as the rows the fidelity index is rebuilt from, as pages of
quotations filtered by relation, date, outlet and speaker (``onrecord quotes``), and as
one article's quotations beside every other rendering of their passages (``onrecord
quote``).

A rendering is named for people as ``ARTICLE_ID#ORDINAL`` (``quote_name``, the same form
as ``onrecord.fidelity.quote_key``); the store keys it by its attribution's key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from onrecord import document
from onrecord.schema import (
    ArticleQuotes,
    FirstOnRecord,
    Quote,
    QuotePage,
    QuoteRendering,
    QuoteWithRenderings,
)
from onrecord.store.queries import Queries, _latest
from onrecord.store.schema import (
    UNRELATED_UP_TO,
    articles,
    attributions,
    copies,
    renderings,
    settings,
)

MAX_RENDERINGS = 200  # other renderings listed per quotation of an article
references = renderings.alias("reference_renderings")
origins = articles.alias("rendering_origins")


@dataclass(frozen=True)
class StoredRendering:
    """A rendering as stored: what the fidelity index is rebuilt from."""

    key: int  # its attribution's key
    article: str
    ordinal: int
    speaker: str | None
    segments: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    published: str | None  # ISO 8601 date
    outlet: str | None
    copy_of: str | None


def quote_name(article_id: str, ordinal: int) -> str:
    """How a rendering is named in the fidelity JSON and the CLI: ``ARTICLE_ID#ORDINAL``."""
    return f"{article_id}#{ordinal}"


def _stored():
    return select(
        renderings.c.attribution_key,
        articles.c.id,
        attributions.c.ordinal,
        renderings.c.speaker,
        renderings.c.segments,
        renderings.c.spans,
        renderings.c.published,
        renderings.c.outlet,
        renderings.c.copy_of,
    ).select_from(
        renderings.join(attributions, attributions.c.key == renderings.c.attribution_key).join(
            articles, articles.c.key == renderings.c.article_key
        )
    )


def stored_renderings(connection: Connection, after: int = 0) -> list[StoredRendering]:
    """The renderings with an attribution key above ``after``, in key (commit) order."""
    rows = connection.execute(
        _stored().where(renderings.c.attribution_key > after).order_by(renderings.c.attribution_key)
    )
    return [
        StoredRendering(
            key=row.attribution_key,
            article=row.id,
            ordinal=row.ordinal,
            speaker=row.speaker,
            segments=tuple(row.segments),
            spans=tuple(tuple(s) for s in row.spans),
            published=row.published.isoformat() if row.published else None,
            outlet=row.outlet,
            copy_of=row.copy_of,
        )
        for row in rows
    ]


# -- statements stored before schema 9 ---------------------------------------------------


def unrelated_up_to(connection: Connection) -> int | None:
    """In a store upgraded to schema 9: the last statement key stored before it, whose
    quotes are not yet related; None when there are none."""
    found = connection.execute(
        select(settings.c.value).where(settings.c.name == UNRELATED_UP_TO)
    ).scalar()
    return int(found) if found else None


def unrelated_articles(
    connection: Connection, up_to: int
) -> Iterator[tuple[int, document.Article, str | None, list[int]]]:
    """Articles with statements up to key ``up_to`` and no rendering row, oldest first:
    each with its key, the article and its statements, the id of the article it copies,
    and its statements' keys in order."""
    keys = (
        select(attributions.c.article_key)
        .where(attributions.c.key <= up_to)
        .where(~attributions.c.article_key.in_(select(renderings.c.article_key)))
        .distinct()
        .order_by(attributions.c.article_key)
    )
    for article_key in list(connection.execute(keys).scalars()):
        row = connection.execute(
            select(articles, origins.c.id.label("copy_of"))
            .outerjoin(copies, copies.c.article_key == articles.c.key)
            .outerjoin(origins, origins.c.key == copies.c.origin_key)
            .where(articles.c.key == article_key)
        ).one()
        stored = connection.execute(
            select(attributions)
            .where(attributions.c.article_key == article_key)
            .order_by(attributions.c.ordinal)
        ).mappings()
        found = [(a["key"], document.Attribution.from_json(dict(a))) for a in stored]
        article = document.Article(
            id=row.id,
            text=row.text,
            attributions=[a for _, a in found],
            url=row.url,
            outlet=row.outlet,
            published=row.published.isoformat() if row.published else None,
        )
        yield article_key, article, row.copy_of, [key for key, _ in found]


def relating_done(connection: Connection) -> None:
    """Every statement stored before schema 9 has its renderings."""
    connection.execute(settings.delete().where(settings.c.name == UNRELATED_UP_TO))


# -- reads for the CLI and the API -------------------------------------------------------


def _rows():
    return select(
        renderings.c.attribution_key,
        articles.c.id.label("article"),
        attributions.c.ordinal,
        renderings.c.outlet,
        renderings.c.published,
        renderings.c.speaker,
        renderings.c.segments,
        renderings.c.spans,
        renderings.c.copy_of,
        renderings.c.relation,
        renderings.c.fidelity,
        renderings.c.others,
        references.c.segments.label("reference_words"),
    ).select_from(
        renderings.join(attributions, attributions.c.key == renderings.c.attribution_key)
        .join(articles, articles.c.key == renderings.c.article_key)
        .outerjoin(references, references.c.attribution_key == renderings.c.reference_key)
    )


def _rendering_fields(row: Any) -> dict[str, Any]:
    fidelity = row.fidelity or {}
    return {
        "quote": quote_name(row.article, row.ordinal),
        "article": row.article,
        "ordinal": row.ordinal,
        "outlet": row.outlet,
        "published": row.published,
        "speaker": row.speaker,
        "words": list(row.segments),
        "spans": [tuple(s) for s in row.spans],
        "copy_of": row.copy_of,
        "relation": row.relation,
        "changes": [tuple(c) for c in fidelity.get("changes", [])],
    }


def _quote_fields(row: Any) -> dict[str, Any]:
    fidelity = row.fidelity or {}
    first = fidelity.get("first_on_record")
    return {
        **_rendering_fields(row),
        "reference": fidelity.get("reference"),
        "reference_words": list(row.reference_words) if row.reference_words else None,
        "first_on_record": FirstOnRecord.model_validate(first) if first else None,
        "compared": fidelity.get("compared", 0),
    }


def quotes(
    queries: Queries,
    *,
    relations: Iterable[str] | None,
    since: date | None,
    until: date | None,
    outlet: str | None,
    speaker: str | None,
    limit: int,
    offset: int,
) -> QuotePage:
    """A page of quotations matching the filters, newest first, with the total."""
    limit = queries._page_size(limit)
    offset = max(0, offset)
    where = []
    if relations is not None:
        where.append(renderings.c.relation.in_(list(relations)))
    if since:
        where.append(renderings.c.published >= since)
    if until:
        where.append(renderings.c.published <= until)
    if outlet:
        where.append(or_(renderings.c.outlet == outlet, renderings.c.outlet.ilike(f"%{outlet}%")))
    if speaker:
        words = queries._query_words(speaker)
        where.append(
            and_(*(renderings.c.speaker.ilike(f"%{w}%", escape="\\") for w in map(_like, words)))
        )
    newest_first = (
        renderings.c.published.is_(None),
        renderings.c.published.desc(),
        renderings.c.attribution_key.desc(),
    )
    with queries.engine.connect() as connection:
        total = connection.execute(
            select(func.count()).select_from(renderings).where(*where)
        ).scalar()
        rows = connection.execute(
            _rows().where(*where).order_by(*newest_first).limit(limit).offset(offset)
        ).all()
    found = [Quote.model_validate(_quote_fields(row)) for row in rows]
    return QuotePage(total=total, limit=limit, offset=offset, quotes=found)


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def article_quotes(queries: Queries, article_id: str) -> ArticleQuotes | None:
    """The quotations of the latest version of an article, in text order, each with the
    other renderings of its passage, earliest first; None if it is not stored."""
    with queries.engine.connect() as connection:
        row = connection.execute(_latest(article_id)).first()
        if row is None:
            return None
        mine = connection.execute(
            _rows().where(renderings.c.article_key == row.key).order_by(attributions.c.ordinal)
        ).all()
        wanted = {key for found in mine for key in found.others[:MAX_RENDERINGS]}
        others = {}
        if wanted:
            others = {
                found.attribution_key: found
                for found in connection.execute(
                    _rows().where(renderings.c.attribution_key.in_(sorted(wanted)))
                )
            }
    listed = []
    for found in mine:
        group = sorted(
            (others[k] for k in found.others[:MAX_RENDERINGS] if k in others), key=_earliest
        )
        listed.append(
            QuoteWithRenderings(
                **_quote_fields(found),
                renderings=[QuoteRendering(**_rendering_fields(r)) for r in group],
            )
        )
    return ArticleQuotes(article=row.id, outlet=row.outlet, published=row.published, quotes=listed)


def _earliest(row: Any) -> tuple[bool, date, int]:
    return (row.published is None, row.published or date.min, row.attribution_key)
