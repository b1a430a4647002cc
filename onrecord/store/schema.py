"""Tables of the record, and the schema version a database was made with.

One SQLAlchemy Core schema serves SQLite and PostgreSQL. Full-text search over what was
said is the one dialect-specific piece; ``onrecord.store.dialect`` creates it. A database
of an earlier schema that lacks only columns added since is upgraded in place when opened
(``MIGRATIONS``, ``upgrade``); one made by any other schema version is refused.

Several writers may open one database at once: ``create_or_upgrade`` runs in a
transaction that holds the database's schema lock (``Store`` takes it: ``BEGIN
IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL) and creates only what is missing
(``IF NOT EXISTS``), so the second writer finds the tables the first made. An article is
keyed by its address (``address_hash``: its URL, or its id when it has none): one row per
address and version, and one per address and text, so a text stored twice is refused by
the database itself, whoever writes it.

The copy, claim and rendering tables hold what ``onrecord.copies``, ``onrecord.claims`` and
``onrecord.fidelity`` decided; the store keeps and serves them without knowing what they
mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateIndex, CreateTable

metadata = MetaData()
# 6: copies keep their word alignment; 7: statements' speaker_score; 8: articles unique per
# address and version and per address and text (address_hash), statements' parent;
# 9: renderings (quote fidelity).
SCHEMA_VERSION = "9"
# The setting a store upgraded to schema 9 keeps until its quotes are related: statements
# with a key up to its value have no rendering rows yet (the next ingest writes them).
UNRELATED_UP_TO = "renderings_pending_up_to"

settings = Table(
    "onrecord_settings",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("key", Integer, primary_key=True, autoincrement=True),
    Column("id", String(500), nullable=False, index=True),
    Column("url", Text),
    Column("outlet", String(300), index=True),
    Column("published", Date, index=True),
    # A changed text under the same URL (or id, without one) is a new version.
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    # SHA-256 of the address: "url " + the URL, or "id " + the id when there is none
    # (``address_hash``). NULL only while a schema-7 database is being upgraded.
    Column("address_hash", String(64)),
    Column("text", Text, nullable=False),
    Column("boilerplate", JSON, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    # The first article of its chain of copies (itself when it copies none).
    Column("root_key", Integer),
    # Concurrent writers: the second to insert a version or a text of an address gets a
    # conflict (``ON CONFLICT DO NOTHING``), not a duplicate.
    Index("articles_address_version", "address_hash", "version", unique=True),
    Index("articles_address_text", "address_hash", "content_hash", unique=True),
)

speakers = Table(
    "speakers",
    metadata,
    Column("key", Integer, primary_key=True, autoincrement=True),
    Column("name", String(500), nullable=False),
    Column("type", String(20), nullable=False),
    UniqueConstraint("name", "type"),
)

speaker_variants = Table(
    "speaker_variants",
    metadata,
    Column("speaker_key", ForeignKey("speakers.key"), nullable=False, index=True),
    Column("variant", String(500), nullable=False),
    UniqueConstraint("speaker_key", "variant"),
)

# One speaker saying one thing, however many articles carry it (onrecord.claims).
claims = Table(
    "claims",
    metadata,
    Column("key", Integer, primary_key=True, autoincrement=True),
    Column("speaker_key", ForeignKey("speakers.key"), index=True),
    Column("text", Text, nullable=False),  # the first statement's content
    Column("terms", JSON, nullable=False),  # its meaning: TF-IDF vector,
    Column("embedding", LargeBinary, nullable=False),  # and mean token vector (float32)
    Column("negated", Boolean, nullable=False),
    Column("first_published", Date),
    Column("first_attribution_key", Integer),
    Column("occurrences", Integer, nullable=False),
    # Distinct outlets carrying it once copies are collapsed to their origin.
    Column("independent_sources", Integer, nullable=False),
)

# Each claim's key terms (onrecord.claims.cluster.key_terms), by which a new statement of
# the same speaker finds it however long ago it was made.
claim_terms = Table(
    "claim_terms",
    metadata,
    Column("speaker_key", ForeignKey("speakers.key"), nullable=False),
    Column("term", String(100), nullable=False),
    Column("claim_key", ForeignKey("claims.key"), nullable=False),
    Index("claim_terms_by_speaker", "speaker_key", "term", "claim_key"),
)

attributions = Table(
    "attributions",
    metadata,
    Column("key", Integer, primary_key=True, autoincrement=True),
    Column("article_key", ForeignKey("articles.key"), nullable=False, index=True),
    Column("ordinal", Integer, nullable=False),
    # The article's date, copied here so that "newest first" can walk an index.
    Column("published", Date),
    Column("speaker_key", ForeignKey("speakers.key"), index=True),
    Column("source", JSON, nullable=False),
    Column("cue", JSON, nullable=False),
    Column("content", JSON, nullable=False),
    Column("source_text", Text, nullable=False),
    Column("cue_text", Text, nullable=False),
    Column("content_text", Text, nullable=False),
    Column("speaker", String(500)),
    Column("speaker_type", String(20), nullable=False),
    Column("speaker_role", String(500)),
    Column("speaker_org", String(500)),
    # How likely the speaker is right (0-1, calibrated); NULL where no resolver ran, and
    # in statements written before schema 7.
    Column("speaker_score", Float),
    Column("anonymous", Boolean, nullable=False),
    Column("anonymity", String(100)),
    Column("via", JSON, nullable=False),
    Column("confidence", JSON, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("score", Float, nullable=False),
    Column("claim_key", ForeignKey("claims.key")),
    # The outlet the words come from once copies are followed to their origin.
    Column("independent_source", String(500)),
    # Index (among the article's statements, by ordinal) of the one whose content holds
    # this one; NULL when not nested, and in statements written before schema 8.
    Column("parent", Integer),
    Index("attributions_by_date", "published", "key"),
    Index("attributions_by_claim", "claim_key", "independent_source"),
)

# The MinHash of each article's words (onrecord.copies), kept so the LSH index can be
# rebuilt when the store is opened again.
fingerprints = Table(
    "fingerprints",
    metadata,
    Column("article_key", ForeignKey("articles.key"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

# Digests of each article's long paragraphs (onrecord.copies.compare.paragraph_digests):
# a block reused inside a longer article is found by them.
paragraphs = Table(
    "paragraphs",
    metadata,
    Column("digest", BigInteger, nullable=False),
    Column("article_key", ForeignKey("articles.key"), nullable=False),
    Index("paragraphs_by_digest", "digest", "article_key"),
)

# An article's closest earlier article, when it copies one.
copies = Table(
    "copies",
    metadata,
    Column("article_key", ForeignKey("articles.key"), primary_key=True),
    Column("origin_key", ForeignKey("articles.key"), nullable=False, index=True),
    Column("relation", String(10), nullable=False),  # exact | near | spun | partial
    Column("similarity", Float, nullable=False),
    Column("spin_score", Float, nullable=False),
    # The word alignment shown with the relation (onrecord.copies.compare.Alignment.to_json).
    Column("alignment", JSON, nullable=False),
)

# The quoted words of each statement that quotes any (onrecord.fidelity), and how they
# relate to the other renderings of the same passage by the same speaker.
renderings = Table(
    "renderings",
    metadata,
    Column("attribution_key", ForeignKey("attributions.key"), primary_key=True),
    Column("article_key", ForeignKey("articles.key"), nullable=False, index=True),
    Column("speaker", String(500)),
    Column("segments", JSON, nullable=False),  # the quoted parts, as written, in order
    Column("spans", JSON, nullable=False),  # their offsets [start, end) in the article
    Column("published", Date),
    Column("outlet", String(300)),
    Column("copy_of", String(500)),  # the id of the article this one's article copies
    # verbatim | trimmed | spliced | altered | paraphrased; NULL while it has no other
    # rendering on record.
    Column("relation", String(12)),
    # The rendering it is measured against (an attribution key); NULL with no other.
    Column("reference_key", Integer),
    # The fidelity as onrecord.fidelity gives it (Fidelity.to_json), rendering keys
    # written as "ARTICLE_ID#ORDINAL"; NULL until related.
    Column("fidelity", JSON),
    # The attribution keys of the other renderings of its passage.
    Column("others", JSON, nullable=False),
    Index("renderings_by_relation", "relation", "published", "attribution_key"),
    Index("renderings_by_date", "published", "attribution_key"),
)


class DuplicateArticles(Exception):
    """A database that cannot take the unique keys of schema 8: some address holds the
    same text, or the same version, more than once (concurrent ingests before schema 8)."""

    def __init__(self, texts: int, versions: int) -> None:
        super().__init__(
            f"articles stored more than once ({texts} repeated texts, {versions} repeated versions)"
        )
        self.texts = texts
        self.versions = versions


def address_hash(url: str | None, id_: str) -> str:
    """The key of an article's address: its URL, or its id when it has none."""
    address = f"url {url}" if url else f"id {id_}"
    return sha256(address.encode("utf-8", "surrogatepass")).hexdigest()


