"""Writing quote renderings and their fidelity (schema 9's ``renderings`` table): the part
of a ``Writer`` that quote fidelity goes through. Plain data in and out; what a relation
is, is decided above the store (``onrecord.fidelity``, ``pipeline.fidelity_ingest``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection

from onrecord.document import Article, Fragment
from onrecord.store import quotes
from onrecord.store.quotes import StoredRendering
from onrecord.store.schema import renderings


@dataclass(frozen=True)
class RenderingRow:
    """A statement's quoted words as the renderings table holds them."""

    key: int  # the statement's key
    article_key: int
    speaker: str | None
    segments: tuple[str, ...]
    spans: tuple[Fragment, ...]
    published: str | None  # ISO 8601 date
    outlet: str | None
    copy_of: str | None  # the id of the article its article copies


@dataclass(frozen=True)
class FidelityRow:
    """A rendering's fidelity as the renderings table holds it: ``fidelity`` is the JSON
    of ``onrecord.schema.Fidelity``, ``reference_key`` and ``others`` statement keys."""

    COLUMNS = ("relation", "fidelity", "reference_key", "others")

    key: int
    relation: str | None
    fidelity: dict[str, Any]
    reference_key: int | None
    others: tuple[int, ...]

    def values(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "fidelity": self.fidelity,
            "reference_key": self.reference_key,
            "others": list(self.others),
        }


class RenderingWrites:
    """The rendering writes of a ``Writer`` (which holds ``connection``, one transaction)."""

    connection: Connection

    def add_rendering(self, found: RenderingRow, fidelity: FidelityRow) -> None:
        """Write a statement's quoted words (``found``) with their fidelity."""
        self.connection.execute(
            renderings.insert().values(
                attribution_key=found.key,
                article_key=found.article_key,
                speaker=found.speaker,
                segments=list(found.segments),
                spans=[list(s) for s in found.spans],
                published=date.fromisoformat(found.published) if found.published else None,
                outlet=found.outlet,
                copy_of=found.copy_of,
                **fidelity.values(),
            )
        )

    def set_fidelity(self, changed: Iterable[FidelityRow]) -> None:
        """Rewrite the fidelity of stored renderings (a new one changed their relation)."""
        rows = [{"k": f.key, **f.values()} for f in changed]
        if rows:
            self.connection.execute(
                renderings.update()
                .where(renderings.c.attribution_key == bindparam("k"))
                .values({c: bindparam(c) for c in FidelityRow.COLUMNS}),
                rows,
            )

    def renderings_after(self, key: int) -> list[StoredRendering]:
        """Renderings with a statement key above ``key``, in key order: those written by
        other processes since an index last saw the store."""
        return quotes.stored_renderings(self.connection, key)

    def unrelated_up_to(self) -> int | None:
        """In a store upgraded to schema 9, the last statement key stored before it."""
        return quotes.unrelated_up_to(self.connection)

    def unrelated_articles(
        self, up_to: int
    ) -> Iterator[tuple[int, Article, str | None, list[int]]]:
        """Stored articles with statements up to ``up_to`` and no renderings yet: key,
        article, the id of the article it copies, its statements' keys."""
        return quotes.unrelated_articles(self.connection, up_to)

    def relating_done(self) -> None:
        quotes.relating_done(self.connection)
