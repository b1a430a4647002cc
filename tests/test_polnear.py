"""The PolNeAR reader: brat standoff parsing on invented annotations, and the real layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.corpora.polnear import PolnearError, parse_ann, read_split

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"

# Invented text: 'The mayor said the pier was safe. It is feared costs will rise.'
ANN = "\n".join(
    [
        "T1\tSource 0 9\tThe mayor",
        "T2\tCue 10 14\tsaid",
        "T3\tContent 15 32;34 40\tthe pier was safe",
        "continued text of T3 on a second line",
        "T4\tAttribution 10 14\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tCue 37 46\tIt is feared",
        "T6\tContent 47 63\tcosts will rise",
        "T7\tAttribution-no-source 37 46\tIt is feared",
        "E2\tAttribution-no-source:T7 Content:T6 Cue:T5",
        "T8\tDiscard 64 80\tSign up today.",
    ]
)


def test_attributions_with_fragments_and_without_source() -> None:
    first, second = parse_ann(ANN)
    assert first.source == [(0, 9)] and first.cue == [(10, 14)]
    assert first.content == [(15, 32), (34, 40)]
    assert second.source == [] and second.cue == [(37, 46)] and second.content == [(47, 63)]


def test_discard_and_continuation_lines_are_ignored() -> None:
    assert len(parse_ann(ANN)) == 2


def test_a_directory_that_is_not_polnear_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolnearError, match=str(tmp_path)):
        list(read_split(tmp_path, "dev"))


def test_real_dev_split_reads_every_article() -> None:
    if not POLNEAR.is_dir():
        pytest.skip(f"{POLNEAR} absent: PolNeAR is not bundled with the repository")
    articles = list(read_split(POLNEAR, "dev"))
    assert len(articles) == 84
    assert sum(len(a.attributions) for a in articles) == 2193
    for article in articles:
        for attribution in article.attributions:
            for start, end in attribution.cue + attribution.content + attribution.source:
                assert 0 <= start < end <= len(article.text)
