"""The HTTP API and the web UI over a store: ``onrecord serve``.

Read-only unless started with a token; ``POST /api/ingest`` then needs
``Authorization: Bearer TOKEN``. Request bodies and page sizes are bounded. The web UI
(``/``) is static HTML and JavaScript that reads this API and writes article text into
the page as text, never as markup.
"""

import hmac
import threading
from collections import Counter
from dataclasses import fields
from datetime import date
from importlib import resources
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from onrecord import __version__
from onrecord.document import Article as ArticleDocument
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
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"


def request_models(settings: Settings) -> tuple[type[BaseModel], type[BaseModel]]:
    """``ArticleIn`` and ``IngestRequest`` (the body of ``POST /api/ingest``), bounded by
    ``settings``: a request over them is answered 422 before any work."""

    class ArticleIn(BaseModel):
        id: str = Field(min_length=1, max_length=settings.max_id_chars)
        text: str = Field(min_length=1, max_length=settings.max_article_chars)
        url: str | None = Field(default=None, max_length=settings.max_url_chars)
        outlet: str | None = Field(default=None, max_length=settings.max_outlet_chars)
        published: date | None = None

    class IngestRequest(BaseModel):
        articles: list[ArticleIn] = Field(min_length=1, max_length=settings.max_ingest_articles)

    return ArticleIn, IngestRequest


def create_app(
    db: str,
    token: str | None = None,
    model: str | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    """The app over the database ``db``; ``token`` enables ``POST /api/ingest``;
    ``settings`` (default: ``load_settings()``) bound pages, queries and bodies."""
    settings = settings or load_settings()
    store = Store(db, settings=settings)
    app = FastAPI(
        title="onrecord",
        version=__version__,
        description="Who said what: search the attributions stored by `onrecord ingest`.",
    )
    extraction = _LazyExtractor(model)
    # The parameters and the body, bounded by the settings (so /openapi.json shows them).
    Words = Annotated[str, Query(min_length=1, max_length=settings.max_query_chars)]
    Outlet = Annotated[str | None, Query(max_length=settings.max_outlet_chars)]
    Limit = Annotated[int, Query(ge=1, le=settings.max_page, description="rows per page")]
    Offset = Annotated[int, Query(ge=0, le=settings.max_offset, description="rows to skip")]
    _, IngestRequest = request_models(settings)
    max_body = settings.max_body_bytes

    @app.middleware("http")
    async def bounded_bodies(request: Request, call_next):
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_body):
            return JSONResponse({"detail": f"request body over {max_body} bytes"}, 413)
        response = await call_next(request)
        if not request.url.path.startswith("/docs"):
            # Defence in depth for untrusted article text: only our own script may run.
            response.headers["Content-Security-Policy"] = CSP
        return response

    @app.exception_handler(QueryError)
    async def refused_query(_request: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(StoreError)
    async def store_failed(_request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.get(
        "/api/search",
        response_model=list[Statement],
        summary="Claims with a statement whose content or speaker has every word, "
        "with their occurrences and independent sources",
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
    )
    def speakers(name: Words) -> list[Speaker]:
        return store.speakers_named(name)

    @app.get(
        "/api/speaker",
        response_model=SpeakerClaims,
        summary="A speaker's claims over time, with a timeline",
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
        responses={404: {"description": "no such claim"}},
    )
    def claim(claim: Annotated[int, Path(ge=1)]) -> Claim:
        try:
            return store.claim(claim)
        except QueryError as exc:
            raise HTTPException(404, str(exc)) from exc

    @app.get(
        "/api/articles/{article_id:path}",
        response_model=Article,
        summary="An article with its spans",
        responses={404: {"description": "no such article"}},
    )
    def article(article_id: str) -> Article:
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return found

    @app.get(
        "/api/copies/{article_id:path}",
        response_model=CopyRelation | NoCopy,
        summary="The earlier article this one copies",
    )
    def copy_of(article_id: str) -> CopyRelation | NoCopy:
        return store.copy_of(article_id) or NoCopy(article=article_id)

    def authorised(authorization: str | None = Header(default=None)) -> None:
        if token is None:
            raise HTTPException(403, "read-only: start `onrecord serve --token ...` to ingest")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong bearer token")

    @app.post(
        "/api/ingest",
        response_model=IngestCounts,
        dependencies=[Depends(authorised)],
        summary=f"Extract and store up to {settings.max_ingest_articles} articles",
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
