"""Recording what happened to an outbox row. Every write re-checks that this worker still holds
the claim (`claimed_by`), so a worker whose lease lapsed cannot overwrite another's result."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channel import SendResult
from core.clock import utcnow
from core.models import ChatAccount, DeliveryStatus, OutboxMessage

log = logging.getLogger(__name__)


def update_row(engine: Engine, row_id: int, worker: str, **values: Any) -> None:
    with Session(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row_id, col(OutboxMessage.claimed_by) == worker)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        session.commit()


def load_row(engine: Engine, row_id: int) -> tuple[OutboxMessage | None, bool]:
    """The row, and whether its chat blocked the bot."""
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(OutboxMessage, row_id)
        if row is None:
            return None, False
        blocked = session.exec(
            select(ChatAccount.id).where(
                ChatAccount.channel == row.channel, ChatAccount.chat_id == row.chat_id, ChatAccount.blocked
            )
        ).first()
        return row, blocked is not None


def mark_blocked(engine: Engine, row: OutboxMessage, worker: str, error: str) -> None:
    with Session(engine) as session:
        session.execute(
            update(ChatAccount)
            .where(col(ChatAccount.channel) == row.channel, col(ChatAccount.chat_id) == row.chat_id)
            .values(blocked=True)
        )
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row.id, col(OutboxMessage.claimed_by) == worker)
            .values(status=DeliveryStatus.blocked, error=error, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()


def settle_failure(
    engine: Engine,
    row: OutboxMessage,
    worker: str,
    result: SendResult,
    *,
    max_attempts: int,
    max_backoff: float,
) -> DeliveryStatus | None:
    """Record a refused send; returns the final status, or None when the row will be retried."""
    row_id, error = row.id or 0, result.error[:500]
    log.info("outbox %s to %s refused: %s", row_id, row.channel, error)
    final: DeliveryStatus | None = None
    values: dict[str, Any] = {"error": error, "claimed_until": None}
    if result.blocked:
        mark_blocked(engine, row, worker, error)
        return DeliveryStatus.blocked
    if result.window_closed:
        final = DeliveryStatus.window_closed
    elif result.permanent:
        final = DeliveryStatus.failed
    elif result.retry_after is not None:  # the platform's own pacing: not counted as a failure
        values["next_attempt_at"] = utcnow() + timedelta(seconds=max(result.retry_after, 0.5))
    else:
        values["attempts"] = row.attempts + 1
        if values["attempts"] >= max_attempts:
            final = DeliveryStatus.failed
        else:
            pause = min(2.0 ** values["attempts"], max_backoff)
            values["next_attempt_at"] = utcnow() + timedelta(seconds=pause)
    if final is not None:
        values["status"] = final
    update_row(engine, row_id, worker, **values)
    return final
