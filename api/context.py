"""What the running product holds: settings, database engine, knowledge base, channels.

Built in the app's lifespan (or by a CLI command); nothing here starts at import time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from bot.channel import Channel
from bot.inbound import Dispatch
from core.settings import Settings

if TYPE_CHECKING:  # the knowledge base pulls in the index and the model: import it only to type
    from knowledge.media.engines import MediaEngines
    from knowledge.service import KnowledgeBase


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    knowledge: KnowledgeBase | None = None  # opened in the lifespan (tests put a fake here)
    channels: dict[str, Channel] = field(default_factory=dict)  # ChannelName -> adapter
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)  # background loops
    dispatch: Dispatch | None = None  # replaces handlers.dispatch in the workers (tests, bench)
    media: MediaEngines | None = None  # voice transcriber and paper reader, with the workers

    @property
    def kb(self) -> KnowledgeBase:
        if self.knowledge is None:
            raise RuntimeError("the knowledge base is opened in the lifespan, before any request")
        return self.knowledge
