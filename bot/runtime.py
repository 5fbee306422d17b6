"""Starting and stopping the configured channels (filled by the transport work)."""

from typing import Any

from sqlalchemy.engine import Engine

from core.settings import Settings


async def start_channels(settings: Settings, engine: Engine) -> dict[str, Any]:
    return {}


async def stop_channels(channels: dict[str, Any]) -> None:
    return None
