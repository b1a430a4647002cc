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

SPEAKER_WIDTH = 24
CUE_WIDTH = 20
CONTENT_WIDTH = 70
UNCERTAIN = "?"  # after a speaker's name: the speaker may be wrong
UNCERTAIN_LEGEND = (
    f"{UNCERTAIN} after a speaker: uncertain (speaker score below {LOW_SPEAKER_SCORE}), "
    "check the text"
)


def _cell(text: str, width: int) -> str:
    # Article text is untrusted: escape sequences must not reach the terminal.
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return textwrap.shorten(flat, width=width, placeholder="…") if flat else "—"


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
    header = " | ".join(f"{HEADINGS.get(c, c):<{WIDTHS[c]}}" for c in columns)
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(" | ".join(f"{_row_cell(row, c):<{WIDTHS[c]}}" for c in columns))
    if "speaker" in columns and any(_uncertain(row) for row in rows):
        lines.append(UNCERTAIN_LEGEND)
    return "\n".join(lines)


def _row_cell(row: Statement, column: str) -> str:
    width = WIDTHS[column]
    if column == "speaker" and _uncertain(row):
        return _cell(row.speaker or "", width - len(UNCERTAIN)) + UNCERTAIN
    return _cell(str(getattr(row, column, None) or ""), width)


def format_copy(article_id: str, found: CopyRelation | None) -> str:
    """The copy relation and its alignment: swapped words side by side, passages."""
    if found is None:
        return f"{_cell(article_id, 60)} copies no earlier article"
    lines = [
        f"{_cell(article_id, 40)} is {_a(found.relation)} copy of "
        f"{_cell(found.copy_of, 40)}"
        f" (similarity {found.similarity:.2f}, spin score {found.spin_score:.2f})"
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
