"""The fidelity index: every rendering on record, found again by speaker and words, and
the relation of each to the passage's other renderings, kept up to date as renderings
arrive.

``FidelityIndex.add`` takes a new rendering and returns its ``Fidelity`` and that of each
earlier rendering whose relation it changed. Candidates come from two posting lists, so
a rendering is aligned with few others however many are stored: (speaker surname,
uncommon word) for renderings by a named speaker, and word 3-shingles holding an uncommon
word for renderings by anyone (the long-run test of unnamed speakers).

Within a group (this rendering and the renderings of the same passage in other
articles; renderings in one article are not compared with each other) the reference is
the rendering most others could have been taken from without a change (verbatim or
trimmed from it), the earliest among equals, then the longest. A rendering is
measured against it; the reference itself is ``verbatim``. First on record is the
earliest dated rendering of the group (undated ones last, then in the order added).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from onrecord.fidelity.grouping import same_passage, same_speaker, speaker_words
from onrecord.fidelity.passages import Rendering
from onrecord.fidelity.relate import Change, Comparison, Relation, compare
from onrecord.fidelity.settings import DEFAULTS, FidelitySettings
from onrecord.fidelity.words import Words, is_uncommon, topic_words, words_of

SHINGLE = 3


@dataclass(frozen=True)
class FirstOnRecord:
    """The earliest rendering of a passage, and whether a given one agrees with it."""

    key: str
    article: str
    outlet: str | None
    published: str | None
    matches: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "article": self.article,
            "outlet": self.outlet,
            "published": self.published,
            "matches": self.matches,
        }


@dataclass(frozen=True)
class Fidelity:
    """What is known of one rendering: ``relation`` is None while no other rendering of
    its passage is on record; ``changes`` (reference words, this rendering's words) are
    listed for ``altered``; ``compared`` counts the other renderings in its group."""

    key: str
    relation: Relation | None
    changes: tuple[Change, ...]
    compared: int
    reference: str | None
    first: FirstOnRecord
    group: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The attribution's ``fidelity`` field."""
        return {
            "relation": self.relation,
            "changes": [c.to_json() for c in self.changes],
            "reference": self.reference,
            "first_on_record": self.first.to_json(),
            "compared": self.compared,
        }


@dataclass(frozen=True)
class _Entry:
    seq: int
    rendering: Rendering
    words: Words
    topic: frozenset[str]
    speaker: tuple[str, ...]

    @property
    def when(self) -> tuple[bool, str, int]:
        """Sorts the earliest first: dated before undated, then in the order added."""
        published = self.rendering.published
        return (published is None, published or "", self.seq)


def _shingles(words: Words) -> set[tuple[str, ...]]:
    keys = words.keys
    runs = (keys[i : i + SHINGLE] for i in range(len(keys) - SHINGLE + 1))
    return {run for run in runs if any(is_uncommon(k) for k in run)}


class FidelityIndex:
    """Renderings of quoted passages, grouped and related incrementally."""

    def __init__(self, settings: FidelitySettings = DEFAULTS) -> None:
        self.settings = settings
        self._entries: dict[str, _Entry] = {}
        self._by_topic: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._by_shingle: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self._same: dict[tuple[str, str], bool] = {}
        self._compared: dict[tuple[str, str], Comparison] = {}
        self._current: dict[str, Fidelity] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def add(self, rendering: Rendering, relate: bool = True) -> dict[str, Fidelity]:
        """Index ``rendering``; return its fidelity and that of each earlier rendering
        whose fidelity changed, by key (nothing when ``relate`` is false: loading a
        store's renderings, whose fidelity ``fidelity`` computes when asked)."""
        if rendering.key in self._entries:
            raise ValueError(f"rendering {rendering.key!r} is already indexed")
        words = words_of(rendering.segments)
        entry = _Entry(
            len(self._entries),
            rendering,
            words,
            topic_words(words),
            speaker_words(rendering.speaker),
        )
        self._entries[rendering.key] = entry
        if entry.speaker:
            for word in entry.topic:
                self._by_topic[(entry.speaker[-1], word)].append(rendering.key)
        for shingle in _shingles(words):
            self._by_shingle[shingle].append(rendering.key)
        if not relate:
            return {}
        found = self._relate(rendering.key)
        self._current[rendering.key] = found
        updated = {rendering.key: found}
        for other in found.group:
            now = self._relate(other)
            if self._current.get(other) != now:
                updated[other] = now
            self._current[other] = now
        return updated

    def fidelity(self, key: str) -> Fidelity:
        """The current fidelity of an indexed rendering."""
        if key not in self._current:
            self._current[key] = self._relate(key)
        return self._current[key]

    def _candidates(self, entry: _Entry) -> list[str]:
        counts: Counter[str] = Counter()
        if entry.speaker:
            for word in entry.topic:
                counts.update(self._by_topic.get((entry.speaker[-1], word), ()))
        for shingle in _shingles(entry.words):
            counts.update(self._by_shingle.get(shingle, ()))
        article = entry.rendering.article
        found = [
            key
            for key in counts
            if self._entries[key].rendering.article != article and key != entry.rendering.key
        ]
        found.sort(key=lambda k: (-counts[k], self._entries[k].seq))
        return found[: self.settings.max_candidates]

    def _is_same(self, a: str, b: str) -> bool:
        pair = (a, b) if a < b else (b, a)
        if pair not in self._same:
            ea, eb = self._entries[a], self._entries[b]
            if ea.speaker and eb.speaker and not same_speaker(ea.speaker, eb.speaker):
                self._same[pair] = False
            else:
                known = bool(ea.speaker and eb.speaker)
                ra, rb = ea.rendering, eb.rendering
                copied = ra.copy_of == rb.article or rb.copy_of == ra.article
                self._same[pair] = same_passage(
                    ea.words, eb.words, known, self.settings, copied=copied
                )
        return self._same[pair]

    def _compare(self, this: str, other: str) -> Comparison:
        if (this, other) not in self._compared:
            self._compared[(this, other)] = compare(
                self._entries[this].words, self._entries[other].words, self.settings
            )
        return self._compared[(this, other)]

    def group(self, key: str) -> list[str]:
        """The other renderings of the passage ``key`` quotes, in other articles."""
        entry = self._entries[key]
        return [other for other in self._candidates(entry) if self._is_same(key, other)]

    def _relate(self, key: str) -> Fidelity:
        members = self.group(key)
        everyone = [key, *members]
        entries = self._entries
        first = min(everyone, key=lambda k: entries[k].when)
        support = {
            k: sum(1 for h in everyone if h != k and self._compare(h, k).supports) for k in everyone
        }
        reference = min(
            everyone,
            key=lambda k: (
                -support[k],
                entries[k].when[:2],
                -len(entries[k].words),
                entries[k].seq,
            ),
        )
        if reference == key:
            relation, changes = ("verbatim" if members else None), ()
        else:
            comparison = self._compare(key, reference)
            relation, changes = comparison.relation, comparison.changes
        matches = first == key or self._compare(key, first).agrees
        rendering = entries[first].rendering
        return Fidelity(
            key=key,
            relation=relation,
            changes=changes,
            compared=len(members),
            reference=reference if members else None,
            first=FirstOnRecord(
                first, rendering.article, rendering.outlet, rendering.published, matches
            ),
            group=tuple(members),
        )
