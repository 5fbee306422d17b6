"""The built-in web chat at /chat: a plain page, a cookie naming the visitor's chat, and three
JSON routes (post a message, post a file, fetch replies). Messages take the same path as any
platform's: stored as inbound updates, answered through the outbox.

A file (a photo, a PDF or office document, a recorded or attached voice note) is checked before
it is kept: the chat cookie (only this chat's page can post into it), the chat's right to send
files (handlers/admission.py), the files per address and hour (accepted ones and refused ones
counted apart), then the form, the size and the type its bytes show (blockers/attachments.py).
It is then staged for this chat and stored as an update like a Telegram file (bot/webchat.py):
the dialog decides whether it takes it."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from api.web import texts
from blockers.attachments import checked_type
from bot.channel import ChannelName
from bot.webchat import MAX_CLIENT_ID, MAX_TEXT, new_chat_id, stage_file, store_web_message, web_messages
from core.clock import utcnow
from core.db import session_scope
from core.limits import return_attempt, take_attempts
from handlers.admission import may_send_files
from knowledge.media.speech import MAX_NOTE_SECONDS

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=True)

COOKIE = "troly_chat"
_PAGE = Path(__file__).parent / "templates" / "webchat.html"
_CHAT_ID = re.compile(r"^w[A-Za-z0-9_-]{16,40}$")
_CLIENT_ID = re.compile(rf"^[A-Za-z0-9_-]{{1,{MAX_CLIENT_ID}}}$")
FILES_WINDOW = timedelta(hours=1)
SNIFF_BYTES = 64


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


def _error(text: str, status: int, *, unread: bool = False) -> JSONResponse:
    """A refusal; `unread`: answered before the body was read, so the connection is closed and
    the server stops taking in what the client still sends."""
    headers = {"Connection": "close"} if unread else None
    return JSONResponse({"detail": text}, status_code=status, headers=headers)


def _kind(content_type: str, *, recorded: bool) -> str:
    if content_type.startswith("audio/"):
        return "voice" if recorded else "audio"
    return "photo" if content_type.startswith("image/") else "document"


@router.post("/chat/files", status_code=202)
async def post_file(request: Request) -> JSONResponse:
    """One file with an optional caption (multipart: client_id, text, voice, duration, file).
    Nothing of the body is read before the chat and its right to send files are checked.

    Two counters per address and hour, both reserved before the body is read (so parallel
    posts cannot pass either): files accepted (`WEB_CHAT_FILES_PER_HOUR`) and files refused
    for bad input (`WEB_CHAT_REFUSED_FILES_PER_HOUR`). Once the outcome is known the other
    reservation is given back: a refused file does not use up the official's allowance, and
    refused traffic is bounded on its own. A failure on our side (503) gives both back."""
    chat_id = _chat_id(request)
    if chat_id is None:
        return _error(texts.CHAT_REOPEN, 403, unread=True)
    ctx = request.app.state.ctx
    settings = ctx.settings
    source = request.client.host if request.client else ""
    who = f"ip:{source}" if source else chat_id
    accepted_key, refused_key = f"webfile:{who}", f"webfile:refused:{who}"

    def admitted() -> str:
        with session_scope(ctx.engine) as session:
            if not may_send_files(session, channel=ChannelName.web, user_id=chat_id, settings=settings):
                return texts.CHAT_FILE_NEEDS_REGISTRATION
            limits = [
                (accepted_key, settings.web_chat_files_per_hour),
                (refused_key, settings.web_chat_refused_files_per_hour),
            ]
            if take_attempts(session, limits=limits, window=FILES_WINDOW, now=utcnow()) is not None:
                return texts.CHAT_FILE_TOO_MANY
            return ""

    refusal = await asyncio.to_thread(admitted)
    if refusal:
        status = 429 if refusal == texts.CHAT_FILE_TOO_MANY else 403
        return _error(refusal, status, unread=True)
    response = await _take_file(request, chat_id=chat_id, source=source)
    if response.status_code == 202:
        given_back = [refused_key]
    elif response.status_code < 500:  # the sender's bad input: counted as refused only
        given_back = [accepted_key]
    else:  # ours (the store failed): counted as neither
        given_back = [accepted_key, refused_key]

    def settle() -> None:
        with session_scope(ctx.engine) as session:
            for key in given_back:
                return_attempt(session, key=key, window=FILES_WINDOW, now=utcnow())

    try:
        await asyncio.to_thread(settle)
    except Exception:  # the count stays reserved: stricter, never looser
        log.warning("web chat file counters not settled")
    return response


async def _take_file(request: Request, *, chat_id: str, source: str) -> JSONResponse:
    """Read, check, stage and store the posted file: 202, or the refusal (4xx for the sender's
    input, 503 for ours)."""
    ctx = request.app.state.ctx
    settings = ctx.settings
    try:
        form = await request.form(max_files=1, max_fields=8)
    except Exception:  # not multipart, a broken body, too many parts: the sender's fault
        return _error(texts.CHAT_FILE_BAD_FORM, 400)
    client_id, text = str(form.get("client_id") or ""), str(form.get("text") or "").strip()
    if not _CLIENT_ID.match(client_id):
        return _error(texts.CHAT_BAD_CLIENT, 422)
    if len(text) > MAX_TEXT:
        return _error(texts.CHAT_FILE_BAD_FORM, 422)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return _error(texts.CHAT_FILE_MISSING, 422)
    limit = settings.upload_max_bytes
    data = await upload.read(limit + 1)
    if not data:
        return _error(texts.CHAT_FILE_EMPTY, 422)
    if len(data) > limit:
        return _error(texts.CHAT_FILE_TOO_LARGE.format(mb=limit // (1024 * 1024)), 413)
    filename = upload.filename or "tep"
    content_type = checked_type(filename, data[:SNIFF_BYTES])
    if not content_type:
        return _error(texts.CHAT_FILE_WRONG_TYPE, 415)
    duration = str(form.get("duration") or "0")
    seconds = (
        min(int(duration), 10 * MAX_NOTE_SECONDS)
        if duration.isascii() and duration.isdigit() and len(duration) < 6
        else 0
    )
    kind = _kind(content_type, recorded=form.get("voice") == "1")

    def store() -> bool:
        ref = stage_file(settings.uploads_dir, chat_id=chat_id, filename=filename, data=data)
        item = {
            "kind": kind,
            "ref": ref,
            "filename": filename[:120],
            "content_type": content_type,
            "size": len(data),
            "duration": seconds,
        }
        with session_scope(ctx.engine) as session:
            return store_web_message(
                session, chat_id=chat_id, client_id=client_id, text=text, source=source, attachments=[item]
            )

    try:
        stored = await asyncio.to_thread(store)
    except Exception:
        return _error(texts.CHAT_BUSY, 503)
    return JSONResponse({"stored": stored, "kind": kind}, status_code=202)
