"""Boilerplate detection: page furniture is marked by whole lines, prose never is.

Article lines here are invented; the seed-article test reads the shared example at run
time and is skipped where it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.cleaning import boilerplate_rule, detect_boilerplate, find_boilerplate

SEED = Path(__file__).resolve().parents[2] / "shared" / "examples" / "seed-article.txt"


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Skip to content", "navigation"),
        ("Skip to main content", "navigation"),
        ("Menu", "navigation"),
        ("Home | News | Politics", "breadcrumb"),
        ("Home > Politics > Congress", "breadcrumb"),
        ("Mayor vows to reopen harbour bridge ‘within a year’ | UK | News", "title-trail"),
        ("READ MORE: Council tax to rise by 5 percent in April", "teaser"),
        ("ONLY IN: ‘Shocking’ footage shows queue outside clinic", "teaser"),
        ("MORE: Ten things you missed this week", "teaser"),
        ("RELATED: Senate passes budget bill", "teaser"),
        ("WATCH: Storm batters coastal town", "teaser"),
        ("SEE ALSO", "teaser-label"),
        ("Minister spotted at secret dinner with donors [PICTURES]", "tagged-teaser"),
        ("Storm live: roads closed as rivers burst their banks [LIVE]", "tagged-teaser"),
        ("Why the harbour bridge really closed [INSIGHT]", "tagged-teaser"),
        ("Flood defences fail in three towns [VIDEO]", "tagged-teaser"),
        ("By Jane Smith", "byline"),
        ("By JANE SMITH, Associated Press", "byline"),
        ("By Jane Smith and Tom Okafor", "byline"),
        ("By Tom Okafor for MailOnline", "byline"),
        ("Published: 10:42, Tue, Mar 29, 2022 | UPDATED: 11:05, Tue, Mar 29, 2022", "timestamp"),
        ("Updated 3 hours ago", "timestamp-relative"),
        ("Saturday, December 19, 2015.", "date-line"),
        ("Sign up to our newsletter", "newsletter"),
        ("Subscribe to our daily briefing here.", "newsletter"),
        ("Follow Jane Smith on Twitter @janesmith", "social"),
        ("Share this article", "social"),
        ("Click here to see the full gallery", "click-prompt"),
        ("Read the rest here.", "click-prompt"),
        ("Advertisement", "advertisement"),
        ("(Image: Getty)", "photo-credit"),
        ("Tom Okafor/Getty Images.", "photo-credit"),
        ("The mayor at the bridge on Monday (Image: PA)", "caption"),
        ("(Additional reporting by Jane Smith; Editing by Tom Okafor)", "reporting-credit"),
        (
            "Correction: An earlier version of this story misspelled the mayor's name.",
            "editor-note",
        ),
        ("This story has been updated with comment from the council.", "update-note"),
        ("___", "separator"),
    ],
)
def test_boilerplate_line_is_caught_by_its_rule(line: str, rule: str) -> None:
    assert boilerplate_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "More than 200 residents said they would fight the closure.",
        "More: that was the word from the union, which said members wanted better pay.",
        "The mayor said: “We will reopen the bridge within a year.”",
        "“We have listened to everyone,” she said. “This is the right decision.”",
        "By Tuesday, the council said, the bridge would be closed to cars.",
        "By then the engineers had already said the supports were cracked.",
        "Home owners near the river said they had not been warned.",
        "Updated figures released on Monday show the deficit grew, the minister said.",
        "Subscribers to the paper were told it would close, the editor said.",
        "Follow-up inspections are planned for March, a spokesman said.",
        "Watch the moment the bridge was closed, the mayor urged residents.",
        "We are going to win this fight, believe me. [APPLAUSE]",
        "He called the plan “a disgrace” [sic] in a letter to the council.",
        "Related charges were dropped in 2019, prosecutors said.",
        "Getty Images, the photo agency, said it had licensed the picture.",
        "",
    ],
)
def test_prose_is_not_boilerplate(line: str) -> None:
    assert boilerplate_rule(line) is None


def test_long_line_is_prose_whatever_it_starts_with() -> None:
    line = "READ MORE: " + "the council said the bridge would close and then reopen. " * 5
    assert len(line) > 200
    assert boilerplate_rule(line) is None


def test_ranges_cover_whole_lines_without_newline_and_leave_text_alone() -> None:
    text = (
        "Skip to content\n"
        "\n"
        "  The council voted to close the bridge, the mayor said.\n"
        "READ MORE: Town braces for traffic chaos\n"
        "  Advertisement  \n"
        "Residents said they were relieved."
    )
    original = str(text)
    ranges = detect_boilerplate(text)
    assert [text[s:e] for s, e in ranges] == [
        "Skip to content",
        "READ MORE: Town braces for traffic chaos",
        "  Advertisement  ",
    ]
    assert ranges == sorted(ranges)
    assert all(e <= s2 for (_, e), (s2, _) in zip(ranges, ranges[1:], strict=False))
    assert text == original


def test_find_boilerplate_names_the_rule_for_each_range() -> None:
    text = "By Jane Smith\nThe mayor said the bridge would close.\n(Image: Getty)\n"
    assert [(f.rule, text[f.start : f.end]) for f in find_boilerplate(text)] == [
        ("byline", "By Jane Smith"),
        ("photo-credit", "(Image: Getty)"),
    ]


def test_text_without_boilerplate_gives_no_ranges() -> None:
    assert detect_boilerplate("") == []
    assert detect_boilerplate("The mayor said the bridge would close.\n\nShe said sorry.") == []


def test_seed_article_teasers_and_navigation_are_flagged_and_quotes_are_not() -> None:
    if not SEED.is_file():
        pytest.skip(f"{SEED} absent")
    text = SEED.read_text(encoding="utf-8")
    flagged = {text[s:e] for s, e in detect_boilerplate(text)}
    lines = [line for line in text.split("\n") if line.strip()]

    headline = next(ln for ln in lines if ln.endswith("| World | News"))
    assert headline.split(" | ")[0] not in flagged, "the headline is the article's first line"
    assert " | World | News" in flagged
    must = [
        lambda ln: ln == "Skip to content",
        lambda ln: ln.startswith("ONLY IN:"),
        lambda ln: ln.startswith("READ MORE:"),
        lambda ln: ln.endswith("[REVEALED]"),
        lambda ln: ln.endswith("[LATEST]"),
        lambda ln: ln.endswith("[LIVE]"),
    ]
    for test in must:
        matching = [ln for ln in lines if test(ln)]
        assert len(matching) == 1 and matching[0] in flagged

    quoted = [ln for ln in lines if "“" in ln or "”" in ln or '"' in ln]
    assert quoted, "the seed article should contain quotations"
    assert not flagged.intersection(quoted)
    assert not {ln for ln in lines if " said" in ln}.intersection(flagged)
