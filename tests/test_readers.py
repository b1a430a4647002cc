"""Readers: every input becomes Articles or one-line InputProblems, never an exception.

All texts here are invented for the tests.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from onrecord.document import Article
from onrecord.readers import InputProblem, read_inputs
from onrecord.readers.splitting import cut_point, split_parts

STORY = (
    "The council voted on Tuesday to close the old harbour bridge.\n\n"
    '"It is the right decision for the town," the mayor, Ann Holt, told reporters.\n'
)


def read(*paths: Path | str, stdin: bytes | None = None, **kwargs: int) -> list:
    stream = io.BytesIO(stdin) if stdin is not None else None
    return list(read_inputs([str(p) for p in paths], stream, **kwargs))


def articles(items: list) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def problems(items: list) -> list[InputProblem]:
    return [item for item in items if isinstance(item, InputProblem)]


def write(directory: Path, name: str, data: bytes | str) -> Path:
    path = directory / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- plain text -------------------------------------------------------------------------


def test_text_file_is_one_article_named_after_the_file_stem(tmp_path: Path) -> None:
    items = read(write(tmp_path, "harbour-vote.txt", STORY))
    assert items == [Article(id="harbour-vote", text=STORY)]


def test_unknown_extension_is_read_as_plain_text(tmp_path: Path) -> None:
    items = read(write(tmp_path, "notes.md", STORY), write(tmp_path, "README", STORY))
    assert [a.id for a in articles(items)] == ["notes", "README"]
    assert not problems(items)


def test_bom_is_dropped_and_crlf_becomes_lf(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfFirst line.\r\nSecond line.\r\rThird.\r\n"
    (article,) = read(write(tmp_path, "windows.txt", data))
    assert article.text == "First line.\nSecond line.\n\nThird.\n"


def test_crlf_split_across_read_chunks_becomes_one_newline(tmp_path: Path) -> None:
    # The reader decodes 64 KiB at a time; put "\r" last in the first chunk.
    first = "a" * (65536 - 1) + "\r"
    (article,) = read(write(tmp_path, "long-line.txt", first + "\nnext\r\n"))
    assert article.text == "a" * 65535 + "\nnext\n"


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \r\n"], ids=["empty", "whitespace"])
def test_empty_or_blank_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "blank.txt", content)
    assert read(path) == [InputProblem(str(path), "empty", "error")]


def test_file_with_nul_bytes_is_reported_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert read(path) == [InputProblem(str(path), "binary file, not text", "error")]


def test_mostly_undecodable_bytes_are_reported_as_binary(tmp_path: Path) -> None:
    junk = bytes((i * 131 + 7) % 128 + 128 for i in range(4000))  # high bytes, no NUL
    path = write(tmp_path, "blob.dat", junk)
    assert read(path) == [InputProblem(str(path), "binary file, not text", "error")]


def test_utf16_file_is_an_error_asking_for_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "utf16.txt", STORY.encode("utf-16"))
    (problem,) = read(path)
    assert problem.severity == "error" and "UTF-8" in problem.message


def test_invalid_utf8_is_replaced_and_warned_but_still_read(tmp_path: Path) -> None:
    path = write(
        tmp_path, "latin1.txt", "The café owner said prices would rise.\n".encode("latin-1")
    )
    article, problem = read(path)
    assert article.text == "The caf\ufffd owner said prices would rise.\n"
    assert problem.severity == "warning" and problem.input == str(path)
    assert "invalid UTF-8" in problem.message and "byte 7" in problem.message


def test_missing_file_is_an_error_and_later_inputs_are_still_read(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    items = read(missing, write(tmp_path, "there.txt", STORY))
    assert items == [
        InputProblem(str(missing), "no such file", "error"),
        Article(id="there", text=STORY),
    ]


def test_directory_is_an_error(tmp_path: Path) -> None:
    assert read(tmp_path) == [InputProblem(str(tmp_path), "is a directory; pass files", "error")]


def test_unreadable_file_is_a_permission_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = write(tmp_path, "locked.txt", STORY)
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    assert read(locked) == [InputProblem(str(locked), "permission denied", "error")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_file_without_read_permission_is_an_error(tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.txt", STORY)
    locked.chmod(0)
    assert read(locked) == [InputProblem(str(locked), "permission denied", "error")]


def test_problem_prints_as_one_line_with_severity_and_input() -> None:
    problem = InputProblem("news.jsonl:17", "not valid JSON", "error")
    assert str(problem) == "error: news.jsonl:17: not valid JSON"


# --- very long texts --------------------------------------------------------------------


def invented_paragraphs() -> Iterator[str]:
    n = 0
    while True:
        n += 1
        sentence = f"Councillor {n} said the budget for ward {n % 97} would be reviewed. "
        yield sentence * (1 + n % 9) + "\n\n"


def test_20mb_text_is_streamed_into_parts_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "archive.txt"
    expected = hashlib.sha256()
    with path.open("w", encoding="utf-8") as out:
        size = 0
        for paragraph in invented_paragraphs():
            out.write(paragraph)
            expected.update(paragraph.encode())
            size += len(paragraph)
            if size > 20_000_000:
                break

    joined = hashlib.sha256()
    parts = 0
    tracemalloc.start()
    try:
        for item in read_inputs([str(path)]):
            if isinstance(item, Article):
                parts += 1
                assert item.id == f"archive#{parts}"
                assert len(item.text) <= 1_000_000
                assert item.text.endswith("\n\n")  # cut at a paragraph break
                joined.update(item.text.encode())
            else:
                last = item
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert joined.digest() == expected.digest()
    assert parts >= 20
    assert last.severity == "warning" and f"{parts} parts" in last.message
    assert peak < 12_000_000, f"peak {peak:,} bytes: the 20 MB file was held whole"


def test_small_limit_splits_into_numbered_parts_that_join_back(tmp_path: Path) -> None:
    text = "".join(p for _, p in zip(range(40), invented_paragraphs(), strict=False))
    items = read(write(tmp_path, "story.txt", text), max_chars=1000)
    parts = articles(items)
    assert [a.id for a in parts] == [f"story#{n}" for n in range(1, len(parts) + 1)]
    assert all(len(a.text) <= 1000 for a in parts)
    assert "".join(a.text for a in parts) == text
    (warning,) = problems(items)
    assert f"into {len(parts)} parts" in warning.message


def test_cut_prefers_a_blank_line_then_a_line_then_a_word_then_the_limit() -> None:
    assert cut_point("one.\n\ntwo.\nthree four", 18) == 6
    assert cut_point("one.\ntwo three four", 12) == 5
    assert cut_point("one two three", 10) == 8
    assert cut_point("x" * 30, 10) == 10


def test_split_parts_reproduce_the_text_at_any_chunking() -> None:
    text = "Alpha beta.\n\nGamma delta epsilon.\nZeta\n\n\n" + "w" * 25 + " eta theta."
    for chunk in (1, 3, 7, 100):
        chunks = [text[i : i + chunk] for i in range(0, len(text), chunk)]
        parts = list(split_parts(chunks, limit=12))
        assert "".join(parts) == text
        assert all(0 < len(p) <= 12 for p in parts)


# --- JSONL ------------------------------------------------------------------------------


def test_jsonl_yields_one_article_per_line_with_given_or_line_ids(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": "The minister said talks would resume.", "url": "x"}),
        "",
        json.dumps({"text": "Police said two men were arrested."}),
        json.dumps({"id": 42, "text": "A spokesman declined to comment."}),
    ]
    items = read(write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n"))
    assert [(a.id, a.text) for a in articles(items)] == [
        ("a1", "The minister said talks would resume."),
        ("feed:3", "Police said two men were arrested."),
        ("42", "A spokesman declined to comment."),
    ]
    assert not problems(items)


def test_bad_jsonl_lines_are_errors_naming_the_line_and_others_are_read(tmp_path: Path) -> None:
    lines = [
        '{"id": "ok1", "text": "The mayor said the bridge would close."}',
        '{"id": "broken", "text": "unterminated',
        '["a", "list"]',
        '{"id": "no-text", "body": "The text is under another key."}',
        '{"id": "number", "text": 17}',
        '{"id": "ok2", "text": "Residents said they were relieved."}',
    ]
    path = write(tmp_path, "mixed.jsonl", "\n".join(lines))
    items = read(path)
    assert [a.id for a in articles(items)] == ["ok1", "ok2"]
    errors = problems(items)
    assert [p.input for p in errors] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    assert all(p.severity == "error" and "\n" not in p.message for p in errors)
    assert "not valid JSON" in errors[0].message
    assert "not an object" in errors[1].message
    assert "no 'text' field" in errors[2].message
    assert "'text' is int" in errors[3].message


def test_jsonl_text_has_crlf_normalised(tmp_path: Path) -> None:
    path = write(tmp_path, "crlf.jsonl", json.dumps({"id": "c", "text": "One.\r\nTwo."}) + "\r\n")
    assert read(path) == [Article(id="c", text="One.\nTwo.")]


def test_jsonl_record_with_empty_text_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.jsonl", '{"id": "e", "text": "  "}\n')
    assert read(path) == [InputProblem(f"{path}:1", "empty", "error")]


def test_jsonl_of_only_blank_lines_is_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "nothing.jsonl", "\n\n  \n")
    assert read(path) == [InputProblem(str(path), "empty", "error")]


# --- HTML -------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Harbour bridge | Local | News</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council votes to close harbour bridge</h1>
<p>The council voted on Tuesday to close the old harbour bridge after engineers found
cracks in two of its supports.</p>
<p>"It is the right decision for the town," the mayor, Ann Holt, told reporters.<br>
She added that a ferry would run until a new bridge opened.</p>
<p>Shopkeepers on the east bank said they feared losing customers during the works.</p>
</article><footer>Contact us · Privacy</footer></body></html>"""


