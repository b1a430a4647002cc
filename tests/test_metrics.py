"""Hand-computed cases for onrecord.evaluation.metrics.

Most cases use ``ALPHA`` (52 letters, nothing that normalisation trims) so that the
offsets written in a test are the offsets scored; sentence texts are used where the
trimming itself is under test. Every expected figure is derived in a comment.
"""

from __future__ import annotations

import random
import string
import time

import pytest

from onrecord.document import Article, Attribution, Fragment
from onrecord.evaluation.metrics import (
    PRF,
    EvalReport,
    evaluate,
    jaccard,
    normalise_fragment,
    normalise_span,
    span_chars,
)

ALPHA = string.ascii_letters


def at(text: str, sub: str) -> Fragment:
    """Offsets of the first occurrence of ``sub`` in ``text``."""
    start = text.index(sub)
    return (start, start + len(sub))


def att(
    source: list[Fragment] | None = None,
    cue: list[Fragment] | None = None,
    content: list[Fragment] | None = None,
) -> Attribution:
    return Attribution(source=source or [], cue=cue or [], content=content or [])


def doc(attributions: list[Attribution], text: str = ALPHA, doc_id: str = "d1") -> Article:
    return Article(id=doc_id, text=text, attributions=attributions)


def score(gold: list[Attribution], pred: list[Attribution], text: str = ALPHA) -> EvalReport:
    return evaluate([doc(gold, text)], [doc(pred, text)])


def counts(prf: PRF) -> tuple[int, int, int]:
    return prf.tp, prf.n_pred, prf.n_gold


# --- normalisation ---------------------------------------------------------------

SAID = 'He said: "We will win."'


def test_quotes_punctuation_and_spaces_are_trimmed() -> None:
    # ' "We will win."' -> 'We will win' (leading space and quote, trailing '."')
    start = SAID.index(" ", 8)
    frag = normalise_fragment(SAID, (start, len(SAID)))
    assert SAID[frag[0] : frag[1]] == "We will win"


def test_curly_quotes_and_comma_are_trimmed() -> None:
    text = "‘Yes,’ she said."
    frag = normalise_fragment(text, (0, 6))  # '‘Yes,’'
    assert frag == (1, 4)
    assert text[1:4] == "Yes"


def test_colon_only_cue_is_kept() -> None:
    colon = at(SAID, ":")
    assert normalise_fragment(SAID, colon) == colon
    # ': "' is all trimmable too, so it is kept whole
    assert normalise_fragment(SAID, (colon[0], colon[1] + 2)) == (colon[0], colon[1] + 2)


def test_span_is_sorted_tuple_of_trimmed_fragments() -> None:
    win = at(SAID, '"We will win."')
    he = at(SAID, "He")
    assert normalise_span(SAID, [win, he]) == (he, (win[0] + 1, win[1] - 2))
    assert normalise_span(SAID, []) == ()


def test_span_chars_and_jaccard() -> None:
    assert span_chars(((0, 2), (5, 7))) == {0, 1, 5, 6}
    assert jaccard(frozenset(), frozenset()) == 1.0
    assert jaccard(frozenset({1}), frozenset()) == 0.0
    # {1,2,3} vs {2,3,4}: 2 shared / 4 in union
    assert jaccard(frozenset({1, 2, 3}), frozenset({2, 3, 4})) == pytest.approx(2 / 4)


# --- exact, segment and overlap --------------------------------------------------

QUOTE = '"Taxes will fall," he said, "and jobs will rise."'


