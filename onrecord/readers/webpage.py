"""The article body of an HTML page, as paragraphs separated by blank lines."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import trafilatura
from lxml.etree import _Element

# trafilatura refuses larger pages (its MAX_FILE_SIZE); reading more would be waste.
MAX_HTML_BYTES = 20_000_000

_PARAGRAPH = "\x00"  # marks a block boundary while flattening; never in extracted text
# Elements of trafilatura's output tree that flow inside a paragraph; all others are blocks.
_INLINE_TAGS = frozenset({"hi", "ref", "del", "lb", "span", "graphic"})
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def decode_html(data: bytes) -> tuple[str, bool]:
    """The page as text, and whether it had to be decoded as UTF-8 with replacements.

    A charset the page declares in a ``<meta>`` tag is honoured; otherwise UTF-8.
    """
    encoding = _declared_encoding(data[:4096]) or "utf-8"
    if encoding != "utf-8":
        return data.decode(encoding, errors="replace"), False
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", errors="replace"), True


def _declared_encoding(head: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(head)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def extract_page(html: str) -> tuple[str | None, dict[str, str]]:
    """Main text of the page (paragraphs joined by a blank line; None if there is none) and
    what the page says about itself: ``url`` (canonical), ``outlet`` (site name or host)
    and ``published`` (ISO date), each only where trafilatura finds it."""
    with quiet_loggers(*_CHATTY_LOGGERS):
        document = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            favor_recall=True,
            with_metadata=True,
        )
    body = getattr(document, "body", None)
    if body is None:
        return None, {}
    pieces: list[str] = []
    _flatten(body, pieces)
    paragraphs = (_tidy(block) for block in "".join(pieces).split(_PARAGRAPH))
    text = "\n\n".join(p for p in paragraphs if p)
    return text or None, _page_metadata(document)


# Their messages about a page ("discarding data", "empty HTML tree") would be lines of
# their own beside the one line the readers give each problem.
_CHATTY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


@contextmanager
def quiet_loggers(*names: str) -> Iterator[None]:
    """Nothing from these loggers (and those below them) while the block runs."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _page_metadata(document) -> dict[str, str]:
    meta = {}
    url = getattr(document, "url", None)
    outlet = getattr(document, "sitename", None) or getattr(document, "hostname", None)
    published = getattr(document, "date", None)
    if isinstance(url, str) and url.startswith(("http://", "https://")) and len(url) < 2000:
        meta["url"] = url
    if isinstance(outlet, str) and 0 < len(outlet) <= 300:
        meta["outlet"] = outlet.removeprefix("www.")
    if isinstance(published, str) and _ISO_DATE.fullmatch(published[:10]):
        meta["published"] = published[:10]
    return meta


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _flatten(element: _Element, out: list[str]) -> None:
    """Append the element's text, marking block edges; ``<lb/>`` stays a line break."""
    block = element.tag not in _INLINE_TAGS
    if block:
        out.append(_PARAGRAPH)
    if element.tag == "lb":
        out.append("\n")
    if element.text:
        out.append(element.text)
    for child in element:
        _flatten(child, out)
    if block:
        out.append(_PARAGRAPH)
    if element.tail:
        out.append(element.tail)


def _tidy(block: str) -> str:
    lines = (" ".join(line.split()) for line in block.replace(_PARAGRAPH, "").split("\n"))
    return "\n".join(line for line in lines if line)


_HTML_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "pre",
    }
)


def fragment_text(html: str) -> str:
    """Text of a small HTML fragment (a feed entry), a blank line between blocks.

    Too short for trafilatura's main-text heuristics, so every block is kept. Scripts and
    styles are dropped; markup never survives into the text.
    """
    if not html.strip():
        return ""
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return " ".join(html.split())
    for junk in root.xpath("//script|//style"):
        junk.drop_tree()
    pieces: list[str] = []
    for element in root.iter():
        if element.tag in _HTML_BLOCKS or element.tag == "br":
            pieces.append(_PARAGRAPH)
        if element.text and element.tag not in ("script", "style"):
            pieces.append(element.text)
        if element.tail:
            pieces.append(element.tail)
    paragraphs = (_tidy(block) for block in "".join(pieces).split(_PARAGRAPH))
    return "\n\n".join(p for p in paragraphs if p)
