"""Score predicted spans (jsonl from predict.py) against PolNeAR gold fragments.

Exact: a predicted span is correct if its offsets, after trimming whitespace and the
characters " “ ” ' ‘ ’ , . ; : from both ends, equal a gold fragment trimmed the same way
(sets of (start, end) per doc and type, micro-averaged).
Char overlap: micro P/R/F1 over labelled character positions per type (same trimming).

Usage: python experiments/spacy_ner/evaluate.py [--pred FILE] [--split dev]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from onrecord.evaluation.polnear import read_split  # noqa: E402

TYPES = ("cue", "source", "content")
TRIM = set(" \t\n\r\f\v\u00a0\"“”'‘’,.;:")


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s] in TRIM or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in TRIM or text[e - 1].isspace()):
        e -= 1
    return s, e


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pred", default=str(HERE / "dev_spans.jsonl"))
    ap.add_argument("--data", default="/work/shared/data/polnear")
    ap.add_argument("--split", default="dev")
    args = ap.parse_args()

    preds = {}
    with open(args.pred, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            preds[row["id"]] = row["spans"]

    ex = defaultdict(lambda: [0, 0, 0])  # tp, n_pred, n_gold
    ch = defaultdict(lambda: [0, 0, 0])
    n_docs = 0
    for article in read_split(args.data, args.split):
        n_docs += 1
        text = article.text
        gold = {t: set() for t in TYPES}
        for att in article.attributions:
            for t in TYPES:
                for s, e in att.spans(t):
                    s, e = trim(text, s, e)
                    if s < e:
                        gold[t].add((s, e))
        pred = {t: set() for t in TYPES}
        for span in preds.get(article.id, []):
            s, e = trim(text, span["start"], span["end"])
            if s < e:
                pred[span["label"]].add((s, e))
        for t in TYPES:
            ex[t][0] += len(gold[t] & pred[t])
            ex[t][1] += len(pred[t])
            ex[t][2] += len(gold[t])
            gc = {i for s, e in gold[t] for i in range(s, e)}
            pc = {i for s, e in pred[t] for i in range(s, e)}
            ch[t][0] += len(gc & pc)
            ch[t][1] += len(pc)
            ch[t][2] += len(gc)

    print(f"{n_docs} {args.split} articles; {args.pred}")
    print(f"{'type':8} {'exact P':>8} {'exact R':>8} {'exact F1':>8} {'char P':>7} {'char R':>7} "
          f"{'char F1':>7} {'n_gold':>6} {'n_pred':>6}")
    tot_ex, tot_ch = [0, 0, 0], [0, 0, 0]
    for t in TYPES:
        p, r, f = prf(*ex[t])
        cp, cr, cf = prf(*ch[t])
        print(f"{t:8} {p:8.3f} {r:8.3f} {f:8.3f} {cp:7.3f} {cr:7.3f} {cf:7.3f} "
              f"{ex[t][2]:6d} {ex[t][1]:6d}")
        tot_ex = [a + b for a, b in zip(tot_ex, ex[t])]
        tot_ch = [a + b for a, b in zip(tot_ch, ch[t])]
    p, r, f = prf(*tot_ex)
    cp, cr, cf = prf(*tot_ch)
    print(f"{'micro':8} {p:8.3f} {r:8.3f} {f:8.3f} {cp:7.3f} {cr:7.3f} {cf:7.3f} "
          f"{tot_ex[2]:6d} {tot_ex[1]:6d}")


if __name__ == "__main__":
    main()
