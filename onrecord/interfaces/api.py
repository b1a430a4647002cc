"""The HTTP API and the web UI over a store: ``onrecord serve``.

Read-only unless started with a token (at least 16 characters); ``POST /api/ingest`` then
needs ``Authorization: Bearer TOKEN``, checked before its body is read. Request bodies are
capped as they stream in, page sizes and text inputs are bounded, only the Host names the
server was started for are answered, and every response carries security headers
(``onrecord.interfaces.guards``). Bad input is a 4xx with ``{"detail": "one line"}``. The
web UI (``/``) is static HTML and JavaScript that reads this API and writes article text
into the page as text, never as markup.
"""

import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import date
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, Field
from starlette.types import ASGIApp

from onrecord import __version__
from onrecord.document import Article as ArticleDocument
from onrecord.interfaces.api_models import NO_NUL, Plain, date_text, errors, text_field
from onrecord.interfaces.api_pages import workbench_routes
from onrecord.interfaces.api_quotes import quote_routes
from onrecord.interfaces.guards import (
    DOCS_ASSETS,
    LOOPBACK_HOSTS,
    BodyCap,
    SecurityHeaders,
    TrustedHosts,
    bearer_matches,
    check_token,
    docs_page,
    error_response,
    swagger_ui_files,
)
from onrecord.schema import (
    Article,
    Claim,
    CopyRelation,
    MonthCount,
    NoCopy,
    Speaker,
    SpeakerClaims,
    Statement,
)
from onrecord.settings import Settings, load_settings
from onrecord.store import IngestCounts, QueryError, Store, StoreError

WEB = resources.files("onrecord.interfaces") / "web"
# SQLite's (and PostgreSQL's bigint) largest integer: a larger claim key is a 422, not a crash.
MAX_KEY = 2**63 - 1


def one_line(exc: RequestValidationError) -> str:
    """FastAPI's validation errors as one line: ``query parameter limit: Input should be
    less than or equal to 500``. The input itself is not echoed."""
    parts = []
    for error in exc.errors()[:3]:
        where, *rest = [str(part) for part in error.get("loc", ())] or ["request"]
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "")
            parts.append(f"body is not JSON: {reason} (at character {''.join(rest) or 0})")
            continue
        path = "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in rest).lstrip(".")
        name = {"query": "query parameter", "path": "path parameter"}.get(where, where)
        message = str(error.get("msg", "not valid")).removeprefix("Value error, ")
        parts.append(f"{name} {path}: {message}" if path else f"{name}: {message}")
    more = len(exc.errors()) - len(parts)
    line = "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
    return re.sub(r"\s+", " ", line)[:500]


def request_models(settings: Settings) -> tuple[type[BaseModel], type[BaseModel]]:
    """``ArticleIn`` and ``IngestRequest`` (the body of ``POST /api/ingest``), bounded by
    ``settings``: a request over them is answered 422 before any work."""

    class ArticleIn(BaseModel):
        id: Annotated[str, text_field(settings.max_id_chars, min_length=1), Plain]
        text: Annotated[str, text_field(settings.max_article_chars, min_length=1), Plain]
        url: Annotated[str, text_field(settings.max_url_chars), Plain] | None = None
        outlet: Annotated[str, text_field(settings.max_outlet_chars), Plain] | None = None
        published: Annotated[date | None, BeforeValidator(date_text)] = None

    class IngestRequest(BaseModel):
        articles: list[ArticleIn] = Field(min_length=1, max_length=settings.max_ingest_articles)

    return ArticleIn, IngestRequest


