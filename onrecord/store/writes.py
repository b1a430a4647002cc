"""Writing the record: one transaction per batch, and the primitives it is written through.

``Store.writing()`` opens a ``Writer`` on one transaction, so a batch is written whole or
not at all. A ``Writer`` takes and returns plain data (keys, texts, numbers, JSON) and
runs the SQL; it decides nothing. What to write is decided above the store, by the ingest
(``onrecord.pipeline.ingest``): copies are found by ``onrecord.copies``, statements are
grouped into claims by ``onrecord.claims``, a speaker's name variants are judged by
``onrecord.speakers``. Those packages sit below the store and never import it: they read
what they need through look-ups they declare as protocols (``StoredArticles``,
``StoredClaims``), which a ``Writer`` provides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from onrecord.document import Article, Attribution, Fragment, fragment_text
from onrecord.store.dialect import Dialect
from onrecord.store.schema import (
    articles,
    attributions,
    claim_terms,
    claims,
    copies,
    fingerprints,
    paragraphs,
    speaker_variants,
    speakers,
)

# A stored claim's meaning as the claims package wrote it: key, terms, embedding, negated.
ClaimRow = tuple[int, dict[str, float], bytes, bool]


@dataclass
class IngestCounts:
    added: int = 0
    versions: int = 0  # added as a new version of a stored URL or id
    unchanged: int = 0
    attributions: int = 0


@dataclass(frozen=True)
class WrittenArticle:
    key: int
    version: int  # 1, or the next version of a stored URL or id
    published: date | None


def content_hash(text_: str) -> str:
    """Same text, same hash: whitespace runs are folded so re-scraped copies match."""
    return hashlib.sha256(" ".join(text_.split()).encode("utf-8")).hexdigest()


def is_stored(connection: Connection, article: Article) -> bool:
    """Whether this article (same URL, or id without one) is stored with this text."""
    digest = content_hash(article.text)
    return (
        connection.execute(
            select(articles.c.key).where(articles.c.content_hash == digest, _same(article))
        ).first()
        is not None
    )


class Writer:
    """The write primitives of one open transaction."""

    def __init__(self, connection: Connection, dialect: Dialect) -> None:
        self.connection = connection
        self.dialect = dialect

    # -- articles -------------------------------------------------------------------

    def stored(self, article: Article) -> bool:
        return is_stored(self.connection, article)

    def add_article(self, article: Article) -> WrittenArticle:
        """Write the article's text and metadata as the next version of its URL or id."""
        previous = self.connection.execute(
            select(func.max(articles.c.version)).where(_same(article))
        ).scalar()
        published = date.fromisoformat(article.published) if article.published else None
        version = (previous or 0) + 1
        key = self.connection.execute(
            articles.insert().values(
                id=article.id,
                url=article.url,
                outlet=article.outlet,
                published=published,
                version=version,
                content_hash=content_hash(article.text),
                text=article.text,
                boilerplate=[list(f) for f in article.boilerplate],
                ingested_at=datetime.now(UTC).replace(tzinfo=None),
            )
        ).inserted_primary_key[0]
        return WrittenArticle(key, version, published)

    def article_text(self, key: int) -> tuple[str, list[Fragment]]:
        """A stored article's text and boilerplate ranges."""
        row = self.connection.execute(
            select(articles.c.text, articles.c.boilerplate).where(articles.c.key == key)
        ).one()
        return row.text, [tuple(f) for f in row.boilerplate]

    def article_source(self, key: int) -> tuple[str, str | None, str | None]:
        """A stored article's id, URL and outlet."""
        row = self.connection.execute(
            select(articles.c.id, articles.c.url, articles.c.outlet).where(articles.c.key == key)
        ).one()
        return row.id, row.url, row.outlet

    def root_of(self, key: int) -> int | None:
        """The root recorded for an article (``set_root``)."""
        return self.connection.execute(
            select(articles.c.root_key).where(articles.c.key == key)
        ).scalar()

    def set_root(self, key: int, root_key: int) -> None:
        self.connection.execute(
            articles.update().where(articles.c.key == key).values(root_key=root_key)
        )

    # -- fingerprints and copies ------------------------------------------------------

    def articles_with_paragraph(self, digest: int, most: int) -> list[int]:
        """The first ``most`` stored articles with a paragraph of this digest."""
        return list(
            self.connection.execute(
                select(paragraphs.c.article_key)
                .where(paragraphs.c.digest == digest)
                .order_by(paragraphs.c.article_key)
                .limit(most)
            ).scalars()
        )

    def add_fingerprint(self, key: int, minhash: bytes, digests: list[int]) -> None:
        self.connection.execute(fingerprints.insert().values(article_key=key, minhash=minhash))
        if digests:
            self.connection.execute(
                paragraphs.insert(), [{"digest": d, "article_key": key} for d in digests]
            )

    def add_copy(
        self,
        key: int,
        origin_key: int,
        relation: str,
        similarity: float,
        spin_score: float,
        alignment: dict[str, Any],
    ) -> None:
        self.connection.execute(
            copies.insert().values(
                article_key=key,
                origin_key=origin_key,
                relation=relation,
                similarity=similarity,
                spin_score=spin_score,
                alignment=alignment,
            )
        )

    # -- speakers -----------------------------------------------------------------------

    def speaker_key(self, name: str, type_: str, variants: Iterable[str]) -> int:
        """The key of the speaker of this name and type (added if new), with ``variants``
        recorded as names it goes by."""
        where = and_(speakers.c.name == name, speakers.c.type == type_)
        key = self.connection.execute(select(speakers.c.key).where(where)).scalar()
        if key is None:
            key = self.connection.execute(
                speakers.insert().values(name=name, type=type_)
            ).inserted_primary_key[0]
        self.connection.execute(
            self.dialect.insert_new(speaker_variants),
            [{"speaker_key": key, "variant": variant} for variant in variants],
        )
        return key

    # -- claims -------------------------------------------------------------------------

    def claims_in_article(self, article_key: int, source_text: str) -> Iterator[ClaimRow]:
        """The claims of the statements an article credits to these source words."""
        same_source = (
            select(attributions.c.claim_key)
            .where(
                attributions.c.article_key == article_key,
                attributions.c.source_text == source_text,
            )
            .scalar_subquery()
        )
        yield from self._claims(claims.c.key.in_(same_source))

    def claims_of_speaker(
        self, speaker_key: int, terms: list[str], sharing: int, recent: int
    ) -> Iterator[ClaimRow]:
        """A speaker's latest ``sharing`` claims indexed by one of ``terms``, and latest
        ``recent`` claims whatever their terms."""
        with_terms = (
            select(claim_terms.c.claim_key)
            .where(claim_terms.c.speaker_key == speaker_key, claim_terms.c.term.in_(terms))
            .order_by(claim_terms.c.claim_key.desc())
            .limit(sharing)
        )
        latest = (
            select(claims.c.key)
            .where(claims.c.speaker_key == speaker_key)
            .order_by(claims.c.key.desc())
            .limit(recent)
        )
        yield from self._claims(
            or_(
                claims.c.key.in_(with_terms.scalar_subquery()),
                claims.c.key.in_(latest.scalar_subquery()),
            )
        )

    def add_claim(
        self,
        speaker_key: int | None,
        text_: str,
        *,
        terms: dict[str, float],
        embedding: bytes,
        negated: bool,
        first_published: date | None,
        index_terms: list[str],
    ) -> int:
        """Start a claim with the meaning of its first statement; ``claims_of_speaker``
        finds it again through ``index_terms``."""
        key = self.connection.execute(
            claims.insert().values(
                speaker_key=speaker_key,
                text=text_,
                terms=terms,
                embedding=embedding,
                negated=negated,
                first_published=first_published,
                occurrences=1,
                independent_sources=1,
            )
        ).inserted_primary_key[0]
        if index_terms:
            self.connection.execute(
                claim_terms.insert(),
                [{"speaker_key": speaker_key, "term": t, "claim_key": key} for t in index_terms],
            )
        return key

    def _claims(self, where) -> Iterator[ClaimRow]:
        rows = self.connection.execute(
            select(claims.c.key, claims.c.terms, claims.c.embedding, claims.c.negated).where(where)
        )
        yield from (tuple(row) for row in rows)

    def _count_claim(self, claim_key: int) -> None:
        occurrences = attributions.c.claim_key == claim_key
        self.connection.execute(
            claims.update()
            .where(claims.c.key == claim_key)
            .values(
                occurrences=select(func.count()).where(occurrences).scalar_subquery(),
                independent_sources=select(
                    func.count(func.lower(attributions.c.independent_source).distinct())
                )
                .where(occurrences)
                .scalar_subquery(),
            )
        )

    # -- attributions -------------------------------------------------------------------

    def add_attribution(
        self,
        article: WrittenArticle,
        ordinal: int,
        text_: str,
        a: Attribution,
        *,
        speaker_key: int | None,
        claim_key: int,
        starts_claim: bool,
        independent_source: str,
    ) -> int:
        """Write a statement of the article (``text_``) under its claim: the claim's
        first statement, or one more occurrence of it."""
        record = a.to_json()
        values = {
            **{k: record[k] for k in ("source", "cue", "content", "via", "confidence")},
            **{
                k: record[k]
                for k in (
                    "speaker",
                    "speaker_type",
                    "speaker_role",
                    "speaker_org",
                    "speaker_score",
                    "anonymous",
                    "anonymity",
                    "kind",
                    "score",
                )
            },
            "article_key": article.key,
            "ordinal": ordinal,
            "published": article.published,
            "speaker_key": speaker_key,
            "source_text": fragment_text(text_, a.source),
            "cue_text": fragment_text(text_, a.cue),
            "content_text": fragment_text(text_, a.content),
            "claim_key": claim_key,
            "independent_source": independent_source[:500],
        }
        written = self.connection.execute(attributions.insert().values(**values))
        key = written.inserted_primary_key[0]
        if starts_claim:
            self.connection.execute(
                claims.update().where(claims.c.key == claim_key).values(first_attribution_key=key)
            )
        else:
            self._count_claim(claim_key)
        self.dialect.index_statement(self.connection, key, values["content_text"], a.speaker or "")
        return key


def _same(article: Article):
    """The rows of the same article: same URL, or the same id when there is no URL."""
    return articles.c.url == article.url if article.url else articles.c.id == article.id