def _key_articles(connection: Connection) -> None:
    """Schema 7 -> 8: give every stored article its address key, then the unique indexes
    on it; refused (``DuplicateArticles``, nothing changed) where duplicates are stored."""
    missing = select(articles.c.key, articles.c.url, articles.c.id).where(
        articles.c.address_hash.is_(None)
    )
    while rows := connection.execute(missing.limit(5_000)).all():
        connection.execute(
            articles.update()
            .where(articles.c.key == bindparam("k"))
            .values(address_hash=bindparam("h")),
            [{"k": row.key, "h": address_hash(row.url, row.id)} for row in rows],
        )
    texts, versions = (
        _repeated(connection, articles.c.content_hash),
        _repeated(connection, articles.c.version),
    )
    if texts or versions:
        raise DuplicateArticles(texts, versions)
    for index in articles.indexes:
        if index.unique:
            connection.execute(CreateIndex(index, if_not_exists=True))


def _repeated(connection: Connection, column: Column) -> int:
    """Rows beyond the first of each (address, ``column``)."""
    groups = (
        select((func.count() - 1).label("extra"))
        .select_from(articles)
        .group_by(articles.c.address_hash, column)
        .having(func.count() > 1)
        .subquery()
    )
    return connection.execute(select(func.coalesce(func.sum(groups.c.extra), 0))).scalar()


