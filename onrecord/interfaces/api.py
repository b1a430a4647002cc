"""The HTTP API and the web UI over a store: ``onrecord serve``.

Read-only unless started with a token; ``POST /api/ingest`` then needs
``Authorization: Bearer TOKEN``. Request bodies and page sizes are bounded. The web UI
(``/``) is static HTML and JavaScript that reads this API and writes article text into
the page as text, never as markup.
"""

from __future__ import annotations

import hmac
import threading
from collections import Counter
from datetime import date
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from onrecord import __version__
from onrecord.document import Article
from onrecord.store import QueryError, Store, StoreError

MAX_BODY_BYTES = 5_000_000
MAX_INGEST_ARTICLES = 100
MAX_PAGE = 500
WEB = resources.files("onrecord.interfaces") / "web"
CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Words = Annotated[str, Query(min_length=1, max_length=500)]


class ArticleIn(BaseModel):
    id: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1, max_length=1_000_000)
    url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=300)
    published: date | None = None


class IngestRequest(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_INGEST_ARTICLES)


def create_app(db: str, token: str | None = None, model: str | None = None) -> FastAPI:
    """The app over the database ``db``; ``token`` enables ``POST /api/ingest``."""
    store = Store(db)
    app = FastAPI(
        title="onrecord",
        version=__version__,
        description="Who said what: search the attributions stored by `onrecord ingest`.",
    )
    extraction = _LazyExtractor(model)

    @app.middleware("http")
    async def bounded_bodies(request: Request, call_next):
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            return JSONResponse({"detail": f"request body over {MAX_BODY_BYTES} bytes"}, 413)
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
        summary="Claims with a statement whose content or speaker has every word, "
        "with their occurrences and independent sources",
    )
    def search(
        q: Words,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = Query(default=None, max_length=300),
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        return store.search(q, since=since, until=until, outlet=outlet, limit=limit, offset=offset)

    @app.get("/api/speakers", summary="Speakers whose name or a name variant has NAME")
    def speakers(name: Words) -> list[dict[str, Any]]:
        return store.speakers_named(name)

    @app.get("/api/speaker", summary="A speaker's claims over time, with a timeline")
    def speaker(
        name: Words,
        since: date | None = None,
        until: date | None = None,
        outlet: str | None = Query(default=None, max_length=300),
        limit: Limit = 200,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        rows = store.speaker(
            name, since=since, until=until, outlet=outlet, limit=limit, offset=offset
        )
        months = Counter((r["published"] or "undated")[:7] for r in rows)
        return {
            "speakers": store.speakers_named(name),
            "timeline": [{"month": m, "count": c} for m, c in sorted(months.items())],
            "claims": rows,
        }

    @app.get("/api/claims/{claim}", summary="A claim with every statement of it")
    def claim(claim: Annotated[int, Path(ge=1)]) -> dict[str, Any]:
        try:
            return store.claim(claim)
        except QueryError as exc:
            raise HTTPException(404, str(exc)) from exc

    @app.get("/api/articles/{article_id:path}", summary="An article with its spans")
    def article(article_id: str) -> dict[str, Any]:
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return found.to_json()

    @app.get("/api/copies/{article_id:path}", summary="The earlier article this one copies")
    def copy_of(article_id: str) -> dict[str, Any]:
        found = store.copy_of(article_id)
        return found or {"article": article_id, "copy_of": None}

    def authorised(authorization: str | None = Header(default=None)) -> None:
        if token is None:
            raise HTTPException(403, "read-only: start `onrecord serve --token ...` to ingest")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong bearer token")

    @app.post(
        "/api/ingest",
        dependencies=[Depends(authorised)],
        summary="Extract and store up to 100 articles",
    )
    def ingest(request: IngestRequest) -> dict[str, int]:
        # The one ingest path: stored articles are skipped before extraction; one batch,
        # so a request is written whole or not at all.
        from onrecord.pipeline.ingest import ingest as ingest_articles

        articles = [
            Article(
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
            store, extraction.get(), articles, batch_size=MAX_INGEST_ARTICLES
        ):
            total.update(vars(counts))
        return {
            "added": total["added"],
            "versions": total["versions"],
            "unchanged": total["unchanged"],
            "attributions": total["attributions"],
        }

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
