"""Pathological inputs: many short lines, one very long line, runs of punctuation, texts
longer than a window, and a huge article on its way to the store.

Cost must grow in proportion to the text and memory stay bounded: texts are cut into
windows of bounded characters and tokens, windows go through the pipeline in batches of
bounded tokens, and nothing per line or sentence is redone over the whole document. All
texts are written here (repeated synthetic sentences)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from onrecord.document import Article, Attribution
from onrecord.pipeline import extractor as extractor_module
from onrecord.pipeline.extractor import Extractor, batched

WORDS = ("yes", "no", "fine", "ok", "sure", "later")
SENTENCES = (
    "The mayor said the council had told residents that the bridge would reopen.",
    "Officials told reporters on Monday that the budget was on track.",
    "\u201cWe are confident,\u201d a spokesman for the harbour authority said.",
    "According to the report, traffic on the ring road fell by a tenth.",
    "Residents complained about the noise near the river all summer.",
)


def short_lines(n: int) -> str:
    return "".join(WORDS[i % len(WORDS)] + "\n" for i in range(n))


def one_line(chars: int) -> str:
    """Sentences one after another on a single line, ``chars`` characters long."""
    text = " ".join(SENTENCES[i % len(SENTENCES)] for i in range(chars // 50 + 1))
    return text[:chars]


def paragraphs(n: int) -> str:
    return "".join(f"{SENTENCES[i % len(SENTENCES)]}\n\n" for i in range(n))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def assert_windows_cover(text: str, windows: list[tuple[str, int, bool]]) -> None:
    assert "".join(piece for piece, _, _ in windows) == text
    assert [last for _, _, last in windows] == [False] * (len(windows) - 1) + [True]
    offset = 0
    for piece, start, _ in windows:
        assert start == offset
        offset += len(piece)


def window_texts(extractor: Extractor, text: str) -> list[tuple[str, int, bool]]:
    return [(piece, offset, last) for piece, _, offset, last in extractor.windows(text)]


# --- many short lines -------------------------------------------------------------------


def test_line_breaks_start_sentences_in_linear_time(extractor: Extractor) -> None:
    """Setting each line's first token as a sentence start once checked the whole doc
    for a parse per line: 20,000 lines took over half a minute."""
    text = short_lines(20_000)
    doc = extractor.nlp.make_doc(text)
    paragraphs_pipe = extractor.nlp.get_pipe("onrecord_paragraphs")
    started = time.perf_counter()
    doc = paragraphs_pipe(doc)
    assert time.perf_counter() - started < 3
    starts = [tok.i for tok in doc if tok.is_sent_start]
    assert starts == list(range(0, len(doc), 2))  # each word, after each "\n" token


def test_short_lines_are_cut_into_bounded_windows(extractor: Extractor) -> None:
    text = short_lines(50_000)
    windows = list(extractor.windows(text))
    assert_windows_cover(text, [(piece, offset, last) for piece, _, offset, last in windows])
    assert len(windows) > 1
    for piece, tokens, _, _ in windows:
        assert tokens == len(extractor.tokenize(piece)) <= extractor_module.MAX_WINDOW_TOKENS
        assert len(piece) <= extractor_module.MAX_WINDOW_CHARS
        assert piece.endswith("\n")  # cut at line breaks


PROBE = """
import json, sys, time
from onrecord.pipeline.extractor import Extractor
def peak():
    # VmHWM, not getrusage: ru_maxrss survives exec, so it would start at the peak of
    # the pytest process that started this one.
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) // 1024
extractor = Extractor()
extractor.extract_one("The mayor said the harbour bridge would reopen in the spring.\\n\\n" * 40)
before = peak()
words = ("yes", "no", "fine", "ok", "sure", "later")
text = "".join(words[i % len(words)] + "\\n" for i in range(int(sys.argv[1])))
started = time.perf_counter()
article = extractor.extract_one(text)
print(json.dumps({"before_mb": before, "peak_mb": peak(), "seconds": time.perf_counter() - started,
                  "found": len(article.attributions)}))
