"""The HTTP API against hostile requests: weak tokens, tokens without "Bearer", uploads
that stream past the body cap before any token is shown, numbers and text the stores
cannot hold, Host headers of a DNS-rebinding page, and pages that would be framed. Every
refusal is a 4xx JSON error with a one-line message, and every response carries the
security headers. The API is also fuzzed from its own OpenAPI schema with schemathesis.

The ASGI tests call the app with a hand-made receive stream, to count how much of a
request body the app pulled; ``test_a_real_server_*`` do the same over a socket."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import uvicorn
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from onrecord.interfaces import guards
from onrecord.interfaces.api import create_app
from onrecord.interfaces.guards import (
    API_CSP,
    MIN_TOKEN_CHARS,
    UI_CSP,
    HostsError,
    TokenError,
    allowed_hosts,
    bearer_matches,
    check_token,
)
from onrecord.pipeline.ingest import add_batch
from onrecord.settings import DEFAULTS, Settings
from onrecord.store import Store
from tests.test_store import bridge_article, kyiv_article

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "harbour-desk-7f3a9c2e41"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LOCAL = "http://localhost"
CHUNK = 64 * 1024
SECURITY = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}

TRAM = {
    "articles": [
        {
            "id": "westhaven/tram-delay",
            "text": "The city's transport director, Helen Marsh, said the tram line would "
            'open in September, four months late. "We found cracked rails," she said.',
            "url": "https://westhaven-post.example/tram-delay",
            "outlet": "westhaven-post",
            "published": "2024-05-01",
        }
    ]
}


def small_cap() -> Settings:
    """The defaults with a 1 MB body cap, so streaming past it is quick."""
    return Settings(max_body_bytes=1_000_000)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "api.sqlite")
    add_batch(Store(path), [kyiv_article(), bridge_article()])
    return path


def assert_secured(response, csp: str = API_CSP) -> None:
    for name, value in SECURITY.items():
        assert response.headers[name] == value, name
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == csp
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def assert_refused(response, status: int, words: str, csp: str = API_CSP) -> None:
    """A refusal: this status, JSON ``{"detail": one line with these words}``, secured."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and words in detail, detail
    assert "Traceback" not in response.text
    assert_secured(response, csp)


# ----------------------------------------------------------------------------- tokens


@pytest.mark.parametrize("weak", ["", "s3cret", "x" * (MIN_TOKEN_CHARS - 1)])
def test_an_empty_or_short_token_is_refused(db: str, weak: str) -> None:
    with pytest.raises(TokenError, match="ONRECORD_TOKEN"):
        check_token(weak, "ONRECORD_TOKEN")
    with pytest.raises(TokenError):
        create_app(db, token=weak)


def test_a_token_with_spaces_or_beyond_ascii_is_refused() -> None:
    with pytest.raises(TokenError, match="printable ASCII"):
        check_token("harbour desk 7f3a9c2e41", "--token")
    with pytest.raises(TokenError, match="printable ASCII"):
        check_token("hafenbüro-7f3a9c2e41", "--token")
    assert check_token(TOKEN) == TOKEN and check_token(None) is None


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`onrecord serve` as a user runs it; it must refuse before it starts listening."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    return subprocess.run(
        [sys.executable, "-m", "onrecord", "serve", *args],
        cwd=ROOT,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        ((), {"ONRECORD_TOKEN": ""}, "ONRECORD_TOKEN"),
        ((), {"ONRECORD_TOKEN": "s3cret"}, "ONRECORD_TOKEN"),
        (("--token", ""), {}, "--token"),
        (("--token", "short-token"), {"ONRECORD_TOKEN": TOKEN}, "--token"),
    ],
)
def test_serve_refuses_to_start_with_a_weak_token(
    tmp_path: Path, args: tuple, env: dict, named: str
) -> None:
    result = serve("--db", str(tmp_path / "news.sqlite"), "--port", "1", *args, env=env)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {named} ") and "16" in line, line
    assert not (tmp_path / "news.sqlite").exists()  # refused before opening anything


