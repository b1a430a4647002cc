"""``onrecord train``: the attribution model trained on PolNeAR, with its model card."""

from __future__ import annotations

import argparse
from pathlib import Path

from onrecord.interfaces.cli.options import (
    USAGE,
    Commands,
    DefaultsHelpFormatter,
    add_command,
)
from onrecord.interfaces.cli.output import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, error
from onrecord.settings import Settings

# The defaults of training.crf.TrainSettings and training.encoder.EncoderSettings, written
# out so that building the parser does not import the training code (spaCy, crfsuite,
# torch); tests/test_cli_parser.py keeps them equal.
CRF_DEFAULTS = {
    "cues": "crf",
    "linking": "rules",
    "cue_threshold": 0.5,
    "c1": 0.2,
    "c2": 0.01,
    "max_iterations": 150,
    "seed": 0,
}
ENCODER_DEFAULTS = {"epochs": 2, "seed": 0}

TRAIN_HELP = """\
Train the attribution model on PolNeAR train (stage one finds spans, stage two groups
them), score it on dev, and write a model directory with a model card. Stages are
checkpointed in --work-dir: rerunning an interrupted command resumes.
"""

EXAMPLES = (
    "onrecord train --polnear ../shared/data/polnear --out my-model",
    "onrecord train --polnear ../shared/data/polnear --styles benchmarks/data/styles \\",
    "    --out my-model                     the shipped model's recipe",
    "onrecord train --engine crf --polnear ../shared/data/polnear --out my-crf",
    "onrecord train --engine speakers --polnear ../shared/data/polnear \\",
    "    --labels benchmarks/data/speaker-train.tsv --styles benchmarks/data/styles \\",
    "    --out onrecord/models/speaker-ranker     the shipped speaker ranker's recipe",
    "onrecord train --engine sentences --out onrecord/models/sentence-encoder",
    "    the shipped sentence encoder: all-MiniLM-L6-v2 exported, nothing trained",
)

EXIT_CODES = (
    (EXIT_OK, "model written"),
    USAGE,
    (EXIT_FAILURE, "the corpus could not be read, the train extra is missing, or training failed"),
)


def add_commands(commands: Commands, settings: Settings) -> None:
    p = add_command(
        commands,
        "train",
        summary="train the attribution model on PolNeAR train",
        description=TRAIN_HELP,
        examples=EXAMPLES,
        exit_codes=EXIT_CODES,
        run=run_train,
        formatter=DefaultsHelpFormatter,
    )
    p.add_argument(
        "--polnear", metavar="DIR", help="PolNeAR root directory (every engine but sentences)"
    )
    p.add_argument("--out", required=True, metavar="DIR", help="model directory to write")
    p.add_argument("--work-dir", default="runs/train", metavar="DIR", help="checkpoints")
    p.add_argument(
        "--engine",
        choices=("encoder", "crf", "speakers", "sentences"),
        default="encoder",
        help="encoder: fine-tune all-MiniLM-L6-v2 (needs the train extra: pip install -e "
        "'.[train]'; about an hour on 2 cores) and export int8 ONNX, the shipped model; "
        "crf: the feature CRF of v1 (--cues/--linking below); speakers: the speaker "
        "ranker on --labels (a few minutes; train extra); sentences: export the "
        "sentence encoder claims are compared with (a minute; train extra)",
    )
    p.add_argument(
        "--labels",
        metavar="TSV",
        help="speakers: PolNeAR train speaker labels (benchmarks/data/speaker-train.tsv)",
    )
    p.add_argument(
        "--dev-labels",
        metavar="TSV",
        help="speakers: PolNeAR dev speaker labels, scored for the model card only",
    )
    p.add_argument(
        "--styles",
        metavar="DIR",
        help="encoder: also adapt on the styles set's train half "
        "(benchmarks/data/styles, as the shipped model was)",
    )
    p.add_argument(
        "--epochs",
        type=int,
        default=ENCODER_DEFAULTS["epochs"],
        help="encoder: epochs over PolNeAR train",
    )
    p.add_argument(
        "--ensemble-crf",
        metavar="DIR",
        default="",
        help="encoder: ship with this v1 CRF model's stage one, the two taggers' label "
        "probabilities averaged (the shipped model: onrecord/models/attribution-crf)",
    )
    p.add_argument(
        "--cues",
        choices=("ner", "crf"),
        default=CRF_DEFAULTS["cues"],
        help="stage one: a spaCy NER fine-tuned from en_core_web_sm, or a feature CRF",
    )
    p.add_argument(
        "--linking",
        choices=("roles", "rules"),
        default=CRF_DEFAULTS["linking"],
        help="stage two: a CRF that tags each cue's own source and content, or rules over "
        "stage one's spans",
    )
    p.add_argument(
        "--no-vectors",
        dest="vectors",
        action="store_false",
        help="leave out spaCy's contextual token vectors from the features",
    )
    p.add_argument(
        "--cue-threshold",
        type=float,
        default=CRF_DEFAULTS["cue_threshold"],
        help="cue probability at which a token joins a cue (inference setting)",
    )
    p.add_argument("--c1", type=float, default=CRF_DEFAULTS["c1"], help="L1 penalty")
    p.add_argument("--c2", type=float, default=CRF_DEFAULTS["c2"], help="L2 penalty")
    p.add_argument(
        "--max-iterations",
        type=int,
        default=CRF_DEFAULTS["max_iterations"],
        help="crf: training iterations",
    )
    p.add_argument(
        "--encoder-features",
        metavar="DIR",
        default="",
        help="crf: stack on this encoder model, its label probabilities as extra features",
    )
    p.add_argument("--limit", type=int, default=0, help="train on N articles only (0: all)")
    p.add_argument("--seed", type=int, default=CRF_DEFAULTS["seed"], help="random seed")


