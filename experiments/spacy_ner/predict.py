"""Run a trained spaCy NER model on PolNeAR dev and write predicted spans as offsets.

Output: one JSON line per article, {"id", "spans": [{"label", "start", "end"}]} where
label is cue|source|content and start/end are half-open char offsets into the article.
Also reports throughput (articles/s) with the model loaded once and nlp.pipe on one thread.

Usage: OMP_NUM_THREADS=1 python experiments/spacy_ner/predict.py --model DIR [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import spacy  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from onrecord.evaluation.polnear import read_split  # noqa: E402

sys.path.insert(0, str(HERE))
import syntax_feats  # noqa: E402,F401  registers the component used by the syntax variant


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(HERE / "model" / "model-best"))
    ap.add_argument("--data", default="/work/shared/data/polnear")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--out", default=str(HERE / "dev_spans.jsonl"))
    args = ap.parse_args()

    articles = list(read_split(args.data, args.split))
    t0 = time.perf_counter()
    nlp = spacy.load(args.model)
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=8))
    elapsed = time.perf_counter() - t0
    n_tok = sum(len(d) for d in docs)

    with open(args.out, "w", encoding="utf-8") as out:
        for article, doc in zip(articles, docs):
            spans = [
                {"label": ent.label_.lower(), "start": ent.start_char, "end": ent.end_char}
                for ent in doc.ents
            ]
            out.write(json.dumps({"id": article.id, "spans": spans}) + "\n")
    print(f"model load {t_load:.1f}s; {len(docs)} articles, {n_tok} tokens in {elapsed:.1f}s: "
          f"{len(docs) / elapsed:.2f} articles/s, {n_tok / elapsed:.0f} tokens/s "
          f"(pipeline {nlp.pipe_names}, torch threads n/a, OMP_NUM_THREADS="
          f"{os.environ.get('OMP_NUM_THREADS')})")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