def test_serve_refuses_an_allowed_host_that_is_no_host(tmp_path: Path) -> None:
    result = serve("--db", str(tmp_path / "n.sqlite"), "--allowed-hosts", "https://x.example/")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: --allowed-hosts: 'https://x.example/'"), line
    result = serve(
        "--db", str(tmp_path / "n.sqlite"), env={"ONRECORD_ALLOWED_HOSTS": "news.example:8080"}
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ONRECORD_ALLOWED_HOSTS: 'news.example:8080'")


# ----------------------------------------------------------------------------- bearer


def test_only_bearer_tokens_are_accepted(db: str) -> None:
    client = TestClient(create_app(db, token=TOKEN), base_url=LOCAL)
    for header in (
        TOKEN,  # a bare token, once accepted
        f"Basic {base64.b64encode(f'desk:{TOKEN}'.encode()).decode()}",
        f"Token {TOKEN}",
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        "Bearer ",
        f"Bearer{TOKEN}",
    ):
        response = client.post("/api/ingest", json=TRAM, headers={"Authorization": header})
        assert_refused(response, 401, "Bearer")
        assert response.headers["www-authenticate"] == "Bearer"
    # Past the token (any case of the scheme, as HTTP has it), an empty body is a 422.
    for scheme in ("Bearer", "bearer"):
        response = client.post(
            "/api/ingest", json={"articles": []}, headers={"Authorization": f"{scheme} {TOKEN}"}
        )
        assert_refused(response, 422, "body articles")


def test_tokens_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = guards.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(guards.hmac, "compare_digest", spy)
    assert bearer_matches(f"Bearer {TOKEN}", TOKEN)
    assert not bearer_matches("Bearer h", TOKEN)
    # Digests of equal length are compared, so not even the token's length shows.
    assert [(len(a), len(b)) for a, b in compared] == [(32, 32), (32, 32)]


# ----------------------------------------------------------------------------- bodies


def scope(method: str, path: str, headers: dict[str, str]) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


def stream(app, method: str, path: str, headers: dict[str, str], total: int):
    """Send ``total`` bytes (JSON-ish) in 64 KiB chunks; answer (status, headers, body,
    bytes the app pulled from the stream)."""
    pulled = 0
    chunk = b" " * CHUNK
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        if pulled >= total:
            await asyncio.sleep(3600)  # the client has nothing more: wait to be dropped
        size = min(CHUNK, total - pulled)
        pulled += size
        return {"type": "http.request", "body": chunk[:size], "more_body": pulled < total}

    async def send(message: dict) -> None:
        sent.append(message)

    async def call() -> None:
        await asyncio.wait_for(app(scope(method, path, headers), receive, send), 60)

    asyncio.run(call())
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    answer = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], answer, json.loads(body), pulled


UPLOAD = 200 * 1024 * 1024  # the size of the upload that grew the server by 390 MB
CHUNKED = {"host": "localhost", "content-type": "application/json", "transfer-encoding": "chunked"}


def test_a_chunked_upload_without_a_token_is_refused_before_its_body_is_read(db: str) -> None:
    app = create_app(db, token=TOKEN, settings=small_cap())
    for headers in (CHUNKED, {**CHUNKED, "authorization": TOKEN}):
        status, answer, body, pulled = stream(app, "POST", "/api/ingest", headers, UPLOAD)
        assert (status, pulled) == (401, 0), body
        assert answer["connection"] == "close"  # and the rest is never read
    read_only = create_app(db, settings=small_cap())
    status, _, body, pulled = stream(read_only, "POST", "/api/ingest", CHUNKED, UPLOAD)
    assert (status, pulled) == (403, 0) and "read-only" in body["detail"]


