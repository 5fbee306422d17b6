from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session, select

from blockers import lifecycle
from blockers.duplicates import find_similar
from blockers.publish import guidance_from_answer, mark_published
from core.models import (
    BlockerEvent,
    ChatAccount,
    Department,
    Document,
    EventKind,
    OutboxMessage,
    Person,
    User,
)


def test_answer_becomes_guidance_and_followers_are_told(
    session: Session,
    departments: dict[str, Department],
    staff: User,
    make_official: Callable[..., tuple[Person, ChatAccount]],
) -> None:
    person, account = make_official()
    _, follower = make_official(commune="Xã Kha Sơn", user_id="888")
    blocker = lifecycle.file_blocker(
        session,
        account=account,
        person=person,
        field="Tài sản công",
        description="Xe ô tô của huyện cũ bàn giao về xã có được sử dụng không?",
        department_code="TC",
    )
    lifecycle.follow_blocker(session, blocker=blocker, account=follower)
    answer = lifecycle.reply(
        session,
        blocker=blocker,
        user=staff,
        text="Xã được sử dụng sau khi có quyết định điều chuyển.",
        legal_basis="Nghị định 151/2017/NĐ-CP",
    )
    doc = guidance_from_answer(session, blocker=blocker, message=answer)
    assert doc.kind == "plain" and doc.meta.doc_type == "Hướng dẫn"
    assert doc.meta.issuer == "Sở Tài chính" and doc.meta.department_code == "TC"
    assert doc.meta.issued_date == date.today() or doc.meta.issued_date is not None
    assert "Trần Văn Bình" in doc.text and "Nghị định 151/2017/NĐ-CP" in doc.text and blocker.code in doc.text
    assert doc.source.startswith("blocker-answer:") and doc.meta.field == "Tài sản công"

    document = Document(source=doc.source, content_hash="x", title=doc.meta.title)
    session.add(document)
    session.flush()
    mark_published(session, blocker=blocker, document_id=document.id or 0, user=staff)
    session.commit()
    assert blocker.published_document_id == document.id
    assert session.exec(
        select(BlockerEvent).where(BlockerEvent.kind == EventKind.publish)
    ).one().to_value == str(document.id)
    for chat in (account.chat_id, follower.chat_id):
        texts = [m.text for m in session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == chat))]
        assert any("hướng dẫn" in t for t in texts), texts


def test_similar_open_blockers_of_other_communes(
    session: Session,
    departments: dict[str, Department],
    staff: User,
    make_official: Callable[..., tuple[Person, ChatAccount]],
) -> None:
    a_person, a_account = make_official(commune="Xã A", user_id="1")
    b_person, b_account = make_official(commune="Xã B", user_id="2")
    house = lifecycle.file_blocker(
        session,
        account=a_account,
        person=a_person,
        department_code="DTTG",
        description=(
            "Hộ nghèo không có khả năng đối ứng để xây nhà trong chương trình xóa nhà tạm, nhà dột nát"
        ),
    )
    mine = lifecycle.file_blocker(
        session,
        account=b_account,
        person=b_person,
        department_code="DTTG",
        description="Hộ dân không đủ tiền đối ứng xóa nhà tạm, nhà dột nát",
    )
    lifecycle.file_blocker(
        session,
        account=a_account,
        person=a_person,
        department_code="TC",
        description="Kho bạc chưa mở tài khoản cho xã",
    )
    query = "ho ngheo khong co tien doi ung lam nha, xoa nha tam nha dot nat"
    found = find_similar(session, text=query, exclude_commune="Xã B")
    assert [s.blocker.id for s in found] == [house.id]
    assert mine.id not in [s.blocker.id for s in find_similar(session, text=query, exclude_commune="Xã B")]
    lifecycle.close(session, blocker=house, user=staff)
    assert find_similar(session, text=query, exclude_commune="Xã B") == []
