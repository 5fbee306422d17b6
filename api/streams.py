"""Small pure-ASGI building blocks shared by the edge middleware (api/limits.py, api/errors.py,
api/web/security.py): no body buffering, HTTP only, and replaying a body already read."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMiddleware:
    """Passes lifespan and websocket scopes through; `handle` sees HTTP requests only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


def replaying(receive: Receive, body: bytes, *, more: bool = False) -> Receive:
    """A receive() that first gives back `body` (already read from `receive`), then goes on."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": more}

    return replay
