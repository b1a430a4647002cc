"""``onrecord serve``: the HTTP API and the web UI over a database."""

from __future__ import annotations

import argparse

from onrecord.interfaces.cli.options import USAGE, Commands, add_command, add_db_option
from onrecord.interfaces.cli.output import EXIT_FAILURE, EXIT_OK, error
from onrecord.settings import Settings

EXAMPLES = (
    "onrecord serve --db news.sqlite                     http://127.0.0.1:8000, read-only",
    "ONRECORD_TOKEN=s3cret onrecord serve --db news.sqlite --port 8080   also POST /api/ingest",
)

EXIT_CODES = (
    (EXIT_OK, "the server was stopped"),
    USAGE,
    (EXIT_FAILURE, "the database could not be opened"),
)


def add_commands(commands: Commands, settings: Settings) -> None:
    p = add_command(
        commands,
        "serve",
        summary="HTTP API and web UI over a database",
        description="Serve the API (OpenAPI at /docs) and the web UI (/) over a database made\n"
        "by `onrecord ingest`. Read-only unless --token is given; then POST /api/ingest\n"
        f"accepts up to {settings.max_ingest_articles} articles with "
        "'Authorization: Bearer TOKEN'.\n",
        examples=EXAMPLES,
        exit_codes=EXIT_CODES,
        run=run_serve,
    )
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument(
        "--token", help="enable ingest over HTTP with this bearer token (or set ONRECORD_TOKEN)"
    )
    p.add_argument("--model", metavar="DIR", help="model for ingest (default: shipped)")


def run_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from onrecord.interfaces.api import create_app
    from onrecord.store import StoreError

    token = args.token or os.environ.get("ONRECORD_TOKEN")
    try:
        app = create_app(args.db, token=token, model=args.model, settings=args.settings)
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return EXIT_OK
