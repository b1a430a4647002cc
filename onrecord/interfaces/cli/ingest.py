"""``onrecord ingest``: articles extracted and written to a database, resumably."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from onrecord.interfaces.cli.options import (
    USAGE,
    Commands,
    add_command,
    add_db_option,
    add_model_options,
)
from onrecord.interfaces.cli.output import (
    EXIT_FAILURE,
    EXIT_INPUT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    error,
    progress_bar,
)
from onrecord.interfaces.cli.resources import Inputs, load_extractor, open_store
from onrecord.settings import Settings

if TYPE_CHECKING:
    from onrecord.store import IngestCounts, Store

INGEST_HELP = """\
Extract attributions from articles and store them in a database: SQLite by default
(--db FILE, nothing to set up) or PostgreSQL (--db postgresql://user:password@host/db).

PATH: .txt, .html/.htm, .jsonl, .warc/.warc.gz and .rss/.atom/.xml files, directories
(searched recursively for those), or - for standard input. JSONL records may carry
"url", "outlet" (default: the URL's host) and "published" (an ISO date); WARC records and
feed entries bring their URL (and feeds their title and dates). These are what --since,
--until and --outlet filter on.

Ingest is idempotent and resumable: an article whose text is already stored is skipped
before extraction, and each batch of articles is written in one transaction, so an
interrupted run leaves whole articles only and a re-run picks up where it stopped. The
same URL (or id) with a changed text is stored as a new version. A summary line goes to
stderr at the end.

PATH may also be the output directory of `onrecord spark extract` (pyspark needed): its
articles are stored with the attributions and copies the Spark run found, in
publication order and in batches, with claims grouped as on any ingest; idempotently.
"""

EXAMPLES = (
    "onrecord ingest corpus/ feeds.jsonl --db news.sqlite     store a corpus (resumable)",
    "onrecord ingest corpus/ --db postgresql://me:secret@localhost/news",
    "cat news.jsonl | onrecord ingest - --db news.sqlite           standard input",
    "onrecord ingest spark-run/ --db postgresql://me@localhost/news   a Spark run's Parquet",
)

EXIT_CODES = (
    (EXIT_OK, "every input stored (warnings may have been printed)"),
    (EXIT_INPUT_ERRORS, "some inputs were unreadable; the rest were stored"),
    USAGE,
    (EXIT_FAILURE, "the database could not be opened or written, or the model not loaded"),
)

COUNTED = ("added", "versions", "unchanged", "attributions")


def add_commands(commands: Commands, settings: Settings) -> None:
    p = add_command(
        commands,
        "ingest",
        summary="extract articles into a database",
        description=INGEST_HELP,
        examples=EXAMPLES,
        exit_codes=EXIT_CODES,
        run=run_ingest,
    )
    p.add_argument("inputs", nargs="+", metavar="PATH", help="files or directories; - for stdin")
    add_db_option(p)
    p.add_argument(
        "--batch-size",
        type=int,
        default=settings.ingest_batch,
        metavar="N",
        help=f"articles per transaction (default: {settings.ingest_batch})",
    )
    add_model_options(p)


def run_ingest(args: argparse.Namespace) -> int:
    from onrecord.pipeline.ingest import ingest
    from onrecord.store import IngestCounts, StoreError

    if args.batch_size < 1:
        error("--batch-size must be at least 1")
        return EXIT_USAGE
    store = open_store(args.db, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    if any(is_spark_run(path) for path in args.inputs):
        return _load_spark_runs(args, store)
    extractor = load_extractor(args)
    if extractor is None:
        return EXIT_FAILURE
    inputs = Inputs(args.inputs, walk=True)
    total = IngestCounts()
    bar = progress_bar("ingesting")
    try:
        for batch, counts in ingest(store, extractor, inputs, args.batch_size):
            _add(total, counts)
            bar.update(len(batch))
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    finally:
        bar.close()
    _summary(total, args.db)
    return EXIT_INPUT_ERRORS if inputs.failed else EXIT_OK


def _add(total: IngestCounts, counts: IngestCounts) -> None:
    for field in COUNTED:
        setattr(total, field, getattr(total, field) + getattr(counts, field))


def _summary(total: IngestCounts, db: str) -> None:
    import sys

    print(
        f"{total.added} articles added ({total.versions} as new versions), "
        f"{total.unchanged} already stored, {total.attributions} attributions; "
        f"database: {db}",
        file=sys.stderr,
    )


def is_spark_run(path: str) -> bool:
    """The output of `onrecord spark extract`: it has commit records (a remote URI is
    taken for one: nothing else here reads those)."""
    from pathlib import Path

    if "://" in path and not path.startswith("file:"):
        return True
    return (Path(path.removeprefix("file:")) / "_commits").is_dir()


def _load_spark_runs(args: argparse.Namespace, store: Store) -> int:
    """Every PATH a Spark run: each loaded into the store (``onrecord.spark.load``)."""
    from onrecord.spark.session import SparkUnavailable, spark_session
    from onrecord.store import IngestCounts, StoreError

    if not all(is_spark_run(path) for path in args.inputs):
        error("a Spark run's output is ingested alone: pass only such directories")
        return EXIT_USAGE
    try:
        spark = spark_session()
    except SparkUnavailable as exc:
        error(str(exc))
        return EXIT_FAILURE
    from onrecord.spark.load import load_run

    total = IngestCounts()
    bar = progress_bar("loading")
    try:
        for path in args.inputs:
            for size, counts in load_run(spark, path, store, args.batch_size):
                _add(total, counts)
                bar.update(size)
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    finally:
        bar.close()
    _summary(total, args.db)
    return EXIT_OK
