"""Every payload that names an object is checked against what this chat may see or was offered
(issue 11.1): the attack of a black-box test, replayed through the real Dispatcher — an official
of one commune following, opening and reopening another commune's blocker by typing its id —
and the choices that may only be made among what the bot offered (departments, similar
blockers), including a department deactivated while the official was choosing (11.9)."""

from __future__ import annotations

import pytest
from report_support import command, describe, other_official, staff_user
from sqlmodel import Session, select

from blockers import lifecycle, payloads
from core.models import (
    Blocker,
    BlockerEvent,
    BlockerFollower,
    BlockerStatus,
    Department,
    EventKind,
)

SECRET = "Hộ nghèo ở thôn Đồng Mới không có tiền đối ứng làm nhà theo chương trình xóa nhà tạm."


@pytest.fixture
def other_communes_blocker(session: Session, catalogue: None) -> Blocker:
    """An answered blocker of another commune, with an answer the department gave it."""
    person, account = other_official(session)
    blocker = lifecycle.file_blocker(
        session, account=account, person=person, department_code="DTTG", description=SECRET
    )
    lifecycle.reply(
        session, blocker=blocker, user=staff_user(session, "DTTG"), text="Dùng Quỹ Vì người nghèo."
    )
    session.commit()
    return blocker


def test_a_typed_follow_payload_for_a_blocker_not_offered_is_refused(
    open_chat, session: Session, other_communes_blocker: Blocker
) -> None:
    chat = open_chat("telegram")
    describe(chat, "Trụ sở xã mới sau sáp nhập chưa có kinh phí sửa chữa mái nhà bị dột.")  # nothing similar
    chat.send(payload=payloads.follow(other_communes_blocker.id))
    assert "không còn hiệu lực" in chat.text
    assert session.exec(select(BlockerFollower)).all() == []


def test_opening_rating_or_adding_to_another_communes_blocker_is_refused(
    open_chat, session: Session, other_communes_blocker: Blocker
) -> None:
    chat = open_chat("telegram")
    blocker_id = other_communes_blocker.id
    chat.send(payload=payloads.open_blocker(blocker_id))
    assert "Không tìm thấy vướng mắc này" in chat.text and "Đồng Mới" not in chat.text
    chat.send(payload=payloads.rate(blocker_id, solved=False))
    chat.send(payload=payloads.add_info(blocker_id))
    assert "Không tìm thấy vướng mắc này" in chat.text
    session.refresh(other_communes_blocker)
    assert other_communes_blocker.status == BlockerStatus.answered  # not reopened
    assert session.exec(select(BlockerEvent).where(BlockerEvent.kind == EventKind.rating)).all() == []


def test_a_follower_sees_the_answer_not_the_report_and_cannot_reopen_it(
    open_chat, session: Session, other_communes_blocker: Blocker
) -> None:
    chat = open_chat("zalo")
    describe(
        chat, "Nhiều hộ nghèo không có tiền đối ứng nên chưa làm được nhà theo chương trình xóa nhà tạm."
    )
    code = other_communes_blocker.code
    assert code in chat.text and "Đã trả lời" in chat.text  # that it exists, and its status…
    assert "Đồng Mới" not in chat.text  # …never another commune's text
    chat.press(f"Theo dõi {code}")
    command(chat, "cuatoi")
    assert code in chat.text and "Đồng Mới" not in chat.text
    chat.press(chat.labels[0])
    assert "Quỹ Vì người nghèo" in chat.text and "Đồng Mới" not in chat.text
    assert "Bổ sung thông tin" not in chat.labels
    chat.send(payload=payloads.rate(other_communes_blocker.id, solved=False))
    assert "ghi lại" in chat.text
    session.refresh(other_communes_blocker)
    assert other_communes_blocker.status == BlockerStatus.answered and other_communes_blocker.rating == ""
    chat.send(payload=payloads.add_info(other_communes_blocker.id))
    assert "Không tìm thấy vướng mắc này" in chat.text


def test_a_department_not_offered_cannot_be_chosen(open_chat, session: Session) -> None:
    chat = open_chat("telegram")
    describe(chat, "Trụ sở xã mới sau sáp nhập chưa có kinh phí sửa chữa mái nhà bị dột.")
    offered = list(chat.payloads)
    other = next(d.code for d in session.exec(select(Department)) if f"rp:dept:{d.code}" not in offered)
    chat.send(payload=f"rp:dept:{other}")
    assert "không còn hiệu lực" in chat.text
    chat.send(payload=offered[0])  # the offered ones still work
    assert "Lĩnh vực" in chat.text


def _deactivate(session: Session, name: str) -> None:
    department = session.exec(select(Department).where(Department.name == name)).one()
    department.active = False
    session.add(department)
    session.commit()


def test_a_department_deactivated_while_choosing_is_answered_clearly(open_chat, session: Session) -> None:
    chat = open_chat("zalo")
    describe(chat, "Kho bạc chưa mở tài khoản cho xã mới nên không rút được kinh phí chi lương.")
    first = chat.labels[0]
    _deactivate(session, first)
    chat.press(first)
    assert f"{first} hiện không tiếp nhận vướng mắc" in chat.text and first not in chat.labels
    chat.press(chat.labels[0])
    chat.press("Bỏ qua")
    chosen = chat.text.split("Cơ quan xử lý: ", 1)[1].split("\n", 1)[0]
    _deactivate(session, chosen)  # between the summary and "Gửi"
    chat.press("Gửi")
    assert f"{chosen} hiện không tiếp nhận vướng mắc" in chat.text
    assert session.exec(select(Blocker)).all() == []  # nothing half-filed, and no error raised
    chat.press(chat.labels[0])
    chat.press("Gửi")
    assert "Đã gửi vướng mắc" in chat.text
