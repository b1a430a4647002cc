"""Latency of the web UI's pages on a store of 10,000 articles, over HTTP on localhost.

    python benchmarks/workbench_latency.py --work /tmp/workbench-bench [--articles 10000]

1. Writes a store of synthetic articles (made here, from a small vocabulary written for
   the project) straight through ``add_batch`` (no extraction): three statements each by
   200 speakers in 30 outlets over a year, every tenth article a reprint of an earlier one
   in another outlet (a copy link and a claim with two sources).
2. Serves it with ``onrecord serve``'s app (uvicorn, one worker) and times each page of
   the UI as the browser loads it: the API calls it makes, one after another (home:
   /api/dashboard; search: /api/claims; article: the article, its claims and copy links;
   speaker: the profile and the claims; claim: the claim). Median and p95 over 60 loads
   per page, with different queries, articles, speakers and claims.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import select

from onrecord.document import Article, Attribution
from onrecord.interfaces.api import create_app
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store
from onrecord.store.schema import articles, claims, speakers

FIRST = ["Ann", "Tom", "Priya", "Maria", "John", "Helen", "Omar", "Lena", "Kofi", "Mei"]
LAST = [
    f"{a}{b}" for a in ("Har", "Bel", "Cor", "Dun", "Ell") for b in ("ton", "ford", "ley", "by")
]
OUTLETS = [
    f"{place} {kind}"
    for place in ("Eastport", "Westhaven", "Coast", "Northfield", "Riverside", "Lowmoor")
    for kind in ("Herald", "Post", "Radio", "News", "Gazette")
]
SUBJECTS = [
    "the pier",
    "the bridge",
    "the ferry",
    "the school",
    "the hospital",
    "the tram line",
    "the harbour",
    "the market",
    "the library",
    "the bypass",
    "the reservoir",
    "the port",
]
PREDICATES = [
    "would reopen before the spring",
    "was likely to cost more than planned",
    "had failed its safety inspection",
    "would close for repairs in May",
    "needed more staff this winter",
    "would be sold to a private operator",
    "could flood if the rain continued",
    "was running ahead of schedule",
    "had been damaged in the storm",
    "would get new funding next year",
]


def synthetic(n: int, rng: random.Random) -> list[Article]:
    people = [f"{rng.choice(FIRST)} {last}" for last in LAST for _ in range(10)][:200]
    made: list[Article] = []
    for i in range(n):
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(365))
        outlet = rng.choice(OUTLETS)
        if i % 10 == 9 and made:  # a reprint of an earlier article, elsewhere
            source = rng.choice(made[-500:])
            made.append(
                Article(
                    f"reprint/{i}",
                    source.text,
                    source.attributions,
                    outlet=outlet,
                    published=(day + timedelta(days=1)).isoformat(),
                )
            )
            continue
        text, spans = "", []
        for _ in range(3):
            who = rng.choice(people)
            what = f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} for {rng.randrange(1000)}"
            start = len(text)
            text += f"{who} said {what}.\n\n"
            said = start + len(who) + 1
            spans.append(
                Attribution(
                    [(start, start + len(who))],
                    [(said, said + 4)],
                    [(said + 5, said + 5 + len(what))],
                    speaker=who,
                    speaker_type="person",
                    speaker_score=0.9,
                )
            )
        made.append(
            Article(
                f"{outlet.split()[0].lower()}/{i}",
                text,
                spans,
                outlet=outlet,
                published=day.isoformat(),
                url=f"https://news.example/{i}",
            )
        )
    return made


def build(db: str, n: int, rng: random.Random) -> float:
    store = Store(db)
    started = time.perf_counter()
    batch = synthetic(n, rng)
    for start in range(0, len(batch), 250):
        add_batch(store, batch[start : start + 250])
    return time.perf_counter() - started


def serve(db: str) -> tuple[uvicorn.Server, int]:
    port = 8765
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def pages(db: str, rng: random.Random, loads: int) -> dict[str, list[list[str]]]:
    """Each page of the UI as the API calls it makes, ``loads`` times with other values."""
    store = Store(db)
    with store.engine.connect() as c:
        ids = c.execute(select(articles.c.id)).scalars().all()
        names = c.execute(select(speakers.c.name)).scalars().all()
        keys = c.execute(select(claims.c.key)).scalars().all()
    words = [w for s in SUBJECTS + PREDICATES for w in s.split() if len(w) > 3]
    queries = [rng.choice(words) + (f" {rng.choice(words)}" if i % 2 else "") for i in range(loads)]
    sorts = ["newest", "sources"]
    return {
        "home": [["/api/dashboard"]] * loads,
        "search": [
            [f"/api/claims?q={q}&sort={sorts[i % 2]}&page={1 + i % 3}"]
            for i, q in enumerate(queries)
        ],
        "search+facet": [[f"/api/claims?q={q}&outlet={rng.choice(OUTLETS)}"] for q in queries],
        "article": [
            [f"/api/articles/{a}", f"/api/article-claims/{a}", f"/api/copy-links/{a}"]
            for a in rng.sample(ids, loads)
        ],
        "speaker": [
            [f"/api/speaker-profile?name={s}", f"/api/speaker?name={s}"]
            for s in rng.sample(names, min(loads, len(names)))
        ],
        "claim": [[f"/api/claims/{k}"] for k in rng.sample(keys, loads)],
    }


def measure(port: int, plan: dict[str, list[list[str]]]) -> dict[str, dict[str, float]]:
    results = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        client.get("/")  # warm up
        for name, loads in plan.items():
            timings = []
            for calls in loads:
                started = time.perf_counter()
                for path in calls:
                    response = client.get(path)
                    assert response.status_code == 200, (path, response.text[:200])
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            results[name] = {
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[max(0, int(0.95 * len(timings)) - 1)], 1),
            }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=60)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    db = str(args.work / f"workbench-{args.articles}.sqlite")
    rng = random.Random(16)
    built = None if Path(db).exists() else round(build(db, args.articles, rng), 1)
    server, port = serve(db)
    try:
        report = {
            "articles": args.articles,
            "build_s": built,
            "pages": measure(port, pages(db, rng, args.loads)),
        }
    finally:
        server.should_exit = True
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
