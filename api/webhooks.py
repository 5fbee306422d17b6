"""Chat platform webhooks: authenticate, store the raw update under its unique key, answer.

Nothing is processed here: the update is committed first (so a 200 means it is safe), then the
inbound worker handles it. A database failure answers 503 so the platform delivers again; a
redelivery of a stored update is acknowledged and not processed twice. The body's size and
JSON nesting were checked before this runs (api/limits.py, WEBHOOK_MAX_BYTES, JSON_MAX_DEPTH).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.errors import safe_error
from bot.inbound import chat_key_of
from bot.ingest import UpdateWriter

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", include_in_schema=False)


def _answer(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"ok": status < 300, "detail": detail}, status_code=status)


def _writer(request: Request, engine: Any) -> UpdateWriter:
    writer = getattr(request.app.state, "update_writer", None)
    if writer is None or writer.engine is not engine:
        writer = request.app.state.update_writer = UpdateWriter(engine)
    return writer


async def receive(request: Request, channel_name: str) -> JSONResponse:
    ctx = getattr(request.app.state, "ctx", None)
    channel = ctx.channels.get(channel_name) if ctx is not None else None
    if ctx is None or channel is None:
        return _answer(404, "channel not configured")
    body = await request.body()
    if not channel.verify(request.headers, body):
        log.warning("webhook %s: authentication failed from %s", channel_name, request.client)
        return _answer(403, "forbidden")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError only if the depth guard was bypassed
        return _answer(400, "invalid JSON")
    if not isinstance(payload, dict):
        return _answer(400, "not an object")
    try:
        key = channel.update_key(payload)
    except Exception:  # a shape we do not know: nothing to store, nothing to retry
        key = None
    if key is None:
        return _answer(200, "ignored")
    try:
        chat_key = chat_key_of(channel, payload)
        stored = await _writer(request, ctx.engine).store(
            channel=channel_name, key=key, payload=payload, chat_key=chat_key
        )
    except Exception as exc:
        log.error("webhook %s: could not store update: %s", channel_name, safe_error(exc))
        return _answer(503, "try again")
    return _answer(200, "stored" if stored else "duplicate")


@router.post("/telegram")
async def telegram(request: Request) -> JSONResponse:
    return await receive(request, "telegram")


@router.post("/zalo")
async def zalo(request: Request) -> JSONResponse:
    return await receive(request, "zalo")


@router.post("/zalo-oa")
async def zalo_oa(request: Request) -> JSONResponse:
    return await receive(request, "zalo_oa")
