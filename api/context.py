"""What the running product holds: settings, database engine, knowledge base, channels.

Built in the app's lifespan (or by a CLI command); nothing here starts at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from core.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    knowledge: Any = None  # knowledge.service.KnowledgeBase, opened in the lifespan
    channels: dict[str, Any] = field(default_factory=dict)  # ChannelName -> adapter
    tasks: list[Any] = field(default_factory=list)  # background asyncio tasks
    dispatch: Any = None  # replaces handlers.dispatch in the workers (set on app.state by tests, bench)
