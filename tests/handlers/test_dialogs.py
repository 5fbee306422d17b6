"""Dialogs at the Dispatcher level, run on every channel (telegram, zalo, zalo_oa, web).

On Zalo `chat.press` types the button's number, so the numbered-choice path is exercised
wherever a channel has no buttons."""

from __future__ import annotations

import pytest
from sqlmodel import select

from blockers import lifecycle, payloads
from core.models import BlockerEvent, ChatAccount, Conversation, Department, EventKind, Feedback, QuestionLog
from core.outbox import enqueue_to_account

ALL_CHANNELS = ["telegram", "zalo", "zalo_oa", "web"]


def test_start_unregistered_explains_how_to_register(chat):
    chat.send("/start")
    assert "chưa đăng ký" in chat.text
    assert "mã đăng ký" in chat.text
    assert "Nhập mã đăng ký" in chat.labels
    if chat.channel == "telegram":
        assert "@request_contact" in chat.payloads
        assert "Chia sẻ số điện thoại" in chat.text
    else:  # only Telegram can share a contact
        assert "@request_contact" not in chat.payloads


def test_register_by_code_typed_after_button(chat, make_chat, session, invite_code, official):
    chat.send("/start")
    chat.press("Nhập mã đăng ký")
    assert "gõ mã đăng ký" in chat.text
    chat.send(f"{invite_code[:4]}-{invite_code[4:].lower()}")  # as read off paper
    assert "Đăng ký thành công" in chat.text
    assert official.name in chat.text
    account = session.exec(select(ChatAccount)).one()
    assert account.person_id == official.id
    # the code is spent: another account cannot reuse it
    other = make_chat(chat.channel.value, user_id="u2")
    other.send(f"/dangky {invite_code}")
    assert "không đúng hoặc đã được dùng" in other.text


def test_wrong_code_keeps_asking_then_cancel(chat, invite_code):
    chat.send("/dangky")
    chat.send("ZZZZ-9999")
    assert "không đúng" in chat.text
    chat.send(invite_code)  # a second try in the same step works
    assert "Đăng ký thành công" in chat.text


def test_bare_code_from_unregistered_user_registers(chat, invite_code):
    chat.send(invite_code)
    assert "Đăng ký thành công" in chat.text


def test_registered_start_greets_by_name_with_menu(chat, invite_code, official):
    chat.register(invite_code)
    chat.send("/start")
    assert official.name in chat.text
    assert chat.labels == ["Hỏi thủ tục", "Báo vướng mắc", "Vướng mắc của tôi", "Trợ giúp"]


def test_unregistered_may_ask_but_not_report(chat, guidance, reporting):
    chat.send("Hồ sơ đăng ký thường trú gồm những gì?")
    assert "Luật Cư trú" in chat.text
    assert guidance.questions == ["Hồ sơ đăng ký thường trú gồm những gì?"]
    chat.send("/baocao")
    assert "Chỉ cán bộ đã đăng ký" in chat.text
    assert "mã đăng ký" in chat.text
    assert reporting.started == []


@pytest.mark.parametrize("channel", ALL_CHANNELS)
def test_questions_closed_to_unregistered_when_configured(
    channel, make_chat, make_dispatcher, session, guidance, invite_code
):
    chat = make_chat(channel, via=make_dispatcher(allow_unregistered_questions=False))
    chat.send("Hồ sơ đăng ký thường trú gồm những gì?")
    assert "chỉ phục vụ cán bộ đã đăng ký" in chat.text
    assert guidance.questions == []
    assert session.exec(select(QuestionLog)).all() == []
    chat.register(invite_code)
    chat.send("Hồ sơ đăng ký thường trú gồm những gì?")
    assert "Luật Cư trú" in chat.text


def test_grounded_answer_with_feedback_and_full_text(chat, session):
    chat.send("Đăng ký thường trú cần giấy tờ gì?")
    assert "Điều 21 khoản 1 Luật Cư trú" in chat.text
    assert chat.labels == ["Hữu ích", "Chưa đúng", "Xem toàn văn"]  # grounded: no hand-over
    assert all(len(p.encode()) <= 64 for p in chat.payloads)
    log = session.exec(select(QuestionLog)).one()
    assert log.grounded and log.channel == chat.channel.value
    assert log.sources[0]["chunk_id"] == "chunk-cu-tru-20-1"
    chat.press("Xem toàn văn")
    assert chat.text.startswith("Điều 21. Hồ sơ đăng ký thường trú")
    chat.send("Cảm ơn")
    assert "Rất vui" in chat.text


