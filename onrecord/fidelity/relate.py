"""How one rendering of a passage relates to another, word by word.

The two are aligned with difflib over their normalised words (``words.py``). Read from
the rendering's side against the reference it is measured by:

- ``verbatim``: the same words (or more of the quotation, honestly: past the reference's
  ends, or where the reference marks an omission);
- ``trimmed``: a part of the reference: its ends cut, or words left out where this
  rendering marks the omission (an ellipsis, a quotation closed and reopened);
- ``spliced``: parts from separate places joined with no mark: an unmarked omission of
  ``splice_words`` or more, or a run of words moved from elsewhere;
- ``altered``: words substituted, inserted or dropped inside the quotation marks, listed
  as ``Change`` pairs;
- ``paraphrased``: too few of its words are the reference's to call it the same wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from onrecord.fidelity.settings import DEFAULTS, FidelitySettings
from onrecord.fidelity.words import Words

Relation = Literal["verbatim", "trimmed", "spliced", "altered", "paraphrased"]
RELATIONS: tuple[Relation, ...] = ("verbatim", "trimmed", "spliced", "altered", "paraphrased")


@dataclass(frozen=True)
class Change:
    """Words the reference has (``was``) and this rendering has in their place (``now``);
    an empty side is an insertion or a deletion."""

    was: str
    now: str

    def to_json(self) -> list[str]:
        return [self.was, self.now]


@dataclass(frozen=True)
class Comparison:
    relation: Relation
    changes: tuple[Change, ...] = ()
    matched: int = 0  # this rendering's words aligned to equal words
    extends: bool = False  # has words the other lacks, honestly (more of the quotation)

    @property
    def supports(self) -> bool:
        """This rendering could have been taken from the other as it stands (verbatim or
        trimmed, adding nothing): evidence that the other is the source's wording."""
        return self.agrees and not self.extends

    @property
    def agrees(self) -> bool:
        """No word changed and nothing joined: where the two overlap, they agree."""
        return self.relation in ("verbatim", "trimmed")


def _has_run(run: tuple[str, ...], keys: tuple[str, ...]) -> bool:
    n = len(run)
    return any(keys[i : i + n] == run for i in range(len(keys) - n + 1))


def _gap_in(gaps: frozenset[int], start: int, end: int) -> bool:
    return any(start <= g <= end for g in gaps)


def _moved_pieces(this: Words, b: tuple[str, ...], settings: FidelitySettings) -> bool:
    """Whether ``this`` is runs of ``b``'s words, each ``moved_words`` or more, joined out
    of their order with no mark: a splice difflib's in-order alignment would misread."""
    a = this.keys
    pieces: list[tuple[int, int, int]] = []  # (start in a, size, start in b)
    spans = [(0, len(a))]
    while spans:
        lo, hi = spans.pop()
        if hi - lo < settings.moved_words:
            if hi > lo:
                return False  # words not covered by a run of b's
            continue
        match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(lo, hi, 0, len(b))
        if match.size < settings.moved_words:
            return False
        pieces.append((match.a, match.size, match.b))
        spans += [(lo, match.a), (match.a + match.size, hi)]
    pieces.sort()
    return any(
        nxt[2] < cur[2] + cur[1] and nxt[0] not in this.gaps
        for cur, nxt in zip(pieces, pieces[1:], strict=False)
    )


def compare(this: Words, other: Words, settings: FidelitySettings = DEFAULTS) -> Comparison:
    """How ``this`` rendering relates to ``other``, the reference."""
    a, b = this.keys, other.keys
    if not a or not b:
        return Comparison("paraphrased")
    if _moved_pieces(this, b, settings):
        return Comparison("spliced", (), len(a))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    ops = matcher.get_opcodes()
    equal = [n for n, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return Comparison("paraphrased")
    first, last = equal[0], equal[-1]
    changes: list[Change] = []
    trimmed = spliced = extends = False
    moved_words = changed_words = 0
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        mine, theirs = a[i1:i2], b[j1:j2]
        marked = _gap_in(this.gaps, i1, i2)
        if len(mine) >= settings.moved_words and _has_run(mine, b):
            trimmed |= marked
            spliced |= not marked
            moved_words += len(mine)
            continue
        if n < first or n > last:  # past one end of the aligned words
            if not mine:
                trimmed = True
            elif len(mine) >= settings.extends_words and not theirs:
                extends = True
            else:
                # Words of theirs beside mine at an edge: the nearest ones were replaced,
                # any further ones were cut.
                near = theirs[-len(mine) :] if n < first else theirs[: len(mine)]
                near_start = j2 - len(near) if n < first else j1
                trimmed |= len(near) < len(theirs)
                changes.append(
                    Change(other.show(near_start, near_start + len(near)), this.show(i1, i2))
                )
                changed_words += len(mine) + len(near)
            continue
        if not mine:  # their words missing from mine
            # The omission may be shown a few words off where difflib puts it, when the
            # words beside it repeat inside it ("we have … to deal" for "we have to find
            # ways to deal").
            if marked or _gap_in(this.gaps, i1 - len(theirs), i2 + len(theirs)):
                trimmed = True
            elif len(theirs) >= settings.splice_words:
                spliced = True
            else:
                changes.append(Change(other.show(j1, j2), ""))
                changed_words += len(theirs)
        elif not theirs and _gap_in(other.gaps, j1, j2):
            extends = True
        else:
            changes.append(Change(other.show(j1, j2), this.show(i1, i2)))
            changed_words += len(mine) + len(theirs)
    aligned = matched + moved_words
    share = min(aligned / len(a), aligned / (aligned + changed_words))
    # Words swapped one for one (or two) keep the wording's frame however many there are:
    # a spun copy ("did not sink Russian bullets"), not a paraphrase.
    swapped = all(
        c.was and c.now and len(c.was.split()) <= 2 and len(c.now.split()) <= 2 for c in changes
    )
    if share < settings.verbatim_share and not (changes and swapped):
        return Comparison("paraphrased", matched=matched)
    if changes:
        return Comparison("altered", tuple(changes), matched, extends)
    if spliced:
        return Comparison("spliced", (), matched, extends)
    if trimmed:
        return Comparison("trimmed", (), matched, extends)
    return Comparison("verbatim", (), matched, extends)