class _App(FastAPI):
    """FastAPI with the security headers outside everything, Starlette's own error
    responses included."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def guarded_route(check: Callable[[Request], None]) -> type[APIRoute]:
    """A route class that runs ``check`` on the request before its body is read (FastAPI
    reads a body before it runs a route's dependencies)."""

    class Guarded(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Any]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                check(request)
                return await handler(request)

            return guarded

    return Guarded


def create_app(
    db: str,
    token: str | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
) -> FastAPI:
    """The app over the database ``db``; ``token`` (at least 16 characters, else
    ``TokenError``) enables ``POST /api/ingest``; ``settings`` (default:
    ``load_settings()``) bound pages, queries and bodies; ``allowed_hosts`` are the Host
    names it answers to (``guards.allowed_hosts`` makes them for a bound address)."""
    token = check_token(token)
    settings = settings or load_settings()
    store = Store(db, settings=settings)
    app = _App(
        title="onrecord",
        version=__version__,
        description="Who said what: search the attributions stored by `onrecord ingest`.",
        docs_url=None,  # served below, with a policy for what Swagger UI loads
        redoc_url=None,
    )
    extraction = _LazyExtractor(model)
    # The parameters and the body, bounded by the settings (so /openapi.json shows them).
    Words = Annotated[
        str,
        Query(min_length=1, max_length=settings.max_query_chars, json_schema_extra=NO_NUL),
        Plain,
    ]
    Outlet = Annotated[Annotated[str, text_field(settings.max_outlet_chars), Plain] | None, Query()]
    Limit = Annotated[int, Query(ge=1, le=settings.max_page, description="rows per page")]
    Offset = Annotated[int, Query(ge=0, le=settings.max_offset, description="rows to skip")]
    ArticleId = Annotated[
        str, Path(max_length=settings.max_id_chars, json_schema_extra=NO_NUL), Plain
    ]
    _, IngestRequest = request_models(settings)

    # Outermost first: the Host check, then the body cap (inside them FastAPI's own).
    app.add_middleware(BodyCap, cap=settings.max_body_bytes)
    app.add_middleware(TrustedHosts, allowed_hosts=allowed_hosts)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, one_line(exc))

    @app.exception_handler(QueryError)
    async def refused_query(_request: Request, exc: QueryError) -> JSONResponse:
        return error_response(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_failed(_request: Request, exc: StoreError) -> JSONResponse:
        return error_response(503, str(exc))

    @app.exception_handler(Exception)
    async def crashed(_request: Request, _exc: Exception) -> JSONResponse:
        # A bug, not bad input: the traceback goes to the server's log, never to the client.
        return error_response(500, "internal error: see the server's log")

    @app.get(
        "/api/search",
        response_model=list[Statement],
        summary="Claims with a statement whose content or speaker has every word, "
        "with their occurrences and independent sources",
        responses=errors(),
    )
    def search(
        q: Words,
        since: date | None = None,
        until: date | None = None,
        outlet: Outlet = None,
        limit: Limit = settings.page_size,
        offset: Offset = 0,
    ) -> list[Statement]:
        return store.search(q, since=since, until=until, outlet=outlet, limit=limit, offset=offset)

    @app.get(
        "/api/speakers",
        response_model=list[Speaker],
        summary="Speakers whose name or a name variant has NAME",
        responses=errors(),
    )
    def speakers(name: Words) -> list[Speaker]:
        return store.speakers_named(name)

    @app.get(
        "/api/speaker",
        response_model=SpeakerClaims,
        summary="A speaker's claims over time, with a timeline",
        responses=errors(),
    )
    def speaker(
        name: Words,
        since: date | None = None,
        until: date | None = None,
        outlet: Outlet = None,
        limit: Limit = settings.speaker_page_size,
        offset: Offset = 0,
    ) -> SpeakerClaims:
        rows = store.speaker(
            name, since=since, until=until, outlet=outlet, limit=limit, offset=offset
        )
        months = Counter(r.published.isoformat()[:7] if r.published else "undated" for r in rows)
        return SpeakerClaims(
            speakers=store.speakers_named(name),
            timeline=[MonthCount(month=m, count=c) for m, c in sorted(months.items())],
            claims=rows,
        )

    @app.get(
        "/api/claims/{claim}",
        response_model=Claim,
        summary="A claim with every statement of it",
        responses=errors(404),
    )
    def claim(claim: Annotated[int, Path(ge=1, le=MAX_KEY)]) -> Claim:
        try:
            return store.claim(claim)
        except QueryError as exc:
            raise HTTPException(404, str(exc)) from exc

    @app.get(
        "/api/articles/{article_id:path}",
        response_model=Article,
        summary="An article with its spans",
        responses=errors(404),
    )
    def article(article_id: ArticleId) -> Article:
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id[:100]!r}")
        return found

    @app.get(
        "/api/copies/{article_id:path}",
        response_model=CopyRelation | NoCopy,
        summary="The earlier article this one copies",
        responses=errors(404),
    )
    def copy_of(article_id: ArticleId) -> CopyRelation | NoCopy:
        try:
            return store.copy_of(article_id) or NoCopy(article=article_id)
        except QueryError as exc:  # no such article
            raise HTTPException(404, str(exc)[:200]) from exc

    def authorised(request: Request) -> None:
        # Run before the body is read: a refused request costs no upload.
        if token is None:
            raise HTTPException(403, "read-only: start `onrecord serve --token ...` to ingest")
        if not bearer_matches(request.headers.get("authorization"), token):
            raise HTTPException(
                401,
                "missing or wrong token: send 'Authorization: Bearer TOKEN'",
                headers={"WWW-Authenticate": "Bearer"},
            )

    ingest_routes = APIRouter(route_class=guarded_route(authorised))

    @ingest_routes.post(
        "/api/ingest",
        response_model=IngestCounts,
        # Checked by the route before the body is read; declared here for /openapi.json.
        dependencies=[Depends(HTTPBearer(auto_error=False))],
        summary=f"Extract and store up to {settings.max_ingest_articles} articles",
        responses=errors(401, 403),
    )
    def ingest(request: IngestRequest) -> IngestCounts:
        # The one ingest path: stored articles are skipped before extraction; one batch,
        # so a request is written whole or not at all.
        from onrecord.pipeline.ingest import ingest as ingest_articles

        articles = [
            ArticleDocument(
                a.id,
                a.text,
                url=a.url,
                outlet=a.outlet,
                published=a.published.isoformat() if a.published else None,
            )
            for a in request.articles
        ]
        total: Counter = Counter()
        for _batch, counts in ingest_articles(
            store, extraction.get(), articles, batch_size=settings.max_ingest_articles
        ):
            total.update(vars(counts))
        return IngestCounts(**{f.name: total[f.name] for f in fields(IngestCounts)})

    app.include_router(ingest_routes)
    app.include_router(workbench_routes(store, settings))
    app.include_router(quote_routes(store, settings))

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return docs_page(root + app.openapi_url, f"{app.title} - Swagger UI", root)

    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_files()), name="docs-assets")

    app.mount("/static", StaticFiles(directory=str(WEB)), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(WEB / "index.html"))

    return app


class _LazyExtractor:
    """The pipeline, loaded on the first ingest request (a read-only server never needs it)."""

    def __init__(self, model: str | None) -> None:
        self.model = model
        self._extractor = None
        self._lock = threading.Lock()

    def get(self):
        from onrecord.pipeline.extractor import Extractor

        with self._lock:
            if self._extractor is None:
                self._extractor = Extractor(self.model)
        return self._extractor
