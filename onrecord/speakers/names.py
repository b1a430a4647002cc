"""Name handling: folding spellings together and telling names from titles.

"Zelenskyy", "Zelenskiy" and "Zelensky" are transliterations of one surname; keys built
here make them equal so that variants collapse, within an article and across articles.
"""

from __future__ import annotations

import re
import unicodedata

HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "prof",
    "rev",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "maj",
    "capt",
    "lt",
    "sgt",
    "adm",
    "pres",
    "hon",
    "fr",
}
MALE_HONORIFICS = {"mr", "sir", "lord"}
FEMALE_HONORIFICS = {"mrs", "ms", "miss", "dame", "lady"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_WORD = re.compile(r"[^\W\d_][\w.'’-]*", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, accents stripped, punctuation dropped: "Ángela  Merkel’s" -> "angela merkel"."""
    text = POSSESSIVE.sub("", text.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.lower())
    return " ".join(text.split())


def spelling_key(word: str) -> str:
    """Folds transliteration variants: doubled letters and -iy/-yy/-yi/-ii endings."""
    word = fold(word).replace(" ", "")
    word = re.sub(r"(?:iy|yy|yi|ii|ij)$", "y", word)
    return re.sub(r"(.)\1+", r"\1", word)


def name_words(name: str) -> list[str]:
    """The words of a personal name without honorifics and suffixes."""
    words = [POSSESSIVE.sub("", w) for w in _WORD.findall(name)]
    words = [w for w in words if w.rstrip(".").lower() not in HONORIFICS | SUFFIXES]
    return [w for w in words if w.rstrip(".")]


def surname_key(name: str) -> str:
    words = name_words(name)
    return spelling_key(words[-1]) if words else ""


def given_names(name: str) -> list[str]:
    return name_words(name)[:-1]


def first_names_compatible(a: list[str], b: list[str]) -> bool:
    """ "John" ~ "J." ~ "John F."; "Bill" is not "Hillary". Missing first names fit."""
    if not a or not b:
        return True
    x, y = fold(a[0]), fold(b[0])
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return spelling_key(x) == spelling_key(y)


def honorific_gender(name: str) -> str | None:
    first = fold(name).split(" ")[0] if name.strip() else ""
    if first in MALE_HONORIFICS:
        return "male"
    if first in FEMALE_HONORIFICS:
        return "female"
    return None


def fuller(a: str, b: str) -> str:
    """The fuller of two forms of one name: more name words, then longer."""
    return max((a, b), key=lambda n: (len(name_words(n)), len(n)))


def acronym(name: str) -> str:
    """ "North Atlantic Treaty Organization" -> "NATO" (function words skipped)."""
    skip = {"of", "the", "for", "and", "on", "in", "de"}
    return "".join(w[0].upper() for w in fold(name).split() if w not in skip)


def names_the_speaker(source: str, speaker: str) -> bool:
    """Whether a source's words name the speaker ("Kirby" for John Kirby; not "He")."""
    name_keys = {spelling_key(w) for w in fold(speaker).split()}
    return any(spelling_key(w) in name_keys for w in fold(source).split())
