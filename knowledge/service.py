"""KnowledgeBase: the facade the rest of the product uses (filled by the knowledge work)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from core.settings import Settings


class KnowledgeBase:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine

    @classmethod
    def open(cls, settings: Settings, engine: Engine) -> KnowledgeBase:
        return cls(settings, engine)

    def ensure_demo_guidance(self) -> None:
        return None

    def status(self) -> dict[str, Any]:
        return {"ready": True, "documents": 0, "chunks": 0}

    def close(self) -> None:
        return None
