"""Quote fidelity at ingest: each new article's quoted passages related to every other
rendering of them in the store (``onrecord.fidelity``), written with the article.

Each open store has one ``FidelityIndex`` of its renderings, built from the renderings
table on first use (``relate=False``: their relations are stored) and caught up, at the
start of every batch, with those other processes wrote since (keys grow in commit order:
every write holds the store's write lock). A new rendering is added to the index, written
with its fidelity, and every earlier rendering whose relation it changed is rewritten in
the same transaction. A batch that fails takes the index with it (``forget``): the next
batch builds it again from what was committed.

A store upgraded to schema 9 has statements stored before it without renderings; the
first batch written to it relates them (``Writer.unrelated_articles``), oldest first.

The index keys a rendering by its statement's key in the store; the JSON written names
renderings ``ARTICLE_ID#ORDINAL`` (``quote_key``), for people and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from weakref import WeakKeyDictionary

from onrecord.document import Article
from onrecord.fidelity import Fidelity, FidelityIndex, Rendering, quote_key, renderings_of
from onrecord.store import Store, Writer
from onrecord.store.quotes import StoredRendering
from onrecord.store.rendering_writes import FidelityRow, RenderingRow


@dataclass
class StoreQuotes:
    """A store's fidelity index, with the people's name of each rendering it holds."""

    index: FidelityIndex = field(default_factory=FidelityIndex)
    names: dict[str, str] = field(default_factory=dict)  # statement key -> ARTICLE#ORDINAL
    seen: int = 0  # the highest statement key indexed

    def add_stored(self, stored: StoredRendering, relate: bool) -> None:
        """Index a rendering read from the store (its fidelity is stored already)."""
        key = str(stored.key)
        self.names[key] = quote_key(stored.article, stored.ordinal)
        rendering = Rendering(
            key=key,
            speaker=stored.speaker,
            segments=stored.segments,
            article=stored.article,
            outlet=stored.outlet,
            published=stored.published,
            spans=stored.spans,
            copy_of=stored.copy_of,
        )
        self.index.add(rendering, relate=relate)
        self.seen = max(self.seen, stored.key)

    def catch_up(self, writer: Writer) -> None:
        """Index what other processes wrote since the index last read the store (related,
        so that what it knows of earlier renderings is what they wrote), and relate the
        statements of a store stored before schema 9."""
        for stored in writer.renderings_after(self.seen):
            self.add_stored(stored, relate=True)
        up_to = writer.unrelated_up_to()
        if up_to is None:
            return
        for article_key, article, copy_of, keys in writer.unrelated_articles(up_to):
            self.add_article(writer, article_key, article, keys, copy_of)
        writer.relating_done()

    def add_article(
        self,
        writer: Writer,
        article_key: int,
        article: Article,
        statement_keys: list[int],
        copy_of: str | None,
    ) -> None:
        """Relate an article's quoted passages (its statements stored under
        ``statement_keys``, in order) and write them, with the earlier renderings whose
        relation they changed."""
        stored_as = {quote_key(article.id, i): key for i, key in enumerate(statement_keys)}
        for found in renderings_of(article, copy_of=copy_of):
            key = stored_as[found.key]
            rendering = replace(found, key=str(key))
            self.names[rendering.key] = found.key
            updated = self.index.add(rendering)
            self.seen = max(self.seen, key)
            writer.add_rendering(
                RenderingRow(
                    key=key,
                    article_key=article_key,
                    speaker=rendering.speaker,
                    segments=rendering.segments,
                    spans=rendering.spans,
                    published=rendering.published,
                    outlet=rendering.outlet,
                    copy_of=copy_of,
                ),
                self._row(updated.pop(rendering.key)),
            )
            writer.set_fidelity(self._row(f) for f in updated.values())

    def _row(self, found: Fidelity) -> FidelityRow:
        record = found.to_json()
        record["reference"] = self.names[found.reference] if found.reference else None
        record["first_on_record"]["key"] = self.names[found.first.key]
        return FidelityRow(
            key=int(found.key),
            relation=found.relation,
            fidelity=record,
            reference_key=int(found.reference) if found.reference else None,
            others=tuple(int(k) for k in found.group),
        )


# Each open store's fidelity index, built on first use and kept in step with its commits.
_quote_indexes: WeakKeyDictionary[Store, StoreQuotes] = WeakKeyDictionary()


def store_quotes(store: Store) -> StoreQuotes:
    """The fidelity index of the store's renderings, built on first use."""
    found = _quote_indexes.get(store)
    if found is None:
        found = StoreQuotes()
        for stored in store.renderings():
            found.add_stored(stored, relate=False)
        _quote_indexes[store] = found
    return found


def forget(store: Store) -> None:
    """Drop the store's index (a batch failed): the next batch builds it again."""
    _quote_indexes.pop(store, None)
