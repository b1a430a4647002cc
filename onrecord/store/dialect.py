"""SQLite or PostgreSQL: the one module of the store that knows which.

The rest of the store is SQLAlchemy Core that both databases run unchanged; it asks a
``Dialect`` for what differs:

- the address: a bare path is a SQLite file, ``postgres://`` is served by psycopg 3;
- connection settings: SQLite runs in WAL mode, with foreign keys and a busy timeout;
- the locks that make several writers safe (``lock``): a transaction that creates or
  writes starts with ``BEGIN IMMEDIATE`` on SQLite (the one writer's lock, taken before
  anything is read) and takes a transaction-level advisory lock on PostgreSQL, so such
  transactions run one at a time while readers go on;
- full-text search over what was said: an FTS5 table that the writer fills on SQLite, a
  generated ``tsvector`` column with a GIN index on PostgreSQL;
- insert-unless-present (``INSERT … ON CONFLICT DO NOTHING``), spelled per dialect;
- adding a column to an existing table when a database is upgraded (``schema.upgrade``).
"""

from __future__ import annotations

import re

from sqlalchemy import Column, Table, event, func, literal_column, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from onrecord.store.schema import attributions

# The locks a transaction may take (``Dialect.lock``): creating or upgrading the schema,
# and writing articles. On PostgreSQL each is an advisory lock of this number.
SCHEMA_LOCK = "schema"
WRITE_LOCK = "write"
_ADVISORY = {SCHEMA_LOCK: 0x6F6E_7265_636F_7201, WRITE_LOCK: 0x6F6E_7265_636F_7202}
# The execution option that asks for a locking transaction (read by SQLite's BEGIN).
LOCKING = "onrecord_lock"

SQLITE_BUSY_MS = 60_000

# A search matching at least this many statements walks the date index newest first
# instead of reading every match to sort them (see BENCHMARKS.md).
COMMON_MATCHES = 2_000

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS attribution_search "
    "USING fts5(content_text, speaker, tokenize = 'porter unicode61')"
)
POSTGRES_SEARCH = (
    "ALTER TABLE attributions ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', content_text || ' ' || coalesce(speaker, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS attributions_search ON attributions USING gin (search)",
)


def database_url(url: str) -> str:
    """The SQLAlchemy address of ``url``: a path is a SQLite file; psycopg 3 is the
    PostgreSQL driver onrecord installs."""
    url = url if "://" in url else f"sqlite:///{url}"
    return re.sub(r"^postgres(?:ql)?://", "postgresql+psycopg://", url)


class SQLite:
    name = "sqlite"

    def prepare(self, engine: Engine) -> None:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)

    def lock(self, connection: Connection, name: str) -> None:
        """Nothing more: a locking transaction began with BEGIN IMMEDIATE (``_sqlite_begin``),
        which holds the database's one write lock until it ends."""

    def create_search_index(self, connection: Connection) -> None:
        connection.execute(text(SQLITE_SEARCH))

    def index_statement(self, connection: Connection, key: int, content: str, speaker: str) -> None:
        """Make a written statement findable by ``matching``."""
        connection.execute(
            text(
                "INSERT INTO attribution_search (rowid, content_text, speaker) "
                "VALUES (:key, :content, :speaker)"
            ),
            {"key": key, "content": content, "speaker": speaker},
        )

    def matching(self, engine: Engine, words: list[str]):
        """A condition on ``attributions``: the statement's content or speaker has every
        word."""
        fts = " ".join(f'"{w}"' for w in words)
        # Many matches: the caller walks the date index newest first and stops early. "key
        # + 0" keeps SQLite from driving the query by the match list instead.
        key = attributions.c.key + 0 if _common(engine, fts) else attributions.c.key
        return key.in_(_fts_rowids(fts))

    def insert_new(self, table: Table):
        """An insert that skips rows a unique constraint already holds."""
        return sqlite.insert(table).on_conflict_do_nothing()

    def add_column(self, connection: Connection, column: Column) -> None:
        """Add a nullable column of the schema to its existing table, unless it is there."""
        table = column.table.name
        present = connection.execute(text(f'PRAGMA table_info("{table}")')).scalars(1).all()
        if column.name not in present:
            connection.execute(
                text(f'ALTER TABLE "{table}" ADD COLUMN {_definition(connection, column)}')
            )


class PostgreSQL:
    name = "postgresql"

    def prepare(self, engine: Engine) -> None:
        pass

    def lock(self, connection: Connection, name: str) -> None:
        """Wait for, then hold until the transaction ends, the lock ``name`` of this
        database."""
        connection.execute(select(func.pg_advisory_xact_lock(_ADVISORY[name])))

    def create_search_index(self, connection: Connection) -> None:
        for statement in POSTGRES_SEARCH:
            connection.execute(text(statement))

    def index_statement(self, connection: Connection, key: int, content: str, speaker: str) -> None:
        pass  # the generated column follows the row

    def matching(self, engine: Engine, words: list[str]):
        tsquery = func.plainto_tsquery("english", " ".join(words))
        return literal_column("attributions.search").op("@@")(tsquery)

    def insert_new(self, table: Table):
        return postgresql.insert(table).on_conflict_do_nothing()

    def add_column(self, connection: Connection, column: Column) -> None:
        # IF NOT EXISTS: a second process upgrading at the same time waits, then skips it.
        connection.execute(
            text(
                f'ALTER TABLE "{column.table.name}" ADD COLUMN IF NOT EXISTS '
                + _definition(connection, column)
            )
        )


Dialect = SQLite | PostgreSQL


def dialect_of(engine: Engine) -> Dialect | None:
    """The dialect of an engine, or None for a database onrecord does not support."""
    for dialect in (SQLite, PostgreSQL):
        if engine.dialect.name == dialect.name:
            return dialect()
    return None


def _definition(connection: Connection, column: Column) -> str:
    """A nullable column's name and type as this database spells them (as ``create_all``
    would have made it)."""
    return f'"{column.name}" {column.type.compile(dialect=connection.dialect)}'


def _common(engine: Engine, fts: str) -> bool:
    """Whether a search matches at least COMMON_MATCHES statements (counted only that far,
    so the check itself costs little)."""
    probe = select(func.count()).select_from(_fts_rowids(fts).limit(COMMON_MATCHES).subquery())
    with engine.connect() as connection:
        return connection.execute(probe).scalar() >= COMMON_MATCHES


def _fts_rowids(fts: str):
    return (
        select(literal_column("rowid"))
        .select_from(text("attribution_search"))
        .where(text("attribution_search MATCH :q").bindparams(q=fts))
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The driver's own transaction handling is off (it would begin a transaction only at
    # the first INSERT, after the reads that decided it): ``_sqlite_begin`` begins each.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # A writer waits this long for another's transaction (a batch) to end; set first, as
    # switching a new file to WAL takes the lock too.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    # WAL: readers never block the ingest; a killed writer leaves the last commit intact.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Begin a transaction: a locking one (``LOCKING`` set) takes the write lock at once,
    before it reads what it will decide on; any other reads one snapshot."""
    locking = connection.get_execution_options().get(LOCKING)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if locking else "BEGIN")