def test_exact_vs_segment_on_interrupted_quote() -> None:
    he, said = at(QUOTE, "he"), at(QUOTE, "said")
    gold = att([he], [said], [at(QUOTE, '"Taxes will fall,"'), at(QUOTE, '"and jobs will rise."')])
    pred = att([he], [said], [at(QUOTE, "Taxes will fall")])
    report = score([gold], [pred], QUOTE)

    # exact content: pred {(taxes,)} vs gold {(taxes, jobs)}: 0 shared -> 0/1, 0/1
    assert counts(report.exact["content"]) == (0, 1, 1)
    assert report.exact["content"].f1 == 0.0
    # exact source and cue identical: 1/1, 1/1
    assert counts(report.exact["source"]) == (1, 1, 1)
    assert counts(report.exact["cue"]) == (1, 1, 1)

    # segment content: pred {taxes} vs gold {taxes, jobs}: P 1/1, R 1/2, F1 2/3
    seg = report.segment["content"]
    assert counts(seg) == (1, 1, 2)
    assert seg.precision == pytest.approx(1.0)
    assert seg.recall == pytest.approx(1 / 2)
    assert seg.f1 == pytest.approx(2 / 3)

    # overlap content: "Taxes will fall" = 15 chars, "and jobs will rise" = 18 chars
    # TP 15, pred 15, gold 33: P 1, R 15/33 = 5/11, F1 = (10/11)/(16/11) = 5/8
    ov = report.overlap["content"]
    assert counts(ov) == (15, 15, 33)
    assert ov.recall == pytest.approx(5 / 11)
    assert ov.f1 == pytest.approx(5 / 8)
    # overlap cue: "said" 4 of 4 chars
    assert counts(report.overlap["cue"]) == (4, 4, 4)

    # lenient: content Jaccard 15/33 < 1/2 -> no match; strict: contents differ
    assert counts(report.lenient) == (0, 1, 1)
    assert counts(report.strict) == (0, 1, 1)


def test_exact_counts_distinct_spans_and_skips_absent() -> None:
    # Two gold attributions share source (0,3) and have no cue; the prediction has
    # source (0,3) once. Source: gold set {(0,3)} -> 1/1, 1/1. Cue absent on both
    # sides -> 0 pred, 0 gold. Content: pred {(10,20)} vs gold {(10,20),(30,40)}.
    gold = [att([(0, 3)], [], [(10, 20)]), att([(0, 3)], [], [(30, 40)])]
    pred = [att([(0, 3)], [], [(10, 20)])]
    report = score(gold, pred)
    assert counts(report.exact["source"]) == (1, 1, 1)
    assert counts(report.exact["cue"]) == (0, 0, 0)
    assert counts(report.segment["cue"]) == (0, 0, 0)
    assert counts(report.overlap["cue"]) == (0, 0, 0)
    # content: TP 1, P 1/1, R 1/2
    assert counts(report.exact["content"]) == (1, 1, 2)
    assert report.exact["content"].recall == pytest.approx(1 / 2)


def test_overlap_uses_union_of_spans() -> None:
    # gold contents (10,20) and (15,25): union 10..24 = 15 chars; pred (10,20) = 10 chars
    # TP 10, P 10/10, R 10/15 = 2/3, F1 = (4/3)/(5/3) = 4/5
    gold = [att([], [(0, 2)], [(10, 20)]), att([], [(0, 2)], [(15, 25)])]
    pred = [att([], [(0, 2)], [(10, 20)])]
    ov = score(gold, pred).overlap["content"]
    assert counts(ov) == (10, 10, 15)
    assert ov.precision == pytest.approx(1.0)
    assert ov.recall == pytest.approx(2 / 3)
    assert ov.f1 == pytest.approx(4 / 5)


def test_segment_counts_each_fragment_once() -> None:
    # gold content fragments {(10,12),(14,16)}, pred {(10,12),(20,22)}: TP 1 of 2, 2
    gold = [att([], [(0, 2)], [(10, 12), (14, 16)])]
    pred = [att([], [(0, 2)], [(10, 12)]), att([], [(0, 2)], [(20, 22)])]
    seg = score(gold, pred).segment["content"]
    assert counts(seg) == (1, 2, 2)
    assert seg.f1 == pytest.approx(1 / 2)


# --- lenient attribution matching ------------------------------------------------

GOLD = att(source=[(0, 3)], cue=[(4, 8)], content=[(10, 20)])


def test_lenient_threshold_at_half_matches() -> None:
    # pred content (10,15) inside gold (10,20): Jaccard 5/10 = 1/2 >= 1/2 -> 1/1
    pred = att([(0, 3)], [(4, 8)], [(10, 15)])
    assert counts(score([GOLD], [pred]).lenient) == (1, 1, 1)


def test_lenient_just_below_half_does_not_match() -> None:
    # (10,14): Jaccard 4/10 < 1/2; (9,15): 5 shared / 11 in union = 5/11 < 1/2
    for content in ([(10, 14)], [(9, 15)]):
        pred = att([(0, 3)], [(4, 8)], content)
        lenient = score([GOLD], [pred]).lenient
        assert counts(lenient) == (0, 1, 1)
        assert lenient.precision == 0.0


