"""The inbox list (filters, order, counts, pages) and the blocker page (thread, deliveries)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session
from web_support import World, count_queries

from blockers.inbox import PAGE_SIZE
from core.clock import utcnow
from core.models import (
    BlockerAttachment,
    BlockerEvent,
    BlockerMessage,
    BlockerStatus,
    ChatAccount,
    DeliveryStatus,
    EventKind,
    MessageKind,
    OutboxMessage,
    Person,
)


def codes(html: str) -> list[str]:
    return re.findall(r'<span class="code">([^<]+)</span>', html)


def test_filters_and_order(login, world: World) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    world.blocker(
        code="VM-1",
        title="Thuế đất nông nghiệp",
        commune="Xã A",
        field="Đất đai",
        deadline=now + timedelta(days=2),
    )
    world.blocker(
        code="VM-2", title="Ngân sách xã", commune="Xã B", field="Tài chính", deadline=now - timedelta(days=1)
    )
    world.blocker(
        code="VM-3",
        title="Hộ tịch",
        commune="Xã A",
        status=BlockerStatus.answered,
        deadline=now - timedelta(days=3),
        assigned_user_id=world.users["cv_tc"].id,
    )
    world.blocker(code="VM-4", title="Không phải của Sở", department_code="NV")
    browser = login("cv_tc")
    page = browser.get("/inbox").text
    assert codes(page) == ["VM-3", "VM-2", "VM-1"]  # by deadline; NV's blocker hidden
    assert page.count("Quá hạn</span>") == 1  # VM-2 only: VM-3 is answered
    assert codes(browser.get("/inbox?q=thue dat").text) == ["VM-1"]  # typed without diacritics
    assert codes(browser.get("/inbox?q=Ngân sách").text) == ["VM-2"]
    assert codes(browser.get("/inbox?commune=Xã A").text) == ["VM-3", "VM-1"]
    assert codes(browser.get("/inbox?field=Tài chính").text) == ["VM-2"]
    assert codes(browser.get("/inbox?overdue=1").text) == ["VM-2"]
    assert codes(browser.get("/inbox?mine=1").text) == ["VM-3"]
    filtered = browser.get("/inbox?status=answered&commune=Xã A").text
    assert codes(filtered) == ["VM-3"]
    # Counts per status keep the other filters but not the status itself.
    assert re.search(r"Mới <b>1</b>", filtered) and re.search(r"Đã trả lời <b>1</b>", filtered)


def test_pagination(login, world: World) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    for i in range(PAGE_SIZE + 5):
        world.blocker(code=f"VM-{i:03d}", deadline=now + timedelta(hours=i))
    browser = login("cv_tc")
    first = browser.get("/inbox").text
    assert len(codes(first)) == PAGE_SIZE and "Trang 1/2" in first
    second = codes(browser.get("/inbox?page=2").text)
    assert second == [f"VM-{i:03d}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)]


def test_blocker_page_shows_the_whole_thread(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = world.blocker(
        title="Chuyển mục đích sử dụng đất",
        commune="Xã Phú Lương",
        person_id=1,
        account_id=world.accounts["an"].id,
    )
    with Session(world.engine) as session:
        official = BlockerMessage(
            blocker_id=blocker.id or 0, kind=MessageKind.official, text="Bổ sung: ảnh hồ sơ"
        )
        reply = BlockerMessage(
            blocker_id=blocker.id or 0,
            kind=MessageKind.reply,
            text="Trả lời của Sở",
            legal_basis="Điều 121 Luật Đất đai",
            user_id=world.users["cv_tc"].id,
        )
        note = BlockerMessage(blocker_id=blocker.id or 0, kind=MessageKind.note, text="Ghi chú nội bộ bí mật")
        session.add_all([official, reply, note])
        session.flush()
        session.add(
            BlockerAttachment(
                blocker_id=blocker.id or 0,
                message_id=official.id,
                filename="ho-so.jpg",
                content_type="image/jpeg",
                size=2048,
                path="blockers/x.jpg",
            )
        )
        session.add(
            OutboxMessage(
                channel="telegram",
                chat_id="5001",
                text="Trả lời của Sở",
                blocker_message_id=reply.id,
                status=DeliveryStatus.window_closed,
            )
        )
        session.add(
            BlockerEvent(
                blocker_id=blocker.id or 0,
                kind=EventKind.transfer,
                from_value="NV",
                to_value="TC",
                reason="Đúng thẩm quyền Sở Tài chính",
            )
        )
        session.commit()
    html = login("cv_tc").get(f"/inbox/blockers/{blocker.id}").text
    for expected in (
        "Nguyễn Văn An",
        "Công chức tư pháp",
        "Xã Phú Lương",
        "Bổ sung: ảnh hồ sơ",
        "Trả lời của Sở",
        "Điều 121 Luật Đất đai",
        "Ghi chú nội bộ bí mật",
        "Hết thời hạn tương tác (Zalo)",
        "Đúng thẩm quyền Sở Tài chính",
        f"/inbox/blockers/{blocker.id}/files/",
        "<img src=",
    ):
        assert expected in html, expected


def test_inbox_and_blocker_pages_have_no_n_plus_one(login, world: World) -> None:  # type: ignore[no-untyped-def]
    browser = login("cv_tc")
    assigned = world.users["cv_tc"].id
    for i in range(3):
        world.blocker(code=f"VM-A{i}", assigned_user_id=assigned)
    few = count_queries(world.engine, lambda: browser.get("/inbox"))
    for i in range(40):
        world.blocker(code=f"VM-B{i}", assigned_user_id=assigned)
    many = count_queries(world.engine, lambda: browser.get("/inbox"))
    assert many == few

    blocker = world.blocker(code="VM-T")

    def add_messages(n: int) -> None:
        with Session(world.engine) as session:
            for _ in range(n):
                message = BlockerMessage(blocker_id=blocker.id or 0, kind=MessageKind.reply, text="x")
                session.add(message)
                session.flush()
                session.add(OutboxMessage(channel="telegram", chat_id="1", blocker_message_id=message.id))
            session.commit()

    add_messages(2)
    few = count_queries(world.engine, lambda: browser.get(f"/inbox/blockers/{blocker.id}"))
    add_messages(30)
    many = count_queries(world.engine, lambda: browser.get(f"/inbox/blockers/{blocker.id}"))
    assert many == few


def test_exports_follow_filters_and_visibility(login, world: World) -> None:  # type: ignore[no-untyped-def]
    world.blocker(code="VM-X1", title="=cmd|' /C calc'!A0", commune="Xã A")
    world.blocker(code="VM-X2", commune="Xã B")
    world.blocker(code="VM-X3", department_code="NV")
    browser = login("cv_tc")
    text = browser.get("/export/blockers.csv").content.decode("utf-8-sig")
    assert "VM-X1" in text and "VM-X2" in text and "VM-X3" not in text
    assert "'=cmd" in text  # formula injection neutralised
    only_a = browser.get("/export/blockers.csv?commune=Xã A").content.decode("utf-8-sig")
    assert "VM-X1" in only_a and "VM-X2" not in only_a
    xlsx = browser.get("/export/blockers.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_chat_report_shows_its_description_once(login, world: World) -> None:  # type: ignore[no-untyped-def]
    """file_blocker stores the description on the blocker and as the first official message."""
    from blockers.lifecycle import file_blocker

    with Session(world.engine, expire_on_commit=False) as session:
        account = session.get(ChatAccount, world.accounts["an"].id)
        person = session.get(Person, account.person_id)
        blocker = file_blocker(
            session,
            account=account,
            person=person,
            department_code="TC",
            description="Trụ sở xã sau sáp nhập chưa có phương án bố trí xe công tác. " * 3
            + "Đề nghị Sở hướng dẫn thủ tục điều chuyển tài sản công giữa các xã cũ.",
        )
        session.commit()
    page = login("cv_tc").get(f"/inbox/blockers/{blocker.id}").text
    assert page.count("điều chuyển tài sản công giữa các xã cũ") == 1  # past the title
    assert "Nội dung vướng mắc" in page
