"""A blocker's life: filed by an official, worked on by a department, answered, closed.

Every change writes a BlockerEvent (append-only) and tells the people concerned through the
outbox, all in the caller's transaction (the caller commits). Permission checks are the
caller's (the web inbox); refused transitions raise ValueError with a Vietnamese message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from blockers import payloads, texts
from blockers import search as _search  # noqa: F401  (its ORM hook fills Blocker.search_text)
from blockers.attachments import StoredAttachment, store_rows
from blockers.codes import next_code
from blockers.deadlines import deadline_for
from blockers.events import active_department, actor, record_event, set_status
from blockers.notify import blocker_link, department_name, tell_department, tell_officials
from blockers.routing import RouteScore
from blockers.transitions import add_support, assign, change_status, close, rate, transfer
from core.clock import to_vn, utcnow
from core.models import (
    Blocker,
    BlockerFollower,
    BlockerMessage,
    BlockerStatus,
    ChatAccount,
    EventKind,
    MessageKind,
    Person,
    QuestionLog,
    User,
)
from core.settings import Settings

status_label = texts.status_label
TITLE_CHARS = 120


def make_title(description: str) -> str:
    first = " ".join(description.split())
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def file_blocker(
    session: Session,
    *,
    account: ChatAccount,
    person: Person | None,
    description: str,
    department_code: str,
    field: str = "",
    attachments: Sequence[StoredAttachment] = (),
    source_question_id: int | None = None,
    route_scores: Sequence[RouteScore | dict[str, Any]] = (),
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Blocker:
    """Store a new blocker with its code and deadline; tell the department's chats."""
    now = now or utcnow()
    description = description.strip()
    if not description:
        raise ValueError(texts.EMPTY_TEXT)
    department = active_department(session, department_code)
    code = next_code(session, year=to_vn(now).year)  # first write: takes the write lock early
    blocker = Blocker(
        code=code,
        title=make_title(description),
        description=description,
        field=field.strip()[:200],
        department_code=department.code,
        person_id=person.id if person else None,
        account_id=account.id,
        commune=person.commune if person else "",
        deadline=deadline_for(now, department.deadline_days, settings=settings),
        source_question_id=source_question_id,
        route_scores=[
            {"department": s.department, "score": s.score} if isinstance(s, RouteScore) else dict(s)
            for s in route_scores
        ],
        created_at=now,
        updated_at=now,
    )
    session.add(blocker)
    session.flush()
    message = BlockerMessage(
        blocker_id=blocker.id or 0,
        kind=MessageKind.official,
        text=description,
        account_id=account.id,
        created_at=now,
    )
    session.add(message)
    session.flush()
    store_rows(session, blocker_id=blocker.id or 0, message_id=message.id, attachments=attachments)
    record_event(session, blocker, EventKind.created, actor=actor(account), to_value=department.code, now=now)
    if source_question_id is not None:
        question = session.get(QuestionLog, source_question_id)
        if question is not None:
            question.blocker_id = blocker.id
            session.add(question)
    tell_department(
        session, department.code, text=texts.department_new_blocker(blocker, blocker_link(blocker, settings))
    )
    session.flush()
    return blocker


def follow_blocker(session: Session, *, blocker: Blocker, account: ChatAccount) -> None:
    if blocker.account_id == account.id:
        return
    if session.get(BlockerFollower, (blocker.id, account.id)) is not None:
        return
    session.add(BlockerFollower(blocker_id=blocker.id or 0, account_id=account.id or 0))
    record_event(session, blocker, EventKind.follow, actor=actor(account))
    session.flush()


