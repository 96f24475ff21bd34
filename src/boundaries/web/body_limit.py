"""A cap on the size of any request body, enforced before a route (or the CSRF check, which
reads the whole form) sees it.

Routes have their own, smaller caps (evidence, photos, proxy logs); this one stops a body far
beyond all of them from being spooled to disk first. A declared Content-Length over the cap is
refused at once; a chunked body is counted as it arrives and refused when it passes the cap.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_TOO_LARGE = b"The upload is too large for this server."


class _BodyTooLarge(Exception):
    """Raised from ``receive`` when a chunked body passes the cap."""


class BodyLimitMiddleware:
    """Answers 413 to any request whose body is over ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0  # the server refuses a malformed length itself
                if declared > self.max_bytes:
                    await _refuse(send)
                    return
        received = 0
        too_large = False
        refused = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            # FastAPI turns any error while reading a body into its own 400: whatever the app
            # answers once the cap is passed, the client gets the 413 instead.
            nonlocal refused, started
            if not too_large or started:  # a response already under way is left alone
                started = started or message["type"] == "http.response.start"
                await send(message)
            elif not refused:
                refused = True
                await _refuse(send)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if not refused and not started:
                refused = True
                await _refuse(send)


async def _refuse(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(_TOO_LARGE)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _TOO_LARGE})
