"""Reader for the PolNeAR corpus layout (brat standoff, one .ann per annotator).

Layout: ``DIR/metadata.tsv`` plus ``DIR/{split}/text/NAME.txt`` and
``DIR/{split}/attributions/NAME_ANNOTATOR.ann``. For each article we use the first
annotator listed in ``metadata.tsv`` whose file exists.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from onrecord.document import Article, Attribution, Fragment

_ANN_LINE = re.compile(r"^[TE]\d+\t")


class PolnearError(ValueError):
    """The directory does not look like PolNeAR."""


def _parse_fragments(offsets: str) -> list[Fragment]:
    fragments = []
    for part in offsets.split(";"):
        start, end = part.split()
        fragments.append((int(start), int(end)))
    return sorted(fragments)


def parse_ann(ann_text: str) -> list[Attribution]:
    """Attributions of one brat .ann file, spans sorted by offset."""
    spans: dict[str, list[Fragment]] = {}
    relations: list[dict[str, str]] = []
    for line in ann_text.splitlines():
        # Span texts may contain newlines; their continuation lines carry no id.
        if not _ANN_LINE.match(line):
            continue
        if line.startswith("T"):
            tid, body, *_ = line.split("\t")
            _span_type, offsets = body.split(" ", 1)
            spans[tid] = _parse_fragments(offsets)
        elif line.startswith("E"):
            _eid, body = line.split("\t")[:2]
            roles = dict(arg.split(":", 1) for arg in body.split())
            relations.append(roles)
    attributions = []
    for roles in relations:
        attributions.append(
            Attribution(
                source=spans.get(roles.get("Source", ""), []),
                cue=spans.get(roles.get("Cue", ""), []),
                content=spans.get(roles.get("Content", ""), []),
            )
        )
    attributions.sort(key=lambda a: (a.cue or a.content or [(0, 0)])[0])
    return attributions


def _annotators_by_article(root: Path) -> dict[str, list[str]]:
    meta = root / "metadata.tsv"
    if not meta.is_file():
        raise PolnearError(f"{root}: no metadata.tsv; is this a PolNeAR directory?")
    with meta.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["filename"]: row["annotators"].split("|") for row in rows}


def read_split(root: str | Path, split: str = "dev") -> Iterator[Article]:
    """Gold articles of one split, in file-name order."""
    root = Path(root)
    text_dir = root / split / "text"
    ann_dir = root / split / "attributions"
    if not text_dir.is_dir():
        raise PolnearError(f"{text_dir}: missing; is '{split}' a split of {root}?")
    annotators = _annotators_by_article(root)
    for text_path in sorted(text_dir.glob("*.txt")):
        name = text_path.stem
        ann_path = next(
            (
                ann_dir / f"{name}_{who}.ann"
                for who in annotators.get(name, [])
                if (ann_dir / f"{name}_{who}.ann").is_file()
            ),
            None,
        )
        if ann_path is None:
            candidates = sorted(ann_dir.glob(f"{name}_*.ann"))
            if not candidates:
                continue
            ann_path = candidates[0]
        text = text_path.read_text(encoding="utf-8")
        attributions = parse_ann(ann_path.read_text(encoding="utf-8"))
        yield Article(id=name, text=text, attributions=attributions)
