"""Recorded voice and audio payloads (tests/fixtures/) translated into Incoming."""

from __future__ import annotations

import json
from pathlib import Path

from bot import telegram, zalo, zalo_oa
from bot.channel import AttachmentKind

FIXTURES = Path(__file__).parents[1] / "fixtures"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_telegram_voice_note_is_a_voice_attachment_with_its_duration() -> None:
    incoming = telegram.parse_update(load("telegram/voice.json"))
    assert incoming is not None and incoming.text == "" and incoming.chat_id == "5551001"
    (voice,) = incoming.attachments
    assert (voice.kind, voice.file_ref, voice.content_type, voice.size, voice.duration) == (
        AttachmentKind.voice,
        "AwACAgUAAxkBAAIBvoice",
        "audio/ogg",
        24719,
        7,
    )
    assert voice.filename == "ghi-am-AgADvo1.ogg"


def test_telegram_audio_file_keeps_its_name_type_and_caption() -> None:
    incoming = telegram.parse_update(load("telegram/audio.json"))
    assert incoming is not None and incoming.text == "Ghi âm cuộc họp"
    (audio,) = incoming.attachments
    assert (audio.kind, audio.filename, audio.content_type, audio.duration) == (
        AttachmentKind.audio,
        "Hop giao ban.m4a",
        "audio/mp4",
        64,
    )


def test_zalo_bot_voice_message_points_at_its_aac_file() -> None:
    incoming = zalo.parse_event(load("zalo/voice.json"))
    assert incoming is not None and incoming.message_id == "4b869dc6f333288f5b47"
    (voice,) = incoming.attachments
    assert voice.kind == AttachmentKind.voice and voice.content_type == "audio/aac"
    assert voice.file_ref == "https://example.invalid/voice/3a758cb5.aac"  # downloaded from there


def test_zalo_bot_voice_event_without_a_url_is_ignored() -> None:
    payload = load("zalo/voice.json")
    del payload["message"]["voice_url"]
    assert zalo.parse_event(payload) is None


def test_zalo_oa_audio_message_is_a_voice_attachment() -> None:
    payload = load("zalo_oa/user_send_audio.json")
    incoming = zalo_oa.parse_event(payload)
    assert incoming is not None and incoming.chat_id == "4887891139434389536"
    (voice,) = incoming.attachments
    assert (voice.kind, voice.file_ref, voice.filename) == (
        AttachmentKind.voice,
        "https://example.invalid/oa/voice/c7e4.aac",
        "ghi-am-zalo.aac",
    )
    channel = zalo_oa.ZaloOaChannel.__new__(zalo_oa.ZaloOaChannel)  # update_key needs no state
    assert channel.update_key(payload) == "c7e4dee4bf260571a22"


def test_photos_and_files_keep_their_kinds() -> None:
    (photo,) = zalo_oa.parse_event(load("zalo_oa/user_send_image.json")).attachments
    (document,) = zalo_oa.parse_event(load("zalo_oa/user_send_file.json")).attachments
    assert (photo.kind, photo.filename) == (AttachmentKind.photo, "anh-zalo.jpg")
    assert (document.kind, document.filename) == (AttachmentKind.document, "To trinh.docx")
