"""Copy look-up time per article as the store grows from 1,000 to 100,000 articles.

    python benchmarks/copies_scale.py --polnear ../shared/data/polnear --work /tmp/copies-scale \
        [--sizes 1000 10000 100000] [--probes 200]

Articles are synthesised at run time from the sentences of PolNeAR train and dev (none is
stored in the repository): 6 to 20 paragraphs of one to three sentences drawn at random,
so they read like news, share a sentence now and then, and are all distinct. They are
written through ``add_batch`` (fingerprint, LSH look-up, verification, insert) in batches,
with no extraction. At each size:

- look-up: fingerprinting plus ``CopyIndex.find`` (LSH query, candidate texts read back
  from the database and aligned) for ``--probes`` articles not in the store, half of them
  fresh, half reprints of stored articles under new page furniture; median and p95 ms;
- the LSH indexes: seconds to rebuild them from the fingerprints table when the store is
  opened again, and the memory they take (resident-set growth while rebuilding).
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
from pathlib import Path

from onrecord.copies.compare import article_words, fingerprint, paragraph_digests
from onrecord.copies.origin import sharing
from onrecord.corpora.polnear import read_split
from onrecord.document import Article
from onrecord.pipeline.ingest import add_batch, copy_index
from onrecord.store import Store

WORD = re.compile(r"[A-Za-z]+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def sentence_pool(polnear: Path) -> list[str]:
    pool = []
    for split in ("train", "dev"):
        for article in read_split(polnear, split):
            for paragraph in article.text.split("\n"):
                pool += [s for s in SENTENCE_END.split(paragraph.strip()) if len(s) > 40]
    return pool


def vocabulary(pool: list[str]) -> dict[int, list[str]]:
    by_length: dict[int, set[str]] = {}
    for sentence in pool:
        for word in WORD.findall(sentence.lower()):
            by_length.setdefault(len(word), set()).add(word)
    return {n: sorted(words) for n, words in by_length.items()}


def synthesise(pool: list[str], words: dict[int, list[str]], rng: random.Random) -> str:
    """A new article: sentences drawn from the pool with a third of their words swapped
    for corpus words of the same length (so that 100,000 articles are not made of the
    same few sentences over and over)."""

    def swap(match: re.Match) -> str:
        word = match.group()
        if rng.random() > 0.3:
            return word
        new = rng.choice(words[len(word)])
        return new.capitalize() if word[0].isupper() else new

    paragraphs = [
        WORD.sub(swap, " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))))
        for _ in range(rng.randint(6, 20))
    ]
    return "\n\n".join(paragraphs)


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def grow(
    store: Store,
    target: int,
    pool: list[str],
    words: dict[int, list[str]],
    rng: random.Random,
    texts: list[str],
) -> float:
    started = time.perf_counter()
    while len(texts) < target:
        batch = []
        for _ in range(min(500, target - len(texts))):
            texts.append(synthesise(pool, words, rng))
            batch.append(Article(f"synthetic-{len(texts)}", texts[-1]))
        add_batch(store, batch)
    return time.perf_counter() - started


def look_up_ms(store: Store, probes: list[str]) -> dict[str, float]:
    index = copy_index(store)
    timings, found = [], 0
    with store.writing() as stored:  # the look-ups ingest makes, read through its primitives

        def words_of(key: int):
            return article_words(*stored.article_text(key))

        for text in probes:
            started = time.perf_counter()
            words = article_words(text)
            shared = sharing(stored, paragraph_digests(words))
            found += index.find(fingerprint(words), words, words_of, shared) is not None
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 2),
        "copies_found": found,
    }


def reopen(db: Path) -> dict[str, float]:
    """Rebuild the indexes in a fresh process, so that its memory growth is theirs alone."""
    found = subprocess.run(
        [sys.executable, __file__, "--reopen", str(db)], check=True, capture_output=True, text=True
    )
    return json.loads(found.stdout)


def rebuild(db: Path) -> dict[str, float]:
    before = resident_mib()
    started = time.perf_counter()
    store = Store(str(db))
    index = copy_index(store)
    seconds = time.perf_counter() - started
    entries = len(index.hashes)
    return {
        "rebuild_seconds": round(seconds, 1),
        "index_mib": round(resident_mib() - before, 1),
        "articles_indexed": entries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", type=Path)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--reopen", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--probes", type=int, default=200)
    args = parser.parse_args()
    if args.reopen:
        print(json.dumps(rebuild(args.reopen)))
        return
    if not (args.polnear and args.work):
        parser.error("--polnear and --work are required")
    rng = random.Random(0)
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.work / "scale.sqlite"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    pool = sentence_pool(args.polnear)
    words = vocabulary(pool)
    store = Store(str(db))
    texts: list[str] = []
    results = []
    for size in args.sizes:
        seconds = grow(store, size, pool, words, rng, texts)
        probes = [
            synthesise(pool, words, rng)
            if i % 2
            else "Home | News\n\n" + rng.choice(texts) + "\n\nShare this article"
            for i in range(args.probes)
        ]
        row = {
            "articles": size,
            "ingest_ms_per_article": round(seconds * 1000 / max(1, size - sum_before(results)), 2),
            "look_up": look_up_ms(store, probes),
        }
        row.update(reopen(db))
        results.append(row)
        print(json.dumps(row), flush=True)
    first, last = results[0]["look_up"], results[-1]["look_up"]
    print(
        json.dumps(
            {
                "median_ratio": round(last["median_ms"] / first["median_ms"], 2),
                "p95_ratio": round(last["p95_ms"] / first["p95_ms"], 2),
            }
        )
    )


def sum_before(results: list[dict]) -> int:
    return results[-1]["articles"] if results else 0


if __name__ == "__main__":
    main()