def _add_renderings(connection: Connection) -> None:
    """Schema 8 -> 9: the renderings table; the statements stored so far are related at
    the next ingest (``UNRELATED_UP_TO``)."""
    connection.execute(CreateTable(renderings, if_not_exists=True))
    for index in sorted(renderings.indexes, key=lambda i: i.name or ""):
        connection.execute(CreateIndex(index, if_not_exists=True))
    last = connection.execute(select(func.max(attributions.c.key))).scalar()
    connection.execute(settings.delete().where(settings.c.name == UNRELATED_UP_TO))
    if last:
        connection.execute(settings.insert().values(name=UNRELATED_UP_TO, value=str(last)))


@dataclass(frozen=True)
class Migration:
    """One step up: the version it makes, the nullable columns it adds (existing rows get
    NULL), then what else it does in the same transaction."""

    to: str
    columns: tuple[Column, ...] = ()
    then: Callable[[Connection], None] | None = None


# Schema versions a database is upgraded from when opened, one step at a time.
MIGRATIONS: dict[str, Migration] = {
    "6": Migration("7", (attributions.c.speaker_score,)),
    "7": Migration("8", (articles.c.address_hash, attributions.c.parent), _key_articles),
    "8": Migration("9", then=_add_renderings),
}


def stored_version(connection: Connection) -> str | None:
    """The schema the database says it was made with; None when it says none."""
    if not inspect(connection).has_table(settings.name):
        return None
    return connection.execute(select(settings.c.value).where(settings.c.name == "schema")).scalar()


def create_or_upgrade(
    connection: Connection,
    add_column: Callable[[Connection, Column], None],
    create_search_index: Callable[[Connection], None],
) -> str | None:
    """Make a new database (every table and index, created only where missing) or bring
    one of an earlier schema up to this one, in the caller's transaction, which must hold
    the schema lock; the version the database is now (another one is left untouched)."""
    found = stored_version(connection)
    if found is None:
        if (
            inspect(connection).has_table(articles.name)
            and connection.execute(select(articles.c.key).limit(1)).first()
        ):
            return None  # articles, and no schema: not made by onrecord as it is now
        for table in metadata.sorted_tables:
            connection.execute(CreateTable(table, if_not_exists=True))
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                connection.execute(CreateIndex(index, if_not_exists=True))
        create_search_index(connection)
        connection.execute(settings.insert().values(name="schema", value=SCHEMA_VERSION))
        return SCHEMA_VERSION
    return upgrade(connection, found, add_column)


def upgrade(
    connection: Connection, found: str | None, add_column: Callable[[Connection, Column], None]
) -> str | None:
    """Bring a database of an earlier schema listed in ``MIGRATIONS`` up to this one, in
    the caller's transaction (``add_column`` is the dialect's); the version it is now."""
    while found in MIGRATIONS:
        step = MIGRATIONS[found]
        for column in step.columns:
            add_column(connection, column)
        if step.then is not None:
            step.then(connection)
        connection.execute(
            settings.update()
            .where(settings.c.name == "schema", settings.c.value == found)
            .values(value=step.to)
        )
        found = step.to
    return found
