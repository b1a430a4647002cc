"""``onrecord eval``: the model scored on PolNeAR or the styles set, and its speed."""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING

from onrecord.interfaces.cli.options import USAGE, Commands, add_command, add_model_options
from onrecord.interfaces.cli.output import EXIT_FAILURE, EXIT_OK, error, progress
from onrecord.interfaces.cli.resources import load_extractor
from onrecord.settings import Settings

if TYPE_CHECKING:
    from onrecord.document import Article
    from onrecord.evaluation.metrics import EvalReport

EVAL_HELP = """\
Extract from a PolNeAR split (or the styles set) and score against its gold annotations
(exact, segment and overlap P/R/F1 per span type; lenient and strict attribution P/R/F1),
and the speed. Definitions: README.md, 'Evaluate and train'.

PolNeAR annotates one layer, so attributions nested in another's content are left out of
PolNeAR scores unless --nested is given; the styles set marks them, and its scores
include them (and a table per style).
"""

EXAMPLES = (
    "onrecord eval --polnear ../shared/data/polnear --split dev",
    "onrecord eval --polnear ../shared/data/polnear --split dev --out pred.jsonl \\",
    "    --speakers benchmarks/data/speaker-dev.tsv",
    "onrecord eval --styles benchmarks/data/styles --split eval --json",
)

EXIT_CODES = (
    (EXIT_OK, "scored"),
    USAGE,
    (EXIT_FAILURE, "the corpus, the speaker labels or the model could not be loaded"),
)


def add_commands(commands: Commands, settings: Settings) -> None:
    p = add_command(
        commands,
        "eval",
        summary="score the model on PolNeAR or the styles set",
        description=EVAL_HELP,
        examples=EXAMPLES,
        exit_codes=EXIT_CODES,
        run=run_eval,
    )
    corpus = p.add_mutually_exclusive_group(required=True)
    corpus.add_argument("--polnear", metavar="DIR", help="PolNeAR root directory")
    corpus.add_argument("--styles", metavar="DIR", help="styles set (benchmarks/data/styles)")
    p.add_argument(
        "--split", help="split to score (default: dev for PolNeAR, eval for the styles set)"
    )
    p.add_argument(
        "--nested", action="store_true", help="keep nested attributions in PolNeAR scores"
    )
    p.add_argument("--out", metavar="PRED.jsonl", help="also write the predictions here")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument(
        "--speakers",
        metavar="LABELS.tsv",
        help="also score speaker resolution against these labels "
        "(benchmarks/data/speaker-dev.tsv for PolNeAR dev; the styles set's own speakers "
        "are always scored)",
    )
    add_model_options(p)


def run_eval(args: argparse.Namespace) -> int:
    from onrecord.document import Article
    from onrecord.evaluation.metrics import evaluate

    try:
        gold, styles = _gold_articles(args)
        labels = _speaker_labels(args.speakers) if args.speakers else None
    except (OSError, ValueError) as exc:
        error(str(exc))
        return EXIT_FAILURE
    extractor = load_extractor(args)
    if extractor is None:
        return EXIT_FAILURE
    blank = [Article(a.id, a.text) for a in gold]
    started = time.perf_counter()
    predicted = list(progress(extractor.extract(blank), "extracting", total=len(blank)))
    seconds = time.perf_counter() - started
    if args.polnear and not args.nested:
        predicted = [_outer_only(a) for a in predicted]
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for article in predicted:
                handle.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
    report = evaluate(gold, predicted)
    speaker_report = None
    if labels is None and args.styles:
        from onrecord.evaluation.speakers import labels_from_gold

        labels = labels_from_gold(gold)  # the styles set names every speaker
    if labels is not None:
        from onrecord.evaluation.speakers import evaluate_speakers

        speaker_report = evaluate_speakers(gold, predicted, labels)
    speed = {
        "articles": len(gold),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(gold) / seconds, 2),
    }
    by_style = _scores_by_style(gold, predicted, styles) if styles else None
    corpus = "PolNeAR" if args.polnear else "styles set"
    if args.json:
        scores = {"corpus": corpus, "split": args.split, **report.to_json(), "speed": speed}
        if speaker_report is not None:
            scores["speakers"] = speaker_report.to_json()
        if by_style is not None:
            scores["styles"] = {k: v.to_json() for k, v in by_style.items()}
        print(json.dumps(scores, indent=2))
    else:
        print(f"{corpus} {args.split}: {len(gold)} articles")
        if args.polnear and not args.nested:
            print("(nested attributions left out, as PolNeAR annotates one layer: --nested)")
        print(report.format_table())
        if by_style is not None:
            print(_style_table(by_style))
        if speaker_report is not None:
            print(speaker_report.format_table())
        print(
            f"speed: {speed['articles_per_second']} articles/s "
            f"({len(gold)} articles in {speed['seconds']} s, {args.jobs} process(es))"
        )
    return EXIT_OK


def _gold_articles(args: argparse.Namespace) -> tuple[list[Article], dict[str, str]]:
    """Gold articles of the chosen corpus, and each article's style (styles set only)."""
    if args.polnear:
        from onrecord.corpora.polnear import read_split

        args.split = args.split or "dev"
        return list(read_split(args.polnear, args.split)), {}
    from onrecord.corpora.styles import read_styles

    args.split = args.split or "eval"
    styled = list(read_styles(args.styles, args.split))
    return [s.article for s in styled], {s.article.id: s.style for s in styled}


def _outer_only(article: Article) -> Article:
    from dataclasses import replace

    return replace(article, attributions=[a for a in article.attributions if a.parent is None])


def _scores_by_style(
    gold: list[Article], predicted: list[Article], styles: dict[str, str]
) -> dict[str, EvalReport]:
    from onrecord.evaluation.metrics import evaluate

    reports = {}
    for style in sorted(set(styles.values())):
        ids = {i for i, s in styles.items() if s == style}
        reports[style] = evaluate(
            [a for a in gold if a.id in ids], [a for a in predicted if a.id in ids]
        )
    return reports


def _style_table(reports: dict[str, EvalReport]) -> str:
    lines = [f"{'style':22} {'articles':>8} {'lenient P':>10} {'R':>7} {'F1':>7}"]
    for style, report in reports.items():
        lenient = report.lenient
        lines.append(
            f"{style:22} {report.n_documents:>8} {lenient.precision:>10.4f} "
            f"{lenient.recall:>7.4f} {lenient.f1:>7.4f}"
        )
    return "\n".join(lines)


def _speaker_labels(path: str) -> list:
    from onrecord.evaluation.speakers import read_labels

    try:
        return read_labels(path)
    except ValueError as exc:  # a row without six columns or with a bad offset
        raise ValueError(f"{path}: not a speaker label file ({exc})") from exc
