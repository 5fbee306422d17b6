from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from blockers.deadlines import add_working_days, deadline_for, holidays, is_overdue
from core.settings import Settings


def vn(y: int, m: int, d: int, h: int = 10) -> datetime:
    """A Vietnam local time as the naive UTC the database stores."""
    return datetime(y, m, d, h - 7) if h >= 7 else datetime(y, m, d - 1, h + 17)


def test_weekend_is_skipped() -> None:
    # Filed Friday 2025-06-06: one working day later is Monday, 17:00 Vietnam = 10:00 UTC.
    assert deadline_for(vn(2025, 6, 6), 1) == datetime(2025, 6, 9, 10, 0)
    assert deadline_for(vn(2025, 6, 6), 5) == datetime(2025, 6, 13, 10, 0)


def test_holiday_after_weekend_is_skipped() -> None:
    # Friday 2025-04-04; Monday 2025-04-07 is Giỗ Tổ Hùng Vương → due Tuesday.
    assert deadline_for(vn(2025, 4, 4), 1) == datetime(2025, 4, 8, 10, 0)


def test_long_holiday_run() -> None:
    # 30/4, 1/5 and 2/5/2025 off, then a weekend: 5 working days from Friday 25/4 end on 7/5.
    assert deadline_for(vn(2025, 4, 25), 5) == datetime(2025, 5, 7, 10, 0)
    # Tết 2026: 16–20/2 off. Filed Friday 13/2, 2 working days → Tuesday 24/2.
    assert deadline_for(vn(2026, 2, 13), 2) == datetime(2026, 2, 24, 10, 0)


def test_filing_late_evening_counts_by_vietnam_date() -> None:
    # 23:30 Thursday in Vietnam is 16:30 UTC the same Thursday: due Friday.
    assert deadline_for(datetime(2025, 6, 5, 16, 30), 1) == datetime(2025, 6, 6, 10, 0)
    # 06:30 Friday Vietnam is still Thursday in UTC: counted from Friday → Monday.
    assert deadline_for(datetime(2025, 6, 5, 23, 30), 1) == datetime(2025, 6, 9, 10, 0)


def test_shipped_holidays_cover_tet_and_gio_to() -> None:
    days = holidays()
    assert date(2025, 1, 29) in days and date(2026, 2, 17) in days and date(2027, 2, 9) in days
    assert date(2025, 4, 7) in days and date(2026, 4, 27) in days and date(2027, 4, 16) in days
    assert all(d.weekday() < 5 for d in days)


def test_holidays_file_setting_overrides(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps({"holidays": [{"date": "2025-06-09", "name": "Nghỉ thử"}]}), encoding="utf-8")
    custom = settings.model_copy(update={"holidays_file": path})
    assert deadline_for(vn(2025, 6, 6), 1, settings=custom) == datetime(2025, 6, 10, 10, 0)
    assert add_working_days(date(2025, 4, 4), 1, frozenset()) == date(2025, 4, 7)


def test_overdue() -> None:
    deadline = datetime(2025, 6, 9, 10, 0)
    assert not is_overdue(deadline, now=datetime(2025, 6, 9, 9, 59))
    assert is_overdue(deadline, now=datetime(2025, 6, 9, 10, 1))
