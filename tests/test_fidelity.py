"""Quote fidelity: quoted passages, normalised words, relations between renderings,
grouping by speaker and passage, the incremental index and first on record. The quotes
are written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from onrecord.document import Article, Attribution
from onrecord.fidelity import FidelityIndex, Rendering, renderings_of, words_of
from onrecord.fidelity.grouping import same_passage, same_speaker, speaker_words
from onrecord.fidelity.passages import quoted_parts

SEED = Path(__file__).resolve().parents[2] / "shared" / "examples" / "seed-article.txt"

MAYOR = (
    "We will rebuild the harbour wall before the winter storms arrive, and every family "
    "that lost a boat will be compensated in full."
)
MAYOR_ON_BUSES = "Bus fares in the old town will stay frozen until the new depot opens next spring."


def quote(key: str, text: str, day: int, speaker: str | None = "Maria Okafor") -> Rendering:
    return Rendering(
        key=key,
        speaker=speaker,
        segments=(text,),
        article=f"article-{key}",
        outlet=f"outlet-{key}",
        published=f"2024-03-{day:02d}",
    )


def relation_of(text: str, original: str = MAYOR) -> tuple[str | None, list[list[str]]]:
    index = FidelityIndex()
    index.add(quote("original", original, 1))
    found = index.add(quote("new", text, 2))["new"]
    return found.relation, [c.to_json() for c in found.changes]


def test_case_punctuation_spelling_and_marked_ellipses_are_no_change() -> None:
    same = (
        "we will rebuild the harbor wall before the winter storms arrive; and every family "
        "that lost a boat will be compensated in full"
    )
    assert relation_of(same) == ("verbatim", [])
    assert words_of(["didn’t"]).keys == words_of(["did not"]).keys
    assert words_of(["organised labour"]).keys == words_of(["organized labor"]).keys
    marked = "We will rebuild the harbour wall … and every family that lost a boat will be"
    assert relation_of(marked + " compensated in full.") == ("trimmed", [])


def test_trimmed_is_a_contiguous_part() -> None:
    assert relation_of("rebuild the harbour wall before the winter storms arrive") == (
        "trimmed",
        [],
    )


def test_spliced_joins_separate_places_without_a_mark() -> None:
    assert relation_of("We will rebuild the harbour wall and be compensated in full.")[0] == (
        "spliced"
    )
    moved = (
        "every family that lost a boat will be compensated in full. "
        "We will rebuild the harbour wall"
    )
    assert relation_of(moved)[0] == "spliced"


def test_altered_lists_the_changed_words() -> None:
    altered = (
        "We will rebuild the harbour wall before the autumn storms arrive, and every "
        "family that lost a boat will be paid in full."
    )
    assert relation_of(altered) == ("altered", [["winter", "autumn"], ["compensated", "paid"]])
    inserted = (
        "We will never rebuild the harbour wall before the winter storms arrive, and every "
        "family that lost a boat will be compensated in full."
    )
    assert relation_of(inserted) == ("altered", [["", "never"]])


def test_paraphrase_keeps_the_subject_not_the_words() -> None:
    paraphrase = "families who lost boats get full compensation once the harbour wall is rebuilt"
    assert relation_of(paraphrase)[0] == "paraphrased"


def test_same_speaker_on_another_subject_is_not_grouped() -> None:
    assert relation_of(MAYOR_ON_BUSES) == (None, [])
    a, b = words_of([MAYOR]), words_of([MAYOR_ON_BUSES])
    assert not same_passage(a, b, speakers_known=True)


def test_other_speakers_and_unknown_speakers() -> None:
    assert same_speaker(speaker_words("Okafor"), speaker_words("Maria Okafor"))
    assert not same_speaker(speaker_words("Ada Okafor"), speaker_words("Maria Okafor"))
    index = FidelityIndex()
    index.add(quote("mayor", MAYOR, 1))
    assert index.add(quote("rival", MAYOR, 2, speaker="Tom Reilly"))["rival"].relation is None
    # Without a name, only a long shared run groups.
    assert index.add(quote("anon", MAYOR, 3, speaker=None))["anon"].compared == 2
    short = quote("anon-short", "the harbour wall", 4, speaker=None)
    assert index.add(short)["anon-short"].relation is None


def test_a_new_rendering_updates_earlier_ones_and_first_on_record() -> None:
    index = FidelityIndex()
    late = "We will rebuild the harbour wall before the autumn storms arrive."
    found = index.add(quote("late", late, 5))
    assert found["late"].relation is None
    assert found["late"].first.key == "late" and found["late"].first.matches
    # An earlier report of the whole quotation arrives afterwards.
    found = index.add(quote("early", MAYOR, 2))
    assert set(found) == {"early", "late"}
    late_now = found["late"]
    assert late_now.relation == "altered" and late_now.reference == "early"
    assert [c.to_json() for c in late_now.changes] == [["winter", "autumn"]]
    assert late_now.first.key == "early" and not late_now.first.matches
    assert found["early"].relation == "verbatim" and found["early"].first.matches
    record = late_now.to_json()
    assert record["first_on_record"]["published"] == "2024-03-02"
    assert record["compared"] == 1 and record["changes"] == [["winter", "autumn"]]
    # A third, unchanged, report confirms the early wording.
    found = index.add(quote("copy", MAYOR, 6))
    assert found["copy"].relation == "verbatim" and found["copy"].first.key == "early"
    assert index.fidelity("late").compared == 2


def test_renderings_in_one_article_are_not_compared() -> None:
    index = FidelityIndex()
    index.add(quote("a", MAYOR, 1))
    again = Rendering("b", "Maria Okafor", (MAYOR,), article="article-a")
    assert index.add(again)["b"].relation is None


def test_quoted_parts_of_direct_and_mixed_attributions() -> None:
    text = (
        "Okafor said the closure was ‘regrettable but unavoidable’ and Harbour’s owners "
        'were "not to blame".'
    )
    parts = [text[s:e] for s, e in quoted_parts(text, 0, len(text))]
    assert parts == ["regrettable but unavoidable", "not to blame"]
    body = "“The wall will hold,” she said. “It has held for a century.”"
    second = body.index("“It")
    she, said = body.index("she"), body.index("said")
    content = [(0, body.index(" she")), (second, len(body))]
    article = Article(
        "a",
        body,
        attributions=[
            Attribution(source=[(she, she + 3)], cue=[(said, said + 4)], content=content)
        ],
        published="2024-03-01",
    )
    article.attributions[0].kind = "direct"
    article.attributions[0].speaker = "Maria Okafor"
    (rendering,) = renderings_of(article)
    assert rendering.segments == ("The wall will hold,", "It has held for a century.")
    assert rendering.key == "a#0" and rendering.published == "2024-03-01"


# The substitutions the spinner made in the seed article, reversed (written for this test).
UNSPIN = {
    "sink": "drown out",
    "bullets": "shells",
    "ipadnewsing": "expressing",
}


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed article is absent")
def test_seed_zelensky_quote_is_altered_and_the_unspun_report_is_first() -> None:
    from onrecord import Extractor

    seed_text = SEED.read_text(encoding="utf-8")
    pattern = re.compile(r"\b(" + "|".join(UNSPIN) + r")\b")
    unspun_text = pattern.sub(lambda m: UNSPIN[m.group()], seed_text)
    extractor = Extractor()
    unspun = extractor.extract_one(unspun_text, "unspun")
    unspun.published, unspun.outlet = "2022-03-29", "original-outlet"
    seed = extractor.extract_one(seed_text, "seed")
    seed.published, seed.outlet = "2022-03-30", "spinner"
    index = FidelityIndex()
    for rendering in renderings_of(unspun):
        index.add(rendering)
    # The copies stage finds that the seed is a spun copy of the un-spun article.
    for rendering in renderings_of(seed, copy_of="unspun"):
        index.add(rendering)
    headline = next(
        r
        for r in renderings_of(seed)
        if r.speaker and "Zelensky" in r.speaker and "sink Russian bullets" in r.segments[0]
    )
    found = index.fidelity(headline.key)
    assert found.relation == "altered"
    assert [c.to_json() for c in found.changes] == [["drown out", "sink"], ["shells", "bullets"]]
    assert found.first.article == "unspun" and found.first.outlet == "original-outlet"
    assert not found.first.matches
    assert found.to_json()["first_on_record"]["published"] == "2022-03-29"
