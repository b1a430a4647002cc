"""Finding the article a new one copies: datasketch MinHashLSH indexes over the stored
fingerprints, candidates verified by word alignment (``compare.relate``).

Two indexes: one over whole articles (reprints and spun copies share many shingles) and
one over paragraph chunks (a block reused inside another article shares few shingles with
it as a whole, but whole chunks with it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

from onrecord.copies.compare import CHUNK_PERM, NUM_PERM, Relation, Word, relate

LSH_THRESHOLD = 0.2  # spun copies share about half their shingles
CHUNK_THRESHOLD = 0.5
MAX_CANDIDATES = 10
MAX_CHUNK_CANDIDATES = 5


@dataclass
class Fingerprint:
    article: MinHash
    chunks: list[MinHash] = field(default_factory=list)


@dataclass
class Found:
    origin_key: int
    relation: Relation


class CopyIndex:
    """The LSH indexes of one store, kept in step with its committed fingerprints."""

    def __init__(self, stored: Iterable[tuple[int, Fingerprint]]) -> None:
        self.articles = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.chunks = MinHashLSH(threshold=CHUNK_THRESHOLD, num_perm=CHUNK_PERM)
        self.hashes: dict[int, MinHash] = {}
        self.pending: list[tuple[int, Fingerprint]] = []
        for key, fingerprint in stored:
            self._insert(key, fingerprint)

    def find(
        self, fingerprint: Fingerprint, words: list[Word], words_of: Callable[[int], list[Word]]
    ) -> Found | None:
        """The best earlier copy origin: the highest similarity, then the earliest."""
        best: Found | None = None
        for key in self._candidates(fingerprint):
            relation = relate(words_of(key), words)
            if relation is None:
                continue
            if best is None or (relation.similarity, -key) > (
                best.relation.similarity,
                -best.origin_key,
            ):
                best = Found(key, relation)
        return best

    def _candidates(self, fingerprint: Fingerprint) -> list[int]:
        whole = set(self.articles.query(fingerprint.article))
        chunk_hits: Counter = Counter()
        for chunk in fingerprint.chunks:
            chunk_hits.update({key for key, _ in self.chunks.query(chunk)})
        ranked = sorted(whole, key=lambda k: (-fingerprint.article.jaccard(self.hashes[k]), k))
        by_chunks = [k for k, _ in chunk_hits.most_common(MAX_CHUNK_CANDIDATES)]
        return list(dict.fromkeys(ranked[:MAX_CANDIDATES] + by_chunks))

    def stage(self, key: int, fingerprint: Fingerprint) -> None:
        """Index an article written in the open transaction; ``rollback`` takes it out."""
        self._insert(key, fingerprint)
        self.pending.append((key, fingerprint))

    def commit(self) -> None:
        self.pending = []

    def rollback(self) -> None:
        for key, fingerprint in self.pending:
            self.articles.remove(key)
            for n in range(len(fingerprint.chunks)):
                self.chunks.remove((key, n))
            self.hashes.pop(key, None)
        self.pending = []

    def _insert(self, key: int, fingerprint: Fingerprint) -> None:
        self.articles.insert(key, fingerprint.article, check_duplication=False)
        self.hashes[key] = fingerprint.article
        for n, chunk in enumerate(fingerprint.chunks):
            self.chunks.insert((key, n), chunk, check_duplication=False)