def test_html_main_text_is_extracted_as_blank_line_separated_paragraphs(tmp_path: Path) -> None:
    (article,) = read(write(tmp_path, "bridge.html", PAGE))
    assert article.id == "bridge"
    paragraphs = article.text.split("\n\n")
    assert "the mayor, Ann Holt, told reporters.\nShe added" in article.text
    assert any(p.startswith("The council voted on Tuesday") for p in paragraphs)
    assert paragraphs[-1].startswith("Shopkeepers on the east bank")
    assert "Privacy" not in article.text


def test_html_in_declared_latin1_is_decoded_without_warning(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace(
        "Shopkeepers", "Café owners"
    )
    items = read(write(tmp_path, "latin.htm", page.encode("latin-1")))
    assert not problems(items)
    assert "Café owners on the east bank" in articles(items)[0].text


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "shell.html", "<html><head><script>app()</script></head><body></body>")
    assert read(path) == [InputProblem(str(path), "no article text found in the HTML", "error")]


# --- standard input ---------------------------------------------------------------------


def test_stdin_starting_with_brace_is_read_as_jsonl() -> None:
    data = (
        b'\n  {"text": "The coach said the team was ready."}\n'
        b'{"id": "b", "text": "Fans cheered."}\n'
    )
    items = read("-", stdin=data)
    assert [(a.id, a.text) for a in articles(items)] == [
        ("stdin:2", "The coach said the team was ready."),
        ("b", "Fans cheered."),
    ]


def test_stdin_starting_with_angle_bracket_is_read_as_html() -> None:
    (article,) = read("-", stdin=b"\xef\xbb\xbf  " + PAGE.encode())
    assert article.id == "stdin" and "Ann Holt" in article.text


def test_stdin_other_text_is_read_as_plain_text() -> None:
    assert read("-", stdin=STORY.encode()) == [Article(id="stdin", text=STORY)]


def test_stdin_problems_name_the_dash() -> None:
    assert read("-", stdin=b"{not json}\n") == [
        InputProblem(
            "-:1",
            "not valid JSON (Expecting property name enclosed in double quotes at column 2)",
            "error",
        )
    ]
    assert read("-", stdin=b"") == [InputProblem("-", "empty", "error")]


def test_jsonl_lone_surrogate_escape_is_replaced_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.jsonl", '{"id": "s", "text": "Broken \\ud83d emoji, she said."}\n')
    article, problem = read(path)
    assert article.text == "Broken \ufffd emoji, she said."
    assert problem.severity == "warning" and problem.input == f"{path}:1"
