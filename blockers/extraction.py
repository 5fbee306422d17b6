"""The background reading of photographed and scanned papers attached to blockers.

A filed report never waits for OCR: its photos and scans are stored with
`extraction = "pending"` (blockers/attachments.py) and this job, run by the worker every few
seconds (api/workers.py), reads them with tesseract (knowledge/media/ocr.py) one at a time.
The job lives in the database columns only, so nothing is lost on a crash or a restart:

- claim: a conditional UPDATE stamps `extracted_at` on a pending row whose stamp is empty or
  older than the lease (a reader that died mid-page); one process wins it;
- read the file, outside any transaction (seconds per page);
- store: text and status in one UPDATE guarded by `extraction = "pending"`, then the blocker's
  search text takes the text in (the inbox search finds it), and when the blocker's own
  description is too short to route by, its routing scores are recomputed with the text (the
  triage department sees where the paper points).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from blockers.intake import KEPT_SCORES
from blockers.routing import route
from blockers.search import refresh_search_text
from core.clock import utcnow
from core.db import session_scope
from core.models import Blocker, BlockerAttachment, ExtractionStatus
from core.settings import Settings
from knowledge.media.ocr import OcrResult, OcrStatus

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # a page takes seconds; ten pages on a busy server, minutes
BATCH = 5  # rows per run: the next run comes a few seconds later
SHORT_DESCRIPTION = 80  # characters: below, the paper's text helps routing
_STATUS = {
    OcrStatus.ok: ExtractionStatus.done,
    OcrStatus.empty: ExtractionStatus.empty,
    OcrStatus.unavailable: ExtractionStatus.unavailable,
}


class Reader(Protocol):
    """knowledge.media.ocr.PaperReader, as this job uses it (from a worker thread)."""

    @property
    def available(self) -> bool: ...

    def read_blocking(self, data: bytes, *, content_type: str = "", filename: str = "") -> OcrResult: ...


@dataclass(frozen=True)
class Extracted:
    attachment_id: int
    status: str


def pending_ids(
    session: Session, *, now: datetime, lease: timedelta = LEASE, limit: int = BATCH
) -> list[int]:
    stale = now - lease
    rows = session.exec(
        select(BlockerAttachment.id)
        .where(
            col(BlockerAttachment.extraction) == ExtractionStatus.pending,
            or_(col(BlockerAttachment.extracted_at).is_(None), col(BlockerAttachment.extracted_at) < stale),
        )
        .order_by(col(BlockerAttachment.id))
        .limit(limit)
    )
    return [int(r) for r in rows if r is not None]


def claim(engine: Engine, attachment_id: int, *, now: datetime, lease: timedelta = LEASE) -> bool:
    """Stamp the row as being read by this process; False when another one has it."""
    with session_scope(engine) as session:
        result = session.connection().execute(
            update(BlockerAttachment)
            .where(
                col(BlockerAttachment.id) == attachment_id,
                col(BlockerAttachment.extraction) == ExtractionStatus.pending,
                or_(
                    col(BlockerAttachment.extracted_at).is_(None),
                    col(BlockerAttachment.extracted_at) < now - lease,
                ),
            )
            .values(extracted_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def read_one(engine: Engine, attachment_id: int, *, settings: Settings, reader: Reader) -> Extracted | None:
    """Claim, read and store one attachment's text."""
    now = utcnow()
    if not claim(engine, attachment_id, now=now):
        return None
    with Session(engine) as session:
        row = session.get(BlockerAttachment, attachment_id)
        if row is None:
            return None
        path, content_type, filename = row.path, row.content_type, row.filename
    try:
        data = (settings.uploads_dir / path).read_bytes()
    except OSError as exc:
        log.warning("attachment %s: file unreadable (%s)", attachment_id, type(exc).__name__)
        result = OcrResult(OcrStatus.unreadable, reason=type(exc).__name__)
    else:
        result = reader.read_blocking(data, content_type=content_type, filename=filename)
    if result.status == OcrStatus.busy:
        return None  # the lane is full: the lease runs out and a later run reads it
    status = _STATUS.get(result.status, ExtractionStatus.failed)
    text = result.text if status == ExtractionStatus.done else ""
    store(engine, attachment_id, status=status, text=text, settings=settings)
    return Extracted(attachment_id, status)


def store(engine: Engine, attachment_id: int, *, status: str, text: str, settings: Settings) -> None:
    with session_scope(engine) as session:
        done = session.connection().execute(
            update(BlockerAttachment)
            .where(
                col(BlockerAttachment.id) == attachment_id,
                col(BlockerAttachment.extraction) == ExtractionStatus.pending,
            )
            .values(extraction=status, extracted_text=text, extracted_at=utcnow())
        )
        if not done.rowcount or not text:  # type: ignore[attr-defined]
            return
        row = session.get(BlockerAttachment, attachment_id)
        if row is None:
            return
        refresh_search_text(session, row.blocker_id)
        blocker = session.get(Blocker, row.blocker_id)
        if blocker is not None and len(blocker.description) < SHORT_DESCRIPTION:
            reroute(session, blocker, settings=settings)


def reroute(session: Session, blocker: Blocker, *, settings: Settings) -> None:
    """The routing scores of a blocker described in a few words, with its papers' text: what
    the inbox shows the triage department as where the blocker belongs."""
    texts = session.exec(
        select(BlockerAttachment.extracted_text).where(
            BlockerAttachment.blocker_id == blocker.id, BlockerAttachment.extracted_text != ""
        )
    ).all()
    text = "\n".join([blocker.description, *texts])
    scores = route(session, text=text, use_embeddings=settings.routing_embeddings, settings=settings)
    blocker.route_scores = [{"department": s.department, "score": s.score} for s in scores[:KEPT_SCORES]]
    session.add(blocker)


def run_extractions(
    *, engine: Engine, settings: Settings, reader: Reader, limit: int = BATCH
) -> list[Extracted]:
    """One run of the job: up to `limit` pending attachments read (a worker thread's call)."""
    if not reader.available:
        return mark_unavailable(engine)
    with Session(engine) as session:
        ids = pending_ids(session, now=utcnow(), limit=limit)
    done = []
    for attachment_id in ids:
        extracted = read_one(engine, attachment_id, settings=settings, reader=reader)
        if extracted is not None:
            done.append(extracted)
    if done:
        log.info("read %d attachment(s)", len(done))
    return done


def mark_unavailable(engine: Engine) -> list[Extracted]:
    """Without tesseract the rows say so (the thread shows it) instead of waiting forever."""
    with session_scope(engine) as session:
        ids = pending_ids(session, now=utcnow(), limit=BATCH * 20)
        if ids:
            session.connection().execute(
                update(BlockerAttachment)
                .where(col(BlockerAttachment.id).in_(ids))
                .values(extraction=ExtractionStatus.unavailable, extracted_at=utcnow())
            )
    return [Extracted(i, ExtractionStatus.unavailable) for i in ids]
