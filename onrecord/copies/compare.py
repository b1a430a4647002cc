"""Copies: fingerprints of an article's words, and what one article took from another.

A fingerprint is a MinHash (datasketch) over word 3-shingles of the article's text outside
its boilerplate, lower-cased and accent-folded: reprints with new page furniture keep it,
and a spun copy that swaps one word in five still shares about half its shingles. A
candidate found through the LSH index is then aligned word by word (difflib) to decide the
relation and show it:

- exact: the same words;
- near: nearly all words aligned, few single-word swaps (a syndicated reprint, light edits);
- spun: the same sentence structure with many single-word swaps at aligned positions;
- partial: a block of one article (40+ words unbroken) reused inside another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import numpy as np
from datasketch import MinHash

from onrecord.document import Fragment

SHINGLE_WORDS = 3
NUM_PERM = 128
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class Word:
    key: str  # folded, for comparing
    text: str  # as written, for showing
    paragraph: int = 0


def article_words(text: str, skip: list[Fragment] = ()) -> list[Word]:
    """The words of ``text`` outside the ``skip`` ranges (boilerplate)."""
    words = []
    paragraph, position = 0, 0
    skipped = _Ranges(skip)
    for match in _WORD.finditer(text):
        paragraph += text.count("\n\n", position, match.start())
        position = match.start()
        if skipped.covers(match.start()):
            continue
        words.append(Word(_fold(match.group()), match.group(), paragraph))
    return words


class _Ranges:
    """Half-open ranges, asked whether one covers a position in a few steps (a text of
    many boilerplate lines has as many ranges)."""

    def __init__(self, ranges: list[Fragment]) -> None:
        ordered = sorted(ranges)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the ranges up to each one
        for _, end in ordered:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def covers(self, position: int) -> bool:
        k = bisect_right(self.starts, position) - 1
        return k >= 0 and self.reach[k] > position


CHUNK_WORDS = 25  # paragraphs shorter than this are too generic to fingerprint alone


def chunks(words: list[Word]) -> list[list[Word]]:
    """The article's paragraphs of CHUNK_WORDS words or more: a block reused inside another
    article keeps its paragraphs, so they match though the articles as a whole don't."""
    paragraphs: dict[int, list[Word]] = {}
    for word in words:
        paragraphs.setdefault(word.paragraph, []).append(word)
    return [p for p in paragraphs.values() if len(p) >= CHUNK_WORDS]


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Stored fingerprints are only comparable under the hashing scheme that made them.
SCHEME = "affine32"
_DTYPE = np.dtype("<u4")


def fingerprint(words: list[Word], num_perm: int = NUM_PERM) -> MinHash:
    minhash = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME)
    keys = [w.key for w in words]
    shingles = {" ".join(keys[i : i + SHINGLE_WORDS]) for i in range(max(1, len(keys) - 2))}
    minhash.update_batch([s.encode("utf-8") for s in shingles if s])
    return minhash


def paragraph_digests(words: list[Word]) -> list[int]:
    """One 63-bit digest per long paragraph (its folded words): a block reused verbatim
    inside another article shares them, and a database index finds them at any size."""
    digests = []
    for chunk in chunks(words):
        digest = hashlib.blake2b(" ".join(w.key for w in chunk).encode("utf-8"), digest_size=8)
        digests.append(int.from_bytes(digest.digest(), "big") >> 1)
    return list(dict.fromkeys(digests))


def to_bytes(*minhashes: MinHash) -> bytes:
    return b"".join(m.hashvalues.astype(_DTYPE).tobytes() for m in minhashes)


def from_bytes(data: bytes, num_perm: int = NUM_PERM) -> list[MinHash]:
    values = np.frombuffer(data, dtype=_DTYPE).reshape(-1, num_perm)
    return [MinHash(num_perm=num_perm, seed=1, hashvalues=v, scheme=SCHEME) for v in values]


