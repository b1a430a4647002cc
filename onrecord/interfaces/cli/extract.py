"""``onrecord extract`` and ``onrecord speakers``: attributions found in articles read
from files or stdin, per article or grouped by speaker."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

from onrecord.interfaces.cli.options import USAGE, Commands, add_command, add_model_options
from onrecord.interfaces.cli.output import (
    EXIT_FAILURE,
    EXIT_INPUT_ERRORS,
    EXIT_OK,
    json_line,
    open_output,
    output_format,
    progress,
    write_table,
)
from onrecord.interfaces.cli.resources import Inputs, load_extractor
from onrecord.settings import Settings

if TYPE_CHECKING:
    from onrecord.document import Article

EXTRACT_HELP = """\
Find attributed statements (source, cue, content) in news articles.

Inputs: .txt, .html/.htm (main text taken with trafilatura), .jsonl (one object per
line with "text" and "id"), .warc/.warc.gz, .rss/.atom/.xml feeds, or - for stdin.
Each article becomes one JSON line:

  {"id": ..., "url": ... | null, "outlet": ... | null, "published": "YYYY-MM-DD" | null,
   "text": ..., "boilerplate": [[s, e], ...], "attributions": [{
   "source": [[s, e], ...], "cue": [[s, e], ...], "content": [[s, e], ...],
   "speaker": "John Kirby" | null, "speaker_type": "person" | "organisation" |
   "country" | "group" | "document" | "anonymous" | "unresolved",
   "speaker_role": "Pentagon spokesman", "speaker_org": "Pentagon",
   "anonymous": false, "anonymity": "agentless" | "unnamed official" | ... | null,
   "via": ["BBC"], "confidence": [{"term": "almost certain", "low": 0.95,
   "high": 1.0, "yardstick": "PHIA" | "ICD 203", "hedged": false,
   "negated": false, "span": [s, e]}], "kind": "direct" | "indirect" | "mixed",
   "score": 0.0-1.0, "parent": null | i}]}

Offsets are [start, end) character indices into "text". "speaker" is the canonical
name ("he" -> "John Kirby"); "via" lists who relayed the words, outermost first;
"confidence" gives estimative terms their PHIA or ICD 203 range, and hedges ("may",
"reportedly") and negated terms no number; "parent" is the index of the attribution
whose content holds this one (nested speech). --format csv writes one row per
attribution instead (article, ordinal, speaker, speaker_type, speaker_role, speaker_org,
speaker_score, source, cue, content, kind, via, anonymous, anonymity, confidence, score),
spans as their words. Problems with an input are reported on stderr, one line each, and
the other inputs are still processed.
"""

EXTRACT_EXAMPLES = (
    "onrecord extract article.txt page.html          a table per article on a terminal",
    "onrecord extract --format jsonl news.jsonl > found.jsonl",
    "cat article.txt | onrecord extract -            standard input",
    "onrecord extract --jobs 2 corpus.jsonl -o out.jsonl",
    "onrecord extract --format csv news.jsonl > attributions.csv   one row per attribution",
)

SPEAKERS_HELP = """\
Group the attributions of a set of articles by speaker: "Zelensky", "Volodymyr
Zelensky" and "Zelenskyy" are one speaker; a bare "Kirby" joins "John Kirby" only when
a role, an organisation or the articles' context says it is the same person.

Inputs are read as `onrecord extract` reads them. One JSON line per speaker, most
attributions first:

  {"speaker": "John Kirby", "speaker_type": "person", "variants": [...],
   "roles": ["Pentagon spokesman"], "orgs": ["Pentagon"], "count": 3,
   "attributions": [{"article": ID, "source": [[s, e]], "cue": [[s, e]],
   "content": [[s, e], ...], "kind": ..., "via": [...]}]}