def test_lenient_above_half_matches() -> None:
    # (12,22) vs (10,20): 8 shared / 12 in union = 2/3
    pred = att([(0, 3)], [(4, 8)], [(12, 22)])
    assert counts(score([GOLD], [pred]).lenient) == (1, 1, 1)


def test_lenient_needs_a_shared_cue_character() -> None:
    # cue (8,9) touches gold cue (4,8) but half-open: no shared char -> 0
    no_share = att([(0, 3)], [(8, 9)], [(10, 20)])
    assert score([GOLD], [no_share]).lenient.tp == 0
    # cue (7,9) shares char 7 -> 1
    share = att([(0, 3)], [(7, 9)], [(10, 20)])
    assert score([GOLD], [share]).lenient.tp == 1


def test_lenient_source_rules() -> None:
    # gold without source: any predicted source (here 30..33) matches
    gold_no_source = att([], [(4, 8)], [(10, 20)])
    pred = att([(30, 33)], [(4, 8)], [(10, 20)])
    assert score([gold_no_source], [pred]).lenient.tp == 1
    # gold source (0,3) but no predicted source -> 0
    assert score([GOLD], [att([], [(4, 8)], [(10, 20)])]).lenient.tp == 0
    # gold source (0,3), predicted (2,5): share char 2 -> 1
    assert score([GOLD], [att([(2, 5)], [(4, 8)], [(10, 20)])]).lenient.tp == 1
    # disjoint sources (0,3) vs (3,6) -> 0
    assert score([GOLD], [att([(3, 6)], [(4, 8)], [(10, 20)])]).lenient.tp == 0


def test_lenient_two_empty_contents_match() -> None:
    # Jaccard of two absent contents is 1; one absent is 0
    gold = att([(0, 3)], [(4, 8)], [])
    assert score([gold], [att([(0, 3)], [(4, 8)], [])]).lenient.tp == 1
    assert score([gold], [att([(0, 3)], [(4, 8)], [(10, 20)])]).lenient.tp == 0


def test_lenient_is_one_to_one() -> None:
    # two preds (Jaccard 1 and 8/10) for one gold: 1 TP; P 1/2, R 1/1, F1 = 1/(3/2) = 2/3
    preds = [att([(0, 3)], [(4, 8)], [(10, 20)]), att([(0, 3)], [(4, 8)], [(10, 18)])]
    lenient = score([GOLD], preds).lenient
    assert counts(lenient) == (1, 2, 1)
    assert lenient.precision == pytest.approx(1 / 2)
    assert lenient.f1 == pytest.approx(2 / 3)


def test_lenient_greedy_takes_best_jaccard_first() -> None:
    # golds g1 (10,20), g2 (12,22); preds p1 (12,22), p2 (10,20).
    # p1-g1 2/3, p1-g2 1, p2-g1 1, p2-g2 2/3: greedy takes the two 1s -> 2 TP.
    golds = [att([], [(4, 8)], [(10, 20)]), att([], [(4, 8)], [(12, 22)])]
    preds = [att([], [(4, 8)], [(12, 22)]), att([], [(4, 8)], [(10, 20)])]
    assert counts(score(golds, preds).lenient) == (2, 2, 2)


# --- strict attribution matching -------------------------------------------------

STRICT = 'Lee said: "The bridge opens in May."'


def test_strict_matches_after_normalisation() -> None:
    lee, said = at(STRICT, "Lee"), at(STRICT, "said:")
    gold = att([lee], [said], [at(STRICT, '"The bridge opens in May."')])
    # 'said' vs 'said:' and quotes-stripped content normalise to the same spans
    pred = att([lee], [at(STRICT, "said")], [at(STRICT, "The bridge opens in May")])
    assert counts(score([gold], [pred], STRICT).strict) == (1, 1, 1)


def test_strict_absent_equals_absent_and_is_one_to_one() -> None:
    gold = att([], [(4, 8)], [(10, 20)])
    # identical twice: multiset intersection 1 -> 1 TP, 2 pred, 1 gold
    assert counts(score([gold], [gold, gold]).strict) == (1, 2, 1)
    # a predicted source where gold has none -> not equal -> 0
    assert score([gold], [att([(0, 3)], [(4, 8)], [(10, 20)])]).strict.tp == 0


# --- document pairing and errors -------------------------------------------------


