"""`onrecord spark extract` on real Spark (pyspark, Java 17, local[2]), no mocks.

One corpus (tests/spark_corpus.py) is extracted three ways: by `onrecord extract` on one
machine; by Spark while a Python worker is killed mid-task; and by `onrecord spark
extract` in a process killed once its first round is committed, then run again. The
attributions of the first two are equal as sets (parity), every table of the last two is
equal as sets (resumable), and bad records are in `errors`, good ones written once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.spark_corpus import table_rows, write_corpus

pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("spark-corpus") / "in")


@pytest.fixture(scope="module")
def killed_worker_run(spark, corpus, tmp_path_factory) -> tuple[Path, object, bool]:
    """The corpus extracted while one busy Python worker is killed (SIGKILL)."""
    from onrecord.spark.extract import extract_to_parquet

    output = tmp_path_factory.mktemp("spark-run") / "out"
    killer = WorkerKiller()
    killer.start()
    try:
        summary = extract_to_parquet(spark, [str(corpus)], str(output), files_per_round=4)
    finally:
        killer.stop()
    return output, summary, killer.killed


def test_spark_attributions_equal_onrecord_extract(corpus, killed_worker_run, tmp_path) -> None:
    from onrecord.interfaces.cli import main

    output, _, _ = killed_worker_run
    single = tmp_path / "single.jsonl"
    files = sorted(str(p) for p in corpus.iterdir())
    assert main(["extract", "--format", "jsonl", "-o", str(single), *files]) == 1  # bad inputs
    expected = set()
    articles = [json.loads(line) for line in single.read_text(encoding="utf-8").splitlines()]
    for article in articles:
        for a in article["attributions"]:
            expected.add(json.dumps({"article": article["id"], **a}, sort_keys=True))
    found = set()
    for line in table_rows(output, "attributions"):
        row = json.loads(line)
        from onrecord.spark.tables import attribution_json

        found.add(json.dumps({"article": row["article"], **attribution_json(row)}, sort_keys=True))
    assert len(expected) > 20
    assert found == expected
    stored = {json.loads(r)["id"] for r in table_rows(output, "articles")}
    assert stored == {a["id"] for a in articles}


def test_bad_records_are_errors_and_good_ones_written_once(killed_worker_run) -> None:
    output, summary, killed = killed_worker_run
    assert killed, "no busy Python worker was found to kill"
    articles = [json.loads(r) for r in table_rows(output, "articles")]
    keys = [a["key"] for a in articles]
    assert len(keys) == len(set(keys)) == summary.articles
    ids = {a["id"] for a in articles}
    assert {"harbour-bridge", "short", "latin1", "https://herald.example/bridge"} <= ids
    errors = [json.loads(r) for r in table_rows(output, "errors")]
    places = {(e["place"].rsplit("/", 1)[-1], e["severity"]) for e in errors}
    assert ("bad.jsonl:1", "error") in places  # no JSON
    assert ("bad.jsonl:3", "error") in places  # no text
    assert ("bad.jsonl", "warning") in places  # invalid UTF-8, read with U+FFFD
    assert ("empty.txt", "error") in places
    assert ("gzipped-junk.warc.gz", "error") in places
    assert any(p.startswith("broken.warc.gz: record 2") for p, _ in places)
    assert summary.errors == sum(e["severity"] == "error" for e in errors)
    months = {a["month"] for a in articles}
    assert "2024-03" in months and "undated" in months


def test_a_rerun_skips_what_is_done(spark, corpus, killed_worker_run) -> None:
    from onrecord.spark.extract import extract_to_parquet

    output, first, _ = killed_worker_run
    before = {t: table_rows(output, t) for t in ("articles", "attributions", "errors")}
    again = extract_to_parquet(spark, [str(corpus)], str(output))
    assert (again.done, again.skipped) == (0, first.listed)
    assert {t: table_rows(output, t) for t in before} == before


def test_a_run_killed_midway_and_restarted_writes_the_same_tables(
    spark, corpus, killed_worker_run, tmp_path
) -> None:
    from onrecord.spark.extract import extract_to_parquet

    complete, _, _ = killed_worker_run
    output = tmp_path / "killed"
    command = [sys.executable, "-m", "onrecord", "spark", "extract", str(corpus)]
    command += ["--output", str(output), "--master", "local[2]", "--files-per-round", "1"]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    commits = output / "_commits"
    try:
        deadline = time.monotonic() + 180
        while not list(commits.glob("*.json")) and process.poll() is None:
            assert time.monotonic() < deadline, "no round committed in 180 s"
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    committed = len(list(commits.glob("*.json")))
    assert 1 <= committed < len(list(corpus.iterdir()))
    resumed = extract_to_parquet(spark, [str(corpus)], str(output))
    assert resumed.skipped == committed
    for table in ("articles", "attributions", "errors", "copies"):
        assert table_rows(output, table) == table_rows(complete, table), table
    assert not list((output / "_rounds").glob("*/*"))


def test_spark_extract_help_lists_its_options(capsys) -> None:
    from onrecord.interfaces.cli import main

    with pytest.raises(SystemExit):
        main(["spark", "extract", "--help"])
    out = capsys.readouterr().out
    for option in ("--output", "--master", "--model", "--files-per-round", "--no-copies"):
        assert option in out
    assert "onrecord ingest" in out


class WorkerKiller(threading.Thread):
    """Kills (SIGKILL) the first Spark Python worker seen using the CPU: a worker dying
    mid-task, which Spark must retry."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.killed = False
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def run(self) -> None:
        seen: dict[int, int] = {}
        while not self._stop_event.wait(0.3) and not self.killed:
            for pid in _python_workers():
                ticks = _cpu_ticks(pid)
                if pid in seen and ticks - seen[pid] > 10:  # busy for the last 0.3 s
                    os.kill(pid, signal.SIGKILL)
                    self.killed = True
                    break
                seen[pid] = ticks


