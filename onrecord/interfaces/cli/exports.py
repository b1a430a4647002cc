"""CSV rows of the records ``onrecord claim``, ``article``, ``copies``, ``extract`` and
``speakers`` show: one row per statement, attribution (``extract``: of each article;
``speakers``: of each speaker) or copy relation. Cells are made safe as the query rows' are
(``output``: no control characters but tabs and newlines, no spreadsheet formulas)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from onrecord.interfaces.cli.output import CSV_EXTRA_COLUMNS, ROW_COLUMNS, _csv_cell, as_json

if TYPE_CHECKING:
    from onrecord.schema import Article, Claim, CopyRelation
    from onrecord.speakers.grouping import SpeakerRecord
    from onrecord.workbench import CopyLinks

Rows = tuple[list[dict[str, Any]], list[str]]

CLAIM_COLUMNS = [*ROW_COLUMNS, "independent_source", "copy_relation", "copy_of", *CSV_EXTRA_COLUMNS]
ARTICLE_COLUMNS = [
    "article",
    "ordinal",
    "speaker",
    "speaker_type",
    "speaker_role",
    "speaker_org",
    "speaker_score",
    "source",
    "cue",
    "content",
    "kind",
    "via",
    "anonymous",
    "anonymity",
    "confidence",
    "score",
]
SPEAKER_COLUMNS = [
    "speaker",
    "speaker_type",
    "variants",
    "roles",
    "orgs",
    "count",
    "article",
    "source",
    "cue",
    "content",
    "kind",
    "via",
]
COPY_COLUMNS = [
    "direction",
    "article",
    "copy_of",
    "relation",
    "similarity",
    "spin_score",
    "swaps",
    "origin_outlet",
    "origin_published",
]


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], out: TextIO) -> None:
    """A header and the rows (read as they come: ``extract`` writes each article's as it is
    extracted), every cell made safe."""
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})


def claim_rows(claim: Claim) -> Rows:
    rows = [{**as_json(s), "via": "; ".join(s.via)} for s in claim.statements]
    return rows, CLAIM_COLUMNS


def _words(text: str, spans: Iterable[Iterable[int]]) -> str:
    return " … ".join(text[s:e] for s, e in spans)


def article_rows(article: Article) -> Rows:
    def words(spans: list[tuple[int, int]]) -> str:
        return _words(article.text, spans)

    rows = [
        {
            **as_json(a),
            "article": article.id,
            "ordinal": i,
            "source": words(a.source),
            "cue": words(a.cue),
            "content": words(a.content),
            "via": "; ".join(a.via),
            "confidence": "; ".join(c.term for c in a.confidence),
        }
        for i, a in enumerate(article.attributions)
    ]
    return rows, ARTICLE_COLUMNS


def copy_rows(links: CopyLinks) -> Rows:
    def row(direction: str, found: CopyRelation) -> dict[str, Any]:
        return {
            **as_json(found),
            "direction": direction,
            "swaps": len(found.alignment.substitutions),
        }

    rows = [row("copies", links.copy_of)] if links.copy_of else []
    rows += [row("copied by", found) for found in links.copied_by]
    return rows, COPY_COLUMNS


def speaker_rows(records: list[SpeakerRecord], texts: dict[str, str]) -> Rows:
    """One row per attribution of each speaker, its spans as the words of ``texts`` (each
    article's text by id)."""
    rows = []
    for record in records:
        speaker = record.to_json()
        names = {k: "; ".join(speaker[k]) for k in ("variants", "roles", "orgs")}
        for found in speaker["attributions"]:
            text = texts.get(found["article"], "")
            spans = {k: _words(text, found[k]) for k in ("source", "cue", "content")}
            rows.append(
                {
                    **speaker,
                    **names,
                    **spans,
                    "article": found["article"],
                    "kind": found["kind"],
                    "via": "; ".join(found["via"]),
                }
            )
    return rows, SPEAKER_COLUMNS