def test_missing_predicted_document_counts_gold_as_missed() -> None:
    g1 = att([(0, 3)], [(4, 8)], [(10, 20)])
    g2 = [att([], [(4, 8)], [(10, 20)]), att([], [(4, 8)], [(30, 40)])]
    gold = [doc([g1], doc_id="a"), doc(g2, doc_id="b")]
    report = evaluate(gold, [doc([g1], doc_id="a")])
    assert report.n_documents == 2
    # lenient: TP 1, pred 1, gold 1 + 2 = 3: P 1, R 1/3, F1 = (2/3)/(4/3) = 1/2
    assert counts(report.lenient) == (1, 1, 3)
    assert report.lenient.recall == pytest.approx(1 / 3)
    assert report.lenient.f1 == pytest.approx(1 / 2)
    # exact cue: doc a {(4,8)} 1/1/1, doc b {(4,8)} 0/0/1 -> TP 1, pred 1, gold 2
    assert counts(report.exact["cue"]) == (1, 1, 2)


def test_unknown_predicted_id_raises() -> None:
    with pytest.raises(ValueError, match="zz"):
        evaluate([doc([], doc_id="a")], [doc([], doc_id="zz")])


def test_different_text_raises() -> None:
    with pytest.raises(ValueError, match="'a'"):
        evaluate([doc([], doc_id="a")], [doc([], text="other", doc_id="a")])


def test_duplicate_ids_raise() -> None:
    with pytest.raises(ValueError, match="a"):
        evaluate([doc([], doc_id="a"), doc([], doc_id="a")], [])
    with pytest.raises(ValueError, match="a"):
        evaluate([doc([], doc_id="a")], [doc([], doc_id="a"), doc([], doc_id="a")])


def test_zero_division_is_zero() -> None:
    report = evaluate([], [])
    assert report.n_documents == 0
    for _label, prf in report.rows():
        assert (prf.precision, prf.recall, prf.f1) == (0.0, 0.0, 0.0)
    # predictions with no gold: P 0/2 = 0, R undefined -> 0, F1 0
    only_pred = score([], [att([], [(4, 8)], [(10, 20)])] * 2).lenient
    assert (only_pred.precision, only_pred.recall, only_pred.f1) == (0.0, 0.0, 0.0)
    assert PRF(tp=0, n_pred=0, n_gold=3).f1 == 0.0


# --- output ----------------------------------------------------------------------


def test_to_json_and_table() -> None:
    # lenient 1 TP of 2 pred, 1 gold: P 1/2 = 0.5, R 1, F1 2/3 -> 0.6667
    preds = [att([(0, 3)], [(4, 8)], [(10, 20)]), att([(0, 3)], [(4, 8)], [(10, 18)])]
    report = score([GOLD], preds)
    data = report.to_json()
    assert set(data) == {"exact", "segment", "overlap", "lenient", "strict", "n_documents"}
    assert set(data["exact"]) == {"source", "cue", "content"}
    assert data["lenient"] == {"p": 0.5, "r": 1.0, "f1": 0.6667, "tp": 1, "n_pred": 2, "n_gold": 1}
    table = report.format_table()
    lines = table.splitlines()
    assert len(lines) == 3 + 11  # summary, header, rule, 11 measures
    assert "attribution lenient" in table
    assert "0.6667" in table
    assert len({len(line) for line in lines[1:]}) == 1  # fixed width


def test_speed_on_corpus_sized_input() -> None:
    # 84 documents x 30 attributions, scored in well under a second
    rng = random.Random(0)
    text = (ALPHA * 100)[:5000]

    def random_att() -> Attribution:
        s = rng.randrange(0, 4500)
        c = s + rng.randrange(5, 30)
        return att([(s, s + 5)], [(c, c + 4)], [(c + 6, c + 6 + rng.randrange(20, 300))])

    gold = [doc([random_att() for _ in range(30)], text, f"d{i}") for i in range(84)]
    # predictions: each gold attribution with its content shortened, plus a random one
    pred = [
        doc(
            [
                att(a.source, a.cue, [(a.content[0][0], a.content[0][1] - rng.randrange(0, 20))])
                for a in g.attributions
            ]
            + [random_att()],
            text,
            g.id,
        )
        for g in gold
    ]
    start = time.perf_counter()
    report = evaluate(gold, pred)
    assert time.perf_counter() - start < 1.0
    assert report.lenient.tp >= 84 * 25
