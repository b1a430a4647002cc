"""Reading the record: search, a speaker's claims, a claim's statements, an article, the
copy an article is of. Every read is bounded (query length and page size, from the
settings; rows scanned) and returns the typed records of ``onrecord.schema``.

What the claim and copy tables mean was decided when they were written (``writes``); here
they are only read back and shaped for the CLI and the API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from onrecord import document
from onrecord.schema import (
    Alignment,
    Article,
    Claim,
    ClaimStatement,
    CopyRelation,
    Speaker,
    Statement,
)
from onrecord.settings import Settings
from onrecord.store.dialect import Dialect
from onrecord.store.errors import QueryError, StoreError, reason, safe
from onrecord.store.schema import (
    articles,
    attributions,
    claims,
    copies,
    fingerprints,
    renderings,
    speaker_variants,
    speakers,
)

MAX_SPEAKERS = 100
MAX_SCANNED = 10_000  # matching statements a search groups into claims, newest first
_WORD = re.compile(r"\w+", re.UNICODE)

origins = articles.alias("origins")
claim_counts = claims.alias("claim_counts")
Row = TypeVar("Row", bound=Statement)


class Queries:
    """The reads of one database; ``Store`` documents each."""

    def __init__(self, engine: Engine, dialect: Dialect, url: str, settings: Settings) -> None:
        self.engine = engine
        self.dialect = dialect
        self.url = url
        self.settings = settings

    def search(
        self,
        query: str,
        *,
        since: date | None,
        until: date | None,
        outlet: str | None,
        limit: int,
        offset: int,
    ) -> list[Statement]:
        words = self._query_words(query)
        limit = self._page_size(limit)
        matched = select(attributions.c.key, attributions.c.claim_key).where(
            *_filters(since, until, outlet)
        )
        if outlet:
            matched = matched.join(articles, attributions.c.article_key == articles.c.key)
        matched = matched.where(self.dialect.matching(self.engine, words))
        newest_first = (attributions.c.published.desc(), attributions.c.key.desc())
        keys = self._latest_per_claim(matched.order_by(*newest_first), offset + limit)
        statement = _rows().where(attributions.c.key.in_(keys[offset:]))
        return self._fetch(statement.order_by(*newest_first), Statement)

    def _latest_per_claim(self, matched, wanted: int) -> list[int]:
        """Walk the matching statements newest first, in growing pages, keeping the first
        (latest) statement of each claim, until ``wanted`` claims are found: a common word
        reads a few pages, not every match (at most MAX_SCANNED statements)."""
        latest: dict[int, int] = {}
        start, page = 0, max(100, 4 * wanted)
        try:
            with self.engine.connect() as connection:
                while len(latest) < wanted and start < MAX_SCANNED:
                    rows = connection.execute(matched.limit(page).offset(start)).all()
                    for row in rows:
                        latest.setdefault(row.claim_key, row.key)
                    if len(rows) < page:
                        break
                    start, page = start + page, page * 2
        except OperationalError as exc:
            raise StoreError(f"{safe(self.url)}: query failed ({reason(exc)})") from exc
        return list(latest.values())[:wanted]

    def speaker(
        self,
        name: str,
        *,
        since: date | None,
        until: date | None,
        outlet: str | None,
        limit: int,
        offset: int,
    ) -> list[Statement]:
        words = self._query_words(name)
        matching = _speakers_matching(words)
        statement = (
            _rows()
            .join(claims, claims.c.first_attribution_key == attributions.c.key)
            .where(claims.c.speaker_key.in_(matching), *_filters(since, until, outlet))
            .order_by(articles.c.published, articles.c.key, attributions.c.ordinal)
        )
        limited = statement.limit(self._page_size(limit)).offset(max(0, offset))
        return self._fetch(limited, Statement)

    def claim(self, claim_key: int) -> Claim:
        with self.engine.connect() as connection:
            row = connection.execute(select(claims).where(claims.c.key == claim_key)).first()
            if row is None:
                raise QueryError(f"no claim {claim_key}")
            statements = self._fetch(
                _rows()
                .add_columns(
                    attributions.c.independent_source,
                    copies.c.relation.label("copy_relation"),
                    origins.c.id.label("copy_of"),
                )
                .outerjoin(copies, copies.c.article_key == articles.c.key)
                .outerjoin(origins, origins.c.key == copies.c.origin_key)
                .where(attributions.c.claim_key == claim_key)
                .order_by(attributions.c.published, attributions.c.key)
                .limit(self.settings.max_page),
                ClaimStatement,
            )
        return Claim(
            claim=row.key,
            speaker=statements[0].speaker if statements else None,
            text=row.text,
            first_published=row.first_published,
            occurrences=row.occurrences,
            independent_sources=row.independent_sources,
            sources=_distinct_sources(s.independent_source for s in statements),
            statements=statements,
        )

    def speakers_named(self, name: str) -> list[Speaker]:
        words = self._query_words(name)
        with self.engine.connect() as connection:
            keys = connection.execute(_speakers_matching(words).limit(MAX_SPEAKERS)).scalars().all()
            found = []
            for key in keys:
                row = connection.execute(select(speakers).where(speakers.c.key == key)).one()
                variants = (
                    connection.execute(
                        select(speaker_variants.c.variant).where(
                            speaker_variants.c.speaker_key == key
                        )
                    )
                    .scalars()
                    .all()
                )
                count = connection.execute(
                    select(func.count()).where(attributions.c.speaker_key == key)
                ).scalar()
                found.append(
                    Speaker(
                        speaker=row.name,
                        speaker_type=row.type,
                        variants=sorted(variants),
                        count=count,
                    )
                )
        return sorted(found, key=lambda r: -r.count)

    def article(self, article_id: str) -> Article | None:
        with self.engine.connect() as connection:
            row = connection.execute(_latest(article_id)).first()
            if row is None:
                return None
            found = (
                connection.execute(
                    select(attributions)
                    .where(attributions.c.article_key == row.key)
                    .order_by(attributions.c.ordinal)
                )
                .mappings()
                .all()
            )
            fidelity = dict(
                connection.execute(
                    select(renderings.c.attribution_key, renderings.c.fidelity).where(
                        renderings.c.article_key == row.key
                    )
                ).all()
            )
        stored = document.Article(
            id=row.id,
            text=row.text,
            attributions=[
                document.Attribution.from_json({**a, "fidelity": fidelity.get(a["key"])})
                for a in found
            ],
            boilerplate=[tuple(f) for f in row.boilerplate],
            url=row.url,
            outlet=row.outlet,
            published=row.published.isoformat() if row.published else None,
        )
        return Article.from_document(stored)

    def copy_of(self, article_id: str) -> CopyRelation | None:
        with self.engine.connect() as connection:
            row = connection.execute(_latest(article_id)).first()
            if row is None:
                raise QueryError(f"no article {article_id!r}")
            link = connection.execute(select(copies).where(copies.c.article_key == row.key)).first()
            if link is None:
                return None
            origin = connection.execute(
                select(articles).where(articles.c.key == link.origin_key)
            ).one()
        return CopyRelation(
            article=article_id,
            copy_of=origin.id,
            origin_outlet=origin.outlet,
            origin_published=origin.published,
            relation=link.relation,
            similarity=link.similarity,
            spin_score=link.spin_score,
            alignment=Alignment.model_validate(link.alignment),
        )

    def count(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar()
                for table in (articles, attributions, speakers)
            }

    def fingerprints(self) -> list[tuple[int, bytes]]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(fingerprints)).all()
        return [(row.article_key, row.minhash) for row in rows]

    def _fetch(self, statement, row: type[Row]) -> list[Row]:
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(statement).mappings().all()
        except OperationalError as exc:
            raise StoreError(f"{safe(self.url)}: query failed ({reason(exc)})") from exc
        return [row.model_validate(dict(found)) for found in rows]

    def _query_words(self, query: str) -> list[str]:
        """The words of a user's query: quotes, operators and SQL have no meaning here."""
        longest = self.settings.max_query_chars
        if len(query) > longest:
            raise QueryError(f"query longer than {longest} characters")
        words = _WORD.findall(query)
        if not words:
            raise QueryError(f"no words to search for in {query[:60]!r}")
        return words[:32]

    def _page_size(self, limit: int) -> int:
        if not 1 <= limit <= self.settings.max_page:
            raise QueryError(f"page size must be between 1 and {self.settings.max_page}")
        return limit


