"""A speaker's profile, an article's copy links in both directions and the claims of its
statements: the reads behind the web UI's speaker, article and copies views and
``onrecord copies``.

Read-only SQLAlchemy Core over the existing tables, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.engine import Connection

from onrecord.schema import Alignment, CopyRelation
from onrecord.store.dashboard import TOP, top_claims
from onrecord.store.errors import QueryError
from onrecord.store.queries import Queries, _latest, _speakers_matching
from onrecord.store.schema import articles, attributions, claims, copies, speakers
from onrecord.workbench import (
    ArticleClaims,
    CopyLinks,
    CoQuoted,
    NameCount,
    SpeakerProfile,
    StatementClaim,
    WeekCount,
)

MAX_COPIES = 200  # later copies listed per article


def speaker_profile(queries: Queries, name: str) -> SpeakerProfile:
    """The speakers called exactly ``name`` (else those whose name or a variant has its
    words): roles, organisations, statements per week and outlet, claims, co-quoted."""
    words = queries._query_words(name)
    with queries.engine.connect() as connection:
        keys = _speaker_keys(connection, name, words)
        weeks, undated = _weeks(connection, keys)
        profile = SpeakerProfile(
            name=name,
            speakers=queries.speakers_named(name) if keys else [],
            roles=_names(connection, attributions.c.speaker_role, keys),
            orgs=_names(connection, attributions.c.speaker_org, keys),
            weeks=weeks,
            undated=undated,
            top_claims=top_claims(connection, keys) if keys else [],
            co_quoted=_co_quoted(connection, keys),
        )
    if len(profile.speakers) > 1:  # the exact name's speakers only
        exact = [s for s in profile.speakers if s.speaker == name]
        profile = profile.model_copy(update={"speakers": exact or profile.speakers})
    return profile


def _speaker_keys(connection: Connection, name: str, words: list[str]) -> list[int]:
    exact = connection.execute(select(speakers.c.key).where(speakers.c.name == name)).scalars()
    keys = list(exact)
    if not keys:
        keys = list(connection.execute(_speakers_matching(words).limit(100)).scalars())
    return keys


def _names(connection: Connection, column, keys: list[int]) -> list[NameCount]:
    count = func.count(attributions.c.key).label("n")
    rows = connection.execute(
        select(column.label("name"), count)
        .where(attributions.c.speaker_key.in_(keys), column.is_not(None), column != "")
        .group_by(column)
        .order_by(count.desc(), column)
        .limit(TOP)
    ).all()
    return [NameCount(name=r.name, count=r.n) for r in rows]


def _weeks(connection: Connection, keys: list[int]) -> tuple[list[WeekCount], int]:
    """Statements per (Monday, outlet), oldest first, and the number without a date."""
    rows = connection.execute(
        select(attributions.c.published, articles.c.outlet, func.count(attributions.c.key))
        .select_from(attributions.join(articles, articles.c.key == attributions.c.article_key))
        .where(attributions.c.speaker_key.in_(keys))
        .group_by(attributions.c.published, articles.c.outlet)
    ).all()
    weeks: Counter[tuple[date, str]] = Counter()
    undated = 0
    for published, outlet, count in rows:
        if published is None:
            undated += count
        else:
            weeks[(published - timedelta(days=published.weekday()), outlet or "")] += count
    ordered = sorted(weeks.items())
    return [WeekCount(week=w, outlet=o, count=c) for (w, o), c in ordered], undated


def _co_quoted(connection: Connection, keys: list[int]) -> list[CoQuoted]:
    if not keys:
        return []
    theirs = (
        select(attributions.c.article_key)
        .distinct()
        .where(attributions.c.speaker_key.in_(keys))
        .scalar_subquery()
    )
    shared = func.count(distinct(attributions.c.article_key)).label("shared")
    rows = connection.execute(
        select(speakers.c.name, speakers.c.type, shared)
        .select_from(attributions.join(speakers, speakers.c.key == attributions.c.speaker_key))
        .where(attributions.c.article_key.in_(theirs), attributions.c.speaker_key.not_in(keys))
        .group_by(speakers.c.key, speakers.c.name, speakers.c.type)
        .order_by(shared.desc(), speakers.c.name)
        .limit(TOP)
    ).all()
    return [CoQuoted(speaker=r.name, speaker_type=r.type, articles=r.shared) for r in rows]


# -- an article ------------------------------------------------------------------------


def copy_links(queries: Queries, article_id: str) -> CopyLinks:
    """What the latest version of ``article_id`` copies, and the later articles that copy
    it (oldest first); ``QueryError`` if there is no such article."""
    with queries.engine.connect() as connection:
        row = connection.execute(_latest(article_id)).first()
        if row is None:
            raise QueryError(f"no article {article_id!r}")
        later = articles.alias("later")
        found = connection.execute(
            select(copies, later.c.id.label("copy_id"))
            .join(later, later.c.key == copies.c.article_key)
            .where(copies.c.origin_key == row.key)
            .order_by(later.c.published.asc().nulls_last(), later.c.key)
            .limit(MAX_COPIES)
        ).all()
    copied_by = [_relation(link, link.copy_id, article_id, row) for link in found]
    return CopyLinks(article=article_id, copy_of=queries.copy_of(article_id), copied_by=copied_by)


def _relation(link, copy_id: str, origin_id: str, origin) -> CopyRelation:
    return CopyRelation(
        article=copy_id,
        copy_of=origin_id,
        origin_outlet=origin.outlet,
        origin_published=origin.published,
        relation=link.relation,
        similarity=link.similarity,
        spin_score=link.spin_score,
        alignment=Alignment.model_validate(link.alignment),
    )


def article_claims(queries: Queries, article_id: str) -> ArticleClaims | None:
    """The claim of each statement of the latest version of ``article_id``, by ordinal."""
    with queries.engine.connect() as connection:
        row = connection.execute(_latest(article_id)).first()
        if row is None:
            return None
        found = connection.execute(
            select(
                attributions.c.ordinal,
                attributions.c.claim_key,
                claims.c.occurrences,
                claims.c.independent_sources,
            )
            .outerjoin(claims, claims.c.key == attributions.c.claim_key)
            .where(attributions.c.article_key == row.key)
            .order_by(attributions.c.ordinal)
        ).all()
    return ArticleClaims(
        article=article_id,
        statements=[
            StatementClaim(
                ordinal=r.ordinal,
                claim=r.claim_key,
                occurrences=r.occurrences,
                independent_sources=r.independent_sources,
            )
            for r in found
        ],
    )
