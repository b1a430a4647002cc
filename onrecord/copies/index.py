"""Finding the article a new one copies: a datasketch MinHashLSH index over the stored
fingerprints, candidates verified by word alignment (``compare.relate``).

The LSH index finds whole-article copies (reprints and spun copies share many shingles).
A block reused inside a longer article shares few shingles with it as a whole; those are
found by their paragraph digests, which the store keeps in an indexed table (memory stays
flat however many articles are stored); ``origin.sharing`` looks them up and hands the
articles to ``find`` as ``sharing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from onrecord.copies.compare import NUM_PERM, Relation, Word, relate

LSH_THRESHOLD = 0.2  # spun copies share about half their shingles
MIN_ESTIMATE = 0.1  # LSH also returns chance collisions; below this they are not aligned
MAX_CANDIDATES = 10


@dataclass
class Found:
    origin_key: int
    relation: Relation


class CopyIndex:
    """The LSH index of one store, kept in step with its committed fingerprints."""

    def __init__(self, stored: Iterable[tuple[int, MinHash]]) -> None:
        self.articles = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        # The hash values alone (uint32), to rank candidates: a MinHash object per article
        # would take four times the memory.
        self.hashes: dict[int, np.ndarray] = {}
        self.pending: list[int] = []
        for key, minhash in stored:
            self._insert(key, minhash)

    def find(
        self,
        minhash: MinHash,
        words: list[Word],
        words_of: Callable[[int], list[Word]],
        sharing: Iterable[int] = (),
    ) -> Found | None:
        """The best earlier copy origin among LSH candidates and the articles ``sharing``
        a paragraph: the highest similarity, then the earliest."""
        best: Found | None = None
        for key in dict.fromkeys([*self._candidates(minhash), *sharing]):
            relation = relate(words_of(key), words)
            if relation is None:
                continue
            if best is None or (relation.similarity, -key) > (
                best.relation.similarity,
                -best.origin_key,
            ):
                best = Found(key, relation)
        return best

    def _candidates(self, minhash: MinHash) -> list[int]:
        values = minhash.hashvalues.astype(np.uint32)
        estimates = {
            k: float(np.mean(self.hashes[k] == values)) for k in self.articles.query(minhash)
        }
        likely = [k for k, estimate in estimates.items() if estimate >= MIN_ESTIMATE]
        return sorted(likely, key=lambda k: (-estimates[k], k))[:MAX_CANDIDATES]

    def stage(self, key: int, minhash: MinHash) -> None:
        """Index an article written in the open transaction; ``rollback`` takes it out."""
        self._insert(key, minhash)
        self.pending.append(key)

    def commit(self) -> None:
        self.pending = []

    def rollback(self) -> None:
        for key in self.pending:
            self.articles.remove(key)
            self.hashes.pop(key, None)
        self.pending = []

    def _insert(self, key: int, minhash: MinHash) -> None:
        self.articles.insert(key, minhash, check_duplication=False)
        self.hashes[key] = minhash.hashvalues.astype(np.uint32)
