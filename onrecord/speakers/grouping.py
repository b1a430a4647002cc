"""Speakers across articles: one record per person or body, with every attribution.

Within an article the speakers stage has already collapsed variants to the fullest form.
Across articles, names join by spelling-folded surname ("Zelensky", "Zelenskyy") and
compatible first names. A bare surname ("Kirby") joins a fuller name only on evidence:
a shared role or organisation word, or shared context (names the two articles both
mention); without it, it stays apart rather than merging two people blindly. Two
identical full names whose roles conflict and whose articles share no context also stay
apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from onrecord.document import Article, Attribution, fragment_text
from onrecord.speakers.names import (
    first_names_compatible,
    fold,
    given_names,
    names_the_speaker,
    surname_key,
)

MIN_SHARED_CONTEXT = 3
# Capitalised words after a lower-case word: names and places, not sentence openers.
_CONTEXT_WORD = re.compile(r"(?<=[a-z,;] )[A-Z][\w’'-]+")
_CALENDAR = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
ROLE_STOP_WORDS = {"the", "of", "for", "and", "a", "an", "former", "deputy", "senior", "new"}


@dataclass
class SpeakerRecord:
    """One speaker across a set of articles."""

    name: str
    type: str
    variants: list[str]
    roles: list[str]
    orgs: list[str]
    attributions: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "speaker": self.name,
            "speaker_type": self.type,
            "variants": self.variants,
            "roles": self.roles,
            "orgs": self.orgs,
            "count": len(self.attributions),
            "attributions": self.attributions,
        }


@dataclass
class _Local:
    """One speaker as one article names it."""

    article: str
    name: str
    type: str
    names: Counter = field(default_factory=Counter)
    variants: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    orgs: Counter = field(default_factory=Counter)
    refs: list[dict[str, Any]] = field(default_factory=list)
    context: set[str] = field(default_factory=set)

    @property
    def has_given_name(self) -> bool:
        return bool(given_names(self.name))

    def role_words(self) -> set[str]:
        words = {w for r in [*self.roles, *self.orgs] for w in fold(r).split()}
        return words - ROLE_STOP_WORDS


@dataclass
class _Cluster:
    members: list[_Local] = field(default_factory=list)

    def add(self, local: _Local) -> None:
        self.members.append(local)

    @property
    def full_names(self) -> list[str]:
        return [m.name for m in self.members if m.has_given_name]

    def role_words(self) -> set[str]:
        return set().union(*(m.role_words() for m in self.members))

    def context(self) -> set[str]:
        return set().union(*(m.context for m in self.members))


def group_speakers(articles: Iterable[Article]) -> list[SpeakerRecord]:
    """Speaker records over ``articles``, most attributions first."""
    locals_: list[_Local] = []
    for article in articles:
        locals_.extend(_article_speakers(article))
    clusters: list[_Cluster] = []
    by_key: dict[tuple[str, str], list[_Cluster]] = {}
    # Full names first, so that bare surnames meet every candidate they could join.
    for local in sorted(locals_, key=lambda x: (not x.has_given_name, x.article)):
        key = _key(local)
        bucket = by_key.setdefault(key, [])
        cluster = (
            _best_cluster(local, bucket)
            if local.type == "person"
            else (bucket[0] if bucket else None)
        )
        if cluster is None:
            cluster = _Cluster()
            bucket.append(cluster)
            clusters.append(cluster)
        cluster.add(local)
    records = [_record(c) for c in clusters]
    return sorted(records, key=lambda r: (-len(r.attributions), r.name))


def _article_speakers(article: Article) -> list[_Local]:
    context = {
        w
        for w in (fold(m) for m in _CONTEXT_WORD.findall(article.text))
        if w and w not in _CALENDAR
    }
    found: dict[tuple[str, str], _Local] = {}
    for attribution in article.attributions:
        if not attribution.speaker:
            continue
        local = found.setdefault(
            (attribution.speaker, attribution.speaker_type),
            _Local(article.id, attribution.speaker, attribution.speaker_type),
        )
        local.names[attribution.speaker] += 1
        source = fragment_text(article.text, attribution.source).strip()
        if source and names_the_speaker(source, attribution.speaker):
            local.variants[" ".join(source.split())] += 1
        if attribution.speaker_role:
            local.roles[attribution.speaker_role] += 1
        if attribution.speaker_org:
            local.orgs[attribution.speaker_org] += 1
        local.refs.append(_reference(article, attribution))
    for local in found.values():
        local.context = context - set(fold(local.name).split())
    return list(found.values())


def _reference(article: Article, attribution: Attribution) -> dict[str, Any]:
    return {
        "article": article.id,
        "source": [list(f) for f in attribution.source],
        "cue": [list(f) for f in attribution.cue],
        "content": [list(f) for f in attribution.content],
        "kind": attribution.kind,
        "via": attribution.via,
    }


def _key(local: _Local) -> tuple[str, str]:
    if local.type == "person":
        return ("person", surname_key(local.name))
    return (local.type, fold(local.name))


def _best_cluster(local: _Local, bucket: list[_Cluster]) -> _Cluster | None:
    """The cluster this person joins, or None to start a new one."""
    best, best_evidence = None, 0
    for cluster in bucket:
        fits = all(
            first_names_compatible(given_names(local.name), given_names(name))
            for name in cluster.full_names
        )
        if not fits:
            continue
        evidence = _evidence(local, cluster)
        if local.has_given_name and cluster.full_names:
            if _roles_conflict(local, cluster) and evidence == 0:
                continue
            evidence += 1  # same full name
        if evidence > best_evidence:
            best, best_evidence = cluster, evidence
    return best


def _evidence(local: _Local, cluster: _Cluster) -> int:
    """Shared role/org words count one each; shared context counts one when large."""
    shared_roles = len(local.role_words() & cluster.role_words())
    shared_context = len(local.context & cluster.context())
    return shared_roles + (1 if shared_context >= MIN_SHARED_CONTEXT else 0)


def _roles_conflict(local: _Local, cluster: _Cluster) -> bool:
    mine, theirs = local.role_words(), cluster.role_words()
    return bool(mine) and bool(theirs) and not (mine & theirs)


def _record(cluster: _Cluster) -> SpeakerRecord:
    names: Counter = Counter()
    variants: Counter = Counter()
    roles: Counter = Counter()
    orgs: Counter = Counter()
    refs: list[dict[str, Any]] = []
    for member in cluster.members:
        names.update(member.names)
        variants.update(member.variants)
        variants.update(member.names)
        roles.update(member.roles)
        orgs.update(member.orgs)
        refs.extend(member.refs)
    full = [n for n in cluster.full_names]
    name = Counter(full).most_common(1)[0][0] if full else names.most_common(1)[0][0]
    return SpeakerRecord(
        name=name,
        type=cluster.members[0].type,
        variants=[v for v, _ in variants.most_common()],
        roles=[r for r, _ in roles.most_common()],
        orgs=[o for o, _ in orgs.most_common()],
        attributions=refs,
    )
