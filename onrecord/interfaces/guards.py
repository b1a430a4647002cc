"""What stands between the network and the API of ``onrecord serve``.

- ``check_token``: the ingest token is at least ``MIN_TOKEN_CHARS`` printable ASCII
  characters, or the server does not start.
- ``bearer_matches``: only ``Authorization: Bearer TOKEN``, compared in constant time.
- ``allowed_hosts``: the Host names the server answers to (DNS rebinding): the bound host,
  the loopback names when bound to loopback or to every interface, and any given.
- ``TrustedHosts``: Starlette's ``TrustedHostMiddleware``, refusing in JSON.
- ``BodyCap``: counts the bytes of the ASGI receive stream and answers 413 as soon as the
  cap is passed, with or without a Content-Length, before anything is buffered.
- ``SecurityHeaders``: nosniff, no framing, no referrer and a Content-Security-Policy on
  every response, errors included.
- ``docs_page``: the Swagger UI page at /docs, its files served by this server, with a
  policy that allows exactly what it loads.

Every refusal is ``{"detail": "one line"}``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterable, Sequence

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MIN_TOKEN_CHARS = 16
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")

# The web UI (/ and /static/): only its own script, style and API calls.
UI_CSP = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Everything else is JSON: nothing may load from it, and nothing may frame it.
API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
# Swagger UI's files, shipped in the fastapi-offline package and served by this server
# under DOCS_ASSETS: /docs loads nothing from elsewhere, so it works offline.
DOCS_ASSETS = "/docs-assets"
SWAGGER_JS = f"{DOCS_ASSETS}/swagger-ui-bundle.js"
SWAGGER_CSS = f"{DOCS_ASSETS}/swagger-ui.css"
NO_ICON = "data:,"
CLOSE = {"Connection": "close"}


class TokenError(ValueError):
    """A bearer token too short (or empty) or not printable ASCII."""


class HostsError(ValueError):
    """An allowed host that is not a host name, an address, ``*`` or ``*.domain``."""


def error_response(status: int, detail: str, headers: dict[str, str] | None = None):
    """The one shape of every refusal: ``{"detail": "..."}``."""
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


# ---------------------------------------------------------------------------- the token


def check_token(token: str | None, name: str = "the token") -> str | None:
    """``token`` if it is fit to guard ingest (``None``: read-only), else ``TokenError``
    naming ``name`` (``--token``, ``ONRECORD_TOKEN``)."""
    if token is None:
        return None
    if not token:
        raise TokenError(
            f"{name} is empty: give at least {MIN_TOKEN_CHARS} characters, "
            "or leave it unset to serve read-only"
        )
    if len(token) < MIN_TOKEN_CHARS:
        raise TokenError(
            f"{name} is {len(token)} characters: it must be at least {MIN_TOKEN_CHARS}"
        )
    if not all("!" <= c <= "~" for c in token):
        raise TokenError(f"{name} must be printable ASCII without spaces")
    return token


def bearer_matches(authorization: str | None, token: str) -> bool:
    """Whether ``authorization`` is ``Bearer TOKEN`` (the scheme in any case, as HTTP has
    it). The two tokens are hashed first, so the comparison takes the same time whatever
    they share, their lengths included."""
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    # Header values reach us decoded as latin-1: compare the bytes that were sent.
    sent = hashlib.sha256(given.strip().encode("latin-1", "replace")).digest()
    return hmac.compare_digest(sent, hashlib.sha256(token.encode()).digest())


# ---------------------------------------------------------------------------- the hosts

_HOST_NAME = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?", re.I)


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> list[str]:
    """The Host names a server bound to ``bound`` answers to: ``bound`` itself (unless it
    is every interface), the loopback names when it is loopback or every interface, and
    ``extra`` (``--allowed-hosts``: names a proxy or the clients use; ``*`` turns the
    check off). ``0.0.0.0`` is never a Host: browsers send it to localhost."""
    hosts: list[str] = []
    bound = bound.strip().strip("[]").lower()
    if bound not in WILDCARD_BINDS:
        hosts.append(_checked_host(bound))
    if bound in WILDCARD_BINDS or _is_loopback(bound):
        hosts += LOOPBACK_HOSTS
    for host in extra:
        host = host.strip()
        if host:
            hosts.append(_checked_host(host))
    return list(dict.fromkeys(hosts))


def parse_hosts(value: str | None) -> list[str]:
    """``a.example, b.example`` -> ``["a.example", "b.example"]``."""
    return [h.strip() for h in (value or "").split(",") if h.strip()]


def _checked_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")  # "example.org." is "example.org"
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host == "*":
        return host
    name = host[2:] if host.startswith("*.") else host
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        if _HOST_NAME.fullmatch(name):
            return host
        raise HostsError(
            f"{host!r} is not a host name or address (no scheme, port or path; "
            "'*.example.org' for its subdomains)"
        ) from None
    if host.startswith("*.") or address.is_unspecified:
        raise HostsError(f"{host!r} is not an address clients can name")
    return host


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class TrustedHosts(TrustedHostMiddleware):
    """Starlette's ``TrustedHostMiddleware`` (its pattern checks, lower-cased host list,
    ``*`` and ``*.domain``; no www. redirect), with the check itself answering in JSON
    like every other refusal, and reading the Host as ``_host_of`` does."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        super().__init__(app, allowed_hosts=list(allowed_hosts), www_redirect=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _host_of(Headers(scope=scope).get("host"))
        if host is not None and any(
            host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.allowed_hosts
        ):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # there are none; close like Starlette would
            await send({"type": "websocket.close", "code": 1008})
            return
        await error_response(
            400,
            "Host header not served here: start `onrecord serve --allowed-hosts NAME` "
            "to answer to another name",
        )(scope, receive, send)


