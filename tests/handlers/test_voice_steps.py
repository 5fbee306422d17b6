"""A voice note in every dialog step, through the real Dispatcher: what the media step heard
(Attachment.text / .reading, as the inbound worker hands it over) is taken as typed text, a
spoken choice presses its button, and steps that cannot use a note say so, losing nothing."""

from __future__ import annotations

import pytest
from report_support import command
from sqlmodel import Session, select
from test_media_dialogs import engines, incoming, unread, voice

from core.models import Blocker, Conversation
from core.settings import Settings
from handlers import texts
from handlers.commands import parse_spoken_number
from handlers.dispatch import Dispatcher
from handlers.media import Context, dialog_context

CHANNELS = ["telegram", "zalo"]
DESCRIPTION = "Kho bạc chưa mở tài khoản cho xã mới sau sáp nhập, xã không rút được kinh phí chi lương."


def say(chat, text: str, reading: str = "ok") -> None:  # type: ignore[no-untyped-def]
    chat.send(attachments=(voice(text=text, reading=reading, channel=chat.channel.value),))


def to_department_step(chat) -> None:  # type: ignore[no-untyped-def]
    command(chat, "baocao")
    chat.send(DESCRIPTION)
    chat.press("Xong")


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_whole_report_can_be_finished_by_voice(open_chat, session: Session, channel: str) -> None:
    chat = open_chat(channel)
    to_department_step(chat)
    first = chat.labels[0]
    say(chat, first.lower())  # the department's name, as the model writes it (lowercase)
    assert chat.text.startswith(f"Tôi nghe được: «{first.lower()}»") and texts.ASK_FIELD in chat.text
    say(chat, "tài chính ngân sách xã")  # the optional field: a free text step
    assert chat.text.startswith("Tôi nghe được: «tài chính ngân sách xã»")
    assert "tài chính ngân sách xã" in chat.text and "Gửi" in chat.labels  # the summary
    say(chat, "gửi")
    blocker = session.exec(select(Blocker)).one()
    assert blocker.field == "tài chính ngân sách xã" and blocker.description == DESCRIPTION
    assert blocker.code in chat.text and chat.text.startswith("Tôi nghe được: «gửi»")


@pytest.mark.parametrize(("spoken", "label"), [("hai", 1), ("số một", 0), ("chọn số 2", 1)])
def test_a_spoken_number_presses_that_choice(open_chat, session: Session, spoken: str, label: int) -> None:
    chat = open_chat("zalo")
    to_department_step(chat)
    chosen = chat.labels[label]
    say(chat, spoken)
    assert texts.ASK_FIELD in chat.text
    say(chat, "bỏ qua")
    assert chosen in chat.text  # the summary names the department spoken by number


def test_a_choice_step_that_hears_no_choice_asks_to_tap_and_keeps_the_report(
    open_chat, session: Session
) -> None:
    chat = open_chat("telegram")
    to_department_step(chat)
    shown = list(chat.labels)
    say(chat, "tôi cũng không biết nữa")
    assert chat.text.startswith("Tôi nghe được: «tôi cũng không biết nữa»")
    assert texts.VOICE_NO_MATCHING_CHOICE in chat.text
    assert chat.labels == shown  # the same choices again
    state = session.exec(select(Conversation)).one()
    assert (state.flow, state.step) == ("rp", "department") and DESCRIPTION in state.data["parts"]
    chat.press(shown[0])  # still works
    assert texts.ASK_FIELD in chat.text


@pytest.mark.parametrize(
    ("reading", "says"),
    [("unavailable", "chưa bật nghe ghi âm"), ("busy", "đang bận"), ("empty", "không nghe rõ")],
)
def test_a_note_not_heard_in_a_step_asks_to_type_and_loses_nothing(
    open_chat, session: Session, reading: str, says: str
) -> None:
    chat = open_chat("telegram")
    to_department_step(chat)
    chat.press(chat.labels[0])
    say(chat, "", reading=reading)
    assert says in chat.text and "gõ bằng chữ" in chat.text and "giữ nguyên" in chat.text
    state = session.exec(select(Conversation)).one()
    assert state.step == "field" and state.data["department"]
    chat.send("Đất đai")  # typing goes on from the same step
    assert "Đất đai" in chat.text and "Gửi" in chat.labels


