"""Uploads nobody needs any more: a file received in a chat stays only while a report being
written, a saved draft or a filed blocker refers to it. Run hourly by the workers
(api/workers.py); safe in several processes at once (deleting a deleted file is nothing).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.clock import utcnow
from core.models import BlockerAttachment, Conversation
from core.settings import Settings

log = logging.getLogger(__name__)

INBOUND = "inbound"  # DATA_DIR/uploads/inbound/<channel>/<file>, written by bot/attachments.py


def orphan_age(settings: Settings) -> timedelta:
    """Older than any dialog or draft can be (both end after the idle period), with a margin."""
    return max(
        timedelta(hours=settings.upload_orphan_hours),
        timedelta(minutes=3 * settings.conversation_idle_minutes),
    )


def _referenced(session: Session) -> set[str]:
    paths = set(session.exec(select(BlockerAttachment.path)))
    for data in session.exec(select(Conversation.data)):  # open reports and saved drafts
        paths |= {part for part in _strings(data) if part.startswith(INBOUND + "/")}
    return paths


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def remove_orphaned_uploads(*, engine: Engine, settings: Settings, now: datetime | None = None) -> list[str]:
    """Delete inbound files older than `orphan_age` that nothing refers to; returns their paths."""
    root = settings.uploads_dir
    folder = root / INBOUND
    if not folder.is_dir():
        return []
    cutoff = (now or utcnow()) - orphan_age(settings)
    old = [p for p in folder.rglob("*") if p.is_file() and _modified(p) < cutoff]
    if not old:
        return []
    with Session(engine) as session:
        keep = _referenced(session)
    removed = []
    for path in old:
        relative = path.relative_to(root).as_posix()
        if relative not in keep:
            path.unlink(missing_ok=True)
            removed.append(relative)
    if removed:
        log.info("removed %d orphaned uploads", len(removed))
    return removed


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
