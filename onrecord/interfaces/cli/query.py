"""Reading a database made by ``onrecord ingest``: ``search``, ``speaker``, ``claim``,
``article`` and ``copies``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from onrecord.interfaces.cli.options import USAGE, Commands, add_command, add_db_option, iso_date
from onrecord.interfaces.cli.output import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    error,
    json_line,
    output_format,
    write_rows,
    write_table,
)
from onrecord.interfaces.cli.resources import open_store
from onrecord.settings import Settings

if TYPE_CHECKING:
    from pydantic import BaseModel

ROWS = """\
Rows: published, outlet, article, speaker, cue, content, claim, sources, seen (and source,
kind, via, url in jsonl and csv). "claim" is the KEY of `onrecord claim`.
"""

SEARCH_HELP = (
    """\
Search what was said: the claims with a statement whose content or speaker has every
one of WORDS, in a database made by `onrecord ingest`. Words are matched as words
(stemmed): quotes, operators and SQL in the query are ignored.

A claim is one speaker saying one thing, however many articles carry it. Each row is a
claim shown by the latest statement of it that matches, with "sources", the number of
distinct outlets carrying it once copies and reprints are followed back to their origin,
and "seen", the number of statements.

"""
    + ROWS
)

SPEAKER_HELP = (
    """\
What a speaker said: the claims of every speaker whose name or a name variant has NAME
("Kirby" finds "John Kirby"), in a database made by `onrecord ingest`, in the order they
were first made.

A claim is one speaker saying one thing, however many articles carry it. Each row is a
claim shown by its first statement, with "sources", the number of distinct outlets
carrying it once copies and reprints are followed back to their origin, and "seen", the
number of statements.

