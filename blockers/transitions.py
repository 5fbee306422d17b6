"""Staff-side transitions of a blocker (assign, status, transfer, support, close) and the
official's rating. Re-exported by blockers.lifecycle, which is what callers import."""

from __future__ import annotations

from sqlmodel import Session

from blockers import texts
from blockers.deadlines import deadline_for
from blockers.events import active_department, actor, record_event, set_status
from blockers.notify import blocker_link, department_name, tell_department, tell_officials
from core.clock import utcnow
from core.models import Blocker, BlockerStatus, BlockerSupport, ChatAccount, EventKind, User
from core.settings import Settings

# Reached only with a message (reply / request_info), so the official always learns why.
_NEEDS_MESSAGE = frozenset({BlockerStatus.answered, BlockerStatus.need_info})


def assign(session: Session, *, blocker: Blocker, user: User, assignee_id: int | None) -> None:
    now = utcnow()
    old = blocker.assigned_user_id
    blocker.assigned_user_id = assignee_id
    blocker.updated_at = now
    session.add(blocker)
    record_event(
        session,
        blocker,
        EventKind.assign,
        actor=actor(user),
        from_value=str(old or ""),
        to_value=str(assignee_id or ""),
        now=now,
    )
    if blocker.status == BlockerStatus.new and assignee_id is not None:
        set_status(session, blocker, BlockerStatus.received, by=actor(user), now=now)
        _tell_status(session, blocker)
    session.flush()


def _tell_status(session: Session, blocker: Blocker, reason: str = "") -> None:
    name = department_name(session, blocker.department_code)
    tell_officials(session, blocker, text=texts.status_notice(blocker, name, reason))


def change_status(
    session: Session, *, blocker: Blocker, user: User, status: BlockerStatus, reason: str = ""
) -> None:
    status = BlockerStatus(status)
    if status == blocker.status:
        raise ValueError(texts.STATUS_UNCHANGED)
    if status in _NEEDS_MESSAGE:
        raise ValueError(texts.STATUS_NEEDS_MESSAGE)
    set_status(session, blocker, status, by=actor(user), reason=reason.strip(), now=utcnow())
    _tell_status(session, blocker, reason.strip())
    session.flush()


def close(session: Session, *, blocker: Blocker, user: User, reason: str = "") -> None:
    if blocker.status == BlockerStatus.closed:
        raise ValueError(texts.ALREADY_CLOSED)
    set_status(session, blocker, BlockerStatus.closed, by=actor(user), reason=reason.strip(), now=utcnow())
    _tell_status(session, blocker, reason.strip())
    session.flush()


def transfer(
    session: Session,
    *,
    blocker: Blocker,
    user: User,
    department_code: str,
    reason: str,
    settings: Settings | None = None,
) -> None:
    """Hand the blocker to another lead department, with a reason; its deadline restarts.

    The routing learns from this: past blockers count under their current department.
    """
    if not reason.strip():
        raise ValueError(texts.REASON_REQUIRED)
    if department_code == blocker.department_code:
        raise ValueError(texts.SAME_DEPARTMENT)
    new = active_department(session, department_code)
    old_code = blocker.department_code
    old_name = department_name(session, old_code)
    now = utcnow()
    blocker.department_code = new.code
    blocker.deadline = deadline_for(now, new.deadline_days, settings=settings)
    blocker.assigned_user_id = None
    blocker.reminded_at = None
    blocker.escalated_at = None
    blocker.updated_at = now
    support = session.get(BlockerSupport, (blocker.id, new.code))
    if support is not None:
        session.delete(support)
    session.add(blocker)
    record_event(
        session,
        blocker,
        EventKind.transfer,
        actor=actor(user),
        from_value=old_code,
        to_value=new.code,
        reason=reason.strip(),
        now=now,
    )
    if blocker.status not in (BlockerStatus.new, BlockerStatus.closed):
        set_status(session, blocker, BlockerStatus.new, by=actor(user), reason=reason.strip(), now=now)
    tell_officials(session, blocker, text=texts.transfer_notice(blocker, old_name, new.name, reason.strip()))
    link = blocker_link(blocker, settings)
    tell_department(session, new.code, text=texts.department_new_blocker(blocker, link))
    session.flush()


def add_support(
    session: Session, *, blocker: Blocker, user: User, department_code: str, settings: Settings | None = None
) -> None:
    department = active_department(session, department_code)
    existing = session.get(BlockerSupport, (blocker.id, department.code))
    if department.code == blocker.department_code or existing is not None:
        raise ValueError(texts.ALREADY_SUPPORTING)
    session.add(BlockerSupport(blocker_id=blocker.id or 0, department_code=department.code))
    record_event(session, blocker, EventKind.support, actor=actor(user), to_value=department.code)
    lead = department_name(session, blocker.department_code)
    tell_officials(session, blocker, text=texts.support_notice(blocker, lead, department.name))
    what = texts.invited_to_support(department.name)
    link = blocker_link(blocker, settings)
    tell_department(session, department.code, text=texts.department_update(blocker, what, link))
    session.flush()


def rate(
    session: Session,
    *,
    blocker: Blocker,
    account: ChatAccount,
    solved: bool,
    settings: Settings | None = None,
) -> None:
    """ "Đã giải quyết được" / "Chưa được". The reporting official's rating is the blocker's, and
    their "Chưa được" on an answered blocker reopens it; a follower's is kept as an event only
    (another commune does not decide whether this commune's problem is solved)."""
    now = utcnow()
    value = "solved" if solved else "not_solved"
    record_event(session, blocker, EventKind.rating, actor=actor(account), to_value=value, now=now)
    if account.id != blocker.account_id:
        session.flush()
        return
    blocker.rating = value
    blocker.updated_at = now
    session.add(blocker)
    if not solved and blocker.status == BlockerStatus.answered:
        set_status(
            session,
            blocker,
            BlockerStatus.in_progress,
            by=actor(account),
            reason=texts.RATE_NOT_SOLVED,
            now=now,
        )
        link = blocker_link(blocker, settings)
        tell_department(
            session, blocker.department_code, text=texts.department_update(blocker, texts.NOT_SOLVED, link)
        )
    session.flush()
