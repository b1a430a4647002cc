"""Stage one, ``--cues ner``: a spaCy NER that tags cue, source and content fragments.

A transition-based NER (spaCy's ``ner`` over the ``tok2vec`` of en_core_web_sm, fine-tuned)
is trained to tag CUE, SOURCE and CONTENT fragments; stage two groups them (``rules``) or
keeps only the cues and finds each one's source and content (``roles``). It runs on a copy
of the tokens, not on the main ``Doc``: the main pipeline's own NER owns ``doc.ents``, and a
parsed ``Doc`` has sentence boundaries that spaCy's NER may not cross.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from onrecord.document import Article
from onrecord.extraction.spans import TypedSpan

log = logging.getLogger("onrecord.train")

CONFIG = Path(__file__).with_name("cue_tagger.cfg")
ENTITY_LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
SPAN_TYPES = {label: span_type for span_type, label in ENTITY_LABELS.items()}


class CueTagger:
    """Attribution fragments of a ``Doc`` from the trained NER pipeline."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    @classmethod
    def load(cls, path: Path) -> CueTagger:
        return cls(spacy.load(path))

    def spans(self, doc: Doc) -> list[TypedSpan]:
        """Cue, source and content fragments, as token spans of ``doc``."""
        words = [t.text for t in doc]
        copy = Doc(self.nlp.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
        for _, component in self.nlp.pipeline:
            copy = component(copy)
        return [
            TypedSpan(
                SPAN_TYPES[ent.label_],
                ent.start,
                ent.end,
                doc[ent.start].idx,
                doc[ent.end - 1].idx + len(words[ent.end - 1]),
            )
            for ent in copy.ents
        ]


def annotated_doc(nlp: Language, article: Article, stats: Counter[str]) -> Doc:
    """A tokenised doc whose entities are the article's gold fragments.

    Fragments are trimmed of whitespace and snapped outwards to tokens; a fragment shared
    by several attributions is kept once, one overlapping a kept fragment is dropped.
    """
    doc = nlp.make_doc(article.text)
    candidates = []
    for attribution in article.attributions:
        for span_type, label in ENTITY_LABELS.items():
            for start, end in attribution.spans(span_type):
                start, end = _strip(article.text, start, end)
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if start < end and span is not None and len(span):
                    candidates.append(span)
    candidates.sort(key=lambda s: (s.start, -len(s)))
    kept, taken, seen = [], set(), set()
    for span in candidates:
        key = (span.start, span.end, span.label_)
        tokens = set(range(span.start, span.end))
        if key in seen or tokens & taken:
            stats["dropped"] += 1
            continue
        seen.add(key)
        taken |= tokens
        kept.append(span)
    doc.ents = sorted(kept, key=lambda s: s.start)
    return doc


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def write_corpus(articles: Iterable[Article], path: Path) -> None:
    blank = spacy.blank("en")  # the same tokenizer as en_core_web_sm
    stats: Counter[str] = Counter()
    docs = DocBin(store_user_data=False)
    for article in articles:
        docs.add(annotated_doc(blank, article, stats))
    docs.to_disk(path)
    log.info(
        "corpus %s: %d docs, %d overlapping fragments dropped", path, len(docs), stats["dropped"]
    )


def train_cue_tagger(train: Path, dev: Path, output: Path, seed: int, max_steps: int) -> Path:
    """Train with spaCy; dev picks the best checkpoint. Returns the chosen pipeline."""
    from spacy.cli.train import train as spacy_train

    spacy_train(
        CONFIG,
        output,
        overrides={
            "paths.train": str(train),
            "paths.dev": str(dev),
            "system.seed": seed,
            "training.max_steps": max_steps,
        },
    )
    return output / "model-best"
