"""Token features for the attribution tagger.

The tagger sees each token through its words, its part of speech, its place in the
dependency tree relative to likely cue words, and whether it sits inside quotation marks.
Cue likelihood per lemma (``CueLexicon``) is learned from the training data and saved
with the model, so the features carry no hand-written word lists.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from onrecord.extraction.views import (  # noqa: F401  (quote_depths: re-exported)
    CLOSE_QUOTES,
    OPEN_QUOTES,
    STRAIGHT_QUOTES,
    quote_depths,
)

QUOTE_CHARS = OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES | {"``", "''"}

# How far up the tree we look for a governing cue word.
MAX_ANCESTOR_HOPS = 6


@dataclass
class CueLexicon:
    """P(token is part of a cue | lemma), estimated on training data."""

    ratios: dict[str, float] = field(default_factory=dict)

    @classmethod
    def learn(
        cls, lemma_counts: Counter[str], cue_counts: Counter[str], min_count: int = 3
    ) -> CueLexicon:
        ratios = {
            lemma: cue_counts[lemma] / total
            for lemma, total in lemma_counts.items()
            if total >= min_count and cue_counts[lemma] > 0
        }
        return cls(ratios)

    def ratio(self, lemma: str) -> float:
        return self.ratios.get(lemma, 0.0)

    def bin(self, lemma: str) -> str:
        r = self.ratio(lemma)
        if r == 0.0:
            return "0"
        return str(min(9, int(r * 10)))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.ratios, ensure_ascii=False, sort_keys=True))

    @classmethod
    def load(cls, path: Path) -> CueLexicon:
        return cls(json.loads(path.read_text()))


def _cue_ancestor(tok: Token, lexicon: CueLexicon) -> tuple[str, int] | None:
    """The dependency relation by which ``tok`` hangs under its nearest likely cue."""
    child = tok
    head = tok.head
    hops = 0
    while head is not child and hops < MAX_ANCESTOR_HOPS:
        hops += 1
        if lexicon.ratio(head.lemma_.lower()) >= 0.25:
            return child.dep_, hops
        child, head = head, head.head
    return None


def _dist_bin(d: int) -> str:
    return str(d) if d < 4 else ("4-7" if d < 8 else "8+")


def doc_features(doc: Doc, lexicon: CueLexicon) -> list[list[str]]:
    """One list of ``name=value`` feature strings per token of ``doc``."""
    n = len(doc)
    lowers = [t.lower_ for t in doc]
    tags = [t.tag_ for t in doc]
    cue_bins = [lexicon.bin(t.lemma_.lower()) for t in doc]
    inside = quote_depths(doc)
    para_start = _paragraph_starts(doc)
    sent_bounds = [(0, 0)] * n
    for sent in doc.sents:
        for j in range(sent.start, sent.end):
            sent_bounds[j] = (sent.start, sent.end)
    base = [_token_features(t, lexicon, inside[t.i], cue_bins[t.i], para_start[t.i]) for t in doc]
    feats = []
    for i in range(n):
        f = base[i]
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                f.append(f"{off}:w={lowers[j]}")
                f.append(f"{off}:t={tags[j]}")
                f.append(f"{off}:cue={cue_bins[j]}")
                f.append(f"{off}:q={inside[j]}")
            else:
                f.append(f"{off}:EDGE")
        if i > 0:
            f.append(f"-1|0:w={lowers[i - 1]}|{lowers[i]}")
        if i + 1 < n:
            f.append(f"0|1:w={lowers[i]}|{lowers[i + 1]}")
        f.extend(_nearest_cue_features(i, cue_bins, sent_bounds[i]))
        feats.append(f)
    return feats


def _paragraph_starts(doc: Doc) -> list[int]:
    starts = [0] * len(doc)
    new_para = True
    for tok in doc:
        if tok.is_space:
            if "\n" in tok.text:
                new_para = True
            continue
        starts[tok.i] = int(new_para)
        new_para = "\n" in tok.whitespace_
    return starts


def _token_features(
    tok: Token, lexicon: CueLexicon, in_quote: int, cue_bin: str, para_start: int
) -> list[str]:
    text = tok.text
    lemma = tok.lemma_.lower()
    f = [
        "bias",
        f"w={tok.lower_}",
        f"l={lemma}",
        f"suf={tok.lower_[-3:]}",
        f"shape={tok.shape_[:4]}",
        f"pos={tok.pos_}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"q={in_quote}",
        f"cue={cue_bin}",
        f"ent={tok.ent_iob_}{tok.ent_type_}",
        f"para0={para_start}",
        f"sent0={int(tok.is_sent_start or False)}",
        f"sentend={int(tok.is_sent_end or False)}",
        f"hl={tok.head.lemma_.lower()}",
        f"hdep={tok.dep_}|{tok.head.pos_}",
        f"hcue={lexicon.bin(tok.head.lemma_.lower())}",
        f"dep|hcue={tok.dep_}|{lexicon.bin(tok.head.lemma_.lower())}",
    ]
    if tok.is_space:
        f.append("space")
        if "\n" in text:
            f.append("newline")
    if text in QUOTE_CHARS:
        f.append(
            "quote="
            + ("open" if text in OPEN_QUOTES else "close" if text in CLOSE_QUOTES else "straight")
        )
    if tok.is_title:
        f.append("title")
    if tok.like_num:
        f.append("num")
    child_deps = sorted({c.dep_ for c in tok.children})
    for dep in child_deps:
        f.append(f"child={dep}")
    if cue_bin != "0":
        f.append(f"cue|pos={cue_bin}|{tok.pos_}")
        f.extend(f"cue|child={cue_bin}|{dep}" for dep in child_deps)
    anc = _cue_ancestor(tok, lexicon)
    if anc is None:
        f.append("anc=none")
    else:
        rel, hops = anc
        f.append(f"anc={rel}")
        f.append(f"anc={rel}|{_dist_bin(hops)}")
        f.append(f"anc={rel}|q={in_quote}")
    subtree_len = tok.right_edge.i - tok.left_edge.i + 1
    f.append(f"subtree={int(math.log2(subtree_len))}")
    if tok.left_edge.i == tok.i:
        f.append("subtree_left_edge")
    return f


def _nearest_cue_features(i: int, cue_bins: list[str], bounds: tuple[int, int]) -> list[str]:
    """Distance to the nearest strong cue word on each side, within the sentence."""
    start, end = bounds
    out = []
    left = next((j for j in range(i - 1, start - 1, -1) if cue_bins[j] >= "3"), None)
    right = next((j for j in range(i + 1, end) if cue_bins[j] >= "3"), None)
    out.append("lcue=" + ("none" if left is None else _dist_bin(i - left)))
    out.append("rcue=" + ("none" if right is None else _dist_bin(right - i)))
    return out


def with_vectors(features: list[list[str]], vectors: Any) -> list[dict[str, float]]:
    """Feature dicts: the string features (weight 1) plus each token's contextual vector.

    ``vectors`` is the slice of ``doc.tensor`` (spaCy's tok2vec output) for the tokens;
    its rows carry what the tagger and parser learned about each token in context.
    """
    items = []
    for names, vector in zip(features, vectors.tolist(), strict=True):
        item = dict.fromkeys(names, 1.0)
        item.update(zip(VECTOR_NAMES, vector, strict=False))
        items.append(item)
    return items


VECTOR_NAMES = tuple(f"v{k}" for k in range(512))


def with_encoder_scores(
    items: list[list[str]] | list[dict[str, float]], words: list[int], log_probs: Any
) -> list[dict[str, float]]:
    """CRF items plus the encoder's probability of each label (a stacked model, (c) in
    BENCHMARKS.md); ``words`` are the token indices the rows of ``log_probs`` score."""
    from onrecord.extraction.encoder_inputs import LABELS

    dicts = [dict.fromkeys(i, 1.0) if isinstance(i, list) else dict(i) for i in items]
    names = [f"enc={label}" for label in LABELS]
    for row, i in zip(log_probs.tolist(), words, strict=True):
        dicts[i].update(zip(names, (math.exp(v) for v in row), strict=True))
    return dicts


def model_items(
    doc: Doc, features: list[list[str]], start: int, use_vectors: bool
) -> list[list[str]] | list[dict[str, float]]:
    """What the CRF sees for tokens ``start..start+len(features)`` of ``doc``."""
    if not use_vectors:
        return features
    if doc.tensor.shape[0] != len(doc):
        raise ValueError("this model needs spaCy's tok2vec output (doc.tensor); none was set")
    return with_vectors(features, doc.tensor[start : start + len(features)])


def count_lemmas(docs_with_cues: Iterable[tuple[Doc, list[str]]]) -> tuple[Counter, Counter]:
    """Lemma totals and how often each lemma is tagged as (part of) a cue."""
    totals: Counter[str] = Counter()
    cues: Counter[str] = Counter()
    for doc, labels in docs_with_cues:
        for tok, label in zip(doc, labels, strict=True):
            lemma = tok.lemma_.lower()
            totals[lemma] += 1
            if label.endswith("CUE"):
                cues[lemma] += 1
    return totals, cues
