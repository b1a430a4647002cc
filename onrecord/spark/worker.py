"""What runs inside Spark's Python workers: one input file per task, read with the
project's readers and extracted with the one ``Extractor``, as staged rows.

The pipeline is loaded once per Python worker (``worker_extractor`` keeps it in this
module; Spark reuses its workers across tasks) and never per task or record. A file is
streamed from its file system (``open_input``), never read whole; rows leave in small
pandas frames (``ROWS_PER_FRAME``, ``CHARS_PER_FRAME``) so a worker's memory stays flat
whatever the size of the file. A record the pipeline fails on becomes an ``errors`` row
and the task goes on: one bad record never fails the job.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO, TYPE_CHECKING

from onrecord.document import Article
from onrecord.readers import InputProblem, read_file
from onrecord.spark.tables import (
    article_key,
    article_row,
    attribution_row,
    error_row,
    month_of,
)

if TYPE_CHECKING:
    import pandas as pd

    from onrecord.pipeline.extractor import Extractor

ROWS_PER_FRAME = 256
CHARS_PER_FRAME = 4_000_000

# The pipeline of this Python worker, by model directory: loaded by its first task.
_EXTRACTORS: dict[str | None, Extractor] = {}


@dataclass(frozen=True)
class TaskOptions:
    """What every task needs to know, shipped with the function (plain data)."""

    model: str | None
    max_chars: int
    version: str


def worker_extractor(model: str | None) -> Extractor:
    """The worker's pipeline, loaded on first use. Each Spark task slot runs one worker,
    so the encoder runs on one thread: more would oversubscribe the executor's cores."""
    if model not in _EXTRACTORS:
        from onrecord.pipeline.extractor import Extractor

        os.environ.setdefault("ONRECORD_THREADS", "1")
        _EXTRACTORS[model] = Extractor(model)
    return _EXTRACTORS[model]


def local_path(uri: str) -> str | None:
    """The local path of a ``file:`` URI (Hadoop writes ``file:/a/b``), else None."""
    if uri.startswith("file://"):
        return uri[len("file://") :]
    if uri.startswith("file:"):
        return uri[len("file:") :]
    return None if "://" in uri else uri


def open_input(uri: str) -> IO[bytes]:
    """The file's bytes as a stream: local files directly, others (s3://, hdfs://, gs://)
    through pyarrow's file systems."""
    path = local_path(uri)
    if path is not None:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    from pyarrow import fs

    filesystem, inner = fs.FileSystem.from_uri(uri)
    return filesystem.open_input_stream(inner)  # type: ignore[return-value]


def extract_files(options: TaskOptions, frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: each input file of the task's frames, as staged rows
    (``tables.STAGE_SCHEMA``) in frames of bounded size."""
    import pandas as pd

    columns = ["input", "kind", "month", "payload"]
    rows: list[tuple[str, str, str, str]] = []
    chars = 0
    for frame in frames:
        for uri, name, article_id in zip(frame["uri"], frame["name"], frame["id"], strict=True):
            for row in file_rows(options, uri, name, article_id):
                rows.append(row)
                chars += len(row[3])
                if len(rows) >= ROWS_PER_FRAME or chars >= CHARS_PER_FRAME:
                    yield pd.DataFrame(rows, columns=columns)
                    rows, chars = [], 0
    if rows:
        yield pd.DataFrame(rows, columns=columns)


def file_rows(
    options: TaskOptions, uri: str, name: str, article_id: str | None
) -> Iterator[tuple[str, str, str, str]]:
    """Staged rows of one input file: its articles, their attributions, its problems."""

    def staged(kind: str, month: str, row: dict) -> tuple[str, str, str, str]:
        return (uri, kind, month, json.dumps(row, ensure_ascii=False))

    extractor = worker_extractor(options.model)
    problems: list[InputProblem] = []
    positions: dict[int, int] = {}
    try:
        with open_input(uri) as raw:
            items = read_file(name, raw, article_id=article_id, max_chars=options.max_chars)
            articles = _numbered(_articles_only(items, problems), positions)
            for done in _extracted(extractor, articles):
                yield from (staged("errors", "", _problem_row(uri, p)) for p in problems)
                problems.clear()
                if isinstance(done, _Failure):
                    yield staged("errors", "", done.row(uri))
                    continue
                yield from _article_rows(options, uri, positions.pop(id(done.source)), done.article)
    except OSError as exc:  # the file itself: gone, unreadable, a broken connection
        yield staged("errors", "", error_row(uri, name, "error", exc.strerror or str(exc)))
    yield from (staged("errors", "", _problem_row(uri, p)) for p in problems)


def _article_rows(
    options: TaskOptions, uri: str, position: int, article: Article
) -> Iterator[tuple[str, str, str, str]]:
    key = article_key(uri, position)
    month = month_of(article.published)
    row = article_row(article, key, uri, position, options.version)
    yield (uri, "articles", month, json.dumps(row, ensure_ascii=False))
    for ordinal, attribution in enumerate(article.attributions):
        found = attribution_row(key, article.id, ordinal, attribution)
        yield (uri, "attributions", month, json.dumps(found, ensure_ascii=False))


def _problem_row(uri: str, problem: InputProblem) -> dict:
    return error_row(uri, problem.input, problem.severity, problem.message)


def _articles_only(items: Iterable, problems: list[InputProblem]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, InputProblem):
            problems.append(item)
        else:
            yield item


def _numbered(articles: Iterable[Article], positions: dict[int, int]) -> Iterator[Article]:
    """The articles, each one's place in its input noted by object id (the extractor
    returns new Articles; ``_Done.source`` is the one that went in)."""
    for position, article in enumerate(articles):
        positions[id(article)] = position
        yield article


@dataclass
class _Done:
    source: Article
    article: Article


@dataclass
class _Failure:
    source: Article
    message: str

    def row(self, uri: str) -> dict:
        source = self.source
        return error_row(uri, source.id, "error", self.message, source.id, source.text)


def _extracted(extractor: Extractor, articles: Iterator[Article]) -> Iterator[_Done | _Failure]:
    """Each article extracted, in order, through the pipeline's stream (batched as
    ``onrecord extract`` batches them). Should the pipeline raise, the articles it held
    and the rest are extracted one at a time, and the one it fails on is a ``_Failure``."""
    held: deque[Article] = deque()

    def fed() -> Iterator[Article]:
        for article in articles:
            held.append(article)
            yield article

    stream = extractor.extract(fed())
    while True:
        try:
            done = next(stream)
        except StopIteration:
            return
        except Exception:  # noqa: BLE001 - isolated below, record by record
            break
        yield _Done(held.popleft(), done)
    for article in chain(list(held), articles):
        try:
            yield _Done(article, next(extractor.extract([article])))
        except Exception as exc:  # noqa: BLE001 - one record's failure is a row, not a crash
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            yield _Failure(article, f"extraction failed ({reason})")
