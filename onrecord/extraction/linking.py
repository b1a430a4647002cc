"""Group tagged spans into attributions: each cue gathers its source and content.

A content or source joins the cue it hangs from in the dependency tree; failing that,
the nearest cue in its sentence. A quoted paragraph with no cue of its own continues the
previous paragraph's quotation (UK papers reopen the quote mark on each paragraph).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from onrecord.document import Attribution, Fragment, Kind
from onrecord.extraction.features import CLOSE_QUOTES, OPEN_QUOTES, STRAIGHT_QUOTES
from onrecord.extraction.roles import cue_head
from onrecord.extraction.spans import TypedSpan
from onrecord.extraction.views import paragraph_index, sentence_index

QUOTES = OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES
MAX_HOPS = 8


@dataclass
class _Group:
    cue: TypedSpan
    sources: list[TypedSpan] = field(default_factory=list)
    contents: list[TypedSpan] = field(default_factory=list)


def link(doc: Doc, spans: list[TypedSpan]) -> list[Attribution]:
    cues = [s for s in spans if s.type == "cue"]
    if not cues:
        return []
    groups = [_Group(cue) for cue in cues]
    token_cue = {i: g for g in groups for i in range(g.cue.start_token, g.cue.end_token)}
    sent_of = sentence_index(doc)
    para_of = paragraph_index(doc)
    last_group: _Group | None = None
    for span in sorted((s for s in spans if s.type != "cue"), key=lambda s: s.start_token):
        group = _syntactic_cue(doc, span, token_cue)
        if group is None and span.type == "content":
            group = _continued_quote(doc, span, last_group, para_of, sent_of, groups)
        group = group or _nearest_cue(span, groups, sent_of)
        if group is None:
            continue
        (group.sources if span.type == "source" else group.contents).append(span)
        if span.type == "content":
            last_group = group
    _share_sources(groups, sent_of)
    taken = {i for s in spans for i in range(s.start_token, s.end_token)}
    text = doc.text  # built from the tokens on each read: read once, not per cue
    for group in groups:
        if not group.sources:
            group.sources.extend(_grammatical_subject(doc, group))
        if not group.contents and _is_according_to(text, group.cue):
            group.contents.extend(_rest_of_sentence(doc, group, sent_of, taken))
    return [_attribution(text, g) for g in groups if g.contents]


def _is_according_to(text: str, cue: TypedSpan) -> bool:
    return text[cue.start_char : cue.end_char].lower().startswith("according to")


def _rest_of_sentence(
    doc: Doc, group: _Group, sent_of: list[int], taken: set[int]
) -> list[TypedSpan]:
    """An "according to" cue whose content the tagger missed ("According to two traders,
    insurers raised premiums"; "..., according to the FAO"): the longest run of its
    sentence's words outside every tagged span, trimmed of edge punctuation."""
    sentence = sent_of[group.cue.start_token]
    runs: list[list[int]] = [[]]
    # Sentence numbers never decrease along the doc: the sentence's tokens, not the doc's.
    first, end = bisect_left(sent_of, sentence), bisect_right(sent_of, sentence)
    for tok in doc[first:end]:
        if tok.i in taken or tok.is_space:
            runs.append([])
        else:
            runs[-1].append(tok.i)
    best = max(runs, key=len)
    if best and best[0] > group.cue.start_token and not doc[best[0]].is_punct:
        # The source was tagged short ("two traders in | Odesa, insurers ..."): the
        # content starts after the comma that closes the "according to" phrase.
        commas = [k for k, i in enumerate(best) if doc[i].text == ","]
        best = best[commas[0] + 1 :] if commas else best
    while best and doc[best[0]].is_punct:
        best = best[1:]
    while best and doc[best[-1]].is_punct:
        best = best[:-1]
    if len(best) < 3:
        return []
    first, last = doc[best[0]], doc[best[-1]]
    return [
        TypedSpan(
            "content", first.i, last.i + 1, first.idx, last.idx + len(last.text), group.cue.score
        )
    ]


def _grammatical_subject(doc: Doc, group: _Group) -> list[TypedSpan]:
    """The cue verb's subject, when the tagger found no source ("Kirby later added ...")."""
    head = cue_head(doc, group.cue.start_token, group.cue.end_token)
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return []
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    taken = [group.cue, *group.contents]
    if start >= end or any(s.start_token < end and start < s.end_token for s in taken):
        return []
    return [_typed(doc, "source", start, end)]


def agentless_passives(doc: Doc, is_cue_word: Callable[[str], bool]) -> list[TypedSpan]:
    """Cue and content of "It is believed (that) ...": a passive report with no agent.

    The source is empty by construction. Which verbs report is the learned cue lexicon's
    call (``is_cue_word``), not a list here.
    """
    found: list[TypedSpan] = []
    for tok in doc:
        if tok.tag_ != "VBN" or not is_cue_word(tok.lemma_.lower()):
            continue
        deps = {c.dep_: c for c in tok.children}
        subject = deps.get("nsubjpass") or deps.get("expl")
        clause = deps.get("ccomp")
        if subject is None or subject.lower_ != "it" or "auxpass" not in deps or clause is None:
            continue
        if any(c.dep_ == "agent" for c in tok.children):
            continue
        start = min(subject.i, deps["auxpass"].i)
        found.append(_typed(doc, "cue", start, tok.i + 1))
        found.append(_typed(doc, "content", clause.left_edge.i, _clause_end(doc, clause)))
    return found


def _clause_end(doc: Doc, clause: Token) -> int:
    end = clause.right_edge.i + 1
    while end > clause.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end


def _typed(doc: Doc, span_type: str, start: int, end: int) -> TypedSpan:
    last = doc[end - 1]
    return TypedSpan(span_type, start, end, doc[start].idx, last.idx + len(last.text))


def _share_sources(groups: list[_Group], sent_of: list[int]) -> None:
    """A cue with no source of its own takes the nearest source in its sentence.

    Coordinated cues ("Trump complained ... even suggesting ...") share one subject.
    """
    sources = [s for g in groups for s in g.sources]
    for group in groups:
        if group.sources:
            continue
        sentence = sent_of[group.cue.start_token]
        near = [s for s in sources if sent_of[s.start_token] == sentence]
        if near:
            group.sources.append(min(near, key=lambda s: _token_distance(s, group.cue)))


def _syntactic_cue(doc: Doc, span: TypedSpan, token_cue: dict[int, _Group]) -> _Group | None:
    """The cue that the span's head words hang from, if any within a few hops."""
    inside = range(span.start_token, span.end_token)
    for tok in doc[span.start_token : span.end_token]:
        if tok.head.i in inside and tok.head is not tok:
            continue  # not a head of the span
        node, hops = tok, 0
        while hops < MAX_HOPS:
            if node.i in token_cue:
                return token_cue[node.i]
            if node.head is node:
                break
            node, hops = node.head, hops + 1
    return None


def _nearest_cue(span: TypedSpan, groups: list[_Group], sent_of: list[int]) -> _Group | None:
    sentence = {sent_of[span.start_token], sent_of[span.end_token - 1]}
    candidates = [
        g
        for g in groups
        if sent_of[g.cue.start_token] in sentence or sent_of[g.cue.end_token - 1] in sentence
    ]
    if not candidates:
        return None
    if span.type == "source":
        # Prefer a cue that still lacks a source.
        free = [g for g in candidates if not g.sources]
        candidates = free or candidates
    return min(candidates, key=lambda g: _token_distance(span, g.cue))


def _token_distance(a: TypedSpan, b: TypedSpan) -> int:
    if a.end_token <= b.start_token:
        return b.start_token - a.end_token
    if b.end_token <= a.start_token:
        return a.start_token - b.end_token
    return 0


def _continued_quote(
    doc: Doc,
    span: TypedSpan,
    previous: _Group | None,
    para_of: list[int],
    sent_of: list[int],
    groups: list[_Group],
) -> _Group | None:
    """The group whose quotation this cue-less quoted sentence carries on."""
    if previous is None or doc[span.start_token].text not in QUOTES:
        return None
    sentence = sent_of[span.start_token]
    if any(sent_of[g.cue.start_token] == sentence for g in groups):
        return None
    last = previous.contents[-1]
    # The same or the directly following paragraph continues a quotation.
    if para_of[span.start_token] - para_of[last.end_token - 1] in (0, 1):
        return previous
    return None


def _attribution(text: str, group: _Group) -> Attribution:
    contents = sorted(group.contents, key=lambda s: s.start_token)
    source = min(group.sources, key=lambda s: _token_distance(s, group.cue), default=None)
    parts = [group.cue, *contents] + ([source] if source else [])
    return Attribution(
        source=[source.fragment] if source else [],
        cue=[group.cue.fragment],
        content=[s.fragment for s in contents],
        kind=quote_kind_of_fragments(text, [s.fragment for s in contents]),
        score=round(sum(p.score for p in parts) / len(parts), 4),
    )


def quote_kind_of_fragments(text: str, fragments: list[Fragment]) -> Kind:
    """direct when every content fragment is a quotation, mixed when some words are."""
    quoted = sum(_is_quotation(text[start:end]) for start, end in fragments)
    if fragments and quoted == len(fragments):
        return "direct"
    if quoted or any(_has_quote_marks(text[start:end]) for start, end in fragments):
        return "mixed"
    return "indirect"


def _is_quotation(words: str) -> bool:
    """Opens with a quote mark and closes only at its end, if at all.

    A quotation reopened on the next paragraph (UK style) is left open on this one.
    """
    words = words.strip()
    if len(words) < 2 or words[0] not in OPEN_QUOTES | STRAIGHT_QUOTES:
        return False
    closing = [
        i
        for i, ch in enumerate(words[1:], 1)
        if (ch in CLOSE_QUOTES or ch == '"') and not _is_apostrophe(words, i)
    ]
    return not closing or closing[0] >= len(words) - 3


def _is_apostrophe(words: str, i: int) -> bool:
    """’ in "don’t" or "Clinton’s", not a closing quote."""
    return 0 < i < len(words) - 1 and words[i - 1].isalpha() and words[i + 1].isalpha()


def _has_quote_marks(words: str) -> bool:
    return any(ch in OPEN_QUOTES or ch == '"' for ch in words)
