"""Every error answer of the app, in Vietnamese: JSON for machines and the web chat, the error
page for people. One owner for the shape, used by the exception handlers, the request guard and
the error shield.

The shield is the last net inside the app: an exception that escapes a route becomes a 4xx
when the request itself caused it (a number too large for any column, Python's own limits on
integers), a 503 when the database is unreachable, and otherwise a logged 500 with its
traceback, because that is a bug to fix.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from api.streams import HttpMiddleware
from api.web.render import render
from api.web.texts import (
    ERROR_BAD_FIELDS,
    ERROR_BAD_REQUEST,
    ERROR_BAD_REQUEST_TITLE,
    ERROR_BUSY,
    ERROR_BUSY_TITLE,
    ERROR_FORBIDDEN,
    ERROR_FORBIDDEN_TITLE,
    ERROR_LOGIN,
    ERROR_LOGIN_TITLE,
    ERROR_METHOD,
    ERROR_METHOD_TITLE,
    ERROR_NOT_FOUND,
    ERROR_NOT_FOUND_TITLE,
    ERROR_SERVER,
    ERROR_SERVER_TITLE,
    ERROR_TOO_LARGE,
    ERROR_TOO_LARGE_TITLE,
)

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/webhooks/", "/chat/messages", "/chat/files", "/api/", "/healthz", "/metrics")
# 19 digits reach past every integer column (2^63 - 1 has 19); such a number in the address is
# bad input, whatever the route did with it.
OVERSIZED_NUMBER = re.compile(r"(?<![\w.])[-+]?\d{19,}")
STATUS_TEXTS = {
    400: (ERROR_BAD_REQUEST_TITLE, ERROR_BAD_REQUEST),
    401: (ERROR_LOGIN_TITLE, ERROR_LOGIN),
    403: (ERROR_FORBIDDEN_TITLE, ERROR_FORBIDDEN),
    404: (ERROR_NOT_FOUND_TITLE, ERROR_NOT_FOUND),
    405: (ERROR_METHOD_TITLE, ERROR_METHOD),
    413: (ERROR_TOO_LARGE_TITLE, ERROR_TOO_LARGE),
    422: (ERROR_BAD_REQUEST_TITLE, ERROR_BAD_REQUEST),
    503: (ERROR_BUSY_TITLE, ERROR_BUSY),
}


def wants_json(path: str) -> bool:
    return path.startswith(JSON_PREFIXES)


def error_response(
    scope: Scope, status: int, *, text: str = "", title: str = "", headers: dict[str, str] | None = None
) -> Response:
    """The answer for `status`, as JSON or as the error page depending on the route."""
    default_title, default_text = STATUS_TEXTS.get(status, (ERROR_SERVER_TITLE, ERROR_SERVER))
    text, title = text or default_text, title or default_title
    if wants_json(str(scope.get("path", ""))):
        return JSONResponse({"ok": False, "detail": text}, status_code=status, headers=headers)
    try:
        response: Response = render(
            Request(scope), "error.html", {"title": title, "text": text}, status_code=status
        )
    except Exception:  # the error page itself failed (a broken template): plain words
        log.exception("the error page could not be rendered")
        response = HTMLResponse(f"<h1>{title}</h1><p>{text}</p>", status_code=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def has_oversized_number(scope: Scope) -> bool:
    where = (
        unquote(str(scope.get("path", ""))) + "?" + unquote(scope.get("query_string", b"").decode("latin-1"))
    )
    return OVERSIZED_NUMBER.search(where) is not None


def _field_names(exc: RequestValidationError) -> str:
    names = []
    for error in exc.errors():
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "form")
        ]
        if location and location[0] not in names:
            names.append(location[0])
    return ", ".join(names[:5])


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = _field_names(exc)
    text = ERROR_BAD_FIELDS.format(fields=fields) if fields else ERROR_BAD_REQUEST
    return error_response(request.scope, 422, text=text)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    return error_response(request.scope, exc.status_code, headers=headers or None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


def _classify(scope: Scope, exc: BaseException) -> int:
    if isinstance(exc, OverflowError) or has_oversized_number(scope):
        return 400
    if isinstance(exc, OperationalError | DisconnectionError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        return 503
    return 500


class ErrorShield(HttpMiddleware):
    """An exception from the app becomes an answer (see the module docstring)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started:
                raise  # half an answer is out: the server closes the connection
            status = _classify(scope, exc)
            where = f"{scope.get('method')} {scope.get('path')}"
            if status == 500:
                log.error("unexpected error on %s", where, exc_info=exc)
            else:
                log.warning("request %s answered %d: %s", where, status, type(exc).__name__)
            await error_response(scope, status)(scope, receive, send)
