"""Readable tables for terminals: an article's attributions (speaker | cue | content),
query rows, a claim, a copy relation. Cells are shortened and made safe to print. A
speaker whose ``speaker_score`` is below ``LOW_SPEAKER_SCORE`` ends in ``?``, and a
legend line under the table says what that means."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from onrecord import document
from onrecord.document import fragment_text
from onrecord.schema import Article, Attribution, Claim, CopyRelation, Statement
from onrecord.settings import LOW_SPEAKER_SCORE
from onrecord.workbench import CopyLinks

SPEAKER_WIDTH = 24
CUE_WIDTH = 20
CONTENT_WIDTH = 70
ID_WIDTH = 40  # ids are kept whole up to this; longer ones keep their start and end
ID_COLUMNS = ("article", "copy_of")
UNCERTAIN = "?"  # after a speaker's name: the speaker may be wrong
UNCERTAIN_LEGEND = (
    f"{UNCERTAIN} after a speaker: uncertain (speaker score below {LOW_SPEAKER_SCORE}), "
    "check the text"
)


def _cell(text: str, width: int) -> str:
    # Article text is untrusted: escape sequences must not reach the terminal.
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if not flat:
        return "—"
    short = textwrap.shorten(flat, width=width, placeholder="…")
    # A first word longer than the cell (a URL, an id) is cut, not dropped to a bare "…".
    return short if short != "…" else flat[: width - 1] + "…"


def id_cell(text: str, width: int = ID_WIDTH) -> str:
    """An id as it can be typed back (`onrecord article ID`): whole up to ``width``, else
    its start and end around one "…" (which part of a path differs is usually the end)."""
    flat = "".join(ch if ch.isprintable() else " " for ch in text)
    if len(flat) <= width:
        return flat
    head = (width - 1) // 2
    return flat[:head] + "…" + flat[len(flat) - (width - 1 - head) :]


def format_article(article: Article | document.Article) -> str:
    count = len(article.attributions)
    lines = [
        f"== {article.id}: {count} attribution{'s' * (count != 1)}, "
        f"{len(article.boilerplate)} boilerplate line{'s' * (len(article.boilerplate) != 1)}"
    ]
    if not count:
        return "\n".join(lines)
    header = f"{'speaker':<{SPEAKER_WIDTH}} | {'cue':<{CUE_WIDTH}} | content"
    lines += [header, "-" * (SPEAKER_WIDTH + CUE_WIDTH + CONTENT_WIDTH + 6)]
    for a in article.attributions:
        cue = fragment_text(article.text, a.cue)
        content = fragment_text(article.text, a.content) + _confidence_note(a)
        lines.append(
            f"{_speaker_cell(a, SPEAKER_WIDTH):<{SPEAKER_WIDTH}} | "
            f"{_cell(cue, CUE_WIDTH):<{CUE_WIDTH}} | {_cell(content, CONTENT_WIDTH)}"
        )
    if any(_uncertain(a) for a in article.attributions):
        lines.append(UNCERTAIN_LEGEND)
    return "\n".join(lines)


def _speaker_cell(a: Attribution | document.Attribution, width: int) -> str:
    """Who speaks, shortened to ``width``; an uncertain speaker keeps its trailing mark."""
    if a.speaker is None:
        if a.anonymous:
            return _cell(f"(anonymous: {a.anonymity})" if a.anonymity else "(anonymous)", width)
        return _cell("(unresolved)" if a.source else "(no source)", width)
    mark = UNCERTAIN if _uncertain(a) else ""
    return (
        _cell(a.speaker + (f" via {', '.join(a.via)}" if a.via else ""), width - len(mark)) + mark
    )


def _uncertain(a: Attribution | document.Attribution | Statement) -> bool:
    """A resolved speaker that the resolver scored below ``LOW_SPEAKER_SCORE``."""
    return (
        a.speaker is not None
        and a.speaker_score is not None
        and a.speaker_score < LOW_SPEAKER_SCORE
    )


def _confidence_note(a: Attribution | document.Attribution) -> str:
    notes = []
    for c in a.confidence:
        if c.low is not None and c.high is not None:
            notes.append(f"{c.term}: {c.low:.0%}–{c.high:.0%} {c.yardstick}")
        else:
            notes.append(f"{c.term}: {'negated' if c.negated else 'hedged'}")
    return f" [{'; '.join(notes)}]" if notes else ""


def format_speakers(records: list) -> str:
    """One line per speaker: name, type, count, roles, name variants."""
    if not records:
        return "no named speakers found"
    lines = [f"{'speaker':<28} {'type':<13} {'count':>5}  roles / variants", "-" * 96]
    for r in records:
        extra = "; ".join([*r.roles[:2], *(v for v in r.variants[:4] if v != r.name)])
        lines.append(
            f"{_cell(r.name, 28):<28} {r.type:<13} {len(r.attributions):>5}  {_cell(extra, 48)}"
        )
    return "\n".join(lines)


WIDTHS = {
    "published": 10,
    "outlet": 16,
    "article": 18,
    "speaker": 20,
    "cue": 14,
    "content": 60,
    "claim": 6,
    "independent_sources": 7,
    "occurrences": 4,
    "independent_source": 16,
    "copy_relation": 8,
    "copy_of": 18,
}
HEADINGS = {
    "independent_sources": "sources",
    "occurrences": "seen",
    "copy_relation": "copy",
    "independent_source": "credited to",
}


def format_claim(claim: Claim) -> str:
    """A claim's summary line, then its statements oldest first."""
    sources = claim.independent_sources
    lines = [
        f"claim {claim.claim}: {_cell(claim.speaker or '(no speaker)', 40)}, "
        f"{claim.occurrences} statement{'s' * (claim.occurrences != 1)} from "
        f"{sources} independent source{'s' * (sources != 1)}: "
        f"{_cell(', '.join(claim.sources), 60)}",
        f"  {_cell(claim.text, 110)}",
        "",
    ]
    columns = ("published", "outlet", "article", "independent_source", "copy_relation", "copy_of")
    return "\n".join(lines) + "\n" + format_rows(claim.statements, columns)