"""
    + ROWS
)

CLAIM_HELP = """\
One claim of a database made by `onrecord ingest`: who made it, how many statements carry
it and from how many independent sources, then every statement of it, oldest first, with
the outlet it is credited to once copies are followed back, and its copy relation if any.
KEY is the "claim" column of `onrecord search` and `onrecord speaker` rows.
"""

ARTICLE_HELP = """\
One article of a database made by `onrecord ingest`, with its attributions: a table
(speaker | cue | content) on a terminal, or the JSON line `onrecord extract` writes.
ID is the "article" column of `onrecord search` and `onrecord speaker` rows.
"""

COPIES_HELP = """\
Show the earlier article that a stored article copies: the relation (exact, near, spun or
partial), similarity, spin score, and the alignment: words substituted side by side,
passages inserted and dropped. An article that copies none says so (in jsonl:
{"article": ID, "copy_of": null}).
"""

QUERY_FORMATS = "table on a terminal, jsonl otherwise (default); csv for spreadsheets"
RECORD_FORMATS = "table on a terminal, jsonl otherwise (default)"

NO_DATABASE = "the database is missing or could not be read"
QUERY_EXIT_CODES = (
    (EXIT_OK, "rows written (none is not an error)"),
    (EXIT_USAGE, "bad command line, or a query or page size the store refuses"),
    (EXIT_FAILURE, NO_DATABASE),
)


def add_commands(commands: Commands, settings: Settings) -> None:
    _add_query(
        commands,
        "search",
        "WORDS",
        summary="search what was said",
        description=SEARCH_HELP,
        examples=(
            'onrecord search "troops Kyiv" --db news.sqlite --since 2022-03-01',
            'onrecord search "support cables" --db news.sqlite --outlet bbc.co.uk',
            "onrecord search police --db news.sqlite --limit 50 --offset 50    the next page",
        ),
        settings=settings,
    )
    _add_query(
        commands,
        "speaker",
        "NAME",
        summary="what a speaker said",
        description=SPEAKER_HELP,
        examples=(
            "onrecord speaker Kirby --db news.sqlite",
            "onrecord speaker Kirby --db news.sqlite --format csv > kirby.csv",
        ),
        settings=settings,
    )

    p = _add_record(
        commands,
        "claim",
        summary="one claim: every statement of it and the outlets it comes from",
        description=CLAIM_HELP,
        examples=("onrecord claim 1 --db news.sqlite",),
        missing="no claim KEY",
        run=run_claim,
    )
    p.add_argument("claim", type=int, metavar="KEY", help="the claim column of search results")

    p = _add_record(
        commands,
        "copies",
        summary="the earlier article a stored one copies, aligned word by word",
        description=COPIES_HELP,
        examples=("onrecord copies spun-article-id --db news.sqlite",),
        missing="no article ID",
        run=run_copies,
    )
    p.add_argument("article_id", metavar="ID", help="the id of a stored article")

    p = _add_record(
        commands,
        "article",
        summary="one stored article with its attributions",
        description=ARTICLE_HELP,
        examples=("onrecord article eastport/mayor --db news.sqlite",),
        missing="no article ID",
        run=run_article,
    )
    p.add_argument("article_id", metavar="ID", help="the article column of search results")


def _add_query(
    commands: Commands, name: str, what: str, *, settings: Settings, **help_text: Any
) -> None:
    p = add_command(commands, name, exit_codes=QUERY_EXIT_CODES, run=run_query, **help_text)
    p.add_argument("query", metavar=what)
    add_db_option(p)
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--outlet", metavar="NAME", help="only articles from this outlet")
    p.add_argument(
        "--limit",
        type=int,
        default=settings.page_size,
        help=f"rows per page, at most {settings.max_page} (default: {settings.page_size})",
    )
    p.add_argument("--offset", type=int, default=0, help="rows to skip (default: 0)")
    p.add_argument("--format", choices=("table", "jsonl", "csv"), help=QUERY_FORMATS)
    p.set_defaults(command=name)


def _add_record(
    commands: Commands, name: str, *, missing: str, **help_and_run: Any
) -> argparse.ArgumentParser:
    """A command that shows one stored record as a table or a JSON line."""
    exit_codes = (
        (EXIT_OK, "shown"),
        USAGE,
        (EXIT_FAILURE, f"{NO_DATABASE}, or it has {missing}"),
    )
    p = add_command(commands, name, exit_codes=exit_codes, **help_and_run)
    add_db_option(p)
    p.add_argument("--format", choices=("table", "jsonl"), help=RECORD_FORMATS)
    return p


def run_query(args: argparse.Namespace) -> int:
    from onrecord.store import QueryError, StoreError

    store = open_store(args.db, must_exist=True, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    find = store.search if args.command == "search" else store.speaker
    try:
        rows = find(
            args.query,
            since=args.since,
            until=args.until,
            outlet=args.outlet,
            limit=args.limit,
            offset=args.offset,
        )
    except QueryError as exc:
        error(str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    write_rows(rows, output_format(args.format, sys.stdout), sys.stdout)
    return EXIT_OK


def run_claim(args: argparse.Namespace) -> int:
    from onrecord.interfaces.table import format_claim

    return _show_record(args, lambda store: store.claim(args.claim), lambda r: r, format_claim)


def run_copies(args: argparse.Namespace) -> int:
    from onrecord.interfaces.table import format_copy
    from onrecord.schema import NoCopy

    return _show_record(
        args,
        lambda store: store.copy_of(args.article_id),
        lambda found: found or NoCopy(article=args.article_id),
        lambda found: format_copy(args.article_id, found),
    )


def _show_record(
    args: argparse.Namespace,
    find: Callable[[Any], Any],
    as_json: Callable[[Any], BaseModel],
    as_table: Callable[[Any], str],
) -> int:
    """One stored record (a claim, a copy relation) as a table or a JSON line; a record
    the store does not have is a one-line error."""
    from onrecord.store import QueryError

    store = open_store(args.db, must_exist=True, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    try:
        found = find(store)
    except QueryError as exc:
        error(f"{exc} in {args.db}")
        return EXIT_FAILURE
    if output_format(args.format, sys.stdout) == "jsonl":
        print(json_line(as_json(found)))
    else:
        write_table(as_table(found), sys.stdout)
    return EXIT_OK


def run_article(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=True, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    article = store.article(args.article_id)
    if article is None:
        error(f"no article {args.article_id!r} in {args.db}")
        return EXIT_FAILURE
    if output_format(args.format, sys.stdout) == "jsonl":
        print(json_line(article))
    else:
        from onrecord.interfaces.table import format_article

        write_table(format_article(article), sys.stdout)
    return EXIT_OK
