"""The outbox sender: the one place that sends to a chat.

Rows are claimed per chat head (see bot.claims), so a chat's messages go out in id order and
one row is held by one worker at a time, in any number of processes. Each row is rendered for
its channel; split parts go out in order and progress is recorded, so a retry resumes at the
first unsent part instead of repeating earlier ones.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.channel import Attachment, Button, Channel, Reply, SendResult
from bot.claims import claim_outbox_heads, worker_name
from bot.delivery import load_row, mark_blocked, settle_failure, update_row
from bot.errors import safe_error
from bot.ratelimit import RateLimiter, make_limiters
from bot.render import render
from core.clock import utcnow
from core.models import DeliveryStatus

log = logging.getLogger(__name__)


@dataclass
class SenderOptions:
    batch: int = 50  # rows claimed at most per round
    concurrency: int = 64  # rows being delivered at once
    lease: timedelta = timedelta(seconds=90)  # a claim not finished by then is taken over
    max_attempts: int = 8  # network/5xx failures before a row is given up
    max_backoff: float = 300.0
    idle_seconds: float = 0.1


async def deliver(
    engine: Engine,
    row_id: int,
    *,
    channels: Mapping[str, Channel],
    limiters: Mapping[str, RateLimiter],
    worker: str,
    options: SenderOptions,
) -> DeliveryStatus | None:
    """Send one claimed row (all its parts); returns the status it ended in, None = retry later."""
    row, blocked = await asyncio.to_thread(load_row, engine, row_id)
    if row is None:
        return None
    channel, limiter = channels.get(row.channel), limiters.get(row.channel)
    if blocked:
        await asyncio.to_thread(mark_blocked, engine, row, worker, "the user blocked the bot")
        return DeliveryStatus.blocked
    if channel is None:
        error = f"channel {row.channel} is not configured"
        await asyncio.to_thread(
            update_row, engine, row_id, worker, status=DeliveryStatus.failed, error=error, claimed_until=None
        )
        return DeliveryStatus.failed
    buttons = [Button(label=b["label"], payload=b["payload"]) for b in row.buttons]
    parts = render(row.text, buttons, channel.limits)
    attachments = [Attachment(**a) for a in row.attachments]
    first_id = row.platform_message_id
    for index in range(row.parts_sent, len(parts)):
        last = index == len(parts) - 1
        reply = Reply(
            text=parts[index].text, buttons=parts[index].buttons, attachments=attachments if last else []
        )
        if limiter is not None:
            await limiter.wait(row.chat_id)
        try:
            result = await channel.send(row.chat_id, reply)
        except Exception as exc:  # an adapter bug or an unexpected transport error: retry later
            result = SendResult(ok=False, error=safe_error(exc))
        if not result.ok:
            return await asyncio.to_thread(
                settle_failure, engine, row, worker, result,
                max_attempts=options.max_attempts, max_backoff=options.max_backoff,
            )  # fmt: skip
        first_id = first_id or result.platform_message_id
        if not last:
            await asyncio.to_thread(
                update_row, engine, row_id, worker, parts_sent=index + 1, platform_message_id=first_id[:100]
            )
    await asyncio.to_thread(
        update_row,
        engine,
        row_id,
        worker,
        status=DeliveryStatus.sent,
        parts_sent=len(parts),
        platform_message_id=first_id[:100],
        sent_at=utcnow(),
        claimed_until=None,
        error="",
    )
    return DeliveryStatus.sent


async def send_due(
    engine: Engine,
    *,
    channels: Mapping[str, Channel],
    limiters: Mapping[str, RateLimiter] | None = None,
    options: SenderOptions | None = None,
) -> int:
    """One round: claim the due chat heads and deliver them; returns how many were claimed."""
    options = options or SenderOptions()
    worker = worker_name("sender")
    limiters = make_limiters(list(channels)) if limiters is None else limiters
    now = utcnow()

    def claim() -> list[int]:
        with Session(engine) as session:
            return claim_outbox_heads(
                session, worker=worker, now=now, lease_until=now + options.lease, limit=options.batch
            )

    ids = await asyncio.to_thread(claim)
    await asyncio.gather(*(_deliver_logged(engine, i, channels, limiters, worker, options) for i in ids))
    return len(ids)


async def run_sender_loop(
    engine: Engine, *, channels: Mapping[str, Channel], options: SenderOptions | None = None
) -> None:
    """Drain the outbox until cancelled; several of these may run in different processes."""
    options = options or SenderOptions()
    worker = worker_name("sender")
    limiters = make_limiters(list(channels))
    inflight: set[asyncio.Task[Any]] = set()

    def claim(room: int) -> list[int]:
        now = utcnow()
        with Session(engine) as session:
            return claim_outbox_heads(
                session, worker=worker, now=now, lease_until=now + options.lease, limit=room
            )

    try:
        while True:
            room = min(options.batch, options.concurrency - len(inflight))
            ids: list[int] = []
            if room > 0:
                try:
                    ids = await asyncio.to_thread(claim, room)
                except Exception as exc:  # database away: keep trying, nothing is lost
                    log.error("sender claim failed: %s", safe_error(exc))
                    await asyncio.sleep(2)
            for row_id in ids:
                task = asyncio.create_task(
                    _deliver_logged(engine, row_id, channels, limiters, worker, options)
                )
                inflight.add(task)
                task.add_done_callback(inflight.discard)
            if not ids:
                if inflight:
                    await asyncio.wait(
                        inflight, timeout=options.idle_seconds, return_when=asyncio.FIRST_COMPLETED
                    )
                else:
                    await asyncio.sleep(options.idle_seconds)
    finally:
        for task in inflight:
            task.cancel()
        await asyncio.gather(*inflight, return_exceptions=True)


async def _deliver_logged(
    engine: Engine,
    row_id: int,
    channels: Mapping[str, Channel],
    limiters: Mapping[str, RateLimiter],
    worker: str,
    options: SenderOptions,
) -> None:
    try:
        await deliver(engine, row_id, channels=channels, limiters=limiters, worker=worker, options=options)
    except Exception as exc:  # the claim lapses and another round retries the row
        log.error("outbox %s: %s", row_id, safe_error(exc))
