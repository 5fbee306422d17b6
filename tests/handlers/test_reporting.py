"""The reporting dialog and /cuatoi through the real Dispatcher, as an official would chat:
buttons on Telegram, numbers typed on Zalo."""

from __future__ import annotations

import re

import pytest
from report_support import command, other_official, outbox_for, send_as_proposed, staff_user
from sqlmodel import Session, select

from blockers import lifecycle
from bot.channel import Attachment
from core.models import (
    Blocker,
    BlockerAttachment,
    BlockerFollower,
    BlockerMessage,
    BlockerStatus,
    ChatAccount,
    MessageKind,
    QuestionLog,
)
from handlers.dispatch import Dispatcher

CHANNELS = ["telegram", "zalo"]
RECEIPT_DEADLINE = re.compile(r"Hạn trả lời: \d{2}/\d{2}/\d{4}")


@pytest.mark.parametrize("channel", CHANNELS)
def test_report_a_blocker_end_to_end(open_chat, session: Session, channel: str) -> None:
    chat = open_chat(channel)
    command(chat, "baocao")
    assert "mô tả vướng mắc" in chat.text and "Xong" in chat.labels
    chat.send("Kho bạc chưa mở tài khoản cho xã mới sau sáp nhập,")
    assert "Đã ghi nhận" in chat.text
    chat.send("nên xã không rút được kinh phí chi lương tháng 7.")
    chat.send(attachments=(Attachment(kind="photo", file_ref=f"inbound/{channel}/1-1-anh.jpg", size=2048),))
    assert "Đã nhận tệp" in chat.text
    chat.press("Xong")
    assert chat.labels[-1] == "Không rõ" and len(chat.labels) == 4
    assert "Sở Tài chính" in chat.labels[:3]
    chat.press("Sở Tài chính")
    assert "Lĩnh vực" in chat.text
    chat.send("Ngân sách")
    assert "Kiểm tra lại" in chat.text and "Sở Tài chính" in chat.text and "Ngân sách" in chat.text
    chat.press("Gửi")
    blocker = session.exec(select(Blocker)).one()
    assert f"Mã: {blocker.code}" in chat.text and "Cơ quan xử lý: Sở Tài chính" in chat.text
    assert RECEIPT_DEADLINE.search(chat.text)
    assert blocker.description.startswith("Kho bạc chưa mở") and "tháng 7" in blocker.description
    assert (
        blocker.department_code == "TC" and blocker.field == "Ngân sách" and blocker.commune == "Xã Phú Bình"
    )
    assert blocker.route_scores and blocker.route_scores[0]["department"] == "TC"
    [attachment] = session.exec(select(BlockerAttachment)).all()
    assert attachment.path == f"inbound/{channel}/1-1-anh.jpg"
    account = session.get(ChatAccount, blocker.account_id)
    assert account is not None and account.channel == channel
    assert any(blocker.code in m.text for m in outbox_for(session, "-100777"))  # TC's group


@pytest.mark.parametrize("channel", CHANNELS)
def test_edit_department_to_unsure_sends_it_to_triage(open_chat, session: Session, channel: str) -> None:
    chat = open_chat(channel)
    command(chat, "baocao")
    chat.send("Nhiều văn bản chỉ đạo giao xã thực hiện nhưng không ghi rõ cơ quan nào hướng dẫn.")
    chat.press("Xong")
    chat.press(chat.labels[0])
    chat.press("Bỏ qua")
    chat.press("Sửa")
    chat.press("Đổi cơ quan")
    chat.press("Không rõ")
    assert "Văn phòng UBND tỉnh" in chat.text and "(không ghi)" in chat.text
    chat.press("Gửi")
    assert session.exec(select(Blocker)).one().department_code == "VP"