def test_feedback_is_stored_and_can_be_changed(chat, session):
    chat.send("Đăng ký thường trú cần giấy tờ gì?")
    answer = list(chat.replies)
    chat.press("Hữu ích")
    assert "Cảm ơn" in chat.text
    log = session.exec(select(QuestionLog)).one()
    session.refresh(log)
    assert log.feedback == Feedback.helpful and log.feedback_at is not None
    chat.replies = answer  # scroll back up and press the other one
    chat.press("Chưa đúng")
    session.refresh(log)
    assert log.feedback == Feedback.wrong
    assert "Gửi vướng mắc" in chat.labels  # offered after "Chưa đúng"


def test_not_grounded_offers_blocker_and_hands_question_over(chat, session, reporting, invite_code):
    chat.register(invite_code)
    chat.send("Kinh phí sửa trụ sở xã sau sáp nhập lấy từ đâu?")
    assert "Chưa tìm thấy hướng dẫn" in chat.text
    assert chat.labels == ["Hữu ích", "Chưa đúng", "Gửi vướng mắc"]  # no source, no full text
    log = session.exec(select(QuestionLog)).one()
    assert not log.grounded
    chat.press("Gửi vướng mắc")
    assert reporting.started == [("Kinh phí sửa trụ sở xã sau sáp nhập lấy từ đâu?", f"rp:q:{log.id}")]
    state = session.get(Conversation, log.account_id)
    assert state is not None and state.flow == "rp"
    chat.send("Trụ sở xuống cấp, cần sửa mái.")  # the open reporting dialog gets the text
    assert reporting.handled == ["Trụ sở xuống cấp, cần sửa mái."]


def test_unregistered_hand_over_is_refused_with_explanation(chat, reporting):
    chat.send("Kinh phí sửa trụ sở xã lấy từ đâu?")
    chat.press("Gửi vướng mắc")
    assert "Chỉ cán bộ đã đăng ký" in chat.text
    assert reporting.started == []


def test_someone_elses_question_is_a_stale_choice(chat, make_chat, session):
    chat.send("Đăng ký thường trú cần giấy tờ gì?")
    log = session.exec(select(QuestionLog)).one()
    intruder = make_chat(chat.channel.value, user_id="u9")
    intruder.send(payload=f"fb:{log.id}:w")
    assert "không còn hiệu lực" in intruder.text
    session.refresh(log)
    assert log.feedback is None


def test_unknown_payload_answers_clearly_with_menu(chat):
    chat.send(payload="zz:42")
    assert "không còn hiệu lực" in chat.text
    assert "Hỏi thủ tục" in chat.labels


def test_menu_numbers_work_on_every_channel(chat, invite_code, reporting):
    chat.register(invite_code)
    chat.send("/start")
    chat.send("2")  # "2. Báo vướng mắc"
    assert reporting.started == [("", "menu:report")]
    chat.send("/huy")
    assert "Đã hủy" in chat.text
    chat.send("9")
    assert "từ 1 đến 4" in chat.text
    chat.send("4")
    assert "/baocao" in chat.text  # help lists the commands
    assert "«Điều 27 Luật Cư trú»" in chat.text  # and that an article can be asked by number


def test_cancel_and_help(chat, invite_code, session):
    chat.send("/huy")
    assert "không có thao tác nào" in chat.text
    chat.register(invite_code)
    chat.send("/baocao")
    chat.send("/trogiup")  # help does not drop the open dialog
    assert "/huy" in chat.text
    account = session.exec(select(ChatAccount)).one()
    assert session.get(Conversation, account.id).flow == "rp"
    chat.send("/help")
    assert "Trợ lý thủ tục" in chat.text
    chat.send("/hoi")  # leaving the report for a question says the report was dropped
    assert [r.text for r in chat.replies] == [
        "Đã hủy thao tác đang làm.",
        "Mời anh/chị gõ câu hỏi về thủ tục (ví dụ: «Hồ sơ đăng ký thường trú gồm những gì?»).",
    ]
    chat.send("/baocao")
    chat.send("Hủy")
    assert "Đã hủy thao tác" in chat.text
    session.expire_all()
    assert session.get(Conversation, account.id).flow == ""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("huy", "không có thao tác nào"),
        ("Hủy", "không có thao tác nào"),
        ("HUỶ", "không có thao tác nào"),
        ("tro giup", "/baocao"),
        ("Trợ giúp", "/baocao"),
        ("bao cao", "Chỉ cán bộ đã đăng ký"),
        ("Báo cáo", "Chỉ cán bộ đã đăng ký"),
        ("cua toi", "Chỉ cán bộ đã đăng ký"),
        ("hoi", "Mời anh/chị gõ câu hỏi"),
        ("/hoi@TroLyBot", "Mời anh/chị gõ câu hỏi"),
        ("/xyz", "không có lệnh này"),
    ],
)
def test_commands_without_slash_or_diacritics(make_chat, typed, expected, guidance):
    chat = make_chat("zalo")
    chat.send(typed)
    assert expected in chat.text
    assert guidance.questions == []  # none of these was taken for a question


