"""A Spark run's Parquet into the store (``onrecord ingest DIR``): the one ingest path,
with the extraction already done and the copies taken from the run's ``copies`` table.

Spark joins each article with its attributions (a list per article, so nothing grows
with the corpus) and its copy, in publication order (an origin before its copies), and
streams them to the driver a partition at a time. They are written in batches through
``pipeline.ingest.add_batch``: one transaction each, claims clustered as on any ingest,
an article already stored skipped. So a load is idempotent and resumable, and a store
may be filled from several runs (each run's copies are those it found within itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from onrecord.copies.compare import Alignment, Relation
from onrecord.copies.index import CopyIndex, Found
from onrecord.copies.origin import Fingerprint, Origin
from onrecord.document import Article
from onrecord.pipeline.ingest import add_batch
from onrecord.settings import DEFAULTS
from onrecord.spark.tables import ATTRIBUTION_FIELDS, to_article
from onrecord.store import IngestCounts, Store, Writer

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def load_run(
    spark: SparkSession, output: str, store: Store, batch_size: int = DEFAULTS.ingest_batch
) -> Iterator[tuple[int, IngestCounts]]:
    """Each committed batch: how many articles it held, and its counts."""
    batch: list[Article] = []
    copies: dict[int, dict] = {}
    for row in _rows(spark, output).toLocalIterator(prefetchPartitions=True):
        data = row.asDict(recursive=True)
        article = to_article(data, data["found"] or [])
        batch.append(article)
        if data["copy_of_key"] is not None:
            copies[id(article)] = data
        if len(batch) >= batch_size:
            yield len(batch), add_batch(store, batch, _origins(copies))
            batch, copies = [], {}
    if batch:
        yield len(batch), add_batch(store, batch, _origins(copies))


def _rows(spark: SparkSession, output: str) -> DataFrame:
    """Articles with their attributions (``found``) and copy, in publication order."""
    from pyspark.sql import functions as F

    articles = spark.read.parquet(f"{output}/articles")
    attributions = spark.read.parquet(f"{output}/attributions")
    found = attributions.groupBy("key").agg(
        F.sort_array(F.collect_list(F.struct("ordinal", *ATTRIBUTION_FIELDS))).alias("found")
    )
    rows = articles.join(found, "key", "left")
    copy_columns = ["copy_of_key", "relation", "similarity", "spin_score", "alignment"]
    if _exists(spark, f"{output}/copies/_SUCCESS"):
        copies = spark.read.parquet(f"{output}/copies").select("key", *copy_columns)
        origins = articles.select(
            F.col("key").alias("copy_of_key"),
            F.col("id").alias("origin_id"),
            F.col("url").alias("origin_url"),
            F.col("content_hash").alias("origin_hash"),
        )
        rows = rows.join(copies.join(origins, "copy_of_key"), "key", "left")
    else:
        for column in (*copy_columns, "origin_id", "origin_url", "origin_hash"):
            rows = rows.withColumn(column, F.lit(None))
    undated_last = F.coalesce("published", F.lit("9999"))
    return rows.orderBy(undated_last, "key")


def _origins(copies: dict[int, dict]):
    """``add_batch``'s ``origin_of``: the copy the run found for an article, else none."""

    def origin_of(
        writer: Writer, key: int, article: Article, printed: Fingerprint, index: CopyIndex
    ) -> Origin:
        data = copies.get(id(article))
        origin_key = None
        if data is not None:
            origin_key = writer.key_of(data["origin_id"], data["origin_url"], data["origin_hash"])
        if data is None or origin_key is None:
            return Origin(key, None, key)
        found = Found(origin_key, _relation(data))
        return Origin(key, found, writer.root_of(origin_key) or origin_key)

    return origin_of


def _relation(data: dict[str, Any]) -> Relation:
    alignment = data["alignment"] or {}
    return Relation(
        data["relation"],
        float(data["similarity"]),
        float(data["spin_score"]),
        Alignment(
            matched=alignment.get("matched_words") or 0,
            substitutions=[tuple(s) for s in alignment.get("substitutions") or []],
            inserted=list(alignment.get("inserted") or []),
            dropped=list(alignment.get("dropped") or []),
        ),
    )


def _exists(spark: SparkSession, path: str) -> bool:
    from onrecord.spark.files import Files

    return Files(spark).exists(path)
