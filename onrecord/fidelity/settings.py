"""The thresholds quote fidelity decides with, in one object.

The defaults were tuned on the train half of the generated evaluation set
(``benchmarks/fidelity_eval.py --split train``), never on the half it reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FidelitySettings:
    # Grouping: two renderings by one speaker quote the same passage when they share a
    # run of ``run_words`` words holding ``run_topic_words`` uncommon ones (and either one
    # more or ``run_share`` of the shorter passage's words), or when
    # ``topic_overlap`` of the smaller set of uncommon words (at least ``topic_shared``)
    # is in both. Passages of ``short_words`` words or fewer group only when one is a run
    # inside the other.
    run_words: int = 4
    run_topic_words: int = 2
    run_share: float = 0.5
    # A run of ``long_run_words`` that much of the shorter passage needs one uncommon word.
    long_run_words: int = 6
    # Or when the shorter one is ``assembled_share`` made of runs of the longer one's
    # words (a splice), in runs of ``moved_words`` or more.
    assembled_share: float = 0.8
    topic_shared: int = 3
    topic_overlap: float = 0.5
    short_words: int = 3
    # Or when one reads as the other with words swapped in place: ``edited_share`` of the
    # longer one's words aligned (one of them uncommon), no difference over ``edit_words``.
    edited_share: float = 0.5
    edit_words: int = 3
    # Without a known speaker on both sides, only a long shared run groups.
    unknown_run_words: int = 8
    # Relations: a rendering with fewer than ``verbatim_share`` of its words aligned to the
    # reference (moved runs included), or whose aligned words are under that share of its
    # aligned and changed words (both sides), is a paraphrase; an unmarked omission of
    # ``splice_words`` words or more (or a moved run of ``moved_words``) is a splice;
    # words past the reference's ends count as an insertion up to ``extends_words`` - 1
    # words, as more of the quotation from that many on.
    verbatim_share: float = 0.6
    splice_words: int = 4
    moved_words: int = 3
    extends_words: int = 4
    # Candidates aligned per new rendering (the best by shared uncommon words).
    max_candidates: int = 50


DEFAULTS = FidelitySettings()