def test_attachments_refused_with_a_reason(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send(
        attachments=(
            Attachment(
                kind="document",
                file_ref="inbound/telegram/2-1-setup.exe",
                filename="setup.exe",
                content_type="application/x-msdownload",
                size=10,
            ),
        )
    )
    assert "Không nhận tệp «setup.exe»" in chat.text and "PDF" in chat.text
    chat.send(attachments=(Attachment(kind="rejected", file_ref="", filename="video.mp4", size=90_000_000),))
    assert "tệp quá lớn" in chat.text and "video.mp4" in chat.text
    chat.send(
        attachments=(
            Attachment(
                kind="document",
                file_ref="inbound/telegram/3-1-bang-ke.xlsx",
                filename="bang-ke.xlsx",
                content_type="",
                size=5000,
            ),
        )
    )
    assert "Đã nhận tệp «bang-ke.xlsx»" in chat.text
    chat.press("Xong")
    assert "chưa mô tả" in chat.text  # files alone do not describe a blocker
    chat.send("Bảng kê tài sản dôi dư của 3 xã cũ chưa biết xử lý thế nào.")
    chat.press("Xong")
    chat.press(chat.labels[0])
    chat.press("Bỏ qua")
    assert "bang-ke.xlsx" in chat.text and "setup.exe" not in chat.text
    chat.press("Gửi")
    assert [a.filename for a in session.exec(select(BlockerAttachment))] == ["bang-ke.xlsx"]


def test_unanswered_question_is_carried_into_the_report(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    chat.send("Kinh phí sửa trụ sở xã sau sáp nhập lấy từ đâu?")
    chat.press("Gửi vướng mắc")
    assert "Kinh phí sửa trụ sở xã" in chat.text
    chat.press("Xong")
    chat.press("Sở Tài chính")
    chat.press("Bỏ qua")
    chat.press("Gửi")
    blocker = session.exec(select(Blocker)).one()
    log = session.exec(select(QuestionLog)).one()
    assert blocker.source_question_id == log.id and log.blocker_id == blocker.id


@pytest.mark.parametrize("channel", CHANNELS)
def test_duplicate_is_followed_and_the_answer_reaches_the_follower(
    open_chat, session: Session, channel: str
) -> None:
    other, other_account = other_official(session)
    existing = lifecycle.file_blocker(
        session,
        account=other_account,
        person=other,
        department_code="DTTG",
        description=(
            "Hộ nghèo không có khả năng đối ứng để làm nhà trong chương trình xóa nhà tạm, nhà dột nát."
        ),
    )
    session.commit()
    chat = open_chat(channel)
    command(chat, "baocao")
    chat.send(
        "Nhiều hộ không có tiền đối ứng nên chưa làm được nhà theo chương trình xóa nhà tạm, nhà dột nát."
    )
    chat.press("Xong")
    assert existing.code in chat.text and f"Theo dõi {existing.code}" in chat.labels
    chat.press(f"Theo dõi {existing.code}")
    assert "đang theo dõi" in chat.text
    assert session.exec(select(Blocker)).all() == [existing]  # no duplicate filed
    assert session.exec(select(BlockerFollower)).one().blocker_id == existing.id

    lifecycle.reply(
        session,
        blocker=existing,
        user=staff_user(session, "DTTG"),
        text="Huy động Quỹ Vì người nghèo hỗ trợ phần đối ứng.",
    )
    session.commit()
    mine = session.exec(
        select(ChatAccount).where(ChatAccount.channel == channel, ChatAccount.user_id == "u1")
    ).one()
    [answer] = outbox_for(session, mine.chat_id)
    assert "Quỹ Vì người nghèo" in answer.text and answer.account_id == mine.id


@pytest.mark.parametrize("channel", CHANNELS)
def test_answer_rating_and_my_reports(open_chat, session: Session, channel: str) -> None:
    chat = open_chat(channel)
    command(chat, "cuatoi")
    assert "chưa gửi" in chat.text
    command(chat, "baocao")
    chat.send("Xã chưa có con dấu mới sau sáp nhập, đăng ký mẫu con dấu ở đâu?")
    chat.press("Xong")
    chat.press(chat.labels[0])
    chat.press("Bỏ qua")
    chat.press("Gửi")
    blocker = session.exec(select(Blocker)).one()
    staff = staff_user(session, blocker.department_code)
    lifecycle.request_info(session, blocker=blocker, user=staff, text="Xã gửi quyết định thành lập xã mới.")
    session.commit()
    account = session.get(ChatAccount, blocker.account_id)
    assert account is not None
    [asked] = outbox_for(session, account.chat_id)
    assert "Xã gửi quyết định thành lập" in asked.text and asked.channel == channel

    command(chat, "cuatoi")
    assert blocker.code in chat.text and "Cần bổ sung thông tin" in chat.text
    chat.press(chat.labels[0])
    assert "Diễn biến" in chat.text and "Xã gửi quyết định thành lập" in chat.text
    assert "Gửi tới Công an tỉnh" in chat.text or "Gửi tới Sở" in chat.text
    chat.press("Bổ sung thông tin")
    chat.send("Đã có Nghị quyết 1683/NQ-UBTVQH15 về sắp xếp đơn vị hành chính.")
    assert "Đã chuyển nội dung bổ sung" in chat.text
    chat.send(
        attachments=(Attachment(kind="document", file_ref="inbound/x/nq.pdf", filename="nq.pdf", size=100),)
    )
    chat.press("Xong")
    session.refresh(blocker)
    assert blocker.status == BlockerStatus.in_progress
    official = [m for m in session.exec(select(BlockerMessage)) if m.kind == MessageKind.official]
    assert len(official) == 3 and "1683" in official[1].text
    assert session.exec(select(BlockerAttachment)).one().filename == "nq.pdf"

    lifecycle.reply(
        session, blocker=blocker, user=staff, text="Công an tỉnh cấp mẫu dấu trong 3 ngày làm việc."
    )
    session.commit()
    answer = outbox_for(session, account.chat_id)[-1]
    assert [b["label"] for b in answer.buttons] == ["Đã giải quyết được", "Chưa được"]
    payload = answer.buttons[0]["payload"]
    chat.send(payload=payload) if channel == "telegram" else chat.send(text="1")
    assert "đã giải quyết" in chat.text
    session.refresh(blocker)
    assert blocker.rating == "solved"


def test_unregistered_cannot_report(make_chat, real_dispatcher: Dispatcher, catalogue: None) -> None:
    chat = make_chat("telegram", via=real_dispatcher)
    chat.send("/baocao")
    assert "đã đăng ký" in chat.text


def test_cancel_leaves_nothing(open_chat, session: Session) -> None:
    chat = open_chat("zalo")
    command(chat, "baocao")
    chat.send("Trạm y tế xã thiếu bác sĩ.")
    chat.press("Hủy")
    assert "hủy" in chat.text.lower()
    assert session.exec(select(Blocker)).all() == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_command_in_the_middle_of_a_report_keeps_it_as_a_draft(
    open_chat, session: Session, clock, channel
) -> None:
    chat = open_chat(channel)
    command(chat, "baocao")
    chat.send("Trạm y tế xã mới chưa có bác sĩ sau sáp nhập,")
    chat.send(attachments=(Attachment(kind="photo", file_ref=f"inbound/{channel}/9-1-tram.jpg", size=900),))
    command(chat, "cuatoi")
    assert "Lưu nháp" in chat.labels and "Hủy báo cáo" in chat.labels  # nothing dropped silently
    chat.press("Lưu nháp")
    assert "Đã lưu nháp" in chat.text and "chưa gửi" in chat.text  # then /cuatoi ran
    clock.advance(minutes=20)
    command(chat, "baocao")
    assert "Trạm y tế xã mới" in chat.text and "Tiếp tục soạn" in chat.labels
    chat.press("Tiếp tục soạn")
    assert "1 tệp" in chat.text
    chat.send("người dân phải lên huyện cũ khám.")
    chat.press("Xong")
    send_as_proposed(chat)
    blocker = session.exec(select(Blocker)).one()
    assert "chưa có bác sĩ" in blocker.description and "huyện cũ" in blocker.description
    assert session.exec(select(BlockerAttachment)).one().path == f"inbound/{channel}/9-1-tram.jpg"


def test_a_dropped_report_is_gone_and_an_old_draft_is_not_offered(open_chat, session: Session, clock) -> None:
    chat = open_chat("telegram")
    command(chat, "baocao")
    chat.send("Mô tả đầu tiên về vướng mắc đất đai.")
    command(chat, "hoi")
    chat.press("Hủy báo cáo")
    assert "chưa được gửi" in chat.text and "gõ câu hỏi" in chat.text
    command(chat, "baocao")
    assert "Tiếp tục soạn" not in chat.labels and "mô tả vướng mắc" in chat.text
    chat.send("Mô tả thứ hai, lưu nháp rồi để quá lâu.")
    command(chat, "cuatoi")
    chat.press("Lưu nháp")
    clock.advance(minutes=31)  # past the idle period: the draft is no longer kept
    command(chat, "baocao")
    assert "Tiếp tục soạn" not in chat.labels and "mô tả vướng mắc" in chat.text
