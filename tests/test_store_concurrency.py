"""Several writers at once, on SQLite and on a real PostgreSQL server: 2 and 4 concurrent
`onrecord ingest` processes of one corpus into a new store and into one that holds part
of it, the same with processes that call the ingest API on articles extracted by hand
(started together at a barrier, so that they race on every article), concurrent upgrades
of a schema-7 store, and a kill -9 mid-ingest (CLI and API).

Each run must leave what one sequential ingest leaves: every article once per (id,
version), each with the same statements, copy links and claims, and every process exits
0. The corpus is written here (short articles, many of them reprints of each other) and
extracted by the shipped model in subprocesses, as `onrecord ingest` runs."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from multiprocessing import get_context
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from onrecord.store.dialect import database_url
from onrecord.store.schema import SCHEMA_VERSION

SCHEMA_ROW = "SELECT value FROM onrecord_settings WHERE name = 'schema'"

ROLES = ["mayor", "harbour master", "council leader", "fire chief"]
TOWNS = [
    "Eastport",
    "Westhaven",
    "Northby",
    "Southmere",
    "Kingsford",
    "Oldbridge",
    "Fenwick",
    "Marlow",
    "Ashby",
    "Brampton",
    "Carlow",
    "Dunmore",
]
SMALL = 4  # towns in the corpus the concurrent ingests share (16 articles)
STORED = 1  # towns already in the "existing" store (4 articles)
BATCH = "3"  # articles per transaction in the concurrent ingests: many interleavings


def write_corpus(root: Path, towns: int) -> int:
    """Four articles per town, in folders that sort in town order: a corpus of fewer
    towns is the start of a larger one, in the order ingest walks it."""
    n = 0
    for t, town in enumerate(TOWNS[:towns]):
        folder = root / f"{t:02d}-{town.lower()}"
        folder.mkdir(parents=True, exist_ok=True)
        for r, role in enumerate(ROLES):
            if (t + r) % 2:
                body = (
                    f"The {role} of {town} said on Monday that the ferry would run every "
                    f"hour.\n\n\u201cWe are ready for the winter in {town},\u201d she told "
                    "reporters.\n"
                )
            else:
                body = (
                    f"Residents of {town} will pay more for parking from April, the {role} "
                    f"said on Tuesday.\n\n\u201cThe harbour road needs new lights,\u201d he "
                    "said.\n"
                )
            (folder / f"{role.replace(' ', '-')}.txt").write_text(body, encoding="utf-8")
            n += 1
    return n


def onrecord(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "onrecord", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr[-2000:]
    return stderr


def added(stderr: str) -> int:
    return int(re.search(r"(\d+) articles added", stderr).group(1))


def record(url: str) -> dict:
    """What a store holds, independent of its keys: each (id, version) with how many rows
    it has, each article's statements, the copy links and the claims (as sets of
    statements)."""
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, version, content_hash, count(*) FROM articles "
                    "GROUP BY id, version, content_hash"
                )
            ).all()
            statements = connection.execute(
                text(
                    "SELECT a.id, t.ordinal, t.source_text, t.cue_text, t.content_text, "
                    "t.speaker, t.independent_source, t.claim_key FROM attributions t "
                    "JOIN articles a ON a.key = t.article_key ORDER BY a.id, t.ordinal"
                )
            ).all()
            copied = connection.execute(
                text(
                    "SELECT a.id, o.id, c.relation FROM copies c "
                    "JOIN articles a ON a.key = c.article_key "
                    "JOIN articles o ON o.key = c.origin_key"
                )
            ).all()
            claim_rows = connection.execute(text("SELECT count(*) FROM claims")).scalar()
    finally:
        engine.dispose()
    claims: dict[int, set] = {}
    by_article: dict[str, list] = {}
    for article, ordinal, *words, claim in statements:
        by_article.setdefault(article, []).append((ordinal, *words))
        claims.setdefault(claim, set()).add((article, ordinal))
    return {
        "rows": {(i, v): (h, n) for i, v, h, n in rows},
        "statements": by_article,
        "copies": set(copied),
        "claims": {frozenset(c) for c in claims.values()},
        "claim_rows": claim_rows,
    }


def within(full: dict, ids: set[str]) -> dict:
    """The record of a sequential ingest of the start of its corpus (``ids``): later
    articles change nothing that earlier ones were given."""
    claims = {frozenset(s for s in c if s[0] in ids) for c in full["claims"]} - {frozenset()}
    return {
        "rows": {k: v for k, v in full["rows"].items() if k[0] in ids},
        "statements": {k: v for k, v in full["statements"].items() if k in ids},
        "copies": {c for c in full["copies"] if c[0] in ids},
        "claims": claims,
        "claim_rows": len(claims),
    }


def assert_once(found: dict, expected: dict) -> None:
    extra = {k: n for k, (_, n) in found["rows"].items() if n != 1}
    assert not extra, f"rows stored more than once: {extra}"
    assert found["rows"] == expected["rows"]
    assert found["statements"] == expected["statements"]
    assert found["copies"] == expected["copies"]
    assert found["claims"] == expected["claims"]
    assert found["claim_rows"] == expected["claim_rows"]


# -- the corpus, its sequential record, and stores to start from ----------------------


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corpora")
    write_corpus(root / "large", len(TOWNS))
    write_corpus(root / "small", SMALL)
    write_corpus(root / "stored", STORED)
    return {name: root / name for name in ("large", "small", "stored")}


@pytest.fixture(scope="module")
def sequential(corpora, tmp_path_factory) -> dict:
    """The record of one sequential ingest of the large corpus, on SQLite."""
    db = tmp_path_factory.mktemp("sequential") / "one.sqlite"
    stderr = finish(onrecord("ingest", str(corpora["large"]), "--db", str(db)))
    assert added(stderr) == 4 * len(TOWNS)
    return record(str(db))


def ids_of(corpus: Path) -> set[str]:
    return {p.relative_to(corpus).with_suffix("").as_posix() for p in corpus.rglob("*.txt")}


class Databases:
    """New databases on SQLite (files) or on the test's PostgreSQL server."""

    def __init__(self, kind: str, folder: Path, server: str | None) -> None:
        self.kind, self.folder, self.server = kind, folder, server

    def new(self, template: str | None = None) -> str:
        name = f"t{uuid.uuid4().hex[:12]}"
        if self.kind == "sqlite":
            path = self.folder / f"{name}.sqlite"
            if template:
                with sqlite3.connect(template) as source, sqlite3.connect(path) as copy:
                    source.backup(copy)
            return str(path)
        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def url(self, name: str) -> str:
        return self.server.replace("/postgres?", f"/{name}?")

    def name(self, url: str) -> str:
        return url if self.kind == "sqlite" else re.search(r"@/(\w+)\?", url).group(1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def databases(request, tmp_path_factory) -> Databases:
    server = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    return Databases(request.param, tmp_path_factory.mktemp(request.param), server)


@pytest.fixture(scope="module")
def existing(databases, corpora) -> str:
    """A store that already holds the first towns of the corpus: a file, or the name of a
    PostgreSQL database to copy (CREATE DATABASE … TEMPLATE)."""
    url = databases.new()
    stderr = finish(onrecord("ingest", str(corpora["stored"]), "--db", url))
    assert added(stderr) == 4 * STORED
    return databases.name(url)


# -- concurrent ingests -----------------------------------------------------------------


@pytest.mark.parametrize("start", ["new", "existing"])
@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_ingests_store_every_article_once(
    databases, corpora, sequential, existing, start, writers
) -> None:
    url = databases.new(existing if start == "existing" else None)
    began = time.monotonic()
    processes = [
        onrecord("ingest", str(corpora["small"]), "--db", url, "--batch-size", BATCH)
        for _ in range(writers)
    ]
    outputs = [finish(p) for p in processes]
    seconds = time.monotonic() - began
    expected = within(sequential, ids_of(corpora["small"]))
    new_articles = len(expected["rows"]) - (4 * STORED if start == "existing" else 0)
    # Each article is added by exactly one of the writers; the others count it stored.
    assert sum(added(out) for out in outputs) == new_articles, outputs
    found = record(url)
    print(  # for runs/hardening/concurrency.md (pytest -s)
        f"\n{databases.kind} {start} store, {writers} writers: "
        f"{sum(n for _, n in found['rows'].values())} article rows for "
        f"{len(expected['rows'])} articles, "
        f"{sum(len(s) for s in found['statements'].values())} statements for "
        f"{sum(len(s) for s in expected['statements'].values())}, {seconds:.1f} s"
    )
    assert_once(found, expected)


# -- processes calling the ingest API, racing on every article ---------------------------


def hand_extracted(n: int) -> list:
    """``n`` articles with their attributions set by hand (no model): the corpus's two
    kinds of text, so that many are near copies of an earlier one."""
    from onrecord.document import Article, Attribution

    def span(body: str, words: str) -> list[tuple[int, int]]:
        start = body.index(words)
        return [(start, start + len(words))]

    found = []
    for i in range(n):
        town, role = TOWNS[i // len(ROLES) % len(TOWNS)], ROLES[i % len(ROLES)]
        source = f"the {role} of {town}"
        content = "the ferry would run every hour" if i % 2 else "fares will rise in April"
        body = f"{source.capitalize()} said on Monday that {content}."
        found.append(
            Article(
                f"{i:02d}-{town.lower()}/{role}",
                body,
                [
                    Attribution(
                        source=span(body, source.capitalize()),
                        cue=span(body, "said"),
                        content=span(body, content),
                        speaker=f"{role.title()} of {town}",
                        speaker_type="person",
                    )
                ],
                outlet=f"{town.lower()}-news",
                published=f"2024-03-{1 + i % 28:02d}",
            )
        )
    return found


def write_racing(url: str, n: int, batch: int, start, results) -> None:
    """A writer process: wait for the others, then open the store and write every
    article (``batch`` to a transaction); sends what it added and skipped."""
    from onrecord.claims.similarity import meanings
    from onrecord.pipeline.extractor import batched
    from onrecord.pipeline.ingest import add_batch
    from onrecord.store import Store

    meanings(["the ferry would run"], ["said"])  # the vectors are loaded before the race
    start.wait(timeout=60)
    store = Store(url)
    added = skipped = 0
    for articles in batched(hand_extracted(n), batch):
        counts = add_batch(store, articles)
        added, skipped = added + counts.added, skipped + counts.unchanged
    store.engine.dispose()
    results.put((added, skipped))


RACED = 24  # hand-extracted articles the API writers race on
ALREADY = 6  # of which an "existing" store holds the first


@pytest.fixture(scope="module")
def raced_sequentially(tmp_path_factory) -> dict:
    """What one writer leaves: the hand-extracted articles written in order."""
    from onrecord.pipeline.ingest import add_batch
    from onrecord.store import Store

    url = str(tmp_path_factory.mktemp("raced") / "one.sqlite")
    store = Store(url)
    for article in hand_extracted(RACED):
        assert add_batch(store, [article]).added == 1
    store.engine.dispose()
    return record(url)


@pytest.mark.parametrize("start", ["new", "existing"])
@pytest.mark.parametrize("writers", [2, 4])
def test_racing_ingest_api_processes_store_every_article_once(
    databases, raced_sequentially, start, writers
) -> None:
    from onrecord.pipeline.ingest import add_batch
    from onrecord.store import Store

    url = databases.new()
    if start == "existing":
        store = Store(url)
        add_batch(store, hand_extracted(ALREADY))
        store.engine.dispose()
    # Forked: each writer starts with the vectors this process loaded, and no engine of
    # its own (a forked process leaves through os._exit: it closes none of this one's).
    context = get_context("fork")
    barrier, sent = context.Barrier(writers), context.Queue()
    began = time.monotonic()
    processes = [
        context.Process(target=write_racing, args=(url, RACED, 1 + w % 3, barrier, sent))
        for w in range(writers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * writers
    results = [sent.get(timeout=1) for _ in processes]
    seconds = time.monotonic() - began
    stored_before = ALREADY if start == "existing" else 0
    assert sum(added for added, _ in results) == RACED - stored_before, results
    assert all(added + skipped == RACED for added, skipped in results), results
    found = record(url)
    print(
        f"\n{databases.kind} {start} store, {writers} API writers: "
        f"{sum(n for _, n in found['rows'].values())} article rows for {RACED} articles, "
        f"{sum(len(s) for s in found['statements'].values())} statements for {RACED}, "
        f"{seconds:.1f} s"
    )
    assert_once(found, raced_sequentially)


# -- upgrades at once ---------------------------------------------------------------------


def as_schema_7(url: str) -> None:
    """Make a store what schema 7 made: no address keys, no statement parents."""
    engine = create_engine(database_url(url))
    with engine.begin() as connection:
        for statement in (
            "DROP INDEX articles_address_version",
            "DROP INDEX articles_address_text",
            "ALTER TABLE articles DROP COLUMN address_hash",
            "ALTER TABLE attributions DROP COLUMN parent",
            "UPDATE onrecord_settings SET value = '7'",
        ):
            connection.execute(text(statement))
    engine.dispose()


OPEN = "import sys; from onrecord.store import Store; print(Store(sys.argv[1]).count())"


def test_concurrent_opens_upgrade_a_schema_7_store_once(databases, existing) -> None:
    url = databases.new(existing)
    before = record(url)
    as_schema_7(url)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
        assert f"'articles': {4 * STORED}".encode() in out
    engine = create_engine(database_url(url))
    with engine.connect() as connection:
        assert connection.execute(text(SCHEMA_ROW)).scalar() == SCHEMA_VERSION
        unkeyed = "SELECT count(*) FROM articles WHERE address_hash IS NULL"
        assert connection.execute(text(unkeyed)).scalar() == 0
    engine.dispose()
    assert record(url) == before
    assert SCHEMA_VERSION == "9"


# -- kill -9 ---------------------------------------------------------------------------------


def complete_articles(url: str) -> int:
    """Stored articles, read while an ingest may be writing (0 before the tables exist)."""
    engine = create_engine(database_url(url))
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM articles")).scalar()
    except Exception:  # noqa: BLE001 - tables not made yet, or the file locked a moment
        return 0
    finally:
        engine.dispose()


def test_kill_9_mid_ingest_leaves_whole_articles_and_a_rerun_completes_once(
    databases, corpora, sequential
) -> None:
    from onrecord.store import Store

    url = databases.new()
    n = 4 * len(TOWNS)
    process = onrecord("ingest", str(corpora["large"]), "--db", url, "--batch-size", "2")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if 6 <= complete_articles(url) < n - 8:
            break
        time.sleep(0.05)
    assert process.poll() is None, process.communicate()[1][-2000:]  # still ingesting
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    store = Store(url)  # opens, as it was left
    partial = record(url)
    store.engine.dispose()
    assert 0 < len(partial["rows"]) < n, "the kill should land mid-ingest"
    ids = {i for i, _ in partial["rows"]}
    whole = within(sequential, ids)
    assert partial["rows"] == whole["rows"]  # each article once, and only whole articles
    assert partial["statements"] == whole["statements"]
    stderr = finish(onrecord("ingest", str(corpora["large"]), "--db", url, "--batch-size", "2"))
    assert added(stderr) == n - len(ids)
    assert_once(record(url), sequential)


def serving(url: str, port: int, token: str) -> subprocess.Popen:
    """`onrecord serve` with ingest enabled, as a user starts it."""
    env = {**os.environ, "ONRECORD_TOKEN": token}
    return subprocess.Popen(
        [sys.executable, "-m", "onrecord", "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def post_each(port: int, token: str, corpus: Path, stop) -> list[int]:
    """POSTs the corpus's articles one request each, in ingest's order, until ``stop`` is
    set or the server goes; returns the status codes it got."""
    import httpx

    statuses = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        for path in sorted(corpus.rglob("*.txt")):
            if stop.is_set():
                break
            article = {
                "id": path.relative_to(corpus).with_suffix("").as_posix(),
                "text": path.read_text(encoding="utf-8"),
            }
            try:
                response = client.post(
                    "/api/ingest",
                    json={"articles": [article]},
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.TransportError:
                break  # killed mid-request
            statuses.append(response.status_code)
    return statuses


def until_listening(port: int, server: subprocess.Popen) -> None:
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[1][-2000:]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the server never listened")


def test_kill_9_mid_api_ingest_leaves_whole_articles_and_a_resend_completes_once(
    databases, corpora, sequential
) -> None:
    """The API's write path: each request is one transaction, so a server killed while
    it extracts or writes leaves whole articles, and sending everything again (what a
    client does after a failure) adds each missing article once."""
    import socket
    import threading

    from onrecord.store import Store

    url, token, n = databases.new(), "kill-nine-token-0123456789", 4 * len(TOWNS)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = serving(url, port, token)
    until_listening(port, server)
    stop = threading.Event()
    sender = threading.Thread(target=post_each, args=(port, token, corpora["large"], stop))
    sender.start()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and complete_articles(url) < 6:
        time.sleep(0.05)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    sender.join(timeout=60)
    Store(url).engine.dispose()  # opens, as it was left
    partial = record(url)
    assert 0 < len(partial["rows"]) < n, "the kill should land mid-ingest"
    ids = {i for i, _ in partial["rows"]}
    whole = within(sequential, ids)
    assert partial["rows"] == whole["rows"]  # each article once, and only whole articles
    assert partial["statements"] == whole["statements"]

    server = serving(url, port, token)
    try:
        until_listening(port, server)
        statuses = post_each(port, token, corpora["large"], threading.Event())
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [200] * n
    assert_once(record(url), sequential)
