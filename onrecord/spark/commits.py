"""How a run's output grows only by whole rounds: the commit records in ``_commits/``.

A round of inputs is extracted into ``_rounds/RUN/`` (invisible to readers of the tables:
Spark skips paths that start with ``_``). Its commit record, written whole or not at all,
lists the round's inputs (address, size, modification time, what each gave) and the
renames that put its files into the tables; then the renames are done. On the next start
``recover`` rolls every commit forward (renames left undone are done) and removes the
rounds that never got a record. So a run killed anywhere leaves, once restarted, the
tables an uninterrupted run writes, and the records say which inputs are done.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field

from onrecord.spark.files import Files

COMMITS = "_commits"
ROUNDS = "_rounds"


@dataclass
class InputDone:
    uri: str
    size: int
    mtime: int
    articles: int = 0
    attributions: int = 0
    errors: int = 0  # error rows (warnings are counted apart)
    warnings: int = 0

    @property
    def identity(self) -> tuple[str, int, int]:
        return (self.uri, self.size, self.mtime)


@dataclass
class Commit:
    run: str
    inputs: list[InputDone]
    moves: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Commit:
        data = json.loads(text)
        inputs = [InputDone(**item) for item in data["inputs"]]
        return cls(data["run"], inputs, [tuple(m) for m in data["moves"]])


def new_run() -> str:
    """A round's name: sortable by start time, unique."""
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


def read_commits(files: Files, output: str) -> list[Commit]:
    records = sorted(u for u in files.children(f"{output}/{COMMITS}") if u.endswith(".json"))
    return [Commit.from_json(files.read_text(uri)) for uri in records]


def commit(files: Files, output: str, record: Commit) -> None:
    """Make the round part of the output: its record first, then its renames."""
    files.write_text(f"{output}/{COMMITS}/{record.run}.json", record.to_json())
    _roll_forward(files, record)
    files.delete(f"{output}/{ROUNDS}/{record.run}")


def recover(files: Files, output: str) -> list[Commit]:
    """Finish every committed round, drop every uncommitted one; the commits."""
    commits = read_commits(files, output)
    for record in commits:
        _roll_forward(files, record)
    files.delete(f"{output}/{ROUNDS}")
    for uri in files.children(f"{output}/{COMMITS}"):
        if uri.endswith(".partial"):
            files.delete(uri)
    return commits


def _roll_forward(files: Files, record: Commit) -> None:
    for source, target in record.moves:
        files.move(source, target)
