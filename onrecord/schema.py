"""What leaves onrecord, typed once: the records that the store's reads return, the API
answers (its OpenAPI schema is made from these) and the CLI writes as JSON Lines, CSV or
a table.

    Attribution    one attributed statement of an article, as `onrecord extract` writes it
    Article        an article with its attributions and boilerplate
    Statement      one statement of a claim where it appeared (`search`, `speaker` rows)
    Claim          one speaker saying one thing: its statements and independent sources
    Speaker        a stored speaker with its name variants
    CopyRelation   the earlier article a stored one copies, aligned word by word
    Fidelity       how an attribution's quoted words relate to other renderings of them
    Quote          a stored quotation with its fidelity (`quotes`, `quote`)

Field order is the order of the JSON keys; ``record.model_dump(mode="json")`` is the
JSON object that the CLI prints and the API sends. Offsets are character offsets into
the article's text, half-open: ``[start, end]``.

``Article`` and ``Attribution`` are the JSON view of ``onrecord.document``'s records
(the pipeline's working objects): ``Article.from_document`` and ``to_document`` convert.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from onrecord import document
from onrecord.document import Kind, SpeakerType
from onrecord.settings import LOW_SPEAKER_SCORE

Fragment = tuple[int, int]
CopyKind = Literal["exact", "near", "spun", "partial"]
Relation = Literal["verbatim", "trimmed", "spliced", "altered", "paraphrased"]

__all__ = [
    "Alignment",
    "Article",
    "ArticleQuotes",
    "Attribution",
    "Claim",
    "ClaimStatement",
    "Confidence",
    "CopyRelation",
    "Fidelity",
    "FirstOnRecord",
    "MonthCount",
    "NoCopy",
    "Quote",
    "QuotePage",
    "QuoteRendering",
    "QuoteWithRenderings",
    "Speaker",
    "SpeakerClaims",
    "Statement",
]


class Record(BaseModel):
    """A record that leaves the system: read-only, and no field it does not declare."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _fragments(what: str) -> Any:
    return Field(description=f"{what}: character offsets [start, end) into the article's text")


def _speaker_score() -> Any:
    return Field(
        description="calibrated probability, 0 to 1, that `speaker` is right; below "
        f"{LOW_SPEAKER_SCORE} the speaker is marked uncertain, to be checked against the "
        "text; null where no speaker resolver ran"
    )


# -- quote fidelity (the attribution's `fidelity`) -------------------------------------

QUOTE_KEY = "a rendering: ARTICLE_ID#ORDINAL (the attribution's place in the article)"
CHANGES = (
    "[reference's words, this rendering's words] for each change of an altered quote; an "
    "empty side is an insertion or a deletion"
)
RELATION = (
    "how the quoted words relate to the other renderings of the passage: verbatim, trimmed "
    "(a part, or an omission marked), spliced (parts joined with no mark), altered (words "
    "changed: `changes`) or paraphrased; null while no other rendering is on record"
)


class FirstOnRecord(Record):
    """The earliest dated rendering of a passage, and whether a given one agrees with it."""

    key: str = Field(description=f"the first {QUOTE_KEY}")
    article: str = Field(description="the id of the article it appeared in")
    outlet: str | None = Field(description="that article's outlet")
    published: str | None = Field(description="that article's date (ISO 8601)")
    matches: bool = Field(description="this rendering has its words (verbatim or trimmed)")


class Fidelity(Record):
    """How an attribution's quoted words relate to the other renderings of the same
    passage by the same speaker, in copies and in independent reports."""

    relation: Relation | None = Field(description=RELATION)
    changes: list[tuple[str, str]] = Field(description=CHANGES)
    reference: str | None = Field(
        description=f"the rendering it is measured against ({QUOTE_KEY}): the one most "
        "others agree with; null while none other is on record"
    )
    first_on_record: FirstOnRecord = Field(description="the earliest rendering of the passage")
    compared: int = Field(description="other renderings of the passage on record")


# -- an article and its attributions (`onrecord extract`, `onrecord article`) ---------


class Confidence(Record):
    """An estimative expression ("almost certain", "may") in a statement's content."""

    term: str = Field(description="the words of the expression, as written")
    low: float | None = Field(description="lowest probability the yardstick gives the term")
    high: float | None = Field(description="highest probability the yardstick gives the term")
    yardstick: str | None = Field(description='"PHIA" or "ICD 203"; null for a hedge')
    hedged: bool = Field(description="a hedge ('may', 'could') that carries no number")
    negated: bool = Field(description="the term is negated ('not likely')")
    span: Fragment = Field(description="the term's offsets [start, end) in the article's text")


