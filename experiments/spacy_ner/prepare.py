"""Convert PolNeAR train/dev to spaCy DocBin files for NER training.

Each fragment of a source/cue/content span becomes one entity (CUE, SOURCE, CONTENT).
Fragments are stripped of surrounding whitespace, snapped to tokens with
alignment_mode="expand"; entities overlapping an already kept one are dropped.
Docs are kept whole (no sentence/paragraph splitting).

Usage: python experiments/spacy_ner/prepare.py [--data DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import sys

import spacy
from spacy.tokens import DocBin

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from onrecord.evaluation.polnear import read_split

HERE = Path(__file__).resolve().parent
LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}


def strip_fragment(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def article_to_doc(nlp, article, stats: Counter):
    doc = nlp.make_doc(article.text)
    cands = []
    for att in article.attributions:
        for span_type, label in LABELS.items():
            for s, e in att.spans(span_type):
                s, e = strip_fragment(article.text, s, e)
                if s >= e:
                    stats["empty"] += 1
                    continue
                span = doc.char_span(s, e, label=label, alignment_mode="expand")
                if span is None or len(span) == 0:
                    stats["unaligned"] += 1
                    continue
                cands.append(span)
    cands.sort(key=lambda sp: (sp.start, -len(sp)))
    kept, taken, seen = [], set(), set()
    for span in cands:
        key = (span.start, span.end, span.label_)
        if key in seen:  # same fragment shared by several attributions
            stats["duplicate"] += 1
            continue
        seen.add(key)
        toks = set(range(span.start, span.end))
        if toks & taken:
            stats["conflict"] += 1
            continue
        taken |= toks
        kept.append(span)
        stats[span.label_] += 1
    doc.ents = sorted(kept, key=lambda sp: sp.start)
    stats["tokens"] += len(doc)
    return doc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data/polnear")
    ap.add_argument("--out", default=str(HERE / "corpus"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")  # same tokenizer as en_core_web_sm
    for split in ("train", "dev"):
        stats: Counter = Counter()
        db = DocBin(store_user_data=False)
        n = 0
        for article in read_split(args.data, split):
            db.add(article_to_doc(nlp, article, stats))
            n += 1
        db.to_disk(out / f"{split}.spacy")
        print(split, n, "docs", dict(stats))


if __name__ == "__main__":
    main()
