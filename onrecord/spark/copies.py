"""Copies across a whole Spark run: the ``copies`` table, found with Spark itself.

The single-machine path (``onrecord.copies``) looks each new article up in a datasketch
``MinHashLSH`` index of the articles before it and in the paragraph digests, then aligns
the candidates word by word. Here the same fingerprints (``compare.fingerprint``, the
same MinHash, shingles and digests) are made in the workers, and the look-up is a join:

- the MinHash signature is cut into the bands ``MinHashLSH`` would use for its threshold;
  articles sharing a band are candidates (a band shared by very many articles pairs each
  with the first ``BUCKET_ORIGINS`` of them only, so no bucket grows quadratically);
- candidates estimated below ``MIN_ESTIMATE`` are dropped and the best
  ``MAX_CANDIDATES`` kept, as ``CopyIndex`` does; articles sharing a paragraph digest are
  candidates too (its first ``PARAGRAPH_SHARERS`` articles, best
  ``MAX_PARAGRAPH_CANDIDATES``), as ``origin.sharing`` does;
- every candidate pair is aligned by ``compare.relate`` and the best earlier origin kept:
  the highest similarity, then the earliest.

"Earlier" is publication order: the date, undated last, then the article key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from onrecord.copies.compare import (
    NUM_PERM,
    article_words,
    fingerprint,
    paragraph_digests,
    relate,
)
from onrecord.copies.index import LSH_THRESHOLD, MAX_CANDIDATES, MIN_ESTIMATE
from onrecord.copies.origin import MAX_PARAGRAPH_CANDIDATES, PARAGRAPH_SHARERS

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

BUCKET_ORIGINS = 50
ROWS_PER_BATCH = 64

FINGERPRINT_SCHEMA = (
    "key STRING, seq STRING, bands ARRAY<BIGINT>, signature ARRAY<BIGINT>, digests ARRAY<BIGINT>"
)
RELATION_SCHEMA = (
    "origin STRING, copy STRING, relation STRING, similarity DOUBLE, spin_score DOUBLE,"
    " alignment STRING"
)
ALIGNMENT_SCHEMA = (
    "matched_words INT, substitutions ARRAY<ARRAY<STRING>>, inserted ARRAY<STRING>,"
    " dropped ARRAY<STRING>"
)


def lsh_bands() -> tuple[int, int]:
    """(bands, rows per band): what datasketch's ``MinHashLSH`` picks for the threshold."""
    from datasketch.lsh import _optimal_param

    return _optimal_param(LSH_THRESHOLD, NUM_PERM, 0.5, 0.5)


def find_copies(spark: SparkSession, output: str) -> None:
    """(Re)write ``output/copies`` from ``output/articles``."""
    from pyspark.sql import functions as F

    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(ROWS_PER_BATCH))
    articles = spark.read.parquet(f"{output}/articles").withColumn(
        "seq", F.concat_ws("|", F.coalesce("published", F.lit("9999")), "key")
    )
    prints = articles.select("key", "seq", "text", "boilerplate").mapInPandas(
        fingerprints, FINGERPRINT_SCHEMA
    )
    from pyspark import StorageLevel

    prints = prints.persist(StorageLevel.DISK_ONLY)  # read by both joins; memory stays flat
    try:
        pairs = _candidates(prints)
        relations = _verified(articles, pairs)
        best = _best(relations, articles)
        best.write.mode("overwrite").parquet(f"{output}/copies")
    finally:
        prints.unpersist()


