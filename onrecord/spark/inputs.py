"""The inputs of a run: paths, directories and globs on any file system Spark reads,
listed in the driver (size and modification time with each file), one task each.

A directory stands for the input files below it, each with its path below the directory
(without extension) as id, as ``onrecord ingest`` reads directories; a file named or
matched by a glob is read whatever its extension, its id its name's stem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from onrecord.readers import INPUT_SUFFIXES
from onrecord.spark.files import Files, FileStatus
from onrecord.spark.worker import local_path


@dataclass(frozen=True)
class InputFile:
    uri: str
    name: str  # as problems name it: the local path, or the URI
    id: str | None  # the id its articles take (None: the reader's default, the stem)
    size: int
    mtime: int

    @property
    def identity(self) -> tuple[str, int, int]:
        """What says a file is the one a run read: address, size, modification time."""
        return (self.uri, self.size, self.mtime)


def list_inputs(files: Files, paths: list[str]) -> tuple[list[InputFile], list[str]]:
    """The input files of ``paths``, each once, in order; and a line for each path that
    matches nothing."""
    found: dict[str, InputFile] = {}
    missing: list[str] = []
    for path in paths:
        matches = files.glob(path)
        if not matches:
            missing.append(f"{path}: no such file or directory")
        for status, is_directory in matches:
            listed = _walk(files, status) if is_directory else [_input(status, None)]
            for item in listed:
                found.setdefault(item.uri, item)
    return list(found.values()), missing


def _walk(files: Files, directory: FileStatus) -> list[InputFile]:
    """Input files below a directory, sorted, hidden ones and other kinds skipped."""
    root = directory.uri.rstrip("/")
    inputs = []
    for status in sorted(files.files_under(root), key=lambda s: s.uri):
        relative = PurePosixPath(status.uri[len(root) :].lstrip("/"))
        hidden = any(part.startswith(".") for part in relative.parts)
        if not hidden and _suffix(relative.name) in INPUT_SUFFIXES:
            inputs.append(_input(status, relative.with_suffix("").as_posix()))
    return inputs


def _input(status: FileStatus, article_id: str | None) -> InputFile:
    name = local_path(status.uri) or status.uri
    return InputFile(status.uri, name, article_id, status.size, status.mtime)


def _suffix(name: str) -> str:
    lower = name.lower()
    return ".warc.gz" if lower.endswith(".warc.gz") else PurePosixPath(lower).suffix
