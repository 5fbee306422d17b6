"""Background work started in the lifespan: inbound processing, the outbox sender, pollers,
blocker reminders and escalations. Every loop is safe to run in several processes at once."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from api.context import AppContext
from bot.errors import safe_error
from bot.inbound import Dispatch, InboundOptions, run_inbound_loop
from bot.runtime import run_poller
from bot.sender import SenderOptions, run_sender_loop

log = logging.getLogger(__name__)

JOBS_EVERY_SECONDS = 60


def default_dispatch(ctx: AppContext) -> Dispatch:
    """The conversation core's dispatcher; imported here so bot/ never imports handlers/."""
    try:
        from handlers.dispatch import Dispatcher
    except ImportError:
        log.error("handlers.dispatch is missing: updates are stored and marked done without replies")
        return lambda session, incoming: []
    dispatcher = Dispatcher(settings=ctx.settings, knowledge=ctx.knowledge)
    return dispatcher.handle  # type: ignore[no-any-return]


async def run_jobs_loop(ctx: AppContext) -> None:
    """Blocker reminders and escalations (blockers.jobs.run_due_jobs), every minute."""
    try:
        from blockers.jobs import run_due_jobs
    except ImportError:
        log.info("blockers.jobs.run_due_jobs not available: no reminders")
        return
    while True:
        try:
            await asyncio.to_thread(run_due_jobs, engine=ctx.engine, settings=ctx.settings)
        except Exception as exc:
            log.error("blocker jobs failed: %s", safe_error(exc))
        await asyncio.sleep(JOBS_EVERY_SECONDS)


def start_workers(ctx: AppContext, *, dispatch: Dispatch | None = None) -> list[asyncio.Task[Any]]:
    """Start the loops on the running event loop; the lifespan cancels them at shutdown."""
    dispatch = dispatch or getattr(ctx, "dispatch", None) or default_dispatch(ctx)
    tasks: list[asyncio.Task[Any]] = []
    if not ctx.settings.public_base_url:
        for name, channel in ctx.channels.items():
            if hasattr(channel, "fetch_updates"):
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
    return tasks
