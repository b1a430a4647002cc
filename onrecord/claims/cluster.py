"""Grouping statements into claims, one statement at a time as articles stream in.

A statement joins the most similar earlier claim of the same speaker when their
similarity (``similarity.similarity``) reaches CLAIM_THRESHOLD, tuned on copies generated
from PolNeAR train (``benchmarks/claims_eval.py``); otherwise it starts a new claim. The
claim keeps the meaning of its first statement, so it cannot drift from one topic to
another through a chain of loosely similar statements.
"""

from __future__ import annotations

from collections.abc import Iterable

from onrecord.claims.similarity import Meaning, similarity

CLAIM_THRESHOLD = 0.7
MAX_SPEAKER_CLAIMS = 300  # the speaker's most recent claims a new statement is compared with


def best_claim(
    meaning: Meaning,
    candidates: Iterable[tuple[int, Meaning]],
    threshold: float = CLAIM_THRESHOLD,
) -> int | None:
    """The key of the candidate claim most like ``meaning``, if alike enough."""
    best_key, best_score = None, threshold
    for key, claim in candidates:
        score = similarity(meaning, claim)
        if score >= best_score:
            best_key, best_score = key, score
    return best_key
