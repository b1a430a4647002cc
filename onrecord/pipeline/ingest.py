"""Ingest: the one path from articles to the record, used by ``onrecord ingest`` and
``POST /api/ingest``.

read → skip what is stored → extract → write, one transaction per batch. Writing an
article is: the article → its fingerprint and the stored article it copies
(``onrecord.copies``) → for each statement, the outlet it is credited to, its speaker
with the name variants its source's words give (``onrecord.speakers``), the claim it
joins or starts (``onrecord.claims``) → the statement → its quoted words, related to the
other renderings of them in the store (``onrecord.fidelity``, ``fidelity_ingest``).

The stages decide and the store writes: this module is the only one that knows both. The
stages sit below the store and never import it; they read what is stored through the
transaction's ``Writer``, which provides the look-ups they declare
(``copies.origin.StoredArticles``, ``claims.cluster.StoredClaims``).

An article already stored (same normalised text) is skipped before extraction, so a
re-run after an interruption only does the work that is left. Each batch is one
transaction: a kill leaves the batches before it whole and nothing of the one in flight.
Several ingests may write one store at once: each batch holds the store's write lock, and
an article that another ingest stored meanwhile is skipped (``Writer.add_article`` returns
None) with nothing of it written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from weakref import WeakKeyDictionary

from onrecord.claims.cluster import claim_of, index_terms
from onrecord.claims.similarity import Meaning, meanings
from onrecord.copies.compare import from_bytes
from onrecord.copies.index import CopyIndex
from onrecord.copies.origin import Fingerprint, Origin, credited_source, find_origin
from onrecord.document import Article, Attribution, fragment_text, valid_unicode
from onrecord.pipeline.extractor import Extractor, batched
from onrecord.pipeline.fidelity_ingest import StoreQuotes, forget, store_quotes
from onrecord.settings import DEFAULTS
from onrecord.speakers.names import names_the_speaker
from onrecord.store import IngestCounts, Store, Writer
from onrecord.store.writes import WrittenArticle

# Where an article's words come from: (writer, its key, the article, its fingerprint, the
# store's LSH index) -> Origin.
OriginOf = Callable[[Writer, int, Article, Fingerprint, CopyIndex], Origin]
# Each open store's LSH index of fingerprints, built on first use and kept in step with
# its commits for as long as the store is open.
_copy_indexes: WeakKeyDictionary[Store, CopyIndex] = WeakKeyDictionary()
# A batch is written as soon as its articles hold this much text: a very long input (read
# as parts of up to a million characters each) is committed part by part as it is
# extracted, so a kill loses the part in flight and not the ones before it.
BATCH_CHARS = 500_000


def ingest(
    store: Store,
    extractor: Extractor,
    articles: Iterable[Article],
    batch_size: int = DEFAULTS.ingest_batch,
) -> Iterator[tuple[list[Article], IngestCounts]]:
    """Each committed batch (``batch_size`` articles, one transaction; fewer once they
    hold ``BATCH_CHARS`` characters) with its counts; articles already stored are counted
    unchanged."""
    skipped = IngestCounts()

    def fresh() -> Iterator[Article]:
        for article in articles:
            if store.has(article):
                skipped.unchanged += 1
            else:
                yield article

    for batch in batched(extractor.extract(fresh()), batch_size, BATCH_CHARS):
        counts = add_batch(store, batch)
        counts.unchanged += skipped.unchanged
        skipped.unchanged = 0
        yield batch, counts
    if skipped.unchanged:
        yield [], skipped


def add_batch(
    store: Store, batch: Iterable[Article], origin_of: OriginOf | None = None
) -> IngestCounts:
    """Write a batch of extracted articles in one transaction, with their copies and
    claims; an article stored with the same text is counted unchanged. ``origin_of``
    decides where an article's words come from (default: the store's copy look-up;
    a Spark run's load gives the copies it found)."""
    counts = IngestCounts()
    index = copy_index(store)
    quotes = store_quotes(store)
    try:
        with store.writing() as writer:
            _catch_up(index, writer)
            quotes.catch_up(writer)
            for article in batch:
                # What a caller of the Python API built by hand may hold; no driver takes it.
                _add_article(
                    writer,
                    valid_unicode(article),
                    counts,
                    index,
                    origin_of or look_up_origin,
                    quotes,
                )
    except BaseException:
        index.rollback()
        forget(store)
        raise
    index.commit()
    return counts


