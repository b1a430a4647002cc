"""Layouts PolNeAR lacks, and nested attributions, on sentences written for the project.

These run the shipped model (engine v2) end to end; each sentence is one pattern the
issue lists as missed by the CRF engine. Patterns the shipped model still misses are
marked ``MISSED`` (a strict xfail: the day a model finds them, the marker must go) and
counted in BENCHMARKS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.document import Article, Attribution
from onrecord.pipeline.extractor import Extractor

SEED = Path(__file__).resolve().parents[2] / "shared" / "examples" / "seed-article.txt"


MISSED = pytest.mark.xfail(
    strict=True, reason="engine v2 (shipped model) still misses this pattern: BENCHMARKS.md"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def text_of(article: Article, fragments: list[tuple[int, int]]) -> str:
    return " … ".join(article.text[s:e] for s, e in fragments)


def with_cue(article: Article, cue: str) -> list[Attribution]:
    return [a for a in article.attributions if cue.lower() in text_of(article, a.cue).lower()]


def test_according_to_at_the_start_names_the_source(extractor: Extractor) -> None:
    article = extractor.extract_one(
        "According to two grain traders in Odesa, insurers have raised premiums for ships "
        "leaving the port by a third since March.\n"
    )
    [found] = with_cue(article, "according to")
    assert "traders" in text_of(article, found.source)
    assert "insurers have raised premiums" in text_of(article, found.content)
    assert not with_cue(article, "have raised")


def test_according_to_at_the_end_names_the_source(extractor: Extractor) -> None:
    article = extractor.extract_one(
        "Wheat exports from the region fell by 40 per cent last year, according to figures "
        "released by the FAO on Thursday.\n"
    )
    [found] = with_cue(article, "according to")
    assert "figures" in text_of(article, found.source)
    assert "Wheat exports" in text_of(article, found.content)


@MISSED
def test_transcript_lines_with_colons_are_attributions(extractor: Extractor) -> None:
    article = extractor.extract_one(
        "The minister took questions after the briefing.\n\n"
        "Karin Holm: We will publish the full audit next week.\n\n"
        "Q: Will anyone resign over the delays?\n\n"
        "Karin Holm: Nobody has offered to, and I have not asked anyone to.\n"
    )
    colon = [a for a in article.attributions if ":" in text_of(article, a.cue)]
    assert len(colon) >= 2
    sources = {text_of(article, a.source) for a in colon}
    assert "Karin Holm" in sources
    assert any("audit" in text_of(article, a.content) for a in colon)


def test_a_colon_led_statement_keeps_its_own_source(extractor: Extractor) -> None:
    article = extractor.extract_one(
        "Markets slipped after the announcement.\n\n"
        'Central bank governor Lena Ortiz: "We are prepared to act again if inflation does '
        'not ease by the summer."\n'
    )
    [quote] = [a for a in article.attributions if "prepared to act" in text_of(article, a.content)]
    assert "Lena Ortiz" in text_of(article, quote.source)
    assert "Markets" not in text_of(article, quote.content)


@MISSED
def test_agentless_belief_inside_an_article(extractor: Extractor) -> None:
    article = extractor.extract_one(
        "The convoy left the depot at dawn. It is understood that the drivers had been "
        "warned about the flooded road. The council said it would reopen the bridge.\n"
    )
    [understood] = with_cue(article, "understood")
    assert understood.source == []
    content = text_of(article, understood.content)
    assert "drivers had been warned" in content and not content.startswith("It")


@MISSED
def test_a_condition_is_not_an_attribution(extractor: Extractor) -> None:
    article = extractor.extract_one(
        "The island could accept a ceasefire, provided the navy agrees to withdraw its "
        "patrol boats from the strait.\n"
    )
    assert not with_cue(article, "provided") and not with_cue(article, "agrees")


@MISSED
def test_nested_attribution_inside_a_quoted_assessment(extractor: Extractor) -> None:
    article = extractor.extract_one(
        "In its weekly briefing, the defence ministry said: \"The rebels' statements about "
        "pulling back from the coast may indicate their acceptance that the offensive has "
        'stalled."\n'
    )
    outer = [
        a
        for a in article.attributions
        if a.parent is None and "ministry" in text_of(article, a.source)
    ]
    assert outer, "the ministry's statement is found"
    nested = [a for a in article.attributions if a.parent is not None]
    assert nested, "an attribution inside the ministry's content is found"
    outer_index = article.attributions.index(outer[0])
    assert all(a.parent == outer_index for a in nested)
    content = outer[0].content
    for a in nested:
        assert all(any(s <= cs and ce <= e for s, e in content) for cs, ce in a.cue)


# --- the seed article: what the engine issue adds ------------------------------------


@pytest.fixture(scope="module")
def seed(extractor: Extractor) -> Article:
    if not SEED.is_file():
        pytest.skip(f"{SEED} absent: the seed article is not bundled with the repository")
    return extractor.extract_one(SEED.read_text(encoding="utf-8"), "seed")


def test_seed_headline_claim_is_found(seed: Article) -> None:
    headline_end = seed.text.index(" | World")
    [claims] = [a for a in with_cue(seed, "claims") if a.cue[0][1] <= headline_end]
    assert "Zelensky" in text_of(seed, claims.source)


@MISSED
@pytest.mark.parametrize("cue", ["statements about", "indicating", "acceptance", "tacit admission"])
def test_seed_nested_cues_are_found_inside_the_ministry_content(seed: Article, cue: str) -> None:
    found = [a for a in with_cue(seed, cue.split()[-1]) if a.parent is not None]
    assert found, f"no nested attribution with cue {cue!r}"
    parent = seed.attributions[found[0].parent]
    assert "MOD" in text_of(seed, parent.source) or "Ministry" in text_of(seed, parent.source)


@MISSED
def test_seed_condition_and_peace_talks_are_not_attributions(seed: Article) -> None:
    assert not with_cue(seed, "provided") and not with_cue(seed, "agrees")
    assert not with_cue(seed, "hinted")
