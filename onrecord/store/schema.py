"""Tables of the record, and the schema version a database was made with.

One SQLAlchemy Core schema serves SQLite and PostgreSQL. Full-text search over what was
said is the one dialect-specific piece; ``onrecord.store.dialect`` creates it. A database
of an earlier schema that lacks only columns added since is upgraded in place when opened
(``MIGRATIONS``, ``upgrade``); one made by any other schema version is refused.

The copy and claim tables hold what ``onrecord.copies`` and ``onrecord.claims`` decided;
the store keeps and serves them without knowing what they mean.
"""

from __future__ import annotations

from collections.abc import Callable

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
    select,
)
from sqlalchemy.engine import Connection

metadata = MetaData()
SCHEMA_VERSION = "7"  # 6: copies keep their word alignment; 7: statements' speaker_score

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
    Column("text", Text, nullable=False),
    Column("boilerplate", JSON, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    # The first article of its chain of copies (itself when it copies none).
    Column("root_key", Integer),
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


# Schema versions a database is upgraded from when opened: the version it becomes and the
# nullable columns that version added (existing rows get NULL). Applied one step at a time.
MIGRATIONS: dict[str, tuple[str, tuple[Column, ...]]] = {
    "6": ("7", (attributions.c.speaker_score,)),
}


def schema_version(connection: Connection) -> str | None:
    """The schema the database was made with; a new, empty database takes this one."""
    found = connection.execute(select(settings.c.value).where(settings.c.name == "schema")).scalar()
    if found is None and not connection.execute(select(articles.c.key).limit(1)).first():
        connection.execute(settings.insert().values(name="schema", value=SCHEMA_VERSION))
        return SCHEMA_VERSION
    return found


def upgrade(
    connection: Connection, found: str | None, add_column: Callable[[Connection, Column], None]
) -> str | None:
    """Bring a database of an earlier schema listed in ``MIGRATIONS`` up to this one, in
    the caller's transaction (``add_column`` is the dialect's); the version it is now."""
    while found in MIGRATIONS:
        version, added = MIGRATIONS[found]
        for column in added:
            add_column(connection, column)
        connection.execute(
            settings.update()
            .where(settings.c.name == "schema", settings.c.value == found)
            .values(value=version)
        )
        found = version
    return found