def test_a_chunked_upload_stops_at_the_cap(db: str) -> None:
    cap = small_cap().max_body_bytes
    app = create_app(db, token=TOKEN, settings=small_cap())
    headers = {**CHUNKED, "authorization": f"Bearer {TOKEN}"}
    status, answer, body, pulled = stream(app, "POST", "/api/ingest", headers, UPLOAD)
    assert status == 413 and body == {"detail": f"request body over {cap} bytes"}
    assert pulled == (cap // CHUNK + 1) * CHUNK  # the first chunk past the cap, no more
    assert answer["connection"] == "close"
    assert answer["x-content-type-options"] == "nosniff"
    # The same body under the cap goes through to validation.
    status, _, body, pulled = stream(app, "POST", "/api/ingest", headers, cap)
    assert (status, pulled) == (422, cap) and body["detail"].startswith("body is not JSON")


def test_a_declared_length_over_the_cap_is_refused_unread(db: str) -> None:
    app = create_app(db, token=TOKEN, settings=small_cap())
    cap = small_cap().max_body_bytes
    headers = {"host": "localhost", "authorization": f"Bearer {TOKEN}"}
    status, answer, body, pulled = stream(
        app, "POST", "/api/ingest", {**headers, "content-length": str(UPLOAD)}, UPLOAD
    )
    assert (status, pulled) == (413, 0) and str(cap) in body["detail"]
    assert answer["connection"] == "close"
    status, _, body, pulled = stream(
        app, "POST", "/api/ingest", {**headers, "content-length": "12abc"}, 10
    )
    assert (status, pulled) == (400, 0) and "Content-Length" in body["detail"]
    # A GET never reads a body: nothing is pulled, and the connection is not kept.
    status, answer, _, pulled = stream(app, "GET", "/api/speakers", CHUNKED, UPLOAD)
    assert (status, pulled, answer["connection"]) == (422, 0, "close")


def test_the_default_cap_is_the_setting(db: str) -> None:
    client = TestClient(create_app(db, token=TOKEN), base_url=LOCAL)
    body = json.dumps({"articles": [{"id": "x", "text": "a" * DEFAULTS.max_body_bytes}]})
    chunks = (body[i : i + CHUNK].encode() for i in range(0, len(body), CHUNK))
    response = client.post(
        "/api/ingest", content=chunks, headers={**AUTH, "content-type": "application/json"}
    )
    assert_refused(response, 413, f"request body over {DEFAULTS.max_body_bytes} bytes")


# ------------------------------------------------------------------ bad input: no 500s


def test_numbers_and_text_the_stores_cannot_hold_are_client_errors(db: str) -> None:
    client = TestClient(create_app(db, token=TOKEN), base_url=LOCAL)
    response = client.get("/api/claims/99999999999999999999999")
    assert_refused(response, 422, "path parameter claim: Input should be less than or equal")
    assert client.get(f"/api/claims/{2**63 - 1}").status_code == 404
    for raw, words in (
        (rb'{"articles": [{"id": "tram", "text": "Helen Marsh said \ud800 it."}]}', "text"),
        (rb'{"articles": [{"id": "tram\ud83d", "text": "Helen Marsh said so."}]}', "id"),
        (rb'{"articles": [{"id": "tram", "text": "Helen Marsh said\u0000 so."}]}', "NUL"),
        (rb'{"articles": [{"id": "tram", "text": "Helen Marsh", "outlet": "\udfff"}]}', "outlet"),
    ):
        response = client.post(
            "/api/ingest", content=raw, headers={**AUTH, "content-type": "application/json"}
        )
        assert_refused(response, 422, words)
    for path in ("/api/articles/kyiv%00", "/api/copies/%00", "/api/search?q=troops%00"):
        assert_refused(client.get(path), 422, "NUL character")
    assert_refused(client.get("/api/search?q=troops&outlet=%00"), 422, "outlet")
    assert client.get("/api/articles/kyiv").status_code == 200


def test_nul_characters_never_reach_postgresql(postgres_url: str) -> None:
    """PostgreSQL refuses NUL in text: the API must refuse it first, not crash."""
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    add_batch(Store(postgres_url), [kyiv_article()])
    client = TestClient(create_app(postgres_url), base_url=LOCAL, raise_server_exceptions=False)
    for path in (
        "/api/search?q=troops%00Kyiv",
        "/api/speakers?name=Kirby%00",
        "/api/speaker?name=Kirby&outlet=news%00",
        "/api/articles/ky%00iv",
        "/api/copies/ky%00iv",
        f"/api/claims/{2**64}",
    ):
        assert client.get(path).status_code == 422, path
    assert client.get("/api/search", params={"q": "troops Kyiv"}).json()[0]["article"] == "kyiv"


def test_validation_errors_are_one_line_and_echo_no_input(db: str) -> None:
    client = TestClient(create_app(db), base_url=LOCAL)
    secret = "leaked-" + "z" * 600
    response = client.get("/api/search", params={"q": secret, "limit": 0})
    assert_refused(response, 422, "query parameter q: String should have at most 500")
    assert "limit" in response.json()["detail"] and "leaked" not in response.text


def test_a_crash_is_a_json_500_with_the_headers(db: str, monkeypatch) -> None:
    app = create_app(db)
    monkeypatch.setattr(Store, "speakers_named", lambda *a: 1 / 0)
    response = TestClient(app, base_url=LOCAL, raise_server_exceptions=False).get(
        "/api/speakers", params={"name": "Kirby"}
    )
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error: see the server's log"}
    assert_secured(response)


# ----------------------------------------------------------------------------- hosts


def test_hosts_a_server_answers_to() -> None:
    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost", "::1"]
    assert allowed_hosts("localhost") == ["localhost", "127.0.0.1", "::1"]
    assert allowed_hosts("::1") == ["::1", "localhost", "127.0.0.1"]
    assert allowed_hosts("0.0.0.0") == ["localhost", "127.0.0.1", "::1"]  # never 0.0.0.0
    assert allowed_hosts("192.0.2.10") == ["192.0.2.10"]
    assert allowed_hosts("127.0.0.1", ["news.example.org", "*.westhaven.example"]) == [
        "127.0.0.1",
        "localhost",
        "::1",
        "news.example.org",
        "*.westhaven.example",
    ]
    assert allowed_hosts("10.0.0.5", ["[2001:db8::7]", "*"]) == ["10.0.0.5", "2001:db8::7", "*"]
    assert allowed_hosts("10.0.0.5", ["News.Example.org."]) == ["10.0.0.5", "news.example.org"]
    for bad in ("https://news.example", "news.example:8080", "news/example", "*news.example"):
        with pytest.raises(HostsError):
            allowed_hosts("127.0.0.1", [bad])


def test_a_dns_rebinding_host_is_refused(db: str) -> None:
    app = create_app(db)
    for host in ("attacker.example", "attacker.example:8000", "localhost.attacker.example"):
        response = TestClient(app, base_url=f"http://{host}").get("/api/search?q=troops")
        assert_refused(response, 400, "--allowed-hosts")
    response = TestClient(app, base_url="http://attacker.example").get("/")
    assert_refused(response, 400, "Host header", UI_CSP)  # the policy of the path asked for
    for base in ("http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"):
        response = TestClient(app, base_url=base).get("/api/search", params={"q": "troops"})
        assert response.status_code == 200, base


def test_allowed_hosts_behind_a_proxy(db: str) -> None:
    app = create_app(db, allowed_hosts=allowed_hosts("127.0.0.1", ["*.westhaven.example"]))
    assert TestClient(app, base_url="http://news.westhaven.example").get("/").status_code == 200
    assert TestClient(app, base_url="http://westhaven.example.net").get("/").status_code == 400
    anything = create_app(db, allowed_hosts=["*"])
    assert TestClient(anything, base_url="http://attacker.example").get("/").status_code == 200


# ----------------------------------------------------------------------------- headers


def test_every_response_carries_the_security_headers(db: str) -> None:
    client = TestClient(create_app(db, token=TOKEN), base_url=LOCAL)
    assert_secured(client.get("/"), UI_CSP)
    assert_secured(client.get("/static/app.js"), UI_CSP)
    assert_secured(client.get("/static/style.css"), UI_CSP)
    assert_secured(client.get("/api/search", params={"q": "troops"}))
    assert_secured(client.get("/openapi.json"))
    assert_refused(client.get("/static/nothing.js"), 404, "Not Found", UI_CSP)
    assert_refused(client.get("/nothing"), 404, "Not Found")
    assert_refused(client.delete("/api/search"), 405, "Method Not Allowed")
    assert_refused(client.get("/api/articles/nothing"), 404, "no article")
    assert_refused(client.post("/api/ingest", json=TRAM), 401, "Bearer")
    docs = client.get("/docs")
    assert docs.status_code == 200
    for name, value in SECURITY.items():
        assert docs.headers[name] == value
    assert docs.headers["referrer-policy"] == "no-referrer"
    assert client.get("/redoc").status_code == 404  # not served: it loads fonts and workers


def test_the_docs_policy_allows_exactly_what_the_page_loads(db: str) -> None:
    docs = TestClient(create_app(db), base_url=LOCAL).get("/docs")
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in docs.headers["content-security-policy"].split("; ")
    )
    html = docs.text
    scripts = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link type="text/css" rel="stylesheet" href="([^"]+)"', html)
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert scripts == [guards.SWAGGER_JS] and styles == [guards.SWAGGER_CSS] and inline
    digests = [
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline
    ]
    assert policy["script-src"] == ["'self'", *digests]
    assert policy["style-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:"]
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]  # /openapi.json and "Try it out"
    # Nothing is fetched from elsewhere: Swagger UI's files are this server's, the icon is
    # none, the validator is off.
    assert not re.findall(r"https?://[^\"' )]+", html)
    client = TestClient(create_app(db), base_url=LOCAL)
    for asset in scripts + styles:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 100_000
    assert "url: '/openapi.json'" in html and '"validatorUrl": null' in html


