"""Quote fidelity in a database made by ``onrecord ingest``: ``quotes`` (altered and
spliced quotations across the store, the differing words side by side) and ``quote``
(one article's quotations against every other rendering of them)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING, TextIO

from onrecord.interfaces.cli.options import USAGE, Commands, add_command, add_db_option, iso_date
from onrecord.interfaces.cli.output import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    _csv_cell,
    error,
    json_line,
    output_format,
    terminal_safe,
    write_table,
)
from onrecord.interfaces.cli.resources import open_store
from onrecord.settings import Settings

if TYPE_CHECKING:
    from onrecord.schema import ArticleQuotes, FirstOnRecord, Quote, QuoteRendering

RELATIONS = ("verbatim", "trimmed", "spliced", "altered", "paraphrased")
ALTERED = ("altered", "spliced")  # --altered: the quotations whose words were tampered with

RELATION_HELP = """\
A quotation's relation is to the other renderings of the same passage by the same speaker
in the store (in copies and in independent reports), measured against the rendering most
of them agree with: verbatim; trimmed (a part of it, or an omission marked with an
ellipsis); spliced (parts from separate places joined with no mark); altered (words
changed inside the quotation marks: listed, the reference's words → this one's);
paraphrased (too few of the words are the same). First on record is the earliest dated
rendering; "=" after it: this one agrees with it, "≠": it does not. Quotations are
related as they are ingested; a store made by an earlier onrecord (schema 8) relates the
quotations stored before at its next ingest.
"""

QUOTES_HELP = (
    """\
List the quotations on record, newest first: with --altered, those whose words were
changed (altered) or joined from separate places (spliced), with the differing words side
by side.

"""
    + RELATION_HELP
    + """