class Attribution(Record):
    """One attributed statement: who (source) said (cue) what (content)."""

    source: list[Fragment] = _fragments("the words naming who speaks")
    cue: list[Fragment] = _fragments("the words of saying ('said', 'according to')")
    content: list[Fragment] = _fragments("what was said")
    speaker: str | None = Field(
        description="the speaker's resolved name; null when anonymous or unresolved"
    )
    speaker_type: SpeakerType = Field(description="what kind of speaker this is")
    speaker_role: str | None = Field(description="the speaker's role or title, when given")
    speaker_org: str | None = Field(description="the organisation the speaker speaks for")
    speaker_score: float | None = _speaker_score()
    anonymous: bool = Field(description="the source is deliberately not named")
    anonymity: str | None = Field(description="how an anonymous source is described")
    via: list[str] = Field(description="who passed the statement on (a spokesperson, a paper)")
    confidence: list[Confidence] = Field(description="estimative expressions in the content")
    kind: Kind = Field(description="direct (quoted), indirect (reported) or mixed")
    score: float = Field(description="the model's confidence in the attribution, 0 to 1")
    parent: int | None = Field(
        description="index in the article's attributions of the one whose content holds "
        "this one; null when not nested"
    )
    fidelity: Fidelity | None = Field(
        default=None,
        description="how its quoted words relate to other renderings of them across the "
        "store; null outside a store (`onrecord extract`) and when it quotes no words",
    )


class Article(Record):
    """An article with what was found in it."""

    id: str = Field(description="the article's id (its file name or the input's id field)")
    url: str | None = Field(description="where the article was published, when known")
    outlet: str | None = Field(description="the outlet that published it, when known")
    published: str | None = Field(description="ISO 8601 date of publication, when known")
    text: str = Field(description="the article's text; every offset indexes it")
    attributions: list[Attribution] = Field(description="the attributed statements, in order")
    boilerplate: list[Fragment] = _fragments("page furniture that is not the article's")

    @classmethod
    def from_document(cls, article: document.Article) -> Article:
        return cls.model_validate(article.to_json())

    def to_document(self) -> document.Article:
        """The pipeline's working record of this article."""
        return document.Article.from_json(self.model_dump())


# -- the record: statements, claims, speakers (`onrecord search/speaker/claim`) -------


class Statement(Record):
    """One statement of a claim, where it appeared: a row of `onrecord search` and
    `onrecord speaker`."""

    article: str = Field(description="the id of the article it appeared in")
    version: int = Field(description="the article's version (a changed text is a new one)")
    url: str | None = Field(description="the article's URL")
    outlet: str | None = Field(description="the article's outlet")
    published: date | None = Field(description="the article's date of publication")
    speaker: str | None = Field(description="the speaker's resolved name")
    speaker_type: SpeakerType = Field(description="what kind of speaker this is")
    speaker_role: str | None = Field(description="the speaker's role or title, when given")
    speaker_score: float | None = _speaker_score()
    source: str = Field(description="the words naming who speaks, as written")
    cue: str = Field(description="the words of saying, as written")
    content: str = Field(description="what was said, as written")
    content_spans: list[Fragment] = _fragments("the content")
    via: list[str] = Field(description="who passed the statement on")
    kind: Kind = Field(description="direct (quoted), indirect (reported) or mixed")
    ordinal: int = Field(description="the statement's place among the article's attributions")
    claim: int = Field(description="the key of its claim (`onrecord claim KEY`)")
    occurrences: int = Field(description="statements of the claim stored (shown as 'seen')")
    independent_sources: int = Field(
        description="distinct outlets carrying the claim once copies are followed back to "
        "their origin (shown as 'sources')"
    )


class ClaimStatement(Statement):
    """A statement as a claim lists it: with the outlet it is credited to and its copy."""

    independent_source: str | None = Field(
        description="the outlet the words are credited to once copies are followed back"
    )
    copy_relation: CopyKind | None = Field(
        description="how the article copies an earlier one; null when it copies none"
    )
    copy_of: str | None = Field(description="the id of the article it copies")


class Claim(Record):
    """One speaker saying one thing, however many articles carry it."""

    claim: int = Field(description="the claim's key")
    speaker: str | None = Field(description="who made it (the speaker of its first statement)")
    text: str = Field(description="the content of its first statement")
    first_published: date | None = Field(description="the date it was first published")
    occurrences: int = Field(description="statements of it stored")
    independent_sources: int = Field(description="distinct outlets it comes from")
    sources: list[str] = Field(description="those outlets' names, sorted")
    statements: list[ClaimStatement] = Field(description="every statement of it, oldest first")


