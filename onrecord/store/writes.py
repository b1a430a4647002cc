"""Writing the record: one transaction per batch, and the primitives it is written through.

``Store.writing()`` opens a ``Writer`` on one transaction, so a batch is written whole or
not at all. An article is inserted unless its address already holds its text (``INSERT …
ON CONFLICT DO NOTHING`` on the unique keys of ``schema.articles``), and the ingest
writes its statements, copy and fingerprint only when this writer inserted it: a writer
that lost the race to another process writes nothing for that article.

A ``Writer`` takes and returns plain data (keys, texts, numbers, JSON) and runs the SQL;
it decides nothing. What to write is decided above the store, by the ingest
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
from onrecord.store.errors import StoreError
from onrecord.store.rendering_writes import RenderingWrites
from onrecord.store.schema import (
    address_hash,
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
    return _stored_key(connection, _address(article), content_hash(article.text)) is not None


def _stored_key(connection: Connection, address: str, digest: str) -> int | None:
    return connection.execute(
        select(articles.c.key).where(
            articles.c.address_hash == address, articles.c.content_hash == digest
        )
    ).scalar()


class Writer(RenderingWrites):
    """The write primitives of one open transaction."""

    def __init__(self, connection: Connection, dialect: Dialect) -> None:
        self.connection = connection
        self.dialect = dialect

    # -- articles -------------------------------------------------------------------

    def add_article(self, article: Article) -> WrittenArticle | None:
        """Write the article's text and metadata as the next version of its URL or id;
        None, and nothing written, when that address holds this text already (stored
        before, or just now by a concurrent writer: the database's unique keys decide)."""
        address, digest = _address(article), content_hash(article.text)
        published = date.fromisoformat(article.published) if article.published else None
        # Under the write lock the first try settles it; without it (another program
        # writing), a version taken meanwhile by another text is retried as the next one.
        for _ in range(3):
            previous = self.connection.execute(
                select(func.max(articles.c.version)).where(articles.c.address_hash == address)
            ).scalar()
            version = (previous or 0) + 1
            key = self.connection.execute(
                self.dialect.insert_new(articles)
                .values(
                    id=article.id,
                    url=article.url,
                    outlet=article.outlet,
                    published=published,
                    version=version,
                    content_hash=digest,
                    address_hash=address,
                    text=article.text,
                    boilerplate=[list(f) for f in article.boilerplate],
                    ingested_at=datetime.now(UTC).replace(tzinfo=None),
                )
                .returning(articles.c.key)
            ).scalar()
            if key is not None:
                return WrittenArticle(key, version, published)
            if _stored_key(self.connection, address, digest) is not None:
                return None  # the row that won holds this text
        raise StoreError(f"article {article.id!r}: no free version after 3 tries")

    def key_of(self, article_id: str, url: str | None, digest: str) -> int | None:
        """The key of the stored article at this address (URL, or id without one) with
        this content hash (``content_hash``), if there is one."""
        return _stored_key(self.connection, address_hash(url, article_id), digest)

    def fingerprints_after(self, key: int) -> list[tuple[int, bytes]]:
        """The fingerprints of articles with a key above ``key``, in key order: those
        written by other processes since an index last saw the store."""
        return [
            (row.article_key, row.minhash)
            for row in self.connection.execute(
                select(fingerprints)
                .where(fingerprints.c.article_key > key)
                .order_by(fingerprints.c.article_key)
            )
        ]

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
            self.connection.execute(self.dialect.insert_new(speakers).values(name=name, type=type_))
            key = self.connection.execute(select(speakers.c.key).where(where)).scalar_one()
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
                    "parent",
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


def _address(article: Article) -> str:
    """The key of the article's address: its URL, or its id when it has none."""
    return address_hash(article.url, article.id)
