"""The record on disk: one storage layer over SQLite (default) and PostgreSQL.

``Store("onrecord.sqlite")`` or ``Store("postgresql://user@host/db")``. Articles are
written with their attributions in one transaction per batch, so a crash leaves whole
articles or none; an article whose normalised text is already stored is skipped, so
re-running an ingest changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, create_engine, event, func, literal_column, or_, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from onrecord.claims.cluster import (
    MAX_SPEAKER_CLAIMS,
    RECENT_SPEAKER_CLAIMS,
    best_claim,
    key_terms,
    says_enough,
)
from onrecord.claims.similarity import Meaning, meanings
from onrecord.copies.compare import (
    Word,
    align,
    article_words,
    fingerprint,
    from_bytes,
    paragraph_digests,
    to_bytes,
)
from onrecord.copies.index import CopyIndex, Found
from onrecord.document import Article, Attribution, fragment_text
from onrecord.speakers.names import names_the_speaker
from onrecord.store.schema import (
    SCHEMA_VERSION,
    articles,
    attributions,
    claim_terms,
    claims,
    copies,
    create_search_index,
    fingerprints,
    metadata,
    paragraphs,
    settings,
    speaker_variants,
    speakers,
)

MAX_QUERY_CHARS = 500
MAX_PAGE_SIZE = 500
COMMON_MATCHES = 2_000
MAX_SPEAKERS = 100
MAX_SCANNED = 10_000  # matching statements a search groups into claims, newest first
PARAGRAPH_SHARERS = 50
MAX_PARAGRAPH_CANDIDATES = 5
_WORD = re.compile(r"\w+", re.UNICODE)


origins = articles.alias("origins")
claim_counts = claims.alias("claim_counts")


class StoreError(Exception):
    """The database cannot be opened or used; the message names it."""


class QueryError(ValueError):
    """A search or filter the store refuses; the message says why."""


@dataclass
class IngestCounts:
    added: int = 0
    versions: int = 0  # added as a new version of a stored URL or id
    unchanged: int = 0
    attributions: int = 0


def content_hash(text_: str) -> str:
    """Same text, same hash: whitespace runs are folded so re-scraped copies match."""
    return hashlib.sha256(" ".join(text_.split()).encode("utf-8")).hexdigest()


class Store:
    def __init__(self, url: str = "onrecord.sqlite") -> None:
        self._copy_index: CopyIndex | None = None
        self.url = url if "://" in url else f"sqlite:///{url}"
        # psycopg 3 is the PostgreSQL driver onrecord installs.
        self.url = re.sub(r"^postgres(?:ql)?://", "postgresql+psycopg://", self.url)
        try:
            self.engine: Engine = create_engine(self.url)
        except (ArgumentError, ImportError, ValueError) as exc:
            raise StoreError(f"{url}: not a database address ({exc})") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        elif self.engine.dialect.name != "postgresql":
            raise StoreError(f"{url}: only SQLite and PostgreSQL are supported")
        try:
            with self.engine.begin() as connection:
                metadata.create_all(connection)
                create_search_index(connection)
                found = _schema_version(connection)
        except SQLAlchemyError as exc:
            raise StoreError(f"{_safe(url)}: cannot open the database ({_reason(exc)})") from exc
        if found != SCHEMA_VERSION:
            raise StoreError(
                f"{_safe(url)}: made by another version of onrecord (schema {found or 'unknown'}"
                f", this one reads {SCHEMA_VERSION}); ingest into a new database"
            )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- writing ------------------------------------------------------------------

    def has(self, article: Article) -> bool:
        """Whether this article (same URL, or id without one) is stored with this text."""
        with self.engine.connect() as connection:
            return self._stored(connection, article)

    def add(self, batch: Iterable[Article]) -> IngestCounts:
        """Write a batch of extracted articles in one transaction."""
        counts = IngestCounts()
        index = self.copy_index()
        try:
            with self.engine.begin() as connection:
                for article in batch:
                    self._add_article(connection, article, counts, index)
        except BaseException:
            index.rollback()
            raise
        index.commit()
        return counts

    def copy_index(self) -> CopyIndex:
        """The LSH index of stored fingerprints, built on first use."""
        if self._copy_index is None:
            with self.engine.connect() as connection:
                rows = connection.execute(select(fingerprints)).all()
            self._copy_index = CopyIndex(
                (row.article_key, from_bytes(row.minhash)[0]) for row in rows
            )
        return self._copy_index

    def _stored(self, connection: Connection, article: Article) -> bool:
        digest = content_hash(article.text)
        return (
            connection.execute(
                select(articles.c.key).where(articles.c.content_hash == digest, _same(article))
            ).first()
            is not None
        )

    def _add_article(
        self, connection: Connection, article: Article, counts: IngestCounts, index: CopyIndex
    ) -> None:
        if self._stored(connection, article):
            counts.unchanged += 1
            return
        digest = content_hash(article.text)
        previous = connection.execute(
            select(func.max(articles.c.version)).where(_same(article))
        ).scalar()
        published = date.fromisoformat(article.published) if article.published else None
        key = connection.execute(
            articles.insert().values(
                id=article.id,
                url=article.url,
                outlet=article.outlet,
                published=published,
                version=(previous or 0) + 1,
                content_hash=digest,
                text=article.text,
                boilerplate=[list(f) for f in article.boilerplate],
                ingested_at=datetime.now(UTC).replace(tzinfo=None),
            )
        ).inserted_primary_key[0]
        origin = self._fingerprint(connection, key, article, index)
        contents = [fragment_text(article.text, a.content) for a in article.attributions]
        cues = [fragment_text(article.text, a.cue) for a in article.attributions]
        for ordinal, (attribution, meaning) in enumerate(
            zip(article.attributions, meanings(contents, cues), strict=True)
        ):
            source = self._independent_source(connection, key, origin, article.text, attribution)
            self._add_attribution(
                connection, origin, ordinal, published, article.text, attribution, source, meaning
            )
        counts.added += 1
        counts.versions += previous is not None
        counts.attributions += len(article.attributions)

    def _fingerprint(
        self, connection: Connection, key: int, article: Article, index: CopyIndex
    ) -> Origin:
        """Record the article's fingerprint and the earlier article it copies, if any, and
        return where its words come from."""
        words = article_words(article.text, article.boilerplate)
        minhash, digests = fingerprint(words), paragraph_digests(words)

        def words_of(other: int) -> list[Word]:
            row = connection.execute(
                select(articles.c.text, articles.c.boilerplate).where(articles.c.key == other)
            ).one()
            return article_words(row.text, [tuple(f) for f in row.boilerplate])

        found = index.find(minhash, words, words_of, _sharing(connection, digests))
        origin = Origin(key, None, key)
        if found is not None:
            root = connection.execute(
                select(articles.c.root_key).where(articles.c.key == found.origin_key)
            ).scalar()
            origin = Origin(key, found, root or found.origin_key)
            connection.execute(
                copies.insert().values(
                    article_key=key,
                    origin_key=found.origin_key,
                    relation=found.relation.relation,
                    similarity=found.relation.similarity,
                    spin_score=found.relation.spin_score,
                )
            )
        connection.execute(fingerprints.insert().values(article_key=key, minhash=to_bytes(minhash)))
        if digests:
            connection.execute(
                paragraphs.insert(), [{"digest": d, "article_key": key} for d in digests]
            )
        connection.execute(
            articles.update().where(articles.c.key == key).values(root_key=origin.root_key)
        )
        index.stage(key, minhash)
        return origin

    def _independent_source(
        self, connection: Connection, key: int, origin: Origin, text_: str, a: Attribution
    ) -> str:
        """The outlet a statement comes from: that of the first article in the chain of
        copies. A partial copy took one block, so only statements found in its origin's
        text are credited to the origin."""
        root = origin.root_key
        if origin.found is not None and origin.found.relation.relation == "partial":
            origin_text = connection.execute(
                select(articles.c.text).where(articles.c.key == origin.found.origin_key)
            ).scalar()
            if _folded(fragment_text(text_, a.content)) not in _folded(origin_text):
                root = key
        row = connection.execute(
            select(articles.c.id, articles.c.url, articles.c.outlet).where(articles.c.key == root)
        ).one()
        return source_name(row.outlet, row.url, row.id)

    def copy_of(self, article_id: str) -> dict[str, Any] | None:
        """The earlier article that the latest version of ``article_id`` copies, with the
        relation, similarity, spin score and the word alignment; None if it copies none."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(articles.c.key, articles.c.text, articles.c.boilerplate)
                .where(articles.c.id == article_id)
                .order_by(articles.c.version.desc())
                .limit(1)
            ).first()
            if row is None:
                raise QueryError(f"no article {article_id!r}")
            link = connection.execute(select(copies).where(copies.c.article_key == row.key)).first()
            if link is None:
                return None
            origin = connection.execute(
                select(articles).where(articles.c.key == link.origin_key)
            ).one()
        new = article_words(row.text, [tuple(f) for f in row.boilerplate])
        old = article_words(origin.text, [tuple(f) for f in origin.boilerplate])
        return {
            "article": article_id,
            "copy_of": origin.id,
            "origin_outlet": origin.outlet,
            "origin_published": origin.published.isoformat() if origin.published else None,
            "relation": link.relation,
            "similarity": link.similarity,
            "spin_score": link.spin_score,
            "alignment": align(old, new).to_json(),
        }

    def _add_attribution(
        self,
        connection: Connection,
        origin: Origin,
        ordinal: int,
        published: date | None,
        text_: str,
        a: Attribution,
        independent_source: str,
        meaning: Meaning,
    ) -> None:
        source_text = fragment_text(text_, a.source)
        speaker_key = self._speaker_key(connection, a, source_text)
        content_text = fragment_text(text_, a.content)
        claim_key, new_claim = self._claim_key(
            connection, speaker_key, source_text, content_text, meaning, origin, published
        )
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
                    "anonymous",
                    "anonymity",
                    "kind",
                    "score",
                )
            },
            "article_key": origin.key,
            "ordinal": ordinal,
            "published": published,
            "speaker_key": speaker_key,
            "source_text": source_text,
            "cue_text": fragment_text(text_, a.cue),
            "content_text": content_text,
            "claim_key": claim_key,
            "independent_source": independent_source[:500],
        }
        key = connection.execute(attributions.insert().values(**values)).inserted_primary_key[0]
        if new_claim:
            connection.execute(
                claims.update().where(claims.c.key == claim_key).values(first_attribution_key=key)
            )
        else:
            self._count_claim(connection, claim_key)
        if self.dialect == "sqlite":
            connection.execute(
                text(
                    "INSERT INTO attribution_search (rowid, content_text, speaker) "
                    "VALUES (:key, :content, :speaker)"
                ),
                {"key": key, "content": values["content_text"], "speaker": a.speaker or ""},
            )

    def _claim_key(
        self,
        connection: Connection,
        speaker_key: int | None,
        source_text: str,
        content_text: str,
        meaning: Meaning,
        origin: Origin,
        published: date | None,
    ) -> tuple[int, bool]:
        """The claim a statement belongs to, and whether it is new: the most similar
        candidate claim, or a new one. Candidates: the speaker's claims that share a key
        word with the statement, the speaker's most recent claims, and the claims made
        with the same source words in the article this one copies (a reprint is the same
        statement even where its speaker was resolved differently, and "officials said"
        in it are the same officials)."""
        candidates = list(self._copied_claims(connection, source_text, origin))
        if speaker_key is not None and says_enough(meaning):
            candidates += [
                (key, claim)
                for key, claim in self._speaker_claims(connection, speaker_key, meaning)
                if says_enough(claim)
            ]
        found = best_claim(meaning, dict(candidates).items())
        if found is not None:
            return found, False
        claim_key = connection.execute(
            claims.insert().values(
                speaker_key=speaker_key,
                text=content_text,
                terms=meaning.terms,
                embedding=meaning.embedding_bytes(),
                negated=meaning.negated,
                first_published=published,
                occurrences=1,
                independent_sources=1,
            )
        ).inserted_primary_key[0]
        if speaker_key is not None and says_enough(meaning):
            terms = key_terms(meaning.terms)
            if terms:
                connection.execute(
                    claim_terms.insert(),
                    [
                        {"speaker_key": speaker_key, "term": t, "claim_key": claim_key}
                        for t in terms
                    ],
                )
        return claim_key, True

    def _speaker_claims(
        self, connection: Connection, speaker_key: int, meaning: Meaning
    ) -> Iterator[tuple[int, Meaning]]:
        sharing = (
            select(claim_terms.c.claim_key)
            .where(
                claim_terms.c.speaker_key == speaker_key,
                claim_terms.c.term.in_(key_terms(meaning.terms)),
            )
            .order_by(claim_terms.c.claim_key.desc())
            .limit(MAX_SPEAKER_CLAIMS)
        )
        recent = (
            select(claims.c.key)
            .where(claims.c.speaker_key == speaker_key)
            .order_by(claims.c.key.desc())
            .limit(RECENT_SPEAKER_CLAIMS)
        )
        yield from self._meanings(
            connection,
            or_(
                claims.c.key.in_(sharing.scalar_subquery()),
                claims.c.key.in_(recent.scalar_subquery()),
            ),
        )

    def _copied_claims(
        self, connection: Connection, source_text: str, origin: Origin
    ) -> Iterator[tuple[int, Meaning]]:
        if origin.found is None:
            return
        same_source = (
            select(attributions.c.claim_key)
            .where(
                attributions.c.article_key == origin.root_key,
                attributions.c.source_text == source_text,
            )
            .scalar_subquery()
        )
        yield from self._meanings(connection, claims.c.key.in_(same_source))

    def _meanings(self, connection: Connection, where) -> Iterator[tuple[int, Meaning]]:
        rows = connection.execute(
            select(claims.c.key, claims.c.terms, claims.c.embedding, claims.c.negated).where(where)
        )
        for key, terms, embedding, negated in rows:
            yield key, Meaning.stored(terms, embedding, negated)

    def _count_claim(self, connection: Connection, claim_key: int) -> None:
        occurrences = attributions.c.claim_key == claim_key
        connection.execute(
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

    def _speaker_key(self, connection: Connection, a: Attribution, source_text: str) -> int | None:
        if not a.speaker:
            return None
        where = and_(speakers.c.name == a.speaker, speakers.c.type == a.speaker_type)
        key = connection.execute(select(speakers.c.key).where(where)).scalar()
        if key is None:
            key = connection.execute(
                speakers.insert().values(name=a.speaker, type=a.speaker_type)
            ).inserted_primary_key[0]
        variants = {a.speaker}
        if source_text and names_the_speaker(source_text, a.speaker):
            variants.add(" ".join(source_text.split())[:500])
        for variant in variants:
            exists = connection.execute(
                select(speaker_variants.c.variant).where(
                    speaker_variants.c.speaker_key == key, speaker_variants.c.variant == variant
                )
            ).first()
            if not exists:
                connection.execute(
                    speaker_variants.insert().values(speaker_key=key, variant=variant)
                )
        return key

    # -- reading ------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Claims with a statement whose words (content or speaker) contain every word of
        ``query``, latest first: each shown by its latest matching statement, with its
        number of occurrences and of independent sources."""
        words = _query_words(query)
        limit = _page_size(limit)
        matched = select(attributions.c.key, attributions.c.claim_key).where(
            *_filters(since, until, outlet)
        )
        if outlet:
            matched = matched.join(articles, attributions.c.article_key == articles.c.key)
        if self.dialect == "sqlite":
            fts = " ".join(f'"{w}"' for w in words)
            # Many matches: walk the date index newest first and stop at MAX_SCANNED,
            # rather than read every match to sort them (see BENCHMARKS.md). "key + 0"
            # keeps SQLite from driving the query by the match list instead.
            key = attributions.c.key + 0 if self._common(fts) else attributions.c.key
            matched = matched.where(key.in_(_fts_rowids(fts)))
        else:
            tsquery = func.plainto_tsquery("english", " ".join(words))
            matched = matched.where(literal_column("attributions.search").op("@@")(tsquery))
        newest_first = (attributions.c.published.desc(), attributions.c.key.desc())
        keys = self._latest_per_claim(matched.order_by(*newest_first), offset + limit)
        statement = self._rows().where(attributions.c.key.in_(keys[offset:]))
        return self._fetch(statement.order_by(*newest_first))

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
            raise StoreError(f"{_safe(self.url)}: query failed ({_reason(exc)})") from exc
        return list(latest.values())[:wanted]

    def _common(self, fts: str) -> bool:
        """Whether a search matches at least COMMON_MATCHES attributions (counted only
        that far, so the check itself costs little)."""
        probe = select(func.count()).select_from(_fts_rowids(fts).limit(COMMON_MATCHES).subquery())
        with self.engine.connect() as connection:
            return connection.execute(probe).scalar() >= COMMON_MATCHES

    def speaker(
        self,
        name: str,
        *,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """The claims of every speaker whose name or a variant contains ``name``, in the
        order they were first made, each shown by its first statement."""
        words = _query_words(name)
        matching = _speakers_matching(words)
        statement = (
            self._rows()
            .join(claims, claims.c.first_attribution_key == attributions.c.key)
            .where(claims.c.speaker_key.in_(matching), *_filters(since, until, outlet))
            .order_by(articles.c.published, articles.c.key, attributions.c.ordinal)
        )
        return self._fetch(statement.limit(_page_size(limit)).offset(max(0, offset)))

    def claim(self, claim_key: int) -> dict[str, Any]:
        """A claim with all its statements, oldest first: where each appeared, the outlet
        it is credited to once copies are followed back, and the copy relation if any."""
        with self.engine.connect() as connection:
            row = connection.execute(select(claims).where(claims.c.key == claim_key)).first()
            if row is None:
                raise QueryError(f"no claim {claim_key}")
            statements = self._fetch(
                self._rows()
                .add_columns(
                    attributions.c.independent_source,
                    copies.c.relation.label("copy_relation"),
                    origins.c.id.label("copy_of"),
                )
                .outerjoin(copies, copies.c.article_key == articles.c.key)
                .outerjoin(origins, origins.c.key == copies.c.origin_key)
                .where(attributions.c.claim_key == claim_key)
                .order_by(attributions.c.published, attributions.c.key)
                .limit(MAX_PAGE_SIZE)
            )
        speaker = statements[0]["speaker"] if statements else None
        return {
            "claim": row.key,
            "speaker": speaker,
            "text": row.text,
            "first_published": row.first_published.isoformat() if row.first_published else None,
            "occurrences": row.occurrences,
            "independent_sources": row.independent_sources,
            "sources": _distinct_sources(s["independent_source"] for s in statements),
            "statements": statements,
        }

    def speakers_named(self, name: str) -> list[dict[str, Any]]:
        """Speaker records (name, type, variants, count) matching ``name``."""
        words = _query_words(name)
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
                    {
                        "speaker": row.name,
                        "speaker_type": row.type,
                        "variants": sorted(variants),
                        "count": count,
                    }
                )
        return sorted(found, key=lambda r: -r["count"])

    def article(self, article_id: str) -> Article | None:
        """The latest version of an article, with its attributions."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(articles)
                .where(articles.c.id == article_id)
                .order_by(articles.c.version.desc())
                .limit(1)
            ).first()
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
        return Article(
            id=row.id,
            text=row.text,
            attributions=[Attribution.from_json(dict(a)) for a in found],
            boilerplate=[tuple(f) for f in row.boilerplate],
            url=row.url,
            outlet=row.outlet,
            published=row.published.isoformat() if row.published else None,
        )

    def count(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar()
                for table in (articles, attributions, speakers)
            }

    def _rows(self):
        return select(
            articles.c.id.label("article"),
            articles.c.version,
            articles.c.url,
            articles.c.outlet,
            articles.c.published,
            attributions.c.speaker,
            attributions.c.speaker_type,
            attributions.c.speaker_role,
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

    def _fetch(self, statement) -> list[dict[str, Any]]:
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(statement).mappings().all()
        except OperationalError as exc:
            raise StoreError(f"{_safe(self.url)}: query failed ({_reason(exc)})") from exc
        return [
            {**row, "published": row["published"].isoformat() if row["published"] else None}
            for row in rows
        ]


def _sharing(connection: Connection, digests: list[int]) -> list[int]:
    """Stored articles sharing the most paragraphs with these digests (earliest first on a
    tie). A paragraph printed everywhere (a standard disclaimer) counts only its first
    PARAGRAPH_SHARERS articles, so the look-up stays bounded."""
    hits: Counter = Counter()
    for digest in digests:
        hits.update(
            connection.execute(
                select(paragraphs.c.article_key)
                .where(paragraphs.c.digest == digest)
                .order_by(paragraphs.c.article_key)
                .limit(PARAGRAPH_SHARERS)
            ).scalars()
        )
    ranked = sorted(hits, key=lambda k: (-hits[k], k))
    return ranked[:MAX_PARAGRAPH_CANDIDATES]


@dataclass
class Origin:
    """Where an article's words come from: itself, or the article it copies (``found``)
    and the first article of that chain of copies (``root_key``)."""

    key: int
    found: Found | None
    root_key: int


def source_name(outlet: str | None, url: str | None, article_id: str) -> str:
    """An outlet's name for counting independent sources: its own name, else the web site
    of its URL, else the article itself (an unknown outlet counts once per article)."""
    if outlet and outlet.strip():
        return " ".join(outlet.split())  # counted case-insensitively
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return f"article:{article_id}"


def _distinct_sources(names: Iterable[str]) -> list[str]:
    """Source names, each once whatever its case, as first written, sorted."""
    return sorted({name.lower(): name for name in reversed(list(names))}.values(), key=str.lower)


def _folded(text_: str) -> str:
    return " ".join(_WORD.findall(text_.lower()))


def _same(article: Article):
    """The rows of the same article: same URL, or the same id when there is no URL."""
    return articles.c.url == article.url if article.url else articles.c.id == article.id


def _speakers_matching(words: list[str]):
    """Keys of speakers with a name variant containing every word (case-insensitive)."""
    contains = (
        func.lower(speaker_variants.c.variant).contains(w.lower(), autoescape=True) for w in words
    )
    return select(speaker_variants.c.speaker_key).distinct().where(and_(*contains))


def _schema_version(connection: Connection) -> str | None:
    """The schema the database was made with; a new, empty database takes this one."""
    found = connection.execute(select(settings.c.value).where(settings.c.name == "schema")).scalar()
    if found is None and not connection.execute(select(articles.c.key).limit(1)).first():
        connection.execute(settings.insert().values(name="schema", value=SCHEMA_VERSION))
        return SCHEMA_VERSION
    return found


def _fts_rowids(fts: str):
    return (
        select(literal_column("rowid"))
        .select_from(text("attribution_search"))
        .where(text("attribution_search MATCH :q").bindparams(q=fts))
    )


def _filters(since: date | None, until: date | None, outlet: str | None) -> list:
    filters = []
    if since:
        filters.append(attributions.c.published >= since)
    if until:
        filters.append(attributions.c.published <= until)
    if outlet:
        filters.append(or_(articles.c.outlet == outlet, articles.c.outlet.ilike(f"%{outlet}%")))
    return filters


def _query_words(query: str) -> list[str]:
    """The words of a user's query: quotes, operators and SQL have no meaning here."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query longer than {MAX_QUERY_CHARS} characters")
    words = _WORD.findall(query)
    if not words:
        raise QueryError(f"no words to search for in {query[:60]!r}")
    return words[:32]


def _page_size(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise QueryError(f"page size must be between 1 and {MAX_PAGE_SIZE}")
    return limit


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL: readers never block the ingest; a killed writer leaves the last commit intact.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0]


def _safe(url: str) -> str:
    """The address without a password."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
