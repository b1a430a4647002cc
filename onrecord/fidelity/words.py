"""The words of a quoted passage, normalised so that what does not change what was said
does not count: case, punctuation, accents, curly or straight apostrophes, contractions
("didn't" is "did not"), British or American spelling (``spelling.tsv``), and omissions a
writer marks as such (``...``, ``…``, ``[...]``, a bracketed editorial insertion like
``[the minister]``). A marked omission becomes a gap: a place where words may be missing
without the rendering being spliced or altered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPELLING = Path(__file__).with_name("spelling.tsv")

# Marked omissions and insertions: ellipses (three dots, spaced or not, the character,
# either in brackets) and any other bracketed text.
_GAP = re.compile(r"\[[^\]]*\]|\.\s?\.\s?\.|…")
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

# Contractions spelled out: a quotation transcribed "did not" or "didn't" says the same.
_NEGATIONS = {"won't": ("will", "not"), "can't": ("can", "not"), "shan't": ("shall", "not")}
_ENDINGS = (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'m", "am"))

# Words too common to say what a passage is about (for grouping by topic, not aligning).
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves going get got gonna want say said says think know really
    lot lots thing things one many much well make made way us let go going done even ever
    like""".split()  # noqa: SIM905 - a word list reads better as text
)


@dataclass(frozen=True)
class Word:
    """One normalised word: ``key`` compares, ``text`` shows (as written; the second word
    of a spelled-out contraction shows nothing)."""

    key: str
    text: str


@dataclass(frozen=True)
class Words:
    """A passage's words, and before which of them a marked omission falls (an index
    equal to ``len(words)`` is an omission at the end)."""

    words: tuple[Word, ...]
    gaps: frozenset[int] = frozenset()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(w.key for w in self.words)

    def __len__(self) -> int:
        return len(self.words)

    def show(self, start: int, end: int) -> str:
        """Words ``start:end`` as written."""
        return " ".join(w.text for w in self.words[start:end] if w.text)


def fold(word: str) -> str:
    """Lower case, no accents, straight apostrophes."""
    word = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in word if not unicodedata.combining(c))


@cache
def spelling() -> dict[str, str]:
    """British spellings to American ones (the key both compare by)."""
    table = {}
    for line in SPELLING.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            british, american = line.split("\t")
            for suffix_b, suffix_a in _inflections(british, american):
                table[suffix_b] = suffix_a
    return table


def _inflections(british: str, american: str) -> list[tuple[str, str]]:
    """A stem pair written ``organis|e`` / ``organiz|e``: the listed endings after ``|``
    (comma separated) on both stems; a plain pair stands for itself."""
    if "|" not in british:
        return [(british, american)]
    stem_b, endings = british.split("|")
    stem_a = american.split("|")[0]
    return [(stem_b + e, stem_a + e) for e in endings.split(",")]


def _keys(token: str) -> list[tuple[str, str]]:
    """(key, shown) pairs of one written token."""
    key = fold(token)
    if key in _NEGATIONS:
        first, second = _NEGATIONS[key]
        return [(first, token), (second, "")]
    for ending, full in _ENDINGS:
        if key.endswith(ending) and len(key) > len(ending):
            return [(key[: -len(ending)], token), (full, "")]
    return [(spelling().get(key, key), token)]


def words_of(segments: list[str] | tuple[str, ...]) -> Words:
    """The normalised words of a passage quoted in ``segments`` (separately quoted parts
    in order: the boundary between two is an omission, as the writer showed it)."""
    words: list[Word] = []
    gaps: set[int] = set()
    for n, segment in enumerate(segments):
        if n:
            gaps.add(len(words))
        position = 0
        for gap in [*_GAP.finditer(segment), None]:
            end = gap.start() if gap else len(segment)
            for match in _WORD.finditer(segment, position, end):
                words.extend(Word(k, shown) for k, shown in _keys(match.group()))
            if gap:
                gaps.add(len(words))
                position = gap.end()
    return Words(tuple(words), frozenset(gaps))


def topic_words(words: Words) -> frozenset[str]:
    """What a passage is about: its words less the common ones."""
    return frozenset(k for k in words.keys if is_uncommon(k))


def is_uncommon(key: str) -> bool:
    """A word that says what a passage is about: not a common word, not a contraction."""
    return len(key) > 2 and key not in STOPWORDS and "'" not in key