"""


def test_short_lines_extract_in_bounded_memory(tmp_path: Path) -> None:
    """20,000 short lines were one Doc of 40,000 tokens: the tagger's and parser's working
    memory for it came on top of an ordinary article's (about 0.6 GB more; 200,000 lines
    went past 6 GB). In windows of bounded tokens it stays near an ordinary article's."""
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(probe), "20000"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["peak_mb"] - measured["before_mb"] < 400, measured
    assert measured["peak_mb"] < 1024, measured
    assert measured["seconds"] < 120, measured


# --- one very long line -----------------------------------------------------------------


def test_a_megabyte_on_one_line_is_cut_at_sentence_ends(extractor: Extractor) -> None:
    text = one_line(1_000_000)
    started = time.perf_counter()
    windows = window_texts(extractor, text)
    assert time.perf_counter() - started < 30
    assert_windows_cover(text, windows)
    for piece, _, last in windows:
        assert len(piece) <= extractor_module.MAX_WINDOW_CHARS
        if not last:
            assert piece.endswith(". "), piece[-40:]  # not in the middle of a word


def test_window_end_prefers_paragraphs_then_lines_sentences_and_spaces() -> None:
    window_end = extractor_module.window_end
    limit = 100
    para = "a" * 60 + ".\n\n" + "b" * 200
    assert window_end(para, 0, limit) == para.index("b")
    line = "a" * 60 + "\n" + "b. c " * 40
    assert window_end(line, 0, limit) == 61
    sentence = ("word " * 12 + "end. ") * 10
    cut = window_end(sentence, 0, limit)
    assert sentence[:cut].endswith("end. ") and cut <= limit
    spaces = "word " * 40
    assert window_end(spaces, 0, limit) == 100
    assert window_end("x" * 300, 0, limit) == 100  # no break at all: a hard cut
    assert window_end("x" * 300, 250, limit) == 300


def test_runs_of_punctuation_are_tokenized_in_linear_time(extractor: Extractor) -> None:
    """spaCy's tokenizer peels "!" off a run one at a time, copying the rest each time:
    20,000 of them took most of a minute."""
    text = "Wow" + "!" * 20_000 + " and " + "\u2019s" * 5_000 + " then (" + "(" * 3_000 + "."
    started = time.perf_counter()
    doc = extractor.tokenize(text)
    assert time.perf_counter() - started < 5
    assert doc.text == text
    assert max(len(tok.text) for tok in doc) <= extractor_module.MAX_RUN_CHARS
    assert extractor.tokenize("An ordinary sentence.").text == "An ordinary sentence."


# --- texts longer than a window ---------------------------------------------------------


