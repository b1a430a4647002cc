"""Learn the document frequencies of content words, for TF-IDF claim matching.

    python -m onrecord.training.learn_idf --polnear ../shared/data/polnear \
        --out onrecord/claims/idf.tsv

Counts, for each content word, the PolNeAR train articles it occurs in, and writes the
words seen in at least MIN_DOCUMENTS of them with their counts (a word seen once is as
rare as an unseen one). Only words and counts are stored; no article text.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from onrecord.claims.similarity import IDF_TABLE, content_words
from onrecord.corpora.polnear import read_split

MIN_DOCUMENTS = 2


def learn(polnear: Path, split: str = "train") -> tuple[int, Counter]:
    documents, frequencies = 0, Counter()
    for article in read_split(polnear, split):
        documents += 1
        frequencies.update(set(content_words(article.text)))
    return documents, frequencies


def write(documents: int, frequencies: Counter, out: Path) -> int:
    rows = sorted((w, n) for w, n in frequencies.items() if n >= MIN_DOCUMENTS)
    lines = [f"#documents\t{documents}", *(f"{w}\t{n}" for w, n in rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True, type=Path)
    parser.add_argument("--split", default="train")
    parser.add_argument("--out", type=Path, default=IDF_TABLE)
    args = parser.parse_args()
    documents, frequencies = learn(args.polnear, args.split)
    written = write(documents, frequencies, args.out)
    print(f"{args.out}: {written} words from {documents} {args.split} articles")


if __name__ == "__main__":
    main()
