"""Speakers across articles: variants join, namesakes without evidence stay apart."""

from __future__ import annotations

from onrecord.document import Article, Attribution
from onrecord.speakers.grouping import group_speakers


def article(article_id: str, text: str, *speakers: tuple[str, str, str | None, str | None]):
    """An article whose attributions have ``source`` words and resolved speaker fields."""
    attributions = []
    for source, speaker, role, org in speakers:
        start = text.index(source)
        cue = text.index("said", start)
        attributions.append(
            Attribution(
                source=[(start, start + len(source))],
                cue=[(cue, cue + 4)],
                content=[(cue + 5, cue + 20)],
                speaker=speaker,
                speaker_type="person",
                speaker_role=role,
                speaker_org=org,
            )
        )
    return Article(article_id, text, attributions)


def by_name(records):
    return {r.name: r for r in records}


def test_spelling_variants_and_titles_are_one_speaker() -> None:
    records = group_speakers(
        [
            article(
                "a",
                "Ukrainian President Volodymyr Zelensky said the signal was positive.",
                (
                    "Ukrainian President Volodymyr Zelensky",
                    "Volodymyr Zelensky",
                    "Ukrainian President",
                    None,
                ),
            ),
            article(
                "b",
                "Volodymyr Zelenskyy said the talks in Istanbul had moved forward.",
                ("Volodymyr Zelenskyy", "Volodymyr Zelenskyy", None, None),
            ),
            article(
                "c",
                "In Kyiv, President Zelensky said the Ukrainian army was ready.",
                ("President Zelensky", "Zelensky", "President", None),
            ),
        ]
    )
    [zelensky] = records
    assert zelensky.name in {"Volodymyr Zelensky", "Volodymyr Zelenskyy"}
    assert len(zelensky.attributions) == 3
    assert {"Zelensky", "Volodymyr Zelenskyy", "Ukrainian President Volodymyr Zelensky"} <= set(
        zelensky.variants
    )
    assert {ref["article"] for ref in zelensky.attributions} == {"a", "b", "c"}


def test_a_bare_surname_joins_only_on_evidence() -> None:
    pentagon = article(
        "war",
        "Pentagon spokesman John Kirby said troops were leaving the Kyiv region.",
        ("Pentagon spokesman John Kirby", "John Kirby", "Pentagon spokesman", "Pentagon"),
    )
    briefing = article(
        "briefing",
        "At the Pentagon, Kirby said the Ukrainian army had held Kyiv.",
        ("Kirby", "Kirby", "Pentagon spokesman", "Pentagon"),
    )
    football = article(
        "football",
        "After the match at Westhaven Park, Kirby said the referee was fair.",
        ("Kirby", "Kirby", "coach", None),
    )
    records = by_name(group_speakers([pentagon, briefing, football]))
    assert len(records["John Kirby"].attributions) == 2  # the Pentagon briefing joined
    assert [ref["article"] for ref in records["Kirby"].attributions] == ["football"]


def test_namesakes_with_conflicting_roles_and_no_shared_context_stay_apart() -> None:
    records = group_speakers(
        [
            article(
                "a",
                "Novelist John Kirby said his book tour starts in Dublin.",
                ("Novelist John Kirby", "John Kirby", "Novelist", None),
            ),
            article(
                "b",
                "Pentagon spokesman John Kirby said the convoy stopped near Kyiv.",
                ("Pentagon spokesman John Kirby", "John Kirby", "Pentagon spokesman", "Pentagon"),
            ),
        ]
    )
    assert len(records) == 2


def test_different_first_names_are_different_people() -> None:
    records = group_speakers(
        [
            article(
                "a",
                "Hillary Clinton said the plan was fair.",
                ("Hillary Clinton", "Hillary Clinton", None, None),
            ),
            article(
                "b",
                "Bill Clinton said the plan was fair.",
                ("Bill Clinton", "Bill Clinton", None, None),
            ),
        ]
    )
    assert sorted(r.name for r in records) == ["Bill Clinton", "Hillary Clinton"]
