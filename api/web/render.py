"""Jinja2 templates and flash messages shared by the web pages (their words: api/web/texts.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.web.security import CSRF_FIELD, csrf_token
from api.web.texts import (
    BROADCAST_ALL,
    DELIVERY_LABELS,
    DOCUMENT_STATUS_LABELS,
    EVENT_LABELS,
    EXTRACTED_FROM_PAPER,
    EXTRACTED_FROM_VOICE,
    EXTRACTION_NOTES,
    MESSAGE_LABELS,
    ROLE_LABELS,
    status_label,
)
from core.clock import format_vn
from core.models import BlockerStatus

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals.update(
    format_vn=format_vn,
    status_label=status_label,
    statuses=list(BlockerStatus),
    role_labels=ROLE_LABELS,
    delivery_labels=DELIVERY_LABELS,
    message_labels=MESSAGE_LABELS,
    event_labels=EVENT_LABELS,
    document_status_labels=DOCUMENT_STATUS_LABELS,
    csrf_field=CSRF_FIELD,
    broadcast_all=BROADCAST_ALL,
    extracted_from_paper=EXTRACTED_FROM_PAPER,
    extracted_from_voice=EXTRACTED_FROM_VOICE,
    extraction_notes=EXTRACTION_NOTES,
)

__all__ = ["MESSAGE_LABELS", "flash", "render", "status_label", "templates"]


MAX_FLASHES = 8
MAX_FLASH_CHARS = 300


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A one-time notice shown on the next page (after a POST-redirect-GET).

    It travels in the session cookie, which is signed but readable: never a password or a
    code (show those once on the page itself), and bounded so the cookie stays small (browsers
    drop cookies over 4 KB)."""
    messages = list(request.session.get("flash", []))[: MAX_FLASHES - 1]
    if len(text) > MAX_FLASH_CHARS:
        text = text[: MAX_FLASH_CHARS - 1] + "…"
    messages.append({"kind": kind, "text": text})
    request.session["flash"] = messages


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    values: dict[str, Any] = dict(context or {})
    values.setdefault("user", getattr(request.state, "user", None))
    has_session = "session" in request.scope  # not on answers made before the session exists
    values["csrf_token"] = csrf_token(request) if has_session else ""
    values["flashes"] = request.session.pop("flash", []) if has_session and "flash" in request.session else []
    return templates.TemplateResponse(request, name, values, status_code=status_code)