class Speaker(Record):
    """A stored speaker and the names it goes by."""

    speaker: str = Field(description="the speaker's name")
    speaker_type: SpeakerType = Field(description="what kind of speaker this is")
    variants: list[str] = Field(description="every name it was written as, sorted")
    count: int = Field(description="statements attributed to it")


class MonthCount(Record):
    """How many of a speaker's claims were first made in a month."""

    month: str = Field(description="YYYY-MM, or 'undated'")
    count: int = Field(description="claims first made that month")


class SpeakerClaims(Record):
    """A speaker's claims over time (`GET /api/speaker`)."""

    speakers: list[Speaker] = Field(description="the speakers whose name matched")
    timeline: list[MonthCount] = Field(description="claims per month, oldest first")
    claims: list[Statement] = Field(description="the claims, each by its first statement")


# -- copies (`onrecord copies`) ------------------------------------------------------


class Alignment(Record):
    """How a copy's words differ from its origin's."""

    matched_words: int = Field(description="words of the copy in runs equal to the origin's")
    substitutions: list[tuple[str, str]] = Field(
        description="[origin's words, copy's words] swapped in place"
    )
    inserted: list[str] = Field(description="passages the copy adds")
    dropped: list[str] = Field(description="passages of the origin the copy leaves out")


class CopyRelation(Record):
    """The earlier article a stored article copies."""

    article: str = Field(description="the id of the copy")
    copy_of: str = Field(description="the id of the earlier article it copies")
    origin_outlet: str | None = Field(description="the earlier article's outlet")
    origin_published: date | None = Field(description="the earlier article's date")
    relation: CopyKind = Field(
        description="exact, near (a few words changed), spun (words swapped for synonyms) "
        "or partial (a passage reused)"
    )
    similarity: float = Field(
        description="share of the shorter text's words aligned (equal or swapped), 0 to 1"
    )
    spin_score: float = Field(description="how much of the aligned text is word swaps, 0 to 1")
    alignment: Alignment = Field(description="the words swapped, inserted and dropped")


class NoCopy(Record):
    """A stored article that copies no earlier one."""

    article: str = Field(description="the id of the article")
    copy_of: None = Field(default=None, description="always null")


# -- quotations (`onrecord quotes`, `onrecord quote`) -------------------------------------


class QuoteRendering(Record):
    """One rendering of a quoted passage: an attribution's quoted words where they appeared."""

    quote: str = Field(description=f"the key of {QUOTE_KEY}")
    article: str = Field(description="the id of the article it appeared in")
    ordinal: int = Field(description="the attribution's place among the article's")
    outlet: str | None = Field(description="the article's outlet")
    published: date | None = Field(description="the article's date of publication")
    speaker: str | None = Field(description="the speaker's resolved name")
    words: list[str] = Field(description="the quoted parts, as written, in order")
    spans: list[Fragment] = _fragments("the quoted parts")
    copy_of: str | None = Field(description="the id of the article its article copies")
    relation: Relation | None = Field(description=RELATION)
    changes: list[tuple[str, str]] = Field(description=CHANGES)


class Quote(QuoteRendering):
    """A rendering with what it is measured by: a row of `onrecord quotes`."""

    reference: str | None = Field(
        description=f"the rendering it is measured against ({QUOTE_KEY}); null while no "
        "other is on record"
    )
    reference_words: list[str] | None = Field(description="that rendering's quoted parts")
    first_on_record: FirstOnRecord | None = Field(
        description="the earliest rendering of the passage; null until related"
    )
    compared: int = Field(description="other renderings of the passage on record")


class QuotePage(Record):
    """One page of quotations, newest first (`GET /api/quotes`)."""

    total: int = Field(description="quotations matching the filters")
    limit: int = Field(description="rows per page")
    offset: int = Field(description="rows skipped")
    quotes: list[Quote] = Field(description="this page's quotations")


class QuoteWithRenderings(Quote):
    """A quotation of an article with every other rendering of its passage."""

    renderings: list[QuoteRendering] = Field(
        description="the other renderings of the passage, earliest first"
    )


class ArticleQuotes(Record):
    """An article's quotations against their renderings (`onrecord quote`)."""

    article: str = Field(description="the id of the article (its latest version)")
    outlet: str | None = Field(description="the article's outlet")
    published: date | None = Field(description="the article's date of publication")
    quotes: list[QuoteWithRenderings] = Field(description="its quotations, in text order")
