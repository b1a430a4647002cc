"""Articles in, articles with attributions out: the spaCy pipeline loaded once, batched.

Long texts are cut into windows so a parse never holds more than ``MAX_WINDOW_CHARS``
characters or ``MAX_WINDOW_TOKENS`` tokens: at a paragraph break, else a line break, a
sentence end or a space in the window's second half (a hard cut only where a text has
none). Each window is parsed as a ``Doc`` of its own and offsets are shifted back so they
index the whole text. Windows go through the pipeline in batches of at most
``batch_size`` windows and ``BATCH_TOKENS`` tokens: the parser's and tagger's working
memory grows with the tokens of a batch, so a very long text costs time in proportion to
its length and memory no more than a batch of ordinary articles.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.document import Article, Attribution, Fragment, valid_unicode
from onrecord.extraction.tagger import read_meta
from onrecord.pipeline.components import add_onrecord

MAX_WINDOW_CHARS = 50_000
# A text of short lines has a token (and a line-break token) every few characters.
MAX_WINDOW_TOKENS = 8_000
BATCH_TOKENS = 12_000
# spaCy's tokenizer peels prefixes and suffixes off a run of non-space characters one at
# a time, copying the rest of the run each time: a run of 5,000 "!" takes seconds. Longer
# runs are tokenized in pieces of this many characters.
MAX_RUN_CHARS = 256


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
        articles = map(valid_unicode, articles)
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
            for batch in worker_batches(articles, self.batch_size):
                pending.append(pool.apply_async(_extract_batch, (batch,)))
                if len(pending) >= 2 * self.n_process:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()

    def _extract(self, articles: Iterable[Article]) -> Iterator[Article]:
        windows = (
            (piece, tokens, (article, offset, last))
            for article in articles
            for piece, tokens, offset, last in self.windows(article.text)
        )
        found: list[Attribution] = []
        boilerplate: list[Fragment] = []
        for batch in _token_batches(windows, self.batch_size):
            done = []
            # The strings and lexemes of a batch's words go with its Docs: a stream of ever
            # new words (ids, numbers, names) would otherwise grow the vocabulary for good.
            with self.nlp.memory_zone():
                docs = ((self.tokenize(piece), context) for piece, _, context in batch)
                for doc, (article, offset, last) in self.nlp.pipe(
                    docs, as_tuples=True, batch_size=len(batch)
                ):
                    first = len(found)
                    found.extend(_in_text(a.record, offset, first) for a in doc._.attributions)
                    boilerplate.extend((s + offset, e + offset) for s, e in doc._.boilerplate)
                    if last:
                        done.append(replace(article, attributions=found, boilerplate=boilerplate))
                        found, boilerplate = [], []
            yield from done

    def windows(self, text: str) -> Iterator[tuple[str, int, int, bool]]:
        """(window text, its number of tokens, its offset, is it the last window) for the
        windows covering ``text`` (``windows_of``)."""
        for start, end, tokens in windows_of(text, self._measure):
            yield text[start:end], tokens, start, end >= len(text)

    def _measure(self, text: str) -> tuple[int, int]:
        """The tokens of ``text`` and the characters its first ``MAX_WINDOW_TOKENS``
        tokens take (the strings of a Doc made only to count are let go at once)."""
        with self.nlp.memory_zone():
            doc = self.tokenize(text)
            if len(doc) <= MAX_WINDOW_TOKENS:
                return len(doc), len(text)
            return len(doc), doc[MAX_WINDOW_TOKENS].idx

    def tokenize(self, text: str) -> Doc:
        """``text`` as a ``Doc`` of tokens (``nlp.make_doc``), with runs of more than
        ``MAX_RUN_CHARS`` non-space characters tokenized ``MAX_RUN_CHARS`` at a time."""
        if _LONG_RUN.search(text) is None:
            return self.nlp.make_doc(text)
        pieces: list[str] = []
        start = 0
        for run in _LONG_RUN.finditer(text):
            pieces.append(text[start : run.start()])
            pieces.extend(
                text[k : min(k + MAX_RUN_CHARS, run.end())]
                for k in range(run.start(), run.end(), MAX_RUN_CHARS)
            )
            start = run.end()
        pieces.append(text[start:])
        docs = [self.nlp.make_doc(piece) for piece in pieces if piece]
        return Doc.from_docs(docs, ensure_whitespace=False)

    def extract_one(self, text: str, article_id: str = "text") -> Article:
        return next(self.extract([Article(article_id, text)]))


_FORKED: Extractor | None = None
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN_CHARS + 1},}}")


def _extract_batch(batch: list[Article]) -> list[Article]:
    assert _FORKED is not None, "workers are forked from an Extractor"
    return list(_FORKED._extract(batch))


# Characters a worker takes at a time. Eight normal articles are far under it; the parts of
# a huge text (up to a million characters each) go one by one, so both workers share them,
# results come back (and ingest commits them) part by part, and the texts in flight stay
# bounded.
WORKER_BATCH_CHARS = 200_000


def worker_batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """What each worker process is handed: ``size`` articles, fewer once they are long."""
    return batched(articles, size, WORKER_BATCH_CHARS)


def batched(
    articles: Iterable[Article], size: int, max_chars: int | None = None
) -> Iterator[list[Article]]:
    """Consecutive articles, ``size`` at a time, or fewer once their texts reach
    ``max_chars`` characters together."""
    batch: list[Article] = []
    chars = 0
    for article in articles:
        batch.append(article)
        chars += len(article.text)
        if len(batch) == size or (max_chars is not None and chars >= max_chars):
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _in_text(record: Attribution, offset: int, first: int) -> Attribution:
    """A window's attribution in the whole text: offsets shifted, and its ``parent`` (an
    index in the window's list) moved past the ``first`` attributions of earlier windows."""
    moved = record.shifted(offset)
    if moved.parent is not None and first:
        moved.parent += first
    return moved


