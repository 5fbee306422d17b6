"""Time in one convention: naive datetimes that mean UTC, everywhere (database included).

SQLite drops time zones and PostgreSQL keeps them; storing naive UTC keeps both backends
comparable. Convert to Vietnam time (UTC+7) only when showing a value to a person.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), name="ICT")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_vn(moment: datetime) -> datetime:
    """A stored (naive UTC) datetime as Vietnam local time, for display."""
    return moment.replace(tzinfo=UTC).astimezone(VN_TZ)


def format_vn(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return ""
    local = to_vn(moment)
    return local.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
