"""People, chat accounts, inbound updates, conversation state, the outbox, question log."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.clock import utcnow


class Person(SQLModel, table=True):
    """An official from the roster (cán bộ xã, phường)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    commune: str = Field(default="", max_length=200, index=True)
    position: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=20, index=True)  # digits only, leading 0
    active: bool = True
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class ChatAccount(SQLModel, table=True):
    """One user on one channel; linked to a Person once registered."""

    __table_args__ = (UniqueConstraint("channel", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)  # telegram | zalo | zalo_oa | web
    user_id: str = Field(max_length=100)
    chat_id: str = Field(max_length=100)
    display_name: str = Field(default="", max_length=200)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    blocked: bool = False  # the user blocked the bot: stop sending
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class InviteCode(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=20)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: NaiveDatetime = Field(default_factory=utcnow)
    used_at: NaiveDatetime | None = None
    used_by_account_id: int | None = Field(default=None, foreign_key="chataccount.id")


class InboundStatus(StrEnum):
    pending = "pending"
    done = "done"
    ignored = "ignored"
    failed = "failed"


class InboundUpdate(SQLModel, table=True):
    """A raw platform update, stored before the webhook answers 200."""

    __table_args__ = (UniqueConstraint("channel", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20)
    key: str = Field(max_length=200)  # update id, or message id where the platform has none
    chat_key: str = Field(default="", max_length=150, index=True)  # chat id: keeps per-chat order
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: InboundStatus = Field(default=InboundStatus.pending, max_length=20, index=True)
    attempts: int = 0
    claimed_by: str = Field(default="", max_length=100)
    claimed_at: NaiveDatetime | None = None
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    received_at: NaiveDatetime = Field(default_factory=utcnow)
    processed_at: NaiveDatetime | None = None


class Conversation(SQLModel, table=True):
    """Open dialog state of one chat account (one row per account)."""

    account_id: int = Field(primary_key=True, foreign_key="chataccount.id")
    flow: str = Field(default="", max_length=50)
    step: str = Field(default="", max_length=50)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    updated_at: NaiveDatetime = Field(default_factory=utcnow)


class DeliveryStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"  # gave up after retries, or a permanent error
    window_closed = "window_closed"  # Zalo OA: the interaction window has passed
    blocked = "blocked"  # the user blocked the bot


class OutboxMessage(SQLModel, table=True):
    """Every message to a chat is written here first; the sender drains it in id order per chat."""

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=20, index=True)
    chat_id: str = Field(max_length=100, index=True)
    account_id: int | None = Field(default=None, foreign_key="chataccount.id")
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    buttons: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    attachments: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    # An answer's kind and sources ({"kind": "answer", "sources": [...]}), for clients that show
    # them (the web chat's JSON messages); None for every other message.
    answer: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    status: DeliveryStatus = Field(default=DeliveryStatus.pending, max_length=20, index=True)
    attempts: int = 0
    next_attempt_at: NaiveDatetime = Field(default_factory=utcnow, index=True)
    claimed_by: str = Field(default="", max_length=100)
    claimed_until: NaiveDatetime | None = None
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    platform_message_id: str = Field(default="", max_length=100)
    parts_sent: int = 0  # split parts already delivered, so a retry resumes instead of repeating
    inbound_id: int | None = Field(default=None, index=True)  # the update this answers, if any
    blocker_message_id: int | None = Field(default=None, index=True)  # a department reply, if any
    created_at: NaiveDatetime = Field(default_factory=utcnow)
    sent_at: NaiveDatetime | None = None


class Feedback(StrEnum):
    helpful = "helpful"  # Hữu ích
    wrong = "wrong"  # Chưa đúng


class QuestionLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="chataccount.id", index=True)
    channel: str = Field(default="", max_length=20)
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    grounded: bool = False
    confidence: float = 0.0
    sources: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    feedback: Feedback | None = Field(default=None, max_length=20)
    feedback_at: NaiveDatetime | None = None
    blocker_id: int | None = Field(default=None, index=True)  # sent on as a blocker
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)
