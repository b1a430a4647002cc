"""What the commands share on the way out: exit codes, one-line errors, the output file,
JSON Lines, CSV and table rows, and the progress bar on stderr.

Records are those of ``onrecord.schema``; a JSON line is ``record.model_dump(mode="json")``,
the same object the API sends."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pydantic import BaseModel

    from onrecord.schema import Statement

EXIT_OK = 0
EXIT_INPUT_ERRORS = 1  # some inputs could not be read; the others were processed
EXIT_USAGE = 2  # bad command line (argparse's own code)
EXIT_FAILURE = 3  # nothing could be done: missing model, unreadable corpus, ...
EXIT_INTERRUPTED = 130  # Ctrl-C

# The columns of a query result row, in table order.
ROW_COLUMNS = (
    "published",
    "outlet",
    "article",
    "speaker",
    "cue",
    "content",
    "claim",
    "independent_sources",
    "occurrences",
)
# jsonl has every field of a row; csv adds these to the table's columns.
CSV_EXTRA_COLUMNS = ("source", "kind", "via", "url", "speaker_score")


def error(message: str) -> None:
    """A problem, on one line of stderr."""
    print(f"error: {message}", file=sys.stderr)


def json_line(record: BaseModel | dict[str, Any]) -> str:
    """A record (of ``onrecord.schema``, or its JSON object) as one line of JSON."""
    return json.dumps(as_json(record), ensure_ascii=False)


def as_json(record: BaseModel | dict[str, Any]) -> dict[str, Any]:
    """The JSON object of a record, keys in the schema's order."""
    return record if isinstance(record, dict) else record.model_dump(mode="json")


def output_format(requested: str | None, out: TextIO) -> str:
    """The --format asked for, or a table on a terminal and JSON Lines otherwise."""
    return requested or ("table" if out.isatty() else "jsonl")


def open_output(path: str | None) -> TextIO | None:
    """stdout, or the --output file (None, with the error printed, if it cannot be made)."""
    if path is None:
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        error(f"{path}: {exc.strerror}")
        return None


def write_rows(rows: Sequence[Statement], fmt: str, out: TextIO) -> None:
    """Query result rows as JSON Lines, CSV (with a header) or a table."""
    if fmt == "jsonl":
        out.writelines(json_line(row) + "\n" for row in rows)
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(
            out, fieldnames=[*ROW_COLUMNS, *CSV_EXTRA_COLUMNS], extrasaction="ignore"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({**as_json(row), "via": "; ".join(row.via)})
    else:
        from onrecord.interfaces.table import format_rows

        out.write(format_rows(rows, ROW_COLUMNS) + "\n")


def progress(items: Iterable, desc: str, total: int | None = None) -> Iterable:
    """``items``, counted on stderr as articles go by (silent when stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, unit="article", disable=None, file=sys.stderr)


def progress_bar(desc: str):
    """A bar on stderr that the caller advances (``update(n)``) and closes."""
    from tqdm import tqdm

    return tqdm(desc=desc, unit="article", disable=None, file=sys.stderr)
