"""`onrecord ingest` and the query commands end to end, including a kill -9 mid-ingest.

Articles are written by the tests. The pipeline runs for real in subprocesses."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROLES = ["mayor", "harbour master", "council leader", "fire chief", "head teacher"]
TOWNS = [
    "Eastport",
    "Westhaven",
    "Northby",
    "Southmere",
    "Kingsford",
    "Oldbridge",
    "Fenwick",
    "Marlow",
]


def write_corpus(root: Path) -> int:
    """40 short articles in nested folders (and one file of another kind to skip)."""
    n = 0
    for role in ROLES:
        for town in TOWNS:
            folder = root / town.lower()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{role.replace(' ', '-')}.txt").write_text(
                f"The {role} of {town} said on Monday that the ferry would run every hour.\n\n"
                f"\u201cWe are ready for the winter in {town},\u201d she told reporters.\n",
                encoding="utf-8",
            )
            n += 1
    (root / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    return n


def onrecord(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "onrecord", *args],
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,
    )


def stored(db: Path) -> dict[str, list[str]]:
    """Article id -> the contents of its attributions, read straight from the file."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT a.id, t.content_text FROM articles a LEFT JOIN attributions t "
            "ON t.article_key = a.key ORDER BY a.id, t.ordinal"
        ).fetchall()
    found: dict[str, list[str]] = {}
    for article, content in rows:
        found.setdefault(article, [])
        if content is not None:
            found[article].append(content)
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("corpus")
    return root, write_corpus(root)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, list[str]]:
    root, n = corpus
    db = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    result = onrecord("ingest", str(root), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert f"{n} articles added" in result.stderr
    return stored(db)


def test_ingest_walks_directories_and_a_rerun_changes_nothing(corpus, reference, tmp_path):
    root, n = corpus
    assert len(reference) == n
    assert all(contents for contents in reference.values())
    db = tmp_path / "again.sqlite"
    onrecord("ingest", str(root), "--db", str(db))
    rerun = onrecord("ingest", str(root), "--db", str(db))
    assert rerun.returncode == 0 and f"0 articles added (0 as new versions), {n} already" in (
        rerun.stderr
    )
    assert stored(db) == reference


def test_kill_9_during_ingest_then_rerun_loses_and_duplicates_nothing(corpus, reference, tmp_path):
    root, n = corpus
    db = tmp_path / "killed.sqlite"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onrecord",
            "ingest",
            str(root),
            "--db",
            str(db),
            "--batch-size",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists() and 4 <= len(stored_safely(db)) < n:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = stored_safely(db)
    assert 0 < len(partial) < n, "the kill should land mid-ingest"
    assert all(partial[k] == reference[k] for k in partial)  # whole articles only
    result = onrecord("ingest", str(root), "--db", str(db), "--batch-size", "2")
    assert result.returncode == 0, result.stderr
    assert stored(db) == reference


def stored_safely(db: Path) -> dict[str, list[str]]:
    try:
        return stored(db)
    except sqlite3.OperationalError:  # tables not created yet
        return {}


def test_search_speaker_and_article_commands(corpus, reference, tmp_path):
    root, _ = corpus
    db = tmp_path / "q.sqlite"
    onrecord("ingest", str(root / "eastport"), "--db", str(db))
    result = onrecord("search", "ferry hour", "--db", str(db), "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(rows) == len(ROLES)
    assert all("ferry would run every hour" in r["content"] for r in rows)
    csv_out = onrecord("search", "winter", "--db", str(db), "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("published,outlet,article,speaker,cue,content")
    assert csv_out.splitlines()[0].endswith(",url,speaker_score")
    article = onrecord("article", "mayor", "--db", str(db), "--format", "jsonl")
    assert json.loads(article.stdout)["id"] == "mayor"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["search", "ferry", "--db", "missing.sqlite"], 3, "no such database"),
        (["search", "'\"--", "--db", "{db}"], 2, "no words"),
        (["search", "x" * 600, "--db", "{db}"], 2, "longer than"),
        (["search", "ferry", "--db", "{db}", "--since", "last week"], 2, "not a date"),
        (["article", "nobody", "--db", "{db}"], 3, "no article"),
        (["ingest", "{corpus}", "--db", "mysql://host/news"], 3, "mysql"),
    ],
)
def test_bad_queries_and_databases_are_one_line_errors(corpus, tmp_path, args, code, message):
    db = tmp_path / "empty.sqlite"
    sqlite3.connect(db).close()
    args = [a.format(db=db, corpus=corpus[0]) for a in args]
    result = onrecord(*args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
