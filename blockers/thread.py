"""One blocker's page for the web: the whole thread, its files, the delivery state of every
message sent to the official, and what the user may do there (blockers/access.py)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from blockers.access import Action, Relation, allowed_actions, relation
from blockers.closing import broadcast_reports
from core.models import (
    Blocker,
    BlockerAttachment,
    BlockerEvent,
    BlockerMessage,
    BlockerSupport,
    CannedReply,
    ChatAccount,
    Department,
    OutboxMessage,
    Person,
    Role,
    User,
)


def load_thread(session: Session, *, blocker: Blocker, user: User) -> dict[str, Any]:
    """Everything the blocker page shows, in a fixed number of queries (no per-message query),
    with what this user may do on it."""
    allowed = allowed_actions(session, user=user, blocker=blocker)
    # A supporting department answers its part with its own canned replies, not the lead's.
    canned_department = (
        user.department_code
        if relation(session, user=user, blocker=blocker) == Relation.support
        else blocker.department_code
    )
    messages = list(
        session.exec(
            select(BlockerMessage)
            .where(BlockerMessage.blocker_id == blocker.id)
            .order_by(col(BlockerMessage.created_at), col(BlockerMessage.id))
        ).all()
    )
    attachments = session.exec(
        select(BlockerAttachment).where(BlockerAttachment.blocker_id == blocker.id)
    ).all()
    files: dict[int | None, list[BlockerAttachment]] = {}
    for attachment in attachments:
        files.setdefault(attachment.message_id, []).append(attachment)
    message_ids = [m.id for m in messages if m.id is not None]
    deliveries: dict[int, list[str]] = {}
    if message_ids:
        for message_id, status in session.exec(
            select(OutboxMessage.blocker_message_id, OutboxMessage.status)
            .where(col(OutboxMessage.blocker_message_id).in_(message_ids))
            .order_by(col(OutboxMessage.id))
        ).all():
            deliveries.setdefault(int(message_id or 0), []).append(str(status))
    events = session.exec(
        select(BlockerEvent)
        .where(BlockerEvent.blocker_id == blocker.id)
        .order_by(col(BlockerEvent.created_at), col(BlockerEvent.id))
    ).all()
    users = {u.id: u for u in session.exec(select(User)).all()}
    supports = session.exec(
        select(BlockerSupport.department_code).where(BlockerSupport.blocker_id == blocker.id)
    ).all()
    departments = list(session.exec(select(Department).order_by(Department.name)).all())
    return {
        "messages": messages,
        "files": files,
        "deliveries": deliveries,
        "events": list(events),
        "users": users,
        "supports": list(supports),
        "departments": departments,
        "department_names": {d.code: d.name for d in departments},
        "person": session.get(Person, blocker.person_id) if blocker.person_id else None,
        "account": session.get(ChatAccount, blocker.account_id) if blocker.account_id else None,
        "canned": list(
            session.exec(
                select(CannedReply)
                .where(CannedReply.department_code == canned_department)
                .order_by(CannedReply.title)
            ).all()
        ),
        "allowed": allowed,
        "broadcasts": broadcast_reports(session, blocker) if blocker.published_document_id else [],
        "broadcast_fields": _fields(session) if Action.broadcast in allowed else [],
        "assignable": [
            u
            for u in users.values()
            if u.active and u.department_code == blocker.department_code and u.role in (Role.staff, Role.head)
        ],
    }


def _fields(session: Session) -> list[str]:
    """Fields a broadcast may be limited to: those blockers were filed under."""
    return list(
        session.exec(select(Blocker.field).where(Blocker.field != "").distinct().order_by(Blocker.field))
    )
