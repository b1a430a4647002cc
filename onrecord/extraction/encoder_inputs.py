"""What the encoder reads: word pieces plus spaCy's signals, cut into paragraph windows.

all-MiniLM-L6-v2 is uncased and knows nothing of the parse, so every word piece also
carries small ids for the word's casing, whether it stands inside quotation marks, its
part of speech, entity type and dependency label; the model adds an embedding of each to
the piece embedding. Words are the spaCy tokens that are not whitespace, so predictions
come back per token and the rest of the pipeline (linking, speakers) works on the same
``Doc``.

Windows pack whole paragraphs up to ``core_pieces`` word pieces; each window is preceded
by up to ``context_pieces`` pieces of the text before it, which the model reads but whose
predictions are discarded (the previous window owns them). A paragraph longer than a
window is cut between sentences, or between words as a last resort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.tokens import Doc
from tokenizers import Tokenizer

LABELS: tuple[str, ...] = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CNT", "I-CNT")
LABEL_IDS = {label: i for i, label in enumerate(LABELS)}
SIDE_FEATURES: tuple[str, ...] = ("case", "quote", "pos", "ent", "dep")
CASES = ("lower", "title", "upper", "other")
UPOS = (
    "ADJ",
    "ADP",
    "ADV",
    "AUX",
    "CCONJ",
    "DET",
    "INTJ",
    "NOUN",
    "NUM",
    "PART",
    "PRON",
    "PROPN",
    "PUNCT",
    "SCONJ",
    "SYM",
    "VERB",
    "X",
)
ENTITY_TYPES = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
)

CLS_ID, SEP_ID, PAD_ID = 101, 102, 0


@dataclass
class Window:
    """One encoder input: ``pieces`` ids with side ids, and which words it predicts."""

    input_ids: list[int]
    side_ids: dict[str, list[int]]
    first_piece: list[int]  # position of each predicted word's first piece in input_ids
    words: list[int]  # token indices of the predicted words (the window's core)


class Vocabulary:
    """Ids for the side features; index 0 is 'none or unknown'."""

    def __init__(self, dep_labels: list[str]) -> None:
        self.tables = {
            "case": {c: i + 1 for i, c in enumerate(CASES)},
            "quote": {"out": 1, "in": 2, "mark": 3},
            "pos": {p: i + 1 for i, p in enumerate(UPOS)},
            "ent": {e: i + 1 for i, e in enumerate(ENTITY_TYPES)},
            "dep": {d: i + 1 for i, d in enumerate(dep_labels)},
        }

    def size(self, name: str) -> int:
        return len(self.tables[name]) + 1

    def word_ids(self, doc: Doc, quote: list[int]) -> dict[str, list[int]]:
        """Per-token side ids of ``doc`` (``quote``: 1 inside quotation marks)."""
        ids: dict[str, list[int]] = {name: [] for name in SIDE_FEATURES}
        for tok in doc:
            ids["case"].append(self.tables["case"][_case(tok.text)])
            mark = tok.is_quote or tok.text in {"``", "''"}
            ids["quote"].append(3 if mark else 2 if quote[tok.i] else 1)
            ids["pos"].append(self.tables["pos"].get(tok.pos_, 0))
            ids["ent"].append(self.tables["ent"].get(tok.ent_type_, 0))
            ids["dep"].append(self.tables["dep"].get(tok.dep_, 0))
        return ids


def _case(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "other"
    if all(c.islower() for c in letters):
        return "lower"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "title"
    return "title" if letters[0].isupper() else "other"


def words_of(doc: Doc) -> list[int]:
    """Token indices the encoder labels: every token that is not whitespace."""
    return [tok.i for tok in doc if not tok.is_space]


def piece_ids(tokenizer: Tokenizer, doc: Doc, words: list[int]) -> list[list[int]]:
    """Word-piece ids of each word (at least one: an empty result becomes [UNK])."""
    if not words:
        return []
    encoding = tokenizer.encode(
        [doc[i].text for i in words], is_pretokenized=True, add_special_tokens=False
    )
    pieces: list[list[int]] = [[] for _ in words]
    for piece, word in zip(encoding.ids, encoding.word_ids, strict=True):
        if word is not None:
            pieces[word].append(piece)
    unk = tokenizer.token_to_id("[UNK]")
    return [p or [unk] for p in pieces]


def paragraph_blocks(doc: Doc, words: list[int]) -> list[list[int]]:
    """Positions in ``words`` grouped into paragraphs, then sentences: a list of units,
    each flagged by whether it starts a paragraph (first item of the unit list)."""
    units: list[list[int]] = []
    previous = None
    for k, i in enumerate(words):
        tok = doc[i]
        new_paragraph = previous is None or any(
            "\n" in doc[j].text or "\n" in doc[j].whitespace_ for j in range(previous, i)
        )
        new_sentence = tok.is_sent_start and previous is not None
        if new_paragraph or new_sentence or not units:
            units.append([k])
        else:
            units[-1].append(k)
        previous = i
    return units


def make_windows(
    doc: Doc,
    words: list[int],
    pieces: list[list[int]],
    side: dict[str, list[int]],
    core_pieces: int = 200,
    context_pieces: int = 54,
) -> list[Window]:
    """Windows covering every word once as core, with left context before each."""
    cores = _pack(paragraph_blocks(doc, words), pieces, core_pieces)
    windows = []
    for core in cores:
        context: list[int] = []
        budget = context_pieces
        k = core[0] - 1
        while k >= 0 and len(pieces[k]) <= budget:
            budget -= len(pieces[k])
            context.insert(0, k)
            k -= 1
        windows.append(_window(words, pieces, side, context, core))
    return windows


def _pack(units: list[list[int]], pieces: list[list[int]], limit: int) -> list[list[int]]:
    """Consecutive units joined while they fit ``limit`` pieces; long units are split."""
    cores: list[list[int]] = []
    current: list[int] = []
    size = 0
    for unit in units:
        unit_size = sum(len(pieces[k]) for k in unit)
        if unit_size > limit:
            if current:
                cores.append(current)
                current, size = [], 0
            cores.extend(_split_words(unit, pieces, limit))
            continue
        if size + unit_size > limit and current:
            cores.append(current)
            current, size = [], 0
        current.extend(unit)
        size += unit_size
    if current:
        cores.append(current)
    return cores


def _split_words(unit: list[int], pieces: list[list[int]], limit: int) -> list[list[int]]:
    parts: list[list[int]] = [[]]
    size = 0
    for k in unit:
        n = min(len(pieces[k]), limit)
        if size + n > limit and parts[-1]:
            parts.append([])
            size = 0
        parts[-1].append(k)
        size += n
    return parts


def _window(
    words: list[int],
    pieces: list[list[int]],
    side: dict[str, list[int]],
    context: list[int],
    core: list[int],
) -> Window:
    input_ids = [CLS_ID]
    side_ids: dict[str, list[int]] = {name: [0] for name in side}
    firsts: list[int] = []
    for k in [*context, *core]:
        firsts.append(len(input_ids))
        word_pieces = pieces[k][:64]  # a pathological "word" cannot fill the window
        input_ids.extend(word_pieces)
        for name, values in side.items():
            side_ids[name].extend([values[words[k]]] * len(word_pieces))
    input_ids.append(SEP_ID)
    for values in side_ids.values():
        values.append(0)
    n_context = len(context)
    return Window(
        input_ids=input_ids,
        side_ids=side_ids,
        first_piece=firsts[n_context:],
        words=[words[k] for k in core],
    )


def batch_arrays(windows: list[Window]) -> dict[str, numpy.ndarray]:
    """Padded int64 arrays for a batch of windows, keyed by model input name."""
    width = max(len(w.input_ids) for w in windows)
    arrays = {"input_ids": numpy.full((len(windows), width), PAD_ID, dtype=numpy.int64)}
    arrays["attention_mask"] = numpy.zeros((len(windows), width), dtype=numpy.int64)
    for name in SIDE_FEATURES:
        arrays[f"{name}_ids"] = numpy.zeros((len(windows), width), dtype=numpy.int64)
    for row, window in enumerate(windows):
        n = len(window.input_ids)
        arrays["input_ids"][row, :n] = window.input_ids
        arrays["attention_mask"][row, :n] = 1
        for name in SIDE_FEATURES:
            arrays[f"{name}_ids"][row, :n] = window.side_ids[name]
    return arrays