def test_ask_command_with_question_inline(chat, guidance):
    chat.send("/hoi đăng ký thường trú ở đâu")
    assert guidance.questions == ["đăng ký thường trú ở đâu"]
    assert "Luật Cư trú" in chat.text


def test_idle_dialog_expires_and_user_is_told(chat, clock, invite_code, guidance, session):
    chat.register(invite_code)
    chat.send("/baocao")
    clock.advance(minutes=29)
    chat.send("Trụ sở xuống cấp")  # still inside the dialog
    assert "Đã ghi" in chat.text
    clock.advance(minutes=31)
    chat.send("Đăng ký thường trú cần gì?")
    assert "quá lâu" in chat.replies[0].text
    assert "Luật Cư trú" in chat.replies[-1].text  # then handled as a fresh message
    account = session.exec(select(ChatAccount)).one()
    assert session.get(Conversation, account.id).flow == ""


def test_numbers_refer_to_the_last_list_even_hours_later(chat, clock, session):
    chat.send("Đăng ký thường trú cần gì?")  # buttons 1..3 under the answer
    clock.advance(hours=2)
    chat.send("2")  # still the last list on screen: "Chưa đúng"
    assert "Cảm ơn anh/chị đã báo câu trả lời chưa đúng" in chat.text
    assert session.exec(select(QuestionLog)).one().feedback == Feedback.wrong


def test_numbers_of_an_expired_dialog_are_dropped(chat, clock, invite_code, reporting):
    chat.register(invite_code)
    chat.send("/baocao")
    chat.send("1")
    assert reporting.handled == ["rp:dept:TC"]
    clock.advance(hours=1)
    chat.send("1")  # the dialog expired with its list: "1" is the main menu's first item
    assert "quá lâu" in chat.text and "Mời anh/chị gõ câu hỏi" in chat.text
    assert reporting.handled == ["rp:dept:TC"]


def test_notification_buttons_become_the_numbered_choices(make_chat, invite_code, official, session):
    chat = make_chat("zalo")
    chat.register(invite_code)
    account = session.exec(select(ChatAccount)).one()
    session.add(Department(code="TC", name="Sở Tài chính"))
    details = {"description": "Kho bạc chưa mở tài khoản", "department_code": "TC"}
    blocker = lifecycle.file_blocker(session, account=account, person=official, **details)
    enqueue_to_account(
        session,
        account,
        text=f"{blocker.code} đã được trả lời. Vướng mắc đã được giải quyết chưa?",
        buttons=payloads.rating_buttons(blocker.id),
    )
    session.commit()
    chat.send("2")  # "Chưa được": the second button of the notification, not of an older list
    rating = session.exec(select(BlockerEvent).where(BlockerEvent.kind == EventKind.rating)).one()
    assert rating.to_value == "not_solved" and rating.actor == f"account:{account.id}"
    assert "chưa được giải quyết" in chat.text


def test_flood_limit_warns_once_then_stays_silent(make_chat, make_dispatcher, clock, guidance):
    chat = make_chat("zalo", via=make_dispatcher(chat_messages_per_minute=3))
    for _ in range(3):
        chat.send("Đăng ký thường trú cần gì?")
        assert "Luật Cư trú" in chat.text
    chat.send("Đăng ký thường trú cần gì?")
    assert "quá nhiều tin nhắn" in chat.text
    chat.send("Đăng ký thường trú cần gì?")
    assert chat.replies == []
    assert len(guidance.questions) == 3
    clock.advance(seconds=61)
    chat.send("Đăng ký thường trú cần gì?")
    assert "Luật Cư trú" in chat.text


def test_photo_outside_a_report_is_explained(chat):
    chat.send_photo()
    assert "khi anh/chị đang báo vướng mắc" in chat.text
