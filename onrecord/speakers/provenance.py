"""Provenance: the intermediaries an article cites for someone's words (``via``).

Two ways words come second-hand: an attribution nested inside another's content ("The
BBC reported that Zelensky said ...": via the BBC), and an intermediary named around the
cue ("According to the BBC, he said", "told the Financial Times", "in an interview with
CNN", "reported by TASS", "Speaking to Sky News"). Chains list the outermost first.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from onrecord.document import Attribution
from onrecord.speakers import gazetteer
from onrecord.speakers.entities import ArticleEntities

TELLING = {
    "tell",
    "say",
    "speak",
    "talk",
    "confirm",
    "write",
    "explain",
    "add",
    "claim",
    "announce",
    "insist",
    "reveal",
    "admit",
    "warn",
    "suggest",
    "state",
}
PASSING = {"report", "quote", "cite", "publish", "air", "broadcast", "carry", "obtain"}
CHANNEL_NOUNS = {
    "interview",
    "statement",
    "comment",
    "remark",
    "conversation",
    "email",
    "letter",
    "appearance",
    "call",
    "message",
    "post",
    "podcast",
    "broadcast",
}
NAMED_ENTITIES = {"ORG", "PERSON", "GPE", "NORP", "WORK_OF_ART", "FAC"}
# "on Tuesday", "in a statement on 3 March": when, not through whom.
CALENDAR_WORDS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "yesterday",
    "tonight",
}


def find_via(doc: Doc, attributions: list[Attribution], entities: ArticleEntities) -> None:
    """Fill ``via`` on every attribution, in place."""
    chains: dict[int, list[str]] = {}
    by_depth = sorted(attributions, key=lambda a: -_content_length(a))
    for attribution in by_depth:
        outer = _enclosing(attribution, attributions)
        chain = list(chains.get(id(outer), [])) if outer else []
        if outer is not None and outer.speaker and outer.speaker != attribution.speaker:
            chain.append(outer.speaker)
        for name in _named_intermediaries(doc, attribution, entities):
            if name not in chain and name != attribution.speaker:
                chain.append(name)
        chains[id(attribution)] = chain
        attribution.via = chain


def _content_length(attribution: Attribution) -> int:
    return sum(e - s for s, e in attribution.content)


def _enclosing(inner: Attribution, attributions: list[Attribution]) -> Attribution | None:
    """The innermost other attribution whose content holds ``inner``'s cue."""
    cue_start = inner.cue[0][0] if inner.cue else None
    if cue_start is None:
        return None
    holders = [
        a for a in attributions if a is not inner and any(s <= cue_start < e for s, e in a.content)
    ]
    return min(holders, key=_content_length, default=None)


def _named_intermediaries(
    doc: Doc, attribution: Attribution, entities: ArticleEntities
) -> list[str]:
    cue = _span(doc, attribution.cue)
    if cue is None:
        return []
    content_chars = attribution.content
    own = _span(doc, attribution.source)
    found: list[tuple[int, str]] = []
    for phrase in _intermediary_phrases(cue):
        if any(s <= phrase.start_char < e for s, e in content_chars):
            continue
        if own is not None and phrase.start < own.end and own.start < phrase.end:
            continue  # "according to the BBC" as the source itself is not a relay
        name = _name(phrase, entities)
        if name:
            found.append((phrase.start, name))
    return [name for _, name in sorted(found)]


def _intermediary_phrases(cue: Span) -> list[Span]:
    """Noun phrases that pass the words on, found around the cue's sentence."""
    sentence = cue.sent
    head = cue.root
    phrases: list[Span] = []
    for tok in sentence:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            phrases.extend(_objects(tok.nbor()))
        elif tok.lemma_ in PASSING and tok.i not in range(cue.start, cue.end):
            phrases.extend(_objects_of_agent(tok))
    for verb in {head, *(c for c in head.children if c.pos_ == "VERB" and c.dep_ == "advcl")}:
        if verb.lemma_ == "tell" or verb.lemma_ in {"speak", "talk"} and verb is not head:
            phrases.extend(_phrase(c) for c in verb.children if c.dep_ in {"dobj", "dative"})
        if verb.lemma_ in TELLING | PASSING:
            phrases.extend(_prepositional_relays(verb))
            phrases.extend(_objects_of_agent(verb))
    return phrases


def _prepositional_relays(verb: Token) -> list[Span]:
    """ "to Reuters", "on CNN", "with the BBC", "in an interview with CNN"."""
    found = []
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            if prep.lower_ in {"to", "with", "on"}:
                found.append(_phrase(obj))
            elif prep.lower_ in {"in", "during", "via", "through"} and obj.lemma_ in CHANNEL_NOUNS:
                for inner in (
                    c
                    for c in obj.children
                    if c.dep_ == "prep" and c.lower_ in {"with", "to", "on", "for"}
                ):
                    found.extend(_phrase(o) for o in inner.children if o.dep_ == "pobj")
            elif prep.lower_ in {"via", "through"}:
                found.append(_phrase(obj))
    return found


def _objects_of_agent(verb: Token) -> list[Span]:
    """ "reported by TASS", "as quoted by the BBC"."""
    return [
        _phrase(o)
        for agent in verb.children
        if agent.dep_ == "agent"
        for o in agent.children
        if o.dep_ == "pobj"
    ]


def _objects(prep: Token) -> list[Span]:
    return [_phrase(o) for o in prep.children if o.dep_ == "pobj"]


def _phrase(tok: Token) -> Span:
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]


def _name(phrase: Span, entities: ArticleEntities) -> str | None:
    """The canonical name of a relaying party; None for unnamed ones ("reporters") and
    for dates ("on Monday")."""
    root = phrase.root
    if root.ent_type_ in {"DATE", "TIME"} or root.lower_ in CALENDAR_WORDS:
        return None
    for ent in phrase.ents:
        if ent.label_ in {"ORG", "PERSON", "GPE", "NORP"}:
            known = entities.by_name(ent.text) or gazetteer.lookup(ent.text)
            return known.name if known else _strip_the(ent.text)
    head = phrase.root
    if head.pos_ == "PROPN":
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        name = _phrase(owner).text if owner is not None else _strip_the(phrase.text)
        known = entities.by_name(name) or gazetteer.lookup(name)
        return known.name if known else name.removesuffix("’s").removesuffix("'s")
    known = gazetteer.lookup(phrase.text)
    return known.name if known else None


def _strip_the(text: str) -> str:
    text = " ".join(text.split())
    return text[4:] if text.lower().startswith("the ") else text


def _span(doc: Doc, fragments: list) -> Span | None:
    if not fragments:
        return None
    start, end = fragments[0]
    return doc.char_span(start, end, alignment_mode="expand")
