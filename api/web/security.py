"""Session cookie, CSRF tokens and security headers for the web pages.

The session is Starlette's signed cookie (itsdangerous, HttpOnly, SameSite=Lax, Secure when
configured); its key is resolved at the first request because a generated key lives in the
database, which only exists once the lifespan has migrated it.
"""

from __future__ import annotations

import asyncio
import hmac
import re
import secrets
from typing import Any

import itsdangerous
from fastapi import Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.streams import HttpMiddleware, replaying

SESSION_COOKIE = "troly_session"
CSRF_FIELD = "csrf_token"
MULTIPART_PEEK = 8 * 1024  # the CSRF field comes first in every upload form (tree order)

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
# The web chat records voice notes (MediaRecorder): the microphone, for this origin only.
CHAT_PERMISSIONS = "camera=(), microphone=(self), geolocation=()"
INLINE_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds the security headers to every HTTP response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        chat = path.startswith(_INLINE_PREFIXES)
        policy = INLINE_POLICY if chat else CONTENT_SECURITY_POLICY

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name == "Content-Security-Policy":
                        value = policy
                    elif name == "Permissions-Policy" and chat:
                        value = CHAT_PERMISSIONS
                    if value and name not in headers:  # a route may set its own, e.g. files
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_wrapper)


class LazySessionMiddleware(SessionMiddleware):
    """SessionMiddleware whose signing key is looked up on the first request. The cookie holds
    the session token (validated against its row on every request, api/web/sessions.py), the
    CSRF token and flash notices; it lives as long as a session may."""

    def __init__(self, app: ASGIApp, *, https_only: bool, max_age: int) -> None:
        super().__init__(
            app,
            secret_key="unset",
            session_cookie=SESSION_COOKIE,
            max_age=max_age,
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


def _boundary(content_type: str) -> bytes | None:
    match = re.search(r'boundary="?([^";,]+)"?', content_type, re.IGNORECASE)
    return match.group(1).encode("latin-1") if match else None


def first_field(prefix: bytes, boundary: bytes) -> tuple[str, bytes] | None:
    """(name, value) of the first part of a multipart body, when `prefix` holds all of it."""
    opening = b"--" + boundary + b"\r\n"
    if not prefix.startswith(opening):
        return None
    head_end = prefix.find(b"\r\n\r\n", len(opening))
    if head_end < 0:
        return None
    value_end = prefix.find(b"\r\n--" + boundary, head_end + 4)
    if value_end < 0:
        return None
    match = re.search(rb'name="([^"]*)"', prefix[len(opening) : head_end])
    return (match.group(1).decode("latin-1"), prefix[head_end + 4 : value_end]) if match else None


class UploadGuardMiddleware(HttpMiddleware):
    """A multipart body (a file upload) is read only for a logged-in session whose form starts
    with its CSRF token: otherwise 403 after at most MULTIPART_PEEK bytes, before any file part
    is parsed or written to disk. Inside the session middleware."""

    def __init__(self, app: ASGIApp, *, exempt_prefixes: tuple[str, ...] = ()) -> None:
        super().__init__(app)
        self.exempt = exempt_prefixes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        content_type = Headers(scope=scope).get("content-type", "")
        if not content_type.lower().startswith("multipart/") or str(scope["path"]).startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        session = scope.get("session") or {}
        if not await asyncio.to_thread(_logged_in, scope["app"], session.get("sid")):
            await _refuse(scope, receive, send, "ERROR_UPLOAD_LOGIN")
            return
        prefix, more = await _peek(receive, MULTIPART_PEEK)
        boundary = _boundary(content_type)
        field = first_field(prefix, boundary) if boundary else None
        expected = str(session.get("csrf") or "")
        if (
            field is None
            or field[0] != CSRF_FIELD
            or not expected
            or not hmac.compare_digest(field[1], expected.encode())
        ):
            await _refuse(scope, receive, send, "ERROR_UPLOAD_CSRF")
            return
        await self.app(scope, replaying(receive, prefix, more=more), send)


async def _peek(receive: Receive, size: int) -> tuple[bytes, bool]:
    """Up to about `size` bytes of the body, and whether more follows."""
    data, more = bytearray(), True
    while more and len(data) < size:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(data), False
        data += message.get("body", b"")
        more = message.get("more_body", False)
    return bytes(data), more


def _logged_in(app: Any, token: object) -> bool:
    from sqlmodel import Session

    from api.web.sessions import current_session
    from core.models import User

    ctx = getattr(app.state, "ctx", None)
    if ctx is None:
        return False
    with Session(ctx.engine) as db:
        record = current_session(db, token=token, settings=ctx.settings)
        user = db.get(User, record.user_id) if record is not None else None
        return user is not None and user.active


async def _refuse(scope: Scope, receive: Receive, send: Send, text_name: str) -> None:
    # Imported here: render (the texts) imports this module for the CSRF token.
    from api.errors import error_response
    from api.web.texts import ERROR_UPLOAD_CSRF, ERROR_UPLOAD_LOGIN

    text = {"ERROR_UPLOAD_LOGIN": ERROR_UPLOAD_LOGIN, "ERROR_UPLOAD_CSRF": ERROR_UPLOAD_CSRF}[text_name]
    await error_response(scope, 403, text=text, headers={"Connection": "close"})(scope, receive, send)
