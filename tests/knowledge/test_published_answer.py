"""A department answer published as guidance is what the bot answers the next commune with."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session
from support_kb import build_kb

from blockers import lifecycle
from blockers.catalogue import load_departments
from blockers.publish import guidance_from_answer, mark_published
from core.models import ChatAccount, DocumentOrigin, Person, Role
from core.settings import Settings


def test_published_answer_is_found_and_cited(tmp_path: Path) -> None:
    from api.web.accounts import create_user

    kb = build_kb(tmp_path / "data")
    question = "Xe ô tô công của huyện cũ bàn giao về xã thì xã có được sử dụng không?"
    assert not kb.ask(question).grounded  # nothing in the guidance yet
    with Session(kb.engine, expire_on_commit=False) as session:
        load_departments(session, settings=Settings(_env_file=None))  # type: ignore[call-arg]
        person = Person(name="Lê Thị Hoa", commune="Xã Phú Lương", position="Công chức tài chính")
        session.add(person)
        session.flush()
        account = ChatAccount(channel="telegram", user_id="77", chat_id="77", person_id=person.id)
        session.add(account)
        staff = create_user(
            session, username="cv_tc", password="mat-khau-dai-1", role=Role.staff, department_code="TC",
            full_name="Trần Văn Bình",
        )  # fmt: skip
        blocker = lifecycle.file_blocker(
            session, account=account, person=person, department_code="TC",
            description="Xe ô tô công của huyện cũ bàn giao về xã, xã có được sử dụng không?",
        )  # fmt: skip
        answer = lifecycle.reply(
            session, blocker=blocker, user=staff,
            text="Xe ô tô công của huyện cũ bàn giao về xã: xã được sử dụng sau khi có quyết định điều "
            "chuyển tài sản công của cấp có thẩm quyền.",
            legal_basis="Nghị định 151/2017/NĐ-CP",
        )  # fmt: skip
        doc = guidance_from_answer(session, blocker=blocker, message=answer)
        session.commit()
    document_id = kb.add_document(doc, DocumentOrigin.blocker_answer)
    with Session(kb.engine, expire_on_commit=False) as session:
        mark_published(session, blocker=blocker, document_id=document_id, user=staff)
        session.commit()

    found = kb.ask(question)
    assert found.grounded, found.text
    assert found.sources[0].document_id == document_id
    assert "quyết định điều chuyển tài sản công" in found.text
    kb.close()
