"""A bounded lane for heavy media work: one job at a time on one thread, a short queue, and
an immediate "busy" past it.

Why one at a time: the target server has 2 cores and typed questions must keep one of them.
Why a dedicated thread: waiting jobs sit in the executor's queue, not in threads borrowed
from asyncio's default pool (which the database calls of every chat share).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class LaneBusy(Exception):
    """More jobs are waiting than the lane accepts."""


class Lane:
    def __init__(self, name: str, *, max_pending: int) -> None:
        self.name = name
        self.max_pending = max_pending
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"troly-{name}")
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def pending(self) -> int:
        """Jobs accepted and not finished (the running one included)."""
        with self._lock:
            return self._pending

    def _enter(self) -> None:
        with self._lock:
            if self._pending >= self.max_pending:
                raise LaneBusy(self.name)
            self._pending += 1

    def _leave(self) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, job: Callable[[], T]) -> T:
        self._enter()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, job)
        finally:
            self._leave()

    def run_blocking(self, job: Callable[[], T]) -> T:
        """For callers on a thread of their own: waits there for the job's turn and result."""
        self._enter()
        try:
            return self._executor.submit(job).result()
        finally:
            self._leave()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
