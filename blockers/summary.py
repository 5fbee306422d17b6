"""The weekly summary for leadership, sent to settings.leadership_chat through the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from blockers import stats, texts
from core.clock import utcnow
from core.models import Blocker, OutboxMessage, QuestionLog
from core.outbox import enqueue_to_target


def _count(session: Session, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(Blocker).where(*where)).one())  # type: ignore[arg-type]


def weekly_summary(session: Session, now: datetime | None = None) -> str:
    """Plain text (fits one chat message) about the seven days before `now`."""
    now = now or utcnow()
    since = now - timedelta(days=7)
    created = _count(session, col(Blocker.created_at) >= since, col(Blocker.created_at) < now)
    answered = _count(session, col(Blocker.answered_at) >= since, col(Blocker.answered_at) < now)
    closed = _count(session, col(Blocker.closed_at) >= since, col(Blocker.closed_at) < now)
    overdue_total, _ = stats.overdue_blockers(session, now=now, limit=0)
    week_rate = stats.on_time_rate(session, since=since)
    unanswered = int(
        session.exec(
            select(func.count()).where(
                QuestionLog.grounded == False,  # noqa: E712
                col(QuestionLog.created_at) >= since,
            )
        ).one()
    )
    worst = [row for row in stats.counts_by_department(session, now=now) if row.overdue][:3]
    on_time = (week_rate.on_time, week_rate.answered) if week_rate.rate is not None else None
    return texts.weekly_summary(
        since=since,
        now=now,
        counts=(created, answered, closed, overdue_total),
        on_time=on_time,
        worst=[(row.name, row.overdue, row.open) for row in worst],
        unanswered=unanswered,
    )


def send_weekly_summary(
    session: Session, *, target: str, now: datetime | None = None
) -> OutboxMessage | None:
    """Queue the summary for the leadership chat ("telegram:<id>"); None when not configured."""
    if not target:
        return None
    return enqueue_to_target(session, target, text=weekly_summary(session, now))
