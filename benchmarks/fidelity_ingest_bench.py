"""What quote fidelity costs at ingest: the same articles ingested with and without it.

    python benchmarks/fidelity_ingest_bench.py --polnear ../shared/data/polnear \
        [--cache /tmp/fidelity-dev.jsonl] [--copies 10] [--db postgresql://...] [--json]

1. Full ingest (``onrecord.pipeline.ingest.ingest``: read, extract, write) of PolNeAR dev,
   into a new store, without fidelity and then with it (the pipeline loaded before both).
2. The write stage alone, where fidelity runs, at a larger size: the dev articles as
   extracted (kept in ``--cache``, the file ``fidelity_eval.py --cache`` writes) plus
   ``--copies`` republications of each in other outlets, dated later: half the same text,
   half with 20% of the words swapped (``store_bench.vary``: offsets hold, so quotations
   come back altered, spliced or paraphrased). ``add_batch`` in batches of 32 into a new
   store, with and without fidelity, alternately, best of ``--repeat``.

"Without" is the same code with the fidelity step (``StoreQuotes.catch_up`` and
``add_article``) made a no-op.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

from sqlalchemy import create_engine, text

from onrecord.corpora.polnear import read_split
from onrecord.document import Article
from onrecord.pipeline.extractor import Extractor, batched
from onrecord.pipeline.fidelity_ingest import StoreQuotes, store_quotes
from onrecord.pipeline.ingest import add_batch, ingest
from onrecord.store import Store
from onrecord.store.dialect import database_url

WORD = re.compile(r"[A-Za-z]+")


@contextmanager
def fidelity(on: bool) -> Iterator[None]:
    if on:
        yield
        return
    with (
        patch.object(StoreQuotes, "catch_up", lambda self, writer: None),
        patch.object(StoreQuotes, "add_article", lambda self, *args: None),
    ):
        yield


def new_store(db: str | None, work: Path, name: str) -> Store:
    if db is None:
        path = work / f"{name}.sqlite"
        for old in work.glob(f"{name}.sqlite*"):
            old.unlink()
        return Store(str(path))
    engine = create_engine(database_url(db))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return Store(db)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def extracted(args: argparse.Namespace, extractor: Extractor, raw: list[Article]) -> list:
    if args.cache and args.cache.exists():
        return [Article.from_json(json.loads(line)) for line in args.cache.open()]
    found = list(extractor.extract(raw))
    if args.cache:
        args.cache.write_text("".join(json.dumps(a.to_json()) + "\n" for a in found))
    return found


def republished(articles: list[Article], copies: int, rng: random.Random) -> list[Article]:
    from store_bench import vary

    vocabulary: dict[int, set[str]] = {}
    for article in articles:
        for w in WORD.findall(article.text.lower()):
            vocabulary.setdefault(len(w), set()).add(w)
    vocab = {n: sorted(ws) for n, ws in vocabulary.items()}
    found = list(articles)
    for n in range(copies):
        for article in articles:
            day = date.fromisoformat(article.published) + timedelta(days=1 + n)
            found.append(
                replace(
                    article,
                    id=f"copy-{n}/{article.id}",
                    url=None,
                    text=article.text if n % 2 else vary(article.text, vocab, rng),
                    outlet=f"outlet-{n}",
                    published=day.isoformat(),
                )
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True, type=Path)
    parser.add_argument("--cache", type=Path, help="the dev articles as extracted (jsonl)")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="a PostgreSQL database to use (emptied); default SQLite")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--skip-full", action="store_true", help="the write stage only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(0)
    raw = list(read_split(args.polnear, "dev"))
    for i, article in enumerate(raw):
        article.outlet = article.id.split("_")[0]
        article.published = (date(2016, 9, 1) + timedelta(days=i % 60)).isoformat()
    extractor = Extractor()
    report: dict[str, object] = {"articles": len(raw)}
    if not args.skip_full:
        extractor.extract_one(raw[0].text, "warm-up")
        for on in (False, True):
            store = new_store(args.db, args.work, "fidelity-full")
            with fidelity(on):
                seconds = timed(lambda s=store: [c for _, c in ingest(s, extractor, raw)])
            report[f"full_ingest_s_{'with' if on else 'without'}"] = round(seconds, 1)
            if on:
                report["renderings"] = store.quotes(limit=1).total
        full = report["full_ingest_s_with"] / report["full_ingest_s_without"] - 1
        report["full_ingest_overhead"] = f"{100 * full:+.1f}%"
    found = extracted(args, extractor, raw)
    for article, source in zip(found, raw, strict=True):
        article.outlet, article.published = source.outlet, source.published
    batch = republished(found, args.copies, rng)
    best = {True: float("inf"), False: float("inf")}
    for _ in range(args.repeat):
        for on in (False, True):
            store = new_store(args.db, args.work, "fidelity-write")
            with fidelity(on):
                seconds = timed(lambda s=store: [add_batch(s, b) for b in batched(batch, 32)])
            best[on] = min(best[on], seconds)
            if on:
                page = store.quotes(limit=1)
                related = store.quotes(
                    relations=("verbatim", "trimmed", "spliced", "altered", "paraphrased"),
                    limit=1,
                )
                report["write_renderings"] = page.total
                report["write_related"] = related.total
                reopened = Store(store.url)  # the index rebuilt from the store, as on open
                report["index_rebuild_s"] = round(timed(lambda r=reopened: store_quotes(r)), 2)
    report["write_articles"] = len(batch)
    report["write_s_without"] = round(best[False], 2)
    report["write_s_with"] = round(best[True], 2)
    report["write_ms_per_article_added"] = round(1000 * (best[True] - best[False]) / len(batch), 2)
    print(json.dumps(report) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))


if __name__ == "__main__":
    main()
