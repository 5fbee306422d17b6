"""Periodic work on blockers, run every minute by the worker (api/workers.py):
a reminder to the department's chats before the deadline, an escalation to the triage
department after it. Each happens once per blocker (per deadline): the row is claimed with
a conditional UPDATE on reminded_at / escalated_at, so several processes can run this at
the same time and only one of them sends."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from blockers import texts
from blockers.events import record_event
from blockers.notify import blocker_link, department_name, tell_department
from core.clock import utcnow
from core.db import session_scope
from core.models import Blocker, BlockerStatus, EventKind
from core.settings import Settings

log = logging.getLogger(__name__)

# Waiting on the department: answered / closed blockers, and those waiting on the official
# (need_info), are not chased.
WAITING_ON_DEPARTMENT = (BlockerStatus.new, BlockerStatus.received, BlockerStatus.in_progress)
BATCH = 200


@dataclass
class JobReport:
    reminded: list[str] = field(default_factory=list)  # blocker codes
    escalated: list[str] = field(default_factory=list)


def _claim(session: Session, blocker_id: int, column: str, now: datetime) -> bool:
    stamp = getattr(Blocker, column)
    result = session.connection().execute(
        update(Blocker).where(col(Blocker.id) == blocker_id, stamp.is_(None)).values({column: now})
    )
    return bool(result.rowcount)


def _due(session: Session, column: str, *, before: datetime, after: datetime | None = None) -> list[int]:
    stamp = getattr(Blocker, column)
    query = select(Blocker.id).where(
        col(Blocker.status).in_(WAITING_ON_DEPARTMENT), stamp.is_(None), col(Blocker.deadline) <= before
    )
    if after is not None:  # a reminder is pointless once the deadline has passed
        query = query.where(col(Blocker.deadline) > after)
    rows = session.exec(query.order_by(col(Blocker.deadline)).limit(BATCH))
    return [int(r) for r in rows if r is not None]


def _run_one(engine: Engine, settings: Settings, blocker_id: int, column: str, now: datetime) -> str | None:
    """Claim and notify in one transaction: a crash after the claim rolls both back."""
    with session_scope(engine) as session:
        if not _claim(session, blocker_id, column, now):
            return None  # another process got there first
        blocker = session.get(Blocker, blocker_id)
        if blocker is None:
            return None
        session.refresh(blocker)
        link = blocker_link(blocker, settings)
        if column == "reminded_at":
            tell_department(session, blocker.department_code, text=texts.reminder(blocker, link))
            record_event(session, blocker, EventKind.reminder, actor="system", now=now)
        else:
            name = department_name(session, blocker.department_code)
            text = texts.escalation(blocker, name, link)
            tell_department(session, settings.triage_department, text=text)
            if blocker.department_code != settings.triage_department:
                tell_department(session, blocker.department_code, text=text)
            record_event(
                session,
                blocker,
                EventKind.escalation,
                actor="system",
                to_value=settings.triage_department,
                now=now,
            )
        return blocker.code


def run_due_jobs(*, engine: Engine, settings: Settings, now: datetime | None = None) -> JobReport:
    now = now or utcnow()
    report = JobReport()
    with Session(engine) as session:
        soon = now + timedelta(hours=settings.reminder_hours_before_deadline)
        to_remind = _due(session, "reminded_at", before=soon, after=now)
        to_escalate = _due(session, "escalated_at", before=now)
    for blocker_id in to_remind:
        code = _run_one(engine, settings, blocker_id, "reminded_at", now)
        if code:
            report.reminded.append(code)
    for blocker_id in to_escalate:
        code = _run_one(engine, settings, blocker_id, "escalated_at", now)
        if code:
            report.escalated.append(code)
    if report.reminded or report.escalated:
        log.info("blocker jobs: %d reminded, %d escalated", len(report.reminded), len(report.escalated))
    return report
