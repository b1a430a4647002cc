"""Ingest: articles read, extracted and written to the store in batches, resumably.

An article already stored (same normalised text) is skipped before extraction, so a
re-run after an interruption only does the work that is left. Each batch is one
transaction: a kill leaves the batches before it whole and nothing of the one in flight.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from onrecord.document import Article
from onrecord.pipeline.extractor import Extractor, batched
from onrecord.store.store import IngestCounts, Store

BATCH_SIZE = 32


def ingest(
    store: Store, extractor: Extractor, articles: Iterable[Article], batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[Article], IngestCounts]]:
    """Each committed batch with its counts; articles already stored are counted unchanged."""
    skipped = IngestCounts()

    def fresh() -> Iterator[Article]:
        for article in articles:
            if store.has(article):
                skipped.unchanged += 1
            else:
                yield article

    for batch in batched(extractor.extract(fresh()), batch_size):
        counts = store.add(batch)
        counts.unchanged += skipped.unchanged
        skipped.unchanged = 0
        yield batch, counts
    if skipped.unchanged:
        yield [], skipped
