"""The weekly summary for leadership, sent to settings.leadership_chat through the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from blockers import stats
from core.clock import format_vn, utcnow
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
    lines = [
        f"TỔNG HỢP VƯỚNG MẮC TUẦN ({format_vn(since, with_time=False)} – {format_vn(now, with_time=False)})",
        f"• Vướng mắc mới: {created}",
        f"• Đã trả lời: {answered}",
        f"• Đã đóng: {closed}",
        f"• Đang quá hạn: {overdue_total}",
    ]
    if week_rate.rate is not None:
        percent = round(week_rate.rate * 100)
        lines.append(f"• Trả lời đúng hạn trong tuần: {percent}% ({week_rate.on_time}/{week_rate.answered})")
    worst = [row for row in stats.counts_by_department(session, now=now) if row.overdue][:3]
    if worst:
        lines.append("Sở có nhiều vướng mắc quá hạn nhất:")
        lines.extend(f"  – {row.name}: {row.overdue} quá hạn / {row.open} đang mở" for row in worst)
    lines.append(f"• Câu hỏi trợ lý chưa có hướng dẫn để trả lời: {unanswered}")
    return "\n".join(lines)


def send_weekly_summary(
    session: Session, *, target: str, now: datetime | None = None
) -> OutboxMessage | None:
    """Queue the summary for the leadership chat ("telegram:<id>"); None when not configured."""
    if not target:
        return None
    return enqueue_to_target(session, target, text=weekly_summary(session, now))
