"""Files on any file system Spark reads (local, HDFS, S3…), through Hadoop's FileSystem
API in the driver's JVM: listing inputs, and the few operations a run's commit needs
(create a small file, rename, delete, list)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@dataclass(frozen=True)
class FileStatus:
    uri: str  # fully qualified: file:/data/a.warc.gz, hdfs://nn/news/a.jsonl
    size: int
    mtime: int  # milliseconds since the epoch


class Files:
    """Hadoop FileSystem operations on the paths of one session."""

    def __init__(self, spark: SparkSession) -> None:
        self._jvm: Any = spark._jvm  # type: ignore[attr-defined]
        self._conf = spark._jsc.hadoopConfiguration()  # type: ignore[attr-defined]

    def _path(self, path: str) -> tuple[Any, Any]:
        jpath = self._jvm.org.apache.hadoop.fs.Path(path)
        return jpath.getFileSystem(self._conf), jpath

    def qualified(self, path: str) -> str:
        fs, jpath = self._path(path)
        return str(fs.makeQualified(jpath).toString())

    def exists(self, path: str) -> bool:
        fs, jpath = self._path(path)
        return bool(fs.exists(jpath))

    def glob(self, pattern: str) -> list[tuple[FileStatus, bool]]:
        """Matches of a path or glob, each with whether it is a directory; [] for none."""
        fs, jpath = self._path(pattern)
        found = fs.globStatus(jpath)
        return [(_status(s), bool(s.isDirectory())) for s in (found or [])]

    def files_under(self, directory: str) -> Iterator[FileStatus]:
        """Every file below ``directory``, recursively."""
        fs, jpath = self._path(directory)
        listing = fs.listFiles(jpath, True)
        while listing.hasNext():
            yield _status(listing.next())

    def children(self, directory: str) -> list[str]:
        """The URIs of a directory's entries; [] when it is not there."""
        fs, jpath = self._path(directory)
        if not fs.exists(jpath):
            return []
        return [str(s.getPath().toString()) for s in fs.listStatus(jpath)]

    def read_text(self, path: str) -> str:
        fs, jpath = self._path(path)
        stream = fs.open(jpath)
        try:
            return str(self._jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8"))
        finally:
            stream.close()

    def write_text(self, path: str, text: str) -> None:
        """Write ``path`` whole or not at all: written beside it, then renamed."""
        fs, jpath = self._path(path)
        partial = self._jvm.org.apache.hadoop.fs.Path(path + ".partial")
        out = fs.create(partial, True)
        try:
            out.write(bytearray(text.encode("utf-8")))
        finally:
            out.close()
        if not fs.rename(partial, jpath):
            raise OSError(f"{path}: could not be written")

    def move(self, source: str, target: str) -> None:
        """Rename ``source`` to ``target``, making target's folder; done already (source
        gone, target there) counts as done, so a commit can be rolled forward again."""
        fs, src = self._path(source)
        _, dst = self._path(target)
        if not fs.exists(src) and fs.exists(dst):
            return
        fs.mkdirs(dst.getParent())
        if not fs.rename(src, dst):
            raise OSError(f"{source}: could not be moved to {target}")

    def delete(self, path: str) -> None:
        fs, jpath = self._path(path)
        fs.delete(jpath, True)


def _status(status: Any) -> FileStatus:
    return FileStatus(
        str(status.getPath().toString()), int(status.getLen()), int(status.getModificationTime())
    )
