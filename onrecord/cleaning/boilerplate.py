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


def _rule(
    name: str, pattern: str, flags: int = re.IGNORECASE, max_chars: int = MAX_LINE_CHARS
) -> Rule:
    return Rule(name, re.compile(pattern, flags), max_chars)


_SECTION = r"[A-Z][\w&'’.-]*(?: [A-Z&][\w&'’.-]*){0,3}"  # "World", "US News", "Fox News"
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}"  # "Jane Smith", "JANE M. SMITH"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?"
_WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6}\.?"
# "Tue, Mar 29, 2022", "December 19, 2015", "29 March 2022"
_DATE = (
    rf"(?:{_WEEKDAY},? )?"
    rf"(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}})"
)
# "10:42", "10.42am", "9 p.m.", "10:42 GMT"
_TIME = r"(?:\d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?|\d{1,2} ?[ap]\.?m\.?)(?: [A-Z]{2,4}\b)?"
_PHOTO_WORDS = r"(?:image|photo|picture|pic|photograph|credit|video)s?(?: credit)?"
_AGENCIES = (
    r"(?:getty(?: images)?|ap(?: photo)?|reuters|afp|epa|pa(?: wire| images)?|shutterstock|rex)"
)
_SOCIAL = r"(?:twitter|x|facebook|instagram|tiktok|youtube|threads|bluesky)"
# Bracketed labels that close a transcript line, not a teaser headline.
_TRANSCRIPT_TAGS = (
    r"(?!(?:APPLAUSE|LAUGH|CHEER|BOO|CROSSTALK|INAUDIBLE|UNINTELLIGIBLE|SIC|SILENCE|PAUSE"
    r"|END|BEGIN|COMMERCIAL))"
)

