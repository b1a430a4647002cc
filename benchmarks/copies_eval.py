"""Copy detection on a generated evaluation set: precision/recall per relation and origin.

    python benchmarks/copies_eval.py --polnear ../shared/data/polnear [--originals 200]

Raw material: PolNeAR train texts, read at run time (none is stored in the repository).
``--originals`` of them are stored first, in a fresh SQLite store, with no extraction
(copy detection reads text only). Then one copy of each is generated, the kinds in turn:

- exact: the same text between new page furniture (a header and a footer line, marked as
  boilerplate, as the boilerplate detector would);
- near: light edits: one sentence dropped, one added, a date word changed;
- spun: words swapped through ``data/spin-substitutions.tsv`` wherever they occur;
- partial: three consecutive paragraphs placed inside another, unrelated train article;

and as many unrelated train articles as originals are added, which must not be called
copies. Scores: per relation, precision and recall of the predicted relation among the
generated copies and the unrelated articles; origin: share of detected copies linked to
the right original.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from copygen import KINDS, make_copy, substitutions

from onrecord.corpora.polnear import read_split
from onrecord.document import Article
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True, type=Path)
    parser.add_argument("--originals", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = [a.text for a in read_split(args.polnear, "train")]
    rng.shuffle(texts)
    n = args.originals
    originals, unrelated, hosts = texts[:n], texts[n : 2 * n], texts[2 * n : 3 * n]
    table = substitutions()
    store = Store(str(Path(tempfile.mkdtemp()) / "copies-eval.sqlite"))
    add_batch(store, [Article(f"original-{i}", t) for i, t in enumerate(originals)])

    expected: dict[str, tuple[str | None, str | None]] = {}
    generated: list[Article] = []
    for i, text in enumerate(originals):
        kind = KINDS[i % len(KINDS)]
        article_id = f"{kind}-{i}"
        copy = make_copy(kind, text, hosts[i], rng, table)
        generated.append(Article(article_id, copy.text, boilerplate=copy.boilerplate))
        expected[article_id] = (kind, f"original-{i}")
    for i, text in enumerate(unrelated):
        generated.append(Article(f"unrelated-{i}", text))
        expected[f"unrelated-{i}"] = (None, None)
    rng.shuffle(generated)
    started = time.perf_counter()
    for start in range(0, len(generated), 50):
        add_batch(store, generated[start : start + 50])
    seconds = time.perf_counter() - started

    predicted = {}
    for article_id in expected:
        found = store.copy_of(article_id)
        predicted[article_id] = (found.relation, found.copy_of) if found else (None, None)
    report = score(expected, predicted)
    report["articles_written"] = len(generated)
    report["ms_per_article"] = round(seconds * 1000 / len(generated), 1)
    print(json.dumps(report, indent=2))


def score(expected: dict, predicted: dict) -> dict:
    rows = {}
    for kind in KINDS:
        tp = sum(1 for k in expected if expected[k][0] == kind and predicted[k][0] == kind)
        n_pred = sum(1 for k in expected if predicted[k][0] == kind)
        n_gold = sum(1 for k in expected if expected[k][0] == kind)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        rows[kind] = {
            "p": round(p, 3),
            "r": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "n_gold": n_gold,
            "n_pred": n_pred,
        }
    detected = [k for k in expected if expected[k][1] and predicted[k][1]]
    right_origin = sum(1 for k in detected if predicted[k][1] == expected[k][1])
    copies = [k for k in expected if expected[k][1]]
    false_copies = sum(1 for k in expected if not expected[k][1] and predicted[k][1])
    confusion = Counter(f"{expected[k][0]}->{predicted[k][0]}" for k in expected)
    return {
        "per_relation": rows,
        "copy_of": {
            "recall": round(len(detected) / len(copies), 3),
            "origin_accuracy": round(right_origin / len(detected), 3) if detected else 0.0,
            "unrelated_called_copies": false_copies,
        },
        "confusion": dict(sorted(confusion.items())),
    }


if __name__ == "__main__":
    main()