def test_the_invite_code_is_never_taken_from_a_voice_note(make_chat, real_dispatcher, invite_code) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send("/dangky")
    assert chat.text == texts.ASK_CODE
    say(chat, invite_code.lower())
    assert chat.text == texts.VOICE_TYPE_CODE
    chat.send(invite_code)  # still in the code step: the typed code registers
    assert "Xã Phú Bình" in chat.text


def test_a_spoken_command_works_in_a_step(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    to_department_step(chat)
    chat.press(chat.labels[0])
    say(chat, "hủy")
    assert chat.text == f"Tôi nghe được: «hủy»\n\n{texts.REPORT_CANCELLED}"
    assert session.exec(select(Conversation)).one().flow == ""
    assert session.exec(select(Blocker)).all() == []


def test_notes_in_steps_are_fetched_only_where_they_can_be_used(
    settings: Settings, session: Session, guidance, open_chat, clock
) -> None:
    dispatcher = Dispatcher(settings=settings, knowledge=guidance, engines=engines(), clock=clock)  # type: ignore[arg-type]
    chat = open_chat("telegram")
    to_department_step(chat)
    note = unread(voice())
    where = dialog_context(session, incoming(note), settings=settings, now=clock())
    assert where.context == Context.step
    assert dispatcher.attachments_wanted(session, incoming(note)) == [True]
    off = Dispatcher(settings=settings, knowledge=guidance, engines=engines(voice_on=False), clock=clock)  # type: ignore[arg-type]
    assert off.attachments_wanted(session, incoming(note)) == [False]


def test_the_code_step_never_fetches_a_note(
    settings: Settings, session: Session, make_chat, real_dispatcher, clock
) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send("/dangky")
    note = unread(voice())
    where = dialog_context(session, incoming(note), settings=settings, now=clock())
    assert where.context == Context.none


@pytest.mark.parametrize(
    ("said", "number"),
    [("hai", 2), ("Số ba", 3), ("chọn số 4", 4), ("mười", 10), ("2", 2), ("hai con mèo", None), ("", None)],
)
def test_spoken_numbers(said: str, number: int | None) -> None:
    assert parse_spoken_number(said) == number


# --- a voice note with a typed caption --------------------------------------------------------

ALL = ["telegram", "zalo", "web"]  # the caption: Telegram's and Zalo's, the web chat's box


def say_with_caption(chat, caption: str, heard: str, reading: str = "ok"):  # type: ignore[no-untyped-def]
    note = voice(text=heard, reading=reading, channel=chat.channel.value)
    return chat.send(caption, attachments=(note,))


@pytest.mark.parametrize("channel", ALL)
def test_a_captioned_note_in_a_text_step_gives_the_caption_then_what_was_said(
    open_chat, session: Session, channel: str
) -> None:
    chat = open_chat(channel)
    to_department_step(chat)
    chat.press(chat.labels[0])
    say_with_caption(chat, "Đất đai", "đất nông nghiệp giao cho hộ gia đình")
    assert chat.text.startswith("Tôi nghe được: «đất nông nghiệp giao cho hộ gia đình»")
    assert "Gửi" in chat.labels  # the summary: the field was taken
    chat.press("Gửi")
    blocker = session.exec(select(Blocker)).one()
    assert blocker.field == "Đất đai\nđất nông nghiệp giao cho hộ gia đình"  # caption first


@pytest.mark.parametrize("channel", ALL)
def test_a_captioned_note_not_heard_in_a_text_step_uses_the_caption_and_says_why(
    open_chat, session: Session, channel: str
) -> None:
    chat = open_chat(channel)
    to_department_step(chat)
    chat.press(chat.labels[0])
    say_with_caption(chat, "Đất đai", "", reading="busy")
    assert chat.text.startswith(texts.voice_not_used("busy")) and "đang bận" in chat.text
    assert "Gửi" in chat.labels
    state = session.exec(select(Conversation)).one()
    assert (state.step, state.data["field"]) == ("confirm", "Đất đai")


@pytest.mark.parametrize("channel", ALL)
def test_in_a_choice_step_the_caption_decides_and_the_note_is_said_unheard(
    open_chat, session: Session, channel: str
) -> None:
    chat = open_chat(channel)
    to_department_step(chat)
    second = chat.labels[1]
    chat.send("2", attachments=(unread(voice(channel=channel)),))  # not downloaded, not heard
    assert chat.text.startswith(texts.VOICE_CAPTION_DECIDES) and texts.ASK_FIELD in chat.text
    assert "Tôi nghe được" not in chat.text
    chat.send("Đất đai")
    assert second in chat.text  # the department the caption chose


def test_the_code_step_takes_a_typed_caption_and_says_the_note_was_not_heard(
    make_chat, real_dispatcher, invite_code
) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send("/dangky")
    chat.send(invite_code, attachments=(unread(voice()),))
    assert chat.text.startswith(texts.VOICE_CODE_TYPED) and "Xã Phú Bình" in chat.text


async def test_a_captioned_note_is_heard_in_a_text_step_and_never_in_a_choice_step(
    settings: Settings, session: Session, guidance, open_chat, clock
) -> None:
    media = engines()
    dispatcher = Dispatcher(settings=settings, knowledge=guidance, engines=media, clock=clock)  # type: ignore[arg-type]
    chat = open_chat("telegram")
    to_department_step(chat)
    note = voice(text="", reading="")
    stored = settings.uploads_dir / note.file_ref
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"OggS fake audio")
    captioned = incoming(unread(note), text="2")
    assert dispatcher.attachments_wanted(session, captioned) == [False]  # the caption decides
    assert dispatcher.attachments_wanted(session, incoming(unread(note))) == [True]  # uncaptioned
    read = await dispatcher.read_media(session.get_bind(), incoming(note, text="2"))  # type: ignore[arg-type]
    assert read.attachments[0].reading == "" and media.transcriber.heard == []  # type: ignore[attr-defined]
    chat.press(chat.labels[0])  # the optional field: a text step
    assert dispatcher.attachments_wanted(session, incoming(unread(note), text="Đất đai")) == [True]
    read = await dispatcher.read_media(session.get_bind(), incoming(note, text="Đất đai"))  # type: ignore[arg-type]
    assert read.attachments[0].reading == "ok" and media.transcriber.heard == [b"OggS fake audio"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("channel", ALL)
@pytest.mark.parametrize(("heard", "reading"), [("thủ tục đăng ký khai sinh", "ok"), ("", "busy")])
def test_outside_a_dialog_a_command_caption_acts_and_the_note_is_not_dropped_silently(
    open_chat, channel: str, heard: str, reading: str
) -> None:
    chat = open_chat(channel)
    say_with_caption(chat, "/menu", heard, reading=reading)
    assert texts.voice_beside_command(heard) in chat.text  # said, not dropped
    if heard:
        assert f"«{heard}»" in chat.text  # what was heard, so it can be sent again
    assert chat.labels  # the command acted: the menu is shown


@pytest.mark.parametrize("channel", ALL)
def test_a_spoken_command_in_a_step_is_used_not_reported_unused(open_chat, channel: str) -> None:
    chat = open_chat(channel)
    to_department_step(chat)
    say(chat, "hủy")
    assert texts.voice_beside_command("hủy") not in chat.text
    assert texts.VOICE_BESIDE_COMMAND not in chat.text
