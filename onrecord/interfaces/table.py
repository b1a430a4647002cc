"""A readable per-article table for terminals: speaker | cue | content."""

from __future__ import annotations

import textwrap

from onrecord.document import Article, fragment_text

SPEAKER_WIDTH = 24
CUE_WIDTH = 20
CONTENT_WIDTH = 70


def _cell(text: str, width: int) -> str:
    # Article text is untrusted: escape sequences must not reach the terminal.
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return textwrap.shorten(flat, width=width, placeholder="…") if flat else "—"


def format_article(article: Article) -> str:
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
        speaker = a.speaker or "(no source)"
        cue = fragment_text(article.text, a.cue)
        content = fragment_text(article.text, a.content)
        lines.append(
            f"{_cell(speaker, SPEAKER_WIDTH):<{SPEAKER_WIDTH}} | "
            f"{_cell(cue, CUE_WIDTH):<{CUE_WIDTH}} | {_cell(content, CONTENT_WIDTH)}"
        )
    return "\n".join(lines)