def _token_batches(
    windows: Iterable[tuple[str, int, Any]], size: int
) -> Iterator[list[tuple[str, int, Any]]]:
    """Consecutive windows (text, tokens, context), at most ``size`` of them and
    ``BATCH_TOKENS`` tokens together (a window longer than that alone)."""
    batch: list[tuple[str, int, Any]] = []
    tokens = 0
    for window in windows:
        n = window[1]
        if batch and (len(batch) >= size or tokens + n > BATCH_TOKENS):
            yield batch
            batch, tokens = [], 0
        batch.append(window)
        tokens += n
    if batch:
        yield batch


def windows_of(
    text: str, measure: Callable[[str], tuple[int, int]]
) -> Iterator[tuple[int, int, int]]:
    """(start, end, tokens) of the windows covering ``text``, in order; ``measure(piece)``
    gives the piece's tokens and the characters its first ``MAX_WINDOW_TOKENS`` tokens
    take. A text within ``MAX_WINDOW_CHARS`` characters and ``MAX_WINDOW_TOKENS`` tokens
    is one window."""
    start = 0
    while True:
        end = window_end(text, start, MAX_WINDOW_CHARS)
        tokens, fits = measure(text[start:end])
        while tokens > MAX_WINDOW_TOKENS:
            # As many characters as the first MAX_WINDOW_TOKENS tokens take, then cut again.
            end = window_end(text, start, fits)
            tokens, fits = measure(text[start:end])
        yield start, end, tokens
        if end >= len(text):
            return
        start = end


# A sentence end: final punctuation, closing quotes or brackets, then space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
_SPACE = re.compile(r"\s+")


def window_end(text: str, start: int, limit: int) -> int:
    """Where a window that starts at ``start`` ends: at most ``limit`` characters on,
    after the last paragraph break, else line break, else sentence end, else space in the
    second half of that stretch (with the blank lines that follow); else ``limit`` on."""
    end = start + limit
    if end >= len(text):
        return len(text)
    floor = start + max(1, limit // 2)
    for separator in ("\n\n", "\n"):
        found = text.rfind(separator, floor, end)
        if found != -1:
            cut = found + len(separator)
            while cut < end and text[cut].isspace():
                cut += 1
            return cut
    for pattern in (_SENTENCE_END, _SPACE):
        match = None
        for match in pattern.finditer(text, floor, end):  # noqa: B007 - the last one
            pass
        if match is not None:
            return match.end()
    return end