def test_offsets_index_the_whole_text_and_equal_extracting_the_pieces(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text over several windows gives what its windows give one by one, offsets moved
    to the whole text and ``parent`` to the whole list."""
    monkeypatch.setattr(extractor_module, "MAX_WINDOW_TOKENS", 1_000)
    text = paragraphs(160)  # about 2,700 tokens: three windows
    windows = window_texts(extractor, text)
    assert len(windows) == 3
    whole = extractor.extract_one(text)
    expected: list[Attribution] = []
    for piece, offset, _ in windows:
        part = extractor.extract_one(piece)
        first = len(expected)
        for a in part.attributions:
            moved = a.shifted(offset)
            expected.append(replace(moved, parent=None if a.parent is None else a.parent + first))
        assert all(text[s:e] == piece[s - offset : e - offset] for s, e in part.boilerplate)
    assert whole.attributions == expected
    assert len(whole.attributions) > 100
    nested = [a for a in whole.attributions if a.parent is not None]
    assert any(a.cue[0][0] > windows[-1][1] for a in nested)  # in the last window too
    for a in whole.attributions:
        for start, end in [*a.source, *a.cue, *a.content]:
            assert 0 <= start < end <= len(text)
        if a.parent is not None:
            outer = whole.attributions[a.parent]
            assert outer.content[0][0] <= a.cue[0][0] < outer.content[-1][1]


# --- a huge article on its way to the store ---------------------------------------------


class PassThrough:
    """An extractor that returns articles as they are and notes, before each, how many
    articles the store holds by then (read through a connection of its own)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.stored_before: list[int] = []

    def extract(self, articles):
        from onrecord.store import Store

        for article in articles:
            self.stored_before.append(Store(self.url).count()["articles"])
            yield article


def test_ingest_commits_each_huge_part_as_soon_as_it_is_extracted(tmp_path: Path) -> None:
    """A huge input is read as parts of up to a million characters; they were written in
    one transaction per 32, so a kill lost every part extracted so far."""
    from onrecord.pipeline.ingest import ingest
    from onrecord.store import Store

    url = str(tmp_path / "store.sqlite")
    store = Store(url)
    parts = [Article(f"huge#{k}", f"Part {k}. " + one_line(600_000)) for k in range(1, 4)]
    recorder = PassThrough(url)
    started = time.perf_counter()
    batches = [batch for batch, _ in ingest(store, recorder, parts)]
    assert time.perf_counter() - started < 60
    assert [len(batch) for batch in batches] == [1, 1, 1]
    assert recorder.stored_before == [0, 1, 2]
    assert store.count()["articles"] == 3


def test_batches_close_at_a_size_or_a_number_of_characters() -> None:
    articles = [Article(str(k), "x" * size) for k, size in enumerate([10, 10, 400, 10, 10])]
    assert [len(b) for b in batched(articles, 2)] == [2, 2, 1]
    assert [len(b) for b in batched(articles, 32, 300)] == [3, 2]


def test_new_words_do_not_stay_in_the_vocabulary(extractor: Extractor) -> None:
    """Every distinct word stayed in spaCy's string store and vocabulary (about 0.4 KB
    each) for as long as the process ran: a long stream of ids or numbers grew it without
    end. Windows are parsed in a memory zone that lets them go."""
    extractor.extract_one("The minister said the bridge would reopen.")
    before = len(extractor.nlp.vocab.strings)
    text = " ".join(f"ref{k:06d}x" for k in range(3_000)) + ". The minister said so."
    assert extractor.extract_one(text).text == text
    assert len(extractor.nlp.vocab.strings) - before < 100


def test_copies_of_huge_texts_are_compared_in_bounded_time() -> None:
    """difflib aligned two million-character parts of one text word by word for minutes
    each; beyond ``MAX_ALIGN_WORDS`` only an exact copy is looked for."""
    from onrecord.copies.compare import MAX_ALIGN_WORDS, article_words, relate

    text = one_line(200_000)
    lines = "".join(f"Share line {k}\n" for k in range(20_000))
    started = time.perf_counter()
    words = article_words(text)
    assert len(words) > MAX_ALIGN_WORDS
    assert relate(words, article_words("Part two. " + text)) is None
    assert relate(words, article_words(text)).relation == "exact"
    starts = [0, *(k + 1 for k, ch in enumerate(lines) if ch == "\n")][:-1]
    boilerplate = [(start, lines.index("\n", start)) for start in starts]  # every line
    assert article_words(lines, boilerplate) == []
    assert time.perf_counter() - started < 10


def test_workers_take_the_parts_of_a_huge_text_one_at_a_time() -> None:
    from onrecord.pipeline.extractor import worker_batches

    parts = [Article(f"huge#{i}", "x" * 600_000) for i in range(5)]
    assert [len(b) for b in worker_batches(parts, 8)] == [1, 1, 1, 1, 1]
    normal = [Article(str(i), "y" * 4_000) for i in range(20)]
    assert [len(b) for b in worker_batches(normal, 8)] == [8, 8, 4]
