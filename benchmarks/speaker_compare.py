"""Speaker accuracy of saved predictions, side by side, per source form and per pattern.

Each PRED.jsonl is the ``--out`` of ``onrecord eval`` (PolNeAR dev with the dev speaker
set, or the styles set, whose gold attributions name their speakers):

    python benchmarks/speaker_compare.py --polnear ../shared/data/polnear \
        --labels benchmarks/data/speaker-dev.tsv before.jsonl after.jsonl
    python benchmarks/speaker_compare.py --styles benchmarks/data/styles before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from onrecord.document import Article
from onrecord.evaluation.speakers import (
    SpeakerReport,
    evaluate_speakers,
    labels_from_gold,
    read_labels,
)


def _rows(report: SpeakerReport) -> dict[str, tuple[int, int]]:
    rows = {"all": (report.matched, report.correct)}
    rows.update({f"form: {k}": (c["matched"], c["correct"]) for k, c in report.by_form.items()})
    rows.update(
        {f"pattern: {k}": (c["matched"], c["correct"]) for k, c in report.by_pattern.items()}
    )
    rows["speaker_score >= 0.8"] = (report.confident["matched"], report.confident["correct"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus = parser.add_mutually_exclusive_group(required=True)
    corpus.add_argument("--polnear", metavar="DIR")
    corpus.add_argument("--styles", metavar="DIR")
    parser.add_argument("--labels", metavar="TSV", help="PolNeAR: the speaker labels")
    parser.add_argument("--split", help="dev (PolNeAR) or eval (styles) by default")
    parser.add_argument("predictions", nargs="+", metavar="PRED.jsonl")
    args = parser.parse_args()
    if args.polnear:
        from onrecord.corpora.polnear import read_split

        gold = list(read_split(args.polnear, args.split or "dev"))
        labels = read_labels(args.labels)
    else:
        from onrecord.corpora.styles import read_styles

        gold = [s.article for s in read_styles(args.styles, args.split or "eval")]
        labels = labels_from_gold(gold)
    tables = []
    for path in args.predictions:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        predicted = [Article.from_json(json.loads(line)) for line in lines if line.strip()]
        tables.append(_rows(evaluate_speakers(gold, predicted, labels)))
    names = [Path(p).stem for p in args.predictions]
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key in sorted({k for t in tables for k in t}, key=lambda k: (k != "all", k)):
        cells = []
        for table in tables:
            matched, correct = table.get(key, (0, 0))
            cells.append(f"{correct / matched:.3f} ({correct}/{matched})" if matched else "-")
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
