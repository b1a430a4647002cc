"""Generated copies of an article, with a map from each copy character to the original.

Used by ``copies_eval.py`` (is each copy found, with the right relation and origin?) and
``claims_eval.py`` (the map carries the original's gold attributions over to the copy, so
that the same statement in both is known to be one claim).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.document import Article, Attribution, Fragment

KINDS = ("exact", "near", "spun", "partial")
SUBSTITUTIONS = Path(__file__).parent / "data" / "spin-substitutions.tsv"


def substitutions() -> dict[str, str]:
    table = {}
    for line in SUBSTITUTIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, replacement = line.split("\t")
            table[word] = replacement
    return table


@dataclass
class Edited:
    """A text being rewritten; ``origin[i]`` is where character i came from (-1: new)."""

    text: str
    origin: list[int] = field(default_factory=list)
    host_origin: list[int] = field(default_factory=list)  # partial copies: the host's map
    boilerplate: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Edited:
        return cls(text, list(range(len(text))))

    def replace(self, start: int, end: int, new: str, keep_origin: bool = False) -> None:
        """Put ``new`` in place of [start, end); a swapped word keeps its origin."""
        first = self.origin[start] if keep_origin and start < end else -1
        self.text = self.text[:start] + new + self.text[end:]
        self.origin[start:end] = [first] * len(new)

    def sub(self, pattern: str, replacement, count: int = 0, keep_origin: bool = True) -> None:
        matches = list(re.finditer(pattern, self.text))
        if count:
            matches = matches[:count]
        for match in reversed(matches):
            new = replacement(match) if callable(replacement) else replacement
            self.replace(match.start(), match.end(), new, keep_origin)

    def project(self, fragment: Fragment, host: bool = False) -> Fragment | None:
        """Where the original's (or the host's) range ``fragment`` lies in this text."""
        start, end = fragment
        origin = self.host_origin if host else self.origin
        inside = [i for i, o in enumerate(origin) if start <= o < end]
        return (inside[0], inside[-1] + 1) if inside else None


def exact(text: str) -> Edited:
    header, footer = "Home | World | Politics | Opinion\n\n", "\n\nShare this story"
    copy = Edited.of(text)
    copy.replace(len(text), len(text), footer)
    copy.replace(0, 0, header)
    copy.boilerplate = [
        (0, len(header) - 2),
        (len(header) + len(text) + 2, len(header) + len(text) + len(footer)),
    ]
    return copy


def near(text: str, rng: random.Random) -> Edited:
    """Light edits: whitespace between sentences folded, one sentence dropped, one added,
    one weekday changed."""
    copy = Edited.of(text)
    copy.sub(r"(?<=[.!?])\s+", " ", keep_origin=False)
    starts = [0] + [m.end() for m in re.finditer(r"(?<=[.!?]) ", copy.text)]
    bounds = list(zip(starts, [s - 1 for s in starts[1:]] + [len(copy.text)], strict=True))
    if len(bounds) > 4:
        start, end = bounds[rng.randrange(1, len(bounds) - 1)]
        copy.replace(start, min(end + 1, len(copy.text)), "")
        starts = [0] + [m.end() for m in re.finditer(r"(?<=[.!?]) ", copy.text)]
    where = starts[rng.randrange(1, len(starts))] if len(starts) > 1 else len(copy.text)
    copy.replace(where, where, "The report was updated on Tuesday. ")
    copy.sub(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday)\b", "Saturday", count=1)
    return copy


def spun(text: str, table: dict[str, str]) -> Edited:
    copy = Edited.of(text)
    pattern = r"\b(" + "|".join(map(re.escape, table)) + r")\b"
    copy.sub(pattern, lambda m: table[m.group()])
    return copy


def partial(text: str, host: str, rng: random.Random) -> Edited:
    """Three consecutive paragraphs of ``text`` placed in the middle of ``host``."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    first = rng.randrange(0, max(1, len(spans) - 3))
    block = spans[first : first + 3]
    host_spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", host) if m.group().strip()]
    cut = len(host_spans) // 2
    copy = Edited("")
    pieces = [(host, s, e, True) for s, e in host_spans[:cut]]
    pieces += [(text, s, e, False) for s, e in block]
    pieces += [(host, s, e, True) for s, e in host_spans[cut:]]
    for n, (source, start, end, from_host) in enumerate(pieces):
        separator = "\n\n" if n else ""
        copy.text += separator + source[start:end]
        mapped = list(range(start, end))
        unmapped = [-1] * (end - start)
        copy.origin += [-1] * len(separator) + (unmapped if from_host else mapped)
        copy.host_origin += [-1] * len(separator) + (mapped if from_host else unmapped)
    return copy


def make_copy(kind: str, text: str, host: str, rng: random.Random, table: dict[str, str]) -> Edited:
    if kind == "exact":
        return exact(text)
    if kind == "near":
        return near(text, rng)
    if kind == "spun":
        return spun(text, table)
    return partial(text, host, rng)


def carried(gold: Article, copy: Edited, host: bool = False) -> list[tuple[int, Attribution]]:
    """The original's (or host's) gold attributions that the copy carries, with their
    index in ``gold``, in copy offsets."""
    found = []
    for n, attribution in enumerate(gold.attributions):
        spans = {}
        for role in ("source", "cue", "content"):
            projected = [copy.project(f, host) for f in getattr(attribution, role)]
            spans[role] = [f for f in projected if f is not None]
        if spans["content"] and spans["cue"]:
            found.append((n, Attribution(spans["source"], spans["cue"], spans["content"])))
    return found
