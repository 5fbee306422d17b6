from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, col, select

from blockers import lifecycle
from blockers.attachments import StoredAttachment
from core.models import (
    BlockerAttachment,
    BlockerEvent,
    BlockerStatus,
    ChatAccount,
    Department,
    EventKind,
    OutboxMessage,
    Person,
    QuestionLog,
    User,
)

DESCRIPTION = "Kho bạc chưa mở tài khoản cho xã mới nên không rút được kinh phí chi lương tháng 7."


def outbox(session: Session, chat_id: str) -> list[OutboxMessage]:
    return list(
        session.exec(
            select(OutboxMessage).where(OutboxMessage.chat_id == chat_id).order_by(col(OutboxMessage.id))
        )
    )


@pytest.fixture
def filed(
    session: Session,
    departments: dict[str, Department],
    make_official: Callable[..., tuple[Person, ChatAccount]],
):
    person, account = make_official()
    blocker = lifecycle.file_blocker(
        session,
        account=account,
        person=person,
        description=DESCRIPTION,
        department_code="TC",
        field="Tài chính",
        attachments=[StoredAttachment(path="inbound/telegram/1-1-anh.jpg", filename="anh.jpg", size=1200)],
    )
    session.commit()
    return blocker, account


def test_file_blocker_stores_code_deadline_event_and_tells_the_department(session: Session, filed) -> None:
    blocker, account = filed
    assert blocker.code.startswith("VM-") and blocker.status == BlockerStatus.new
    assert blocker.commune == "Xã Phú Bình" and blocker.account_id == account.id
    assert blocker.deadline > blocker.created_at
    assert blocker.search_text and "kho bac" in blocker.search_text
    kinds = [e.kind for e in session.exec(select(BlockerEvent).where(BlockerEvent.blocker_id == blocker.id))]
    assert kinds == [EventKind.created]
    attachment = session.exec(select(BlockerAttachment)).one()
    assert attachment.content_type == "image/jpeg" and attachment.path.endswith("anh.jpg")
    [group] = outbox(session, "-1001")  # TC's group
    assert blocker.code in group.text and f"/inbox/blockers/{blocker.id}" in group.text


def test_reply_reaches_the_official_with_rating_buttons(session: Session, filed, staff: User) -> None:
    blocker, account = filed
    message = lifecycle.reply(
        session,
        blocker=blocker,
        user=staff,
        text="Xã liên hệ Kho bạc khu vực để mở tài khoản.",
        legal_basis="Thông tư 18/2020/TT-BTC",
    )
    session.commit()
    assert blocker.status == BlockerStatus.answered
    assert blocker.answered_at is not None and blocker.first_response_at is not None
    [sent] = outbox(session, account.chat_id)
    assert sent.account_id == account.id and sent.blocker_message_id == message.id
    assert (
        blocker.code in sent.text and "Sở Tài chính" in sent.text and "Thông tư 18/2020/TT-BTC" in sent.text
    )
    assert [b["payload"] for b in sent.buttons] == [f"rp:rate:{blocker.id}:y", f"rp:rate:{blocker.id}:n"]
    assert [b["label"] for b in sent.buttons] == ["Đã giải quyết được", "Chưa được"]


def test_followers_receive_the_answer_but_not_info_requests(
    session: Session, filed, staff: User, make_official: Callable[..., tuple[Person, ChatAccount]]
) -> None:
    blocker, account = filed
    _, follower = make_official(commune="Xã Điềm Thụy", channel="zalo", user_id="777")
    lifecycle.follow_blocker(session, blocker=blocker, account=follower)
    lifecycle.follow_blocker(session, blocker=blocker, account=follower)  # twice: one follower row
    lifecycle.request_info(
        session, blocker=blocker, user=staff, text="Xã gửi ảnh công văn đề nghị mở tài khoản."
    )
    assert blocker.status == BlockerStatus.need_info
    assert outbox(session, follower.chat_id) == []
    [asked] = outbox(session, account.chat_id)
    assert "cơ quan cần anh/chị bổ sung thông tin" in asked.text
    assert "Xã gửi ảnh công văn đề nghị mở tài khoản." in asked.text
    assert asked.buttons == [{"label": "Bổ sung thông tin", "payload": f"my:add:{blocker.id}"}]
    lifecycle.add_official_message(
        session, blocker=blocker, account=account, text="Đã gửi công văn số 12/UBND."
    )
    assert blocker.status == BlockerStatus.in_progress
    lifecycle.reply(session, blocker=blocker, user=staff, text="Đã đề nghị Kho bạc mở tài khoản trong tuần.")
    session.commit()
    [answer] = outbox(session, follower.chat_id)
    assert answer.channel == "zalo" and "Đã đề nghị Kho bạc" in answer.text


