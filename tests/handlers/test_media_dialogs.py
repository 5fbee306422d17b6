"""Voice notes and photographed papers in the dialogs, through the real Dispatcher: the media
step's result (Attachment.text / .reading) reaches the dialog as the inbound worker hands it
over; the step itself and the download screen are tested below with hand-written engines."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from report_support import command, send_as_proposed
from sqlmodel import Session, select

from blockers.search import search_text_for
from bot.channel import Attachment, ChannelName, Incoming
from core.models import Blocker, BlockerAttachment, ExtractionStatus, QuestionLog
from core.settings import Settings
from handlers import texts
from handlers.dispatch import Dispatcher
from handlers.media import Context, dialog_context
from knowledge.media.engines import MediaEngines
from knowledge.media.ocr import OcrResult, OcrStatus
from knowledge.media.speech import Transcript, TranscriptStatus
from knowledge.normalize import fold_key

HEARD = "hồ sơ đăng ký thường trú gồm những gì"
CHANNELS = ["telegram", "zalo"]


def voice(
    *, text: str = HEARD, reading: str = "ok", duration: int = 4, channel: str = "telegram"
) -> Attachment:
    return Attachment(
        kind="voice",
        file_ref=f"inbound/{channel}/9-1-ghi-am.ogg" if reading != "too_long" else "",
        filename="ghi-am-1.ogg",
        content_type="audio/ogg",
        size=9000,
        duration=duration,
        text=text if reading == "ok" else "",
        reading=reading,
    )


def photo(*, text: str = "", reading: str = "ok", name: str = "cong-van.jpg") -> Attachment:
    return Attachment(
        kind="photo",
        file_ref=f"inbound/telegram/9-1-{name}",
        filename=name,
        content_type="image/jpeg",
        size=50_000,
        text=text,
        reading=reading,
    )


# --- a voice note as a question -----------------------------------------------------------------


@pytest.mark.parametrize("channel", ["telegram", "zalo", "zalo_oa"])
def test_voice_question_is_echoed_answered_and_can_be_retyped(
    make_chat, real_dispatcher, session: Session, guidance, channel: str
) -> None:
    chat = make_chat(channel, via=real_dispatcher)
    chat.send(attachments=(voice(),))
    assert chat.text.startswith(f"Tôi nghe được: «{HEARD}»")
    assert "Điều 21 khoản 1 Luật Cư trú" in chat.text  # answered like the typed question
    assert guidance.questions == [HEARD]
    assert session.exec(select(QuestionLog)).one().question == HEARD
    assert chat.labels[-1] == texts.BUTTON_RETYPE and "Hữu ích" in chat.labels
    chat.press(texts.BUTTON_RETYPE)  # a button on Telegram, its number typed on Zalo
    assert chat.text == texts.RETYPE_PROMPT
    chat.send("Hồ sơ đăng ký thường trú cho người chưa thành niên?")
    assert "Điều 21 khoản 1" in chat.text and "Tôi nghe được" not in chat.text


@pytest.mark.parametrize(
    ("reading", "says"),
    [
        ("too_long", "dài quá 2 phút"),
        ("unavailable", "chưa bật nghe ghi âm"),
        ("empty", "không nghe rõ"),
        ("busy", "đang bận"),
        ("failed", "không nghe được ghi âm này"),
        ("not_fetched", "không nghe được ghi âm này"),
    ],
)
def test_voice_question_without_text_asks_to_type(
    make_chat, real_dispatcher, guidance, reading: str, says: str
) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send(attachments=(voice(reading=reading),))
    assert says in chat.text and "gõ" in chat.text
    assert guidance.questions == []  # nothing guessed


def test_voice_question_needs_admission_like_typed_questions(make_dispatcher, make_chat, guidance) -> None:
    closed = make_dispatcher(allow_unregistered_questions=False)
    chat = make_chat("telegram", via=closed)
    chat.send(attachments=(voice(),))
    assert texts.QUESTIONS_NEED_REGISTRATION in chat.text and guidance.questions == []


# --- a photographed paper as a question ------------------------------------------------------------

PAPER_TEXT = (
    "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH Thông báo về thủ tục đăng ký thường trú: giấy tờ chứng minh "
    "chỗ ở hợp pháp được nộp tại bộ phận một cửa của xã trong giờ hành chính các ngày làm việc "
    "trong tuần, trừ ngày lễ và ngày nghỉ theo quy định."
)


def test_photo_question_says_what_was_read_and_answers_from_it(make_chat, real_dispatcher, guidance) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send("hỏi thủ tục này làm thế nào", attachments=(photo(text=PAPER_TEXT),))
    assert chat.text.startswith("Trợ lý đọc được trong ảnh: «ỦY BAN NHÂN DÂN XÃ HÒA BÌNH")
    assert "…»" in chat.text.split("\n")[0]  # said back short
    assert "Điều 21 khoản 1" in chat.text
    [question] = guidance.questions
    assert question.startswith("hỏi thủ tục này làm thế nào\nỦY BAN") and "đăng ký thường trú" in question


@pytest.mark.parametrize(
    ("reading", "says"), [("empty", "không đọc được chữ"), ("failed", "không đọc được ảnh")]
)
def test_photo_question_unread_asks_to_type(
    make_chat, real_dispatcher, guidance, reading: str, says: str
) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send(attachments=(photo(reading=reading),))
    assert says in chat.text and guidance.questions == []


@pytest.mark.parametrize("reading", ["", "unavailable"])
def test_photo_without_a_reader_still_points_to_reporting(make_chat, real_dispatcher, reading: str) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send(attachments=(photo(reading=reading),))
    assert chat.text.startswith(texts.ATTACHMENT_OUTSIDE_REPORT)


# --- a voice note in a report -----------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_voice_in_report_joins_the_description_and_stays_attached(
    open_chat, session: Session, channel: str
) -> None:
    chat = open_chat(channel)
    command(chat, "baocao")
    said = "kho bạc chưa mở tài khoản cho xã mới nên xã không rút được kinh phí chi lương"
    chat.send(attachments=(voice(text=said, channel=channel),))
    assert f"Tôi nghe được: «{said}»" in chat.text and "Đã nhận tệp" not in chat.text
    chat.press("Xong")
    send_as_proposed(chat)
    blocker = session.exec(select(Blocker)).one()
    assert blocker.description == said
    [row] = session.exec(select(BlockerAttachment)).all()
    assert row.content_type == "audio/ogg" and row.path.endswith("ghi-am.ogg")
    assert (row.extraction, row.extracted_text) == (ExtractionStatus.done, said)
    assert row.extracted_at is not None


def test_voice_in_report_that_was_not_heard_is_kept_and_typing_asked(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send(attachments=(voice(reading="unavailable"),))
    assert "Đã đính kèm ghi âm" in chat.text and "chưa bật nghe ghi âm" in chat.text
    chat.press("Xong")
    assert texts.NEED_DESCRIPTION in chat.text  # nothing was heard: the official types it
    chat.send("Kho bạc chưa mở tài khoản cho xã mới sau sáp nhập, xã không chi được lương.")
    chat.press("Xong")
    send_as_proposed(chat)
    [row] = session.exec(select(BlockerAttachment)).all()
    assert row.extraction == ExtractionStatus.unavailable and row.extracted_text == ""


def test_voice_over_two_minutes_is_refused_in_a_report(open_chat) -> None:
    chat = open_chat("zalo")
    command(chat, "baocao")
    chat.send(attachments=(voice(reading="too_long", duration=150),))
    assert texts.VOICE_TOO_LONG_IN_REPORT in chat.text


def test_voice_and_typed_text_of_one_message_both_join_the_description(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send("Về kinh phí:", attachments=(voice(text="xã không chi được lương tháng bảy"),))
    chat.press("Xong")
    send_as_proposed(chat)
    assert (
        session.exec(select(Blocker)).one().description == "Về kinh phí:\nxã không chi được lương tháng bảy"
    )


# --- routing by what the photos say when the description is short --------------------------------

DECISION = (
    "QUYẾT ĐỊNH về việc phân bổ dự toán ngân sách, kinh phí chi thường xuyên, kho bạc nhà nước, "
    "thanh toán lương và phụ cấp cho cán bộ công chức xã"
)


def test_short_description_is_routed_by_the_text_read_from_its_photo(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send("Xem giúp công văn này")
    chat.send(attachments=(photo(reading="", name="qd.jpg"),))
    path = "inbound/telegram/9-1-qd.jpg"
    read = (Attachment("", path, "qd.jpg", text=DECISION, reading="ok"),)
    chat.send(payload="rp:done", read_files=read)  # what the media step read when "Xong" came
    assert chat.labels[0] == "Sở Tài chính"
    chat.press("Sở Tài chính")
    chat.press("Bỏ qua")
    chat.press("Gửi")
    blocker = session.exec(select(Blocker)).one()
    assert blocker.description == "Xem giúp công văn này" and blocker.route_scores[0]["department"] == "TC"
    [row] = session.exec(select(BlockerAttachment)).all()
    assert row.extraction == ExtractionStatus.done and row.extracted_text == DECISION  # not read twice
    assert fold_key("kho bạc nhà nước") in blocker.search_text
    assert blocker.search_text == search_text_for(blocker, [DECISION])


def test_photo_left_unread_is_pending_for_the_background_reader(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send("Kho bạc chưa mở tài khoản cho xã mới sau sáp nhập, xã không rút được kinh phí chi lương.")
    chat.send(attachments=(photo(reading="", name="qd.jpg"),))
    chat.press("Xong")
    send_as_proposed(chat)
    [row] = session.exec(select(BlockerAttachment)).all()
    assert row.extraction == ExtractionStatus.pending and row.extracted_at is None


# --- the download screen and the media step ----------------------------------------------------


@dataclass
class FakeTranscriber:
    available: bool = True
    heard: list[bytes] = field(default_factory=list)

    async def transcribe(self, data: bytes) -> Transcript:
        self.heard.append(data)
        return Transcript(TranscriptStatus.ok, text=f" {HEARD} ", audio_seconds=4.0)

    def transcribe_blocking(self, data: bytes) -> Transcript:
        raise AssertionError("the media step never blocks a thread on a note")

    def close(self) -> None:
        return None


class FakeReader:
    def __init__(self, *, available: bool = True) -> None:
        self.available = available
        self.read_files: list[str] = []

    async def read(self, data: bytes, *, content_type: str = "", filename: str = "") -> OcrResult:
        self.read_files.append(filename)
        return OcrResult(OcrStatus.ok, text=DECISION, pages=1, confidence=90.0)

    def close(self) -> None:
        return None


def engines(*, voice_on: bool = True, ocr_on: bool = True) -> MediaEngines:
    return MediaEngines(transcriber=FakeTranscriber(available=voice_on), reader=FakeReader(available=ocr_on))  # type: ignore[arg-type]


def incoming(*attachments: Attachment, user: str = "u1", **fields: object) -> Incoming:
    return Incoming(
        channel=ChannelName.telegram,
        chat_id=f"chat-{user}",
        user_id=user,
        message_id="m1",
        attachments=attachments,
        **fields,  # type: ignore[arg-type]
    )


def unread(attachment: Attachment, **changes: object) -> Attachment:
    from dataclasses import replace

    return replace(attachment, file_ref="", text="", reading="", **changes)  # type: ignore[arg-type]


def test_a_question_downloads_its_voice_note_only_when_it_can_be_heard(
    settings: Settings, session: Session, guidance
) -> None:
    note = unread(voice())
    on = Dispatcher(settings=settings, knowledge=guidance, engines=engines())  # type: ignore[arg-type]
    off = Dispatcher(settings=settings, knowledge=guidance, engines=engines(voice_on=False))  # type: ignore[arg-type]
    assert on.attachments_wanted(session, incoming(note)) == [True]
    assert off.attachments_wanted(session, incoming(note)) == [False]
    long_note = unread(voice(), duration=121)
    assert on.attachments_wanted(session, incoming(long_note)) == [False]  # refused before download
    # One voice note per question; a photo beside it is not fetched.
    assert on.attachments_wanted(session, incoming(note, unread(photo()))) == [True, False]
    assert on.attachments_wanted(session, incoming(unread(photo()))) == [True]
    no_ocr = Dispatcher(settings=settings, knowledge=guidance, engines=engines(ocr_on=False))  # type: ignore[arg-type]
    assert no_ocr.attachments_wanted(session, incoming(unread(photo()))) == [False]
    closed = settings.model_copy(update={"allow_unregistered_questions": False})
    shut = Dispatcher(settings=closed, knowledge=guidance, engines=engines())  # type: ignore[arg-type]
    assert shut.attachments_wanted(session, incoming(note)) == [False]


def test_a_report_downloads_voice_notes_even_without_transcription(
    open_chat, settings, guidance, session
) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    off = Dispatcher(
        settings=settings,
        knowledge=guidance,
        engines=engines(voice_on=False, ocr_on=False),
        clock=chat.dispatcher.clock,
    )  # type: ignore[arg-type]
    mine = incoming(unread(voice()), unread(voice(), duration=130), user=chat.user_id)
    assert (
        dialog_context(session, mine, settings=settings, now=chat.dispatcher.clock()).context
        == Context.describing
    )
    assert off.attachments_wanted(session, mine) == [True, False]  # kept in the report; too long


def test_media_step_hears_a_note_and_reads_a_photo_asked_about(settings: Settings, engine, guidance) -> None:
    folder = settings.uploads_dir / "inbound" / "telegram"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "9-1-ghi-am.ogg").write_bytes(b"OggS-note")
    (folder / "9-1-cong-van.jpg").write_bytes(b"jpeg-bytes")
    held = engines()
    dispatcher = Dispatcher(settings=settings, knowledge=guidance, engines=held)  # type: ignore[arg-type]
    heard = asyncio.run(dispatcher.read_media(engine, incoming(voice(text="", reading=""))))
    assert heard.attachments[0].text == HEARD and heard.attachments[0].reading == "ok"
    assert held.transcriber.heard == [b"OggS-note"]  # type: ignore[attr-defined]
    read = asyncio.run(dispatcher.read_media(engine, incoming(photo(reading=""))))
    assert (read.attachments[0].text, read.attachments[0].reading) == (DECISION, "ok")
    too_long = asyncio.run(dispatcher.read_media(engine, incoming(unread(voice(), duration=200))))
    assert too_long.attachments[0].reading == "too_long"
    typed = incoming()
    assert asyncio.run(dispatcher.read_media(engine, typed)) is typed  # no query for typed text


def test_media_step_reads_a_short_reports_photos_when_it_is_done(
    open_chat, settings: Settings, engine, guidance
) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send("Xem giúp công văn này")
    chat.send(attachments=(photo(reading="", name="qd.jpg"),))
    folder = settings.uploads_dir / "inbound" / "telegram"
    folder.mkdir(parents=True, exist_ok=True)
    Path(folder / "9-1-qd.jpg").write_bytes(b"jpeg")
    held = engines()
    dispatcher = Dispatcher(settings=settings, knowledge=guidance, engines=held, clock=chat.dispatcher.clock)  # type: ignore[arg-type]
    done = asyncio.run(dispatcher.read_media(engine, incoming(user=chat.user_id, payload="rp:done")))
    assert [(a.file_ref, a.text) for a in done.read_files] == [("inbound/telegram/9-1-qd.jpg", DECISION)]
    typed_done = asyncio.run(dispatcher.read_media(engine, incoming(user=chat.user_id, text="xong")))
    assert len(typed_done.read_files) == 1


def test_voice_note_added_to_a_filed_blocker_is_its_message_and_attachment(
    open_chat, session: Session
) -> None:
    from blockers import payloads
    from core.models import BlockerMessage

    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send("Kho bạc chưa mở tài khoản cho xã mới sau sáp nhập, xã không chi được lương.")
    chat.press("Xong")
    send_as_proposed(chat)
    blocker = session.exec(select(Blocker)).one()
    chat.send(payload=payloads.add_info(blocker.id or 0))
    said = "xã đã gửi hồ sơ mở tài khoản từ ngày mười lăm"
    chat.send(attachments=(voice(text=said),))
    assert f"Tôi nghe được: «{said}»" in chat.text
    messages = session.exec(select(BlockerMessage).where(BlockerMessage.blocker_id == blocker.id)).all()
    assert messages[-1].text == said
    [row] = session.exec(
        select(BlockerAttachment).where(BlockerAttachment.message_id == messages[-1].id)
    ).all()
    assert (row.extraction, row.extracted_text) == (ExtractionStatus.done, said)
    assert fold_key("ho so mo tai khoan") in session.get(Blocker, blocker.id).search_text  # type: ignore[union-attr]


@pytest.mark.parametrize("channel", ["telegram", "zalo", "web"])
def test_a_voice_question_with_a_caption_asks_the_caption_then_what_was_said(
    make_chat, real_dispatcher, session: Session, guidance, channel: str
) -> None:
    chat = make_chat(channel, via=real_dispatcher)
    chat.send("Hỏi giúp tôi:", attachments=(voice(channel=channel),))
    assert chat.text.startswith(f"Tôi nghe được: «{HEARD}»")
    assert guidance.questions == [f"Hỏi giúp tôi:\n{HEARD}"]  # the caption is not dropped either
    assert session.exec(select(QuestionLog)).one().question == f"Hỏi giúp tôi:\n{HEARD}"


def test_a_voice_question_with_a_caption_not_heard_asks_the_caption_and_says_why(
    make_chat, real_dispatcher, guidance
) -> None:
    chat = make_chat("zalo", via=real_dispatcher)
    chat.send(HEARD, attachments=(voice(reading="too_long"),))
    assert chat.text.startswith(texts.voice_not_used("too_long")) and "dài quá 2 phút" in chat.text
    assert guidance.questions == [HEARD] and "Điều 21 khoản 1" in chat.text
