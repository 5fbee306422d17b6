"""Claiming rows for one worker, safely across threads and processes.

On PostgreSQL the candidate rows are locked with `FOR UPDATE SKIP LOCKED`, so two workers never
wait on or take the same row. On SQLite (one writer at a time) the claiming UPDATE is itself
atomic; its WHERE clause re-checks that the row is still free, so a row is claimed once.
Claims carry a per-pass token (`claimed_by`), which is how a worker finds what it claimed.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from core.db import is_postgres
from core.models import DeliveryStatus, InboundStatus, InboundUpdate, OutboxMessage


def worker_name(role: str) -> str:
    """A name unique to this process (and pass), stored in claimed_by for diagnosis."""
    return f"{role}:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _locked(session: Session, query: Select[Any]) -> Select[Any]:
    engine = session.get_bind()
    if is_postgres(engine):  # type: ignore[arg-type]
        return query.with_for_update(skip_locked=True)
    return query


def claim_inbound(
    session: Session, *, worker: str, now: datetime, stale_before: datetime, limit: int
) -> list[InboundUpdate]:
    """Pending updates that nobody holds (or whose holder went silent before `stale_before`)."""
    free: ColumnElement[bool] = or_(
        col(InboundUpdate.claimed_by) == "", col(InboundUpdate.claimed_at) < stale_before
    )
    older = aliased(InboundUpdate)
    has_older = exists().where(  # only a chat's oldest pending update may run: per-chat order
        col(older.channel) == col(InboundUpdate.channel),
        col(older.chat_key) == col(InboundUpdate.chat_key),
        col(older.status) == InboundStatus.pending,
        col(older.id) < col(InboundUpdate.id),
    )
    head = or_(col(InboundUpdate.chat_key) == "", ~has_older)
    candidates = _locked(
        session,
        select(col(InboundUpdate.id))
        .where(col(InboundUpdate.status) == InboundStatus.pending, free, head)
        .order_by(col(InboundUpdate.id))
        .limit(limit),
    )
    ids: Sequence[int] = session.execute(candidates).scalars().all()
    if not ids:
        session.commit()
        return []
    session.execute(
        update(InboundUpdate)
        .where(col(InboundUpdate.id).in_(ids), col(InboundUpdate.status) == InboundStatus.pending, free)
        .values(claimed_by=worker, claimed_at=now, attempts=col(InboundUpdate.attempts) + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    rows = session.scalars(
        select(InboundUpdate)
        .where(col(InboundUpdate.id).in_(ids), col(InboundUpdate.claimed_by) == worker)
        .order_by(col(InboundUpdate.id))
    )
    return list(rows.all())


def claim_outbox_heads(
    session: Session, *, worker: str, now: datetime, lease_until: datetime, limit: int
) -> list[int]:
    """Claim the oldest pending message of chats whose turn it is; returns the claimed ids.

    Only a chat's head (no older pending message in the same chat) is eligible, which is what
    keeps per-chat order: message n+1 is never sent before n is sent or finally given up.
    """
    older = aliased(OutboxMessage)
    has_older = exists().where(
        col(older.channel) == col(OutboxMessage.channel),
        col(older.chat_id) == col(OutboxMessage.chat_id),
        col(older.status) == DeliveryStatus.pending,
        col(older.id) < col(OutboxMessage.id),
    )
    free: ColumnElement[bool] = or_(
        col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now
    )
    due = and_(
        col(OutboxMessage.status) == DeliveryStatus.pending,
        col(OutboxMessage.next_attempt_at) <= now,
        free,
    )
    candidates = _locked(
        session,
        select(col(OutboxMessage.id)).where(due, ~has_older).order_by(col(OutboxMessage.id)).limit(limit),
    )
    ids = list(session.execute(candidates).scalars().all())
    if not ids:
        session.commit()
        return []
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), due)
        .values(claimed_by=worker, claimed_until=lease_until)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    claimed = session.execute(
        select(col(OutboxMessage.id)).where(
            col(OutboxMessage.id).in_(ids), col(OutboxMessage.claimed_by) == worker
        )
    )
    return list(claimed.scalars().all())
