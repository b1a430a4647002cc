"""What goes wrong with an input, reported instead of raised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["warning", "error"]


@dataclass
class InputProblem:
    """One line about one input: a warning (it was still read) or an error (it was not).

    ``input`` is what the user named, narrowed to a line where that helps:
    ``"news.jsonl:17"``, ``"-"`` for standard input.
    """

    input: str
    message: str
    severity: Severity

    def __str__(self) -> str:
        return f"{self.severity}: {self.input}: {self.message}"


def error(input_name: str, message: str) -> InputProblem:
    return InputProblem(input_name, _one_line(message), "error")


def warning(input_name: str, message: str) -> InputProblem:
    return InputProblem(input_name, _one_line(message), "warning")


def _one_line(message: str) -> str:
    """Messages quote parsers' exceptions, some of which run over several lines."""
    return " ".join(message.split()) if "\n" in message or "\r" in message else message
