"""Stage two, ``--linking roles``: given one cue, tag its source and content.

For each cue we look at a window of sentences around it and tag every token ``O`` /
``B-SRC`` / ``I-SRC`` / ``B-CNT`` / ``I-CNT`` for *this* cue. The features say where the
token stands relative to the cue: before or after it, how many sentences away, and the
dependency relation by which it hangs under (or above) the cue word. Spans found in one
window all belong to that cue, so no separate linking step is needed.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from onrecord.document import Attribution, Fragment

SENTENCES_BEFORE = 1
SENTENCES_AFTER = 3
MAX_WINDOW_TOKENS = 300
MAX_HOPS = 8


@dataclass(frozen=True)
class CueWindow:
    """The tokens [start, end) in which one cue's source and content are sought."""

    cue_start: int
    cue_end: int
    start: int
    end: int


class SentenceIndex:
    """Sentence number and bounds per token, computed once per doc."""

    def __init__(self, doc: Doc) -> None:
        self.bounds = [(s.start, s.end) for s in doc.sents]
        self.of = [0] * len(doc)
        for n, (start, end) in enumerate(self.bounds):
            for i in range(start, end):
                self.of[i] = n

    def window(self, cue_start: int, cue_end: int) -> CueWindow:
        first = max(0, self.of[cue_start] - SENTENCES_BEFORE)
        last = min(len(self.bounds) - 1, self.of[cue_end - 1] + SENTENCES_AFTER)
        start, end = self.bounds[first][0], self.bounds[last][1]
        # Keep long windows bounded, centred on the cue.
        start = max(start, cue_start - MAX_WINDOW_TOKENS // 3)
        end = min(end, cue_end + 2 * MAX_WINDOW_TOKENS // 3)
        return CueWindow(cue_start, cue_end, start, end)


def cue_head(doc: Doc, start: int, end: int) -> Token:
    """The cue token whose head lies outside the cue (its syntactic root)."""
    for tok in doc[start:end]:
        if not start <= tok.head.i < end or tok.head is tok:
            return tok
    return doc[start]


# Dependencies on the way up to the cue that often mark where a content stops.
BOUNDARY_DEPS = frozenset({"relcl", "appos", "advcl", "conj", "acl", "prep", "npadvmod"})


def _relation_to(tok: Token, head: Token, other_cues: set[int]) -> tuple[str, list[str]]:
    """How ``tok`` relates to the cue head in the tree, and boundary deps on the way.

    ``below:<dep>|<hops>`` when the cue governs it; ``other:<dep>`` when another cue is
    met first (the token then more likely belongs to that cue); ``above|<hops>``; ``none``.
    """
    if tok is head:
        return "self", []
    child, node, hops, crossed = tok, tok.head, 1, []
    while hops <= MAX_HOPS:
        if child.dep_ in BOUNDARY_DEPS:
            crossed.append(child.dep_)
        if node is head:
            return f"below:{child.dep_}|{min(hops, 4)}", crossed
        if node.i in other_cues:
            return f"other:{child.dep_}", crossed
        if node.head is node:
            break
        child, node, hops = node, node.head, hops + 1
    node, hops = head.head, 1
    while hops <= 3:
        if node is tok:
            return f"above|{hops}", []
        if node.head is node:
            break
        node, hops = node.head, hops + 1
    return "none", []


def _dist_bin(d: int) -> str:
    if d < 4:
        return str(d)
    return "4-7" if d < 8 else ("8-15" if d < 16 else "16+")


def window_features(
    doc: Doc,
    base: list[list[str]],
    sentences: SentenceIndex,
    window: CueWindow,
    other_cue_tokens: set[int],
    in_quote: list[int],
) -> list[list[str]]:
    """Base token features plus features relative to the window's cue."""
    head = cue_head(doc, window.cue_start, window.cue_end)
    cue_lemma = head.lemma_.lower()
    cue_sentence = sentences.of[window.cue_start]
    quoted_cue = in_quote[head.i]
    others = sorted(other_cue_tokens)
    feats = []
    for i in range(window.start, window.end):
        tok = doc[i]
        if i < window.cue_start:
            side, dist = "before", window.cue_start - i
        elif i >= window.cue_end:
            side, dist = "after", i - window.cue_end + 1
        else:
            side, dist = "cue", 0
        rel, crossed = _relation_to(tok, head, other_cue_tokens)
        sent_off = max(-2, min(3, sentences.of[i] - cue_sentence))
        f = [
            *base[i],
            f"side={side}",
            f"side|d={side}|{_dist_bin(dist)}",
            f"sent={sent_off}",
            f"rel={rel}",
            f"rel|side={rel}|{side}",
            f"rel|q={rel}|{in_quote[i]}",
            f"side|q={side}|{in_quote[i]}|{quoted_cue}",
            f"cuel|side={cue_lemma}|{side}",
            f"cuel|rel={cue_lemma}|{rel}",
            f"sent|q={sent_off}|{in_quote[i]}",
        ]
        f.extend(f"crossed={dep}" for dep in crossed)
        if crossed:
            f.append(f"crossed|rel={crossed[-1]}|{rel}")
        if i in other_cue_tokens:
            f.append("other_cue")
        elif _other_cue_between(others, i, window):
            f.append(f"other_between|{side}")
        feats.append(f)
    return feats


def _other_cue_between(others: list[int], i: int, window: CueWindow) -> bool:
    """Whether another cue stands between token ``i`` and the window's cue."""
    lo, hi = (i, window.cue_start) if i < window.cue_start else (window.cue_end, i)
    k = bisect_left(others, lo)
    return k < len(others) and others[k] < hi


def spans_to_attribution(
    doc: Doc, window: CueWindow, labels: list[str], scores: list[float]
) -> Attribution | None:
    """The cue's attribution from its window labels; ``None`` when no content was found."""
    runs: dict[str, list[tuple[int, int, float]]] = {"SRC": [], "CNT": []}
    run_code, run_start = None, 0
    for k, label in enumerate([*labels, "O"]):
        code = label[2:] if label != "O" else None
        if code is not None and code == run_code and label.startswith("I-"):
            continue
        if run_code is not None:
            runs[run_code].append(_run(doc, window.start, run_start, k, scores))
        run_code, run_start = code, k
    if not runs["CNT"]:
        return None
    cue_mid = (window.cue_start + window.cue_end) / 2
    source = min(runs["SRC"], key=lambda r: abs((r[0] + r[1]) / 2 - cue_mid), default=None)
    cue_fragment = _chars(doc, window.cue_start, window.cue_end)
    parts = [r[2] for r in runs["CNT"]] + ([source[2]] if source else [])
    return Attribution(
        source=[_chars(doc, source[0], source[1])] if source else [],
        cue=[cue_fragment],
        content=[_chars(doc, s, e) for s, e, _ in runs["CNT"]],
        speaker=None,
        score=round(sum(parts) / len(parts), 4),
    )


def _run(
    doc: Doc, offset: int, start: int, end: int, scores: list[float]
) -> tuple[int, int, float]:
    """A labelled run as doc token bounds (trailing whitespace dropped) and its mean score."""
    while end > start + 1 and doc[offset + end - 1].is_space:
        end -= 1
    return offset + start, offset + end, sum(scores[start:end]) / (end - start)


def _chars(doc: Doc, start: int, end: int) -> Fragment:
    return (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