# ----------------------------------------------------------------------------- a real server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[int]:
    db = str(tmp_path_factory.mktemp("served") / "served.sqlite")
    add_batch(Store(db), [kyiv_article()])
    app = create_app(db, token=TOKEN, settings=small_cap())
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def upload(port: int, headers: str, total: int) -> tuple[int, int]:
    """Stream ``total`` bytes chunked to POST /api/ingest, reading any answer while
    sending; return (status, body bytes sent before the server answered or hung up)."""
    chunk = b"%x\r\n%s\r\n" % (CHUNK, b" " * CHUNK)
    sent, answer, left = 0, b"", memoryview(b"")
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(
            b"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + headers.encode()
            + b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.setblocking(False)
        while sent < total:
            try:
                answer += sock.recv(65536)
                if answer:
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
            left = left or memoryview(chunk)
            try:
                left = left[sock.send(left) :]
            except BlockingIOError:
                time.sleep(0.001)
                continue
            except OSError:
                break
            sent += 0 if left else CHUNK
        sock.setblocking(True)
        try:
            while b"\r\n\r\n" not in answer:
                more = sock.recv(65536)
                if not more:
                    break
                answer += more
        except OSError:
            pass
    match = re.match(rb"HTTP/1.1 (\d+)", answer)
    return (int(match[1]) if match else 0), sent


def test_a_real_server_refuses_a_tokenless_upload_without_reading_it(server: int) -> None:
    total = 200 * 1024 * 1024
    status, sent = upload(server, "", total)
    assert status == 401
    assert sent < 20 * 1024 * 1024  # socket buffers, not the upload
    status, sent = upload(server, f"Authorization: Bearer {TOKEN}\r\n", total)
    assert status == 413
    assert sent < 20 * 1024 * 1024


# ----------------------------------------------------------------------------- fuzzing

FUZZ_STATS = {"requests": 0, "5xx": 0}
# The schema is read from the app when the module loads (schemathesis' lazy fixtures need
# pytest internals that pytest 9 dropped): a store of two articles in a temporary folder.
FUZZ_DIR = tempfile.TemporaryDirectory(prefix="onrecord-fuzz-")
FUZZ_DB = str(Path(FUZZ_DIR.name) / "fuzz.sqlite")
add_batch(Store(FUZZ_DB), [kyiv_article(), bridge_article()])
FUZZED_APP = create_app(FUZZ_DB, token=TOKEN)
# A request the schema allows may still be refused: 400 for a query with no words (the
# schema cannot say "has a word"), 404 for a record not stored, 413 for a body over the cap.
FUZZ_CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404", "413"]}}}
)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", FUZZED_APP, config=FUZZ_CONFIG, headers={"Host": "localhost"}
)


@pytest.fixture(scope="module", autouse=True)
def fuzz_report() -> Iterator[None]:
    """With ONRECORD_FUZZ_REPORT=FILE, the requests made and the 5xx answered, as JSON."""
    yield
    if os.environ.get("ONRECORD_FUZZ_REPORT"):
        Path(os.environ["ONRECORD_FUZZ_REPORT"]).write_text(json.dumps(FUZZ_STATS) + "\n")


@schema.parametrize()
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_holds_up_to_its_own_schema(case) -> None:
    """Valid and invalid requests made from /openapi.json, with the token: no 5xx, every
    response as the schema says (status, content type, body), with the security headers."""
    response = case.call_and_validate(base_url=LOCAL, headers=AUTH)
    FUZZ_STATS["requests"] += 1
    FUZZ_STATS["5xx"] += response.status_code >= 500
    for name, value in SECURITY.items():
        assert response.headers[name] == [value]
