"""GET /metrics: queue depths, delivery failures and blocker deadlines in Prometheus text format.

Every figure is read from the database, so any process behind the proxy answers the same and
a scrape needs no shared memory between workers. Expose it to the monitoring host only (the
nginx example restricts it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.clock import utcnow
from core.models import (
    Blocker,
    BlockerAttachment,
    BlockerStatus,
    DeliveryStatus,
    ExtractionStatus,
    InboundStatus,
    InboundUpdate,
    OutboxMessage,
)
from knowledge.media import stats as media_stats

log = logging.getLogger(__name__)
router = APIRouter()

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OPEN_BLOCKER_STATUSES = (
    BlockerStatus.new,
    BlockerStatus.received,
    BlockerStatus.in_progress,
    BlockerStatus.need_info,
)
FAILED_DELIVERY_STATUSES = (DeliveryStatus.failed, DeliveryStatus.blocked, DeliveryStatus.window_closed)


class _Text:
    """Accumulates metric families in the exposition format."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(self, name: str, kind: str, help_text: str, samples: Iterable[tuple[str, float]]) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            self.lines.append(f"{name}{labels} {_number(value)}")

    def render(self) -> str:
        return "\n".join(self.lines) + "\n"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _unix(moment: datetime | None) -> float:
    return moment.replace(tzinfo=UTC).timestamp() if moment is not None else 0.0


def _label(status: str) -> str:
    return f'{{status="{status}"}}'


def _by_status(session: Session, column: Any, values: Iterable[str]) -> list[tuple[str, float]]:
    counts = {str(k): int(v) for k, v in session.execute(select(column, func.count()).group_by(column)).all()}
    return [(_label(value), float(counts.get(str(value), 0))) for value in values]


def collect(engine: Engine) -> str:
    """The whole exposition; raises when the database cannot be read."""
    now = utcnow()
    out = _Text()
    with Session(engine) as session:
        inbound = _by_status(
            session, col(InboundUpdate.status), [InboundStatus.pending, InboundStatus.failed]
        )
        oldest_inbound = session.exec(
            select(func.min(InboundUpdate.received_at)).where(InboundUpdate.status == InboundStatus.pending)
        ).one()
        outbox = _by_status(session, col(OutboxMessage.status), list(DeliveryStatus))
        oldest_outbox = session.exec(
            select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == DeliveryStatus.pending)
        ).one()
        retrying = session.exec(
            select(func.count()).where(
                OutboxMessage.status == DeliveryStatus.pending, col(OutboxMessage.attempts) > 0
            )
        ).one()
        last_sent = session.exec(select(func.max(OutboxMessage.sent_at))).one()
        blockers = _by_status(session, col(Blocker.status), list(BlockerStatus))
        overdue = session.exec(
            select(func.count()).where(
                col(Blocker.status).in_(OPEN_BLOCKER_STATUSES), col(Blocker.deadline) < now
            )
        ).one()
        reading = _by_status(
            session,
            col(BlockerAttachment.extraction),
            [s for s in ExtractionStatus if s != ExtractionStatus.none],
        )
    failed_labels = {_label(status) for status in FAILED_DELIVERY_STATUSES}
    failures = [sample for sample in outbox if sample[0] in failed_labels]
    out.family("troly_database_up", "gauge", "1 when the database answered this scrape.", [("", 1)])
    out.family("troly_inbound_updates", "gauge", "Stored chat updates not yet answered.", inbound)
    out.family(
        "troly_inbound_oldest_pending_age_seconds",
        "gauge",
        "Age of the oldest unprocessed update (0 when none).",
        [("", (now - oldest_inbound).total_seconds() if oldest_inbound else 0)],
    )
    out.family("troly_outbox_messages", "gauge", "Outbox messages by delivery status.", outbox)
    out.family(
        "troly_outbox_oldest_pending_age_seconds",
        "gauge",
        "Age of the oldest undelivered message (0 when none).",
        [("", (now - oldest_outbox).total_seconds() if oldest_outbox else 0)],
    )
    out.family(
        "troly_outbox_retrying", "gauge", "Undelivered messages that failed at least once.", [("", retrying)]
    )
    out.family(
        "troly_delivery_failures",
        "gauge",
        "Messages given up on: failed, blocked by the user, Zalo OA window closed.",
        failures,
    )
    out.family(
        "troly_sender_last_sent_timestamp_seconds",
        "gauge",
        "Unix time of the last delivered message (0 when none): the sender's last activity.",
        [("", _unix(last_sent))],
    )
    out.family("troly_blockers", "gauge", "Blockers by status.", blockers)
    out.family("troly_blockers_overdue", "gauge", "Open blockers whose deadline has passed.", [("", overdue)])
    out.family(
        "troly_attachments_read",
        "gauge",
        "Photos, scans and voice notes attached to blockers, by the state of their text.",
        reading,
    )
    _media(out)
    return out.render()


def _media(out: _Text) -> None:
    """Voice transcription and OCR in this process since it started (knowledge/media/stats.py)."""
    samples = media_stats.snapshot()
    seconds: list[tuple[str, float]] = []
    for s in samples:
        labels = f'engine="{s.engine}",status="{s.status}"'
        seconds += [(f'_bucket{{{labels},le="{bound}"}}', hits) for bound, hits in s.buckets]
        seconds += [(f'_bucket{{{labels},le="+Inf"}}', s.count)]
        seconds += [(f"_sum{{{labels}}}", s.seconds_sum), (f"_count{{{labels}}}", s.count)]
    out.family(
        "troly_media_job_seconds",
        "histogram",
        "Seconds from receiving a voice note (engine speech) or a paper (ocr) to its text, queue included.",
        seconds,
    )
    audio = [(f'{{status="{s.status}"}}', s.media_sum) for s in samples if s.engine == "speech"]
    out.family("troly_voice_audio_seconds_total", "counter", "Seconds of voice notes received.", audio)
    pages = [(f'{{status="{s.status}"}}', s.media_sum) for s in samples if s.engine == "ocr"]
    out.family("troly_ocr_pages_total", "counter", "Pages of photos and scans read.", pages)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> PlainTextResponse:
    ctx = getattr(request.app.state, "ctx", None)
    if ctx is None:
        return PlainTextResponse("# starting\n", status_code=503, media_type=CONTENT_TYPE)
    try:
        body = collect(ctx.engine)
    except Exception as exc:  # an unreachable database is itself the metric to report
        log.warning("metrics: database unreachable: %s", type(exc).__name__)
        out = _Text()
        out.family("troly_database_up", "gauge", "1 when the database answered this scrape.", [("", 0)])
        body = out.render()
    return PlainTextResponse(body, media_type=CONTENT_TYPE)
