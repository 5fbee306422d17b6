"""The built-in web chat as a channel: the browser posts messages and polls for replies.

A visitor's chat id is a random value kept in an HttpOnly cookie (see api/webchat.py). Sending
only marks the outbox row delivered: the page fetches sent rows itself.

Files: the page posts a photo, a document or a recorded voice note (api/webchat.py checks the
chat, its size and its type); the file is staged under DATA_DIR/uploads/inbound/web-staged/
<chat id>/ and the stored update names it. From there it goes the way of any platform's
attachment: `parse` makes it an Attachment (only a file staged for this very chat), the inbound
worker asks the dialog whether it is wanted and takes it over (`take_over` moves the staged
file into inbound/web/: one copy, never two), and the media step hears or reads it. Staged
files no dialog wanted are removed with the other orphaned uploads (blockers/retention.py).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from bot.attachments import safe_filename
from bot.channel import Attachment, ChannelLimits, ChannelName, Incoming, Reply, SendResult, clean_incoming
from bot.inbound import store_update
from core.models import DeliveryStatus, OutboxMessage

MAX_TEXT = 4000
MAX_CLIENT_ID = 64
STAGED = "inbound/web-staged"  # under DATA_DIR/uploads: files posted by the page, per chat
_CHAT_PART = r"w[A-Za-z0-9_-]{16,40}"
_STAGED_REF = re.compile(rf"^{STAGED}/({_CHAT_PART})/[0-9a-f]{{32}}-[\w.\-]{{1,120}}$")
_KINDS = frozenset({"photo", "document", "voice", "audio"})


def stage_file(uploads_dir: Path, *, chat_id: str, filename: str, data: bytes) -> str:
    """Write a posted file where only this chat's updates may name it; its ref (relative to
    uploads). Blocking: call it in a thread."""
    name = f"{uuid.uuid4().hex}-{safe_filename(filename, 'tep')}"
    folder = uploads_dir / STAGED / chat_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return f"{STAGED}/{chat_id}/{name}"


def _move(staged: Path, target: Path) -> int:
    if staged.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)  # same file system (both under DATA_DIR/uploads): atomic
        os.utime(target)  # its orphan age counts from now, not from when it was posted
        _sync_folder(target.parent)
        _sync_folder(staged.parent)
    elif not target.is_file():
        raise LookupError("staged web chat file gone")
    return target.stat().st_size


def _sync_folder(folder: Path) -> None:
    """A rename is durable once its folders are flushed (POSIX; a no-op where folders cannot
    be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _attachments(chat_id: str, raw: object) -> tuple[Attachment, ...]:
    """The files a stored update names, only those staged for this chat (anything else is a
    forged or corrupted row and is dropped)."""
    found = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        ref = str(item.get("ref") or "")
        match = _STAGED_REF.match(ref)
        if match is None or match.group(1) != chat_id or item.get("kind") not in _KINDS:
            continue
        found.append(
            Attachment(
                kind=str(item["kind"]),
                file_ref=ref,
                filename=str(item.get("filename") or "")[:120],
                content_type=str(item.get("content_type") or "")[:100],
                size=int(item.get("size") or 0),
                duration=int(item.get("duration") or 0),
            )
        )
    return tuple(found[:1])


def new_chat_id() -> str:
    return "w" + secrets.token_urlsafe(18)


class WebChannel:
    name = ChannelName.web
    limits = ChannelLimits(max_text=100_000, buttons=True)

    def __init__(self, uploads_dir: Path | None = None) -> None:
        self.uploads_dir = uploads_dir

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        return False  # no platform webhook: the page posts through /chat/messages

    def update_key(self, payload: Mapping[str, Any]) -> str | None:
        chat, client = payload.get("chat_id"), payload.get("client_id")
        return f"{chat}:{client}" if chat and client else None

    def parse(self, payload: Mapping[str, Any]) -> Incoming | None:
        chat_id = str(payload.get("chat_id") or "")
        if not chat_id:
            return None
        return clean_incoming(
            Incoming(
                channel=ChannelName.web,
                chat_id=chat_id,
                user_id=chat_id,
                message_id=str(payload.get("client_id") or ""),
                text=str(payload.get("text") or "")[:MAX_TEXT],
                payload=str(payload.get("payload") or "")[:200],
                source_address=str(payload.get("source") or "")[:100],
                attachments=_attachments(chat_id, payload.get("attachments")),
            )
        )

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        return SendResult(ok=True, platform_message_id="web")

    async def take_over(self, attachment: Attachment, target: Path) -> int:
        """Move a staged file into the inbound folder (bot/channel.py: LocalFiles): one atomic
        rename, made durable before the update goes on, so at any moment the file is in one
        place, and a retry (after a failure past the move) finds it at `target`."""
        if self.uploads_dir is None or not _STAGED_REF.match(attachment.file_ref):
            raise LookupError("not a staged web chat file")
        return await asyncio.to_thread(_move, self.uploads_dir / attachment.file_ref, target)

    async def download(self, attachment: Attachment) -> bytes:
        """A staged file's bytes (parse only lets through refs staged for the update's chat)."""
        if self.uploads_dir is None or not _STAGED_REF.match(attachment.file_ref):
            raise LookupError("not a staged web chat file")
        path = self.uploads_dir / attachment.file_ref
        return await asyncio.to_thread(path.read_bytes)


def store_web_message(
    session: Session,
    *,
    chat_id: str,
    client_id: str,
    text: str,
    payload: str = "",
    source: str = "",
    attachments: list[dict[str, Any]] | None = None,
) -> bool:
    """Store what the page posted; False for a repeated client id (double click, retry).
    `source` (the visitor's address) lets limits count per address, not per cookie;
    `attachments`: a staged file ({kind, ref, filename, content_type, size, duration})."""
    body: dict[str, Any] = {
        "chat_id": chat_id,
        "client_id": client_id,
        "text": text,
        "payload": payload,
        "source": source,
    }
    if attachments:
        body["attachments"] = attachments
    key = f"{chat_id}:{client_id}"
    return store_update(session, channel=ChannelName.web, key=key, payload=body, chat_key=chat_id)


def web_messages(session: Session, *, chat_id: str, after: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    """Delivered bot messages of one web chat, oldest first, with ids above `after`."""
    rows = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == ChannelName.web,
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.status == DeliveryStatus.sent,
            col(OutboxMessage.id) > after,
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    ).all()
    return [
        {
            "id": row.id,
            "text": row.text,
            "buttons": [{"label": b["label"], "payload": b["payload"]} for b in row.buttons],
            # An answer's kind (answer, related, not_found) and its sources; None for messages
            # that are not answers (prompts, receipts, department replies).
            "kind": (row.answer or {}).get("kind"),
            "sources": (row.answer or {}).get("sources", []),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in rows
    ]
