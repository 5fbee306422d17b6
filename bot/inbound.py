"""Inbound updates: stored before the platform gets its 200, then processed exactly once.

`store_update` is the webhook's (and poller's) only write. `process_pending` claims stored
updates, parses them with their channel, downloads attachments, runs the dispatcher in a thread
and, in ONE transaction with the dispatcher's own writes, queues the replies in the outbox and
marks the update done. That transaction only commits while this worker still holds the claim,
so an update taken over after a stall is never answered twice.

A failure is retried with a growing pause: an outage (database, network) up to `max_attempts`
times, any other error (a bug, data the code cannot handle) `poison_attempts` times, since
repeating it only delays the answer. Then the update is given up: in one transaction it is
marked failed, the official gets a short apology through the outbox (exactly once) and the
admin a record in the audit log (and /metrics counts failed updates). Never silence.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.attachments import fetch_attachments
from bot.channel import Acknowledging, Channel, Incoming, Reply
from bot.claims import claim_inbound, worker_name
from bot.errors import safe_error
from bot.failures import allowed_attempts, record_failure
from core.clock import utcnow
from core.db import is_postgres
from core.models import ChatAccount, InboundStatus, InboundUpdate
from core.outbox import enqueue_message
from core.settings import Settings

log = logging.getLogger(__name__)

Dispatch = Callable[[Session, Incoming], list[Reply]]


@runtime_checkable
class AttachmentScreen(Protocol):
    """A dispatcher that says, before any download, which attachments it would take (the real
    one does: files from unregistered chats, outside a report, over the flood limit or of a
    refused type are never fetched). Without it every attachment is fetched."""

    def attachments_wanted(self, session: Session, incoming: Incoming) -> list[bool]: ...


@runtime_checkable
class MediaStep(Protocol):
    """A dispatcher that reads the fetched media before the transaction (the real one
    transcribes a voice note and reads a photo asked about, on its own bounded lanes): slow
    work that must neither block the event loop nor hold a database transaction open."""

    async def read_media(self, engine: Engine, incoming: Incoming) -> Incoming: ...


def _wanted(engine: Engine, dispatch: Dispatch, incoming: Incoming) -> list[bool] | None:
    if not isinstance(dispatch, AttachmentScreen):
        return None
    with Session(engine) as session:
        return dispatch.attachments_wanted(session, incoming)


def store_update(
    session: Session, *, channel: str, key: str, payload: Mapping[str, Any], chat_key: str = ""
) -> bool:
    """Insert a raw update; False when (channel, key) was already stored (a redelivery).

    `chat_key` (the chat id, when known) makes updates of one chat run one at a time, in order,
    across all workers.

    Not committed here: the caller's transaction commits, and a failure raises so a webhook
    can answer 5xx and the platform delivers again.
    """
    table = InboundUpdate.__table__  # type: ignore[attr-defined]
    dialect = postgresql if is_postgres(session.get_bind()) else sqlite  # type: ignore[arg-type]
    statement = (
        dialect.insert(table)
        .values(
            channel=channel,
            key=key[:200],
            chat_key=chat_key[:150],
            payload=dict(payload),
            status=InboundStatus.pending,
            attempts=0,
            claimed_by="",
            error="",
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["channel", "key"])
        .returning(table.c.id)  # rowcount is unreliable with RETURNING on PostgreSQL: use the row
    )
    return session.execute(statement).first() is not None


@dataclass
class InboundOptions:
    batch: int = 50
    stale_after: timedelta = timedelta(minutes=2)  # a claim older than this is taken over
    max_attempts: int = 5  # an outage: the database or the network may come back
    poison_attempts: int = 2  # any other error: the same update will most likely fail again
    concurrency: int = 8  # chats processed at once by one worker
    max_pause: float = 60.0  # longest wait before retrying a failed update


def chat_key_of(channel: Channel | None, payload: Mapping[str, Any]) -> str:
    """The chat id of a raw update, or "" when it cannot be parsed (it is then unordered)."""
    try:
        incoming = channel.parse(payload) if channel is not None else None
    except Exception:
        return ""
    return incoming.chat_id if incoming is not None else ""


def _chat_of(channel: Channel | None, row: InboundUpdate) -> tuple[Incoming | None, str]:
    if channel is None:
        return None, f"?{row.id}"
    incoming = channel.parse(row.payload)
    return incoming, (incoming.chat_id if incoming else f"?{row.id}")


def _finish(
    engine: Engine, row_id: int, worker: str, incoming: Incoming | None, dispatch: Dispatch | None
) -> bool:
    """Run the dispatcher and commit its writes, the replies and `done` together."""
    with Session(engine, expire_on_commit=False) as session:
        replies: list[Reply] = []
        if incoming is not None and dispatch is not None:
            replies = dispatch(session, incoming)
            account = session.exec(
                select(ChatAccount).where(
                    ChatAccount.channel == incoming.channel, ChatAccount.user_id == incoming.user_id
                )
            ).first()
            if account is not None and account.blocked:
                account.blocked = False  # they wrote to us, so they no longer block the bot
                session.add(account)
            for reply in replies:
                enqueue_message(
                    session,
                    channel=incoming.channel,
                    chat_id=incoming.chat_id,
                    text=reply.text,
                    buttons=reply.buttons,
                    attachments=reply.attachments,
                    account_id=account.id if account else None,
                    inbound_id=row_id,
                    answer=reply.answer,
                )
        status = InboundStatus.done if incoming is not None else InboundStatus.ignored
        marked = session.execute(
            update(InboundUpdate)
            .where(
                col(InboundUpdate.id) == row_id,
                col(InboundUpdate.claimed_by) == worker,
                col(InboundUpdate.status) == InboundStatus.pending,
            )
            .values(status=status, processed_at=utcnow(), error="")
            .execution_options(synchronize_session=False)
        )
        if not marked.rowcount:  # type: ignore[attr-defined]
            session.rollback()  # another worker took the update over: it answers, not us
            return False
        session.commit()
        return True


def _record_failure(
    engine: Engine,
    row: InboundUpdate,
    worker: str,
    error: str,
    options: InboundOptions,
    *,
    incoming: Incoming | None = None,
    attempts: int | None = None,
) -> None:
    record_failure(
        engine,
        row=row,
        worker=worker,
        error=error,
        allowed=options.max_attempts if attempts is None else attempts,
        pause=timedelta(seconds=min(2.0**row.attempts, options.max_pause)),
        stale_after=options.stale_after,
        incoming=incoming,
    )


async def _process_one(
    row: InboundUpdate,
    incoming: Incoming | None,
    *,
    engine: Engine,
    channels: Mapping[str, Channel],
    dispatch: Dispatch,
    settings: Settings,
    worker: str,
    options: InboundOptions,
) -> bool:
    # The one broad except of the inbound path: a failing update must not stop the loop.
    try:
        channel = channels.get(row.channel)
        if incoming is not None and channel is not None:
            if isinstance(channel, Acknowledging):
                await channel.acknowledge(row.payload)
            if incoming.attachments:
                wanted = await asyncio.to_thread(_wanted, engine, dispatch, incoming)
                fetched = await fetch_attachments(
                    channel, incoming, settings=settings, update_id=row.id or 0, wanted=wanted
                )
                incoming = replace(incoming, attachments=fetched)
            if isinstance(dispatch, MediaStep):
                incoming = await dispatch.read_media(engine, incoming)
        return await asyncio.to_thread(_finish, engine, row.id or 0, worker, incoming, dispatch)
    except Exception as exc:
        error = safe_error(exc)
        log.warning("inbound update %s (%s) failed, attempt %s: %s", row.id, row.channel, row.attempts, error)
        allowed = allowed_attempts(exc, outage=options.max_attempts, poison=options.poison_attempts)
        await asyncio.to_thread(
            _record_failure, engine, row, worker, error, options, incoming=incoming, attempts=allowed
        )
        return False


async def process_pending(
    engine: Engine,
    *,
    channels: Mapping[str, Channel],
    dispatch: Dispatch,
    settings: Settings,
    options: InboundOptions | None = None,
) -> int:
    """Claim and process one batch; returns how many updates were claimed."""
    options = options or InboundOptions()
    worker = worker_name("inbound")
    now = utcnow()

    def claim() -> list[InboundUpdate]:
        with Session(engine, expire_on_commit=False) as session:
            return claim_inbound(
                session, worker=worker, now=now, stale_before=now - options.stale_after, limit=options.batch
            )

    rows = await asyncio.to_thread(claim)
    if not rows:
        return 0
    # Updates of one chat run in order; different chats run side by side.
    by_chat: dict[str, list[tuple[InboundUpdate, Incoming | None]]] = {}
    for row in rows:
        try:
            incoming, chat = _chat_of(channels.get(row.channel), row)
        except Exception as exc:  # the adapter cannot read it: a record for the admin, no retry
            await asyncio.to_thread(
                _record_failure, engine, row, worker, safe_error(exc), options, attempts=0
            )
            continue
        by_chat.setdefault(f"{row.channel}:{chat}", []).append((row, incoming))
    gate = asyncio.Semaphore(options.concurrency)

    async def run_chat(items: list[tuple[InboundUpdate, Incoming | None]]) -> None:
        async with gate:
            for row, incoming in items:
                await _process_one(
                    row,
                    incoming,
                    engine=engine,
                    channels=channels,
                    dispatch=dispatch,
                    settings=settings,
                    worker=worker,
                    options=options,
                )

    await asyncio.gather(*(run_chat(items) for items in by_chat.values()))
    return len(rows)


async def run_inbound_loop(
    engine: Engine,
    *,
    channels: Mapping[str, Channel],
    dispatch: Dispatch,
    settings: Settings,
    idle_seconds: float = 0.1,
    options: InboundOptions | None = None,
) -> None:
    """Process updates until cancelled; a database outage is logged and retried."""
    while True:
        try:
            claimed = await process_pending(
                engine, channels=channels, dispatch=dispatch, settings=settings, options=options
            )
        except Exception as exc:
            log.error("inbound loop: %s", safe_error(exc))
            claimed = 0
            await asyncio.sleep(2)
        if not claimed:
            await asyncio.sleep(idle_seconds)
