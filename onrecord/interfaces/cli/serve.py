"""``onrecord serve``: the HTTP API and the web UI over a database."""

from __future__ import annotations

import argparse

from onrecord.interfaces.cli.options import USAGE, Commands, add_command, add_db_option
from onrecord.interfaces.cli.output import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, error
from onrecord.settings import Settings

EXAMPLES = (
    "onrecord serve --db news.sqlite                     http://127.0.0.1:8000, read-only",
    "ONRECORD_TOKEN=$(openssl rand -hex 24) onrecord serve --db news.sqlite --port 8080"
    "   also POST /api/ingest",
    "onrecord serve --db news.sqlite --allowed-hosts news.example.org   behind a proxy",
)

EXIT_CODES = (
    (EXIT_OK, "the server was stopped"),
    USAGE,
    (EXIT_USAGE, "a token under 16 characters, or an allowed host that is not a host name"),
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
        "--token",
        help="enable ingest over HTTP with this bearer token, at least 16 characters "
        "(or set ONRECORD_TOKEN)",
    )
    p.add_argument(
        "--allowed-hosts",
        metavar="HOSTS",
        help="comma-separated Host names to answer to besides the bound host (and "
        "localhost on loopback): the names a proxy or clients use; '*.example.org' for "
        "subdomains, '*' for any (or set ONRECORD_ALLOWED_HOSTS)",
    )
    p.add_argument("--model", metavar="DIR", help="model for ingest (default: shipped)")


def run_serve(args: argparse.Namespace) -> int:
    import os
    import sys

    import uvicorn

    from onrecord.interfaces.api import create_app
    from onrecord.interfaces.guards import (
        HostsError,
        TokenError,
        allowed_hosts,
        check_token,
        parse_hosts,
    )
    from onrecord.store import StoreError

    # A set but empty ONRECORD_TOKEN is a mistake to refuse, not a way to read-only.
    from_option = args.token is not None
    token = args.token if from_option else os.environ.get("ONRECORD_TOKEN")
    hosts_option = args.allowed_hosts is not None
    extra_hosts = args.allowed_hosts if hosts_option else os.environ.get("ONRECORD_ALLOWED_HOSTS")
    try:
        check_token(token, "--token" if from_option else "ONRECORD_TOKEN")
        hosts = allowed_hosts(args.host, parse_hosts(extra_hosts))
    except TokenError as exc:
        error(str(exc))
        return EXIT_USAGE
    except HostsError as exc:
        error(f"{'--allowed-hosts' if hosts_option else 'ONRECORD_ALLOWED_HOSTS'}: {exc}")
        return EXIT_USAGE
    try:
        app = create_app(
            args.db, token=token, model=args.model, settings=args.settings, allowed_hosts=hosts
        )
    except StoreError as exc:
        error(str(exc))
        return EXIT_FAILURE
    mode = "ingest with the token" if token else "read-only"
    print(f"onrecord serve: {mode}; Host names answered: {', '.join(hosts)}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return EXIT_OK
