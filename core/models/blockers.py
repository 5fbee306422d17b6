"""Departments and blockers (vướng mắc): messages, attachments, events, followers."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.clock import utcnow


class Department(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=20)  # TC, NV, XD, …
    name: str = Field(max_length=200)
    mandate: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    notify_chats: list[str] = Field(  # "telegram:<chat id>", "zalo:<user id>"
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    deadline_days: int = 5  # working days
    active: bool = True


class BlockerStatus(StrEnum):
    new = "new"  # Mới
    received = "received"  # Đã tiếp nhận
    in_progress = "in_progress"  # Đang xử lý
    need_info = "need_info"  # Cần bổ sung thông tin
    answered = "answered"  # Đã trả lời
    closed = "closed"  # Đã đóng


class Blocker(SQLModel, table=True):
    # Covering indexes for the inbox (department → status → deadline order, commune and field
    # choices) and the dashboard (per-department timings): 20,000 blockers are counted from
    # indexes, not table rows (bench/inbox.py).
    __table_args__ = (
        Index(
            "ix_blocker_department_status_deadline",
            *("department_code", "status", "deadline", "commune", "field"),
        ),
        Index(
            "ix_blocker_department_timings",
            *("department_code", "created_at", "first_response_at", "answered_at", "deadline"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=30)  # VM-2025-000123
    title: str = Field(default="", max_length=300)
    description: str = Field(sa_column=Column(Text, nullable=False))
    field: str = Field(default="", max_length=200, index=True)  # lĩnh vực
    status: BlockerStatus = Field(default=BlockerStatus.new, max_length=20, index=True)
    department_code: str = Field(foreign_key="department.code", max_length=20, index=True)  # lead
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="chataccount.id", index=True)
    commune: str = Field(default="", max_length=200, index=True)
    assigned_user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    deadline: NaiveDatetime = Field(index=True)
    source_question_id: int | None = Field(default=None, foreign_key="questionlog.id")
    route_scores: list[Any] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # folded
    rating: str = Field(default="", max_length=20)  # solved | not_solved
    published_document_id: int | None = Field(default=None, foreign_key="document.id")
    reminded_at: NaiveDatetime | None = None
    escalated_at: NaiveDatetime | None = None
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)
    updated_at: NaiveDatetime = Field(default_factory=utcnow)
    first_response_at: NaiveDatetime | None = None
    answered_at: NaiveDatetime | None = None
    closed_at: NaiveDatetime | None = None


class BlockerSupport(SQLModel, table=True):
    """A supporting department (phối hợp) beside the lead one."""

    blocker_id: int = Field(foreign_key="blocker.id", primary_key=True)
    department_code: str = Field(foreign_key="department.code", primary_key=True, max_length=20)


class BlockerFollower(SQLModel, table=True):
    """An official who follows another commune's blocker instead of filing a duplicate."""

    blocker_id: int = Field(foreign_key="blocker.id", primary_key=True)
    account_id: int = Field(foreign_key="chataccount.id", primary_key=True)
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class MessageKind(StrEnum):
    official = "official"  # from the reporting official (description, added information)
    reply = "reply"  # department answer, sent to the official
    info_request = "info_request"  # department asks for more information, sent to the official
    note = "note"  # internal note, never sent


class BlockerMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    blocker_id: int = Field(foreign_key="blocker.id", index=True)
    kind: MessageKind = Field(max_length=20)
    text: str = Field(sa_column=Column(Text, nullable=False))
    user_id: int | None = Field(default=None, foreign_key="user.id")  # staff author
    account_id: int | None = Field(default=None, foreign_key="chataccount.id")  # official author
    legal_basis: str = Field(default="", max_length=500)  # căn cứ pháp lý of an answer
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class ExtractionStatus(StrEnum):
    """Text read from an attachment: OCR of a photo or scan, the transcript of a voice note."""

    none = ""  # not asked for (files attached before revision 0004, Word and Excel files)
    pending = "pending"  # waiting for the background reader
    done = "done"
    empty = "empty"  # read, nothing legible in it
    failed = "failed"  # unreadable, too large, or the reader failed (see the log)
    unavailable = "unavailable"  # the reader is not installed on this server


class BlockerAttachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    blocker_id: int = Field(foreign_key="blocker.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="blockermessage.id")
    filename: str = Field(max_length=300)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    size: int = 0
    path: str = Field(max_length=500)  # relative to DATA_DIR/uploads
    created_at: NaiveDatetime = Field(default_factory=utcnow)
    # Filled by knowledge/media (OCR, voice transcription) after the blocker is stored.
    extraction: str = Field(default=ExtractionStatus.none, max_length=20, index=True)
    extracted_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    extracted_at: NaiveDatetime | None = None


class EventKind(StrEnum):
    created = "created"
    status = "status"
    transfer = "transfer"
    assign = "assign"
    support = "support"
    reply = "reply"
    info_request = "info_request"
    note = "note"
    official_message = "official_message"
    follow = "follow"
    rating = "rating"
    reminder = "reminder"
    escalation = "escalation"
    publish = "publish"


class BlockerEvent(SQLModel, table=True):
    """Append-only audit trail: written once, never updated or deleted."""

    id: int | None = Field(default=None, primary_key=True)
    blocker_id: int = Field(foreign_key="blocker.id", index=True)
    kind: EventKind = Field(max_length=20)
    actor: str = Field(default="", max_length=200)  # "user:12", "account:5", "system"
    from_value: str = Field(default="", max_length=200)
    to_value: str = Field(default="", max_length=200)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)


class BlockerSequence(SQLModel, table=True):
    """Last code number handed out per year, for VM-<year>-<sequence>."""

    # `year` is the primary key, hence unique; a separate UNIQUE("year") is silently dropped
    # by PostgreSQL and made the migration check fail there.
    year: int = Field(primary_key=True)
    last: int = 0


class CannedReply(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    department_code: str = Field(foreign_key="department.code", max_length=20, index=True)
    title: str = Field(max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))


class Broadcast(SQLModel, table=True):
    """A published answer sent by a leader to the officials of every commune, or of one field."""

    id: int | None = Field(default=None, primary_key=True)
    blocker_id: int = Field(foreign_key="blocker.id", index=True)
    document_id: int = Field(index=True)  # the guidance it became (no FK: documents may be deleted)
    field: str = Field(default="", max_length=200)  # "" = every commune
    user_id: int | None = Field(default=None, foreign_key="user.id")
    recipients: int = 0
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)


class DeliveryReason(StrEnum):
    reporter = "reporter"  # reported or follows the blocker
    question = "question"  # asked a question the bot could not answer, which this answers
    broadcast = "broadcast"


class GuidanceDelivery(SQLModel, table=True):
    """A published answer sent to one official's chat: each gets a given answer once, by
    whichever route reached them first."""

    __table_args__ = (UniqueConstraint("document_id", "account_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(index=True)
    account_id: int = Field(foreign_key="chataccount.id")
    reason: DeliveryReason = Field(max_length=20)
    question_id: int | None = Field(default=None, foreign_key="questionlog.id")
    broadcast_id: int | None = Field(default=None, foreign_key="broadcast.id", index=True)
    outbox_id: int | None = Field(default=None)  # its outbox row (delivery state)
    created_at: NaiveDatetime = Field(default_factory=utcnow)
