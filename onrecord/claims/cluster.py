"""Grouping statements into claims, one statement at a time as articles stream in.

A statement joins the most similar earlier claim among its candidates (the store picks
them: claims of the same speaker sharing a key term, and claims of the article it copies)
when their
similarity (``similarity.similarity``) reaches CLAIM_THRESHOLD, tuned on copies generated
from PolNeAR train (``benchmarks/claims_eval.py``); otherwise it starts a new claim. The
claim keeps the meaning of its first statement, so it cannot drift from one topic to
another through a chain of loosely similar statements.
"""

from __future__ import annotations

from collections.abc import Iterable

from onrecord.claims.similarity import Meaning, Terms, similarity

CLAIM_THRESHOLD = 0.7
KEY_TERMS = 8  # a claim is found again by any of its heaviest TF-IDF terms
MAX_SPEAKER_CLAIMS = 300  # of the speaker's claims sharing a key term, the most recent
RECENT_SPEAKER_CLAIMS = 20  # and the speaker's latest claims, whatever their words


MIN_CLAIM_TERMS = 4  # "attacked | Trump", "wants | a revolution": a topic, not a claim


def says_enough(meaning: Meaning) -> bool:
    """Whether a statement says enough to be matched with another article's statement:
    an object alone ("Clinton", "his candidacy") joins topics, not claims, and puts
    "has yet to endorse Ryan" with "finally endorses Ryan"."""
    return len(meaning.terms) >= MIN_CLAIM_TERMS


def key_terms(terms: Terms) -> list[str]:
    """The heaviest terms of a statement, by which its claim is indexed and found."""
    ranked = sorted(terms.items(), key=lambda item: (-item[1], item[0]))
    return [term[:100] for term, _ in ranked[:KEY_TERMS]]


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