def add_official_message(
    session: Session,
    *,
    blocker: Blocker,
    account: ChatAccount,
    text: str,
    attachments: Sequence[StoredAttachment] = (),
    settings: Settings | None = None,
) -> BlockerMessage:
    """The official answers back (information asked for, or more detail): reopens the work."""
    if blocker.status == BlockerStatus.closed:
        raise ValueError(texts.BLOCKER_CLOSED)
    if not text.strip() and not attachments:
        raise ValueError(texts.EMPTY_TEXT)
    now = utcnow()
    message = BlockerMessage(
        blocker_id=blocker.id or 0,
        kind=MessageKind.official,
        text=text.strip(),
        account_id=account.id,
        created_at=now,
    )
    session.add(message)
    session.flush()
    store_rows(session, blocker_id=blocker.id or 0, message_id=message.id, attachments=attachments)
    record_event(session, blocker, EventKind.official_message, actor=actor(account), now=now)
    if blocker.status in (BlockerStatus.need_info, BlockerStatus.answered):
        set_status(session, blocker, BlockerStatus.in_progress, by=actor(account), now=now)
    blocker.updated_at = now
    session.add(blocker)
    link = blocker_link(blocker, settings)
    tell_department(
        session, blocker.department_code, text=texts.department_update(blocker, texts.OFFICIAL_ADDED, link)
    )
    session.flush()
    return message


def _staff_message(
    session: Session, blocker: Blocker, user: User, kind: MessageKind, text: str, legal_basis: str = ""
) -> BlockerMessage:
    if not text.strip():
        raise ValueError(texts.EMPTY_TEXT)
    message = BlockerMessage(
        blocker_id=blocker.id or 0,
        kind=kind,
        text=text.strip(),
        user_id=user.id,
        legal_basis=legal_basis.strip()[:500],
    )
    session.add(message)
    session.flush()
    return message


def reply(
    session: Session, *, blocker: Blocker, user: User, text: str, legal_basis: str = "", supporter: str = ""
) -> BlockerMessage:
    """A department answer: sent to the official and every follower, with rating buttons.

    A supporting department's answer covers its part only: it reaches the officials under its
    own name (`supporter`, its code), and the blocker stays with the lead department (no status
    change, no rating)."""
    if blocker.status == BlockerStatus.closed:
        raise ValueError(texts.BLOCKER_CLOSED)
    message = _staff_message(session, blocker, user, MessageKind.reply, text, legal_basis)
    now = message.created_at
    record_event(session, blocker, EventKind.reply, actor=actor(user), to_value=supporter, now=now)
    if supporter:
        name = department_name(session, supporter)
        notice = texts.part_reply_notice(blocker, name, text, legal_basis)
        tell_officials(session, blocker, text=notice, blocker_message_id=message.id)
    else:
        set_status(session, blocker, BlockerStatus.answered, by=actor(user), now=now)
        name = department_name(session, blocker.department_code)
        notice = texts.reply_notice(blocker, name, text, legal_basis)
        rate = payloads.rating_buttons(blocker.id or 0)
        tell_officials(session, blocker, text=notice, buttons=rate, blocker_message_id=message.id)
    session.flush()
    return message


def request_info(session: Session, *, blocker: Blocker, user: User, text: str) -> BlockerMessage:
    if blocker.status == BlockerStatus.closed:
        raise ValueError(texts.BLOCKER_CLOSED)
    message = _staff_message(session, blocker, user, MessageKind.info_request, text)
    now = message.created_at
    record_event(session, blocker, EventKind.info_request, actor=actor(user), now=now)
    set_status(session, blocker, BlockerStatus.need_info, by=actor(user), now=now)
    notice = texts.info_request_notice(blocker, department_name(session, blocker.department_code), text)
    add = [payloads.add_info_button(blocker.id or 0)]
    tell_officials(session, blocker, text=notice, buttons=add, followers=False, blocker_message_id=message.id)
    session.flush()
    return message


def add_note(session: Session, *, blocker: Blocker, user: User, text: str) -> BlockerMessage:
    """An internal note: stays in the inbox, never sent to a chat."""
    message = _staff_message(session, blocker, user, MessageKind.note, text)
    record_event(session, blocker, EventKind.note, actor=actor(user), now=message.created_at)
    session.flush()
    return message


__all__ = [
    "add_note",
    "add_official_message",
    "add_support",
    "assign",
    "change_status",
    "close",
    "file_blocker",
    "follow_blocker",
    "rate",
    "record_event",
    "reply",
    "request_info",
    "status_label",
    "transfer",
]