def run_train(args: argparse.Namespace) -> int:
    if args.engine == "sentences":
        return _export_sentences(args)
    if not args.polnear:
        error(f"--engine {args.engine} needs --polnear DIR (the PolNeAR root directory)")
        return EXIT_USAGE
    if args.engine == "encoder":
        return _train_encoder(args)
    if args.engine == "speakers":
        return _train_speakers(args)
    from onrecord.corpora.polnear import PolnearError
    from onrecord.training.crf import TrainSettings, train, write_model_card

    settings = TrainSettings(
        cues=args.cues,
        linking=args.linking,
        vectors=args.vectors,
        cue_threshold=args.cue_threshold,
        c1=args.c1,
        c2=args.c2,
        max_iterations=args.max_iterations,
        limit=args.limit,
        seed=args.seed,
        encoder_features=args.encoder_features,
    )
    try:
        model_dir = train(Path(args.polnear), Path(args.out), Path(args.work_dir), settings)
    except (PolnearError, OSError) as exc:
        error(str(exc))
        return EXIT_FAILURE
    write_model_card(model_dir, Path(args.polnear))
    print(f"model written to {model_dir} (model card: {model_dir / 'README.md'})")
    return EXIT_OK


def _train_encoder(args: argparse.Namespace) -> int:
    if not _corpora_readable(args):
        return EXIT_FAILURE
    try:
        from onrecord.training.encoder import EncoderSettings
        from onrecord.training.encoder_run import train_encoder
        from onrecord.training.model_card import write_encoder_card
    except ImportError as exc:
        error(f"{exc.name} is missing: pip install -e '.[train]'")
        return EXIT_FAILURE
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = EncoderSettings(epochs=args.epochs, seed=args.seed, ensemble_crf=args.ensemble_crf)
    styles = Path(args.styles) if args.styles else None
    try:
        out = train_encoder(
            Path(args.polnear), styles, Path(args.out), Path(args.work_dir), settings
        )
    except (OSError, ValueError) as exc:
        error(str(exc))
        return EXIT_FAILURE
    card = write_encoder_card(out, Path(args.polnear), styles)
    print(f"model written to {out} (model card: {card})")
    return EXIT_OK


def _corpora_readable(args: argparse.Namespace) -> bool:
    """PolNeAR (and the styles set, if given) checked before the training extra is
    needed and before minutes or an hour of training: a bad corpus is one line."""
    from onrecord.corpora.polnear import read_split

    try:
        next(read_split(args.polnear, "train"), None)
        if args.styles:
            from onrecord.corpora.styles import read_styles

            list(read_styles(args.styles, "all"))
    except (OSError, ValueError) as exc:
        error(str(exc))
        return False
    return True


def _train_speakers(args: argparse.Namespace) -> int:
    from onrecord.evaluation.speakers import read_labels

    if not args.labels:
        error("--engine speakers needs --labels (benchmarks/data/speaker-train.tsv)")
        return EXIT_FAILURE
    for path in filter(None, (args.labels, args.dev_labels)):
        try:  # inputs checked before the training extra is needed
            read_labels(path)
        except (OSError, ValueError) as exc:
            error(f"{path}: not a speaker label file ({exc})")
            return EXIT_FAILURE
    if not _corpora_readable(args):
        return EXIT_FAILURE
    try:
        from onrecord.training.speakers import train_ranker
    except ImportError as exc:
        error(f"{exc.name} is missing: pip install -e '.[train]'")
        return EXIT_FAILURE
    card = train_ranker(
        Path(args.polnear),
        Path(args.labels),
        Path(args.out),
        Path(args.styles) if args.styles else None,
        Path(args.dev_labels) if args.dev_labels else None,
    )
    print(
        f"ranker written to {args.out} (cross-validated accuracy "
        f"{card['cross_validated']['ranker']:.3f}; model card: {args.out}/README.md)"
    )
    return EXIT_OK


def _export_sentences(args: argparse.Namespace) -> int:
    try:
        from onrecord.training.sentence_export import export_sentence_encoder
    except ImportError as exc:
        error(f"--engine sentences needs the train extra (pip install -e '.[train]'): {exc}")
        return EXIT_FAILURE
    try:
        meta = export_sentence_encoder(Path(args.out))
    except (OSError, RuntimeError) as exc:
        error(f"{args.out}: {exc}")
        return EXIT_FAILURE
    print(f"sentence encoder written to {args.out} (agreement with fp32: {meta['agreement']})")
    return EXIT_OK
