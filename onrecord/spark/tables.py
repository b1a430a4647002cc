"""The Parquet tables of a Spark run, defined once: their Spark schemas, and how an Article
becomes their rows and their rows become an Article again.

    articles       one row per article: key, id, url, outlet, published, content hash, text,
                   boilerplate, pipeline version, the input it came from and its place there
    attributions   one row per attribution: every field of the JSONL schema
                   (``Attribution.to_json()``), spans as list<struct<start, end>>, with the
                   article's key and id and its ordinal among the article's attributions
                   (``fidelity``, decided in a store and null from extraction, as JSON)
    errors         one row per problem: the input, the place in it, severity, message, and
                   for a record the pipeline failed on, its id and text
    copies         one row per article that copies an earlier one (``onrecord.spark.copies``)

``articles`` and ``attributions`` are partitioned by publication month (``month=YYYY-MM``,
``month=undated``). An article's ``key`` is a digest of its input's address and its place
in that input: the same input read again gives the same keys, so runs compare as sets.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from onrecord.document import Article, Attribution
from onrecord.store import content_hash

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

TABLES = ("articles", "attributions", "errors")
MONTH = "month"
UNDATED = "undated"
# Texts are kept whole in `articles`; a failed record's text in `errors` is cut here.
MAX_ERROR_RECORD_CHARS = 100_000
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def article_key(input_uri: str, position: int) -> str:
    """A stable key for the ``position``-th article of an input."""
    return hashlib.sha1(f"{input_uri}\n{position}".encode()).hexdigest()[:24]


def month_of(published: str | None) -> str:
    match = _MONTH.match(published or "")
    return f"{match.group(1)}-{match.group(2)}" if match else UNDATED


# -- rows (plain dicts, JSON-ready) -------------------------------------------------------


def _spans(fragments: list) -> list[dict[str, int]]:
    return [{"start": int(s), "end": int(e)} for s, e in fragments]


def article_row(article: Article, key: str, input_uri: str, position: int, version: str) -> dict:
    return {
        "key": key,
        "id": article.id,
        "url": article.url,
        "outlet": article.outlet,
        "published": article.published,
        "content_hash": content_hash(article.text),
        "text": article.text,
        "boilerplate": _spans(article.boilerplate),
        "pipeline_version": version,
        "input": input_uri,
        "position": position,
    }


def attribution_row(key: str, article_id: str, ordinal: int, a: Attribution) -> dict:
    """Every field of ``Attribution.to_json()``, offsets as {start, end}."""
    row = a.to_json()
    for field in ("source", "cue", "content"):
        row[field] = _spans(row[field])
    for confidence in row["confidence"]:
        start, end = confidence["span"]
        confidence["span"] = {"start": start, "end": end}
    # Quote fidelity is decided in a store (null from extraction): kept as its JSON.
    if row.get("fidelity") is not None:
        row["fidelity"] = json.dumps(row["fidelity"], ensure_ascii=False)
    return {"key": key, "article": article_id, "ordinal": ordinal, **row}


def error_row(
    input_uri: str,
    place: str,
    severity: str,
    message: str,
    article_id: str | None = None,
    record: str | None = None,
) -> dict:
    if record is not None:
        record = record[:MAX_ERROR_RECORD_CHARS]
    return {
        "input": input_uri,
        "place": place,
        "severity": severity,
        "message": message,
        "article": article_id,
        "record": record,
    }


# -- rows back to the pipeline's records -----------------------------------------------------


def _fragments(spans: Any) -> list[tuple[int, int]]:
    return [(int(s["start"]), int(s["end"])) for s in spans or []]


def attribution_json(row: dict) -> dict:
    """An ``attributions`` row as ``Attribution.to_json()`` writes it."""
    data = {k: row.get(k) for k in ATTRIBUTION_FIELDS}
    for field in ("source", "cue", "content"):
        data[field] = [list(f) for f in _fragments(row[field])]
    data["via"] = list(row["via"] or [])
    data["confidence"] = [
        {**c, "span": [c["span"]["start"], c["span"]["end"]]} for c in row["confidence"] or []
    ]
    data["fidelity"] = json.loads(row["fidelity"]) if row.get("fidelity") else None
    return data


def to_article(row: dict, attributions: list[dict]) -> Article:
    """An ``articles`` row and its ``attributions`` rows (in ordinal order) as an Article."""
    return Article(
        id=row["id"],
        text=row["text"],
        attributions=[Attribution.from_json(attribution_json(a)) for a in attributions],
        boilerplate=_fragments(row["boilerplate"]),
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
    )


# -- Spark schemas (pyspark imported only when they are asked for) -------------------------

ATTRIBUTION_FIELDS = (
    "source", "cue", "content", "speaker", "speaker_type", "speaker_role", "speaker_org",
    "speaker_score", "anonymous", "anonymity", "via", "confidence", "kind", "score", "parent",
    "fidelity",
)  # fmt: skip


def schemas() -> dict[str, StructType]:
    """The Spark schema of each table, without the ``month`` partition column."""
    from pyspark.sql.types import (
        ArrayType,
        BooleanType,
        DoubleType,
        IntegerType,
        StringType,
        StructField,
        StructType,
    )

    def struct(**fields: Any) -> StructType:
        return StructType([StructField(name, kind) for name, kind in fields.items()])

    text, number, flag = StringType(), DoubleType(), BooleanType()
    span = struct(start=IntegerType(), end=IntegerType())
    spans = ArrayType(span)
    confidence = struct(
        term=text, low=number, high=number, yardstick=text, hedged=flag, negated=flag, span=span
    )
    return {
        "articles": struct(
            key=text, id=text, url=text, outlet=text, published=text, content_hash=text,
            text=text, boilerplate=spans, pipeline_version=text, input=text,
            position=IntegerType(),
        ),
        "attributions": struct(
            key=text, article=text, ordinal=IntegerType(), source=spans, cue=spans,
            content=spans, speaker=text, speaker_type=text, speaker_role=text,
            speaker_org=text, speaker_score=number, anonymous=flag, anonymity=text,
            via=ArrayType(text), confidence=ArrayType(confidence), kind=text, score=number,
            parent=IntegerType(), fidelity=text,
        ),
        "errors": struct(
            input=text, place=text, severity=text, message=text, article=text, record=text
        ),
    }  # fmt: skip


# What the extraction's tasks emit: one row per table row, its table (``kind``), its
# month and its content as JSON, parsed into the table's schema when the round is split.
STAGE_SCHEMA = "input STRING, kind STRING, month STRING, payload STRING"
