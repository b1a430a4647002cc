"""Shared fixtures: a throwaway PostgreSQL server for the store tests.

The server is started from the machine's PostgreSQL binaries (Debian's postgresql
package; .ci/run installs it) in a temporary directory, on a Unix socket only, and
stopped at the end. Without the binaries the PostgreSQL tests skip, unless
ONRECORD_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import pytest


def _pg_binary(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    initdb, pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
    if not (initdb and pg_ctl):
        if os.environ.get("ONRECORD_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) not found")
        pytest.skip("PostgreSQL binaries not installed")
    home = tempfile.mkdtemp(prefix="onrecord-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(home, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(home, "data")
    port = "54329"
    subprocess.run(
        [*as_user, initdb, "-D", data, "-A", "trust", "-U", "onrecord"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            pg_ctl,
            "-D",
            data,
            "-w",
            "-l",
            os.path.join(home, "log"),
            "-o",
            f"-k {home} -p {port} -c listen_addresses=''",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://onrecord@/postgres?host={home}&port={port}"
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """An empty store on each database onrecord supports."""
    from sqlalchemy import create_engine, text

    from onrecord.store import Store

    if request.param == "sqlite":
        return Store(str(tmp_path / "record.sqlite"))
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:  # a clean database for every test
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return Store(url)


SPARK_TEST_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
}


@pytest.fixture(scope="session")
def spark():
    """One real Spark session for every Spark test: local[2] (failed tasks retried, as on
    a cluster), workers running this interpreter. Without pyspark or Java the Spark tests
    skip, unless ONRECORD_REQUIRE_SPARK=1 (set by .ci/run), where they fail instead."""
    from onrecord.spark.session import SparkUnavailable, spark_session

    try:
        session = spark_session("local[2]", app="onrecord-tests", conf=SPARK_TEST_CONF)
    except SparkUnavailable as exc:
        if os.environ.get("ONRECORD_REQUIRE_SPARK") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    yield session
    session.stop()
