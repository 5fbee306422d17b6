"""The built-in web chat as a channel: the browser posts messages and polls for replies.

A visitor's chat id is a random value kept in an HttpOnly cookie (see api/webchat.py). Sending
only marks the outbox row delivered: the page fetches sent rows itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, select

from bot.channel import Attachment, ChannelLimits, ChannelName, Incoming, Reply, SendResult, clean_incoming
from bot.inbound import store_update
from core.models import DeliveryStatus, OutboxMessage

MAX_TEXT = 4000
MAX_CLIENT_ID = 64


def new_chat_id() -> str:
    return "w" + secrets.token_urlsafe(18)


class WebChannel:
    name = ChannelName.web
    limits = ChannelLimits(max_text=100_000, buttons=True)

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
            )
        )

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        return SendResult(ok=True, platform_message_id="web")

    async def download(self, attachment: Attachment) -> bytes:
        raise LookupError("the web chat has no inbound files")


def store_web_message(
    session: Session, *, chat_id: str, client_id: str, text: str, payload: str = "", source: str = ""
) -> bool:
    """Store what the page posted; False for a repeated client id (double click, retry).
    `source` (the visitor's address) lets limits count per address, not per cookie."""
    body = {"chat_id": chat_id, "client_id": client_id, "text": text, "payload": payload, "source": source}
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
