"""Server-side web sessions and attempt counters (login, registration codes).

The session cookie carries only a random token; the row, keyed by the token's SHA-256, is what
makes a session valid, so ending it here ends it everywhere at once.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel

from core.clock import utcnow


class SessionEnd(StrEnum):
    logout = "logout"
    password = "password"  # the password changed (by the user, an admin or the CLI)
    deactivated = "deactivated"  # an admin locked the account
    everywhere = "everywhere"  # "Đăng xuất mọi nơi", by the user or an admin


class WebSession(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)  # SHA-256 hex of the cookie's token
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: NaiveDatetime = Field(default_factory=utcnow)
    last_seen_at: NaiveDatetime = Field(default_factory=utcnow)
    ended_at: NaiveDatetime | None = Field(default=None, index=True)
    end_reason: SessionEnd | None = Field(default=None, max_length=20)
    address: str = Field(default="", max_length=100)
    user_agent: str = Field(default="", max_length=300)


class RateCounter(SQLModel, table=True):
    """Attempts counted for one key in its current fixed window (see core/limits.py)."""

    key: str = Field(primary_key=True, max_length=200)
    window_start: NaiveDatetime = Field(index=True)
    count: int = 0
