"""Starting and stopping the configured channels, and long polling when there is no public URL.

Only one process may long-poll a bot (the platform hands each update to one getUpdates call
and rejects concurrent ones), so pollers take a lease in KeyValue; other processes stand by.
Polled updates are stored, with the new offset, in one transaction before they are acted on.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bot.channel import Channel, ChannelName, Polling
from bot.claims import worker_name
from bot.errors import safe_error
from bot.inbound import chat_key_of, store_update
from bot.webchat import WebChannel
from core.clock import utcnow
from core.db import is_postgres
from core.models import KeyValue
from core.settings import Settings

log = logging.getLogger(__name__)

LEASE_SECONDS = 60


def build_channels(settings: Settings, engine: Engine, *, poll_timeout: int = 25) -> dict[str, Any]:
    """Adapters for every configured platform (the web chat always)."""
    from bot.telegram import TelegramChannel
    from bot.zalo import ZaloChannel
    from bot.zalo_oa import ZaloOaChannel

    channels: dict[str, Any] = {ChannelName.web: WebChannel(settings.uploads_dir)}
    if settings.telegram_bot_token.get_secret_value():
        channels[ChannelName.telegram] = TelegramChannel(
            token=settings.telegram_bot_token.get_secret_value(),
            base_url=settings.telegram_api_base_url,
            base_file_url=settings.telegram_file_base_url,
            uploads_dir=settings.uploads_dir,
            webhook_secret=settings.telegram_webhook_secret.get_secret_value(),
            poll_timeout=poll_timeout,
        )
    if settings.zalo_bot_token.get_secret_value():
        channels[ChannelName.zalo] = ZaloChannel(
            token=settings.zalo_bot_token.get_secret_value(),
            base_url=settings.zalo_api_base_url,
            webhook_secret=settings.zalo_webhook_secret.get_secret_value(),
            poll_timeout=poll_timeout,
        )
    if settings.zalo_oa_app_id and settings.zalo_oa_secret_key.get_secret_value():
        channels[ChannelName.zalo_oa] = ZaloOaChannel(
            engine=engine,
            app_id=settings.zalo_oa_app_id,
            secret_key=settings.zalo_oa_secret_key.get_secret_value(),
            app_secret=settings.zalo_oa_app_secret.get_secret_value(),
            access_token=settings.zalo_oa_access_token.get_secret_value(),
            refresh_token=settings.zalo_oa_refresh_token.get_secret_value(),
            api_base_url=settings.zalo_oa_api_base_url,
            oauth_base_url=settings.zalo_oa_oauth_base_url,
            max_event_age=timedelta(seconds=settings.zalo_oa_event_max_age_seconds),
            max_skew=timedelta(seconds=settings.zalo_oa_event_max_skew_seconds),
        )
    return channels


async def start_channels(settings: Settings, engine: Engine, *, poll_timeout: int = 25) -> dict[str, Any]:
    """Build and start the configured channels (webhook registration or webhook removal).

    A platform that cannot be reached at start is logged and kept: the outbox holds its
    messages and the poller retries, so the service comes up without it.
    """
    channels = build_channels(settings, engine, poll_timeout=poll_timeout)
    for name, channel in channels.items():
        start = getattr(channel, "start", None)
        if start is None:
            continue
        try:
            await start(settings.public_base_url)
        except Exception as exc:
            log.error("channel %s did not start: %s", name, safe_error(exc))
    return channels


async def stop_channels(channels: dict[str, Any]) -> None:
    for name, channel in channels.items():
        stop = getattr(channel, "stop", None)
        if stop is None:
            continue
        try:
            await asyncio.wait_for(stop(), timeout=5)
        except Exception as exc:
            log.warning("channel %s did not stop cleanly: %s", name, safe_error(exc))


def take_lease(engine: Engine, *, name: str, holder: str, seconds: int = LEASE_SECONDS) -> bool:
    """Hold (or renew) the lease `name`; False while another live holder has it."""
    now = utcnow()
    key = f"lease.{name}"
    with Session(engine) as session:
        renewed = session.execute(
            update(KeyValue)
            .where(col(KeyValue.key) == key)
            .where(
                (col(KeyValue.value) == holder)
                | (col(KeyValue.updated_at) < now - timedelta(seconds=seconds))
            )
            .values(value=holder, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if not renewed.rowcount:  # type: ignore[attr-defined]
            dialect = postgresql if is_postgres(engine) else sqlite
            inserted = session.execute(
                dialect.insert(KeyValue.__table__)  # type: ignore[attr-defined]
                .values(key=key, value=holder, updated_at=now)
                .on_conflict_do_nothing(index_elements=["key"])
                .returning(KeyValue.__table__.c.key)  # type: ignore[attr-defined]
            )
            held = inserted.first() is not None
        else:
            held = True
        session.commit()
        return held


def _load_offset(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        row = session.get(KeyValue, f"{name}.offset")
        return int(row.value) if row is not None else 0


def _store_polled(
    engine: Engine, channel: Channel, items: list[tuple[str, dict[str, Any]]], offset: int
) -> None:
    name = str(channel.name)
    with Session(engine) as session:
        for key, payload in items:
            store_update(
                session, channel=name, key=key, payload=payload, chat_key=chat_key_of(channel, payload)
            )
        row = session.get(KeyValue, f"{name}.offset") or KeyValue(key=f"{name}.offset", value="0")
        row.value, row.updated_at = str(offset), utcnow()
        session.add(row)
        session.commit()


async def run_poller(engine: Engine, channel: Channel, *, error_pause: float = 5.0) -> None:
    """Long-poll one channel until cancelled (channels with `fetch_updates` only)."""
    name = str(channel.name)
    holder = worker_name(f"poller-{name}")
    if not isinstance(channel, Polling):
        raise TypeError(f"channel {name} does not poll")
    fetch = channel.fetch_updates
    while True:
        try:
            if not await asyncio.to_thread(take_lease, engine, name=f"poller.{name}", holder=holder):
                await asyncio.sleep(LEASE_SECONDS / 4)
                continue
            offset = await asyncio.to_thread(_load_offset, engine, name)
            items, next_offset = await fetch(offset)
            if items or next_offset != offset:
                await asyncio.to_thread(_store_polled, engine, channel, items, next_offset)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("polling %s failed: %s", name, safe_error(exc))
            await asyncio.sleep(error_pause)