Anonymous and unresolved sources have no speaker and are left out. csv: one row per
attribution (speaker, speaker_type, variants, roles, orgs, count, article, source, cue,
content, kind, via), spans as their words.
"""

SPEAKERS_EXAMPLES = (
    "onrecord speakers articles/*.txt                who is quoted, most quoted first",
    "onrecord speakers --format jsonl corpus.jsonl > speakers.jsonl",
    "onrecord speakers --format csv corpus.jsonl > speakers.csv   one row per attribution",
)

# extract and speakers read articles the same way, so they end the same way.
EXIT_CODES = (
    (EXIT_OK, "every input processed (warnings may have been printed)"),
    (EXIT_INPUT_ERRORS, "some inputs were unreadable; the rest were processed and written"),
    USAGE,
    (EXIT_FAILURE, "nothing processed: the model could not be loaded or --output not written"),
)

Emit = Callable[[Iterable["Article"], TextIO, str], None]


def add_commands(commands: Commands, settings: Settings) -> None:
    _add_article_command(
        commands,
        "extract",
        summary="find attributions in articles",
        description=EXTRACT_HELP,
        examples=EXTRACT_EXAMPLES,
        run=run_extract,
    )
    _add_article_command(
        commands,
        "speakers",
        summary="group attributions by speaker across articles",
        description=SPEAKERS_HELP,
        examples=SPEAKERS_EXAMPLES,
        run=run_speakers,
    )


def _add_article_command(commands: Commands, name: str, **help_and_run) -> None:
    """A command that reads articles from FILE... and writes a table or JSON Lines."""
    p = add_command(commands, name, exit_codes=EXIT_CODES, **help_and_run)
    p.add_argument("inputs", nargs="+", metavar="FILE", help="files to read; - for stdin")
    p.add_argument(
        "--format",
        choices=("table", "jsonl", "csv"),
        help="output format (default: table on a terminal, jsonl otherwise); csv: one row "
        "per attribution, spans as their words",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    add_model_options(p)


def run_extract(args: argparse.Namespace) -> int:
    def emit(articles: Iterable[Article], out: TextIO, fmt: str) -> None:
        from onrecord.interfaces.cli.exports import ARTICLE_COLUMNS, article_rows, write_csv
        from onrecord.interfaces.table import format_article
        from onrecord.schema import Article as ArticleRecord

        if fmt == "csv":
            records = (ArticleRecord.from_document(article) for article in articles)
            write_csv((row for r in records for row in article_rows(r)[0]), ARTICLE_COLUMNS, out)
            return
        for article in articles:
            record = ArticleRecord.from_document(article)
            if fmt == "table":
                write_table(format_article(record), out)
            else:
                out.write(json_line(record) + "\n")
            out.flush()

    return _run_on_articles(args, emit)


def run_speakers(args: argparse.Namespace) -> int:
    def emit(articles: Iterable[Article], out: TextIO, fmt: str) -> None:
        from onrecord.interfaces.cli.exports import speaker_rows, write_csv
        from onrecord.interfaces.table import format_speakers
        from onrecord.speakers.grouping import group_speakers

        read = list(articles)
        records = group_speakers(read)
        if fmt == "csv":
            write_csv(*speaker_rows(records, {a.id: a.text for a in read}), out)
        elif fmt == "table":
            write_table(format_speakers(records), out)
        else:
            out.writelines(json_line(r.to_json()) + "\n" for r in records)

    return _run_on_articles(args, emit)


def _run_on_articles(args: argparse.Namespace, emit: Emit) -> int:
    """Load the pipeline, extract from the inputs and let ``emit`` write the results."""
    extractor = load_extractor(args)
    if extractor is None:
        return EXIT_FAILURE
    out = open_output(args.output)
    if out is None:
        return EXIT_FAILURE
    fmt = output_format(args.format, out)
    inputs = Inputs(args.inputs)
    emit(progress(extractor.extract(inputs), "extracting"), out, fmt)
    if out is not sys.stdout:
        out.close()
    return EXIT_INPUT_ERRORS if inputs.failed else EXIT_OK
