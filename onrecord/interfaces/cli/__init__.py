"""The ``onrecord`` command: one module per command group, each with its own help.

    extract.py    extract, speakers      attributions in articles read from files
    ingest.py     ingest                 articles into a database
    query.py      search, speaker, claim, copies, article    reading the database
    quotes.py     quotes, quote          quote fidelity: altered quotes, an article's quotes
    serve.py      serve                  the HTTP API and web UI
    evaluate.py   eval                   scores on PolNeAR or the styles set
    train.py      train                  the attribution model
    spark.py      spark extract          a corpus on Apache Spark, into Parquet

Building the parser imports none of the pipeline, the store or the training code: each
command imports what it needs when it runs, so every ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from onrecord import __version__
from onrecord.interfaces.cli import evaluate, extract, ingest, query, quotes, serve, spark, train
from onrecord.interfaces.cli.options import HelpFormatter, epilog
from onrecord.interfaces.cli.output import (
    EXIT_FAILURE,
    EXIT_INPUT_ERRORS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    error,
    terminal_safe,
)
from onrecord.settings import Settings, SettingsError

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INPUT_ERRORS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "main",
]

COMMAND_GROUPS = (extract, ingest, query, quotes, serve, evaluate, train, spark)

EXAMPLES = (
    "onrecord extract article.txt page.html          a table per article on a terminal",
    "onrecord extract --format jsonl news.jsonl > found.jsonl",
    "onrecord speakers articles/*.txt                who is quoted, across the articles",
    "onrecord ingest corpus/ --db news.sqlite        store a corpus (resumable)",
    'onrecord search "troops Kyiv" --db news.sqlite --since 2022-03-01',
    "onrecord speaker Kirby --db news.sqlite --format csv",
    "onrecord eval --polnear ../shared/data/polnear --split dev",
    "onrecord COMMAND --help                         a command's options, examples, exit codes",
)

EXIT_CODES = (
    (EXIT_OK, "done"),
    (EXIT_INPUT_ERRORS, "some inputs were unreadable; the rest were processed"),
    (EXIT_USAGE, "bad command line"),
    (EXIT_FAILURE, "nothing done: a model, corpus or database could not be loaded"),
    (EXIT_INTERRUPTED, "interrupted"),
)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        error(str(exc))
        return EXIT_USAGE
    args = build_parser(settings).parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("%(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); nothing left to say.
        sys.stderr.close()
        return EXIT_OK


class _SafeFormatter(logging.Formatter):
    """Log lines, like error lines, may quote input: no control characters reach stderr."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record), keep="\n")


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    """The whole command line; ``settings`` (default: these defaults) give the limits and
    defaults that options show and use."""
    settings = settings or Settings()
    parser = argparse.ArgumentParser(
        prog="onrecord",
        description="Who said what: attributed statements in news text.",
        epilog=epilog(EXAMPLES, EXIT_CODES) + _environment(),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"onrecord {__version__}")
    parser.set_defaults(settings=settings)
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_commands(commands, settings)
    return parser


def _environment() -> str:
    """The environment variables: the token, and one per field of the settings."""
    documented = [
        ("ONRECORD_TOKEN", "", "serve: the bearer token (16+ characters) for POST /api/ingest"),
        ("ONRECORD_ALLOWED_HOSTS", "", "serve: more Host names to answer to (comma-separated)"),
        *Settings.documented(),
    ]
    width = max(len(name) for name, _, _ in documented)
    lines = ["", "environment (defaults shown; a command's own option wins over its variable):"]
    lines += [f"  {name:<{width}} {default!s:>8}  {doc}" for name, default, doc in documented]
    return "\n".join(lines) + "\n"
