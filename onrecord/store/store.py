"""The record on disk: one interface over SQLite (default) and PostgreSQL.

``Store("onrecord.sqlite")`` or ``Store("postgresql://user@host/db")``. ``Store`` is a
facade; the work is done by its modules, each with one reason to change:

- ``schema``: the tables, the schema version a database was made with, and the upgrade
  of a database made by an earlier one (columns added, in the opening transaction);
- ``dialect``: everything that differs between SQLite and PostgreSQL;
- ``writes``: one transaction (``Store.writing()``) and the primitives written through it;
- ``queries``: every read, bounded;
- ``quotes``: quotations and their fidelity (relation to other renderings);
- ``facets``, ``dashboard``, ``profiles``: the analyst's workbench (claims with facet
  counts and pages, the store at a glance, a speaker's profile, copy links both ways).

Reads return the records of ``onrecord.schema``; their limits (page size, query length)
are those of the ``onrecord.settings`` the store is opened with.

Articles are written with their attributions in one transaction per batch, so a crash
leaves whole articles or none. Several processes may write one database at once: opening
creates or upgrades the schema under the schema lock, each batch is written under the
write lock (``dialect``: ``BEGIN IMMEDIATE`` on SQLite, advisory locks on PostgreSQL), and
the database's unique keys on articles turn a text that another writer stored first into
a skip (``Writer.add_article``), so every article is stored once, whoever ingests it.

What is written (copies found, claims grouped, speakers' name variants) is decided above
the store, in ``onrecord.pipeline.ingest``: the store imports none of the stages and
knows what a copy or a claim is only as rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from onrecord import document
from onrecord.schema import (
    Article,
    ArticleQuotes,
    Claim,
    CopyRelation,
    QuotePage,
    Speaker,
    Statement,
)
from onrecord.settings import DEFAULTS, Settings, load_settings
from onrecord.store import dashboard, facets, profiles, quotes
from onrecord.store.dialect import LOCKING, SCHEMA_LOCK, WRITE_LOCK, database_url, dialect_of
from onrecord.store.errors import StoreError, reason, safe
from onrecord.store.queries import Queries
from onrecord.store.quotes import StoredRendering
from onrecord.store.schema import (
    SCHEMA_VERSION,
    DuplicateArticles,
    create_or_upgrade,
    stored_version,
)
from onrecord.store.writes import Writer, is_stored
from onrecord.workbench import (
    ArticleClaims,
    ClaimPage,
    ClaimQuery,
    CopyLinks,
    Dashboard,
    SpeakerProfile,
)

# Tries at opening a store another process is creating (see Store._open_schema).
OPEN_ATTEMPTS = 5


class Store:
    def __init__(self, url: str = "onrecord.sqlite", settings: Settings | None = None) -> None:
        """The database at ``url``; ``settings`` (default: ``load_settings()``, the
        defaults with ``ONRECORD_*`` variables applied) bound every read."""
        self.url = database_url(url)
        self.settings = settings or load_settings()
        try:
            self.engine: Engine = create_engine(self.url)
        except (ArgumentError, ImportError, ValueError) as exc:
            raise StoreError(f"{url}: not a database address ({exc})") from exc
        dialect = dialect_of(self.engine)
        if dialect is None:
            raise StoreError(f"{url}: only SQLite and PostgreSQL are supported")
        dialect.prepare(self.engine)
        self._dialect = dialect
        try:
            found = self._open_schema(dialect)
        except DuplicateArticles as exc:
            raise StoreError(
                f"{safe(url)}: cannot upgrade to schema {SCHEMA_VERSION}: {exc} (written by"
                " concurrent ingests of an older onrecord); ingest into a new database"
            ) from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"{safe(url)}: cannot open the database ({reason(exc)})") from exc
        if found != SCHEMA_VERSION:
            raise StoreError(
                f"{safe(url)}: made by another version of onrecord (schema {found or 'unknown'}"
                f", this one reads {SCHEMA_VERSION}); ingest into a new database"
            )
        self._queries = Queries(self.engine, dialect, self.url, self.settings)

    def _open_schema(self, dialect) -> int | None:
        """The stored schema version, after making or upgrading the schema if need be.

        A new SQLite file being switched to WAL and given its tables by one process can
        answer "database is locked" to another opening it at that moment, sooner than the
        busy timeout (seen with several ingests started at once on a loaded machine): the
        opening is tried again a few times before it fails."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                with self.engine.connect() as connection:
                    found = stored_version(connection)
                if found != SCHEMA_VERSION:  # new, or older: made or upgraded by one writer
                    with self._locked(SCHEMA_LOCK) as connection:
                        found = create_or_upgrade(
                            connection, dialect.add_column, dialect.create_search_index
                        )
                return found
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == OPEN_ATTEMPTS - 1:
                    raise
                self.engine.dispose()
                time.sleep(0.5 * (attempt + 1))
        return None  # not reached

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- writing ------------------------------------------------------------------

    def has(self, article: document.Article) -> bool:
        """Whether this article (same URL, or id without one) is stored with this text."""
        with self.engine.connect() as connection:
            return is_stored(connection, article)

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """One transaction: everything written through the ``Writer`` is committed
        together when the block ends, or nothing of it if the block raises. It holds the
        write lock from its start: another process's writing waits for it, so what it
        reads (stored articles, claims, fingerprints) stays true until it commits."""
        try:
            with self._locked(WRITE_LOCK) as connection:
                yield Writer(connection, self._dialect)
        except SQLAlchemyError as exc:
            raise StoreError(f"{safe(self.url)}: cannot write ({reason(exc)})") from exc

    @contextmanager
    def _locked(self, lock: str) -> Iterator[Connection]:
        """A transaction that holds ``lock`` (``dialect.SCHEMA_LOCK`` or ``WRITE_LOCK``)
        from its start to its end."""
        with self.engine.connect() as connection:
            connection.execution_options(**{LOCKING: lock})
            with connection.begin():
                self._dialect.lock(connection, lock)
                yield connection

    def fingerprints(self) -> list[tuple[int, bytes]]:
        """Every stored article's key with its fingerprint, as written (``add_fingerprint``)."""
        return self._queries.fingerprints()

    def renderings(self) -> list[StoredRendering]:
        """Every stored rendering of a quoted passage, in the order written."""
        with self.engine.connect() as connection:
            return quotes.stored_renderings(connection)

    # -- reading ------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        limit: int = DEFAULTS.page_size,
        offset: int = 0,
    ) -> list[Statement]:
        """Claims with a statement whose words (content or speaker) contain every word of
        ``query``, latest first: each shown by its latest matching statement, with its
        number of occurrences and of independent sources. ``limit`` is at most the
        settings' ``max_page``; ``query`` at most ``max_query_chars`` long."""
        return self._queries.search(
            query, since=since, until=until, outlet=outlet, limit=limit, offset=offset
        )

    def speaker(
        self,
        name: str,
        *,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        limit: int = DEFAULTS.speaker_page_size,
        offset: int = 0,
    ) -> list[Statement]:
        """The claims of every speaker whose name or a variant contains ``name``, in the
        order they were first made, each shown by its first statement."""
        return self._queries.speaker(
            name, since=since, until=until, outlet=outlet, limit=limit, offset=offset
        )

    def claim(self, claim_key: int) -> Claim:
        """A claim with all its statements, oldest first: where each appeared, the outlet
        it is credited to once copies are followed back, and the copy relation if any."""
        return self._queries.claim(claim_key)

    def speakers_named(self, name: str) -> list[Speaker]:
        """Speaker records (name, type, variants, count) matching ``name``."""
        return self._queries.speakers_named(name)

    def article(self, article_id: str) -> Article | None:
        """The latest version of an article, with its attributions."""
        return self._queries.article(article_id)

    def copy_of(self, article_id: str) -> CopyRelation | None:
        """The earlier article that the latest version of ``article_id`` copies, with the
        relation, similarity, spin score and the word alignment; None if it copies none."""
        return self._queries.copy_of(article_id)

    def count(self) -> dict[str, int]:
        return self._queries.count()

    # -- the workbench ------------------------------------------------------------

    def search_claims(self, query: ClaimQuery, offset: int | None = None) -> ClaimPage:
        """One page of the claims with a statement matching ``query`` (words, dates and
        facet filters), each shown by its original (first) statement with the outlets
        carrying it, the original's first; with the total, the pages and the facet counts
        (speaker, outlet, speaker type, kind, anonymous) over every matching claim.
        ``offset``, where given, is the claims to skip instead of the query's page."""
        return facets.search_claims(self._queries, query, offset)

    def dashboard(self) -> Dashboard:
        """Counts, most quoted speakers of the last week and month, the claims with the
        most independent sources, articles per day (periods end at the newest date), and
        the newest altered and spliced quotations."""
        with self.engine.connect() as connection:
            found = dashboard.dashboard(connection)
        altered = self.quotes(relations=dashboard.ALTERED, limit=dashboard.TOP)
        return found.model_copy(update={"altered_quotes": altered.quotes})

    def speaker_profile(self, name: str) -> SpeakerProfile:
        """A speaker's roles, organisations, statements per week and outlet, most carried
        claims and co-quoted speakers."""
        return profiles.speaker_profile(self._queries, name)

    def copy_links(self, article_id: str) -> CopyLinks:
        """The article the latest version of ``article_id`` copies and the later ones that
        copy it; ``QueryError`` if it is not stored."""
        return profiles.copy_links(self._queries, article_id)

    def article_claims(self, article_id: str) -> ArticleClaims | None:
        """The claim of each statement of an article; None if it is not stored."""
        return profiles.article_claims(self._queries, article_id)

    # -- quotations ---------------------------------------------------------------

    def quotes(
        self,
        *,
        relations: Iterable[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = None,
        speaker: str | None = None,
        limit: int = DEFAULTS.page_size,
        offset: int = 0,
    ) -> QuotePage:
        """A page of quotations, newest first, with the total: those whose relation to the
        other renderings of their passage is one of ``relations`` (default: any, unrelated
        ones included), dated within ``since``..``until``, of an outlet and a speaker
        whose name has the words of ``speaker``."""
        return quotes.quotes(
            self._queries,
            relations=relations,
            since=since,
            until=until,
            outlet=outlet,
            speaker=speaker,
            limit=limit,
            offset=offset,
        )

    def article_quotes(self, article_id: str) -> ArticleQuotes | None:
        """The quotations of an article, each with every other rendering of its passage;
        None if it is not stored."""
        return quotes.article_quotes(self._queries, article_id)
