"""The store: articles, speakers and attributions in SQLite or PostgreSQL, searchable."""

from onrecord.store.store import IngestCounts, QueryError, Store, StoreError, content_hash

__all__ = ["IngestCounts", "QueryError", "Store", "StoreError", "content_hash"]
