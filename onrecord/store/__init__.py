"""The store: articles, speakers and attributions in SQLite or PostgreSQL, searchable.

It sits below the pipeline and above every stage: it imports none of them (not spaCy
either), and what copies and claims mean is decided by ``onrecord.copies`` and
``onrecord.claims``, wired to the store by ``onrecord.pipeline.ingest``.
"""

from onrecord.store.errors import QueryError, StoreError
from onrecord.store.store import Store
from onrecord.store.writes import IngestCounts, Writer, content_hash

__all__ = ["IngestCounts", "QueryError", "Store", "StoreError", "Writer", "content_hash"]