def _python_workers() -> list[int]:
    """Spark's Python workers of this test session: forked by a pyspark.daemon."""
    daemons = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if b"pyspark.daemon" in cmdline:
                daemons[int(entry.name)] = ppid
    return [pid for pid, parent in daemons.items() if parent in daemons]


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0


def test_a_run_loads_into_the_store_with_its_copies_once(spark, killed_worker_run, store) -> None:
    from onrecord.spark.load import load_run

    output, summary, _ = killed_worker_run
    first = [counts for _, counts in load_run(spark, str(output), store, batch_size=4)]
    articles = [json.loads(r) for r in table_rows(output, "articles")]
    distinct = {(a["url"] or a["id"], a["content_hash"]) for a in articles}
    assert sum(c.added for c in first) == len(distinct)
    assert sum(c.unchanged for c in first) == len(articles) - len(distinct)
    by_key = {a["key"]: a for a in articles}
    once = [a["key"] for a in articles if sum(b["id"] == a["id"] for b in articles) == 1]
    stored_attributions = sum(len(store.article(by_key[k]["id"]).attributions) for k in once)
    parquet = [json.loads(r) for r in table_rows(output, "attributions")]
    assert stored_attributions == sum(r["key"] in once for r in parquet) > 0
    copies = [json.loads(r) for r in table_rows(output, "copies")]
    checked = 0
    for row in copies:
        if row["key"] in once:
            relation = store.copy_of(row["article"])
            assert (relation.relation, relation.copy_of) == (row["relation"], row["copy_of"])
            checked += 1
    assert checked >= 1
    again = [counts for _, counts in load_run(spark, str(output), store)]
    assert sum(c.added for c in again) == 0
    assert sum(c.unchanged for c in again) == len(articles)


def test_onrecord_ingest_takes_a_spark_run(killed_worker_run, tmp_path, capsys) -> None:
    from onrecord.interfaces.cli import main

    output, summary, _ = killed_worker_run
    db = tmp_path / "run.sqlite"
    assert main(["ingest", str(output), "--db", str(db)]) == 0
    assert "articles added" in capsys.readouterr().err
    assert main(["ingest", str(output), str(output.parent), "--db", str(db)]) == 2


KILLED_LOADER = """
import os, signal, sys
import onrecord.pipeline.ingest as ingest
from onrecord.spark.load import load_run
from onrecord.spark.session import spark_session
from onrecord.store import Store

real, calls = ingest._add_article, []

def add_then_die(writer, article, *args, **kwargs):
    # Dies (SIGKILL, nothing flushed) inside the third batch's transaction, after one of
    # its articles is written: what a kill -9 of the loader at any moment may leave.
    real(writer, article, *args, **kwargs)
    calls.append(article.id)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)

ingest._add_article = add_then_die
spark = spark_session("local[1]", app="onrecord-killed-loader")
for _ in load_run(spark, sys.argv[1], Store(sys.argv[2]), batch_size=1):
    pass
"""


def test_a_loader_killed_mid_batch_leaves_whole_articles_and_a_rerun_loads_each_once(
    spark, killed_worker_run, tmp_path
) -> None:
    """The Spark loader's write path, killed -9 inside a transaction: the store holds the
    two batches committed before it, and loading the run again adds the rest once."""
    from onrecord.spark.load import load_run
    from onrecord.store import Store

    output, _, _ = killed_worker_run
    clean = Store(str(tmp_path / "clean.sqlite"))
    counts = [c for _, c in load_run(spark, str(output), clean, batch_size=1)]
    added = sum(c.added for c in counts)
    before_the_kill = sum(c.added for c in counts[:2])
    assert len(counts) > 3 and added > before_the_kill
    db = str(tmp_path / "killed.sqlite")
    done = subprocess.run(
        [sys.executable, "-c", KILLED_LOADER, str(output), db],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    killed = Store(db)
    assert killed.count()["articles"] == before_the_kill  # the third batch rolled back
    again = sum(c.added for _, c in load_run(spark, str(output), killed))
    assert again == added - before_the_kill
    assert killed.count() == clean.count()
