"""What the commands' parsers share: a command with its own examples and exit codes in
``--help``, and the options several commands take (--db, --model and --jobs, dates)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from onrecord.interfaces.cli.output import EXIT_USAGE

Commands = argparse._SubParsersAction

# The exit code every command shares: argparse's own.
USAGE = (EXIT_USAGE, "bad command line")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written (examples keep their columns)."""


class DefaultsHelpFormatter(
    argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter
):
    """As written, and every option's default after its help."""


def add_command(
    commands: Commands,
    name: str,
    *,
    summary: str,
    description: str,
    examples: Sequence[str],
    exit_codes: Sequence[tuple[int, str]],
    run: Callable[[argparse.Namespace], int],
    formatter: type[argparse.HelpFormatter] = HelpFormatter,
) -> argparse.ArgumentParser:
    """A command whose ``--help`` gives its description, its examples and its exit codes."""
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog(examples, exit_codes),
        formatter_class=formatter,
    )
    parser.set_defaults(run=run)
    return parser


def epilog(examples: Sequence[str], exit_codes: Sequence[tuple[int, str]]) -> str:
    lines = ["examples:", *(f"  {example}" for example in examples), "", "exit codes:"]
    lines += [f"  {code:<3} {meaning}" for code, meaning in sorted(exit_codes)]
    return "\n".join(lines) + "\n"


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default="onrecord.sqlite",
        metavar="DB",
        help="SQLite file, or postgresql://user:password@host/dbname (default: onrecord.sqlite)",
    )


def add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", metavar="DIR", help="model directory from `onrecord train` (default: shipped)"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)"
    )


def iso_date(value: str):
    """An argparse type: YYYY-MM-DD to a date."""
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None
