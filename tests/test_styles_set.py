"""The styles set's inline marks, and the set itself (written for the project)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from onrecord.corpora.styles import StylesError, parse_article, read_styles

STYLES = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "styles"

ARTICLE = """id: demo-01
style: wire
1: Anna Berg
2: -
3: Port Authority
4: Port Authority
---
{t1: "The ferries will run,"} {s1: Anna Berg} {c1: said}. {t1: "Every one of them."}

{c2: It is understood} {t2: that the strike ends on Friday}.

{s3: The authority} {c3: said} {t3: {s4: its} {c4: warning that} {t4: delays would last} held}.
"""


def test_marks_become_spans_with_fragments_speakers_and_parents() -> None:
    styled = parse_article(ARTICLE, "demo")
    text = styled.article.text
    first, agentless, outer, inner = styled.article.attributions
    assert [text[s:e] for s, e in first.content] == [
        '"The ferries will run,"',
        '"Every one of them."',
    ]
    assert first.speaker == "Anna Berg" and first.parent is None
    assert agentless.source == [] and agentless.speaker is None
    assert text[slice(*agentless.cue[0])] == "It is understood"
    assert inner.parent == 2 and outer.parent is None
    assert text[slice(*inner.cue[0])] == "warning that"
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{s1: Anna said.", "never closed"),
        ("Anna} said.", "without an open mark"),
        ("{t1: x}", "has no cue"),
        ("{c9: said}", "no speaker line"),
    ],
)
def test_broken_marks_are_refused_with_the_place(body: str, problem: str) -> None:
    with pytest.raises(StylesError, match=problem):
        parse_article(f"id: x\nstyle: wire\n1: A\n---\n{body}\n", "x.txt")


def test_the_set_has_sixty_articles_in_ten_styles_split_in_half() -> None:
    train = list(read_styles(STYLES, "train"))
    evaluation = list(read_styles(STYLES, "eval"))
    assert len(train) + len(evaluation) >= 60
    per_style = Counter(s.style for s in train + evaluation)
    assert len(per_style) >= 10
    for style, count in per_style.items():
        in_train = sum(1 for s in train if s.style == style)
        assert abs(2 * in_train - count) <= 1, style
    assert {s.article.id for s in train}.isdisjoint(s.article.id for s in evaluation)
    for styled in train + evaluation:
        words = len(styled.article.text.split())
        assert 150 <= words <= 650, (styled.article.id, words)
    assert sum(1 for s in evaluation for a in s.article.attributions if a.parent is not None)
