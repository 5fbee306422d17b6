"""The outbox sender: order per chat, retries, blocked users, split parts, window closed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import Session, select

from bot.channel import Button, SendResult
from bot.ratelimit import Pace, RateLimiter, make_limiters
from bot.render import render
from bot.sender import send_due
from core.clock import utcnow
from core.models import ChatAccount, DeliveryStatus, OutboxMessage
from core.outbox import enqueue_message
from tests.fakes.channel import ScriptedChannel

NO_PACE = {"telegram": RateLimiter("telegram", Pace(0, 0, 0)), "zalo": RateLimiter("zalo", Pace(0, 0, 0))}


def _enqueue(engine, chat, text, channel="telegram", buttons=()):
    with Session(engine) as session:
        row = enqueue_message(session, channel=channel, chat_id=chat, text=text, buttons=buttons)
        session.commit()
        return row.id


def _rows(engine):
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def _make_due(engine):
    with Session(engine) as session:
        for row in session.exec(select(OutboxMessage)).all():
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
            session.add(row)
        session.commit()


async def test_one_message_per_chat_per_round_in_id_order(engine):
    for text in ("một", "hai", "ba"):
        _enqueue(engine, "5", text)
    _enqueue(engine, "6", "khác")
    channel = ScriptedChannel()
    assert await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE) == 2
    assert await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE) == 1
    assert await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE) == 1
    assert [r.text for c, r in channel.sent if c == "5"] == ["một", "hai", "ba"]
    assert all(r.status == DeliveryStatus.sent and r.sent_at for r in _rows(engine))


async def test_429_waits_retry_after_and_keeps_order(engine):
    _enqueue(engine, "5", "một")
    _enqueue(engine, "5", "hai")
    channel = ScriptedChannel()
    channel.script.append(SendResult(ok=False, retry_after=30, error="429"))
    await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE)
    first, second = _rows(engine)
    assert first.status == second.status == DeliveryStatus.pending and first.attempts == 0
    assert first.next_attempt_at > utcnow() + timedelta(seconds=25)
    # The second message must not overtake the first one that is waiting.
    assert await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE) == 0
    _make_due(engine)
    await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE)
    await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE)
    assert [r.text for _, r in channel.sent] == ["một", "hai"]


async def test_network_errors_back_off_then_fail(engine):
    _enqueue(engine, "5", "một")
    channel = ScriptedChannel()
    for _ in range(3):
        channel.script.append(SendResult(ok=False, error="502 Bad Gateway"))
    from bot.sender import SenderOptions

    options = SenderOptions(max_attempts=3)
    await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE, options=options)
    (row,) = _rows(engine)
    assert row.attempts == 1 and row.next_attempt_at > utcnow() and row.status == DeliveryStatus.pending
    for _ in range(2):
        _make_due(engine)
        await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE, options=options)
    (row,) = _rows(engine)
    assert row.status == DeliveryStatus.failed and "502" in row.error


async def test_blocked_user_marks_account_and_later_messages(engine):
    with Session(engine) as session:
        session.add(ChatAccount(channel="telegram", user_id="5", chat_id="5"))
        session.commit()
    _enqueue(engine, "5", "một")
    _enqueue(engine, "5", "hai")
    channel = ScriptedChannel()
    channel.script.append(
        SendResult(ok=False, blocked=True, permanent=True, error="Forbidden: bot was blocked")
    )
    await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE)
    await send_due(engine, channels={"telegram": channel}, limiters=NO_PACE)
    assert [r.status for r in _rows(engine)] == [DeliveryStatus.blocked, DeliveryStatus.blocked]
    assert channel.sent == []
    with Session(engine) as session:
        assert session.exec(select(ChatAccount)).one().blocked is True


async def test_window_closed_is_visible_and_does_not_block_the_chat(engine):
    _enqueue(engine, "u1", "trả lời", channel="zalo")
    _enqueue(engine, "u1", "tiếp", channel="zalo")
    channel = ScriptedChannel("zalo", max_text=2000, buttons=False)
    channel.script.append(SendResult(ok=False, window_closed=True, permanent=True, error="error -213"))
    await send_due(engine, channels={"zalo": channel}, limiters=NO_PACE)
    await send_due(engine, channels={"zalo": channel}, limiters=NO_PACE)
    first, second = _rows(engine)
    assert first.status == DeliveryStatus.window_closed and "-213" in first.error
    assert second.status == DeliveryStatus.sent


async def test_long_message_parts_sent_in_order_and_resumed_after_failure(engine):
    text = ("Câu trả lời dài theo quy định. " * 200).strip()  # ~6,000 characters
    buttons = [Button("Hữu ích", "fb:1:helpful")]
    _enqueue(engine, "u1", text, channel="zalo", buttons=buttons)
    channel = ScriptedChannel("zalo", max_text=2000, buttons=False)
    channel.script.extend([SendResult(ok=True, platform_message_id="p1"), SendResult(ok=False, error="503")])
    await send_due(engine, channels={"zalo": channel}, limiters=NO_PACE)
    (row,) = _rows(engine)
    assert row.parts_sent == 1 and row.status == DeliveryStatus.pending
    _make_due(engine)
    await send_due(engine, channels={"zalo": channel}, limiters=NO_PACE)
    (row,) = _rows(engine)
    assert row.status == DeliveryStatus.sent and row.platform_message_id == "p1"
    texts = [r.text for _, r in channel.sent]
    # Every part exactly once and in order: part 1 is not repeated by the retry.
    assert texts == [p.text for p in render(text, buttons, channel.limits)]
    assert len(texts) == row.parts_sent >= 3 and all(len(t) <= 2000 for t in texts)
    assert texts[-1].endswith("Trả lời bằng số:\n1. Hữu ích")


async def test_unconfigured_channel_fails_visibly(engine):
    _enqueue(engine, "1", "xin chào", channel="zalo")
    await send_due(engine, channels={}, limiters=NO_PACE)
    (row,) = _rows(engine)
    assert row.status == DeliveryStatus.failed and "not configured" in row.error


def test_rate_limiter_paces_chats_groups_and_total():
    limiter = make_limiters(["telegram"])["telegram"]
    assert limiter.reserve("5", now=100.0) == 0
    assert limiter.reserve("5", now=100.0) == 1.0  # one per second in a chat
    assert limiter.reserve("-100", now=100.0) > 0  # the overall 30/s spacing applies
    group_first = limiter.reserve("-200", now=200.0)
    assert limiter.reserve("-200", now=200.0) - group_first == 3.0  # 20 per minute in a group


async def test_concurrent_senders_never_send_twice_and_keep_chat_order(engine):
    for index in range(120):
        _enqueue(engine, str(index % 30), f"tin {index}")
    channels = [ScriptedChannel() for _ in range(3)]
    for _ in range(20):
        claimed = await asyncio.gather(
            *(send_due(engine, channels={"telegram": c}, limiters=NO_PACE) for c in channels)
        )
        if not any(claimed):
            break
    sent = [(chat, reply.text) for c in channels for chat, reply in c.sent]
    assert len(sent) == 120 and len(set(sent)) == 120  # each exactly once
    for chat in map(str, range(30)):
        rows = [r for r in _rows(engine) if r.chat_id == chat]
        assert all(r.status == DeliveryStatus.sent for r in rows)
        times = [r.sent_at for r in rows]
        assert times == sorted(times)  # sent in id order within the chat
