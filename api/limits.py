"""Input limits at the HTTP edge, each in one place, before any route parses anything.

- `RequestGuard` (pure ASGI): a body limit per route, enforced while the body streams in. A
  declared Content-Length over the limit is answered 413 without reading a byte; a chunked body
  is cut the moment it passes the limit. JSON routes also get a nesting check before any
  parser runs (deep nesting is a RecursionError in every JSON parser, ours and pydantic's).
  413 answers close the connection, so the server stops reading what the client still sends.
- `bound_int_params(app)`: every `int` parameter of every route (path, query, form, headers,
  cookies) accepts only what an INTEGER column holds, so no value reaches the database as an
  overflow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import UnionType
from typing import Any, Union, get_args, get_origin

import annotated_types
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from api.streams import HttpMiddleware, replaying
from api.web.texts import ERROR_BAD_TEXT, ERROR_TOO_DEEP, ERROR_TOO_LARGE_LIMIT

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL INTEGER; SQLite holds more
CLOSE = {"Connection": "close"}

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_too_deep(body: bytes, max_depth: int) -> bool:
    """True when the JSON text nests deeper than `max_depth` (or its brackets do not balance).

    Strings are removed, then everything but brackets; each pass deletes the innermost pairs,
    so a body that is not empty after `max_depth` passes nests deeper than that. Everything
    runs in C over the bytes: a few milliseconds for the largest allowed body.
    """
    skeleton = _STRING.sub(b"", body).translate(None, delete=_NOT_BRACKETS)
    for _ in range(max_depth):
        if not skeleton:
            return False
        shorter = skeleton.replace(b"[]", b"").replace(b"{}", b"")
        if shorter == skeleton:
            return True  # unbalanced: a parser would recurse into it before noticing
        skeleton = shorter
    return bool(skeleton)


@dataclass(frozen=True)
class BodyRule:
    pattern: re.Pattern[str]  # matched against the path
    limit: int  # bytes
    json: bool = False  # check nesting before the route parses it


def rule(path_regex: str, limit: int, *, json: bool = False) -> BodyRule:
    return BodyRule(re.compile(path_regex), limit, json)


FORM_TYPE = "application/x-www-form-urlencoded"
_NUL = re.compile(rb"%00|\x00", re.IGNORECASE)


def has_nul(scope: Scope) -> bool:
    """NUL has no use in an address or a form and PostgreSQL text refuses it (a 500 deep in a
    query): refused at the door."""
    return "\x00" in str(scope.get("path", "")) or _NUL.search(scope.get("query_string", b"")) is not None


def _form_problem(body: bytes) -> str:
    return ERROR_BAD_TEXT if _NUL.search(body) else ""


class _TooLarge(Exception):
    """Raised inside the app's receive() once the body passed its limit."""


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(limit // 1024, 1)} KB"


class RequestGuard(HttpMiddleware):
    def __init__(
        self, app: ASGIApp, *, rules: Sequence[BodyRule], default_limit: int, max_depth: int
    ) -> None:
        super().__init__(app)
        self.rules = list(rules)
        self.default = BodyRule(re.compile(""), default_limit)
        self.max_depth = max_depth

    def rule_for(self, path: str) -> BodyRule:
        return next((r for r in self.rules if r.pattern.fullmatch(path)), self.default)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if has_nul(scope):
            await error_response(scope, 400, text=ERROR_BAD_TEXT)(scope, receive, send)
            return
        body_rule = self.rule_for(str(scope.get("path", "")))
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > body_rule.limit:
            await self._too_large(scope, receive, send, body_rule.limit)
            return
        if body_rule.json:
            await self._buffered(scope, receive, send, body_rule.limit, self._json_problem)
        elif headers.get("content-type", "").lower().startswith(FORM_TYPE):
            await self._buffered(scope, receive, send, body_rule.limit, _form_problem)
        else:
            await self._streamed(scope, receive, send, body_rule.limit)

    def _json_problem(self, body: bytes) -> str:
        return ERROR_TOO_DEEP if json_too_deep(body, self.max_depth) else ""

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        text = ERROR_TOO_LARGE_LIMIT.format(size=_size(limit))
        await error_response(scope, 413, text=text, headers=CLOSE)(scope, receive, send)

    async def _buffered(
        self, scope: Scope, receive: Receive, send: Send, limit: int, problem: Callable[[bytes], str]
    ) -> None:
        """Small bodies (JSON, plain forms) are read whole, within the limit, and checked."""
        chunks: list[bytes] = []
        total, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > limit:
                await self._too_large(scope, receive, send, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if text := problem(body):
            await error_response(scope, 400, text=text)(scope, receive, send)
            return
        await self.app(scope, replaying(receive, body), send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        total, exceeded, started = 0, False, False

        async def counted() -> Message:
            nonlocal total, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                total += len(message.get("body", b""))
                if total > limit:
                    exceeded = True
                    raise _TooLarge()
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # whatever the app answers to a cut body, the client gets the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            # A framework may wrap _TooLarge (form parsing turns errors into a 400): only an
            # exception that is not about the cut body is the app's own.
            if not exceeded:
                raise
        if exceeded and not started:
            await self._too_large(scope, receive, send, limit)


# --- bounded integers ---------------------------------------------------------------------------


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    return get_origin(annotation) in (Union, UnionType) and int in get_args(annotation)


def _limits(metadata: list[Any]) -> tuple[list[int], list[int]]:
    lows = [int(m.ge) for m in metadata if isinstance(m, annotated_types.Ge)]  # type: ignore[call-overload]
    highs = [int(m.le) for m in metadata if isinstance(m, annotated_types.Le)]  # type: ignore[call-overload]
    return lows, highs


def _bounded(metadata: list[Any]) -> bool:
    lows, highs = _limits(metadata)
    return bool(lows and highs) and min(lows) >= INT_MIN and max(highs) <= INT_MAX


def _with_bounds(metadata: list[Any]) -> list[Any]:
    """The route's own bounds kept and narrowed to the column's: pydantic applies the last Ge
    and Le it finds, so appending INTEGER's would widen a route's `ge=1` back to INT_MIN."""
    lows, highs = _limits(metadata)
    kept = [m for m in metadata if not isinstance(m, annotated_types.Ge | annotated_types.Le)]
    low = max([*lows, INT_MIN])
    high = min([*highs, INT_MAX])
    return [*kept, annotated_types.Ge(low), annotated_types.Le(high)]


def _dependants(app: FastAPI) -> Iterator[Any]:
    seen: set[int] = set()
    stack: list[Any] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            stack.append(route.dependant)
        effective = getattr(context, "dependant", None)
        if effective is not None:
            stack.append(effective)
    while stack:
        dependant = stack.pop()
        if id(dependant) in seen:
            continue
        seen.add(id(dependant))
        yield dependant
        stack.extend(dependant.dependencies)


def bound_int_params(app: FastAPI) -> int:
    """Add INTEGER-column bounds to every int parameter of every route; returns how many."""
    bounded = 0
    for dependant in _dependants(app):
        for field in (
            *dependant.path_params,
            *dependant.query_params,
            *dependant.body_params,
            *dependant.header_params,
            *dependant.cookie_params,
        ):
            info = field.field_info
            if not _is_int(info.annotation) or _bounded(info.metadata):
                continue
            info.metadata = _with_bounds(list(info.metadata))
            field.__post_init__()  # rebuilds the validator with the bounds
            bounded += 1
    return bounded
