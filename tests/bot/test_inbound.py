"""Storing updates once and processing each exactly once, through failures and crashes."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot.claims import claim_inbound
from bot.inbound import InboundOptions, process_pending, store_update
from core.clock import utcnow
from core.models import InboundStatus, InboundUpdate, OutboxMessage
from tests.fakes.channel import ScriptedChannel
from tests.fakes.dispatch import EchoDispatch


def _store(engine, key, **payload):
    with Session(engine) as session:
        stored = store_update(session, channel="telegram", key=key, payload={"id": key, **payload})
        session.commit()
        return stored


def _rows(engine, model):
    with Session(engine) as session:
        return list(session.exec(select(model).order_by(model.id)).all())


async def test_duplicate_is_stored_and_processed_once(engine, settings):
    assert _store(engine, "1", chat=5, text="hỏi") is True
    assert _store(engine, "1", chat=5, text="hỏi") is False
    echo = EchoDispatch()
    channels = {"telegram": ScriptedChannel()}
    assert await process_pending(engine, channels=channels, dispatch=echo, settings=settings) == 1
    assert await process_pending(engine, channels=channels, dispatch=echo, settings=settings) == 0
    assert len(echo.seen) == 1
    (row,) = _rows(engine, OutboxMessage)
    assert row.chat_id == "5" and row.text == "Bạn đã gửi: hỏi" and row.inbound_id is not None
    assert [b["payload"] for b in row.buttons] == ["fb:1:helpful", "fb:1:wrong"]


async def test_unknown_payload_is_ignored_without_reply(engine, settings):
    _store(engine, "9", weird=True)
    echo = EchoDispatch()
    await process_pending(engine, channels={"telegram": ScriptedChannel()}, dispatch=echo, settings=settings)
    (update,) = _rows(engine, InboundUpdate)
    assert update.status == InboundStatus.ignored and echo.seen == [] and _rows(engine, OutboxMessage) == []


async def test_crash_after_claim_is_taken_over_and_answered_once(engine, settings):
    _store(engine, "1", chat=5, text="trước sự cố")
    # A worker claims the update and dies before answering (nothing committed after the claim).
    with Session(engine) as session:
        (claimed,) = claim_inbound(session, worker="dead", now=utcnow(), stale_before=utcnow(), limit=10)
    assert claimed.claimed_by == "dead" and claimed.attempts == 1
    echo = EchoDispatch()
    channels = {"telegram": ScriptedChannel()}
    options = InboundOptions(stale_after=timedelta(minutes=2))
    assert (
        await process_pending(engine, channels=channels, dispatch=echo, settings=settings, options=options)
        == 0
    )
    options = InboundOptions(stale_after=timedelta(seconds=0))  # the claim is now stale
    assert (
        await process_pending(engine, channels=channels, dispatch=echo, settings=settings, options=options)
        == 1
    )
    assert [i.text for i in echo.seen] == ["trước sự cố"]
    (update,) = _rows(engine, InboundUpdate)
    assert update.status == InboundStatus.done and update.attempts == 2
    assert len(_rows(engine, OutboxMessage)) == 1


async def test_failing_dispatch_retries_then_marks_failed_and_loop_continues(engine, settings):
    _store(engine, "1", chat=5, text="lỗi")
    _store(engine, "2", chat=6, text="bình thường")
    echo = EchoDispatch(fail_times=1)
    channels = {"telegram": ScriptedChannel()}
    await process_pending(engine, channels=channels, dispatch=echo, settings=settings)
    first, second = _rows(engine, InboundUpdate)
    assert first.status == InboundStatus.pending and "dispatcher failed" in first.error
    assert second.status == InboundStatus.done
    # After the pause the update is retried and answered.
    options = InboundOptions(stale_after=timedelta(seconds=0), max_pause=0)
    await process_pending(engine, channels=channels, dispatch=echo, settings=settings, options=options)
    assert _rows(engine, InboundUpdate)[0].status == InboundStatus.done
    # An update failing every time ends as failed after max_attempts.
    _store(engine, "3", chat=7, text="luôn lỗi")
    always = EchoDispatch(fail_times=100)
    for _ in range(3):
        await process_pending(
            engine,
            channels=channels,
            dispatch=always,
            settings=settings,
            options=InboundOptions(stale_after=timedelta(seconds=0), max_attempts=3, max_pause=0),
        )
    assert _rows(engine, InboundUpdate)[2].status == InboundStatus.failed


async def test_attachments_downloaded_or_rejected_when_too_large(engine, settings):
    settings.upload_max_bytes = 10
    channel = ScriptedChannel()
    channel.files = {"small": b"12345", "big": b"x" * 11}
    _store(engine, "1", chat=5, text="hồ sơ", files=["small", "big", "missing"])
    echo = EchoDispatch()
    await process_pending(engine, channels={"telegram": channel}, dispatch=echo, settings=settings)
    small, big, missing = echo.seen[0].attachments
    assert small.kind == "document" and (settings.uploads_dir / small.file_ref).read_bytes() == b"12345"
    assert big.kind == "rejected" and big.filename == "big.pdf" and big.size == 11
    assert missing.kind == "rejected"


def long_ago():
    return utcnow() - timedelta(minutes=5)


def test_only_the_oldest_pending_update_of_a_chat_is_claimed(engine):
    with Session(engine) as session:
        for key, chat in (("1", "5"), ("2", "5"), ("3", "6"), ("4", "")):
            store_update(session, channel="telegram", key=key, payload={"id": key}, chat_key=chat)
        session.commit()
    with Session(engine) as session:
        first = claim_inbound(session, worker="w1", now=utcnow(), stale_before=long_ago(), limit=10)
    assert [r.key for r in first] == ["1", "3", "4"]  # "2" waits behind "1" of the same chat
    with Session(engine) as session:
        second = claim_inbound(session, worker="w2", now=utcnow(), stale_before=long_ago(), limit=10)
    assert second == []  # another worker cannot overtake chat 5 either
    with Session(engine) as session:
        session.get(InboundUpdate, first[0].id).status = InboundStatus.done
        session.commit()
        third = claim_inbound(session, worker="w2", now=utcnow(), stale_before=long_ago(), limit=10)
    assert [r.key for r in third] == ["2"]
