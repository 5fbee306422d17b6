"""Poison updates: text no store can take is cleaned at the edge, and an update that cannot be
handled gets one apology and a record for the admin, never five failures and silence."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from bot.channel import Incoming, Reply
from bot.inbound import InboundOptions, process_pending, store_update
from bot.telegram import parse_update
from bot.texts import APOLOGY
from bot.webchat import WebChannel
from bot.zalo import parse_event as parse_zalo
from bot.zalo_oa import parse_event as parse_oa
from core.models import AuditLog, InboundStatus, InboundUpdate, OutboxMessage
from tests.fakes.channel import ScriptedChannel
from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import TELEGRAM_SECRET

POISON = "Thủ tục \ud800 khai sinh\x00 \udfff?"
CLEAN = "Thủ tục \ufffd khai sinh\ufffd \ufffd?"


def test_every_adapter_cleans_the_text_it_parses() -> None:
    telegram = parse_update(
        {"update_id": 1, "message": {"message_id": 2, "chat": {"id": 5, "type": "private"}, "text": POISON,
                                     "from": {"id": 5, "first_name": "A\ud800"}}}
    )  # fmt: skip
    callback = parse_update(
        {"update_id": 2, "callback_query": {"id": "9", "data": "fb:\x00", "from": {"id": 5},
                                            "message": {"chat": {"id": 5, "type": "private"}}}}
    )  # fmt: skip
    zalo_message = {"message_id": "m", "text": POISON, "chat": {"id": "z"}, "from": {"id": "z"}}
    zalo = parse_zalo({"event_name": "message.text.received", "message": zalo_message})
    oa = parse_oa(
        {"event_name": "user_send_text", "sender": {"id": "u"}, "message": {"msg_id": "1", "text": POISON}}
    )
    web = WebChannel().parse({"chat_id": "w1", "client_id": "c", "text": POISON})
    for incoming in (telegram, zalo, oa, web):
        assert incoming is not None and incoming.text == CLEAN
    assert telegram is not None and telegram.display_name == "A\ufffd"
    assert callback is not None and callback.payload == "fb:\ufffd"
    assert "\u00e2" not in CLEAN and "khai sinh" in CLEAN  # what the official typed is kept


def test_a_lone_surrogate_in_a_telegram_text_gets_a_proper_answer(make_harness: Any) -> None:
    h = make_harness("webhook", dispatch=EchoDispatch())
    update = h.fake.telegram_update(4101, "Hồ sơ \ud800 đăng ký")
    body = json.dumps(update).encode()  # "\\ud800" on the wire: valid JSON, as Telegram sends it
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
    assert h.http.post("/webhooks/telegram", content=body, headers=headers).status_code == 200
    answer = h.wait_for_text("telegram", "4101", "Bạn đã gửi:")
    assert answer == "Bạn đã gửi: Hồ sơ \ufffd đăng ký"
    with Session(h.engine) as session:
        (row,) = session.exec(select(InboundUpdate)).all()
        assert row.status == InboundStatus.done and row.attempts == 1


class RaisingDispatch:
    """A handler with a bug (or a choice the code cannot follow, like a closed department)."""

    def __init__(self, error: Exception) -> None:
        self.error, self.calls = error, 0

    def __call__(self, session: Session, incoming: Incoming) -> list[Reply]:
        self.calls += 1
        raise self.error


def _store(engine: Any, key: str, **payload: Any) -> None:
    with Session(engine) as session:
        store_update(session, channel="telegram", key=key, payload={"id": key, **payload}, chat_key="")
        session.commit()


async def _drain(engine: Any, settings: Any, dispatch: Any, passes: int, **options: Any) -> None:
    retry_now = InboundOptions(stale_after=timedelta(seconds=0), max_pause=0, **options)
    for _ in range(passes):
        await process_pending(
            engine,
            channels={"telegram": ScriptedChannel()},
            dispatch=dispatch,
            settings=settings,
            options=retry_now,
        )


def _outbox(engine: Any) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage)).all())


async def test_a_handler_that_raises_gets_one_apology_and_an_admin_record(engine: Any, settings: Any) -> None:
    _store(engine, "1", chat=5, text="chọn Sở đã ngừng hoạt động")
    failing = RaisingDispatch(ValueError("department deactivated"))
    await _drain(engine, settings, failing, passes=6)
    assert failing.calls == InboundOptions().poison_attempts  # not five: it would fail the same way
    (apology,) = _outbox(engine)
    assert apology.chat_id == "5" and apology.text == APOLOGY and apology.inbound_id is not None
    with Session(engine) as session:
        (update,) = session.exec(select(InboundUpdate)).all()
        (record,) = session.exec(select(AuditLog)).all()
    assert update.status == InboundStatus.failed and "department deactivated" in update.error
    assert record.action == "inbound.failed" and record.target == f"telegram:{update.id}"
    assert "ValueError" in record.detail

    from api.metrics import collect

    assert 'troly_inbound_updates{status="failed"} 1' in collect(engine)


async def test_an_outage_is_retried_longer_before_the_apology(engine: Any, settings: Any) -> None:
    _store(engine, "1", chat=6, text="câu hỏi")
    outage = RaisingDispatch(OperationalError("SELECT 1", {}, Exception("connection refused")))
    await _drain(engine, settings, outage, passes=3)
    assert outage.calls == 3 and _outbox(engine) == []  # still hoping the database comes back
    await _drain(engine, settings, outage, passes=5)
    assert outage.calls == InboundOptions().max_attempts
    assert [row.text for row in _outbox(engine)] == [APOLOGY]


async def test_a_retry_that_succeeds_sends_no_apology(engine: Any, settings: Any) -> None:
    _store(engine, "1", chat=7, text="lần hai được")
    await _drain(engine, settings, EchoDispatch(fail_times=1), passes=3)
    assert [row.text for row in _outbox(engine)] == ["Bạn đã gửi: lần hai được"]


async def test_an_update_the_adapter_cannot_read_is_recorded_and_the_loop_goes_on(
    engine: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(engine, "1", chat=8, text="hỏng")
    _store(engine, "2", chat=9, text="bình thường")

    def parse(self: ScriptedChannel, payload: Any) -> Incoming | None:
        if payload["id"] == "1":
            raise KeyError("a shape the adapter did not expect")
        return original(self, payload)

    original = ScriptedChannel.parse
    monkeypatch.setattr(ScriptedChannel, "parse", parse)
    await _drain(engine, settings, EchoDispatch(), passes=2)
    with Session(engine) as session:
        statuses = {u.key: u.status for u in session.exec(select(InboundUpdate)).all()}
        actions = [a.action for a in session.exec(select(AuditLog)).all()]
    assert statuses == {"1": InboundStatus.failed, "2": InboundStatus.done}
    assert actions == ["inbound.failed"]
