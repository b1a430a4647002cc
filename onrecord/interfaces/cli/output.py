"""What the commands share on the way out: exit codes, one-line errors, the output file,
JSON Lines, CSV and table rows, and the progress bar on stderr.

Records are those of ``onrecord.schema``; a JSON line is ``record.model_dump(mode="json")``,
the same object the API sends."""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from datetime import date

    from pydantic import BaseModel

    from onrecord.schema import Statement
    from onrecord.workbench import ClaimPage

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


# C0 controls, DEL and C1 controls: ESC and CSI start terminal escape sequences, and the
# others can move the cursor, ring the bell or end a line early. Each is written as a
# visible ``\xNN`` instead; lone surrogates (a file name that was not UTF-8) as U+FFFD.
_CONTROLS = (*range(0x20), 0x7F, *range(0x80, 0xA0))
_SURROGATE = re.compile("[\ud800-\udfff]")
CSV_KEEP = "\t\n"  # the control characters a CSV cell may hold (quoted)


@functools.cache
def _visible(keep: str) -> dict[int, str]:
    return {code: f"\\x{code:02x}" for code in _CONTROLS if chr(code) not in keep}


def terminal_safe(text: str, keep: str = "") -> str:
    """``text`` with every control character but those in ``keep`` made visible (``\\x1b``)
    and lone surrogates replaced, fit for a terminal or a UTF-8 file: article text and
    file names are untrusted and must not drive the terminal."""
    return _SURROGATE.sub("\ufffd", text.translate(_visible(keep)))


def error(message: str) -> None:
    """A problem, on one line of stderr (control characters, newlines included, made
    visible)."""
    problem_line(f"error: {message}")


def problem_line(line: str) -> None:
    """A line on stderr that may hold input names or text: made safe and kept to one line."""
    print(terminal_safe(line), file=sys.stderr)


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
    """Query result rows as JSON Lines, CSV (with a header) or a table. CSV cells keep
    their tabs and newlines (quoted) and no other control character; a table keeps none."""
    if fmt == "jsonl":
        out.writelines(json_line(row) + "\n" for row in rows)
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(
            out, fieldnames=[*ROW_COLUMNS, *CSV_EXTRA_COLUMNS], extrasaction="ignore"
        )
        writer.writeheader()
        for row in rows:
            cells = {**as_json(row), "via": "; ".join(row.via)}
            writer.writerow({k: _csv_cell(v) for k, v in cells.items()})
    else:
        from onrecord.interfaces.table import format_rows

        write_table(format_rows(rows, ROW_COLUMNS), out)


def write_claim_page(found: ClaimPage, offset: int, fmt: str, out: TextIO) -> None:
    """A page of claims (``offset`` skipped), each by its original statement: rows as
    ``write_rows`` writes them (jsonl with the claim's outlets and latest date too), and
    the total at the end of a table or on stderr."""
    originals = [result.original for result in found.results]
    if fmt == "jsonl":
        out.writelines(
            json_line({**as_json(r.original), "outlets": r.outlets, "latest": _iso(r.latest)})
            + "\n"
            for r in found.results
        )
    else:
        write_rows(originals, fmt, out)
    first = offset + 1
    shown = f", rows {first}-{first + len(originals) - 1}" if originals else ""
    aligned = offset % found.per_page == 0
    more = f" (--page {found.page + 1}: the next)" if aligned and found.page < found.pages else ""
    line = f"{found.total} claim{'' if found.total == 1 else 's'} · page {found.page} of "
    line += f"{found.pages}{shown}{more}"
    if fmt == "table":
        out.write(line + "\n")
    else:
        print(line, file=sys.stderr)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(…)" in
# an article's text would be a live link); a leading apostrophe makes it text (OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = terminal_safe(value, keep=CSV_KEEP)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def write_table(table: str, out: TextIO) -> None:
    """A table for a reader's eyes: lines, and no other control character."""
    out.write(terminal_safe(table, keep="\n") + "\n")


def progress(items: Iterable, desc: str, total: int | None = None) -> Iterable:
    """``items``, counted on stderr as articles go by (silent when stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, unit="article", disable=None, file=sys.stderr)


def progress_bar(desc: str):
    """A bar on stderr that the caller advances (``update(n)``) and closes."""
    from tqdm import tqdm

    return tqdm(desc=desc, unit="article", disable=None, file=sys.stderr)