def fingerprints(frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``mapInPandas``: each article's LSH bands, signature and paragraph digests."""
    import pandas as pd

    bands, rows = lsh_bands()
    for frame in frames:
        out = []
        for key, seq, text, boilerplate in zip(
            frame["key"], frame["seq"], frame["text"], frame["boilerplate"], strict=True
        ):
            words = article_words(text, [(s["start"], s["end"]) for s in boilerplate])
            values = fingerprint(words).hashvalues.astype(np.uint32)
            out.append(
                (
                    key,
                    seq,
                    [_band_hash(i, values[i * rows : (i + 1) * rows]) for i in range(bands)],
                    values.astype(np.int64).tolist(),
                    paragraph_digests(words),
                )
            )
        yield pd.DataFrame(out, columns=["key", "seq", "bands", "signature", "digests"])


def _band_hash(band: int, values: np.ndarray) -> int:
    digest = hashlib.blake2b(values.tobytes(), digest_size=8, person=band.to_bytes(4, "big"))
    return int.from_bytes(digest.digest(), "big", signed=True)


def _candidates(prints: DataFrame) -> DataFrame:
    """(origin, copy) pairs worth aligning: LSH band mates estimated similar enough, and
    articles sharing paragraphs; the origin always the earlier."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    def earlier_mates(column: str, most: int) -> DataFrame:
        members = prints.select("key", "seq", F.posexplode(column).alias("slot", "value"))
        if column == "digests":
            members = members.drop("slot").withColumn("slot", F.lit(0))
        members = members.withColumn(
            "rank", F.row_number().over(Window.partitionBy("slot", "value").orderBy("seq"))
        )
        origins = members.where(F.col("rank") <= most).select(
            "slot", "value", F.col("key").alias("origin"), F.col("rank").alias("origin_rank")
        )
        return origins.join(members, ["slot", "value"]).where(F.col("origin_rank") < F.col("rank"))

    signature = prints.select("key", "seq", "signature")
    lsh = earlier_mates("bands", BUCKET_ORIGINS).select("origin", F.col("key").alias("copy"))
    lsh = (
        lsh.distinct()
        .join(signature.toDF("origin", "origin_seq", "a"), "origin")
        .join(signature.toDF("copy", "copy_seq", "b"), "copy")
        .withColumn(
            "estimate",
            F.expr(f"size(filter(zip_with(a, b, (x, y) -> x = y), e -> e)) / {NUM_PERM}"),
        )
        .where(F.col("estimate") >= MIN_ESTIMATE)
    )
    lsh = _top(lsh, F.col("estimate").desc(), MAX_CANDIDATES)
    shared = (
        earlier_mates("digests", PARAGRAPH_SHARERS)
        .groupBy("origin", F.col("key").alias("copy"))
        .count()
        .join(
            signature.select(F.col("key").alias("origin"), F.col("seq").alias("origin_seq")),
            "origin",
        )
    )
    shared = _top(shared, F.col("count").desc(), MAX_PARAGRAPH_CANDIDATES)
    return lsh.select("origin", "copy").union(shared.select("origin", "copy")).distinct()


def _top(pairs: DataFrame, score, most: int) -> DataFrame:
    """Each copy's ``most`` best origins by ``score``, the earliest first on a tie."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    order = Window.partitionBy("copy").orderBy(score, F.col("origin_seq"))
    return pairs.withColumn("n", F.row_number().over(order)).where(F.col("n") <= most)


def _verified(articles: DataFrame, pairs: DataFrame) -> DataFrame:
    """Each candidate pair aligned word by word: the relation, or no row."""
    from pyspark.sql import functions as F

    texts = articles.select("key", "text", "boilerplate")
    joined = pairs.join(texts.toDF("origin", "origin_text", "origin_boilerplate"), "origin").join(
        texts.toDF("copy", "copy_text", "copy_boilerplate"), "copy"
    )
    return (
        joined.select(
            "origin", "copy", "origin_text", "origin_boilerplate", "copy_text", "copy_boilerplate"
        )
        .mapInPandas(related, RELATION_SCHEMA)
        .withColumn("alignment", F.from_json("alignment", ALIGNMENT_SCHEMA))
    )


def related(frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``mapInPandas``: ``compare.relate`` on each pair, as the single-machine path does."""
    import pandas as pd

    def words(text: str, boilerplate) -> list:
        return article_words(text, [(s["start"], s["end"]) for s in boilerplate])

    for frame in frames:
        out = []
        for row in frame.itertuples(index=False):
            relation = relate(
                words(row.origin_text, row.origin_boilerplate),
                words(row.copy_text, row.copy_boilerplate),
            )
            if relation is not None:
                alignment = json.dumps(relation.alignment.to_json(), ensure_ascii=False)
                out.append(
                    (row.origin, row.copy, relation.relation, relation.similarity,
                     relation.spin_score, alignment)
                )  # fmt: skip
        yield pd.DataFrame(out, columns=RELATION_COLUMNS)


RELATION_COLUMNS = ["origin", "copy", "relation", "similarity", "spin_score", "alignment"]


def _best(relations: DataFrame, articles: DataFrame) -> DataFrame:
    """Each copy's best origin (the highest similarity, then the earliest), with ids."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    ids = articles.select("key", "id", "seq")
    ranked = relations.join(ids.toDF("origin", "copy_of", "origin_seq"), "origin")
    order = Window.partitionBy("copy").orderBy(F.col("similarity").desc(), "origin_seq")
    best = ranked.withColumn("n", F.row_number().over(order)).where(F.col("n") == 1)
    return best.join(ids.toDF("copy", "article", "seq").drop("seq"), "copy").select(
        F.col("copy").alias("key"),
        "article",
        F.col("origin").alias("copy_of_key"),
        "copy_of",
        "relation",
        "similarity",
        "spin_score",
        "alignment",
    )
