"""``onrecord spark extract``: a corpus extracted on Apache Spark into Parquet tables."""

from __future__ import annotations

import argparse

from onrecord.interfaces.cli.options import USAGE, Commands, add_command
from onrecord.interfaces.cli.output import (
    EXIT_FAILURE,
    EXIT_INPUT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    error,
    problem_line,
)
from onrecord.settings import Settings

SPARK_HELP = """\
Run onrecord on Apache Spark (pip install 'onrecord[spark]'; Java 17). One command:
`onrecord spark extract INPUT... --output DIR` (see its --help); then load DIR into a
database with `onrecord ingest DIR --db ...`.
"""

EXTRACT_HELP = """\
Extract attributions from a corpus on Apache Spark into Parquet tables under DIR:

  articles/      id, url, outlet, published, content hash, text, boilerplate, pipeline
                 version, input and place in it; partitioned by month=YYYY-MM (or undated)
  attributions/  every field of `onrecord extract`'s JSON (spans as list<struct<start,
                 end>>), the article's key and id; partitioned by month
  errors/        one row per unreadable input or record, and per record the pipeline
                 failed on (with its text): the job goes on
  copies/        articles that copy an earlier one: copy_of, relation (exact, near, spun,
                 partial), similarity, spin score, alignment

INPUT: files, directories (searched recursively) or globs of .txt, .html, .jsonl,
.warc/.warc.gz (and feeds) on any path Spark reads (file:, hdfs://, s3a://...), one Spark
task per file, read as a stream. The model is loaded once per Python worker.

Runs are resumable and idempotent: inputs are done in rounds, each committed whole
(DIR/_commits/); a re-run skips inputs committed before with the same size and
modification time, and a run killed anywhere and started again writes what an
uninterrupted run writes. Load the result into a database with `onrecord ingest DIR`.
"""

EXAMPLES = (
    "onrecord spark extract corpus/ --output run/ --master local[2]",
    "onrecord spark extract 'crawl/*.warc.gz' --output hdfs:///news/run --master yarn",
    "spark-submit --master spark://host:7077 $(python -m onrecord.interfaces.spark_submit) \\",
    "    extract s3a://bucket/ccnews/2024-03/ --output s3a://bucket/onrecord/2024-03",
    "onrecord ingest run/ --db postgresql://me:secret@localhost/news",
)

EXIT_CODES = (
    (EXIT_OK, "every input processed"),
    (EXIT_INPUT_ERRORS, "some inputs or records unreadable (see DIR/errors); the rest written"),
    USAGE,
    (EXIT_FAILURE, "nothing done: pyspark or Java missing, the model not loaded, or Spark failed"),
)


def add_commands(commands: Commands, settings: Settings) -> None:
    group = add_command(
        commands,
        "spark",
        summary="run on Apache Spark (extract a corpus into Parquet)",
        description=SPARK_HELP,
        examples=EXAMPLES,
        exit_codes=EXIT_CODES,
        run=run_spark_extract,
    )
    spark_commands = group.add_subparsers(title="commands", required=True, metavar="COMMAND")
    p = add_command(
        spark_commands,
        "extract",
        summary="extract a corpus into Parquet tables on Spark",
        description=EXTRACT_HELP,
        examples=EXAMPLES,
        exit_codes=EXIT_CODES,
        run=run_spark_extract,
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, directories or globs")
    p.add_argument("--output", "-o", required=True, metavar="DIR", help="where the tables go")
    p.add_argument(
        "--master",
        metavar="URL",
        help="local[N], spark://host:port, yarn... (default: spark-submit's, else local[*])",
    )
    p.add_argument(
        "--model", metavar="DIR", help="model directory from `onrecord train` (default: shipped)"
    )
    p.add_argument(
        "--files-per-round",
        type=int,
        metavar="N",
        help="input files committed together (default: 8 per core)",
    )
    p.add_argument(
        "--no-copies", action="store_true", help="do not look for copies across the output"
    )


def run_spark_extract(args: argparse.Namespace) -> int:
    import sys

    from onrecord.extraction.tagger import ModelNotFoundError, read_meta
    from onrecord.spark.session import SparkUnavailable, spark_session

    if args.files_per_round is not None and args.files_per_round < 1:
        error("--files-per-round must be at least 1")
        return EXIT_USAGE
    try:
        read_meta(args.model)
        spark = spark_session(args.master)
    except (SparkUnavailable, ModelNotFoundError) as exc:
        error(str(exc))
        return EXIT_FAILURE
    from onrecord.spark.extract import extract_to_parquet

    try:
        summary = extract_to_parquet(
            spark,
            args.inputs,
            args.output,
            model=args.model,
            files_per_round=args.files_per_round,
            copies=not args.no_copies,
        )
    except Exception as exc:  # Spark's own failures (the cluster, the output's file system)
        error(f"the Spark job failed: {' '.join(str(exc).split())[:500]}")
        return EXIT_FAILURE
    for line in summary.missing:
        problem_line(f"error: {line}")
    print(
        f"{summary.done} inputs extracted ({summary.skipped} done before): "
        f"{summary.articles} articles, {summary.attributions} attributions, "
        f"{summary.errors} errors; output: {args.output}",
        file=sys.stderr,
    )
    failed = summary.missing or summary.errors
    return EXIT_INPUT_ERRORS if failed else EXIT_OK
