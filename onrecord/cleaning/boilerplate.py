"""Page boilerplate in plain text: navigation, teasers, bylines, prompts, photo credits.

Scraped articles keep the page around the story: "Skip to content", a page-title line
with breadcrumbs, "READ MORE: ..." teasers, bylines, "Follow X on Twitter". Such lines
say nothing anyone said, and a quote extractor that reads them finds speakers and claims
that are not there. We only *mark* them (character ranges); the text is never changed.

A line is boilerplate when it is short and one rule below matches all of it (``fullmatch``
on the stripped line, case-insensitive unless a rule says otherwise). Rules describe the
shape of a whole line, never a word inside prose, so a sentence that merely contains
"said" or starts with "More" does not match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Longer lines are prose paragraphs whatever they start with.
MAX_LINE_CHARS = 200


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    max_chars: int = MAX_LINE_CHARS


def _rule(name: str, pattern: str, flags: int = re.IGNORECASE, max_chars: int = MAX_LINE_CHARS) -> Rule:
    return Rule(name, re.compile(pattern, flags), max_chars)


_SECTION = r"[A-Z][\w&'’.-]*(?: [A-Z&][\w&'’.-]*){0,3}"  # "World", "US News", "Fox News"
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}"  # "Jane Smith", "JANE M. SMITH"
_DATE = r"(?:\w{3,9}\.?,? )?\w{3,9}\.? \d{1,2},? \d{4}"  # "Tue, Mar 29, 2022", "December 19, 2015"
_TIME = r"\d{1,2}(?::\d{2})? ?(?:[ap]\.?m\.?|GMT|BST|[ECMP][SD]?T|UTC)?"
_PHOTO_WORDS = r"(?:image|photo|picture|pic|photograph|credit|getty|video)s?(?: credit)?"
_AGENCIES = r"(?:getty(?: images)?|ap(?: photo)?|reuters|afp|epa|pa(?: wire| images)?|shutterstock|rex)"
_SOCIAL = r"(?:twitter|x|facebook|instagram|tiktok|youtube|threads|bluesky)"
# Bracketed labels that close a transcript line, not a teaser headline.
_TRANSCRIPT_TAGS = r"(?!(?:APPLAUSE|LAUGHTER|LAUGHS|CHEERS|CHEERING|BOOS|BOOING|CROSSTALK|INAUDIBLE|UNINTELLIGIBLE|SIC|SILENCE|PAUSE)\])"

# One row per kind of boilerplate line: (name, what it matches and why it is safe).
RULES: tuple[Rule, ...] = (
    # Accessibility and menu links: the whole line is the link text.
    _rule("navigation", r"skip to (?:main |the )?(?:content|navigation|article|search)|(?:main |open |close )?menu|navigation|search|home|sections"),
    # Breadcrumbs: "Home | News | World", "Home > Politics > Congress".
    _rule("breadcrumb", rf"{_SECTION}(?: ?(?:\||>|›|»|/) ?{_SECTION}){{2,}}", re.NOFLAG),
    # Page title with site/section trail: "Headline here | World | News".
    _rule("title-trail", rf"[^|]{{3,200}}?[^.!?\s|](?: \| {_SECTION})+", re.NOFLAG),
    # Teaser and related-link labels: "READ MORE: ...", "ONLY IN: ...", "RELATED: ...".
    _rule("teaser", r"(?:read more|more|only in|related(?: articles?| stories| coverage| content)?|watch(?: now| live| more)?|see also|also read|read next|read also|recommended|trending|don['’]t miss|must read|latest|top stories|pictured|listen)\s*:.*"),
    # A label alone on its line: "SEE ALSO", "Related articles", "Read more".
    _rule("teaser-label", r"(?:see also|related(?: articles| stories| coverage| content)?|read more|more stories|more from \w+(?: \w+)?|recommended(?: for you)?|most read|trending now|continue reading)\W{0,3}"),
    # Teaser headline ending in an all-caps tag: "Putin hides in bunker [REVEALED]".
    _rule("tagged-teaser", rf"[^\[\]]*[^\s.!?\"”\]]\s*\[{_TRANSCRIPT_TAGS}[A-Z][A-Z0-9 ]{{1,20}}\]", re.NOFLAG, max_chars=150),
    # Bylines: "By Jane Smith", "By JANE SMITH, Associated Press", "By A Smith and B Jones".
    _rule("byline", rf"by {_NAME}(?:(?:,| and| &) {_NAME}){{0,3}}(?:,? (?:\||-|—|for)? ?{_NAME})?", re.NOFLAG | re.IGNORECASE, max_chars=120),
    # Timestamps: "Published: 10:42, Tue, Mar 29, 2022 | UPDATED: 10:45, ...".
    _rule("timestamp", rf"(?:published|updated|last updated|first published|posted|modified)(?: on| at)?:? ?(?:{_TIME}|{_DATE}).*", max_chars=150),
    # Relative timestamps: "Updated 3 hours ago".
    _rule("timestamp-relative", r"(?:published|updated|posted)?\s*\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?) ago"),
    # A date alone on its line: "Saturday, December 19, 2015."
    _rule("date-line", rf"{_DATE}\.?(?:,? {_TIME})?"),
    # Newsletter and sign-up prompts.
    _rule("newsletter", r"(?:sign up|subscribe|register|join)\b.*|.*\bsign up (?:for|to) (?:our|the|his|her|their) (?:\w+ ){0,3}(?:newsletter|email|alerts?)\b.*|enter your email(?: address)?\W{0,2}"),
    # Social prompts: "Follow Jane Smith on Twitter @jsmith", "Share this article".
    _rule("social", rf"follow (?:\S+ ){{1,5}}on {_SOCIAL}\b.*|follow @\w+.*|(?:like|follow) us on {_SOCIAL}.*|share (?:this|the) (?:article|story|post|page)\W{{0,2}}|share (?:on|via|to) {_SOCIAL}.*|share(?: and comment below)?\W{{0,2}}|tweet|email|print|comments?"),
    # Calls to click: "Click here to ...", "Read the rest here."
    _rule("click-prompt", r"click (?:here|the link|below)\b.*|read (?:the rest|the full (?:story|article|report)|more) (?:here|below|at \S+)\W{0,2}"),
    # Advertising slots.
    _rule("advertisement", r"(?:story continues below )?(?:advertisement|sponsored(?: content)?|ad)\W{0,2}"),
    # Photo credits: "(Image: Getty)", "Photo: AP", "John Moore/Getty Images."
    _rule("photo-credit", rf"\(?{_PHOTO_WORDS}\s*:[^()]{{1,80}}\)?\.?|\(?(?:[\w.' -]{{1,40}}/)?{_AGENCIES}(?:/[\w.' -]{{1,40}})?\)?\.?"),
    # Separator rules between blocks: "___", "***".
    _rule("separator", r"[_*=~•-]{3,}\.?"),
)


@dataclass(frozen=True)
class BoilerplateLine:
    start: int
    end: int
    rule: str


def boilerplate_rule(line: str) -> str | None:
    """Name of the first rule that marks ``line`` as boilerplate, or None."""
    stripped = line.strip()
    if not stripped:
        return None
    for rule in RULES:
        if len(stripped) <= rule.max_chars and rule.pattern.fullmatch(stripped):
            return rule.name
    return None


def find_boilerplate(text: str) -> Iterator[BoilerplateLine]:
    """Each boilerplate line of ``text`` with the rule that caught it, in order."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if rule := boilerplate_rule(line):
            yield BoilerplateLine(start, end, rule)
        start = end + 1


def detect_boilerplate(text: str) -> list[tuple[int, int]]:
    """Half-open character ranges of boilerplate lines, sorted, one per line, newline excluded."""
    return [(found.start, found.end) for found in find_boilerplate(text)]
