"""Speakers: the canonical name behind each attribution's source.

A source is read by its head word. A named person in it is the speaker (with the
words around the name as role); a pronoun takes the most salient earlier entity that
fits its number and gender; a description ("the spokesman", "the ministry", "the
daily") takes the entity last given that role or kind; an unnamed or missing source is
anonymous, with ``anonymity`` naming the pattern ("agentless", "unnamed official").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from onrecord.document import Attribution, Fragment
from onrecord.extraction.views import paragraph_index
from onrecord.speakers import gazetteer
from onrecord.speakers.candidates import Candidate, SourceContext, candidates_for
from onrecord.speakers.entities import (
    FEMALE_WORDS,
    MALE_WORDS,
    ROLE_TITLES,
    ArticleEntities,
    Entity,
    Mention,
    has_role,
)
from onrecord.speakers.names import fold
from onrecord.speakers.ranker import SpeakerRanker
from onrecord.speakers.salience import LONG_WINDOW_SENTENCES, WINDOW_SENTENCES, Salience
from onrecord.speakers.source_words import (
    Speaker,
    apply_speaker,
    apposed,
    determiner_of,
    group_of,
    head_of,
    is_document,
    name_text,
    naming_tokens,
    role_in_span,
    source_start,
    words_of,
)
from onrecord.speakers.vocabulary import (  # noqa: F401  (the word classes)
    ANONYMOUS_HEADS,
    COMPOSITE_HEADS,
    COUNTRY_HEADS,
    DEMONSTRATIVE_DETS,
    DOCUMENT_HEADS,
    FIRST_PERSON,
    NEUTER,
    ORG_HEADS,
    OUTLET_HEADS,
    PERSONAL,
    PLURAL,
    QUANTIFIERS,
)

LEDE_SENTENCES = 2  # the headline and lede, where a source may be named only later
LEDE_LOOKAHEAD = 3


class SpeakerResolver:
    """Resolves the sources of one article's attributions, in text order."""

    def __init__(
        self,
        doc: Doc,
        skip: list[Fragment] = (),
        ranker: SpeakerRanker | None = None,
        on_candidates: Callable[[Attribution, list[Candidate]], None] | None = None,
    ) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token: read it once
        self.skip = skip
        # The rules read each source first; a ranker, where given, then weighs their
        # reading against every nearby entity and "nobody" (candidates.py).
        self.ranker = ranker
        self.on_candidates = on_candidates
        self.entities = ArticleEntities(doc, skip)
        self.paragraph_of = paragraph_index(doc)
        self.author = self.entities.author()
        self.sentence_of = self.entities.sentence_of
        first = next((t.i for t in doc if not any(s <= t.idx < e for s, e in skip)), 0)
        self.lede_end = self.sentence_of[first] + LEDE_SENTENCES if len(doc) else 0
        self.spoken: list[tuple[int, Entity]] = []  # (token, entity) of earlier speakers
        self.resolved: list[tuple[Attribution, Speaker]] = []
        # Subject pronouns outside quotes, resolved left to right as the reading goes, so
        # that "She ... She ... she said" chains back to the name.
        self.chain: list[Mention] = []
        self._pending = deque(
            t
            for t in doc
            if t.lower_ in {"he", "she"}
            and t.dep_ in {"nsubj", "nsubjpass"}
            and not self.entities.quoted[t.i]
        )
        self.salience = Salience(doc, self.entities, self.spoken, self.chain)

    def resolve_all(self, attributions: list[Attribution]) -> None:
        """Fill the speaker fields of ``attributions`` in place."""
        # First-person sources last: "I" in a quotation is whoever the quotation is by,
        # and that attribution may come after it ("'I believe ...,' said Okafor").
        order = sorted(
            attributions,
            key=lambda a: (self._is_first_person(a), source_start(a)),
        )
        for attribution in order:
            self._read_pronouns_before(self._token(source_start(attribution)))
            speaker = self.resolve(attribution)
            if attribution.source and (self.ranker or self.on_candidates):
                speaker = self._ranked(attribution, speaker)
            apply_speaker(attribution, speaker)
            self.resolved.append((attribution, speaker))
            if speaker.entity is not None and attribution.source:
                self.spoken.append((self._token(attribution.source[0][0]), speaker.entity))

    def _ranked(self, attribution: Attribution, speaker: Speaker) -> Speaker:
        start, end = attribution.source[0]
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return speaker
        content = set()
        for c_start, c_end in attribution.content:
            part = self.doc.char_span(c_start, c_end, alignment_mode="expand")
            content.update(range(part.start, part.end) if part is not None else ())
        context = SourceContext(
            span, head_of(span), content, self.spoken, self.lede_end, self.author
        )
        found = candidates_for(
            self.entities, context, speaker.name, speaker.entity, self.paragraph_of, speaker.type
        )
        if self.on_candidates is not None:
            self.on_candidates(attribution, found)
        if self.ranker is None:
            return speaker
        choice = self.ranker.choose(found)
        picked = choice.candidate
        if picked.from_rules:
            chosen = speaker
        elif picked.entity is not None:
            chosen = self._named(picked.entity, span)
        elif picked.name is not None:  # the source's own words name a group or body
            chosen = Speaker(picked.name, picked.type or "group")
        else:  # nobody: the rules' reading loses its name
            chosen = Speaker(None, "unresolved", speaker.role, speaker.org)
        chosen.score = choice.score
        return chosen

    def _is_first_person(self, attribution: Attribution) -> bool:
        if not attribution.source:
            return False
        start, end = attribution.source[0]
        return self.text[start:end].strip().lower() in FIRST_PERSON

    def _read_pronouns_before(self, token: int) -> None:
        while self._pending and self._pending[0].i < token:
            pronoun = self._pending.popleft()
            gender = "male" if pronoun.lower_ == "he" else "female"
            entity = self.salience.antecedent(pronoun.i, {"person"}, gender)
            if entity is not None:
                sentence = self.sentence_of[pronoun.i]
                self.chain.append(Mention(entity, pronoun.i, pronoun.i + 1, sentence, True))

    def resolve(self, attribution: Attribution) -> Speaker:
        if not attribution.source:
            return Speaker(None, "anonymous", anonymity="agentless")
        start, end = attribution.source[0]
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return Speaker(None, "unresolved")
        return self._resolve_span(span, attribution)

    # -- by the source's form --------------------------------------------------

    def _resolve_span(self, span: Span, attribution: Attribution) -> Speaker:
        head = head_of(span)
        lemma = head.lemma_.lower()
        person = self.entities.entity_in(span.start, span.end, {"person"})
        if person is not None and not (lemma in COMPOSITE_HEADS and head.i >= person.end):
            return self._named(person.entity, span)
        if head.lower_ in PERSONAL | FIRST_PERSON | PLURAL | NEUTER and head.pos_ == "PRON":
            return self._pronoun(head, attribution)
        body = self.entities.entity_at(head.i, {"organisation"})
        if body is not None and body.start >= span.start:  # "Ukraine's air force"
            return self._named(body.entity, span)
        if lemma in COMPOSITE_HEADS:
            owned = self._owned(span, head, person)
            if owned is not None:
                return owned
        named = self.entities.entity_in(span.start, span.end)
        if named is not None and (
            named.start <= head.i < named.end or is_document(head) or apposed(named, head)
        ):
            return self._named(named.entity, span)
        if any(c.dep_ == "conj" for c in head.children):
            # "The family, protesters and civic leaders": several sources speaking as one.
            return Speaker(words_of(span), "group")
        if len(span) == 1 and head.is_sent_start and head.lower_ in ROLE_TITLES:
            return self._description(span, head, None)  # a headline's "Lawmaker urges …"
        # A capital letter that does not just open the sentence marks a name, even where
        # the tagger read a headline's "Trump" as a noun.
        if head.text[:1].isupper() and (
            head.pos_ == "PROPN" or head.i > span.start or not head.is_sent_start
        ):
            by_name = self.entities.by_name(name_text(span))
            if by_name is not None:
                return self._named(by_name, span)
            if determiner_of(span) is None:
                return self._unknown_name(span, head)
        return self._description(span, head, named.entity if named else None)

    def _named(self, entity: Entity, span: Span) -> Speaker:
        return Speaker.of(entity, role_in_span(span, entity))

    def _owned(self, span: Span, head: Token, person) -> Speaker | None:
        """ "The Trump campaign", "her campaign", "Clinton's ad": a body or document named
        after its owner."""
        owner = person.entity if person is not None else None
        possessive = next((t for t in span if t.dep_ == "poss" and t.pos_ == "PRON"), None)
        if owner is None and possessive is not None:
            owner = self._pronoun(possessive, None).entity
        if owner is None or owner.type != "person":
            return None
        surname = owner.name.split()[-1]
        kind = "document" if is_document(head) else "organisation"
        return Speaker(f"{surname} {head.lower_}", kind, org=owner.name)

    def _unknown_name(self, span: Span, head: Token) -> Speaker:
        """A proper name the entity recogniser missed: the name as written."""
        name = " ".join(t.text for t in span if t.pos_ == "PROPN" or t.text[:1].isupper())
        kind = "group" if head.tag_ == "NNPS" else "person"
        known = gazetteer.lookup(name)
        if known is not None:
            return Speaker(known.name, known.type)
        return Speaker(name or span.text, kind)

    def _pronoun(self, head: Token, attribution: Attribution | None) -> Speaker:
        word = head.lower_
        if word in FIRST_PERSON:
            quoting = self._quoting(attribution) if attribution is not None else None
            if quoting is not None:
                return quoting
            # Outside any quotation "I" is the writer: an op-ed's author line.
            author = None if self.entities.quoted[head.i] else self.author
            return Speaker.of(author) if author else Speaker(None, "unresolved")
        if word in PERSONAL:
            gender = "male" if word in MALE_WORDS else "female" if word in FEMALE_WORDS else None
            entity = self.salience.antecedent(head.i, {"person"}, gender)
        elif word in PLURAL:
            entity = self.salience.antecedent(head.i, {"group", "organisation"}, None)
            # "Obama and Clinton call them … they believe": people named together in this
            # sentence or the last, after any group or body that could be "they".
            pair = next(self.salience.named_together(head.i, 1), None)
            if (
                pair is not None
                and not self.entities.quoted[head.i]
                and pair[0].start > self.salience.last_mention(entity, head.i)
            ):
                return group_of(pair)
        else:
            entity = self.salience.antecedent(head.i, {"organisation", "country", "document"}, None)
        if entity is None:
            return Speaker(None, "unresolved")
        return Speaker.of(entity)

    def _description(self, span: Span, head: Token, modifier: Entity | None) -> Speaker:
        lemma = head.lemma_.lower()
        determiner = determiner_of(span)
        definite = determiner in DEMONSTRATIVE_DETS
        plural = head.tag_ in {"NNS", "NNPS"}
        entity = None
        if lemma in DOCUMENT_HEADS and plural and lemma not in ANONYMOUS_HEADS:
            return Speaker(words_of(span), "document")  # "polls show": no one poll
        if lemma in DOCUMENT_HEADS:
            named = self._named_document(head, looking_ahead=not definite)
            if named is None and definite:
                named = self._introduced_with(head)
            if named is not None:
                return named
        if plural:
            group = self._coordinated(head)
            if group is not None:
                return group
        if definite or determiner is None:
            entity = self._described(span, head)
        elif determiner in {"a", "an"} and self.sentence_of[head.i] <= self.lede_end:
            # News ledes name later: "A New York judge has rejected …" then "Justice
            # Frank Nervo" a paragraph on.
            modifiers = {fold(t.text) for t in span if t.i != head.i and t.dep_ != "det"}
            entity = self.entities.with_role(lemma, modifiers, head.i, LEDE_LOOKAHEAD)
        if entity is not None:
            return Speaker.of(entity)
        org = modifier.name if modifier else None
        if lemma in ANONYMOUS_HEADS and (not definite or plural):
            return Speaker(None, "anonymous", words_of(span), org, anonymity=ANONYMOUS_HEADS[lemma])
        if lemma in DOCUMENT_HEADS:
            return Speaker(words_of(span), "document", org=org)
        if plural:
            return Speaker(words_of(span), "group", org=org)
        if determiner in QUANTIFIERS:
            return Speaker(None, "anonymous", words_of(span), org, anonymity="unnamed source")
        known = gazetteer.lookup(span.text)
        if known is not None:
            return Speaker(known.name, known.type)
        return Speaker(None, "unresolved", words_of(span), org)

    # -- reference ------------------------------------------------------------------

    def _described(self, span: Span, head: Token) -> Entity | None:
        """The entity a definite description refers to, judged by its head noun."""
        lemma = head.lemma_.lower()
        token = head.i
        modifiers = {fold(t.text) for t in span if t.i != head.i and t.dep_ != "det"}
        # A plural ("lawmakers") is not one title holder.
        plural = head.tag_ in {"NNS", "NNPS"}
        by_role = self.entities.with_role(lemma, modifiers, token, titles=not plural)
        if by_role is not None:
            return by_role
        outlet = self.salience.latest(token, lambda e: e.kind == "outlet")
        if lemma in OUTLET_HEADS and outlet is not None:
            return outlet
        if lemma in ORG_HEADS | OUTLET_HEADS:
            # "the ministry" -> the last body with "ministry" in its name, else the last body.
            named = self.salience.latest(
                token, lambda e: e.type == "organisation" and lemma in e.name.lower()
            )
            return named or self.salience.latest(token, lambda e: e.type == "organisation")
        if lemma in COUNTRY_HEADS:
            return self.salience.latest(token, lambda e: e.type == "country")
        if lemma in DOCUMENT_HEADS:
            # "the report", "the study": its author, where one was just named.
            return self.salience.latest(token, lambda e: e.type == "organisation", WINDOW_SENTENCES)
        if head.tag_ == "NN" and lemma not in COMPOSITE_HEADS and lemma not in ANONYMOUS_HEADS:
            # "the president", "the senator": a person noun refers to a salient person.
            gender = (
                "male"
                if head.lower_ in MALE_WORDS
                else ("female" if head.lower_ in FEMALE_WORDS else None)
            )
            return self.salience.antecedent(token, {"person"}, gender)
        return None

    def _named_document(self, head: Token, looking_ahead: bool) -> Speaker | None:
        """ "The ad" after "A new ad from Donald Trump's campaign": the nearest earlier
        mention of the same kind of document that names whose it is; for an indefinite
        one ("A new poll shows …"), also the first such mention in the next sentences."""
        lemma = head.lemma_.lower()
        here = self.sentence_of[head.i]
        before, after = None, None
        for token in self.doc:
            if token.i == head.i or token.lemma_.lower() != lemma or token.pos_ != "NOUN":
                continue
            if any(s <= token.idx < e for s, e in self.skip):
                continue
            naming = naming_tokens(token)
            if naming is None:
                continue
            distance = self.sentence_of[token.i] - here
            if token.i < head.i and -distance <= LONG_WINDOW_SENTENCES:
                before = naming
            elif (
                token.i > head.i and looking_ahead and distance <= LEDE_LOOKAHEAD and after is None
            ):
                after = naming
        found = before or after
        if found is None:
            return None
        owner = " ".join(t.text for t in found if t.pos_ == "PROPN")
        # Its owner stays in view for a following "it said".
        named = self.entities.entity_in(found.start, found.end)
        return Speaker(
            words_of(found), "document", org=owner or None, entity=named.entity if named else None
        )

    def _introduced_with(self, head: Token) -> Speaker | None:
        """ "The report" whose first mention came with its authors: "The authors of the
        report, which include X and Y, …" -> "X and Y report"."""
        lemma = head.lemma_.lower()
        first = next(
            (t for t in self.doc[: head.i] if t.lemma_.lower() == lemma and t.pos_ == "NOUN"),
            None,
        )
        if first is None:  # a document's first mention introduces it, however far back
            return None
        sentence = self.sentence_of[first.i]
        authors = [
            m.entity
            for m in self.entities.mentions
            if m.sentence == sentence and m.entity.type == "organisation"
        ]
        authors = list({id(e): e for e in authors}.values())
        if not authors:
            return None
        names = " and ".join(e.name for e in authors)
        return Speaker(f"{names} {head.lower_}", "document", org=authors[0].name, entity=authors[0])

    def _coordinated(self, head: Token) -> Speaker | None:
        """ "the senators" after "Mr. Grassley and Mr. Leahy said": the people last named
        together, where one of them holds the role."""
        lemma = head.lemma_.lower()
        for together in self.salience.named_together(head.i, WINDOW_SENTENCES):
            if any(has_role(m.entity, lemma) for m in together):
                return group_of(together)
        return None

    def _quoting(self, attribution: Attribution) -> Speaker | None:
        """The speaker whose quotation contains this first-person source."""
        start = attribution.source[0][0]
        for other, speaker in reversed(self.resolved):
            if other is not attribution and any(s <= start < e for s, e in other.content):
                return speaker if speaker.name else None
        return None

    def _token(self, char: int) -> int:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else 0
