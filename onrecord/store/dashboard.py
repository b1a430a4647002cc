"""The store at a glance (the web UI's home page, ``GET /api/dashboard``): counts, the
most quoted speakers of the last week and month, the claims with the most independent
sources, articles per day, and the newest altered quotations (``Store.dashboard`` adds
them from ``quotes``). Periods end at the newest publication date stored.

Read-only SQLAlchemy Core over the existing tables, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.engine import Connection

from onrecord.store.schema import articles, attributions, claims, copies, speakers
from onrecord.workbench import Dashboard, DayCount, SpeakerCount, StoreCounts, TopClaim

TOP = 10
DAYS = 60
ALTERED = ("altered", "spliced")  # the quotations whose words differ from another rendering


def dashboard(connection: Connection) -> Dashboard:
    latest = connection.execute(select(func.max(articles.c.published))).scalar()
    return Dashboard(
        counts=store_counts(connection),
        latest=latest,
        speakers_week=most_quoted(connection, latest, 7),
        speakers_month=most_quoted(connection, latest, 30),
        top_claims=top_claims(connection, None),
        articles_per_day=articles_per_day(connection, latest),
    )


def store_counts(connection: Connection) -> StoreCounts:
    def count(what) -> int:
        return connection.execute(select(what)).scalar() or 0

    return StoreCounts(
        articles=count(func.count(articles.c.key)),
        statements=count(func.count(attributions.c.key)),
        claims=count(func.count(claims.c.key)),
        speakers=count(func.count(speakers.c.key)),
        outlets=count(func.count(distinct(func.lower(articles.c.outlet)))),
        copies=count(func.count(copies.c.article_key)),
    )


def most_quoted(connection: Connection, latest: date | None, days: int) -> list[SpeakerCount]:
    """Speakers with the most statements in the ``days`` days ending at ``latest``."""
    if latest is None:
        return []
    count = func.count(attributions.c.key).label("statements")
    rows = connection.execute(
        select(speakers.c.name, speakers.c.type, count)
        .select_from(attributions.join(speakers, speakers.c.key == attributions.c.speaker_key))
        .where(attributions.c.published > latest - timedelta(days=days))
        .group_by(speakers.c.key, speakers.c.name, speakers.c.type)
        .order_by(count.desc(), speakers.c.name)
        .limit(TOP)
    ).all()
    return [SpeakerCount(speaker=r.name, speaker_type=r.type, count=r.statements) for r in rows]


def top_claims(connection: Connection, speaker_keys: list[int] | None) -> list[TopClaim]:
    """Claims with the most independent sources (then statements), of these speakers or
    of all."""
    query = (
        select(claims, speakers.c.name.label("speaker"))
        .outerjoin(speakers, speakers.c.key == claims.c.speaker_key)
        .order_by(
            claims.c.independent_sources.desc(), claims.c.occurrences.desc(), claims.c.key.desc()
        )
        .limit(TOP)
    )
    if speaker_keys is not None:
        query = query.where(claims.c.speaker_key.in_(speaker_keys))
    return [
        TopClaim(
            claim=r.key,
            speaker=r.speaker,
            text=r.text,
            first_published=r.first_published,
            occurrences=r.occurrences,
            independent_sources=r.independent_sources,
        )
        for r in connection.execute(query).all()
    ]


def articles_per_day(connection: Connection, latest: date | None) -> list[DayCount]:
    """Articles per day for the ``DAYS`` days ending at ``latest``, days without any too."""
    if latest is None:
        return []
    start = latest - timedelta(days=DAYS - 1)
    rows = connection.execute(
        select(articles.c.published, func.count(articles.c.key))
        .where(articles.c.published >= start)
        .group_by(articles.c.published)
    ).all()
    found = {published: count for published, count in rows}
    days = (start + timedelta(days=i) for i in range(DAYS))
    return [DayCount(day=day, count=found.get(day, 0)) for day in days]
