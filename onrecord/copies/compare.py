"""Copies: fingerprints of an article's words, and what one article took from another.

A fingerprint is a MinHash (datasketch) over word 3-shingles of the article's text outside
its boilerplate, lower-cased and accent-folded: reprints with new page furniture keep it,
and a spun copy that swaps one word in five still shares about half its shingles. A
candidate found through the LSH index is then aligned word by word (difflib) to decide the
relation and show it:

- exact: the same words;
- near: nearly all words aligned, few single-word swaps (a syndicated reprint, light edits);
- spun: the same sentence structure with many single-word swaps at aligned positions;
- partial: a block of one article reused inside a longer one.
"""

from __future__ import annotations

import re
import unicodedata
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


def article_words(text: str, skip: list[Fragment] = ()) -> list[Word]:
    """The words of ``text`` outside the ``skip`` ranges (boilerplate)."""
    words = []
    for match in _WORD.finditer(text):
        if any(s <= match.start() < e for s, e in skip):
            continue
        words.append(Word(_fold(match.group()), match.group()))
    return words


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Stored fingerprints are only comparable under the hashing scheme that made them.
SCHEME = "affine32"
_DTYPE = np.dtype("<u4")


def fingerprint(words: list[Word]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    keys = [w.key for w in words]
    shingles = {" ".join(keys[i : i + SHINGLE_WORDS]) for i in range(max(1, len(keys) - 2))}
    minhash.update_batch([s.encode("utf-8") for s in shingles if s])
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype(_DTYPE).tobytes()


def from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=_DTYPE)
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME)


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
PARTIAL_SHARE = 0.3  # of the shorter text aligned, when the longer is covered far less
PARTIAL_BLOCK = 25  # words in one unbroken reused run
SPUN_SWAP_RATE = 0.06  # swaps per aligned word from which a copy counts as spun
MIN_SPUN_SWAPS = 4


def relate(old: list[Word], new: list[Word]) -> Relation | None:
    """How ``new`` copies ``old``, or None when it does not."""
    if not old or not new:
        return None
    if [w.key for w in old] == [w.key for w in new]:
        return Relation("exact", 1.0, 0.0, Alignment(matched=len(new), longest_block=len(new)))
    alignment = align(old, new)
    aligned = alignment.matched + alignment.replaced_words
    shorter, longer = sorted((len(old), len(new)))
    share_short, share_long = aligned / shorter, aligned / longer
    swap_rate = len(alignment.substitutions) / max(aligned, 1)
    spin = round(min(1.0, swap_rate / (2 * SPUN_SWAP_RATE)), 3)
    if share_long >= NEAR_SHARE:
        spun = swap_rate >= SPUN_SWAP_RATE and len(alignment.substitutions) >= MIN_SPUN_SWAPS
        return Relation("spun" if spun else "near", round(share_long, 3), spin, alignment)
    if share_short >= PARTIAL_SHARE and alignment.longest_block >= PARTIAL_BLOCK:
        return Relation("partial", round(share_short, 3), spin, alignment)
    return None
