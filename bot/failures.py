"""Giving up on an inbound update: retried while that can help, then answered with an apology
and recorded for the admin, in the same transaction that marks it failed (see bot/inbound.py).
"""

from __future__ import annotations

import logging
import socket
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlmodel import Session, col, select

from bot.channel import Incoming
from bot.texts import APOLOGY
from core.clock import utcnow
from core.models import AuditLog, ChatAccount, InboundStatus, InboundUpdate
from core.outbox import enqueue_message

log = logging.getLogger(__name__)

FAILED_ACTION = "inbound.failed"  # the audit log's action for an update given up
# Errors that say "try later", not "this update is bad".
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    DisconnectionError,
    InterfaceError,
    httpx.TransportError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)


def allowed_attempts(exc: BaseException, *, outage: int, poison: int) -> int:
    return outage if isinstance(exc, TRANSIENT_ERRORS) else poison


def record_failure(
    engine: Engine,
    *,
    row: InboundUpdate,
    worker: str,
    error: str,
    allowed: int,
    pause: timedelta,
    stale_after: timedelta,
    incoming: Incoming | None = None,
) -> None:
    """Schedule a retry after `pause`, or give the update up once it had `allowed` tries."""
    now = utcnow()
    with Session(engine) as session:
        values: dict[str, Any] = {"error": error}
        giving_up = row.attempts >= allowed
        if giving_up:
            values |= {"status": InboundStatus.failed, "processed_at": now}
        else:
            # Retried once the pause has passed: the claim then looks stale.
            values |= {"claimed_by": f"retry:{worker}", "claimed_at": now - stale_after + pause}
        marked = session.execute(
            update(InboundUpdate)
            .where(col(InboundUpdate.id) == row.id, col(InboundUpdate.claimed_by) == worker)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if giving_up and marked.rowcount:  # type: ignore[attr-defined]
            _give_up(session, row, incoming, error)
        session.commit()


def _give_up(session: Session, row: InboundUpdate, incoming: Incoming | None, error: str) -> None:
    """In the transaction that marks the update failed: the apology and the admin's record."""
    log.error(
        "inbound update %s (%s) given up after %s attempts: %s", row.id, row.channel, row.attempts, error
    )
    session.add(
        AuditLog(actor="system", action=FAILED_ACTION, target=f"{row.channel}:{row.id}", detail=error)
    )
    if incoming is None or not incoming.chat_id:
        return  # nothing tells us who sent it: the audit record is all that can be done
    account = session.exec(
        select(ChatAccount).where(
            ChatAccount.channel == incoming.channel, ChatAccount.user_id == incoming.user_id
        )
    ).first()
    enqueue_message(
        session,
        channel=incoming.channel,
        chat_id=incoming.chat_id,
        text=APOLOGY,
        account_id=account.id if account else None,
        inbound_id=row.id,
    )
