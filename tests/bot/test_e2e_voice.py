"""Voice notes through the real adapters and the fake platforms: Telegram voice, a Zalo Bot voice
message and a Zalo OA audio message arrive as voice attachments, are downloaded through the
inbound attachment path, and the stored file is the note the official recorded."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.channel import Attachment, AttachmentKind
from knowledge.media.audio import SAMPLE_RATE, decode_audio
from tests.fakes.dispatch import EchoDispatch
from tests.fakes.harness import OA_APP_ID, Harness, oa_signature
from tests.knowledge.media_support import encode, pcm_of, speech_clips


@pytest.fixture(scope="module")
def notes() -> dict[str, bytes]:
    pcm = pcm_of(speech_clips()[3])  # 4 s of real speech
    return {
        "opus": encode(pcm, container="ogg", codec="libopus"),  # what Telegram records
        "aac": encode(pcm, container="adts", codec="aac"),  # what Zalo records
    }


def _stored_voice(h: Harness, echo: EchoDispatch) -> Attachment:
    def seen() -> Attachment | None:
        with echo.lock:
            found = [a for i in echo.seen for a in i.attachments if a.kind == AttachmentKind.voice]
        return found[-1] if found else None

    return h.wait_for(seen, what="a voice attachment handed to the dispatcher")


def _assert_same_note(h: Harness, stored: Attachment, data: bytes) -> None:
    assert (h.settings.uploads_dir / stored.file_ref).read_bytes() == data
    assert stored.size == len(data)
    seconds = decode_audio(data, max_seconds=60).size / SAMPLE_RATE
    assert 3.5 < seconds < 4.5


def test_telegram_voice_note_is_downloaded_as_a_voice_attachment(make_harness, notes) -> None:
    echo = EchoDispatch()
    h = make_harness("polling", dispatch=echo)
    h.fake.files["VOICE1"] = notes["opus"]
    voice = {
        "duration": 4,
        "mime_type": "audio/ogg",
        "file_id": "VOICE1",
        "file_unique_id": "vu1",
        "file_size": len(notes["opus"]),
    }
    h.fake.push_telegram(h.fake.telegram_update(2001, voice=voice))
    stored = _stored_voice(h, echo)
    _assert_same_note(h, stored, notes["opus"])
    assert (stored.content_type, stored.duration) == ("audio/ogg", 4)
    assert stored.file_ref.startswith("inbound/telegram/") and stored.file_ref.endswith(".ogg")


def test_zalo_bot_voice_message_is_downloaded_from_its_url(make_harness, notes) -> None:
    echo = EchoDispatch()
    h = make_harness("polling", dispatch=echo)
    h.fake.files["zv1.aac"] = notes["aac"]
    event = h.fake.zalo_event("z-voice", event="message.voice.received")
    event["message"]["voice_url"] = f"{h.fake.url}/media/zv1.aac"
    h.fake.push_zalo(event)
    stored = _stored_voice(h, echo)
    _assert_same_note(h, stored, notes["aac"])
    assert stored.content_type == "audio/aac" and h.fake.calls_to("media", "get")


def test_zalo_oa_audio_message_is_downloaded_from_its_url(make_harness, notes) -> None:
    echo = EchoDispatch()
    h = make_harness("webhook", dispatch=echo)
    h.fake.files["oa1.aac"] = notes["aac"]
    event: dict[str, Any] = {
        "app_id": OA_APP_ID,
        "event_name": "user_send_audio",
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": "oa-voice-1"},
        "recipient": {"id": "oa-1"},
        "message": {
            "msg_id": f"oam{h.fake.next_id()}",
            "attachments": [{"type": "audio", "payload": {"url": f"{h.fake.url}/media/oa1.aac"}}],
        },
    }
    body = json.dumps(event).encode()
    headers = {
        "X-ZEvent-Signature": oa_signature(body, event["timestamp"]),
        "Content-Type": "application/json",
    }
    assert h.http.post("/webhooks/zalo-oa", content=body, headers=headers).status_code == 200
    _assert_same_note(h, _stored_voice(h, echo), notes["aac"])
