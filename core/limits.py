"""Attempt limits that hold across threads and processes: one database row per key.

`take_attempt` counts an attempt only while the key's current window has room, with a single
conditional UPDATE (`count < limit`), so N parallel requests in any number of processes can
never pass more than `limit`: PostgreSQL locks the row and re-checks the condition, SQLite
serialises writers. The caller commits right away, before the expensive or risky work (a
password hash, a code lookup) that the attempt pays for.

Windows are fixed (aligned to the epoch), which keeps it to one row per key; at a window
boundary a caller may get up to twice the limit in a short burst, never more.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from core.db import is_postgres
from core.models import RateCounter

_EPOCH = datetime(1970, 1, 1)


def window_start(now: datetime, window: timedelta) -> datetime:
    seconds = int((now - _EPOCH).total_seconds())
    size = max(int(window.total_seconds()), 1)
    return _EPOCH + timedelta(seconds=seconds - seconds % size)


def take_attempt(session: Session, *, key: str, limit: int, window: timedelta, now: datetime) -> bool:
    """Count one attempt for `key`; False, counting nothing, when the window is full."""
    if limit <= 0:
        return True  # no limit configured
    start = window_start(now, window)
    table = RateCounter.__table__  # type: ignore[attr-defined]
    dialect = postgresql if is_postgres(session.get_bind()) else sqlite  # type: ignore[arg-type]
    session.execute(
        dialect.insert(table)
        .values(key=key, window_start=start, count=0)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    session.execute(
        update(RateCounter)
        .where(col(RateCounter.key) == key, col(RateCounter.window_start) < start)
        .values(window_start=start, count=0)
        .execution_options(synchronize_session=False)
    )
    counted = session.execute(
        update(RateCounter)
        .where(
            col(RateCounter.key) == key,
            col(RateCounter.window_start) == start,
            col(RateCounter.count) < limit,
        )
        .values(count=col(RateCounter.count) + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(counted.rowcount)  # type: ignore[attr-defined]


def return_attempt(session: Session, *, key: str, window: timedelta, now: datetime) -> None:
    """Give back an attempt that turned out not to count (a correct password, a valid code)."""
    session.execute(
        update(RateCounter)
        .where(
            col(RateCounter.key) == key,
            col(RateCounter.window_start) == window_start(now, window),
            col(RateCounter.count) > 0,
        )
        .values(count=col(RateCounter.count) - 1)
        .execution_options(synchronize_session=False)
    )


def take_attempts(
    session: Session, *, limits: list[tuple[str, int]], window: timedelta, now: datetime
) -> str | None:
    """Take one attempt on every (key, limit); on the first full key, give back the ones taken
    and return that key. None when all were counted."""
    taken: list[str] = []
    for key, limit in limits:
        if not take_attempt(session, key=key, limit=limit, window=window, now=now):
            for done in taken:
                return_attempt(session, key=done, window=window, now=now)
            return key
        taken.append(key)
    return None


def forget_old_counters(session: Session, *, before: datetime) -> None:
    session.execute(delete(RateCounter).where(col(RateCounter.window_start) < before))
