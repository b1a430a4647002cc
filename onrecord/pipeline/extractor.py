"""Articles in, articles with attributions out: the spaCy pipeline loaded once, batched.

Long texts are cut into windows at paragraph breaks so a parse never holds more than
``MAX_WINDOW_CHARS`` characters; offsets are shifted back so they index the whole text.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import spacy
from spacy.language import Language

from onrecord.document import Article, Attribution, Fragment
from onrecord.extraction.tagger import read_meta
from onrecord.pipeline.components import add_onrecord

MAX_WINDOW_CHARS = 100_000


def load_pipeline(model_dir: str | Path | None = None, speakers: bool = True) -> Language:
    """The spaCy pipeline the model was trained on, with ``onrecord`` added last (without
    the speakers stage when ``speakers`` is false: training the speaker ranker)."""
    model_dir, meta = read_meta(model_dir)
    nlp = spacy.load(meta["spacy_pipeline"], exclude=meta.get("spacy_exclude", []))
    add_onrecord(nlp, model_dir, speakers=speakers)
    return nlp


class Extractor:
    """Runs the attribution pipeline over a stream of articles, in input order."""

    def __init__(
        self, model_dir: str | Path | None = None, batch_size: int = 8, n_process: int = 1
    ) -> None:
        if n_process > 1:
            # Each forked worker runs the encoder on one thread: the session is made here,
            # before the fork, and workers must neither share nor oversubscribe its threads.
            os.environ.setdefault("ONRECORD_THREADS", "1")
        self.nlp = load_pipeline(model_dir)
        self.batch_size = batch_size
        self.n_process = n_process

    def extract(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Articles with attributions and boilerplate, in input order, streamed. Lone
        surrogates in a text become U+FFFD (one character for one, offsets hold)."""
        articles = map(_valid_unicode, articles)
        if self.n_process <= 1:
            yield from self._extract(articles)
            return
        yield from self._extract_in_workers(articles)

    def _extract_in_workers(self, articles: Iterable[Article]) -> Iterator[Article]:
        # Forked workers share the loaded pipeline; each takes a batch of articles at a
        # time and returns plain Articles, so nothing spaCy-specific crosses processes.
        global _FORKED
        _FORKED = self
        context = multiprocessing.get_context("fork")
        with context.Pool(self.n_process) as pool:
            # A bounded queue of batches in flight: Pool.imap would read the whole input.
            pending: deque = deque()
            for batch in batched(articles, self.batch_size):
                pending.append(pool.apply_async(_extract_batch, (batch,)))
                if len(pending) >= 2 * self.n_process:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()

    def _extract(self, articles: Iterable[Article]) -> Iterator[Article]:
        windows = (
            (text, (article, offset, last))
            for article in articles
            for text, offset, last in _windows(article.text)
        )
        found: list[Attribution] = []
        boilerplate: list[Fragment] = []
        for doc, (article, offset, last) in self.nlp.pipe(
            windows, as_tuples=True, batch_size=self.batch_size
        ):
            found.extend(a.record.shifted(offset) for a in doc._.attributions)
            boilerplate.extend((s + offset, e + offset) for s, e in doc._.boilerplate)
            if last:
                yield replace(article, attributions=found, boilerplate=boilerplate)
                found, boilerplate = [], []

    def extract_one(self, text: str, article_id: str = "text") -> Article:
        return next(self.extract([Article(article_id, text)]))


_FORKED: Extractor | None = None
# Half a UTF-16 pair ("\ud800", from a JSON escape or a surrogateescape'd file name): no
# UTF-8 encoder, the tokenizer's included, accepts it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(article: Article) -> Article:
    if _LONE_SURROGATE.search(article.text) is None:
        return article
    return replace(article, text=_LONE_SURROGATE.sub("\ufffd", article.text))


def _extract_batch(batch: list[Article]) -> list[Article]:
    assert _FORKED is not None, "workers are forked from an Extractor"
    return list(_FORKED._extract(batch))


def batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _windows(text: str) -> Iterator[tuple[str, int, bool]]:
    """(window text, offset, is last window) covering ``text``, cut at paragraph breaks."""
    if len(text) <= MAX_WINDOW_CHARS:
        yield text, 0, True
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_WINDOW_CHARS)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            if cut <= start:
                cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield text[start:end], start, end >= len(text)
        start = end
