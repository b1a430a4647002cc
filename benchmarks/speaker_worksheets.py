"""Write labelling worksheets for speaker labels (see benchmarks/data/SPEAKERS-GUIDE.md).

Each worksheet holds articles of a PolNeAR split with every gold source marked inline as
``⟦S<n> text⟧`` and a table of the sources that are not plainly a full name. Worksheets
hold article text, so they go to an ignored folder (``runs/``), never into the repository.

    python benchmarks/speaker_worksheets.py --polnear ../shared/data/polnear --split train \
        --every 9 --offset 4 --sheets 4 --out runs/speaker-labelling
"""

from __future__ import annotations

import argparse
from pathlib import Path

from onrecord.corpora.polnear import read_split

PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "who", "us"}


def guessed_form(text: str) -> str:
    words = text.split()
    if text.lower() in PRONOUNS:
        return "pronoun"
    if not any(w[:1].isupper() for w in words[1:] + [words[0] if len(words) == 1 else ""]):
        return "description"
    return "name?"


def worksheet(article) -> str:
    sources = sorted({a.source[0] for a in article.attributions if a.source})
    marked, cursor = [], 0
    for n, (start, end) in enumerate(sources, 1):
        marked += [article.text[cursor:start], f"⟦S{n} {article.text[start:end]}⟧"]
        cursor = end
    marked.append(article.text[cursor:])
    rows = []
    for n, (start, end) in enumerate(sources, 1):
        words = article.text[start:end]
        rows.append(f"| S{n} | {start} | {end} | {words!r} | {guessed_form(words)} |")
    return "\n".join(
        [
            f"## {article.id}",
            "",
            "".join(marked),
            "",
            "| id | start | end | source | guess |",
            "|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", required=True)
    parser.add_argument("--split", default="train")
    parser.add_argument("--every", type=int, default=9)
    parser.add_argument("--offset", type=int, default=4)
    parser.add_argument("--sheets", type=int, default=4)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    articles = sorted(read_split(args.polnear, args.split), key=lambda a: a.id)
    chosen = articles[args.offset :: args.every]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for sheet in range(args.sheets):
        part = chosen[sheet :: args.sheets]
        text = "\n".join(worksheet(a) for a in part)
        (out / f"sheet-{sheet + 1}.md").write_text(text, encoding="utf-8")
        print(f"sheet-{sheet + 1}.md: {len(part)} articles")


if __name__ == "__main__":
    main()
