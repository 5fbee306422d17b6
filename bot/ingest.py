"""Group commit for webhook updates: many requests, one transaction.

Each webhook must answer 200 only after its update is committed. Committing each one alone caps
a SQLite database at a few hundred per second; instead, requests that arrive while a commit is
running wait for the next one, which stores all of them together. A failed commit fails every
request of that batch (they answer 5xx and the platform delivers again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.inbound import store_update

Item = tuple[str, str, Mapping[str, Any], str, "asyncio.Future[bool]"]


class UpdateWriter:
    def __init__(self, engine: Engine, *, max_batch: int = 500) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self._pending: list[Item] = []
        self._drainer: asyncio.Task[None] | None = None

    async def store(self, *, channel: str, key: str, payload: Mapping[str, Any], chat_key: str = "") -> bool:
        """Store one update; True when new, False for a duplicate; raises when not committed."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((channel, key, payload, chat_key, future))
        if self._drainer is None or self._drainer.done():
            # A task of its own: a request that goes away must not stop the others' commit.
            self._drainer = asyncio.create_task(self._drain())
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            try:
                results = await asyncio.to_thread(self._write, batch)
            except Exception as exc:
                for *_, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (*_, future), stored in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(stored)

    def _write(self, batch: list[Item]) -> list[bool]:
        with Session(self.engine) as session:
            results = [
                store_update(session, channel=c, key=k, payload=p, chat_key=chat)
                for c, k, p, chat, _ in batch
            ]
            session.commit()
            return results
