"""Bodies an article names by description: "Ukraine's air force", "the Egyptian supply
ministry". The entity recogniser tags neither, yet each is one speaker the article comes
back to ("the air force said … it said"). A description counts when its head is a body
noun and a place owns or qualifies it; the body's name is the description in title case,
with the place as its adjective ("Ukrainian Air Force"), so that the same body described
twice, or named so elsewhere, gets one name.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

BODY_HEADS = {
    "ministry",
    "department",
    "agency",
    "army",
    "navy",
    "force",
    "forces",
    "guard",
    "police",
    "military",
    "government",
    "parliament",
    "council",
    "committee",
    "commission",
    "court",
    "office",
    "service",
    "authority",
    "regulator",
    "bank",
    "cabinet",
    "embassy",
    "prosecutor",
    "prosecutors",
    "command",
    "administration",
    "railway",
    "railways",
}
# Place -> adjective, for the places news most often puts before a body.
DEMONYMS = {
    "afghanistan": "Afghan",
    "argentina": "Argentine",
    "armenia": "Armenian",
    "australia": "Australian",
    "austria": "Austrian",
    "azerbaijan": "Azerbaijani",
    "belarus": "Belarusian",
    "belgium": "Belgian",
    "brazil": "Brazilian",
    "britain": "British",
    "bulgaria": "Bulgarian",
    "canada": "Canadian",
    "chile": "Chilean",
    "china": "Chinese",
    "colombia": "Colombian",
    "croatia": "Croatian",
    "denmark": "Danish",
    "egypt": "Egyptian",
    "estonia": "Estonian",
    "ethiopia": "Ethiopian",
    "finland": "Finnish",
    "france": "French",
    "georgia": "Georgian",
    "germany": "German",
    "ghana": "Ghanaian",
    "greece": "Greek",
    "hungary": "Hungarian",
    "india": "Indian",
    "indonesia": "Indonesian",
    "iran": "Iranian",
    "iraq": "Iraqi",
    "ireland": "Irish",
    "israel": "Israeli",
    "italy": "Italian",
    "japan": "Japanese",
    "jordan": "Jordanian",
    "kazakhstan": "Kazakh",
    "kenya": "Kenyan",
    "latvia": "Latvian",
    "lebanon": "Lebanese",
    "lithuania": "Lithuanian",
    "mexico": "Mexican",
    "moldova": "Moldovan",
    "morocco": "Moroccan",
    "netherlands": "Dutch",
    "nigeria": "Nigerian",
    "norway": "Norwegian",
    "pakistan": "Pakistani",
    "peru": "Peruvian",
    "philippines": "Philippine",
    "poland": "Polish",
    "portugal": "Portuguese",
    "romania": "Romanian",
    "russia": "Russian",
    "saudi arabia": "Saudi",
    "serbia": "Serbian",
    "slovakia": "Slovak",
    "south africa": "South African",
    "south korea": "South Korean",
    "spain": "Spanish",
    "sweden": "Swedish",
    "switzerland": "Swiss",
    "syria": "Syrian",
    "taiwan": "Taiwanese",
    "turkey": "Turkish",
    "uganda": "Ugandan",
    "uk": "British",
    "ukraine": "Ukrainian",
    "united kingdom": "British",
    "united states": "US",
    "us": "US",
    "u.s.": "US",
    "america": "US",
    "venezuela": "Venezuelan",
    "vietnam": "Vietnamese",
    "yemen": "Yemeni",
}
PLACE_ENTITIES = {"GPE", "NORP", "LOC"}


def described_bodies(doc: Doc) -> Iterator[tuple[Span, str]]:
    """Each body named by description, as (its words, its name), in text order."""
    for token in doc:
        if token.lemma_.lower() not in BODY_HEADS or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        if token.ent_type_ == "ORG":
            continue  # the recogniser has it already ("Ministry of Defence")
        place = _place_of(token)
        if place is None:
            continue
        words = _body_words(token, place)
        span = doc[min(place[0].i, words[0].i) : token.i + 1]
        yield span, name_of(place, words)


def name_of(place: list[Token], words: list[Token]) -> str:
    """ "Ukraine's" + "air force" -> "Ukrainian Air Force"."""
    where = " ".join(t.text for t in place)
    adjective = DEMONYMS.get(where.lower(), where) if place[-1].ent_type_ != "NORP" else where
    rest = " ".join(t.text[:1].upper() + t.text[1:] for t in words)
    return f"{adjective} {rest}"


def _place_of(head: Token) -> list[Token] | None:
    """The place that owns ("Ukraine's") or qualifies ("Egyptian") a body noun."""
    for child in head.children:
        if child.dep_ in {"poss", "amod", "compound"} and child.ent_type_ in PLACE_ENTITIES:
            tokens = [t for t in child.subtree if t.ent_type_ in PLACE_ENTITIES]
            if tokens:
                return tokens
    return None


def _body_words(head: Token, place: list[Token]) -> list[Token]:
    """The body noun with the words that make its name ("air force", "supply ministry"),
    not the place, determiners or possessive marks."""
    placed = {t.i for t in place}
    words = [
        t
        for t in head.subtree
        if t.i <= head.i
        and t.i not in placed
        and t.dep_ in {"compound", "amod"}
        and t.ent_type_ not in PLACE_ENTITIES
        and t.head.i == head.i
    ]
    return [*words, head]
