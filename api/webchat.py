"""The built-in web chat at /chat: a plain page, a cookie naming the visitor's chat, and two
JSON routes (post a message, fetch replies). Messages take the same path as any platform's:
stored as inbound updates, answered through the outbox."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from api.web import texts
from bot.webchat import MAX_CLIENT_ID, MAX_TEXT, new_chat_id, store_web_message, web_messages
from core.db import session_scope

router = APIRouter(include_in_schema=True)

COOKIE = "troly_chat"
_PAGE = Path(__file__).parent / "templates" / "webchat.html"
_CHAT_ID = re.compile(r"^w[A-Za-z0-9_-]{16,40}$")
_CLIENT_ID = re.compile(rf"^[A-Za-z0-9_-]{{1,{MAX_CLIENT_ID}}}$")


class WebMessage(BaseModel):
    client_id: str = Field(min_length=1, max_length=MAX_CLIENT_ID)
    text: str = Field(default="", max_length=MAX_TEXT)
    payload: str = Field(default="", max_length=200)


def _chat_id(request: Request) -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if _CHAT_ID.match(value) else None


@router.get("/chat", response_class=HTMLResponse, include_in_schema=False)
def chat_page(request: Request) -> Response:
    response = HTMLResponse(_PAGE.read_text(encoding="utf-8"))
    response.headers["Cache-Control"] = "no-store"
    if _chat_id(request) is None:
        settings = request.app.state.settings
        response.set_cookie(
            COOKIE,
            new_chat_id(),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=settings.session_cookie_secure,
        )
    return response


@router.post("/chat/messages", status_code=202)
async def post_message(message: WebMessage, request: Request) -> JSONResponse:
    chat_id = _chat_id(request)
    if chat_id is None:
        return JSONResponse({"detail": texts.CHAT_REOPEN}, status_code=403)
    if not _CLIENT_ID.match(message.client_id):
        return JSONResponse({"detail": texts.CHAT_BAD_CLIENT}, status_code=422)
    if not (message.text.strip() or message.payload):
        return JSONResponse({"detail": texts.CHAT_EMPTY}, status_code=422)
    ctx = request.app.state.ctx
    source = request.client.host if request.client else ""

    def store() -> bool:
        with session_scope(ctx.engine) as session:
            return store_web_message(
                session,
                chat_id=chat_id,
                client_id=message.client_id,
                text=message.text.strip(),
                payload=message.payload,
                source=source,
            )

    try:
        stored = await asyncio.to_thread(store)
    except Exception:
        return JSONResponse({"detail": texts.CHAT_BUSY}, status_code=503)
    return JSONResponse({"stored": stored}, status_code=202)


@router.get("/chat/messages")
async def get_messages(request: Request, after: int = Query(default=0, ge=0)) -> JSONResponse:
    chat_id = _chat_id(request)
    if chat_id is None:
        return JSONResponse({"detail": texts.CHAT_REOPEN}, status_code=403)
    ctx = request.app.state.ctx

    def load() -> list[dict[str, Any]]:
        with session_scope(ctx.engine) as session:
            return web_messages(session, chat_id=chat_id, after=after)

    return JSONResponse({"messages": await asyncio.to_thread(load)})
