"""Where an article's words come from: the stored article it copies, if any, and the
outlet each of its statements is credited to once copies are followed back.

This package decides; the store only keeps what it decided. The ingest
(``onrecord.pipeline.ingest``) calls these functions inside a write transaction and
writes their answers through the store's primitives. The store sits above this package,
so nothing here imports it: stored articles are read through ``StoredArticles``, the few
plain-data look-ups declared below, which the store's ``Writer`` provides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from datasketch import MinHash

from onrecord.copies.compare import (
    Word,
    article_words,
    fingerprint,
    paragraph_digests,
    to_bytes,
)
from onrecord.copies.index import CopyIndex, Found
from onrecord.document import Fragment, SpanFragments, fragment_text

PARAGRAPH_SHARERS = 50
MAX_PARAGRAPH_CANDIDATES = 5
_WORD = re.compile(r"\w+", re.UNICODE)


class StoredArticles(Protocol):
    """What finding an origin reads of the articles stored so far."""

    def article_text(self, key: int) -> tuple[str, list[Fragment]]:
        """Its text and boilerplate ranges."""

    def article_source(self, key: int) -> tuple[str, str | None, str | None]:
        """Its id, URL and outlet."""

    def articles_with_paragraph(self, digest: int, most: int) -> list[int]:
        """The first ``most`` articles (by key) with a paragraph of this digest."""

    def root_of(self, key: int) -> int | None:
        """The first article of its chain of copies, as recorded."""


@dataclass
class Fingerprint:
    """An article's words outside its boilerplate, their MinHash and paragraph digests."""

    words: list[Word]
    minhash: MinHash
    digests: list[int]

    @classmethod
    def of(cls, text: str, boilerplate: list[Fragment]) -> Fingerprint:
        words = article_words(text, boilerplate)
        return cls(words, fingerprint(words), paragraph_digests(words))

    def minhash_bytes(self) -> bytes:
        return to_bytes(self.minhash)


@dataclass
class Origin:
    """Where an article's words come from: itself, or the article it copies (``found``)
    and the first article of that chain of copies (``root_key``)."""

    key: int
    found: Found | None
    root_key: int


def find_origin(key: int, printed: Fingerprint, index: CopyIndex, stored: StoredArticles) -> Origin:
    """The origin of the article ``key`` among the stored articles: the best copy
    candidate of the LSH index or of the articles sharing a paragraph with it."""

    def words_of(other: int) -> list[Word]:
        return article_words(*stored.article_text(other))

    found = index.find(printed.minhash, printed.words, words_of, sharing(stored, printed.digests))
    if found is None:
        return Origin(key, None, key)
    root = stored.root_of(found.origin_key)
    return Origin(key, found, root or found.origin_key)


def sharing(stored: StoredArticles, digests: list[int]) -> list[int]:
    """Stored articles sharing the most paragraphs with these digests (earliest first on a
    tie). A paragraph printed everywhere (a standard disclaimer) counts only its first
    PARAGRAPH_SHARERS articles, so the look-up stays bounded."""
    hits: Counter = Counter()
    for digest in digests:
        hits.update(stored.articles_with_paragraph(digest, PARAGRAPH_SHARERS))
    ranked = sorted(hits, key=lambda k: (-hits[k], k))
    return ranked[:MAX_PARAGRAPH_CANDIDATES]


def credited_source(
    origin: Origin, text: str, content: SpanFragments, stored: StoredArticles
) -> str:
    """The outlet a statement (``content`` of ``text``) comes from: that of the first
    article in the chain of copies. A partial copy took one block, so only statements
    found in its origin's text are credited to the origin."""
    root = origin.root_key
    if origin.found is not None and origin.found.relation.relation == "partial":
        origin_text, _ = stored.article_text(origin.found.origin_key)
        if _folded(fragment_text(text, content)) not in _folded(origin_text):
            root = origin.key
    article_id, url, outlet = stored.article_source(root)
    return source_name(outlet, url, article_id)


def source_name(outlet: str | None, url: str | None, article_id: str) -> str:
    """An outlet's name for counting independent sources: its own name, else the web site
    of its URL, else the article itself (an unknown outlet counts once per article)."""
    if outlet and outlet.strip():
        return " ".join(outlet.split())  # counted case-insensitively
    host = urlsplit(url).hostname if url else None
    if host:
        return host.removeprefix("www.")
    return f"article:{article_id}"


def _folded(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))