@dataclass
class Alignment:
    """Word alignment of a copy (``new``) against its origin (``old``)."""

    matched: int = 0  # words in equal runs
    substitutions: list[tuple[str, str]] = field(default_factory=list)  # short swaps
    inserted: list[str] = field(default_factory=list)  # passages only in the copy
    dropped: list[str] = field(default_factory=list)  # passages only in the origin
    replaced_words: int = 0  # words inside short swaps (new side)
    longest_block: int = 0  # longest equal run, in words

    def to_json(self) -> dict[str, Any]:
        return {
            "matched_words": self.matched,
            "substitutions": [list(s) for s in self.substitutions],
            "inserted": self.inserted,
            "dropped": self.dropped,
        }


MAX_SWAP_WORDS = 3  # a replacement of up to 3 words for up to 3 is a swap, not a rewrite
# difflib's alignment takes time that grows with the product of the lengths (and worse on
# repeated text): texts longer than this (four times a very long news article, so only
# the parts of a huge input) are compared for an exact copy only.
MAX_ALIGN_WORDS = 20_000


def align(old: list[Word], new: list[Word]) -> Alignment:
    matcher = SequenceMatcher(None, [w.key for w in old], [w.key for w in new], autojunk=False)
    result = Alignment()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before = " ".join(w.text for w in old[i1:i2])
        after = " ".join(w.text for w in new[j1:j2])
        if op == "equal":
            result.matched += i2 - i1
            result.longest_block = max(result.longest_block, i2 - i1)
        elif op == "replace" and i2 - i1 <= MAX_SWAP_WORDS and j2 - j1 <= MAX_SWAP_WORDS:
            if i2 - i1 == j2 - j1:  # word for word: "serious corrosion" -> "grave rusting"
                pairs = zip(old[i1:i2], new[j1:j2], strict=True)
                result.substitutions += [(o.text, n.text) for o, n in pairs]
            else:  # a phrase for a word: "drown out" -> "sink"
                result.substitutions.append((before, after))
            result.replaced_words += j2 - j1
        else:
            if i2 > i1:
                result.dropped.append(before)
            if j2 > j1:
                result.inserted.append(after)
    return result


@dataclass
class Relation:
    relation: str  # exact | near | spun | partial
    similarity: float  # share of the shorter text's words aligned (equal or swapped)
    spin_score: float  # 0..1: how much of the aligned text is single-word swaps
    alignment: Alignment


# Decision thresholds (see BENCHMARKS.md, copies).
NEAR_SHARE = 0.85  # of the longer text aligned: a whole-article copy
PARTIAL_BLOCK = 40  # words in one unbroken reused run
SPUN_SWAP_RATE = 0.02  # swaps per aligned word from which a copy counts as spun
MIN_SPUN_SWAPS = 4


def relate(old: list[Word], new: list[Word]) -> Relation | None:
    """How ``new`` copies ``old``, or None when it does not."""
    if not old or not new:
        return None
    if [w.key for w in old] == [w.key for w in new]:
        return Relation("exact", 1.0, 0.0, Alignment(matched=len(new), longest_block=len(new)))
    if max(len(old), len(new)) > MAX_ALIGN_WORDS:
        return None
    alignment = align(old, new)
    aligned = alignment.matched + alignment.replaced_words
    shorter, longer = sorted((len(old), len(new)))
    share_short, share_long = aligned / shorter, aligned / longer
    swap_rate = len(alignment.substitutions) / max(aligned, 1)
    spin = round(min(1.0, swap_rate / (2 * SPUN_SWAP_RATE)), 3)
    if share_long >= NEAR_SHARE:
        spun = swap_rate >= SPUN_SWAP_RATE and len(alignment.substitutions) >= MIN_SPUN_SWAPS
        return Relation("spun" if spun else "near", round(share_long, 3), spin, alignment)
    if alignment.longest_block >= PARTIAL_BLOCK:
        return Relation("partial", round(share_short, 3), spin, alignment)
    return None
