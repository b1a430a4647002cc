"""Reading a database made by ``onrecord ingest``: ``search``, ``speaker``, ``claim``,
``article`` and ``copies``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from onrecord.interfaces.cli.options import USAGE, Commands, add_command, add_db_option, iso_date
from onrecord.interfaces.cli.output import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    error,
    json_line,
    output_format,
    write_claim_page,
    write_rows,
    write_table,
)
from onrecord.interfaces.cli.resources import open_store
from onrecord.settings import Settings

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
claim shown by its original statement (the first of it stored, not the latest reprint),
the claims whose newest matching statement is newest first (--sort sources: the most
independent sources first), with "sources", the number of distinct outlets carrying it once
copies and reprints are followed back to their origin, and "seen", the number of
statements. The total of matching claims and the page ("6 claims · page 1 of 2") end the
table, and go to stderr with jsonl and csv; --page N (of --limit rows) or --offset moves
through them.

"""
    + ROWS
    + """jsonl rows also have "outlets" (those carrying it, the original's first) and "latest"
(the newest matching statement's date).
"""
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
Show an article's copies in both directions: the earlier article it copies, with the
relation (exact, near, spun or partial), similarity, spin score and the alignment (words
substituted side by side, passages inserted and dropped), then every later stored article
that copies it. Similarity is the share of the shorter text's words aligned with the other
text, swapped words included (a spun copy can score 1.00); the spin score is how much of
the aligned text is single-word swaps.

jsonl: {"article": ID, "copy_of": RELATION or null, "copied_by": [RELATION, ...]}; csv: one
row per relation (direction, article, copy_of, relation, similarity, spin_score, swaps).
"""

QUERY_FORMATS = "table on a terminal, jsonl otherwise (default); csv for spreadsheets"
RECORD_FORMATS = "table on a terminal, jsonl otherwise (default); csv: one row per {}"
FORMAT_NOTES = {"jsonld": "schema.org Claim JSON-LD with every appearance"}

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
            "onrecord search troops Kyiv --db news.sqlite --since 2022-03-01",
            "onrecord search Kirby OR Zelensky --db news.sqlite    OR is a word: all must match",
            'onrecord search "support cables" --db news.sqlite --outlet bbc.co.uk',
            "onrecord search police --db news.sqlite --limit 50 --page 2      the next page",
            "onrecord search police --db news.sqlite --sort sources    most sources first",
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
            "onrecord speaker John Kirby --db news.sqlite --format jsonl > kirby.jsonl",
            "onrecord speaker Kirby --db news.sqlite --format csv > kirby.csv",
        ),
        settings=settings,
    )

    p = _add_record(
        commands,
        "claim",
        summary="one claim: every statement of it and the outlets it comes from",
        description=CLAIM_HELP,
        examples=(
            "onrecord claim 1 --db news.sqlite",
            "onrecord claim 1 --db news.sqlite --format csv > claim-1.csv",
            "onrecord claim 1 --db news.sqlite --format jsonld > claim-1.jsonld",
        ),
        missing="no claim KEY",
        run=run_claim,
        rows="statement",
        extra_formats=("jsonld",),
    )
    p.add_argument("claim", type=int, metavar="KEY", help="the claim column of search results")

    p = _add_record(
        commands,
        "copies",
        summary="the earlier article a stored one copies, aligned word by word",
        description=COPIES_HELP,
        examples=(
            "onrecord copies spun-article-id --db news.sqlite     what it copies, aligned",
            "onrecord copies original-id --db news.sqlite         and what copies it",
            "onrecord copies original-id --db news.sqlite --format csv > copies.csv",
        ),
        missing="no article ID",
        run=run_copies,
        rows="relation",
    )
    p.add_argument("article_id", metavar="ID", help="the id of a stored article")

    p = _add_record(
        commands,
        "article",
        summary="one stored article with its attributions",
        description=ARTICLE_HELP,
        examples=(
            "onrecord article eastport/mayor --db news.sqlite",
            "onrecord article eastport/mayor --db news.sqlite --format csv > mayor.csv",
        ),
        missing="no article ID",
        run=run_article,
        rows="attribution",
    )
    p.add_argument("article_id", metavar="ID", help="the article column of search results")


def _add_query(
    commands: Commands, name: str, what: str, *, settings: Settings, **help_text: Any
) -> None:
    p = add_command(commands, name, exit_codes=QUERY_EXIT_CODES, run=run_query, **help_text)
    p.add_argument("query", metavar=what, nargs="+", help="words; no quotes needed")
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
    where = p.add_mutually_exclusive_group()
    where.add_argument("--offset", type=int, default=0, help="rows to skip (default: 0)")
    where.add_argument(
        "--page", type=positive, metavar="N", help="page N of --limit rows (instead of --offset)"
    )
    if name == "search":
        p.add_argument(
            "--sort",
            choices=("newest", "sources"),
            default="newest",
            help="newest matching statement first (default), or most independent sources",
        )
    p.add_argument("--format", choices=("table", "jsonl", "csv"), help=QUERY_FORMATS)
    p.set_defaults(command=name)


def positive(text: str) -> int:
    """A page number: a whole number from 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a page number (1, 2, ...)")
    return int(text)


