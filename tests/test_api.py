"""The HTTP API over a store of articles written for the tests (FastAPI's TestClient)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord import schema
from onrecord.interfaces.api import create_app
from onrecord.pipeline.ingest import add_batch
from onrecord.settings import DEFAULTS, LOW_SPEAKER_SCORE
from onrecord.store import Store
from tests.test_store import bridge_article, kyiv_article


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "api.sqlite")
    add_batch(Store(path), [kyiv_article(), bridge_article()])
    return path


TOKEN = "harbour-desk-7f3a9c2e41"  # a token of the length `onrecord serve` asks for
LOCAL = "http://localhost"  # the Host a server bound to loopback answers to


@pytest.fixture
def client(db: str) -> TestClient:
    return TestClient(create_app(db), base_url=LOCAL)


def test_search_speaker_and_article_endpoints(client: TestClient) -> None:
    [row] = client.get("/api/search", params={"q": "troops Kyiv"}).json()
    assert row["speaker"] == "John Kirby" and row["article"] == "kyiv"
    speaker = client.get("/api/speaker", params={"name": "Kirby"}).json()
    assert speaker["timeline"] == [{"month": "2022-03", "count": 2}]
    assert speaker["speakers"][0]["speaker"] == "John Kirby"
    article = client.get("/api/articles/kyiv").json()
    assert article["outlet"] == "news.example" and len(article["attributions"]) == 2
    assert client.get("/api/articles/nothing-here").status_code == 404
    assert "/api/search" in client.get("/openapi.json").json()["paths"]


def test_search_rows_are_claims_that_open_with_their_statements(client: TestClient) -> None:
    [row] = client.get("/api/search", params={"q": "convoy stopped"}).json()
    assert (row["occurrences"], row["independent_sources"]) == (1, 1)
    claim = client.get(f"/api/claims/{row['claim']}").json()
    assert claim["speaker"] == "John Kirby" and claim["sources"] == ["news.example"]
    assert [s["article"] for s in claim["statements"]] == ["kyiv"]
    assert client.get("/api/claims/9999").status_code == 404
    assert client.get("/api/claims/zero").status_code == 422
    assert client.get("/api/claims/99999999999999999999999").status_code == 422  # was a 500
    speaker = client.get("/api/speaker", params={"name": "Kirby"}).json()
    assert [c["claim"] for c in speaker["claims"]] == sorted(c["claim"] for c in speaker["claims"])


def test_bad_queries_are_client_errors_not_crashes(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "x" * 501}).status_code == 422
    assert client.get("/api/search", params={"q": "troops", "limit": 10_000}).status_code == 422
    assert client.get("/api/search", params={"q": "'\"--"}).status_code == 400
    assert client.get("/api/search", params={"q": "troops", "since": "soon"}).status_code == 422
    response = client.get("/api/search", params={"q": "x'; DROP TABLE articles; --"})
    assert response.status_code == 200
    nul = client.get("/api/search", params={"q": "troops\x00Kyiv"})
    assert nul.status_code == 422
    assert nul.json() == {"detail": "query parameter q: has a NUL character"}
    assert client.get("/api/articles/kyiv").status_code == 200


def test_read_only_without_a_token(client: TestClient) -> None:
    response = client.post("/api/ingest", json={"articles": [{"id": "a", "text": "Hi."}]})
    assert response.status_code == 403


def test_only_the_hosts_of_the_server_are_answered(db: str) -> None:
    app = create_app(db)
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/").status_code == 200
    rebound = TestClient(app, base_url="http://rebind.attacker.example:8000").get("/")
    assert rebound.status_code == 400 and "Host header" in rebound.json()["detail"]
    assert rebound.headers["x-frame-options"] == "DENY"


def test_ingest_needs_the_token_and_bounded_bodies(db: str) -> None:
    client = TestClient(create_app(db, token=TOKEN), base_url=LOCAL)
    body = {
        "articles": [
            {
                "id": "tram",
                "text": "The mayor said the tram would open in May.",
                "outlet": "westhaven-post",
                "published": "2024-05-01",
            }
        ]
    }
    assert client.post("/api/ingest", json=body).status_code == 401
    wrong = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    bare = client.post("/api/ingest", json=body, headers={"Authorization": TOKEN})
    assert bare.status_code == 401  # the token alone, without "Bearer ", is not enough
    auth = {"Authorization": f"Bearer {TOKEN}"}
    added = client.post("/api/ingest", json=body, headers=auth).json()
    assert added["added"] == 1 and added["attributions"] >= 1
    assert client.post("/api/ingest", json=body, headers=auth).json()["unchanged"] == 1
    assert client.get("/api/search", params={"q": "tram"}).json()[0]["outlet"] == "westhaven-post"
    huge = client.post(
        "/api/ingest",
        content=b"x" * (DEFAULTS.max_body_bytes + 1),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    too_many = {"articles": [{"id": str(i), "text": "Hi."} for i in range(101)]}
    assert client.post("/api/ingest", json=too_many, headers=auth).status_code == 422
    malformed = client.post(
        "/api/ingest", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
    )
    assert malformed.status_code == 422


def test_speaker_scores_are_sent_and_described(client: TestClient) -> None:
    """kyiv_article's "He" is John Kirby with a score below LOW_SPEAKER_SCORE."""
    article = client.get("/api/articles/kyiv").json()
    assert [a["speaker_score"] for a in article["attributions"]] == [0.93, 0.42]
    assert client.get("/api/articles/bridge").json()["attributions"][0]["speaker_score"] is None
    [row] = client.get("/api/search", params={"q": "convoy"}).json()
    assert (row["speaker"], row["speaker_score"]) == ("John Kirby", 0.42)
    claims = client.get("/api/speaker", params={"name": "Kirby"}).json()["claims"]
    assert [c["speaker_score"] for c in claims] == [0.93, 0.42]
    statements = client.get(f"/api/claims/{row['claim']}").json()["statements"]
    assert statements[0]["speaker_score"] == 0.42
    components = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("Attribution", "Statement", "ClaimStatement"):
        described = components[name]["properties"]["speaker_score"]
        assert f"below {LOW_SPEAKER_SCORE}" in described["description"], name
        assert {"type": "null"} in described["anyOf"], name


