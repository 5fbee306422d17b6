"""Server-side web sessions: the signed cookie names one by a random token, the row decides.

A session is valid while its row exists, has not ended, was used within SESSION_IDLE_MINUTES
and began less than SESSION_MAX_HOURS ago. Logout ends this session; a password change, a
deactivation and "Đăng xuất mọi nơi" end every session of the account. Only the token's
SHA-256 is stored, so reading the table gives no usable cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from core.clock import utcnow
from core.models import SessionEnd, User, WebSession
from core.settings import Settings

COOKIE_KEY = "sid"  # the token's key inside the signed session cookie
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often
KEEP_ENDED = timedelta(days=30)  # ended and expired rows are kept this long for the record


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.session_idle_minutes)


def absolute_limit(settings: Settings) -> timedelta:
    return timedelta(hours=settings.session_max_hours)


def start_session(db: Session, *, user: User, request: Request, settings: Settings) -> str:
    """A new session row for `user`; returns the token to put in the cookie (not committed)."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.add(
        WebSession(
            id=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            address=(request.client.host if request.client else "")[:100],
            user_agent=request.headers.get("user-agent", "")[:300],
        )
    )
    db.execute(
        delete(WebSession).where(col(WebSession.last_seen_at) < now - absolute_limit(settings) - KEEP_ENDED)
    )
    return token


def is_live(record: WebSession, *, settings: Settings, now: datetime) -> bool:
    return (
        record.ended_at is None
        and now - record.last_seen_at <= idle_limit(settings)
        and now - record.created_at <= absolute_limit(settings)
    )


def current_session(db: Session, *, token: object, settings: Settings) -> WebSession | None:
    """The live session the cookie's token names, its last use recorded; None otherwise."""
    if not isinstance(token, str) or not token:
        return None
    record = db.get(WebSession, _digest(token))
    now = utcnow()
    if record is None or not is_live(record, settings=settings, now=now):
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now
        db.add(record)
        db.commit()  # before the route runs: nothing of the request is pending yet
    return record


def end_session(db: Session, *, token: object, reason: SessionEnd) -> None:
    if isinstance(token, str) and token:
        _end(db, col(WebSession.id) == _digest(token), reason)


def end_user_sessions(db: Session, *, user_id: int, reason: SessionEnd) -> int:
    """End every open session of an account; returns how many were open (not committed)."""
    return _end(db, col(WebSession.user_id) == user_id, reason)


def _end(db: Session, where: object, reason: SessionEnd) -> int:
    result = db.execute(
        update(WebSession)
        .where(where, col(WebSession.ended_at).is_(None))  # type: ignore[arg-type]
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def live_session_counts(db: Session, *, settings: Settings) -> dict[int, int]:
    """Open sessions per user id (for the accounts page)."""
    now = utcnow()
    rows = db.exec(
        select(WebSession.user_id, func.count())
        .where(
            col(WebSession.ended_at).is_(None),
            col(WebSession.last_seen_at) >= now - idle_limit(settings),
            col(WebSession.created_at) >= now - absolute_limit(settings),
        )
        .group_by(col(WebSession.user_id))
    ).all()
    return {int(user_id): int(count) for user_id, count in rows}
