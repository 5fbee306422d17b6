"""The blocker-reporting dialog end to end: real app, real handlers, fake platforms over HTTP.

Telegram (inline buttons pressed as callback queries) and Zalo Bot Platform (no buttons: the
choices are typed as numbers). An official registers with an invite code, reports a blocker in
two messages plus a photo, picks a suggested department, confirms, gets a receipt; the
department answers through blockers.lifecycle.reply; the answer reaches the chat; the
official rates it. Then a second official of another commune follows the similar blocker
instead of filing a new one, and the department's answer reaches both chats.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from api.web.accounts import create_user
from blockers import lifecycle
from core.clock import format_vn
from core.models import (
    Blocker,
    BlockerAttachment,
    BlockerFollower,
    BlockerStatus,
    ChatAccount,
    Department,
    Role,
    User,
)
from tests.e2e.chat_support import PART_ONE, PART_TWO, Answer, Chat, add_official, register, report
from tests.fakes.harness import TELEGRAM_TOKEN, Harness

CODE = re.compile(r"\bVM-(\d{4})-(\d{6})\b")
PHOTO = b"\xff\xd8\xff\xe0fake-jpeg-bytes-of-the-land-record"
ANSWER = "Xã lập biên bản xác minh nguồn gốc đất theo Điều 138 Luật Đất đai 2024 và gửi Văn phòng đăng ký."


def _staff_replies(h: Harness, blocker_id: int, text: str) -> None:
    with Session(h.engine) as session:
        blocker = session.get(Blocker, blocker_id)
        assert blocker is not None
        user = session.exec(select(User).where(User.username == "cv_so")).first() or create_user(
            session,
            username="cv_so",
            password="matkhau-dung-1",
            role=Role.staff,
            department_code=blocker.department_code,
            full_name="Chuyên viên Sở",
        )
        lifecycle.reply(session, blocker=blocker, user=user, text=text)
        session.commit()


def _check_receipt(h: Harness, receipt: Answer, department_label: str) -> Blocker:
    match = CODE.search(receipt.text)
    assert match, f"no VM-<year>-<6 digits> code in the receipt:\n{receipt.text}"
    with Session(h.engine) as session:
        blocker = session.exec(select(Blocker).where(Blocker.code == match.group(0))).one()
        department = session.get(Department, blocker.department_code)
        assert department is not None and department.name == department_label
        assert blocker.status == BlockerStatus.new and PART_TWO in blocker.description
        (attachment,) = session.exec(
            select(BlockerAttachment).where(BlockerAttachment.blocker_id == blocker.id)
        ).all()
        assert attachment.size == len(PHOTO) and attachment.content_type.startswith("image/")
        assert (h.settings.data_dir / "uploads" / attachment.path).read_bytes() == PHOTO
        session.expunge(blocker)
    assert department_label in receipt.text
    assert format_vn(blocker.deadline, with_time=False) in receipt.text
    return blocker


def _answer_and_rate(h: Harness, chat: Chat, blocker: Blocker) -> None:
    before = len(chat.delivered())
    _staff_replies(h, blocker.id or 0, ANSWER)
    notice = chat.wait_new(before, what="the department's answer")
    assert ANSWER in notice.text and blocker.code in notice.text, notice.text
    thanks = chat.choose(notice, "Đã giải quyết được")
    assert blocker.code in thanks.text, thanks.text
    with Session(h.engine) as session:
        stored = session.get(Blocker, blocker.id)
        assert stored is not None and stored.rating == "solved"


def test_telegram_report_answer_rate_and_follow(make_harness):
    h = make_harness("polling", real=True)
    h.fake.files["LANDPHOTO"] = PHOTO
    size = len(PHOTO)
    photo = [{"file_id": "LANDPHOTO", "file_unique_id": "lp", "file_size": size, "width": 8, "height": 8}]
    official = Chat(h, "telegram", 6101)
    register(official, add_official(h, name="Trần Thị Hoa", commune="Xã Phú Lương"))
    receipt, department = report(official, start="/baocao", photo={"photo": photo})
    blocker = _check_receipt(h, receipt, department)

    # A second official elsewhere describes the same problem: offered to follow, and follows.
    other = Chat(h, "telegram", 6102)
    register(other, add_official(h, name="Lê Văn Nam", commune="Xã Đại Từ"))
    other.say("/baocao")
    noted = other.say(PART_ONE + " " + PART_TWO)
    similar = other.choose(noted, "Xong")
    assert blocker.code in similar.text, similar.text
    followed = other.choose(similar, f"Theo dõi {blocker.code}")
    assert blocker.code in followed.text and department in followed.text, followed.text
    with Session(h.engine) as session:
        assert session.exec(select(Blocker)).all().__len__() == 1
        assert session.get(BlockerFollower, (blocker.id, _account_id(session, "6102"))) is not None

    before_other = len(other.delivered())
    _answer_and_rate(h, official, blocker)
    reached = other.wait_new(before_other, what="the answer at the follower")
    assert ANSWER in reached.text and blocker.code in reached.text


def test_zalo_report_with_typed_numbers_answer_and_rate(make_harness):
    h = make_harness("polling", real=True)
    h.fake.files["ZALOPHOTO"] = PHOTO  # the fake's file route serves it as a CDN would
    photo_url = f"{h.fake.url}/file/bot{TELEGRAM_TOKEN}/f/ZALOPHOTO"
    official = Chat(h, "zalo", "z-6201")
    register(official, add_official(h, name="Phạm Văn Đức", commune="Phường Phổ Yên"))
    receipt, department = report(official, start="bao cao", photo={"photo_url": photo_url})
    blocker = _check_receipt(h, receipt, department)
    assert h.fake.calls_to("telegram", "file"), "the photo was not fetched from the fake"
    assert not any("reply_markup" in c.params for c in h.fake.calls_to("zalo", "sendMessage"))
    _answer_and_rate(h, official, blocker)


def _account_id(session: Session, user_id: str) -> int:
    return session.exec(select(ChatAccount.id).where(ChatAccount.user_id == user_id)).one() or 0
