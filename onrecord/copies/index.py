"""Finding the article a new one copies: a datasketch MinHashLSH index over the stored
fingerprints, candidates verified by word alignment (``compare.relate``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from onrecord.copies.compare import NUM_PERM, Relation, Word, relate

LSH_THRESHOLD = 0.2  # spun copies share about half their shingles, partial ones less
MAX_CANDIDATES = 10


@dataclass
class Found:
    origin_key: int
    relation: Relation


class CopyIndex:
    """The LSH index of one store. Keys join it only once their batch is committed."""

    def __init__(self, stored: Iterable[tuple[int, MinHash]]) -> None:
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.hashes: dict[int, MinHash] = {}
        self.pending: list[int] = []
        for key, minhash in stored:
            self.lsh.insert(key, minhash, check_duplication=False)
            self.hashes[key] = minhash

    def find(
        self, minhash: MinHash, words: list[Word], words_of: Callable[[int], list[Word]]
    ) -> Found | None:
        """The best earlier copy origin: the highest similarity, then the earliest."""
        candidates = set(self.lsh.query(minhash))
        candidates.update(
            k for k in self.pending if minhash.jaccard(self.hashes[k]) >= LSH_THRESHOLD
        )
        ranked = sorted(candidates, key=lambda k: (-minhash.jaccard(self.hashes[k]), k))
        best: Found | None = None
        for key in ranked[:MAX_CANDIDATES]:
            relation = relate(words_of(key), words)
            if relation is None:
                continue
            if best is None or (relation.similarity, -key) > (
                best.relation.similarity,
                -best.origin_key,
            ):
                best = Found(key, relation)
        return best

    def stage(self, key: int, minhash: MinHash) -> None:
        """Add an article written in the open transaction (searchable, not yet indexed)."""
        self.pending.append(key)
        self.hashes[key] = minhash

    def commit(self) -> None:
        for key in self.pending:
            self.lsh.insert(key, self.hashes[key], check_duplication=False)
        self.pending = []

    def rollback(self) -> None:
        for key in self.pending:
            self.hashes.pop(key, None)
        self.pending = []
