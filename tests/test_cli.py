"""The command line end to end: output schema, formats, exit codes, bad inputs.

Texts are invented for the tests. The pipeline is loaded once per test session.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord.interfaces import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "harbour-bridge.txt"

STORY = (
    "The mayor of Westhaven said on Monday that the new tram line would open in May.\n\n"
    "\u201cWe are on time and on budget,\u201d she told reporters.\n"
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    """Calls ``onrecord`` in-process and returns (exit code, stdout, stderr)."""

    def call(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return call


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_jsonl_output_follows_the_documented_schema(run, capsys, tmp_path: Path) -> None:
    (tmp_path / "tram.txt").write_text(STORY, encoding="utf-8")
    code, out, err = run("extract", "--format", "jsonl", str(tmp_path / "tram.txt"), capsys=capsys)
    assert code == 0, err
    [record] = jsonl(out)
    assert set(record) == {
        "id",
        "url",
        "outlet",
        "published",
        "text",
        "attributions",
        "boilerplate",
    }
    assert record["id"] == "tram" and record["text"] == STORY
    assert record["attributions"], "expected at least one attribution"
    for attribution in record["attributions"]:
        assert set(attribution) == {
            "source",
            "cue",
            "content",
            "speaker",
            "speaker_type",
            "speaker_role",
            "speaker_org",
            "speaker_score",
            "anonymous",
            "anonymity",
            "via",
            "confidence",
            "kind",
            "score",
            "parent",
            "fidelity",
        }
        assert attribution["fidelity"] is None  # quote fidelity needs a store
        assert attribution["parent"] is None or isinstance(attribution["parent"], int)
        assert attribution["kind"] in {"direct", "indirect", "mixed"}
        assert attribution["speaker_type"] in {
            "person",
            "organisation",
            "country",
            "group",
            "document",
            "anonymous",
            "unresolved",
        }
        assert (attribution["speaker"] is None) == (
            attribution["speaker_type"] in {"anonymous", "unresolved"}
        )
        assert isinstance(attribution["via"], list)
        assert 0.0 <= attribution["score"] <= 1.0
        assert attribution["speaker_score"] is None or 0.0 <= attribution["speaker_score"] <= 1.0
        assert attribution["cue"] and attribution["content"]
        for span_type in ("source", "cue", "content"):
            for start, end in attribution[span_type]:
                assert 0 <= start < end <= len(STORY)


def test_reported_speech_and_quote_are_found_in_a_short_story(run, capsys, tmp_path) -> None:
    (tmp_path / "tram.txt").write_text(STORY, encoding="utf-8")
    _, out, _ = run("extract", "--format", "jsonl", str(tmp_path / "tram.txt"), capsys=capsys)
    [record] = jsonl(out)
    found = {
        (
            " ".join(STORY[s:e] for s, e in a["cue"]),
            " ".join(STORY[s:e] for s, e in a["content"]),
        )
        for a in record["attributions"]
    }
    assert any(cue == "said" and "the new tram line would open" in c for cue, c in found)
    assert any("told" in cue and "We are on time" in c for cue, c in found)


def test_table_format_prints_speaker_cue_and_content(run, capsys, tmp_path) -> None:
    (tmp_path / "tram.txt").write_text(STORY, encoding="utf-8")
    code, out, _ = run("extract", "--format", "table", str(tmp_path / "tram.txt"), capsys=capsys)
    assert code == 0
    assert out.startswith("== tram:")
    assert "speaker" in out and "| cue" in out and "said" in out


def test_jsonl_input_keeps_ids_and_reports_a_broken_line(run, capsys, tmp_path) -> None:
    lines = [
        json.dumps({"id": "a-1", "text": STORY}),
        "{not json",
        json.dumps({"id": "a-2", "body": "no text field"}),
        json.dumps({"id": "a-3", "text": STORY}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("extract", "--format", "jsonl", str(path), capsys=capsys)
    assert [r["id"] for r in jsonl(out)] == ["a-1", "a-3"]
    assert code == cli.EXIT_INPUT_ERRORS
    assert f"{path}:2" in err and f"{path}:3" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blob.txt", b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("missing.txt", None, "no such file"),
        (
            "page.html",
            b"<html><head><title>Menu</title></head><body><script>x=1</script></body></html>",
            "html",
        ),
    ],
)
def test_bad_input_gives_one_line_naming_it_and_others_still_run(
    run, capsys, tmp_path, name, content, message
) -> None:
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    good = tmp_path / "tram.txt"
    good.write_text(STORY, encoding="utf-8")
    code, out, err = run("extract", "--format", "jsonl", str(bad), str(good), capsys=capsys)
    assert code == cli.EXIT_INPUT_ERRORS
    assert [r["id"] for r in jsonl(out)] == ["tram"]
    [line] = err.strip().splitlines()
    assert str(bad) in line and message in line.lower()


def test_a_directory_is_refused_with_a_one_line_error(run, capsys, tmp_path) -> None:
    code, out, err = run("extract", "--format", "jsonl", str(tmp_path), capsys=capsys)
    assert code == cli.EXIT_INPUT_ERRORS and out == ""
    assert err.strip() == f"error: {tmp_path}: is a directory; pass files"


def test_invalid_utf8_is_replaced_and_warned_about(run, capsys, tmp_path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(STORY.encode("utf-8") + b"Caf\xe9 owners said trade was slow.\n")
    code, out, err = run("extract", "--format", "jsonl", str(path), capsys=capsys)
    assert code == 0
    [record] = jsonl(out)
    assert "Caf\ufffd" in record["text"]
    assert str(path) in err and "warning" in err


def test_missing_model_directory_is_a_clean_failure(run, capsys, tmp_path) -> None:
    (tmp_path / "tram.txt").write_text(STORY, encoding="utf-8")
    code, _, err = run(
        "extract", "--model", str(tmp_path / "nope"), str(tmp_path / "tram.txt"), capsys=capsys
    )
    assert code == cli.EXIT_FAILURE
    assert err.startswith("error: ") and "Traceback" not in err


def test_a_broken_model_description_is_a_clean_failure(run, capsys, tmp_path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "meta.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "tram.txt").write_text(STORY, encoding="utf-8")
    code, _, err = run(
        "extract", "--model", str(tmp_path / "model"), str(tmp_path / "tram.txt"), capsys=capsys
    )
    assert code == cli.EXIT_FAILURE
    assert "meta.json" in err and "Traceback" not in err


def test_train_on_a_missing_corpus_is_a_clean_failure(run, capsys, tmp_path) -> None:
    code, _, err = run(
        "train",
        "--polnear",
        str(tmp_path),
        "--out",
        str(tmp_path / "m"),
        "--work-dir",
        str(tmp_path / "work"),
        capsys=capsys,
    )
    assert code == cli.EXIT_FAILURE
    assert err.startswith("error: ") and str(tmp_path) in err


def test_eval_on_a_missing_corpus_is_a_clean_failure(run, capsys, tmp_path) -> None:
    code, _, err = run("eval", "--polnear", str(tmp_path), capsys=capsys)
    assert code == cli.EXIT_FAILURE
    assert "metadata.tsv" in err or "missing" in err


def test_stdin_and_the_installed_command_work_together(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "onrecord", "extract", "-"],
        input=STORY.encode("utf-8"),
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    [record] = jsonl(result.stdout.decode("utf-8"))  # not a terminal: JSON Lines
    assert record["id"] == "stdin" and record["attributions"]


def test_help_teaches_formats_and_exit_codes(run, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["extract", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for needle in (".jsonl", "trafilatura", "exit codes", "--format", '"boilerplate"'):
        assert needle in out


def test_html_page_is_reduced_to_its_article_text_before_extraction(run, capsys, tmp_path) -> None:
    page = (
        "<html><head><title>Tram news</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/local'>Local</a></nav>"
        "<article><h1>Tram line on schedule</h1>"
        "<p>The mayor of Westhaven said on Monday that the new tram line would open in May.</p>"
        "<p>\u201cWe are on time and on budget,\u201d she told reporters at the depot.</p>"
        "</article><footer>Copyright Westhaven Gazette</footer></body></html>"
    )
    path = tmp_path / "tram-page.html"
    path.write_text(page, encoding="utf-8")
    code, out, err = run("extract", "--format", "jsonl", str(path), capsys=capsys)
    assert code == 0, err
    [record] = jsonl(out)
    assert record["id"] == "tram-page"
    assert "<p>" not in record["text"] and "tram line would open in May" in record["text"]
    cues = {record["text"][s:e] for a in record["attributions"] for s, e in a["cue"]}
    assert "said" in cues


def test_the_pronoun_she_is_resolved_to_the_mayor_in_jsonl(run, capsys, tmp_path) -> None:
    story = (
        "Westhaven mayor Anna Berg opened the tram depot on Monday.\n\n"
        "\u201cWe are on time and on budget,\u201d she told reporters.\n"
    )
    (tmp_path / "tram.txt").write_text(story, encoding="utf-8")
    _, out, _ = run("extract", "--format", "jsonl", str(tmp_path / "tram.txt"), capsys=capsys)
    [record] = jsonl(out)
    told = [a for a in record["attributions"] if "told" in story[slice(*a["cue"][0])]]
    assert [a["speaker"] for a in told] == ["Anna Berg"]
    assert told[0]["speaker_role"] == "Westhaven mayor" and told[0]["kind"] == "direct"


def test_speakers_groups_one_person_across_articles(run, capsys, tmp_path) -> None:
    (tmp_path / "a.txt").write_text(
        "Harbour master Lena Fischer said on Monday that the ferry would run hourly.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Harbour master Lena Fischer inspected the pier at Westhaven.\n\n"
        "Fischer said the pier was safe for the winter.\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "speakers",
        "--format",
        "jsonl",
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        capsys=capsys,
    )
    assert code == 0, err
    records = jsonl(out)
    [fischer] = [r for r in records if "Fischer" in r["speaker"]]
    assert fischer["speaker"] == "Lena Fischer"
    assert fischer["count"] == 2
    assert {ref["article"] for ref in fischer["attributions"]} == {"a", "b"}
    assert "Harbour master" in fischer["roles"]


def test_extract_and_speakers_write_csv_one_row_per_attribution(run, capsys, tmp_path) -> None:
    import csv
    import io

    (tmp_path / "a.txt").write_text(
        "Harbour master Lena Fischer said on Monday that the ferry would run hourly.\n\n"
        "\u201c=HYPERLINK(1) the pier is safe,\u201d Fischer told reporters.\n",
        encoding="utf-8",
    )
    code, out, err = run("extract", "--format", "csv", str(tmp_path / "a.txt"), capsys=capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.startswith("article,ordinal,speaker,speaker_type,")
    assert len(rows) >= 2 and {r["article"] for r in rows} == {"a"}
    assert any("ferry would run hourly" in r["content"] for r in rows)
    assert not any(cell.startswith("=") for r in rows for cell in r.values())  # no formulas
    code, out, err = run("speakers", "--format", "csv", str(tmp_path / "a.txt"), capsys=capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.startswith("speaker,speaker_type,variants,roles,orgs,count,article,source,")
    fischer = [r for r in rows if r["speaker"] == "Lena Fischer"]
    assert len(fischer) == 2 and {r["count"] for r in fischer} == {"2"}
    assert any("ferry would run hourly" in r["content"] for r in fischer)
    assert not any(cell.startswith("=") for r in rows for cell in r.values())


def test_speakers_table_and_a_missing_input(run, capsys, tmp_path) -> None:
    code, out, err = run(
        "speakers", "--format", "table", str(EXAMPLE), str(tmp_path / "gone.txt"), capsys=capsys
    )
    assert code == 1
    assert "gone.txt" in err and "Traceback" not in err
    assert "Maria Okafor" in out and "person" in out


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no styles-set articles"),
        ({"x.txt": "id: x\nstyle: wire\n1: A\n---\n{s1: never closed\n"}, "never closed"),
        ({"y.txt": "no header line\nat all\n"}, "no '---' line"),
    ],
)
def test_eval_on_a_broken_styles_set_is_a_one_line_failure(
    run, capsys, tmp_path: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run("eval", "--styles", str(tmp_path), capsys=capsys)
    assert code == cli.EXIT_FAILURE and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_train_on_a_broken_styles_set_fails_before_training(run, capsys, tmp_path) -> None:
    polnear = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
    if not polnear.is_dir():
        pytest.skip(f"{polnear} absent")
    styles = tmp_path / "styles"
    styles.mkdir()
    (styles / "x.txt").write_text("id: x\nstyle: wire\n1: A\n---\n{c1: said\n")
    code, out, err = run(
        "train",
        "--polnear",
        str(polnear),
        "--styles",
        str(styles),
        "--out",
        str(tmp_path / "m"),
        "--work-dir",
        str(tmp_path / "w"),
        capsys=capsys,
    )
    assert code == cli.EXIT_FAILURE and out == ""
    assert err.startswith("error: ") and "never closed" in err and err.count("\n") == 1
    assert not (tmp_path / "w").exists()


def test_train_speakers_needs_labels_and_names_a_broken_label_file(run, capsys, tmp_path) -> None:
    out_dir = str(tmp_path / "ranker")
    code, _, err = run(
        "train",
        "--engine",
        "speakers",
        "--polnear",
        str(tmp_path),
        "--out",
        out_dir,
        capsys=capsys,
    )
    assert code == cli.EXIT_FAILURE and "--labels" in err and err.count("\n") == 1
    labels = tmp_path / "labels.tsv"
    labels.write_text("doc\t12\tnot-an-offset\tpronoun\tX\tperson\n", encoding="utf-8")
    code, _, err = run(
        "train",
        "--engine",
        "speakers",
        "--polnear",
        str(tmp_path),
        "--labels",
        str(labels),
        "--out",
        out_dir,
        capsys=capsys,
    )
    assert code == cli.EXIT_FAILURE
    assert err.startswith("error: ") and str(labels) in err and "Traceback" not in err
    assert not (tmp_path / "ranker").exists()
