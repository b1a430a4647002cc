"""Speaker accuracy scoring, on a PolNeAR-shaped corpus invented for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.document import Article, Attribution
from onrecord.evaluation.speakers import SpeakerLabel, evaluate_speakers, names_match
from onrecord.interfaces import cli

TEXT = (
    "Harbour master Lena Fischer inspected the pier on Monday.\n\n"
    "She said the pier was safe for the winter.\n"
)


def offsets(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "polnear"
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir()
    (root / "metadata.tsv").write_text("filename\tannotators\npier\tann1\n", encoding="utf-8")
    (root / "dev" / "text" / "pier.txt").write_text(TEXT, encoding="utf-8")
    spans = {"Source": "She", "Cue": "said", "Content": "the pier was safe for the winter"}
    lines = [
        f"T{i}\t{kind} {offsets(w)[0]} {offsets(w)[1]}\t{w}"
        for i, (kind, w) in enumerate(spans.items(), 1)
    ]
    lines.append("E1\tAttribution:T2 Cue:T2 Source:T1 Content:T3")
    (root / "dev" / "attributions" / "pier_ann1.ann").write_text("\n".join(lines) + "\n")
    return root


def test_names_match_compares_surnames_for_people_and_words_for_bodies() -> None:
    person = SpeakerLabel("d", 0, 1, "pronoun", "Lena Fischer", "person")
    assert names_match("Fischer", person) and not names_match("Lena Berg", person)
    body = SpeakerLabel("d", 0, 1, "description", "Westhaven Harbour Board", "organisation")
    assert names_match("Harbour Board", body) and not names_match("Westhaven Council", body)
    nobody = SpeakerLabel("d", 0, 1, "description", None, "anonymous")
    assert names_match(None, nobody) and not names_match("Lena Fischer", nobody)


def test_only_leniently_matched_attributions_count() -> None:
    gold = Article(
        "pier",
        TEXT,
        [
            Attribution(
                [offsets("She")], [offsets("said")], [offsets("the pier was safe for the winter")]
            )
        ],
    )
    wrong_cue = Article(
        "pier",
        TEXT,
        [
            Attribution(
                [offsets("She")],
                [offsets("inspected")],
                [offsets("the pier")],
                speaker="Lena Fischer",
            )
        ],
    )
    label = SpeakerLabel("pier", *offsets("She"), "pronoun", "Lena Fischer", "person")
    report = evaluate_speakers([gold], [wrong_cue], [label])
    assert (report.labels, report.matched, report.correct) == (1, 0, 0)
    right = Article(
        "pier",
        TEXT,
        [
            Attribution(
                [offsets("She")], [offsets("said")], [offsets("the pier was safe")], speaker=None
            )
        ],
    )
    report = evaluate_speakers([gold], [right], [label])
    assert (report.matched, report.correct, report.unresolved) == (1, 0, 1)


def test_eval_scores_speakers_end_to_end(corpus: Path, tmp_path: Path, capsys) -> None:
    labels = tmp_path / "labels.tsv"
    start, end = offsets("She")
    labels.write_text(
        f"# doc\tstart\tend\tform\tspeaker\ttype\npier\t{start}\t{end}\t"
        "pronoun\tLena Fischer\tperson\n",
        encoding="utf-8",
    )
    code = cli.main(["eval", "--polnear", str(corpus), "--speakers", str(labels), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    speakers = json.loads(out)["speakers"]
    assert (speakers["labels"], speakers["matched"], speakers["correct"]) == (1, 1, 1)


def test_a_malformed_label_file_is_a_clean_failure(corpus: Path, tmp_path: Path, capsys) -> None:
    labels = tmp_path / "labels.tsv"
    labels.write_text("pier\tnot-a-number\n", encoding="utf-8")
    code = cli.main(["eval", "--polnear", str(corpus), "--speakers", str(labels)])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_FAILURE
    assert str(labels) in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("source", "speaker", "form"),
    [
        ("she", "Lena Fischer", "pronoun"),
        ("the harbour master", "Lena Fischer", "description"),
        ("Fischer", "Lena Fischer", "partial-name"),
        ("Harbour master Lena Fischer", "Lena Fischer", "full-name"),
        ("The port authority", "Northport Port Authority", "description"),
    ],
)
def test_form_of_reads_how_a_source_names_its_speaker(source: str, speaker: str, form: str) -> None:
    from onrecord.evaluation.speakers import form_of

    assert form_of(source, speaker) == form


def test_acronyms_plurals_and_case_match_but_other_bodies_do_not() -> None:
    def body(name: str) -> SpeakerLabel:
        return SpeakerLabel("d", 0, 1, "partial-name", name, "organisation")

    assert names_match("NPA", body("Northport Port Authority"))
    assert names_match("Republican", body("Republicans"))
    assert names_match("Dock Workers", body("dock workers"))
    assert not names_match("Southport Port Authority", body("Northport Port Authority"))
    # a styles label has no type: a person's surname decides, a body's name words do
    assert names_match("Lena Fischer", SpeakerLabel("d", 0, 1, "pronoun", "Fischer", "any"))
    assert not names_match("Lena Fischer", SpeakerLabel("d", 0, 1, "pronoun", "Jo Berg", "any"))


def test_labels_from_gold_take_every_sourced_attribution_and_its_pattern() -> None:
    from onrecord.evaluation.speakers import labels_from_gold, pattern_of

    gold = Article(
        "pier",
        TEXT,
        [
            Attribution(
                source=[offsets("She")],
                cue=[offsets("said")],
                content=[offsets("the pier was safe for the winter")],
                speaker="Lena Fischer",
            ),
            Attribution(source=[], cue=[offsets("inspected")], content=[], speaker=None),
        ],
    )
    [label] = labels_from_gold([gold])
    assert (label.form, label.speaker, label.type) == ("pronoun", "Lena Fischer", "any")
    assert pattern_of(label, TEXT) == "pronoun"
