"""The Spark session a run uses: the one ``spark-submit`` made, or one made here.

pyspark is an optional dependency (``pip install 'onrecord[spark]'``) and is imported
only here and in the modules that run on Spark; without it, or without Java, a run stops
with one line saying what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# In local mode Spark does not retry a failed task unless the master says so
# (local[N,F]): a Python worker killed mid-task would fail the whole job.
LOCAL_TASK_TRIES = 4
_LOCAL = re.compile(r"^local(?:\[(\d+|\*)\])?$")


class SparkUnavailable(RuntimeError):
    """pyspark or Java is missing."""


def with_retries(master: str) -> str:
    """``local[2]`` as ``local[2,4]``: local runs retry a failed task as clusters do."""
    match = _LOCAL.match(master)
    if match is None:
        return master
    return f"local[{match.group(1) or 1},{LOCAL_TASK_TRIES}]"


def require_spark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(
            "pyspark is not installed; pip install 'onrecord[spark]' (and Java 17)"
        ) from None
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable(
            "Java is not installed (Spark needs Java 17; Debian: openjdk-17-jre-headless)"
        )


def spark_session(
    master: str | None = None, app: str = "onrecord", conf: dict[str, str] | None = None
) -> SparkSession:
    """The active session (under spark-submit), else a new one on ``master`` (default:
    every local core) with ``conf``. Workers run this interpreter, which has onrecord
    installed."""
    require_spark()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(with_retries(master))
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit, which sets it
        builder = builder.master(with_retries("local[*]"))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
