"""What a department sees of others' work (issue 11, partial items), and a published answer
reaching the officials who needed it (issue 12, closing the loop)."""

from __future__ import annotations

from sqlmodel import Session, col, select
from web_support import World

from core.models import (
    Blocker,
    BlockerSupport,
    Broadcast,
    CannedReply,
    ChatAccount,
    GuidanceDelivery,
    OutboxMessage,
    Person,
    QuestionLog,
)


def test_inbox_filter_choices_are_only_of_visible_blockers(login, world: World) -> None:
    world.blocker(department_code="TC", commune="Xã Phú Lương", field="Ngân sách")
    world.blocker(department_code="NV", commune="Xã Bí Mật", field="Biên chế của Nội vụ")
    page = login("cv_tc").get("/inbox").text
    assert "Xã Phú Lương" in page and "Ngân sách" in page
    assert "Xã Bí Mật" not in page and "Biên chế của Nội vụ" not in page
    assert "Xã Bí Mật" in login("lanhdao").get("/inbox").text  # the province sees every commune


def test_a_supporter_is_offered_its_own_canned_replies_not_the_leads(login, world: World) -> None:
    blocker = world.blocker(department_code="TC")
    with Session(world.engine) as session:
        session.add(BlockerSupport(blocker_id=blocker.id or 0, department_code="NV"))
        session.add(CannedReply(department_code="TC", title="Mẫu TC", text="Mẫu riêng của Sở Tài chính"))
        session.add(CannedReply(department_code="NV", title="Mẫu NV", text="Mẫu của Sở Nội vụ"))
        session.commit()
    supporter = login("cv_nv").get(f"/inbox/blockers/{blocker.id}").text
    assert "Mẫu của Sở Nội vụ" in supporter and "Mẫu riêng của Sở Tài chính" not in supporter
    assert "Mẫu riêng của Sở Tài chính" in login("cv_tc").get(f"/inbox/blockers/{blocker.id}").text


def test_province_wide_unanswered_questions_are_for_leaders_not_department_heads(login, world: World) -> None:
    with Session(world.engine) as session:
        session.add(QuestionLog(question="Câu hỏi riêng của một xã về đất đai", grounded=False))
        session.commit()
    head = login("ld_tc")
    assert "Câu hỏi riêng của một xã" not in head.get("/dashboard?moi=1").text
    assert head.get("/dashboard/export/chua-tra-loi.csv").status_code == 404
    leader = login("lanhdao")
    assert "Câu hỏi riêng của một xã" in leader.get("/dashboard?moi=1").text
    assert "Câu hỏi riêng của một xã" in leader.get("/dashboard/export/chua-tra-loi.csv").text


def _official(session: Session, name: str, user_id: str, position: str = "") -> ChatAccount:
    person = Person(name=name, commune=f"Xã {name}", position=position)
    session.add(person)
    session.flush()
    account = ChatAccount(channel="telegram", user_id=user_id, chat_id=user_id, person_id=person.id)
    session.add(account)
    session.flush()
    return account


def test_a_published_answer_reaches_who_asked_and_can_be_broadcast_once(login, world: World) -> None:
    blocker = world.blocker(
        department_code="TC", account_id=world.accounts["an"].id, title="Trích lục khai sinh", field="Hộ tịch"
    )
    with Session(world.engine) as session:
        asker = _official(session, "Hỏi", "7001")
        other = _official(session, "Khác", "7002", position="Công chức hộ tịch")
        for account in (asker, asker):  # asked twice: told once
            session.add(
                QuestionLog(account_id=account.id, question="Trích lục khai sinh bản sao", grounded=False)
            )
        session.add(QuestionLog(account_id=other.id, question="Lương công chức tháng bảy", grounded=False))
        session.commit()
        asker_id, other_id = asker.id, other.id
    reply_id = world.reply(blocker, "Trích lục khai sinh bản sao cấp tại xã nơi đăng ký khai sinh.")
    staff = login("cv_tc")
    assert staff.post(f"/inbox/blockers/{blocker.id}/publish", {"message_id": reply_id}).status_code == 303
    with Session(world.engine) as session:
        told = session.exec(select(OutboxMessage).where(col(OutboxMessage.account_id) == asker_id)).all()
        assert len(told) == 1 and "nơi đăng ký khai sinh" in told[0].text
        assert (
            session.exec(select(OutboxMessage).where(col(OutboxMessage.account_id) == other_id)).all() == []
        )

    leader = login("lanhdao")
    assert leader.post(f"/inbox/blockers/{blocker.id}/broadcast", {"field": "Hộ tịch"}).status_code == 303
    assert leader.post(f"/inbox/blockers/{blocker.id}/broadcast", {"field": "Hộ tịch"}).status_code == 303
    with Session(world.engine) as session:
        [broadcast] = session.exec(select(Broadcast)).all()
        assert broadcast.recipients == 1  # the hộ tịch official; the reporter and the asker had it
        sent = session.exec(select(OutboxMessage).where(col(OutboxMessage.account_id) == other_id)).one()
        assert "Hướng dẫn mới" in sent.text
        per_account = session.exec(select(GuidanceDelivery.account_id)).all()
        assert len(per_account) == len(set(per_account)) == 3  # reporter, asker, broadcast: once each
        assert session.get(Blocker, blocker.id).published_document_id is not None  # type: ignore[union-attr]
    page = leader.get(f"/inbox/blockers/{blocker.id}").text
    assert "Đang chờ gửi: 1" in page and "Lĩnh vực Hộ tịch" in page
