"""Reader for the styles set: short articles written for the project, annotated inline.

One file per article, ``DIR/*.txt``: a header of ``key: value`` lines, a line ``---``, and
the body with spans marked inline (``benchmarks/data/styles/GUIDE.md`` is the guide)::

    id: wire-03
    style: wire
    1: Ivan Petrov
    2: -
    ---
    {s1: Ivan Petrov} {c1: said} {t1: talks had stalled}.

``{sN: …}`` is attribution N's source, ``{cN: …}`` its cue, ``{tN: …}`` its content.
A label used twice adds a fragment (a quote split around its cue). Marks nest: an
attribution whose cue lies inside another's content is nested in it (its ``parent``).
Header lines ``N: Name`` give each attribution's canonical speaker (``-``: none).

Articles are split 50/50 within each style: sorted by id, the 1st, 3rd, ... go to
``train`` and the 2nd, 4th, ... to ``eval``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.document import Article, Attribution, Fragment

_MARK = re.compile(r"\{([sct])(\d+):\s?")
ROLE_NAMES = {"s": "source", "c": "cue", "t": "content"}
SPLITS = ("train", "eval", "all")


class StylesError(ValueError):
    """A styles-set file that does not follow the guide."""


@dataclass
class StyledArticle:
    article: Article
    style: str
    speakers: dict[int, str | None] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)


def parse_markup(body: str, where: str = "text") -> tuple[str, dict[int, dict[str, list]]]:
    """Plain text and, per attribution number, its fragments by role."""
    out: list[str] = []
    length = 0
    stack: list[tuple[str, int, int]] = []  # (role, number, start offset)
    spans: dict[int, dict[str, list[Fragment]]] = {}
    i = 0
    while i < len(body):
        match = _MARK.match(body, i)
        if match:
            stack.append((match.group(1), int(match.group(2)), length))
            i = match.end()
            continue
        char = body[i]
        if char == "}":
            if not stack:
                raise StylesError(f"{where}: '}}' without an open mark at character {i}")
            role, number, start = stack.pop()
            start, end = _trim("".join(out), start, length)
            spans.setdefault(number, {}).setdefault(ROLE_NAMES[role], []).append((start, end))
        elif char == "{":
            raise StylesError(f"{where}: '{{' that opens no mark at character {i}")
        else:
            out.append(char)
            length += 1
        i += 1
    if stack:
        role, number, _ = stack[-1]
        raise StylesError(f"{where}: mark {{{role}{number}: is never closed")
    return "".join(out), spans


def _trim(text: str, start: int, end: int) -> Fragment:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def parse_article(raw: str, where: str) -> StyledArticle:
    head, sep, body = raw.partition("\n---\n")
    if not sep:
        raise StylesError(f"{where}: no '---' line between header and body")
    header: dict[str, str] = {}
    for line in head.splitlines():
        if line.strip():
            key, colon, value = line.partition(":")
            if not colon:
                raise StylesError(f"{where}: header line {line!r} is not 'key: value'")
            header[key.strip()] = value.strip()
    for key in ("id", "style"):
        if not header.get(key):
            raise StylesError(f"{where}: header has no {key!r}")
    text, spans = parse_markup(body.strip("\n") + "\n", where)
    speakers = {int(k): (v if v != "-" else None) for k, v in header.items() if k.isdigit()}
    attributions: list[Attribution] = []
    numbers = sorted(spans)
    for number in numbers:
        roles = spans[number]
        if "cue" not in roles:
            raise StylesError(f"{where}: attribution {number} has no cue")
        if number not in speakers:
            raise StylesError(f"{where}: attribution {number} has no speaker line '{number}: …'")
        attributions.append(
            Attribution(
                source=sorted(roles.get("source", [])),
                cue=sorted(roles["cue"]),
                content=sorted(roles.get("content", [])),
                speaker=speakers[number],
            )
        )
    parents = _parents(numbers, attributions)
    for number, attribution in zip(numbers, attributions, strict=True):
        parent = parents[number]
        attribution.parent = numbers.index(parent) if parent is not None else None
    article = Article(id=header["id"], text=text, attributions=attributions)
    return StyledArticle(article, header["style"], speakers, parents)


def _parents(numbers: list[int], attributions: list[Attribution]) -> dict[int, int | None]:
    """Each attribution's innermost enclosing one: the shortest content holding its cue."""
    parents: dict[int, int | None] = {}
    for number, attribution in zip(numbers, attributions, strict=True):
        cue_start, cue_end = attribution.cue[0]
        holders = [
            (sum(e - s for s, e in other.content), other_number)
            for other_number, other in zip(numbers, attributions, strict=True)
            if other_number != number
            and any(s <= cue_start and cue_end <= e for s, e in other.content)
        ]
        parents[number] = min(holders)[1] if holders else None
    return parents


def read_styles(root: str | Path, split: str = "all") -> Iterator[StyledArticle]:
    """Articles of the styles set in ``split`` (train, eval or all), by style then id."""
    if split not in SPLITS:
        raise StylesError(f"split must be one of {SPLITS}, not {split!r}")
    root = Path(root)
    paths = sorted(root.glob("*.txt"))
    if not paths:
        raise StylesError(f"{root}: no styles-set articles (*.txt)")
    articles = [parse_article(p.read_text(encoding="utf-8"), str(p)) for p in paths]
    by_style: dict[str, list[StyledArticle]] = {}
    for styled in articles:
        by_style.setdefault(styled.style, []).append(styled)
    for style in sorted(by_style):
        ranked = sorted(by_style[style], key=lambda s: s.article.id)
        for k, styled in enumerate(ranked):
            if split == "all" or (split == "train") == (k % 2 == 0):
                yield styled


def render(styled: StyledArticle) -> str:
    """A readable listing of an article's attributions, to check the marks by eye."""
    text = styled.article.text
    lines = [f"== {styled.article.id} ({styled.style})"]
    for k, a in enumerate(styled.article.attributions):
        parts = [" … ".join(text[s:e] for s, e in getattr(a, r)) for r in ROLE_NAMES.values()]
        nested = f" (inside #{a.parent})" if a.parent is not None else ""
        lines.append(
            f"#{k}{nested} speaker={a.speaker!r}\n   source: {parts[0]!r}\n"
            f"   cue: {parts[1]!r}\n   content: {parts[2]!r}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m onrecord.corpora.styles FILE_OR_DIR...``: check files, print what they mark."""
    args = argv if argv is not None else sys.argv[1:]
    status = 0
    for name in args:
        path = Path(name)
        for file in sorted(path.glob("*.txt")) if path.is_dir() else [path]:
            try:
                print(render(parse_article(file.read_text(encoding="utf-8"), str(file))))
            except (StylesError, OSError, ValueError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
