"""``onrecord spark extract``: inputs on any file system to the Parquet tables, on Spark.

A run lists its inputs, leaves out those a commit record says are done (same address,
size and modification time), and extracts the rest in rounds of ``files_per_round``
files: one Spark task per file (``worker.extract_files`` in ``mapInPandas``), staged,
split into the tables and committed (``commits``). A round whose job fails (a worker that
keeps dying on one file) is run again file by file, and a file that still fails is
committed as an ``errors`` row: one input never fails the run. Then the copies across the
whole output are found again (``copies``), unless told not to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from onrecord import __version__
from onrecord.readers import MAX_ARTICLE_CHARS
from onrecord.spark.commits import ROUNDS, Commit, InputDone, commit, new_run, recover
from onrecord.spark.files import Files
from onrecord.spark.inputs import InputFile, list_inputs
from onrecord.spark.tables import STAGE_SCHEMA, TABLES, error_row, schemas
from onrecord.spark.worker import TaskOptions, extract_files

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

ROUNDS_PER_CORE = 8  # files per round: this many per core, so every core stays busy


@dataclass
class RunSummary:
    listed: int = 0
    skipped: int = 0  # done by an earlier run
    done: int = 0
    articles: int = 0
    attributions: int = 0
    errors: int = 0
    failed_inputs: int = 0  # committed as an error: the job failed on them
    missing: list[str] = field(default_factory=list)


def extract_to_parquet(
    spark: SparkSession,
    inputs: list[str],
    output: str,
    *,
    model: str | None = None,
    files_per_round: int | None = None,
    max_chars: int = MAX_ARTICLE_CHARS,
    copies: bool = True,
) -> RunSummary:
    """Extract ``inputs`` (paths, directories, globs) into the tables under ``output``."""
    files = Files(spark)
    output = files.qualified(output).rstrip("/")
    done = {item.identity for c in recover(files, output) for item in c.inputs}
    listed, missing = list_inputs(files, inputs)
    pending = [f for f in listed if f.identity not in done]
    summary = RunSummary(len(listed), len(listed) - len(pending), missing=missing)
    options = TaskOptions(model, max_chars, pipeline_version(model))
    size = files_per_round or ROUNDS_PER_CORE * spark.sparkContext.defaultParallelism
    for start in range(0, len(pending), size):
        for record in _run_round(spark, files, output, pending[start : start + size], options):
            _count(summary, record)
    if copies and (summary.done or not files.exists(f"{output}/copies/_SUCCESS")):
        from onrecord.spark.copies import find_copies

        if files.exists(f"{output}/articles"):
            find_copies(spark, output)
    return summary


def pipeline_version(model: str | None) -> str:
    """onrecord's version and the model's name and version, as the articles record it."""
    from onrecord.extraction.tagger import read_meta

    directory, meta = read_meta(model)
    return (
        f"onrecord {__version__}; model {meta.get('name', directory.name)} "
        + str(meta.get("version", "")).strip()
    )


def _count(summary: RunSummary, record: Commit) -> None:
    for item in record.inputs:
        summary.done += 1
        summary.articles += item.articles
        summary.attributions += item.attributions
        summary.errors += item.errors


def _run_round(
    spark: SparkSession, files: Files, output: str, inputs: list[InputFile], options: TaskOptions
) -> list[Commit]:
    """Commit a round; should its job fail, each file alone, and a file that fails alone
    as an error row."""
    try:
        return [_commit_round(spark, files, output, inputs, _extracted(spark, inputs, options))]
    except Exception as exc:
        if _is_interrupt(exc):
            raise
        if len(inputs) > 1:
            return [c for f in inputs for c in _run_round(spark, files, output, [f], options)]
        failed = _failed(spark, inputs[0], exc)
        record = _commit_round(spark, files, output, inputs, failed)
        return [record]


def _extracted(spark: SparkSession, inputs: list[InputFile], options: TaskOptions) -> DataFrame:
    """The round's staged rows: one partition, so one task, per input file."""
    # One file per Arrow batch into the task: its rows leave in frames of bounded size.
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "1")
    rows = [(f.uri, f.name, f.id) for f in inputs]
    listing = spark.sparkContext.parallelize(rows, len(rows))
    frame = spark.createDataFrame(listing, "uri STRING, name STRING, id STRING")
    return frame.mapInPandas(partial(extract_files, options), STAGE_SCHEMA)


def _failed(spark: SparkSession, item: InputFile, exc: Exception) -> DataFrame:
    reason = " ".join(str(exc).split())[:300]
    row = error_row(item.uri, item.name, "error", f"the task failed on this file: {reason}")
    return spark.createDataFrame([(item.uri, "errors", "", json.dumps(row))], STAGE_SCHEMA)


def _commit_round(
    spark: SparkSession, files: Files, output: str, inputs: list[InputFile], staged: DataFrame
) -> Commit:
    from pyspark.sql import functions as F

    run = new_run()
    root = f"{output}/{ROUNDS}/{run}"
    files.delete(root)
    staged.write.parquet(f"{root}/stage")  # the extraction runs here, once
    stage = spark.read.schema(STAGE_SCHEMA).parquet(f"{root}/stage")
    for table, schema in schemas().items():
        rows = stage.where(F.col("kind") == table).select(
            F.from_json("payload", schema).alias("row"), "month"
        )
        if table == "errors":
            rows.select("row.*").write.parquet(f"{root}/{table}")
        else:
            rows.select("row.*", "month").write.partitionBy("month").parquet(f"{root}/{table}")
    record = Commit(run, _inputs_done(stage, inputs), _moves(files, root, output))
    commit(files, output, record)
    return record


def _inputs_done(stage: DataFrame, inputs: list[InputFile]) -> list[InputDone]:
    from pyspark.sql import functions as F

    severity = F.get_json_object("payload", "$.severity")
    kind = F.when(severity == "warning", "warnings").otherwise(F.col("kind"))
    counts = {
        (row["input"], row["kind"]): row["count"]
        for row in stage.groupBy("input", kind.alias("kind")).count().collect()
    }
    return [
        InputDone(
            f.uri,
            f.size,
            f.mtime,
            **{k: counts.get((f.uri, k), 0) for k in (*TABLES, "warnings")},
        )
        for f in inputs
    ]


def _moves(files: Files, root: str, output: str) -> list[tuple[str, str]]:
    """Each data file of the round's tables and where it goes in the output's."""
    moves = []
    for table in TABLES:
        staged = files.qualified(f"{root}/{table}")
        for found in files.files_under(staged):
            relative = found.uri[len(staged) :].lstrip("/")
            name = relative.rsplit("/", 1)[-1]
            if not name.startswith(("_", ".")):  # _SUCCESS, checksum files
                moves.append((found.uri, f"{output}/{table}/{relative}"))
    return moves


def _is_interrupt(exc: BaseException) -> bool:
    return isinstance(exc, KeyboardInterrupt) or "KeyboardInterrupt" in type(exc).__name__
