"""Confidence language: estimative terms and hedges in a claim's cue and content.

Two published yardsticks give estimative words a probability range: the UK's PHIA
(Professional Head of Intelligence Analysis) probability yardstick and the US ICD 203
(Intelligence Community Directive 203) expressions of likelihood. A term that only one
yardstick defines ("highly likely": PHIA; "very likely": ICD 203) takes that one; a term
both define ("likely", "almost certain") takes the speaker's: ICD 203 for US bodies,
PHIA otherwise. A negated term ("not likely") and a hedge ("may", "reportedly") carry
no number: ``hedged`` is true.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from onrecord.document import Attribution, Confidence, Fragment
from onrecord.speakers.gazetteer import lookup

Range = tuple[float, float]

PHIA: dict[str, Range] = {
    "remote chance": (0.0, 0.05),
    "highly unlikely": (0.10, 0.20),
    "unlikely": (0.25, 0.35),
    "realistic possibility": (0.40, 0.50),
    "likely": (0.55, 0.75),
    "probably": (0.55, 0.75),
    "probable": (0.55, 0.75),
    "highly likely": (0.80, 0.90),
    "almost certain": (0.95, 1.0),
    "almost certainly": (0.95, 1.0),
}
ICD_203: dict[str, Range] = {
    "almost no chance": (0.01, 0.05),
    "remote": (0.01, 0.05),
    "very unlikely": (0.05, 0.20),
    "highly improbable": (0.05, 0.20),
    "unlikely": (0.20, 0.45),
    "improbable": (0.20, 0.45),
    "roughly even chance": (0.45, 0.55),
    "roughly even odds": (0.45, 0.55),
    "likely": (0.55, 0.80),
    "probable": (0.55, 0.80),
    "probably": (0.55, 0.80),
    "very likely": (0.80, 0.95),
    "highly probable": (0.80, 0.95),
    "almost certain": (0.95, 0.99),
    "almost certainly": (0.95, 0.99),
    "nearly certain": (0.95, 0.99),
    "nearly certainly": (0.95, 0.99),
}
YARDSTICKS = {"PHIA": PHIA, "ICD 203": ICD_203}
# Words that hedge a claim without putting a number on it.
HEDGES = (
    "may",
    "might",
    "could",
    "appear to",
    "appears to",
    "appeared to",
    "seem to",
    "seems to",
    "seemed to",
    "reportedly",
    "allegedly",
    "apparently",
    "possibly",
    "perhaps",
    "purportedly",
    "supposedly",
    "is believed to",
    "are believed to",
    "is thought to",
    "are thought to",
    "is said to",
    "are said to",
    "is understood to",
)
NEGATIONS = {"not", "n't", "never", "no", "hardly"}
US_MARKERS = {
    "us",
    "u s",
    "united states",
    "american",
    "pentagon",
    "white house",
    "cia",
    "fbi",
    "nsa",
    "odni",
    "state department",
    "washington",
}
MAX_TERM_WORDS = 3


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    hedge: bool


def _terms() -> list[_Term]:
    terms = {tuple(t.split()): False for table in YARDSTICKS.values() for t in table}
    terms.update({tuple(h.split()): True for h in HEDGES})
    return sorted((_Term(w, h) for w, h in terms.items()), key=lambda t: -len(t.words))


TERMS = _terms()


def find_confidence(doc: Doc, attribution: Attribution) -> list[Confidence]:
    """Estimative expressions in the cue and content, in text order, never overlapping."""
    yardstick = yardstick_for(attribution)
    found: list[Confidence] = []
    for start, end in sorted(attribution.cue + attribution.content):
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is not None:
            found.extend(_in_tokens(list(span), yardstick))
    return found


def yardstick_for(attribution: Attribution) -> str:
    """ICD 203 for a US speaker, PHIA otherwise (the issue's and the UK's default)."""
    for name in (attribution.speaker, attribution.speaker_org, attribution.speaker_role):
        if not name:
            continue
        known = lookup(name)
        if known is not None and known.country == "US":
            return "ICD 203"
        folded = " " + name.lower().replace(".", " ") + " "
        if any(f" {marker} " in folded for marker in US_MARKERS):
            return "ICD 203"
    return "PHIA"


def _in_tokens(tokens: list[Token], yardstick: str) -> list[Confidence]:
    found: list[Confidence] = []
    i = 0
    while i < len(tokens):
        term = _term_at(tokens, i)
        if term is None:
            i += 1
            continue
        words = tokens[i : i + len(term.words)]
        found.append(_confidence(term, words, yardstick))
        i += len(term.words)
    return found


def _term_at(tokens: list[Token], i: int) -> _Term | None:
    lowered = [t.lower_ for t in tokens[i : i + MAX_TERM_WORDS]]
    for term in TERMS:
        if tuple(lowered[: len(term.words)]) == term.words:
            if term.hedge and term.words[0] in {"may", "might", "could"} and tokens[i].tag_ != "MD":
                continue  # "May" the month is no hedge
            return term
    return None


def _confidence(term: _Term, words: list[Token], yardstick: str) -> Confidence:
    text = " ".join(term.words)
    span: Fragment = (words[0].idx, words[-1].idx + len(words[-1].text))
    if term.hedge:
        return Confidence(text, span, hedged=True)
    if _negated(words):
        return Confidence(text, span, hedged=True, negated=True)
    chosen = (
        yardstick
        if text in YARDSTICKS[yardstick]
        else next(name for name, table in YARDSTICKS.items() if text in table)
    )
    low, high = YARDSTICKS[chosen][text]
    return Confidence(text, span, low=low, high=high, yardstick=chosen)


def _negated(words: list[Token]) -> bool:
    """ "not likely", "is not almost certain", "isn't likely"; negation of the verb the
    term describes does not count ("will likely not continue" is still likely)."""
    first = words[0]
    doc = first.doc
    before = [doc[j] for j in range(max(0, first.i - 2), first.i)]
    if any(t.lower_ in NEGATIONS for t in before):
        return True
    head = words[-1]
    return any(c.dep_ == "neg" and c.i < first.i for c in head.children)