def _rows():
    """A statement as the CLI and the API show it (``schema.Statement``), with its
    claim's counts."""
    return select(
        articles.c.id.label("article"),
        articles.c.version,
        articles.c.url,
        articles.c.outlet,
        articles.c.published,
        attributions.c.speaker,
        attributions.c.speaker_type,
        attributions.c.speaker_role,
        attributions.c.speaker_score,
        attributions.c.source_text.label("source"),
        attributions.c.cue_text.label("cue"),
        attributions.c.content_text.label("content"),
        attributions.c.content.label("content_spans"),
        attributions.c.via,
        attributions.c.kind,
        attributions.c.ordinal,
        attributions.c.claim_key.label("claim"),
        claim_counts.c.occurrences,
        claim_counts.c.independent_sources,
    ).select_from(
        attributions.join(articles, attributions.c.article_key == articles.c.key).join(
            claim_counts, claim_counts.c.key == attributions.c.claim_key
        )
    )


def _latest(article_id: str):
    """The latest version of an article."""
    return (
        select(articles)
        .where(articles.c.id == article_id)
        .order_by(articles.c.version.desc())
        .limit(1)
    )


def _distinct_sources(names: Iterable[str]) -> list[str]:
    """Source names, each once whatever its case, as first written, sorted."""
    return sorted({name.lower(): name for name in reversed(list(names))}.values(), key=str.lower)


def _speakers_matching(words: list[str]):
    """Keys of speakers with a name variant containing every word (case-insensitive)."""
    contains = (
        func.lower(speaker_variants.c.variant).contains(w.lower(), autoescape=True) for w in words
    )
    return select(speaker_variants.c.speaker_key).distinct().where(and_(*contains))


def _filters(since: date | None, until: date | None, outlet: str | None) -> list:
    filters = []
    if since:
        filters.append(attributions.c.published >= since)
    if until:
        filters.append(attributions.c.published <= until)
    if outlet:
        filters.append(or_(articles.c.outlet == outlet, articles.c.outlet.ilike(f"%{outlet}%")))
    return filters
