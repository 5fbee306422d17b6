"""Recorded platform payloads translated into Incoming (tests/fixtures/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import telegram, zalo, zalo_oa
from bot.errors import redact, safe_error

FIXTURES = Path(__file__).parents[1] / "fixtures"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_telegram_text_and_display_name():
    incoming = telegram.parse_update(load("telegram/text.json"))
    assert incoming is not None
    assert (incoming.channel, incoming.chat_id, incoming.user_id, incoming.message_id) == (
        "telegram",
        "5551001",
        "5551001",
        "41",
    )
    assert incoming.text == "Thủ tục đăng ký thường trú cần giấy tờ gì?"
    assert incoming.display_name == "Nguyễn Văn An"


def test_telegram_command_loses_bot_mention():
    payload = load("telegram/command_group.json")
    payload["message"]["chat"] = {"id": 5551001, "type": "private"}
    incoming = telegram.parse_update(payload)
    assert incoming is not None and incoming.text == "/hoi thủ tục khai sinh"


def test_telegram_group_messages_are_ignored():
    """Department groups receive notifications; the bot talks to officials one to one."""
    assert telegram.parse_update(load("telegram/command_group.json")) is None
    callback = load("telegram/callback.json")
    callback["callback_query"]["message"]["chat"] = {"id": -1001234567890, "type": "supergroup"}
    assert telegram.parse_update(callback) is None


def test_telegram_photo_takes_largest_size_and_caption():
    incoming = telegram.parse_update(load("telegram/photo.json"))
    assert incoming is not None and incoming.text == "Ảnh hồ sơ bị trả lại"
    (photo,) = incoming.attachments
    assert (photo.kind, photo.file_ref, photo.size) == ("photo", "AgACbig", 48000)


def test_telegram_document():
    incoming = telegram.parse_update(load("telegram/document.json"))
    (doc,) = incoming.attachments
    assert (doc.kind, doc.filename, doc.content_type, doc.size) == (
        "document",
        "Công văn 123.pdf",
        "application/pdf",
        20480,
    )


def test_telegram_callback_carries_payload():
    incoming = telegram.parse_update(load("telegram/callback.json"))
    assert incoming is not None and incoming.payload == "fb:12:helpful" and incoming.text == ""
    assert incoming.chat_id == "5551001" and incoming.message_id.startswith("cb")


def test_telegram_contact_only_when_it_is_the_senders_own():
    own = telegram.parse_update(load("telegram/contact_own.json"))
    assert own is not None and own.contact_phone == "0912345678"
    assert telegram.parse_update(load("telegram/contact_other.json")) is None


def test_telegram_edited_message_ignored():
    assert telegram.parse_update(load("telegram/edited.json")) is None


def test_zalo_text_wrapped_and_image_bare():
    text = zalo.parse_event(load("zalo/text.json"))
    assert text is not None and text.channel == "zalo" and text.chat_id == "6ede9afa66b88fe6d6a9"
    assert text.text == "Thủ tục chứng thực bản sao" and text.display_name == "Lê Văn Cường"
    image = zalo.parse_event(load("zalo/image.json"))
    assert image is not None and image.text == "Biên bản"
    assert image.attachments[0].file_ref == "https://example.invalid/photo.jpg"
    assert zalo.parse_event(load("zalo/sticker.json")) is None
    channel = zalo.ZaloChannel(token="1:x", base_url="http://127.0.0.1:9", webhook_secret="s")
    assert channel.update_key(load("zalo/text.json")) == "2d758cb5e222177a4e35"


def test_zalo_oa_events():
    text = zalo_oa.parse_event(load("zalo_oa/user_send_text.json"))
    assert (
        text is not None
        and text.chat_id == "4887891139434389536"
        and text.message_id == "96d3cdf3af150460909"
    )
    image = zalo_oa.parse_event(load("zalo_oa/user_send_image.json"))
    assert image is not None and image.attachments[0].kind == "photo"
    file = zalo_oa.parse_event(load("zalo_oa/user_send_file.json"))
    assert (
        file is not None
        and file.attachments[0].filename == "To trinh.docx"
        and file.attachments[0].size == 34567
    )
    assert zalo_oa.parse_event(load("zalo_oa/follow.json")) is None


@pytest.mark.parametrize(
    "payload",
    [{}, {"message": "x"}, {"message": {"chat": {}}}, {"callback_query": {"from": {}}}, {"update_id": "1"}],
)
def test_malformed_telegram_payloads_do_not_raise(payload):
    assert telegram.parse_update(payload) is None


def test_errors_never_carry_tokens():
    text = "POST https://api.telegram.org/bot123456:AAE-secret_x/sendMessage failed access_token=abc123"
    assert "AAE-secret" not in redact(text) and "abc123" not in redact(text)
    assert "123456:AAE" not in safe_error(RuntimeError(text))
