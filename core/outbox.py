"""Writing to the outbox: the one way any layer sends a message to a chat.

Rows are written in the caller's transaction (so a reply exists exactly when the work that
produced it committed); `bot.sender` drains them in id order per chat, rendering each for
its channel's limits (splitting long text, numbering buttons where a platform has none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from core.models import ChatAccount, Conversation, OutboxMessage


@dataclass(frozen=True)
class Button:
    """A choice under a message. Defined here, below every layer that builds one (handlers,
    blockers' notifications) and the transport that renders it; `bot.channel` re-exports it."""

    label: str  # Vietnamese text shown to the user
    payload: str  # short id-carrying data (≤ 64 bytes for Telegram), e.g. "fb:12:h"


# Conversation.data key holding the payloads a number typed next stands for (handlers/state.py).
CHOICES_KEY = "_choices"
LABELS_KEY = "_labels"  # the labels of those buttons, in the same order (a spoken choice)


def button_dicts(buttons: Iterable[Button]) -> list[dict[str, str]]:
    return [{"label": b.label, "payload": b.payload} for b in buttons]


def attachment_dicts(attachments: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "kind": a.kind,
            "file_ref": a.file_ref,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
        }
        for a in attachments
    ]


def enqueue_message(
    session: Session,
    *,
    channel: str,
    chat_id: str,
    text: str,
    buttons: Iterable[Button] = (),
    attachments: Iterable[Any] = (),
    account_id: int | None = None,
    inbound_id: int | None = None,
    blocker_message_id: int | None = None,
    answer: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Queue one logical message (a `bot.channel.Reply`'s fields) for a chat."""
    row = OutboxMessage(
        channel=channel,
        chat_id=chat_id,
        account_id=account_id,
        text=text,
        buttons=button_dicts(buttons),
        attachments=attachment_dicts(attachments),
        inbound_id=inbound_id,
        blocker_message_id=blocker_message_id,
        answer=answer,
    )
    session.add(row)
    session.flush()
    return row


def enqueue_to_account(
    session: Session,
    account: ChatAccount,
    *,
    text: str,
    buttons: Iterable[Button] = (),
    attachments: Iterable[Any] = (),
    blocker_message_id: int | None = None,
) -> OutboxMessage:
    row = enqueue_message(
        session,
        channel=account.channel,
        chat_id=account.chat_id,
        text=text,
        buttons=buttons,
        attachments=attachments,
        account_id=account.id,
        blocker_message_id=blocker_message_id,
    )
    if row.buttons and account.id is not None:
        remember_choices(
            session,
            account_id=account.id,
            payloads=[b["payload"] for b in row.buttons],
            labels=[b["label"] for b in row.buttons],
        )
    return row


def remember_choices(
    session: Session, *, account_id: int, payloads: list[str], labels: list[str] | None = None
) -> None:
    """A notification with buttons (e.g. rating an answered blocker): on Zalo, where buttons
    are numbered, the number the official types next must mean one of these."""
    state = session.get(Conversation, account_id)
    if state is None:
        state = Conversation(account_id=account_id)
    labels = list(labels) if labels is not None and len(labels) == len(payloads) else []
    # A new dict: the JSON column does not track in-place changes.
    state.data = {**(state.data or {}), CHOICES_KEY: list(payloads), LABELS_KEY: labels}
    session.add(state)
    session.flush()


def enqueue_to_target(session: Session, target: str, *, text: str) -> OutboxMessage | None:
    """Send to a configured target such as "telegram:-100123" (department or leadership group)."""
    channel, _, chat_id = target.partition(":")
    if not channel or not chat_id:
        return None
    return enqueue_message(session, channel=channel, chat_id=chat_id, text=text)
