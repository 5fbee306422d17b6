"""Session cookie, CSRF tokens and security headers for the web pages.

The session is Starlette's signed cookie (itsdangerous, HttpOnly, SameSite=Lax, Secure when
configured); its key is resolved at the first request because a generated key lives in the
database, which only exists once the lifespan has migrated it.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

import itsdangerous
from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "troly_session"
SESSION_MAX_AGE = 12 * 60 * 60  # a working day; staff log in again the next morning
CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# The web chat page still carries its script and style inline (api/templates/webchat.html);
# until they move to /static it gets the same policy with inline code allowed.
_INLINE_PREFIXES = ("/chat",)
INLINE_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (pure ASGI: no body buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        policy = INLINE_POLICY if path.startswith(_INLINE_PREFIXES) else CONTENT_SECURITY_POLICY

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name == "Content-Security-Policy":
                        value = policy
                    if value and name not in headers:  # a route may set its own, e.g. files
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_wrapper)


class LazySessionMiddleware(SessionMiddleware):
    """SessionMiddleware whose signing key is looked up on the first request."""

    def __init__(self, app: ASGIApp, *, https_only: bool) -> None:
        super().__init__(
            app,
            secret_key="unset",
            session_cookie=SESSION_COOKIE,
            max_age=SESSION_MAX_AGE,
            same_site="lax",
            https_only=https_only,
        )
        self._ready = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._ready and scope["type"] in ("http", "websocket"):
            self.signer = itsdangerous.TimestampSigner(_secret_for(scope["app"]))
            self._ready = True
        await super().__call__(scope, receive, send)


def _secret_for(app: Any) -> str:
    from api.web.accounts import resolve_secret_key

    ctx = getattr(app.state, "ctx", None)
    settings = ctx.settings if ctx is not None else app.state.settings
    if ctx is None:
        from core.db import get_engine

        return resolve_secret_key(settings, get_engine(settings))
    return resolve_secret_key(settings, ctx.engine)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use); rendered into every POST form."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


class CsrfError(Exception):
    """A POST without the session's CSRF token: answered with 403."""


async def require_csrf(request: Request) -> None:
    """FastAPI dependency for every POST route of the web pages."""
    form = await request.form()  # cached by Starlette: the route reads the same form
    sent = form.get(CSRF_FIELD)
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, str(expected)):
        raise CsrfError()
