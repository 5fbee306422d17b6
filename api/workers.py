"""Background work started in the lifespan: inbound processing, the outbox sender, pollers,
blocker reminders and escalations. Every loop is safe to run in several processes at once."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from api.context import AppContext
from blockers.extraction import run_extractions
from blockers.jobs import run_due_jobs
from blockers.retention import remove_orphaned_uploads
from bot.channel import Polling
from bot.errors import safe_error
from bot.inbound import Dispatch, InboundOptions, run_inbound_loop
from bot.runtime import run_poller
from bot.sender import SenderOptions, run_sender_loop
from core.clock import utcnow
from handlers.dispatch import Dispatcher

log = logging.getLogger(__name__)

JOBS_EVERY_SECONDS = 60
EXTRACTION_EVERY_SECONDS = 3.0  # a photo attached to a report is read within seconds
RETENTION_EVERY = timedelta(hours=1)


def default_dispatch(ctx: AppContext) -> Dispatch:
    """The conversation core's dispatcher; wired here so bot/ never imports handlers/."""
    # Callable; also screens attachments and reads voice notes and photos (handlers/media.py).
    return Dispatcher(settings=ctx.settings, knowledge=ctx.kb, engines=ctx.media)


async def run_extraction_loop(ctx: AppContext) -> None:
    """The photos and scans attached to blockers, read in the background (blockers/extraction.py):
    resumable from the database, so a crash or a restart loses none."""
    if ctx.media is None:
        return
    reader = ctx.media.reader
    while True:
        try:
            done = await asyncio.to_thread(
                run_extractions, engine=ctx.engine, settings=ctx.settings, reader=reader
            )
        except Exception as exc:
            log.error("attachment reading failed: %s", safe_error(exc))
            done = []
        if not done:
            await asyncio.sleep(EXTRACTION_EVERY_SECONDS)


async def run_jobs_loop(ctx: AppContext) -> None:
    """Blocker reminders and escalations every minute, and the removal of orphaned uploads
    every hour."""
    last_retention = utcnow() - RETENTION_EVERY
    while True:
        try:
            await asyncio.to_thread(run_due_jobs, engine=ctx.engine, settings=ctx.settings)
            if utcnow() - last_retention >= RETENTION_EVERY:
                last_retention = utcnow()
                await asyncio.to_thread(remove_orphaned_uploads, engine=ctx.engine, settings=ctx.settings)
        except Exception as exc:
            log.error("blocker jobs failed: %s", safe_error(exc))
        await asyncio.sleep(JOBS_EVERY_SECONDS)


def start_workers(ctx: AppContext, *, dispatch: Dispatch | None = None) -> list[asyncio.Task[Any]]:
    """Start the loops on the running event loop; the lifespan cancels them at shutdown."""
    dispatch = dispatch or getattr(ctx, "dispatch", None) or default_dispatch(ctx)
    tasks: list[asyncio.Task[Any]] = []
    if not ctx.settings.public_base_url:
        for name, channel in ctx.channels.items():
            if isinstance(channel, Polling):
                tasks.append(asyncio.create_task(run_poller(ctx.engine, channel), name=f"poller-{name}"))
    lease = timedelta(seconds=ctx.settings.claim_lease_seconds)
    tasks.append(
        asyncio.create_task(
            run_inbound_loop(
                ctx.engine,
                channels=ctx.channels,
                dispatch=dispatch,
                settings=ctx.settings,
                options=InboundOptions(
                    stale_after=lease, poison_attempts=ctx.settings.inbound_poison_attempts
                ),
            ),
            name="inbound",
        )
    )
    tasks.append(
        asyncio.create_task(
            run_sender_loop(ctx.engine, channels=ctx.channels, options=SenderOptions(lease=lease)),
            name="sender",
        )
    )
    tasks.append(asyncio.create_task(run_jobs_loop(ctx), name="blocker-jobs"))
    if ctx.media is not None:
        tasks.append(asyncio.create_task(run_extraction_loop(ctx), name="attachment-reading"))
    return tasks
