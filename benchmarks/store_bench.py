"""Ingest throughput, database size and search latency of the store.

    python benchmarks/store_bench.py --polnear ../shared/data/polnear --work /tmp/store-bench \
        [--db postgresql://...] [--jobs 2]

1. Writes 1,000 articles as JSONL: PolNeAR train and dev texts (924), plus 76 variants of
   train texts (see ``vary``), and times ``onrecord ingest`` on them (full pipeline).
2. Database size per 1,000 articles (SQLite file size).
3. Search latency: median and p95 over 100 queries of two words drawn from stored contents.
4. Grows the store to 10,000 articles with variants of the stored, already extracted
   articles, written straight to the store (no extraction), and measures latency again.

Variants keep every offset valid: 20% of the words are replaced by other corpus words of
the same length, digits are shifted, and the published date moves by a few days.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from onrecord.copies.compare import article_words, fingerprint, paragraph_digests
from onrecord.copies.index import CopyIndex
from onrecord.corpora.polnear import read_split
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store
from onrecord.store.schema import articles as articles_table
from onrecord.store.schema import attributions

WORD = re.compile(r"[A-Za-z]+")


def vary(text: str, vocabulary: dict[int, list[str]], rng: random.Random) -> str:
    """The same text with 20% of words swapped for same-length words, digits shifted."""
    shift = rng.randint(1, 9)

    def word(match: re.Match) -> str:
        w = match.group()
        if rng.random() > 0.2 or len(w) not in vocabulary:
            return w
        new = rng.choice(vocabulary[len(w)])
        return new.capitalize() if w[0].isupper() else new

    text = WORD.sub(word, text)
    return re.sub(r"\d", lambda m: str((int(m.group()) + shift) % 10), text)


def corpus(polnear: Path, rng: random.Random) -> tuple[list[dict], dict[int, list[str]]]:
    texts = [(f"train/{a.id}", a.text) for a in read_split(polnear, "train")]
    texts += [(f"dev/{a.id}", a.text) for a in read_split(polnear, "dev")]
    vocabulary: dict[int, set[str]] = {}
    for _, t in texts:
        for w in WORD.findall(t.lower()):
            vocabulary.setdefault(len(w), set()).add(w)
    vocab = {n: sorted(ws) for n, ws in vocabulary.items()}
    records = []
    for i, (name, t) in enumerate(texts):
        records.append(
            {
                "id": name,
                "text": t,
                "outlet": name.split("/")[1].split("_")[0],
                "published": (date(2016, 9, 1) + timedelta(days=i % 60)).isoformat(),
            }
        )
    for i in range(1000 - len(records)):
        name, t = texts[i]
        records.append(
            {
                "id": f"variant/{i}",
                "text": vary(t, vocab, rng),
                "outlet": "variant",
                "published": "2016-10-15",
            }
        )
    return records, vocab


def latency(store: Store, queries: list[str]) -> dict[str, float]:
    timings = []
    for q in queries:
        started = time.perf_counter()
        store.search(q, limit=20)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
    }


def queries_from(store: Store, rng: random.Random, n: int = 100) -> list[str]:
    with store.engine.connect() as connection:
        contents = connection.execute(select(attributions.c.content_text).limit(500)).scalars()
        words = [w for c in contents for w in WORD.findall(c) if len(w) > 4]
    return [
        f"{rng.choice(words)} {rng.choice(words)}" if i % 2 else rng.choice(words) for i in range(n)
    ]


def grow(store: Store, target: int, vocab: dict[int, list[str]], rng: random.Random) -> float:
    with store.engine.connect() as connection:
        ids = connection.execute(select(articles_table.c.id)).scalars().all()
    stored = [store.article(i).to_document() for i in ids]
    started = time.perf_counter()
    n, round_ = len(stored), 0
    while n < target:
        round_ += 1
        batch = []
        for article in stored[: target - n]:
            text = vary(article.text, vocab, rng)
            published = date.fromisoformat(article.published or "2016-10-01")
            batch.append(
                replace(
                    article,
                    id=f"{article.id}~{round_}",
                    text=text,
                    url=None,
                    published=(published + timedelta(days=round_)).isoformat(),
                )
            )
        for start in range(0, len(batch), 200):
            n += add_batch(store, batch[start : start + 200]).added
    return time.perf_counter() - started


def db_mib(db: str) -> float:
    files = [Path(db), Path(db + "-wal")]
    return round(sum(f.stat().st_size for f in files if f.exists()) / 2**20, 1)


def copy_detection_ms(store: Store) -> float:
    """Fingerprinting, LSH look-up and verification per article, replayed in ingest order
    over the stored articles (the part of ingest that copies add)."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(
                articles_table.c.key, articles_table.c.text, articles_table.c.boilerplate
            ).order_by(articles_table.c.key)
        ).all()
    index = CopyIndex([])
    seen: dict[int, list] = {}
    by_digest: dict[int, list[int]] = {}  # stands in for the store's paragraphs table
    started = time.perf_counter()
    for key, text, boilerplate in rows:
        words = article_words(text, [tuple(f) for f in boilerplate])
        minhash, digests = fingerprint(words), paragraph_digests(words)
        sharing = [k for d in digests for k in by_digest.get(d, [])[:50]]
        index.find(minhash, words, seen.__getitem__, sharing[:5])
        index.stage(key, minhash)
        index.commit()
        seen[key] = words
        for d in digests:
            by_digest.setdefault(d, []).append(key)
    return round((time.perf_counter() - started) * 1000 / len(rows), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--db", help="database address (default: WORK/bench.sqlite)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(0)
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.db or str(args.work / "bench.sqlite")
    records, vocab = corpus(args.polnear, rng)
    source = args.work / "articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "onrecord",
            "ingest",
            str(source),
            "--db",
            db,
            "--jobs",
            str(args.jobs),
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    store = Store(db)
    results: dict[str, object] = {
        "articles": store.count()["articles"],
        "ingest_seconds": round(seconds, 1),
        "ingest_articles_per_s": round(len(records) / seconds, 2),
        "jobs": args.jobs,
    }
    if store.dialect == "sqlite":
        results["db_mib_per_1000"] = db_mib(db)
    results["copy_detection_ms_per_article"] = copy_detection_ms(store)
    results["copy_detection_share_of_ingest"] = round(
        results["copy_detection_ms_per_article"] / 1000 / (seconds / len(records)), 3
    )
    queries = queries_from(store, rng)
    results["search_1000"] = latency(store, queries)
    results["grow_to_10000_seconds"] = round(grow(store, 10_000, vocab, rng), 1)
    results["articles_after_growth"] = store.count()["articles"]
    results["search_10000"] = latency(store, queries)
    if store.dialect == "sqlite":
        results["db_mib_at_10000"] = db_mib(db)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