def test_transfer_requires_a_reason_and_restarts_the_deadline(session: Session, filed, staff: User) -> None:
    blocker, account = filed
    with pytest.raises(ValueError):
        lifecycle.transfer(session, blocker=blocker, user=staff, department_code="NV", reason="  ")
    with pytest.raises(ValueError):
        lifecycle.transfer(session, blocker=blocker, user=staff, department_code="XX", reason="sai")
    lifecycle.transfer(
        session, blocker=blocker, user=staff, department_code="NV", reason="Thuộc chế độ tiền lương"
    )
    session.commit()
    assert blocker.department_code == "NV"
    event = session.exec(select(BlockerEvent).where(BlockerEvent.kind == EventKind.transfer)).one()
    assert (event.from_value, event.to_value, event.reason) == ("TC", "NV", "Thuộc chế độ tiền lương")
    assert event.actor == f"user:{staff.id}"
    [told] = outbox(session, account.chat_id)
    assert "Sở Nội vụ" in told.text and "Thuộc chế độ tiền lương" in told.text
    assert any(blocker.code in m.text for m in outbox(session, "-1002"))  # NV's group


def test_status_changes_support_close_and_rating(session: Session, filed, staff: User) -> None:
    blocker, account = filed
    lifecycle.assign(session, blocker=blocker, user=staff, assignee_id=staff.id)
    assert blocker.status == BlockerStatus.received and blocker.first_response_at is not None
    lifecycle.change_status(session, blocker=blocker, user=staff, status=BlockerStatus.in_progress)
    with pytest.raises(ValueError):
        lifecycle.change_status(session, blocker=blocker, user=staff, status=BlockerStatus.in_progress)
    with pytest.raises(ValueError):
        lifecycle.change_status(session, blocker=blocker, user=staff, status=BlockerStatus.answered)
    lifecycle.add_support(session, blocker=blocker, user=staff, department_code="NV")
    with pytest.raises(ValueError):
        lifecycle.add_support(session, blocker=blocker, user=staff, department_code="NV")
    note = lifecycle.add_note(session, blocker=blocker, user=staff, text="Gọi điện cho Kho bạc.")
    lifecycle.reply(session, blocker=blocker, user=staff, text="Đã xử lý.")
    lifecycle.rate(session, blocker=blocker, account=account, solved=False)
    assert blocker.status == BlockerStatus.in_progress and blocker.rating == "not_solved"
    lifecycle.close(session, blocker=blocker, user=staff, reason="Đã mở tài khoản")
    session.commit()
    assert blocker.status == BlockerStatus.closed and blocker.closed_at is not None
    with pytest.raises(ValueError):
        lifecycle.add_official_message(session, blocker=blocker, account=account, text="thêm")
    texts = [m.text for m in outbox(session, account.chat_id)]
    assert not any(note.text in t for t in texts)  # internal notes never reach a chat
    assert any("Đã tiếp nhận" in t for t in texts) and any("Đã đóng" in t for t in texts)
    statuses = [
        e.to_value
        for e in session.exec(
            select(BlockerEvent).where(BlockerEvent.kind == EventKind.status).order_by(col(BlockerEvent.id))
        )
    ]
    assert statuses == ["received", "in_progress", "answered", "in_progress", "closed"]


def test_question_is_linked_and_status_labels(
    session: Session,
    departments: dict[str, Department],
    make_official: Callable[..., tuple[Person, ChatAccount]],
) -> None:
    person, account = make_official()
    log = QuestionLog(account_id=account.id, question="Kinh phí sửa trụ sở lấy từ đâu?")
    session.add(log)
    session.flush()
    blocker = lifecycle.file_blocker(
        session,
        account=account,
        person=person,
        description=log.question,
        department_code="TC",
        source_question_id=log.id,
    )
    assert log.blocker_id == blocker.id and blocker.source_question_id == log.id
    labels = [lifecycle.status_label(s) for s in BlockerStatus]
    assert labels == ["Mới", "Đã tiếp nhận", "Đang xử lý", "Cần bổ sung thông tin", "Đã trả lời", "Đã đóng"]
