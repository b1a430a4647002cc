"""``onrecord train --engine encoder``: the whole recipe that produces the shipped model.

Phase A fine-tunes on PolNeAR train; phase B adapts to the layouts PolNeAR lacks with
one shorter pass over the styles set's train half (repeated) mixed with PolNeAR train;
then the CRF head is fitted and the model exported. Every phase resumes from
``work_dir``.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from pathlib import Path

import torch
from tokenizers import Tokenizer

from onrecord.extraction.encoder_inputs import Vocabulary
from onrecord.extraction.features import CueLexicon, count_lemmas
from onrecord.extraction.nested import content_doc
from onrecord.extraction.spans import bio_labels
from onrecord.extraction.tagger import LEXICON_FILE
from onrecord.training.crf import load_nlp, parsed_split
from onrecord.training.encoder import (
    EncoderSettings,
    base_encoder_dir,
    build_model,
    fine_tune,
    labelled_windows,
    save_settings,
)

log = logging.getLogger("onrecord.train")


def train_encoder(
    polnear_dir: Path,
    styles_dir: Path | None,
    out_dir: Path,
    work_dir: Path,
    settings: EncoderSettings,
) -> Path:
    torch.set_num_threads(settings.threads)
    random.seed(settings.seed)
    work_dir.mkdir(parents=True, exist_ok=True)
    save_settings(work_dir, settings)
    nlp = load_nlp()
    encoder_dir = base_encoder_dir(work_dir)
    tokenizer = Tokenizer.from_file(str(encoder_dir / "tokenizer.json"))
    vocabulary = Vocabulary(list(nlp.get_pipe("parser").labels))

    def windows(examples):
        return labelled_windows(
            [(e.doc, e.labels) for e in examples], tokenizer, vocabulary, settings
        )

    train_examples = parsed_split(nlp, polnear_dir, "train", work_dir)
    lexicon = CueLexicon.learn(
        *count_lemmas((e.doc, e.labels) for e in train_examples), min_count=3
    )
    train = windows(train_examples)
    dev = windows(parsed_split(nlp, polnear_dir, "dev", work_dir))
    log.info("windows: %d train, %d dev", len(train), len(dev))
    model = build_model(encoder_dir, vocabulary)
    phase_a = work_dir / "phase-a"
    phase_a.mkdir(exist_ok=True)
    best = fine_tune(model, train, dev, phase_a, settings)
    model.load_state_dict(torch.load(best))
    last_phase = phase_a
    if styles_dir is not None:
        styles = windows(styles_examples(nlp, styles_dir, "train"))
        mixed = styles * settings.styles_repeat + random.Random(settings.seed).sample(
            train, min(len(train), len(styles) * settings.styles_repeat)
        )
        log.info(
            "phase B: %d styles windows x%d + %d PolNeAR windows",
            len(styles),
            settings.styles_repeat,
            len(mixed) - len(styles) * settings.styles_repeat,
        )
        phase_b = work_dir / "phase-b"
        phase_b.mkdir(exist_ok=True)
        adapt = replace(settings, epochs=1, learning_rate=settings.learning_rate / 2)
        best = fine_tune(model, mixed, dev, phase_b, adapt)
        model.load_state_dict(torch.load(best))
        last_phase = phase_b
    from onrecord.training.encoder_export import export_model, fit_crf_head

    transitions = fit_crf_head(model, train, last_phase)
    out = export_model(
        model,
        tokenizer,
        vocabulary,
        transitions,
        settings,
        out_dir,
        encoder_dir,
        n_styles=_count_styles(styles_dir),
    )
    lexicon.save(out / LEXICON_FILE)
    return out


def styles_examples(nlp, styles_dir: Path, split: str):
    """Styles articles labelled with their outer attributions, then each content as a
    document of its own labelled with the attributions nested in it (what the nested pass
    sees at run time; a content with none teaches it to find none)."""
    from onrecord.corpora.styles import read_styles
    from onrecord.training.crf import Example

    articles = [s.article for s in read_styles(styles_dir, split)]
    examples = []
    for doc, article in zip(nlp.pipe(a.text for a in articles), articles, strict=True):
        examples.append(Example(doc, bio_labels(doc, _outer(article.attributions)), []))
        for index, attribution in enumerate(article.attributions):
            located = content_doc(doc, attribution)
            if located is None:
                continue
            sub, offset = located
            inner = [
                replace(a.shifted(-offset, len(sub.text)), parent=None)
                for a in article.attributions
                if a.parent == index
            ]
            examples.append(Example(sub, bio_labels(sub, [a for a in inner if a]), []))
    return examples


def _outer(attributions):
    """Stage one learns PolNeAR's univocal layer: attributions nested in another's
    content are left out of its labels (the nested pass learns them)."""
    return [a for a in attributions if a.parent is None]


def _count_styles(styles_dir: Path | None) -> int:
    if styles_dir is None:
        return 0
    from onrecord.corpora.styles import read_styles

    return sum(1 for _ in read_styles(styles_dir, "train"))
