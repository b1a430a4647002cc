"""Which renderings quote the same passage: the same speaker, and the same words or,
for a paraphrase, the same subject.

Speakers compare by name: "Obama" is "Barack Obama" (one name's words inside the other's,
the last one shared), "Barack Obama" is not "Michelle Obama". A rendering with no
resolved speaker (anonymous, unresolved) groups with any other only by a long shared run
of words (``unknown_run_words``): a passage that long is not said twice by chance, and
without a name the subject alone would join different people's words.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from onrecord.fidelity.settings import DEFAULTS, FidelitySettings
from onrecord.fidelity.words import Words, fold, is_uncommon, topic_words

_NAME_WORD = re.compile(r"\w+", re.UNICODE)


def speaker_words(speaker: str | None) -> tuple[str, ...]:
    """A speaker's name as folded words; empty for no speaker."""
    return tuple(_NAME_WORD.findall(fold(speaker))) if speaker else ()


def same_speaker(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names (``speaker_words``) can be one speaker."""
    if not a or not b or a[-1] != b[-1]:
        return False
    return set(a) <= set(b) or set(b) <= set(a)


def _uncommon(keys: tuple[str, ...]) -> int:
    return sum(1 for k in keys if is_uncommon(k))


def _longest_run(matcher: SequenceMatcher, a: Words, b: Words) -> tuple[int, int]:
    """The longest run of words both share: its length and how many uncommon words."""
    match = matcher.find_longest_match(0, len(a), 0, len(b))
    return match.size, _uncommon(a.keys[match.a : match.a + match.size])


def _edited_in_place(
    matcher: SequenceMatcher, a: Words, settings: FidelitySettings, copied: bool
) -> bool:
    """Whether one reads as the other with a few words swapped in place: most words of
    each aligned, two of them uncommon (one where one article copies the other), every
    difference short."""
    blocks = matcher.get_matching_blocks()
    matched = sum(block.size for block in blocks)
    shorter = min(len(a), len(matcher.b))
    if shorter < settings.short_words + 1 or matched < settings.edited_share * max(
        len(a), len(matcher.b)
    ):
        return False
    if sum(_uncommon(a.keys[m.a : m.a + m.size]) for m in blocks) < (1 if copied else 2):
        return False
    return all(
        max(i2 - i1, j2 - j1) <= settings.edit_words
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )


def _assembled(a: Words, b: Words, settings: FidelitySettings) -> bool:
    """Whether the shorter one is made of runs of the longer one's words (in any order):
    nearly all its words, two of them uncommon, in runs of ``moved_words`` or more."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    keys, other = short.keys, long.keys
    matcher = SequenceMatcher(None, keys, other, autojunk=False)
    covered: list[tuple[str, ...]] = []
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        run = keys[i1:i2]
        if len(run) >= settings.moved_words and (tag == "equal" or _has_run(run, other)):
            covered.append(run)
    words = sum(len(run) for run in covered)
    uncommon = sum(_uncommon(run) for run in covered)
    return words >= settings.assembled_share * len(keys) and uncommon >= settings.run_topic_words


def _has_run(run: tuple[str, ...], keys: tuple[str, ...]) -> bool:
    n = len(run)
    return any(keys[i : i + n] == run for i in range(len(keys) - n + 1))


def same_passage(
    a: Words,
    b: Words,
    speakers_known: bool,
    settings: FidelitySettings = DEFAULTS,
    copied: bool = False,
) -> bool:
    """Whether ``a`` and ``b`` (by one speaker when ``speakers_known``) quote one passage;
    ``copied``: one's article copies the other's (a spun copy may swap most of a short
    quotation's uncommon words)."""
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    matcher = SequenceMatcher(None, a.keys, b.keys, autojunk=False)
    run, uncommon = _longest_run(matcher, a, b)
    if not speakers_known:
        long_enough = shorter > settings.short_words + 1
        return long_enough and run >= min(settings.unknown_run_words, shorter)
    if shorter <= settings.short_words:
        return run == shorter
    shared_run = run >= min(settings.run_words, shorter) and uncommon >= settings.run_topic_words
    if shared_run and (run >= settings.run_share * shorter or uncommon > settings.run_topic_words):
        return True
    if run >= settings.long_run_words and uncommon and run >= settings.run_share * shorter:
        return True
    if _edited_in_place(matcher, a, settings, copied) or _assembled(a, b, settings):
        return True
    ta, tb = topic_words(a), topic_words(b)
    shared = len(ta & tb)
    if shared < settings.topic_shared:
        return False
    return shared / min(len(ta), len(tb)) >= settings.topic_overlap
