"""Grouping statements into claims, one statement at a time as articles stream in.

A statement joins the most similar earlier claim among its candidates (``claim_of``:
claims of the same speaker sharing a key term or made lately, and claims made with the
same source words in the article it copies) when their similarity
(``similarity.similarity``) reaches CLAIM_THRESHOLD, tuned on copies generated from
PolNeAR train (``benchmarks/claims_eval.py``); otherwise it starts a new claim. The claim
keeps the meaning of its first statement, so it cannot drift from one topic to another
through a chain of loosely similar statements.

The store keeps the claims and knows nothing of what they mean. It sits above this
package, so nothing here imports it: stored claims are read through ``StoredClaims``, two
plain-data look-ups declared below that the store's ``Writer`` provides, and the ingest
(``onrecord.pipeline.ingest``) writes a new claim with its ``index_terms``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

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


# A stored claim: its key and the meaning of its first statement (terms, embedding bytes,
# negated), as ``Meaning.stored`` reads them.
StoredClaim = tuple[int, Terms, bytes, bool]


class StoredClaims(Protocol):
    """What grouping a statement reads of the claims stored so far."""

    def claims_in_article(self, article_key: int, source_text: str) -> Iterable[StoredClaim]:
        """The claims of an article's statements made with these source words."""

    def claims_of_speaker(
        self, speaker_key: int, terms: list[str], sharing: int, recent: int
    ) -> Iterable[StoredClaim]:
        """A speaker's latest ``sharing`` claims indexed by one of ``terms``, and latest
        ``recent`` claims whatever their terms."""


def claim_of(
    meaning: Meaning,
    speaker_key: int | None,
    source_text: str,
    copied: int | None,
    stored: StoredClaims,
) -> int | None:
    """The stored claim a statement belongs to, or None for a new claim. Candidates: the
    speaker's claims that share a key word with the statement, the speaker's most recent
    claims, and the claims made with the same source words in the article this one copies
    (``copied``: the first article of its chain of copies), since a reprint is the same
    statement even where its speaker was resolved differently, and "officials said" in it
    are the same officials."""
    candidates = []
    if copied is not None:
        candidates += _meanings(stored.claims_in_article(copied, source_text))
    if speaker_key is not None and says_enough(meaning):
        found = stored.claims_of_speaker(
            speaker_key, key_terms(meaning.terms), MAX_SPEAKER_CLAIMS, RECENT_SPEAKER_CLAIMS
        )
        candidates += [(key, claim) for key, claim in _meanings(found) if says_enough(claim)]
    return best_claim(meaning, dict(candidates).items())


def index_terms(meaning: Meaning, speaker_key: int | None) -> list[str]:
    """The terms a new claim is found again by (``claims_of_speaker``): its key terms when
    it has a speaker and says enough, else none."""
    if speaker_key is None or not says_enough(meaning):
        return []
    return key_terms(meaning.terms)


def _meanings(rows: Iterable[StoredClaim]) -> list[tuple[int, Meaning]]:
    return [(key, Meaning.stored(*meaning)) for key, *meaning in rows]
