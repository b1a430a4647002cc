"""``onrecord ingest``: articles extracted and written to a database, resumably."""

from __future__ import annotations

import argparse

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
"""

EXAMPLES = (
    "onrecord ingest corpus/ feeds.jsonl --db news.sqlite     store a corpus (resumable)",
    "onrecord ingest corpus/ --db postgresql://me:secret@localhost/news",
    "cat news.jsonl | onrecord ingest - --db news.sqlite           standard input",
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
    import sys

    from onrecord.pipeline.ingest import ingest
    from onrecord.store import IngestCounts, StoreError

    if args.batch_size < 1:
        error("--batch-size must be at least 1")
        return EXIT_USAGE
    store = open_store(args.db, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    extractor = load_extractor(args)
    if extractor is None:
        return EXIT_FAILURE
    inputs = Inputs(args.inputs, walk=True)
    total = IngestCounts()
    bar = progress_bar("ingesting")
    try:
        for batch, counts in ingest(store, extractor, inputs, args.batch_size):
            for field in COUNTED:
                setattr(total, field, getattr(total, field) + getattr(counts, field))
            bar.update(len(batch))
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    finally:
        bar.close()
    print(
        f"{total.added} articles added ({total.versions} as new versions), "
        f"{total.unchanged} already stored, {total.attributions} attributions; "
        f"database: {args.db}",
        file=sys.stderr,
    )
    return EXIT_INPUT_ERRORS if inputs.failed else EXIT_OK