def copy_index(store: Store) -> CopyIndex:
    """The LSH index of the store's fingerprints, built on first use."""
    index = _copy_indexes.get(store)
    if index is None:
        index = CopyIndex((key, from_bytes(minhash)[0]) for key, minhash in store.fingerprints())
        _copy_indexes[store] = index
    return index


def _catch_up(index: CopyIndex, writer: Writer) -> None:
    """Index the fingerprints other processes committed since this index last read the
    store (keys grow in commit order: every write holds the store's write lock)."""
    for key, minhash in writer.fingerprints_after(max(index.hashes, default=0)):
        index.stage(key, from_bytes(minhash)[0])


def _add_article(
    writer: Writer,
    article: Article,
    counts: IngestCounts,
    index: CopyIndex,
    origin_of: OriginOf,
    quotes: StoreQuotes,
) -> None:
    written = writer.add_article(article)
    if written is None:  # stored already, perhaps by a concurrent ingest
        counts.unchanged += 1
        return
    origin = _add_fingerprint(writer, written.key, article, index, origin_of)
    contents = [fragment_text(article.text, a.content) for a in article.attributions]
    cues = [fragment_text(article.text, a.cue) for a in article.attributions]
    keys = []
    for ordinal, (attribution, meaning) in enumerate(
        zip(article.attributions, meanings(contents, cues), strict=True)
    ):
        source = credited_source(origin, article.text, attribution.content, writer)
        keys.append(
            _add_statement(
                writer, written, origin, ordinal, article.text, attribution, source, meaning
            )
        )
    copy_of = writer.article_source(origin.found.origin_key)[0] if origin.found else None
    quotes.add_article(writer, written.key, article, keys, copy_of)
    counts.added += 1
    counts.versions += written.version > 1
    counts.attributions += len(article.attributions)


def look_up_origin(
    writer: Writer, key: int, article: Article, printed: Fingerprint, index: CopyIndex
) -> Origin:
    """The stored article that ``article`` (stored as ``key``) copies, found by the
    store's LSH index and paragraph digests and verified by alignment."""
    return find_origin(key, printed, index, writer)


def _add_fingerprint(
    writer: Writer, key: int, article: Article, index: CopyIndex, origin_of: OriginOf
) -> Origin:
    """Record the article's fingerprint and the earlier article it copies, if any, and
    return where its words come from."""
    printed = Fingerprint.of(article.text, article.boilerplate)
    origin = origin_of(writer, key, article, printed, index)
    if origin.found is not None:
        relation = origin.found.relation
        writer.add_copy(
            key,
            origin.found.origin_key,
            relation.relation,
            relation.similarity,
            relation.spin_score,
            relation.alignment.to_json(),
        )
    writer.add_fingerprint(key, printed.minhash_bytes(), printed.digests)
    writer.set_root(key, origin.root_key)
    index.stage(key, printed.minhash)
    return origin


def _add_statement(
    writer: Writer,
    article: WrittenArticle,
    origin: Origin,
    ordinal: int,
    text: str,
    a: Attribution,
    independent_source: str,
    meaning: Meaning,
) -> int:
    source_text = fragment_text(text, a.source)
    speaker_key = None
    if a.speaker:
        speaker_key = writer.speaker_key(a.speaker, a.speaker_type, _variants(a, source_text))
    copied = origin.root_key if origin.found is not None else None
    claim_key = claim_of(meaning, speaker_key, source_text, copied, writer)
    starts_claim = claim_key is None
    if claim_key is None:
        claim_key = writer.add_claim(
            speaker_key,
            fragment_text(text, a.content),
            terms=meaning.terms,
            embedding=meaning.embedding_bytes(),
            negated=meaning.negated,
            first_published=article.published,
            index_terms=index_terms(meaning, speaker_key),
        )
    return writer.add_attribution(
        article,
        ordinal,
        text,
        a,
        speaker_key=speaker_key,
        claim_key=claim_key,
        starts_claim=starts_claim,
        independent_source=independent_source,
    )


def _variants(a: Attribution, source_text: str) -> list[str]:
    """The names a speaker goes by in this statement: the resolved name, and the source's
    words when they name the speaker ("Kirby" for John Kirby; not "He")."""
    variants = [a.speaker]
    if source_text and names_the_speaker(source_text, a.speaker):
        variants.append(" ".join(source_text.split())[:500])
    return list(dict.fromkeys(variants))
