"""Canonical names of frequently cited bodies (``gazetteer.tsv``, written for onrecord).

The table turns "British Ministry of Defense", "UK MOD" and "MOD" into one name, marks
news outlets (what "the daily" or "the network" can refer back to) and records whose
estimative yardstick a body uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from onrecord.speakers.names import fold


@dataclass(frozen=True)
class Known:
    name: str
    type: str
    kind: str | None  # outlet | government | international
    country: str | None


@cache
def _table() -> dict[str, Known]:
    table: dict[str, Known] = {}
    text = resources.files("onrecord.speakers").joinpath("gazetteer.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        alias, name, speaker_type, kind, country = line.split("\t")
        table[alias] = Known(
            name, speaker_type, None if kind == "-" else kind, None if country == "-" else country
        )
    return table


def lookup(name: str) -> Known | None:
    """The body a name or alias means; case matters only in that lower-case words
    ("us", "who") are never treated as names."""
    if not any(ch.isupper() for ch in name):
        return None
    key = fold(name)
    table = _table()
    return table.get(key) or (table.get(key[4:]) if key.startswith("the ") else None)
