"""Security headers on every response: no inline script, no framing, no sniffing, and
referrers kept to this site; and no shared cache keeps what a provider's key reads or
writes."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages use only their own style sheet and no script; the inline SVG chart needs nothing
# beyond 'self'. `form-action 'self'` keeps forms from posting elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}
# An organisation's own data, read with its key: never kept by a proxy or shared cache.
PRIVATE_PREFIX = "/api/v1/provider/"
PRIVATE_CACHING = "private, no-store"


class SecurityHeaders:
    """ASGI middleware that sets `HEADERS` on every HTTP response (keeping any a handler
    set itself)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if scope["path"].startswith(PRIVATE_PREFIX):
                    headers["Cache-Control"] = PRIVATE_CACHING
            await send(message)

        await self.app(scope, receive, send_with_headers)
