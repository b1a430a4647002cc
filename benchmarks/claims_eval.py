"""Claim clustering on generated copies: pairwise F1 against the known origins, TF-IDF
against a spaCy embedding, and whether copies collapse to one independent source.

    python benchmarks/claims_eval.py --polnear ../shared/data/polnear --split dev \
        [--originals 42] [--jobs 2] [--cache DIR]

Raw material: PolNeAR texts of ``--split`` with their gold attributions, read at run time
(none is stored in the repository). Each original gets one copy of each kind
(``copygen``: exact, near, spun, partial inside a host article), every article with an
outlet of its own; the partial copies each sit inside another article of the split (the
host, not stored). All are run through the full pipeline (extraction, speakers) and
ingested into a fresh store, originals first.

Gold claims: a gold attribution of an original, and its image in each copy through the
generator's character map, are one claim; every other gold attribution is a claim of its
own. Predicted statements leniently matched to a gold attribution are scored:

- pairwise precision, recall and F1 of the store's claims (``onrecord.claims``);
- the same greedy clustering replayed with three similarities over a range of
  thresholds: TF-IDF cosine, the cosine of spaCy ``en_core_web_sm`` vectors (mean
  contextual token vectors of the content), and their mean (what the store uses);
- independent sources: the share of gold claims carried by an original and its copies
  whose statements form one predicted claim counted as one independent source.

Tune on ``--split train``, report on ``--split dev``.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
from copygen import KINDS, carried, make_copy, substitutions
from sqlalchemy import select

from onrecord.claims.cluster import CLAIM_THRESHOLD
from onrecord.claims.sentences import sentence_encoder
from onrecord.claims.similarity import Meaning, cosine, meanings, similarity
from onrecord.corpora.polnear import read_split
from onrecord.document import Article
from onrecord.evaluation.metrics import lenient_pairs
from onrecord.pipeline.extractor import Extractor
from onrecord.pipeline.ingest import add_batch
from onrecord.store import Store
from onrecord.store.schema import articles, attributions, claims

THRESHOLDS = (0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def generate(gold: list[Article], n_originals: int, rng: random.Random):
    """Articles to ingest (originals first) and, per article id, its gold attributions
    with their gold claim keys."""
    originals, hosts = gold[:n_originals], gold[n_originals : 2 * n_originals]
    table = substitutions()
    stored: list[Article] = []
    copies: list[Article] = []
    gold_of: dict[str, list[tuple[tuple, object]]] = {}
    for i, original in enumerate(originals):
        article_id = f"original-{i}"
        stored.append(Article(article_id, original.text, outlet=f"outlet-{i}"))
        gold_of[article_id] = [(("o", i, n), a) for n, a in enumerate(original.attributions)]
        for kind in KINDS:
            host = hosts[i]  # one host per partial copy, or they would copy each other
            copy = make_copy(kind, original.text, host.text, rng, table)
            copy_id = f"{kind}-{i}"
            copies.append(Article(copy_id, copy.text, outlet=f"reprint-{kind}-{i}"))
            found = [(("o", i, n), a) for n, a in carried(original, copy)]
            if kind == "partial":
                found += [(("h", i, n), a) for n, a in carried(host, copy, host=True)]
            gold_of[copy_id] = found
    rng.shuffle(copies)
    return stored + copies, gold_of


def matched_statements(store: Store, gold_of: dict, extracted: dict[str, Article]) -> list[dict]:
    """Predicted statements matched to a gold attribution, in ingest order, with their
    predicted claim, gold claim, speaker and copy root."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(
                articles.c.id,
                articles.c.key,
                articles.c.root_key,
                attributions.c.ordinal,
                attributions.c.claim_key,
                attributions.c.speaker,
                attributions.c.content_text,
                attributions.c.cue_text,
            )
            .join(articles, attributions.c.article_key == articles.c.key)
            .order_by(attributions.c.key)
        ).all()
    by_place = {(r.id, r.ordinal): r for r in rows}
    statements = []
    for article_id, article in extracted.items():
        gold = gold_of[article_id]
        gold_article = Article(article_id, article.text, [a for _, a in gold])
        for predicted, gold_attribution in lenient_pairs(gold_article, article):
            n = next(k for k, a in enumerate(gold_article.attributions) if a is gold_attribution)
            ordinal = next(k for k, a in enumerate(article.attributions) if a is predicted)
            row = by_place[(article_id, ordinal)]
            statements.append(
                {
                    "order": (row.key, ordinal),
                    "article": article_id,
                    "claim": row.claim_key,
                    "gold": gold[n][0],
                    "speaker": row.speaker,
                    "root": row.root_key,
                    "content": row.content_text,
                    "cue": row.cue_text,
                }
            )
    return sorted(statements, key=lambda s: s["order"])


def pairwise(statements: list[dict], predicted: str = "claim") -> dict[str, float]:
    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter((s[predicted], s["gold"]) for s in statements))
    in_predicted = pairs(Counter(s[predicted] for s in statements))
    in_gold = pairs(Counter(s["gold"] for s in statements))
    p = both / in_predicted if in_predicted else 0.0
    r = both / in_gold if in_gold else 0.0
    return {
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "gold_pairs": in_gold,
        "predicted_pairs": in_predicted,
    }


