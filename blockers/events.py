"""The audit trail and status bookkeeping shared by every lifecycle step."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from blockers import texts
from core.clock import utcnow
from core.models import Blocker, BlockerEvent, BlockerStatus, ChatAccount, Department, EventKind, User


def actor(who: User | ChatAccount | None) -> str:
    if isinstance(who, User):
        return f"user:{who.id}"
    if isinstance(who, ChatAccount):
        return f"account:{who.id}"
    return "system"


def record_event(
    session: Session,
    blocker: Blocker,
    kind: EventKind,
    *,
    actor: str,
    from_value: str = "",
    to_value: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> BlockerEvent:
    """Append one event. Events are never updated or deleted: they are the audit trail."""
    event = BlockerEvent(
        blocker_id=blocker.id or 0,
        kind=kind,
        actor=actor,
        from_value=str(from_value)[:200],
        to_value=str(to_value)[:200],
        reason=reason,
        created_at=now or utcnow(),
    )
    session.add(event)
    return event


def set_status(
    session: Session, blocker: Blocker, status: BlockerStatus, *, by: str, reason: str = "", now: datetime
) -> None:
    """Change the status with its event and the response/answer/close timestamps."""
    old = blocker.status
    blocker.status = status
    blocker.updated_at = now
    if status != BlockerStatus.new and blocker.first_response_at is None:
        blocker.first_response_at = now
    if status == BlockerStatus.answered:
        blocker.answered_at = now
    if status == BlockerStatus.closed:
        blocker.closed_at = now
    elif old == BlockerStatus.closed:
        blocker.closed_at = None
    record_event(
        session, blocker, EventKind.status, actor=by, from_value=old, to_value=status, reason=reason, now=now
    )
    session.add(blocker)


def active_department(session: Session, code: str) -> Department:
    department = session.get(Department, code)
    if department is None or not department.active:
        raise ValueError(texts.UNKNOWN_DEPARTMENT)
    return department
