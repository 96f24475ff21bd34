"""Security headers on every response, and the cookies that request handlers queued.

A plain ASGI middleware (not Starlette's BaseHTTPMiddleware) so that it adds nothing but a few
header lines to each response.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Scripts and styles only from our own origin: no inline script, no eval, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
_STATIC_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
_SERVER_ERROR = b"Internal Server Error"


def cookie_header(
    name: str, value: str, *, secure: bool, max_age: int | None, path: str = "/"
) -> bytes:
    """A Set-Cookie value: HttpOnly and SameSite=Lax always, Secure when asked."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = path
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    if secure:
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString().encode("latin-1")


class SecurityMiddleware:
    """Adds the security headers (HSTS only over HTTPS) and any queued cookies."""

    def __init__(self, app: ASGIApp, *, secure_cookies: str = "auto") -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in _STATIC_HEADERS if h[0] not in present)
                https = scope.get("scheme") == "https"
                if https:
                    headers.append(_HSTS)
                secure = self.secure_cookies == "always" or (
                    self.secure_cookies == "auto" and https
                )
                for name, value, max_age in scope.get("state", {}).get("boundaries_cookies", []):
                    headers.append(
                        (b"set-cookie", cookie_header(name, value, secure=secure, max_age=max_age))
                    )
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    # Pages hold personal findings: never keep them in a shared or back cache.
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette answers an unhandled error from outside this middleware, so its plain 500
            # would lack the headers; answer it here instead, then let the error go on to be logged.
            if not started:
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(_SERVER_ERROR)).encode()),
                        ],
                    }
                )
                await send_with_headers({"type": "http.response.body", "body": _SERVER_ERROR})
            raise