def _host_of(header: str | None) -> str | None:
    """The host of a Host header (no port, no brackets, lower case), or None if invalid."""
    if not header:
        return None
    match = re.fullmatch(r"\[([0-9a-fA-F:.]+)\](?::\d{1,5})?|([^:\[\]/@\s]+)(?::\d{1,5})?", header)
    if match is None:
        return None
    if match[1] is not None:
        try:
            ipaddress.IPv6Address(match[1])
        except ValueError:
            return None
        return match[1].lower()
    return match[2].lower().rstrip(".") or None


# ---------------------------------------------------------------------------- the body


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a request body passes the cap: FastAPI's body reading
    lets an HTTPException through, so its handler answers 413; ``BodyCap`` answers it
    wherever else it is raised."""

    def __init__(self, cap: int) -> None:
        super().__init__(413, f"request body over {cap} bytes", headers=CLOSE)


class BodyCap:
    """Request bodies of at most ``cap`` bytes, counted as they stream in.

    A Content-Length over the cap (or not a number) is refused before the app runs;
    otherwise every ``http.request`` message is counted and the first byte over the cap
    ends the request with 413, so a chunked upload is never buffered past the cap. A
    response sent while the body is still unread closes the connection, so the server
    does not go on reading (and discarding) the rest of it.
    """

    def __init__(self, app: ASGIApp, cap: int) -> None:
        self.app = app
        self.cap = cap
        self.over = f"request body over {cap} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            refusal = error_response(400, "Content-Length is not a number", CLOSE)
            await refusal(scope, receive, send)
            return
        if declared is not None and int(declared) > self.cap:
            await error_response(413, self.over, CLOSE)(scope, receive, send)
            return
        has_body = "transfer-encoding" in headers or int(declared or 0) > 0
        received, done, started = 0, not has_body, False

        async def counted() -> Message:
            nonlocal received, done
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.cap:
                    raise BodyTooLarge(self.cap)
                done = not message.get("more_body", False)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if not done:
                    MutableHeaders(scope=message)["connection"] = "close"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyTooLarge as exc:
            if started:
                raise
            await error_response(413, exc.detail, exc.headers)(scope, receive, send)


# ---------------------------------------------------------------------------- the headers


class SecurityHeaders:
    """The security headers on every response: ``SECURITY_HEADERS`` and, unless the
    response set its own, a Content-Security-Policy (the UI's on / and /static/, the
    JSON one elsewhere). Wraps the whole app, so Starlette's own error pages get them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        csp = UI_CSP if path == "/" or path.startswith("/static/") else API_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if "content-security-policy" not in headers:
                    headers["content-security-policy"] = csp
            await send(message)

        await self.app(scope, receive, with_headers)


# ---------------------------------------------------------------------------- /docs


def swagger_ui_files() -> str:
    """The directory of Swagger UI's bundle and stylesheet (from fastapi-offline)."""
    from importlib import resources

    return str(resources.files("fastapi_offline") / "static")


def docs_page(openapi_url: str, title: str, root: str = "") -> HTMLResponse:
    """FastAPI's Swagger UI page with a Content-Security-Policy that allows exactly what
    it loads: the bundle and stylesheet from this server (``root`` is the path it is
    mounted under), its inline start-up script (by hash), the data: images of the
    stylesheet, and calls to this server."""
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=root + SWAGGER_JS,
        swagger_css_url=root + SWAGGER_CSS,
        swagger_favicon_url=NO_ICON,
        oauth2_redirect_url=None,
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode()
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline
    )
    csp = (
        f"default-src 'none'; script-src 'self' {hashes}; "
        # Swagger UI's icons are data: images in its stylesheet.
        "style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})