def format_rows(rows: Sequence[Statement], columns: tuple[str, ...]) -> str:
    """Query results, one line each, cells shortened and made safe for a terminal."""
    if not rows:
        return "no results"
    widths = {**WIDTHS, **_id_widths(rows, columns)}
    header = " | ".join(f"{HEADINGS.get(c, c):<{widths[c]}}" for c in columns)
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(" | ".join(f"{_row_cell(row, c, widths[c]):<{widths[c]}}" for c in columns))
    if "speaker" in columns and any(_uncertain(row) for row in rows):
        lines.append(UNCERTAIN_LEGEND)
    return "\n".join(lines)


def _id_widths(rows: Sequence[Statement], columns: tuple[str, ...]) -> dict[str, int]:
    """Id columns as wide as their longest id (up to ID_WIDTH), so ids stay readable."""
    return {
        c: max(WIDTHS[c], min(ID_WIDTH, max(len(str(getattr(r, c, None) or "")) for r in rows)))
        for c in columns
        if c in ID_COLUMNS
    }


def _row_cell(row: Statement, column: str, width: int) -> str:
    if column == "speaker" and _uncertain(row):
        return _cell(row.speaker or "", width - len(UNCERTAIN)) + UNCERTAIN
    if column in ID_COLUMNS:
        return id_cell(str(getattr(row, column, None) or ""), width)
    return _cell(str(getattr(row, column, None) or ""), width)


SIMILARITY_NOTE = (
    "similarity: share of the shorter text's words aligned with the other text, swapped "
    "words included; spin score: how much of the aligned text is single-word swaps"
)


def format_copy_links(links: CopyLinks) -> str:
    """Both directions: what the article copies (with the alignment: swapped words side
    by side, passages), then every later article that copies it."""
    article = id_cell(links.article)
    lines = [format_copy(links.article, links.copy_of)]
    if links.copied_by:
        lines += ["", f"copied by {len(links.copied_by)} later article(s):"]
        lines += [f"  {id_cell(c.article)} ({_relation_note(c)})" for c in links.copied_by]
    else:
        lines += ["", f"no later stored article copies {article}"]
    if links.copy_of or links.copied_by:
        lines += ["", SIMILARITY_NOTE]
    return "\n".join(lines)


def _relation_note(found: CopyRelation) -> str:
    swaps = len(found.alignment.substitutions)
    return (
        f"{found.relation}: similarity {found.similarity:.2f}, {swaps} word"
        f"{'s' * (swaps != 1)} swapped, spin score {found.spin_score:.2f}"
    )


def format_copy(article_id: str, found: CopyRelation | None) -> str:
    """The copy relation and its alignment: swapped words side by side, passages."""
    if found is None:
        return f"{id_cell(article_id)} copies no earlier article"
    lines = [
        f"{id_cell(article_id)} is {_a(found.relation)} copy of {id_cell(found.copy_of)}"
        f" ({_relation_note(found).split(': ', 1)[1]})"
    ]
    alignment = found.alignment
    if alignment.substitutions:
        lines.append("substituted:")
        lines += [
            f"  {_cell(old, 30):<30} -> {_cell(new, 30)}" for old, new in alignment.substitutions
        ]
    for label, passages in (("inserted", alignment.inserted), ("dropped", alignment.dropped)):
        if passages:
            lines.append(f"{label}:")
            lines += [f"  {_cell(passage, 90)}" for passage in passages]
    return "\n".join(lines)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
