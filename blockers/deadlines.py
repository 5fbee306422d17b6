"""Deadlines in working days: weekends and Vietnamese public holidays are skipped.

A deadline of N working days is 17:00 Vietnam time on the Nth working day after the day the
blocker was filed (a blocker filed on Friday with N = 1 is due Monday 17:00, or Tuesday when
Monday is a holiday). Stored as naive UTC like every other datetime.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from core.clock import VN_TZ, to_vn, utcnow
from core.settings import Settings

SHIPPED_HOLIDAYS = Path(__file__).parent / "data" / "holidays.json"
END_OF_DAY = time(17, 0)


@lru_cache(maxsize=8)
def _read_holidays(path: str) -> frozenset[date]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    entries = raw["holidays"] if isinstance(raw, dict) else raw
    return frozenset(date.fromisoformat(e["date"] if isinstance(e, dict) else e) for e in entries)


def holidays(settings: Settings | None = None) -> frozenset[date]:
    path = settings.holidays_file if settings is not None and settings.holidays_file else SHIPPED_HOLIDAYS
    return _read_holidays(str(path))


def is_working_day(day: date, holiday_set: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holiday_set


def add_working_days(start: date, days: int, holiday_set: frozenset[date]) -> date:
    """The `days`-th working day after `start` (start itself not counted)."""
    current = start
    remaining = max(days, 0)
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, holiday_set):
            remaining -= 1
    return current


def deadline_for(filed_at: datetime, days: int, *, settings: Settings | None = None) -> datetime:
    """Naive-UTC deadline for a blocker filed at `filed_at` (naive UTC)."""
    local_day = to_vn(filed_at).date()
    due_day = add_working_days(local_day, days, holidays(settings))
    local = datetime.combine(due_day, END_OF_DAY, tzinfo=VN_TZ)
    return local.astimezone(UTC).replace(tzinfo=None)


def is_overdue(deadline: datetime, *, now: datetime | None = None) -> bool:
    return (now or utcnow()) > deadline