def _add_record(
    commands: Commands,
    name: str,
    *,
    missing: str,
    rows: str,
    extra_formats: tuple[str, ...] = (),
    **help_and_run: Any,
) -> argparse.ArgumentParser:
    """A command that shows one stored record as a table, a JSON line, or CSV rows."""
    exit_codes = (
        (EXIT_OK, "shown"),
        USAGE,
        (EXIT_FAILURE, f"{NO_DATABASE}, or it has {missing}"),
    )
    p = add_command(commands, name, exit_codes=exit_codes, **help_and_run)
    add_db_option(p)
    formats = ("table", "jsonl", "csv", *extra_formats)
    notes = "".join(f"; {f}: {FORMAT_NOTES[f]}" for f in extra_formats)
    about = RECORD_FORMATS.format(rows) + notes
    p.add_argument("--format", choices=formats, help=about)
    return p


def run_query(args: argparse.Namespace) -> int:
    from onrecord.store import QueryError, StoreError

    store = open_store(args.db, must_exist=True, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    offset = args.offset if args.page is None else (args.page - 1) * max(1, args.limit)
    fmt = output_format(args.format, sys.stdout)
    try:
        if args.command == "search":
            found = _claim_page(store, args, offset)
            write_claim_page(found, max(0, offset), fmt, sys.stdout)
            return EXIT_OK
        rows = store.speaker(
            " ".join(args.query),
            since=args.since,
            until=args.until,
            outlet=args.outlet,
            limit=args.limit,
            offset=offset,
        )
    except QueryError as exc:
        error(str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    write_rows(rows, fmt, sys.stdout)
    return EXIT_OK


def _claim_page(store: Any, args: argparse.Namespace, offset: int) -> Any:
    """The page of claims ``onrecord search`` asks for (``Store.search_claims``)."""
    from onrecord.store import QueryError
    from onrecord.workbench import ClaimQuery

    if args.limit < 1:  # the store says the bounds; ClaimQuery would refuse it first
        raise QueryError(f"page size must be between 1 and {args.settings.max_page}")
    query = ClaimQuery(
        q=" ".join(args.query),
        since=args.since,
        until=args.until,
        outlet=args.outlet,
        sort=args.sort,
        per_page=args.limit,
    )
    return store.search_claims(query, offset=max(0, offset))


def run_claim(args: argparse.Namespace) -> int:
    from onrecord.interfaces.cli.exports import claim_rows
    from onrecord.interfaces.jsonld import claim_jsonld
    from onrecord.interfaces.table import format_claim

    return _show_record(
        args,
        lambda store: store.claim(args.claim),
        {"table": format_claim, "csv": claim_rows, "jsonld": claim_jsonld},
    )


def run_copies(args: argparse.Namespace) -> int:
    from onrecord.interfaces.cli.exports import copy_rows
    from onrecord.interfaces.table import format_copy_links

    return _show_record(
        args,
        lambda store: store.copy_links(args.article_id),
        {"table": format_copy_links, "csv": copy_rows},
    )


def run_article(args: argparse.Namespace) -> int:
    from onrecord.interfaces.cli.exports import article_rows
    from onrecord.interfaces.table import format_article
    from onrecord.store import QueryError

    def find(store: Any) -> Any:
        found = store.article(args.article_id)
        if found is None:
            raise QueryError(f"no article {args.article_id!r}")
        return found

    return _show_record(args, find, {"table": format_article, "csv": article_rows})


def _show_record(
    args: argparse.Namespace, find: Callable[[Any], Any], shapes: dict[str, Callable[[Any], Any]]
) -> int:
    """One stored record (a claim, an article, its copy links) as a table, a JSON line,
    CSV rows (``shapes["csv"]`` makes them) or another JSON shape (``jsonld``); a record
    the store does not have is a one-line error."""
    from onrecord.interfaces.cli.exports import write_csv
    from onrecord.store import QueryError

    store = open_store(args.db, must_exist=True, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    try:
        found = find(store)
    except QueryError as exc:
        error(f"{exc} in {args.db}")
        return EXIT_FAILURE
    fmt = output_format(args.format, sys.stdout)
    if fmt == "jsonl":
        print(json_line(found))
    elif fmt == "csv":
        write_csv(*shapes["csv"](found), sys.stdout)
    elif fmt == "table":
        write_table(shapes["table"](found), sys.stdout)
    else:
        print(json_line(shapes[fmt](found).model_dump(mode="json", by_alias=True)))
    return EXIT_OK