RECORDS = ("Attribution", "Article", "Statement", "Claim", "Speaker", "CopyRelation")


def test_openapi_types_every_response_with_the_schema(client: TestClient) -> None:
    openapi = client.get("/openapi.json").json()
    components = openapi["components"]["schemas"]
    for name in RECORDS:
        properties = components[name]["properties"]
        assert list(properties) == list(getattr(schema, name).model_fields), name
        assert all(p.get("description") for p in properties.values()), name
    gets = {path: ops["get"] for path, ops in openapi["paths"].items() if "get" in ops}
    workbench = {
        "/api/dashboard",
        "/api/claims",
        "/api/claims/{claim}/jsonld",
        "/api/speaker-profile",
        "/api/copy-links/{article_id}",
        "/api/article-claims/{article_id}",
    }
    assert len(gets) >= 12 and workbench <= set(gets)  # 6 of the record, 6 of the workbench
    for path, get in gets.items():
        ok = json.dumps(get["responses"]["200"]["content"]["application/json"]["schema"])
        refs = re.findall(r'"#/components/schemas/(\w+)"', ok)
        assert refs and all(ref in components for ref in refs), path


def test_the_api_sends_the_records_the_store_reads(client: TestClient, db: str) -> None:
    store = Store(db)
    rows = client.get("/api/search", params={"q": "troops Kyiv"}).json()
    assert rows == [r.model_dump(mode="json") for r in store.search("troops Kyiv")]
    assert list(rows[0]) == list(schema.Statement.model_fields)
    claim = client.get(f"/api/claims/{rows[0]['claim']}").json()
    assert claim == store.claim(rows[0]["claim"]).model_dump(mode="json")
    article = client.get("/api/articles/kyiv").json()
    assert article == store.article("kyiv").to_document().to_json()
    assert client.get("/api/copies/kyiv").json() == {"article": "kyiv", "copy_of": None}
