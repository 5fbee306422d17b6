"""Actions on a blocker go through the lifecycle; replies reach the official's chat outbox."""

from __future__ import annotations

from sqlmodel import Session, select
from web_support import World

from core.models import (
    Blocker,
    BlockerMessage,
    BlockerStatus,
    BlockerSupport,
    CannedReply,
    Document,
    DocumentOrigin,
    MessageKind,
    OutboxMessage,
)


def officials_blocker(world: World, **values):  # type: ignore[no-untyped-def]
    return world.blocker(account_id=world.accounts["an"].id, person_id=1, commune="Xã Phú Lương", **values)


def test_reply_is_queued_for_the_officials_chat_and_shown_as_pending(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = officials_blocker(world, title="Hỏi về hộ tịch")
    browser = login("cv_tc")
    browser.get(f"/inbox/blockers/{blocker.id}")
    response = browser.post(
        f"/inbox/blockers/{blocker.id}/reply",
        {"text": "Đề nghị xã thực hiện theo Điều 5.", "legal_basis": "Điều 5 Luật Hộ tịch 60/2014/QH13"},
    )
    assert response.status_code == 303 and response.headers["location"] == f"/inbox/blockers/{blocker.id}"
    with Session(world.engine) as session:
        message = session.exec(select(BlockerMessage).where(BlockerMessage.kind == MessageKind.reply)).one()
        assert message.legal_basis == "Điều 5 Luật Hộ tịch 60/2014/QH13"
        outbox = session.exec(
            select(OutboxMessage).where(OutboxMessage.blocker_message_id == message.id)
        ).all()
        assert [(o.channel, o.chat_id) for o in outbox] == [("telegram", "5001")]
        assert "Đề nghị xã thực hiện theo Điều 5." in outbox[0].text
        assert session.get(Blocker, blocker.id).status == BlockerStatus.answered  # type: ignore[union-attr]
    page = browser.get(f"/inbox/blockers/{blocker.id}").text
    assert "Đã gửi trả lời" in page and "Đang chờ gửi" in page


def test_note_is_never_sent(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = officials_blocker(world)
    browser = login("cv_tc")
    assert (
        browser.post(f"/inbox/blockers/{blocker.id}/note", {"text": "Nội bộ: chờ ý kiến"}).status_code == 303
    )
    with Session(world.engine) as session:
        assert session.exec(select(BlockerMessage.kind)).all() == [MessageKind.note]
        assert session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == "5001")).all() == []


def test_info_request_status_and_close(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = officials_blocker(world)
    browser = login("cv_tc")
    browser.post(f"/inbox/blockers/{blocker.id}/info", {"text": "Xin gửi bản chụp sổ hộ khẩu"})
    browser.post(f"/inbox/blockers/{blocker.id}/status", {"status": "in_progress", "reason": ""})
    with Session(world.engine) as session:
        assert session.get(Blocker, blocker.id).status == BlockerStatus.in_progress  # type: ignore[union-attr]
        sent = session.exec(select(OutboxMessage.text).where(OutboxMessage.chat_id == "5001")).all()
        assert any("sổ hộ khẩu" in text for text in sent)
    browser.post(f"/inbox/blockers/{blocker.id}/close", {"reason": "Đã xong"})
    # A refused transition is a notice on the page, not an error.
    again = browser.post(f"/inbox/blockers/{blocker.id}/close", {"reason": "lần hai"})
    assert again.status_code == 303
    assert 'class="flash error"' in browser.get(f"/inbox/blockers/{blocker.id}").text
    with Session(world.engine) as session:
        assert session.get(Blocker, blocker.id).status == BlockerStatus.closed  # type: ignore[union-attr]


def test_transfer_moves_the_blocker_out_of_sight(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = officials_blocker(world)
    browser = login("cv_tc")
    missing_reason = browser.post(
        f"/inbox/blockers/{blocker.id}/transfer", {"department_code": "NV", "reason": ""}
    )
    assert missing_reason.headers["location"] == f"/inbox/blockers/{blocker.id}"
    done = browser.post(
        f"/inbox/blockers/{blocker.id}/transfer", {"department_code": "NV", "reason": "Thuộc Nội vụ"}
    )
    assert done.headers["location"] == "/inbox"
    assert browser.get(f"/inbox/blockers/{blocker.id}").status_code == 404
    assert login("cv_nv").get(f"/inbox/blockers/{blocker.id}").status_code == 200


def test_support_and_assign(login, world: World) -> None:  # type: ignore[no-untyped-def]
    blocker = officials_blocker(world)
    staff = login("cv_tc")
    assert (
        staff.post(
            f"/inbox/blockers/{blocker.id}/assign", {"assignee_id": world.users["cv_tc"].id}
        ).status_code
        == 403
    )
    head = login("ld_tc")
    head.post(f"/inbox/blockers/{blocker.id}/assign", {"assignee_id": world.users["cv_tc"].id})
    head.post(f"/inbox/blockers/{blocker.id}/support", {"department_code": "XD"})
    # Someone outside the lead department cannot be assigned.
    head.post(f"/inbox/blockers/{blocker.id}/assign", {"assignee_id": world.users["cv_nv"].id})
    with Session(world.engine) as session:
        row = session.get(Blocker, blocker.id)
        assert row is not None and row.assigned_user_id == world.users["cv_tc"].id
        assert session.exec(select(BlockerSupport.department_code)).all() == ["XD"]
    assert (
        "Giao cho tôi" in staff.get("/inbox?mine=1").text and blocker.code in staff.get("/inbox?mine=1").text
    )


def test_canned_replies_are_offered_on_the_blocker_page(login, world: World) -> None:  # type: ignore[no-untyped-def]
    with Session(world.engine) as session:
        session.add(
            CannedReply(department_code="TC", title="Đã tiếp nhận", text="Sở đã tiếp nhận, sẽ trả lời sớm.")
        )
        session.add(CannedReply(department_code="NV", title="Mẫu Nội vụ", text="Không hiện ở TC"))
        session.commit()
    blocker = officials_blocker(world)
    page = login("cv_tc").get(f"/inbox/blockers/{blocker.id}").text
    assert "Sở đã tiếp nhận, sẽ trả lời sớm." in page and "Mẫu Nội vụ" not in page


def test_publish_answer_as_guidance(login, world: World, web_app) -> None:  # type: ignore[no-untyped-def]
    blocker = officials_blocker(world, title="Hộ tịch", field="Hộ tịch")
    browser = login("cv_tc")
    browser.post(f"/inbox/blockers/{blocker.id}/reply", {"text": "Câu trả lời chính thức", "legal_basis": ""})
    with Session(world.engine) as session:
        message_id = session.exec(select(BlockerMessage.id)).one()
    response = browser.post(f"/inbox/blockers/{blocker.id}/publish", {"message_id": message_id})
    assert response.status_code == 303
    knowledge = web_app.state.ctx.knowledge
    assert [origin for _, origin in knowledge.added] == [DocumentOrigin.blocker_answer]
    with Session(world.engine) as session:
        document = session.exec(select(Document)).one()
        assert session.get(Blocker, blocker.id).published_document_id == document.id  # type: ignore[union-attr]
    assert "Đã đăng thành hướng dẫn" in browser.get(f"/inbox/blockers/{blocker.id}").text