def replay(statements: list[dict], similarity, vectors: list, threshold: float) -> list[dict]:
    """The store's greedy clustering (same speaker, or same copy root for statements with
    none; the most similar claim's first statement at ``threshold`` or above) replayed
    over the matched statements with another similarity."""
    claims_of: dict[object, list[tuple[int, object]]] = defaultdict(list)
    replayed = []
    for statement, vector in zip(statements, vectors, strict=True):
        scope = statement["speaker"] or ("root", statement["root"])
        scores = [(similarity(vector, v), -k) for k, v in claims_of[scope]]
        best, key = max(scores, default=(0.0, 0))
        found = -key if scores and best >= threshold else None
        if found is None:
            found = len(replayed)
            claims_of[scope].append((found, vector))
        replayed.append({**statement, "replayed": found})
    return replayed


def tfidf_only(a: Meaning, b: Meaning) -> float:
    return cosine(a.terms, b.terms) if a.negated == b.negated else 0.0


def vectors_only(a: Meaning, b: Meaning) -> float:
    return float(a.embedding @ b.embedding) if a.negated == b.negated else 0.0


def independent_sources(store: Store, statements: list[dict]) -> dict[str, object]:
    """Gold claims carried by an original and at least one copy: how many end as one
    predicted claim counted as one independent source."""
    with store.engine.connect() as connection:
        counted = dict(connection.execute(select(claims.c.key, claims.c.independent_sources)).all())
        occurrences = dict(connection.execute(select(claims.c.key, claims.c.occurrences)).all())
    by_gold: dict[tuple, set] = defaultdict(set)
    articles_of: dict[tuple, set] = defaultdict(set)
    for s in statements:
        by_gold[s["gold"]].add(s["claim"])
        articles_of[s["gold"]].add(s["article"])
    copied = [g for g in by_gold if g[0] == "o" and len(articles_of[g]) > 1]
    one = [g for g in copied if len(by_gold[g]) == 1 and counted[next(iter(by_gold[g]))] == 1]
    shown = [next(iter(by_gold[g])) for g in copied if len(by_gold[g]) == 1]
    return {
        "copied_gold_claims": len(copied),
        "one_claim_one_source": len(one),
        "share": round(len(one) / len(copied), 3) if copied else 0.0,
        "mean_occurrences": round(float(np.mean([occurrences[k] for k in shown])), 2)
        if shown
        else 0.0,
        "mean_independent_sources": round(float(np.mean([counted[k] for k in shown])), 2)
        if shown
        else 0.0,
    }


def extract(to_ingest: list[Article], args: argparse.Namespace) -> dict[str, Article]:
    """The pipeline's output, kept in ``--cache`` so that re-scoring skips extraction."""
    name = f"{args.split}-{args.originals}-{args.seed}.jsonl"
    cache = args.cache / name if args.cache else None
    if cache and cache.exists():
        found = [Article.from_json(json.loads(line)) for line in cache.open(encoding="utf-8")]
        if [a.text for a in found] == [a.text for a in to_ingest]:
            return {a.id: a for a in found}
    found = list(Extractor(n_process=args.jobs).extract(to_ingest))
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text("".join(json.dumps(a.to_json()) + "\n" for a in found), encoding="utf-8")
    return {a.id: a for a in found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", required=True, type=Path)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--originals", type=int, default=42)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, help="folder to keep the pipeline's output in")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    gold = list(read_split(args.polnear, args.split))
    rng.shuffle(gold)
    if len(gold) < 2 * args.originals:
        parser.error(f"{args.split} has {len(gold)} articles; --originals takes twice as many")
    to_ingest, gold_of = generate(gold, args.originals, rng)

    extracted = extract(to_ingest, args)
    store = Store(str(Path(tempfile.mkdtemp()) / "claims-eval.sqlite"))
    ordered = [extracted[a.id] for a in to_ingest]
    add_batch(store, ordered[: args.originals])
    for start in range(args.originals, len(ordered), 50):
        add_batch(store, ordered[start : start + 50])

    statements = matched_statements(store, gold_of, extracted)
    found = meanings([s["content"] for s in statements], [s["cue"] for s in statements])
    # The same meanings with all-MiniLM-L6-v2's sentence vectors in place of spaCy's.
    sentences = sentence_encoder().embed([s["content"] for s in statements])
    minilm = [replace(m, embedding=v) for m, v in zip(found, sentences, strict=True)]
    comparison = {
        name: {
            str(t): pairwise(replay(statements, measure, vectors, t), "replayed")
            for t in THRESHOLDS
        }
        for name, measure, vectors in (
            ("tfidf", tfidf_only, found),
            ("spacy_vectors", vectors_only, found),
            ("mean_of_both", similarity, found),
            ("minilm_sentences", vectors_only, minilm),
            ("mean_tfidf_minilm", similarity, minilm),
        )
    }
    report = {
        "split": args.split,
        "articles": len(to_ingest),
        "matched_statements": len(statements),
        "gold_claims": len({s["gold"] for s in statements}),
        "store_claims": {"threshold": CLAIM_THRESHOLD, **pairwise(statements)},
        "independent_sources": independent_sources(store, statements),
        "comparison": comparison,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
