from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from blockers import lifecycle
from blockers.jobs import run_due_jobs
from core.models import BlockerEvent, ChatAccount, Department, EventKind, OutboxMessage, Person, User
from core.settings import Settings

FILED = datetime(2025, 6, 6, 3, 0)  # Friday 10:00 Vietnam; TC has 5 working days → Fri 13/6 17:00


def texts_to(session: Session, chat_id: str) -> list[str]:
    return [m.text for m in session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == chat_id))]


def test_reminder_then_escalation_once_each(
    engine: Engine,
    session: Session,
    settings: Settings,
    departments: dict[str, Department],
    make_official: Callable[..., tuple[Person, ChatAccount]],
) -> None:
    person, account = make_official()
    blocker = lifecycle.file_blocker(
        session,
        account=account,
        person=person,
        description="Chưa được giao dự toán chi thường xuyên",
        department_code="TC",
        now=FILED,
    )
    session.commit()
    assert blocker.deadline == datetime(2025, 6, 13, 10, 0)

    early = run_due_jobs(engine=engine, settings=settings, now=datetime(2025, 6, 11, 10, 0))
    assert early.reminded == [] and early.escalated == []
    day_before = datetime(2025, 6, 12, 12, 0)  # within REMINDER_HOURS_BEFORE_DEADLINE (24 h)
    first = run_due_jobs(engine=engine, settings=settings, now=day_before)
    again = run_due_jobs(engine=engine, settings=settings, now=day_before + timedelta(minutes=1))
    assert first.reminded == [blocker.code] and again.reminded == []
    session.expire_all()
    tc_group = texts_to(session, "-1001")
    assert sum("Nhắc hạn" in t for t in tc_group) == 1

    late = datetime(2025, 6, 13, 10, 5)
    escalated = run_due_jobs(engine=engine, settings=settings, now=late)
    twice = run_due_jobs(engine=engine, settings=settings, now=late + timedelta(hours=1))
    assert escalated.escalated == [blocker.code] and twice.escalated == [] and escalated.reminded == []
    session.expire_all()
    vp_group = texts_to(session, "-1003")  # the triage department's group
    assert len(vp_group) == 1 and "Quá hạn" in vp_group[0] and "Sở Tài chính" in vp_group[0]
    kinds = [e.kind for e in session.exec(select(BlockerEvent).where(BlockerEvent.blocker_id == blocker.id))]
    assert kinds.count(EventKind.reminder) == 1 and kinds.count(EventKind.escalation) == 1


def test_answered_blockers_are_not_chased(
    engine: Engine,
    session: Session,
    settings: Settings,
    departments: dict[str, Department],
    staff: User,
    make_official: Callable[..., tuple[Person, ChatAccount]],
) -> None:
    person, account = make_official()
    blocker = lifecycle.file_blocker(
        session,
        account=account,
        person=person,
        description="Thiếu máy tính cho bộ phận một cửa",
        department_code="TC",
        now=FILED,
    )
    lifecycle.reply(session, blocker=blocker, user=staff, text="Đã bố trí kinh phí mua sắm.")
    session.commit()
    report = run_due_jobs(engine=engine, settings=settings, now=datetime(2025, 6, 20))
    assert report.reminded == [] and report.escalated == []


def test_claim_is_exclusive(
    engine: Engine,
    session: Session,
    settings: Settings,
    departments: dict[str, Department],
    make_official: Callable[..., tuple[Person, ChatAccount]],
) -> None:
    """Two workers that both saw the blocker as due: only the first claim sends."""
    from blockers.jobs import _run_one

    person, account = make_official()
    blocker = lifecycle.file_blocker(
        session,
        account=account,
        person=person,
        description="Trụ sở xã xuống cấp, dột nát",
        department_code="TC",
        now=FILED,
    )
    session.commit()
    now = datetime(2025, 6, 14)
    assert _run_one(engine, settings, blocker.id or 0, "escalated_at", now) == blocker.code
    assert _run_one(engine, settings, blocker.id or 0, "escalated_at", now) is None
