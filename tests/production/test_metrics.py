"""GET /metrics: valid Prometheus text with the figures an operator alerts on."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api import metrics
from api.context import AppContext
from core.clock import utcnow
from core.models import (
    Blocker,
    BlockerAttachment,
    BlockerStatus,
    DeliveryStatus,
    Department,
    InboundStatus,
    InboundUpdate,
    OutboxMessage,
)
from core.settings import Settings
from knowledge.media import stats

SAMPLE = re.compile(r'^([a-z_][a-z0-9_]*)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+]+)$')
HISTOGRAM_PARTS = ("_bucket", "_sum", "_count")


def parse(text: str) -> dict[str, float]:
    """Strict enough to catch format mistakes: HELP/TYPE before samples, one value each."""
    values: dict[str, float] = {}
    typed: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in {"gauge", "counter", "histogram"}
            typed.update(
                [name, *(name + part for part in HISTOGRAM_PARTS)] if kind == "histogram" else [name]
            )
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        assert match.group(1) in typed, f"sample before its TYPE: {line!r}"
        key = match.group(1) + (match.group(2) or "")
        assert key not in values, f"duplicate sample {key}"
        values[key] = float(match.group(4))
    return values


def _client(settings: Settings, engine: Engine) -> TestClient:
    app = FastAPI()
    app.include_router(metrics.router)
    app.state.ctx = AppContext(settings=settings, engine=engine)
    return TestClient(app)


def _fill(session: Session) -> None:
    now = utcnow()
    session.add(Department(code="TC", name="Sở Tài chính"))
    for i, status in enumerate([InboundStatus.pending, InboundStatus.pending, InboundStatus.done]):
        received = now - timedelta(minutes=10) if i == 0 else now
        session.add(InboundUpdate(channel="telegram", key=str(i), status=status, received_at=received))
    for status, attempts in [
        (DeliveryStatus.pending, 0),
        (DeliveryStatus.pending, 3),
        (DeliveryStatus.sent, 1),
        (DeliveryStatus.failed, 5),
        (DeliveryStatus.blocked, 1),
    ]:
        session.add(
            OutboxMessage(
                channel="telegram",
                chat_id="42",
                text="Xin chào",
                status=status,
                attempts=attempts,
                sent_at=now - timedelta(seconds=30) if status == DeliveryStatus.sent else None,
            )
        )
    session.flush()
    for i, (status, days) in enumerate(
        [
            (BlockerStatus.new, -1),  # overdue
            (BlockerStatus.in_progress, -3),  # overdue
            (BlockerStatus.need_info, 2),
            (BlockerStatus.answered, -5),  # late but answered: not overdue
        ]
    ):
        session.add(
            Blocker(
                code=f"VM-2025-{i:06d}",
                description="Vướng mắc về đất đai",
                status=status,
                department_code="TC",
                deadline=now + timedelta(days=days),
            )
        )
    session.commit()


def test_metrics_report_queues_failures_and_overdue_blockers(
    settings: Settings, engine: Engine, session: Session
) -> None:
    _fill(session)
    response = _client(settings, engine).get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    values = parse(response.text)
    assert values["troly_database_up"] == 1
    assert values['troly_inbound_updates{status="pending"}'] == 2
    assert values["troly_inbound_oldest_pending_age_seconds"] >= 600
    assert values['troly_outbox_messages{status="pending"}'] == 2
    assert values['troly_outbox_messages{status="sent"}'] == 1
    assert values['troly_outbox_messages{status="window_closed"}'] == 0
    assert values["troly_outbox_retrying"] == 1
    assert values['troly_delivery_failures{status="failed"}'] == 1
    assert values['troly_delivery_failures{status="blocked"}'] == 1
    assert 'troly_delivery_failures{status="sent"}' not in values
    assert values["troly_blockers_overdue"] == 2
    assert values['troly_blockers{status="new"}'] == 1
    assert values['troly_blockers{status="closed"}'] == 0
    last = values["troly_sender_last_sent_timestamp_seconds"]
    assert abs(last - (utcnow() - timedelta(seconds=30)).timestamp()) < 3600 * 24  # a real unix time
    assert last > 1.7e9


def test_metrics_on_an_empty_database_are_zero(settings: Settings, engine: Engine) -> None:
    values = parse(_client(settings, engine).get("/metrics").text)
    assert values["troly_inbound_oldest_pending_age_seconds"] == 0
    assert values["troly_sender_last_sent_timestamp_seconds"] == 0
    assert values["troly_blockers_overdue"] == 0


def test_metrics_say_database_down_instead_of_failing(settings: Settings) -> None:
    dead = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1")
    response = _client(settings, dead).get("/metrics")
    assert response.status_code == 200
    assert parse(response.text) == {"troly_database_up": 0.0}


def test_the_app_serves_metrics(settings: Settings, engine: Engine) -> None:
    from api.app import create_app

    client = TestClient(create_app(settings))  # no lifespan: not started yet
    response = client.get("/metrics")
    assert response.status_code == 503 and response.text.startswith("# starting")


def test_metrics_time_voice_transcription_and_ocr(settings: Settings, engine: Engine) -> None:
    stats.reset()
    stats.record("speech", "ok", seconds=3.0, media=20.0)
    stats.record("speech", "ok", seconds=9.0, media=40.0)
    stats.record("speech", "too_long", seconds=0.2, media=130.0)
    stats.record("ocr", "ok", seconds=1.5, media=2.0)
    values = parse(_client(settings, engine).get("/metrics").text)
    ok = 'engine="speech",status="ok"'
    assert values[f"troly_media_job_seconds_count{{{ok}}}"] == 2
    assert values[f"troly_media_job_seconds_sum{{{ok}}}"] == 12.0
    assert values[f'troly_media_job_seconds_bucket{{{ok},le="4.0"}}'] == 1
    assert values[f'troly_media_job_seconds_bucket{{{ok},le="15.0"}}'] == 2
    assert values[f'troly_media_job_seconds_bucket{{{ok},le="+Inf"}}'] == 2
    assert values['troly_voice_audio_seconds_total{status="ok"}'] == 60.0
    assert values['troly_voice_audio_seconds_total{status="too_long"}'] == 130.0
    assert values['troly_ocr_pages_total{status="ok"}'] == 2.0
    stats.reset()


def test_metrics_count_attachments_by_the_state_of_their_text(
    settings: Settings, engine: Engine, session: Session
) -> None:
    _fill(session)
    blocker = session.exec(select(Blocker)).first()
    assert blocker is not None and blocker.id is not None
    for status in ("pending", "pending", "done", ""):
        session.add(
            BlockerAttachment(blocker_id=blocker.id, filename="a.jpg", path="a.jpg", extraction=status)
        )
    session.commit()
    values = parse(_client(settings, engine).get("/metrics").text)
    assert values['troly_attachments_read{status="pending"}'] == 2  # waiting for the background reader
    assert values['troly_attachments_read{status="done"}'] == 1
    assert values['troly_attachments_read{status="failed"}'] == 0
    assert 'troly_attachments_read{status=""}' not in values  # files nobody reads (Word, Excel)