# One row per kind of boilerplate line; the comment says what it catches.
RULES: tuple[Rule, ...] = (
    # Accessibility and menu links: the whole line is the link text.
    _rule(
        "navigation",
        r"skip to (?:main |the )?(?:content|navigation|article|search)"
        r"|(?:main |open |close )?menu|navigation|search|home|sections",
    ),
    # Breadcrumbs: "Home | News | World", "Home > Politics > Congress".
    _rule("breadcrumb", rf"{_SECTION}(?: ?(?:\||>|›|»|/) ?{_SECTION}){{2,}}", re.NOFLAG),
    # Page title with a site/section trail: "Headline here | World | News".
    _rule("title-trail", rf"[^|]{{3,200}}?\S(?: \| {_SECTION})+", re.NOFLAG),
    # Teaser and related-link labels: "READ MORE: ...", "ONLY IN: ...", "See also: ...".
    _rule(
        "teaser",
        r"(?:read more|only in|related (?:articles?|stories|coverage|content)|see also|also read"
        r"|read next|read also|don['’]t miss|must read|top stories|watch (?:now|live|more))\s*:.*",
    ),
    # One-word labels, shouted or followed by a headline: "MORE: ...", "Related: Senate ...".
    # Case matters here: "More: that was the word" starts a sentence, not a teaser.
    _rule(
        "teaser",
        r"(?:MORE|RELATED|WATCH|LATEST|LISTEN|PICTURED|TRENDING|RECOMMENDED)\s*:.*"
        r"|(?:More|Related|Watch|Latest|Listen|Pictured|Trending|Recommended)\s*:\s*[A-Z0-9‘'\"“].*",
        re.NOFLAG,
    ),
    # A label alone on its line: "SEE ALSO", "Related articles", "Read more".
    _rule(
        "teaser-label",
        r"(?:see also|related(?: articles| stories| coverage| content)?|read more|more stories"
        r"|more from \w+(?: \w+)?|recommended(?: for you)?|most read|trending now"
        r"|continue reading)\W{0,3}",
    ),
    # Teaser headline ending in an all-caps tag: "Putin hides in bunker [REVEALED]".
    _rule(
        "tagged-teaser",
        rf"[^\[\]]*[^\s.!?\"”\]]\s*\[{_TRANSCRIPT_TAGS}[A-Z][A-Z0-9 ]{{1,20}}\]",
        re.NOFLAG,
        max_chars=150,
    ),
    # Bylines: "By Jane Smith", "By JANE SMITH, Associated Press", "By A Smith and B Jones".
    _rule(
        "byline",
        rf"[Bb][Yy] {_NAME}(?:(?:,| and| &) {_NAME}){{0,3}}(?:,? (?:\||-|—|for)? ?{_NAME})?",
        re.NOFLAG,
        max_chars=120,
    ),
    # Timestamps: "Published: 10:42, Tue, Mar 29, 2022 | UPDATED: 10:45, ...".
    _rule(
        "timestamp",
        rf"(?:published|updated|last updated|first published|posted|modified)(?: on| at)?:?"
        rf" ?(?:{_TIME}|{_DATE})(?:\W.*)?",
        max_chars=150,
    ),
    # Relative timestamps: "Updated 3 hours ago".
    _rule(
        "timestamp-relative",
        r"(?:(?:published|updated|posted) )?\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?"
        r"|weeks?) ago",
    ),
    # A date (and time) alone on its line: "Saturday, December 19, 2015."
    _rule("date-line", rf"{_DATE}\.?(?:,? {_TIME})?\.?"),
    # Newsletter prompts: "Sign up to our newsletter", "Subscribe to our podcast here."
    _rule(
        "newsletter",
        r"(?:sign up|subscribe)\b.*"
        r"|.*\bsign up (?:for|to) (?:our|the|his|her|their) (?:\w+ ){0,3}(?:newsletter|email"
        r"|alerts?)\b.*|enter your email(?: address)?\W{0,2}",
    ),
    # Social prompts: "Follow Jane Smith on Twitter @jsmith", "Share this article".
    _rule(
        "social",
        rf"follow (?:\S+ ){{1,5}}on {_SOCIAL}\b.*|follow @\w+.*|(?:like|follow) us on {_SOCIAL}.*"
        rf"|share (?:this|the) (?:article|story|post|page)\W{{0,2}}|share (?:on|via|to) {_SOCIAL}.*"
        r"|share(?: and comment below)?\W{0,2}|tweet|email|print|comments?",
    ),
    # Calls to click: "Click here to ...", "Read the rest here."
    _rule(
        "click-prompt",
        r"click (?:here|the link|below)\b.*"
        r"|read (?:the rest|the full (?:story|article|report)|more) (?:here|below|at \S+)\W{0,2}",
    ),
    # Advertising slots.
    _rule(
        "advertisement",
        r"(?:story continues below )?(?:advertisement|sponsored(?: content)?|ad)\W{0,2}",
    ),
    # Photo credits: "(Image: Getty)", "Photo: AP", "John Moore/Getty Images."
    _rule(
        "photo-credit",
        rf"\(?{_PHOTO_WORDS}\s*:[^()]{{1,80}}\)?\.?"
        rf"|\(?(?:[\w.' -]{{1,40}}/)?{_AGENCIES}(?:/[\w.' -]{{1,40}})?\)?\.?",
    ),
    # Photo captions, which end in a credit: "Putin at a rally (Image: Getty)".
    _rule("caption", r".*\((?:image|photo|picture|pic)s?\s*:[^()]{1,60}\)\.?"),
    # Captions ending in an agency credit: "Smith at a rally. (JOHN DOE/AFP/Getty Images)".
    _rule("caption-credit", rf".*\((?:[^()]{{1,60}}/)?{_AGENCIES}(?:/[^()]{{1,40}})?\.?\)\.?"),
    # Wire-service credit lines: "(Additional reporting by A; Editing by B)".
    _rule(
        "reporting-credit",
        r"\(?(?:additional )?(?:reporting|writing) by [^()]*\)?\.?",
        max_chars=300,
    ),
    # Editor's notes and corrections: about the article, not quotes in it.
    _rule("editor-note", r"(?:editor['’]?s[\s\xa0]note|correction)\s*:.*", max_chars=400),
    # Copyright notices.
    _rule("copyright", r"(?:copyright|©).*|.*\ball rights reserved\b.*"),
    # Embedded video player messages: "This video is restricted from playing".
    _rule("video-player", r".*\bthis video (?:is|has been) (?:restricted|unavailable|removed)\b.*"),
    # Hat tips to another outlet: "h/t: The Hill".
    _rule("hat-tip", r"h/t:? .{1,60}"),
    # Notes that a story was revised: "This story has been updated with ...".
    _rule(
        "update-note",
        r"(?:this|the) (?:story|article|post|piece|report) (?:has been|was)"
        r" (?:updated|corrected|amended)\b.*",
    ),
    # Section labels of news-database exports (LexisNexis): "ABSTRACT.", "FULL TEXT."
    _rule("database-label", r"(?:ABSTRACT|FULL TEXT)(?:\. CORRECTION APPENDED)?\.?", re.NOFLAG),
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
            yield BoilerplateLine(start + _headline_length(line, rule), end, rule)
        start = end + 1


def _headline_length(line: str, rule: str) -> int:
    """Where the page furniture of a line starts: a page title's headline ("Minister
    claims ... | World | News") is the article's own first line, and may attribute a
    claim; only its section trail is boilerplate."""
    if rule != "title-trail":
        return 0
    return line.index(" | ")


def detect_boilerplate(text: str) -> list[tuple[int, int]]:
    """Half-open character ranges of boilerplate lines, sorted, one per line, newline excluded."""
    return [(found.start, found.end) for found in find_boilerplate(text)]
