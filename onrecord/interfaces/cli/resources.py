"""What the commands open: the articles named on the command line, the extractor and the
store. A failure to open is one line on stderr and ``None``, never a traceback."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.interfaces.cli.output import error, problem_line

if TYPE_CHECKING:
    from onrecord.document import Article
    from onrecord.pipeline.extractor import Extractor
    from onrecord.settings import Settings
    from onrecord.store import Store


class Inputs:
    """Articles read from the command line's inputs; problems go to stderr as they come,
    and ``failed`` says whether any input could not be read."""

    def __init__(self, paths: list[str], walk: bool = False) -> None:
        self.paths = paths
        self.walk = walk
        self.failed = False

    def __iter__(self) -> Iterator[Article]:
        from onrecord.readers import InputProblem, read_inputs

        for item in read_inputs(self.paths, walk=self.walk):
            if isinstance(item, InputProblem):
                self.failed |= item.severity == "error"
                problem_line(str(item))
            else:
                yield item


def load_extractor(args: argparse.Namespace) -> Extractor | None:
    """The pipeline with the model of --model (the shipped one by default) and --jobs."""
    from onrecord.extraction.tagger import ModelNotFoundError
    from onrecord.pipeline.extractor import Extractor
    from onrecord.speakers.ranker import RankerError

    try:
        return Extractor(args.model, n_process=max(1, args.jobs))
    except (ModelNotFoundError, RankerError, OSError) as exc:
        error(str(exc))
        return None


def open_store(db: str, must_exist: bool = False, settings: Settings | None = None) -> Store | None:
    """The store at --db, bounded by the command's ``settings``; with ``must_exist``, a
    SQLite file that is not there is an error (a query would otherwise create an empty
    database)."""
    from onrecord.store import Store, StoreError

    if must_exist and "://" not in db and not Path(db).is_file():
        error(f"{db}: no such database; run `onrecord ingest --db {db} ...` first")
        return None
    try:
        return Store(db, settings=settings)
    except StoreError as exc:
        error(str(exc))
        return None