Rows: published, outlet, article (ID#ORDINAL: the quotation's place in the article),
speaker, relation, changed words, first on record. jsonl has every field (the quoted
words, the reference's words, the first on record); csv one row per quotation.
"""
)

QUOTE_HELP = (
    """\
Show one stored article's quotations against their other renderings: for each quotation,
its relation, the changed words and the first on record, then every other rendering of the
passage, earliest first (published, outlet, article, relation, changed words).

"""
    + RELATION_HELP
    + """
jsonl: one line, {"article": ID, ..., "quotes": [QUOTE with its "renderings", ...]}.
"""
)

QUOTE_FORMATS = "table on a terminal, jsonl otherwise (default); csv for spreadsheets"
CSV_COLUMNS = (
    "published",
    "outlet",
    "quote",
    "article",
    "speaker",
    "relation",
    "changes",
    "words",
    "reference",
    "reference_words",
    "first_article",
    "first_outlet",
    "first_published",
    "matches_first",
    "compared",
)
WIDTHS = {"published": 10, "outlet": 16, "quote": 28, "speaker": 20, "relation": 11}
CHANGES_WIDTH = 48
FIRST_WIDTH = 36  # the last column: its heading's width; cells run on
FIRST_WIDTH_MOST = 120
WORDS_WIDTH = 100


def add_commands(commands: Commands, settings: Settings) -> None:
    p = add_command(
        commands,
        "quotes",
        summary="quotations across the store and how each matches its other renderings",
        description=QUOTES_HELP,
        examples=(
            "onrecord quotes --altered --db news.sqlite       altered and spliced quotes",
            "onrecord quotes --altered --since 2022-03-01 --outlet bbc.co.uk --db news.sqlite",
            "onrecord quotes --relation trimmed --speaker Zelensky --db news.sqlite",
            "onrecord quotes --altered --db news.sqlite --format csv > altered.csv",
        ),
        exit_codes=(
            (EXIT_OK, "rows written (none is not an error)"),
            (EXIT_USAGE, "bad command line, or a page size the store refuses"),
            (EXIT_FAILURE, "the database is missing or could not be read"),
        ),
        run=run_quotes,
    )
    add_db_option(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--altered", action="store_true", help="only altered and spliced quotations")
    which.add_argument("--relation", choices=RELATIONS, help="only quotations of this relation")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--outlet", metavar="NAME", help="only this outlet (or outlets containing it)")
    p.add_argument("--speaker", metavar="NAME", help="only speakers whose name has these words")
    p.add_argument(
        "--limit",
        type=int,
        default=settings.page_size,
        metavar="N",
        help=f"rows per page, at most {settings.max_page} (default: {settings.page_size})",
    )
    p.add_argument("--offset", type=int, default=0, metavar="N", help="rows to skip")
    p.add_argument("--format", choices=("table", "jsonl", "csv"), help=QUOTE_FORMATS)

    p = add_command(
        commands,
        "quote",
        summary="one article's quotations against their other renderings",
        description=QUOTE_HELP,
        examples=(
            "onrecord quote spun-article-id --db news.sqlite",
            "onrecord quote eastport/mayor --db news.sqlite --format jsonl",
        ),
        exit_codes=(
            (EXIT_OK, "shown"),
            USAGE,
            (EXIT_FAILURE, "the database is missing or could not be read, or no article ID"),
        ),
        run=run_quote,
    )
    p.add_argument("article_id", metavar="ID", help="the id of a stored article")
    add_db_option(p)
    p.add_argument(
        "--format", choices=("table", "jsonl"), help="table on a terminal, jsonl otherwise"
    )


def run_quotes(args: argparse.Namespace) -> int:
    from onrecord.store import QueryError, StoreError

    store = open_store(args.db, must_exist=True, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    relations = ALTERED if args.altered else (args.relation,) if args.relation else None
    try:
        page = store.quotes(
            relations=relations,
            since=args.since,
            until=args.until,
            outlet=args.outlet,
            speaker=args.speaker,
            limit=args.limit,
            offset=args.offset,
        )
    except QueryError as exc:
        error(str(exc))
        return EXIT_USAGE
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    fmt = output_format(args.format, sys.stdout)
    if fmt == "jsonl":
        sys.stdout.writelines(json_line(q) + "\n" for q in page.quotes)
    elif fmt == "csv":
        write_quotes_csv(page.quotes, sys.stdout)
    else:
        write_table(format_quotes(page.quotes, page.total, page.offset), sys.stdout)
    return EXIT_OK


def run_quote(args: argparse.Namespace) -> int:
    from onrecord.store import StoreError

    store = open_store(args.db, must_exist=True, settings=args.settings)
    if store is None:
        return EXIT_FAILURE
    try:
        found = store.article_quotes(args.article_id)
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    if found is None:
        error(f"no article {args.article_id!r} in {args.db}")
        return EXIT_FAILURE
    if output_format(args.format, sys.stdout) == "jsonl":
        print(json_line(found))
    else:
        write_table(format_article_quotes(found), sys.stdout)
    return EXIT_OK


# -- shapes -------------------------------------------------------------------------------


def _cell(text: str | None, width: int) -> str:
    flat = " ".join(terminal_safe(text or "").split())
    if not flat:
        return "—"
    short = textwrap.shorten(flat, width=width, placeholder="…")
    return short if short != "…" else flat[: width - 1] + "…"


def changed_words(changes: list[tuple[str, str]]) -> str:
    """The changes side by side: ``drown out → sink; shells → bullets`` (∅: none)."""
    return "; ".join(f"{was or '∅'} → {now or '∅'}" for was, now in changes)


def first_cell(first: FirstOnRecord | None) -> str:
    """``=``/``≠`` (agrees with it or not), its outlet, date and article."""
    if first is None:
        return "—"
    mark = "=" if first.matches else "≠"
    return f"{mark} {first.outlet or '?'} {first.published or 'undated'} {first.article}"


def _row(r: QuoteRendering) -> list[str]:
    return [
        _cell(r.published.isoformat() if r.published else "undated", WIDTHS["published"]),
        _cell(r.outlet, WIDTHS["outlet"]),
        _cell(r.quote, WIDTHS["quote"]),
        _cell(r.speaker, WIDTHS["speaker"]),
        _cell(r.relation or "unmatched", WIDTHS["relation"]),
        _cell(changed_words(r.changes), CHANGES_WIDTH),
    ]


def _line(cells: list[str], widths: list[int]) -> str:
    return " | ".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True)).rstrip()


def format_quotes(quotes: list[Quote], total: int, offset: int) -> str:
    """Quotations one a line: the differing words side by side and the first on record."""
    if not quotes:
        return "no quotations"
    heads = ["published", "outlet", "quote", "speaker", "relation", "changed words"]
    widths = [*WIDTHS.values(), CHANGES_WIDTH, FIRST_WIDTH]
    header = _line([*heads, "first on record"], widths)
    lines = [header, "-" * len(header)]
    lines += [
        _line([*_row(q), _cell(first_cell(q.first_on_record), FIRST_WIDTH_MOST)], widths)
        for q in quotes
    ]
    lines.append(f"{offset + 1}-{offset + len(quotes)} of {total}")
    return "\n".join(lines)


def format_article_quotes(found: ArticleQuotes) -> str:
    """Each quotation of the article with its relation, then its other renderings."""
    date = found.published.isoformat() if found.published else "undated"
    lines = [f"{found.article} ({found.outlet or 'no outlet'}, {date})"]
    if not found.quotes:
        return "\n".join([*lines, "no quotations"])
    widths = [*WIDTHS.values(), CHANGES_WIDTH]
    for q in found.quotes:
        lines += [
            "",
            f"{q.quote} {_cell(q.speaker, 40)}: “{_cell(' … '.join(q.words), WORDS_WIDTH)}”",
        ]
        relation = q.relation or "no other rendering on record"
        lines.append(f"  {relation}" + (f": {changed_words(q.changes)}" if q.changes else ""))
        if q.first_on_record is not None and q.compared:
            lines.append(f"  first on record: {first_cell(q.first_on_record)}")
        for r in q.renderings:
            lines.append("    " + _line(_row(r), widths))
    return "\n".join(lines)


def write_quotes_csv(quotes: list[Quote], out: TextIO) -> None:
    """One row per quotation; cells that a spreadsheet would run as formulas are text."""
    import csv

    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for q in quotes:
        first = q.first_on_record
        cells = {
            "published": q.published.isoformat() if q.published else None,
            "outlet": q.outlet,
            "quote": q.quote,
            "article": q.article,
            "speaker": q.speaker,
            "relation": q.relation,
            "changes": changed_words(q.changes),
            "words": " … ".join(q.words),
            "reference": q.reference,
            "reference_words": " … ".join(q.reference_words or []),
            "first_article": first.article if first else None,
            "first_outlet": first.outlet if first else None,
            "first_published": first.published if first else None,
            "matches_first": first.matches if first else None,
            "compared": q.compared,
        }
        writer.writerow({k: _csv_cell(v) for k, v in cells.items()})
