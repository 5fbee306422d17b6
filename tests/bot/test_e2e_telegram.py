"""Telegram end to end: the real adapter (python-telegram-bot) against the fake Bot API."""

from __future__ import annotations

from sqlmodel import Session, select

from core.models import DeliveryStatus, InboundUpdate
from tests.fakes.dispatch import EchoDispatch


def test_polling_question_answered_with_buttons(make_harness):
    h = make_harness("polling")
    h.telegram_says(1001, "Thủ tục đăng ký thường trú?")
    h.wait_for_text("telegram", "1001", "Bạn đã gửi: Thủ tục đăng ký thường trú?")
    call = h.fake.calls_to("telegram", "sendMessage")[-1]
    keyboard = call.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["fb:1:helpful", "fb:1:wrong"]
    assert h.fake.calls_to("telegram", "deleteWebhook")
    (row,) = h.wait_settled(1)
    assert row.status == DeliveryStatus.sent and row.platform_message_id and row.inbound_id
    with Session(h.engine) as session:
        assert session.exec(select(InboundUpdate)).one().status == "done"


def test_webhook_mode_registers_and_answers(make_harness):
    h = make_harness("webhook")
    call = h.fake.calls_to("telegram", "setWebhook")[-1]
    assert call.params["url"] == f"{h.url}/webhooks/telegram"
    assert call.params["secret_token"] == "tg-secret-123"
    response = h.telegram_send(h.fake.telegram_update(1002, "Xin chào"))
    assert response is not None and response.status_code == 200
    h.wait_for_text("telegram", "1002", "Bạn đã gửi: Xin chào")


def test_polling_429_then_success_keeps_order_and_zalo_polls(make_harness):
    echo = EchoDispatch()
    h = make_harness("polling", dispatch=echo)
    h.fake.fail("telegram", "sendMessage", "429", retry_after=1)
    h.telegram_says(1003, "câu một")
    h.telegram_says(1003, "câu hai")
    h.wait_for_text("telegram", "1003", "câu hai", timeout=20)
    assert h.fake.sent_texts("telegram", "1003") == [
        "Bạn đã gửi: câu một",  # refused with 429
        "Bạn đã gửi: câu một",  # retried after retry_after
        "Bạn đã gửi: câu hai",
    ]
    calls = h.fake.calls_to("telegram", "sendMessage")
    assert calls[1].at - calls[0].at >= 0.9  # retry_after honoured
    h.zalo_says("z-poll", "Thủ tục khai sinh")
    h.wait_for_text("zalo", "z-poll", "Bạn đã gửi: Thủ tục khai sinh")
    assert h.fake.calls_to("zalo", "deleteWebhook")


def test_callback_photo_and_blocked_user(make_harness):
    echo = EchoDispatch()
    h = make_harness("polling", dispatch=echo)
    h.fake.push_telegram(h.fake.telegram_callback(1004, "fb:9:helpful"))
    h.wait_for_text("telegram", "1004", "Bạn đã gửi: fb:9:helpful")
    assert h.fake.calls_to("telegram", "answerCallbackQuery")
    h.fake.files["PHOTO1"] = b"\xff\xd8jpeg-bytes"
    photo = [{"file_id": "PHOTO1", "file_unique_id": "u1", "file_size": 11, "width": 10, "height": 10}]
    h.fake.push_telegram(h.fake.telegram_update(1004, caption="ảnh hồ sơ", photo=photo))
    h.wait_for_text("telegram", "1004", "ảnh hồ sơ")
    stored = next(i for i in echo.seen if i.attachments).attachments[0]
    assert (
        stored.kind == "photo"
        and (h.settings.uploads_dir / stored.file_ref).read_bytes() == b"\xff\xd8jpeg-bytes"
    )
    h.fake.fail("telegram", "sendMessage", "blocked")
    h.telegram_says(1005, "rồi chặn bot")
    rows = h.wait_settled(3)
    assert rows[-1].status == DeliveryStatus.blocked and "blocked" in rows[-1].error
