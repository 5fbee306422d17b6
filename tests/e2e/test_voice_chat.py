"""Voice notes through the whole product: the fake Telegram and Zalo servers, the real adapters,
the inbound worker, the real dispatcher and the real speech engine (viet-asr, installed by the
test set-up) on real Vietnamese speech encoded the way each platform records it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from core.models import Blocker, BlockerAttachment, ExtractionStatus, QuestionLog
from knowledge.media.speech import speech_installed
from tests.e2e.chat_support import Answer, Chat, add_official, register
from tests.knowledge.media_support import encode, pcm_of, speech_clips, word_error_rate

pytestmark = pytest.mark.skipif(not speech_installed(), reason="the [voice] extra is not installed")
RETYPE = "Sửa câu hỏi"


@pytest.fixture(scope="module")
def clips() -> dict[str, Any]:
    found = speech_clips()
    tet, contest = found[3], found[4]
    return {
        "tet": (encode(pcm_of(tet), container="ogg", codec="libopus"), tet.transcript),
        "tet_aac": encode(pcm_of(tet), container="adts", codec="aac"),
        "contest": (encode(pcm_of(contest), container="adts", codec="aac"), contest.transcript),
        "contest_opus": encode(pcm_of(contest), container="ogg", codec="libopus"),
    }


def heard_in(answer: Answer) -> str:
    line = next(t for t in answer.texts if "Tôi nghe được: «" in t)
    return line.split("Tôi nghe được: «", 1)[1].split("»", 1)[0]


def telegram_voice(chat: Chat, file_id: str, data: bytes, *, duration: int) -> Answer:
    chat.h.fake.files[file_id] = data
    note = {"duration": duration, "mime_type": "audio/ogg", "file_id": file_id, "file_unique_id": file_id}
    before = len(chat.delivered())
    chat.h.telegram_send(chat.h.fake.telegram_update(int(chat.user), voice={**note, "file_size": len(data)}))
    return chat.wait_new(before, what=file_id, timeout=90)


def zalo_voice(chat: Chat, name: str, data: bytes) -> Answer:
    chat.h.fake.files[name] = data
    before = len(chat.delivered())
    event = chat.h.fake.zalo_event(str(chat.user), event="message.voice.received")
    event["message"]["voice_url"] = f"{chat.h.fake.url}/media/{name}"
    chat.h.fake.push_zalo(event)
    return chat.wait_new(before, what=name, timeout=90)


def send_voice(chat: Chat, name: str, clip: tuple[bytes, str]) -> Answer:
    """Telegram records OGG/Opus (and says the duration); Zalo AAC behind a URL."""
    if chat.platform == "telegram":
        return telegram_voice(chat, name, clip[0], duration=5)
    return zalo_voice(chat, f"{name}.aac", clip[1])


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
def test_voice_question_is_heard_echoed_and_answered(make_harness, clips, platform: str) -> None:
    h = make_harness("polling", real=True)
    chat = Chat(h, platform, 7101 if platform == "telegram" else "zq-7101")
    said = clips["tet"][1]
    answer = send_voice(chat, "VQ1", (clips["tet"][0], clips["tet_aac"]))
    assert word_error_rate(said, heard_in(answer)) <= 0.2, answer.text
    assert any(RETYPE in label for label in answer.choices)  # type it instead: a button
    with Session(h.engine) as session:
        assert session.exec(select(QuestionLog)).one().question == heard_in(answer)
    retyped = chat.choose(answer, RETYPE)
    assert "gõ lại câu hỏi" in retyped.text


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
def test_voice_note_in_a_report_joins_the_description(make_harness, clips, platform: str) -> None:
    h = make_harness("polling", real=True, routing_embeddings=False)
    code = add_official(h, name="Lò Văn Hùng", commune="Xã Mường Chà")
    chat = Chat(h, platform, 7201 if platform == "telegram" else "zv-501")
    register(chat, code)
    chat.say("/baocao" if platform == "telegram" else "baocao")
    said = clips["contest"][1]
    data = clips["contest_opus"] if platform == "telegram" else clips["contest"][0]
    taken = send_voice(chat, "BC1", (clips["contest_opus"], clips["contest"][0]))
    heard = heard_in(taken)
    assert word_error_rate(said, heard) <= 0.2, taken.text
    departments = chat.choose(taken, "Xong")
    chosen = next(label for label in departments.choices if label != "Không rõ")
    summary = chat.choose(chat.choose(departments, chosen), "Bỏ qua")
    assert heard in summary.text
    chat.choose(summary, "Gửi")
    with Session(h.engine) as session:
        blocker = session.exec(select(Blocker)).one()
        [row] = session.exec(select(BlockerAttachment)).all()
    assert blocker.description == heard
    assert (row.extraction, row.extracted_text) == (ExtractionStatus.done, heard)
    assert (h.settings.uploads_dir / row.path).read_bytes() == data  # the recording stays attached


def test_telegram_note_over_two_minutes_is_refused_before_download(make_harness) -> None:
    h = make_harness("polling", real=True)
    chat = Chat(h, "telegram", 7102)
    answer = telegram_voice(chat, "VQ-long", b"OggS" + b"\0" * 64, duration=150)
    assert "dài quá 2 phút" in answer.text
    assert not [c for c in h.fake.calls_to("telegram", "getFile") if c.params.get("file_id") == "VQ-long"]


def test_without_transcription_the_official_is_asked_to_type(make_harness, clips) -> None:
    h = make_harness("polling", real=True, voice_transcription="off")
    chat = Chat(h, "telegram", 7103)
    answer = telegram_voice(chat, "VQ-off", clips["tet"][0], duration=5)
    assert "chưa bật nghe ghi âm" in answer.text and "gõ câu hỏi" in answer.text
    assert not h.fake.calls_to("telegram", "getFile")  # nothing fetched that nobody can hear
